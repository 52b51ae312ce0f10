/**
 * Invariant 8 across a user change (outside review 30): a switch drops the leaving user's
 * unanswered debits on screen, but the server may still apply them. Back on that user, a value
 * that includes a dropped debit must not settle a new debit of the same amount in its place.
 */
import { describe, expect, it } from 'vitest';
import { createBalanceSync, memoryCache } from '../../src/index.js';
import { type Held, held } from '../helpers/held.js';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
type Answer = { balance: number; version: number };

/**
 * A shows 100 v1 and debits −14 (`first`, sent to the server); the user changes to `away`;
 * `meanwhile` runs; A is back and debits −14 again (`second`, unanswered): 86 on screen.
 */
async function debitAcrossSwitch(away: string | null, meanwhile = (_first: Held<Answer>) => {}) {
  const server = { balance: 100, version: 1 };
  const sync = createBalanceSync({
    userId: 'A',
    fetchBalance: async ({ userId }) => (userId === 'A' ? { ...server } : { balance: 3_000 }),
    cache: [memoryCache()],
    logger: false,
    revalidateOnFocus: false,
  });
  sync.start();
  await tick(5);
  expect(sync.getSnapshot().balance).toBe(100);
  const first = held<Answer>();
  sync.applyOptimistic(-14, first.promise);
  sync.setUser(away); // dropped on screen, still applied by the server
  meanwhile(first);
  sync.setUser('A');
  await tick(5);
  const second = held<Answer>();
  sync.applyOptimistic(-14, second.promise);
  expect(sync.getSnapshot().balance).toBe(86);
  return { sync, server, first, second };
}

const pushOf = (balance: number, version: number) =>
  ({ type: 'SOCKET.BALANCE_UPDATED', userId: 'A', balance, version }) as const;

describe('debits dropped by a user change', () => {
  it.each([
    ['a switch to another user', 'C'],
    ['a sign-out', null],
  ] as const)(
    'after %s and back, the dropped debit applied by the server does not settle a new debit of the same amount',
    async (_, away) => {
      const { sync, server, first, second } = await debitAcrossSwitch(away);
      // The server applies the first debit only, and says so by push and by its answer.
      Object.assign(server, { balance: 86, version: 2 });
      sync.send(pushOf(86, 2));
      first.resolve({ balance: 86, version: 2 });
      await tick(5);
      expect(sync.getSnapshot().balance).toBe(72);
      // A refetch of the same value changes nothing; the second debit's answer settles it.
      await sync.refresh({ skipCache: true });
      expect(sync.getSnapshot().balance).toBe(72);
      second.resolve({ balance: 72, version: 3 });
      await tick(5);
      expect(sync.getSnapshot()).toMatchObject({ balance: 72, version: 3 });
      sync.stop();
    },
  );

  it('a dropped debit answered before its push lands settles by version, not by amount', async () => {
    // Answered while another user is shown.
    const { sync } = await debitAcrossSwitch('C', (first) =>
      first.resolve({ balance: 86, version: 2 }),
    );
    sync.send(pushOf(86, 2));
    await tick(5);
    expect(sync.getSnapshot().balance).toBe(72);
    sync.stop();
  });

  it('a dropped debit the server rejected leaves the new debit to be settled by amount', async () => {
    const { sync } = await debitAcrossSwitch(null, (first) => first.reject(new Error('declined')));
    // This time the change is the second debit's: shown once, not twice.
    sync.send(pushOf(86, 2));
    await tick(5);
    expect(sync.getSnapshot().balance).toBe(86);
    sync.stop();
  });
});
