/**
 * Invariant 8 across a user change (outside review 30): a switch drops the leaving user's
 * unanswered debits on screen, but the server may still apply them. Back on that user, a value
 * that includes a dropped debit must not settle a new debit of the same amount in its place.
 */
import { describe, expect, it } from 'vitest';
import { createBalanceSync, memoryCache } from '../../src/index.js';

interface Held<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function held<T>(): Held<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
type Answer = { balance: number; version: number };

/** A ledger the test moves by hand; every fetch answers its current value. */
function syncOn(server: Answer) {
  return createBalanceSync({
    userId: 'A',
    fetchBalance: async ({ userId }) => (userId === 'A' ? { ...server } : { balance: 3_000 }),
    cache: [memoryCache()],
    logger: false,
    revalidateOnFocus: false,
  });
}

describe('debits dropped by a user change', () => {
  it.each([
    ['a switch to another user', 'C'],
    ['a sign-out', null],
  ] as const)(
    'after %s and back, the dropped debit applied by the server does not settle a new debit of the same amount',
    async (_, away) => {
      const server = { balance: 100, version: 1 };
      const sync = syncOn(server);
      sync.start();
      await tick(5);
      expect(sync.getSnapshot().balance).toBe(100);
      const first = held<Answer>();
      sync.applyOptimistic(-14, first.promise); // sent to the server
      sync.setUser(away); // dropped on screen, still applied by the server
      sync.setUser('A');
      await tick(5);
      const second = held<Answer>();
      sync.applyOptimistic(-14, second.promise); // a new purchase, unanswered
      expect(sync.getSnapshot().balance).toBe(86);
      // The server applies the first debit only, and says so by push and by its answer.
      Object.assign(server, { balance: 86, version: 2 });
      sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'A', balance: 86, version: 2 });
      first.resolve({ balance: 86, version: 2 });
      await tick(5);
      expect(sync.getSnapshot().balance).toBe(72);
      // A refetch of the same value changes nothing; the second debit's answer settles it.
      await sync.refresh({ skipCache: true });
      expect(sync.getSnapshot().balance).toBe(72);
      second.resolve({ balance: 72, version: 3 });
      await tick(5);
      expect(sync.getSnapshot().balance).toBe(72);
      expect(sync.getSnapshot().version).toBe(3);
      sync.stop();
    },
  );

  it('a dropped debit answered before its push lands settles by version, not by amount', async () => {
    const server = { balance: 100, version: 1 };
    const sync = syncOn(server);
    sync.start();
    await tick(5);
    const first = held<Answer>();
    sync.applyOptimistic(-14, first.promise);
    sync.setUser('C');
    first.resolve({ balance: 86, version: 2 }); // answered while another user is shown
    sync.setUser('A');
    await tick(5);
    const second = held<Answer>();
    sync.applyOptimistic(-14, second.promise);
    sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'A', balance: 86, version: 2 });
    await tick(5);
    expect(sync.getSnapshot().balance).toBe(72);
    sync.stop();
  });

  it('a dropped debit the server rejected leaves the new debit to be settled by amount', async () => {
    const server = { balance: 100, version: 1 };
    const sync = syncOn(server);
    sync.start();
    await tick(5);
    const first = held<Answer>();
    sync.applyOptimistic(-14, first.promise);
    sync.setUser(null);
    first.reject(new Error('declined'));
    sync.setUser('A');
    await tick(5);
    const second = held<Answer>();
    sync.applyOptimistic(-14, second.promise);
    // This time the change is the second debit's: shown once, not twice.
    sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'A', balance: 86, version: 2 });
    await tick(5);
    expect(sync.getSnapshot().balance).toBe(86);
    sync.stop();
  });
});
