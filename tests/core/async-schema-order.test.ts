/**
 * An asynchronous schema (valibot `pipeAsync`, zod `refine(async …)`) checks pushes and hellos
 * after `send()` returns. The machine must still hear the events in the order they were sent:
 * a hello checked after the disconnect that followed it once left the socket "live" with nothing
 * connected (no TTL revalidation, no polling, a stale value reported fresh); an unversioned push
 * checked late must not overwrite the one sent after it; and `stop()` drops what still waits.
 */
import * as v from 'valibot';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createBalanceSync, memoryCache } from '../../src/index.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Each check takes longer for a larger balance, so later sends could finish first. */
const slowSchema = () =>
  v.pipeAsync(
    v.objectAsync({ balance: v.number() }),
    v.checkAsync(async (input) => {
      await new Promise((resolve) => setTimeout(resolve, input.balance >= 100 ? 50 : 5));
      return true;
    }),
  );

function started() {
  let fetches = 0;
  const sync = createBalanceSync({
    fetchBalance: async () => {
      fetches++;
      return { balance: 100 };
    },
    userId: 'u1',
    cache: [memoryCache()],
    logger: false,
    schema: slowSchema(),
  });
  sync.start();
  return { sync, fetches: () => fetches };
}

const socket = (sync: ReturnType<typeof started>['sync']) =>
  (sync.actor.getSnapshot().value as { running: { socket: string } }).running.socket;

it('a hello still being checked, then a disconnect: the socket ends offline and revalidation goes on', async () => {
  const { sync, fetches } = started();
  await vi.advanceTimersByTimeAsync(100);
  expect(fetches()).toBe(1);
  sync.send({ type: 'SOCKET.CONNECTED', hello: { userId: 'u1', balance: 100, version: 1 } });
  sync.send({ type: 'SOCKET.DISCONNECTED' });
  await vi.advanceTimersByTimeAsync(100);
  expect(socket(sync)).toBe('offline');
  await vi.advanceTimersByTimeAsync(10 * 60_000);
  expect(fetches()).toBeGreaterThan(1);
  sync.stop();
});

it('unversioned pushes checked at different speeds land in the order they were sent', async () => {
  const { sync } = started();
  await vi.advanceTimersByTimeAsync(100);
  sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 150 });
  sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 40 });
  await vi.advanceTimersByTimeAsync(200);
  expect(sync.getSnapshot().balance).toBe(40);
  sync.stop();
});

it('a hello still being checked when the sync stops is dropped: the next run starts without a socket', async () => {
  const { sync } = started();
  await vi.advanceTimersByTimeAsync(100);
  sync.send({ type: 'SOCKET.CONNECTED', hello: { userId: 'u1', balance: 100, version: 1 } });
  sync.stop();
  sync.start();
  await vi.advanceTimersByTimeAsync(200);
  expect(socket(sync)).not.toBe('live');
  sync.stop();
});

it.each([
  ['a switch', 'u2'],
  ['a sign-out', null],
])(
  '%s sent behind a push still being checked belongs to the snapshot when send() returns',
  async (_, next) => {
    const { sync } = started();
    await vi.advanceTimersByTimeAsync(100);
    expect(sync.getSnapshot()).toMatchObject({ userId: 'u1', balance: 100 });
    sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 150, version: 2 });
    sync.send({ type: 'USER.CHANGED', userId: next });
    // SPEC: `send` is synchronous as far as getSnapshot() is concerned; invariant 1.
    expect(sync.getSnapshot()).toMatchObject({ userId: next, balance: null });
    const balances: (number | null)[] = [];
    sync.subscribe((state) => balances.push(state.balance));
    await vi.advanceTimersByTimeAsync(100);
    // The previous user's push, checked after the switch, is that user's: never shown.
    expect(balances).not.toContain(150);
    expect(sync.getSnapshot().userId).toBe(next);
    sync.stop();
  },
);

/** A Standard Schema whose check of a balance of 13 never settles; others pass at once. */
const hangsOn13 = {
  '~standard': {
    version: 1 as const,
    vendor: 'test',
    validate: (value: unknown) =>
      (value as { balance: number }).balance === 13
        ? new Promise<never>(() => {})
        : Promise.resolve({ value }),
  },
};

it('a check that never settles fails after 10 s, logged: later pushes land, refresh() settles', async () => {
  let answer = { balance: 100, version: 1 };
  const warnings: string[] = [];
  const log = (message: string, details?: unknown) =>
    warnings.push(`${message} ${JSON.stringify(details)}`);
  const sync = createBalanceSync({
    fetchBalance: async () => answer,
    userId: 'u1',
    cache: [memoryCache()],
    logger: { debug() {}, info() {}, warn: log, error: log },
    schema: hangsOn13,
  });
  sync.start();
  await vi.advanceTimersByTimeAsync(10);
  expect(sync.getSnapshot()).toMatchObject({ balance: 100, version: 1 });
  sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 13, version: 2 });
  sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 50, version: 3 });
  await vi.advanceTimersByTimeAsync(9_000);
  expect(sync.getSnapshot()).toMatchObject({ balance: 100, version: 1 }); // in order: waits
  await vi.advanceTimersByTimeAsync(1_000);
  expect(sync.getSnapshot()).toMatchObject({ balance: 50, version: 3 });
  expect(warnings.join('\n')).toMatch(/schema did not answer within 10000 ms/);
  // A response whose check never settles: the request fails, refresh() settles with an error.
  answer = { balance: 13, version: 4 };
  let settled = false;
  void sync.refresh().then(() => {
    settled = true;
  });
  await vi.advanceTimersByTimeAsync(10_000);
  expect(settled).toBe(true);
  expect(sync.getSnapshot()).toMatchObject({ balance: 50, version: 3 });
  expect(sync.getSnapshot().error?.message).toMatch(/did not answer/);
  sync.stop();
});

it.each([
  ['a push', 'push'],
  ['a response', 'response'],
  ['a response a user switch left', 'switch'],
])(
  'a check of %s that never settles ends with stop() or with its request: no deadline timer outlives it, nothing reported',
  async (_, what) => {
    let answer = { balance: 100, version: 1 };
    const warnings: string[] = [];
    const sync = createBalanceSync({
      fetchBalance: async () => answer,
      userId: 'u1',
      cache: [memoryCache()],
      logger: {
        debug() {},
        info() {},
        warn: (m) => warnings.push(m),
        error: (m) => warnings.push(m),
      },
      schema: hangsOn13,
    });
    sync.start();
    await vi.advanceTimersByTimeAsync(10);
    if (what === 'push') {
      sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 13, version: 2 });
    } else {
      answer = { balance: 13, version: 2 };
      void sync.refresh({ skipCache: true });
    }
    await vi.advanceTimersByTimeAsync(10);
    if (what === 'switch') {
      sync.setUser('u2'); // the request is left: its check goes with it
      answer = { balance: 7, version: 1 };
      await vi.advanceTimersByTimeAsync(10);
      expect(sync.getSnapshot()).toMatchObject({ userId: 'u2', balance: 7 });
    }
    sync.stop();
    await vi.advanceTimersByTimeAsync(0);
    // SPEC invariant 7: stop() leaves no timers behind (the deadline is 10 s).
    expect(vi.getTimerCount()).toBe(0);
    expect(warnings).toEqual([]);
    expect(sync.getSnapshot()).toMatchObject({
      status: 'idle',
      balance: what === 'switch' ? 7 : 100,
    });
  },
);
