/**
 * An asynchronous custom layer whose write takes longer than its removal (it encrypts before it
 * stores, say): the core runs the writes and removals of one entry in call order, so a write
 * begun just before an invalidation or a sign-out never lands after its removal (invariant 5,
 * the sign-out purge), and an older value's write never lands after a newer one's.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import {
  type BalanceSync,
  type CacheLayer,
  createBalanceSync,
  memoryCache,
  type StoredEntry,
} from '../../src/index.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Writes take `writeMs(entry)` ms (encryption); removals are immediate. */
function encryptingLayer(
  store: Map<string, StoredEntry>,
  writeMs: (entry: StoredEntry) => number = () => 50,
): CacheLayer {
  return {
    name: 'encrypted',
    read: async (userId, scope) => store.get(`${scope.keyPrefix}_${userId}`) ?? null,
    write: async (userId, entry, scope) => {
      await new Promise((resolve) => setTimeout(resolve, writeMs(entry)));
      store.set(`${scope.keyPrefix}_${userId}`, structuredClone(entry));
    },
    remove: async (userId, scope) => {
      store.delete(`${scope.keyPrefix}_${userId}`);
    },
    clearLegacy: () => undefined,
  };
}

/**
 * A started sync whose first value (100, version 1) has just landed: its write to the slow
 * layer is still running when the test goes on.
 */
async function writingFirstValue(
  store: Map<string, StoredEntry>,
  layer = encryptingLayer(store),
): Promise<BalanceSync> {
  let answer: (value: { balance: number; version: number }) => void = () => {};
  const sync = createBalanceSync({
    fetchBalance: () =>
      new Promise((resolve) => {
        answer = resolve;
      }),
    userId: 'A',
    logger: false,
    cache: [memoryCache(), layer],
  });
  sync.start();
  await vi.advanceTimersByTimeAsync(10);
  answer({ balance: 100, version: 1 });
  await vi.advanceTimersByTimeAsync(1);
  return sync;
}

/** What a new page would show from the layer (memory is per page). */
async function reloaded(store: Map<string, StoredEntry>): Promise<number | null> {
  const sync: BalanceSync = createBalanceSync({
    fetchBalance: () => new Promise(() => {}),
    userId: 'A',
    logger: false,
    cache: [memoryCache(), encryptingLayer(store)],
  });
  sync.start();
  await vi.advanceTimersByTimeAsync(100);
  const { balance } = sync.getSnapshot();
  sync.stop();
  return balance;
}

it('invalidate() right after a value lands: the layer is empty when it resolves, and after a reload', async () => {
  const store = new Map<string, StoredEntry>();
  const sync = await writingFirstValue(store);
  const report = sync.invalidate({ reason: 'debit' });
  await vi.advanceTimersByTimeAsync(60);
  expect((await report).ok).toBe(true);
  expect(store.size).toBe(0);
  await vi.advanceTimersByTimeAsync(200);
  sync.stop();
  expect(store.size).toBe(0);
  expect(await reloaded(store)).toBeNull();
});

it("sign-out right after a value lands: the user's entry is purged", async () => {
  const store = new Map<string, StoredEntry>();
  const sync = await writingFirstValue(store);
  sync.setUser(null);
  await vi.advanceTimersByTimeAsync(200);
  sync.stop();
  expect([...store.keys()]).toEqual([]);
});

it('a newer value written faster than an older one: the layer keeps the newer', async () => {
  const store = new Map<string, StoredEntry>();
  const layer = encryptingLayer(store, (entry) => (entry.data.balance === 100 ? 80 : 5));
  const sync = await writingFirstValue(store, layer);
  sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'A', balance: 70, version: 2 });
  await vi.advanceTimersByTimeAsync(200);
  expect(sync.getSnapshot().balance).toBe(70);
  sync.stop();
  expect(store.get('tokenBalanceCache_A')?.data.balance).toBe(70);
  expect(await reloaded(store)).toBe(70);
});

it('a write that never settles holds back no removal: invalidate() reaches the layer and reports its answer', async () => {
  const store = new Map<string, StoredEntry>();
  const removed: string[] = [];
  const layer = encryptingLayer(store);
  const stuck: CacheLayer = {
    ...layer,
    write: () => new Promise<void>(() => {}),
    remove: async (userId, scope) => {
      removed.push(userId);
      await layer.remove(userId, scope);
    },
  };
  const sync = await writingFirstValue(store, stuck);
  const report = sync.invalidate({ reason: 'debit' });
  await vi.advanceTimersByTimeAsync(1);
  expect(removed).toEqual(['A']);
  // The report is the removal's own answer; were the write ever to land, the removal is made again.
  await vi.advanceTimersByTimeAsync(10);
  const outcome = (await report).layers.find((entry) => entry.name === 'encrypted');
  expect(outcome?.ok).toBe(true);
  sync.stop();
});

it('a write made again after the user left becomes a removal: nothing is written for a user not signed in', async () => {
  const store = new Map<string, StoredEntry>();
  const writes: string[] = [];
  let current: string | null = 'A';
  const layer = encryptingLayer(store, () => 100);
  const watched: CacheLayer = {
    ...layer,
    write: (userId, entry, scope) => {
      writes.push(`${userId} while ${current}`);
      return layer.write(userId, entry, scope);
    },
  };
  const sync = await writingFirstValue(store, watched);
  // A newer value while the first write is running: its write is made again once that settles.
  sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'A', balance: 70, version: 2 });
  await vi.advanceTimersByTimeAsync(10);
  current = 'B';
  sync.setUser('B');
  await vi.advanceTimersByTimeAsync(500);
  sync.stop();
  expect(writes).toEqual(['A while A', 'A while A']);
  // Whichever write landed last, nothing of A's is left to outlive the switch unchecked.
  expect(store.has('tokenBalanceCache_A')).toBe(false);
});
