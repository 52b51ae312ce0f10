/**
 * Invariant 5 with an asynchronous custom layer (a remote KV, worker-backed storage) whose
 * removal is slow: a hydration that starts while an invalidation is still removing the entry
 * must not read the old one, show it fresh and copy it back into memory. Real timers: the
 * layer's removal takes 100 ms of real time.
 */
import { describe, expect, it } from 'vitest';
import {
  type CacheLayer,
  createBalanceSync,
  memoryCache,
  type StoredEntry,
} from '../../src/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const scope = { keyPrefix: 'tokenBalanceCache' };

function slowLayer(): CacheLayer {
  const entries = new Map<string, StoredEntry>();
  return {
    name: 'remoteKv',
    read: async (userId) => {
      await sleep(1);
      return entries.get(userId) ?? null;
    },
    write: async (userId, entry) => {
      entries.set(userId, entry);
    },
    remove: async (userId) => {
      await sleep(100);
      entries.delete(userId);
    },
    clearLegacy: async () => {},
  };
}

describe('a hydration during an invalidation waits for the layer being cleared', () => {
  it('invalidate, switch away and back: the refetched value, and nothing old left in memory', async () => {
    let fetchesA = 0;
    const memory = memoryCache();
    const sync = createBalanceSync({
      // A's balance is 100 before the debit, 40 after it.
      fetchBalance: async ({ userId }) =>
        userId === 'A' ? { balance: ++fetchesA === 1 ? 100 : 40 } : { balance: 7 },
      userId: 'A',
      cache: [memory, slowLayer()],
      logger: false,
    });
    sync.start();
    await sleep(20);
    expect(sync.getSnapshot().balance).toBe(100);
    const report = sync.invalidate({ reason: 'debit' });
    sync.setUser('B');
    sync.setUser('A');
    await sleep(20);
    const shown = sync.getSnapshot();
    expect(shown.balance === 100 && !shown.isStale).toBe(false);
    expect((await report).ok).toBe(true);
    await sleep(50);
    expect(sync.getSnapshot().balance).toBe(40);
    expect((memory.read('A', scope) as StoredEntry | null)?.data.balance ?? null).not.toBe(100);
    sync.stop();
  });

  it('invalidate, then stop before the refetch: the next start fetches', async () => {
    let fetches = 0;
    const sync = createBalanceSync({
      fetchBalance: async () => ({ balance: ++fetches === 1 ? 100 : 40 }),
      userId: 'A',
      cache: [memoryCache(), slowLayer()],
      logger: false,
    });
    sync.start();
    await sleep(20);
    const report = sync.invalidate({ reason: 'debit' });
    sync.stop();
    await report;
    sync.start();
    await sleep(250);
    expect({ balance: sync.getSnapshot().balance, fetches }).toEqual({ balance: 40, fetches: 2 });
    sync.stop();
  });

  it('stopped before the refetch, with a layer that failed to clear: the next start still fetches', async () => {
    let fetches = 0;
    const stuck: CacheLayer = {
      name: 'readOnlyKv',
      read: async () => null,
      write: async () => {},
      remove: async () => {
        throw new Error('read-only');
      },
      clearLegacy: async () => {},
    };
    const memory = memoryCache();
    const sync = createBalanceSync({
      fetchBalance: async () => ({ balance: ++fetches === 1 ? 100 : 40 }),
      userId: 'A',
      cache: [memory, stuck],
      logger: false,
    });
    sync.start();
    await sleep(20);
    const report = sync.invalidate({ reason: 'debit' });
    sync.stop();
    await report;
    // What a layer still holds after a failed clear (written here by hand): not shown as fresh.
    const entry: StoredEntry = {
      data: { userId: 'A', balance: 100 },
      timestamp: Date.now(),
      expiresAt: Date.now() + 30_000,
    };
    memory.write('A', entry, scope);
    sync.start();
    await sleep(50);
    expect({ balance: sync.getSnapshot().balance, fetches }).toEqual({ balance: 40, fetches: 2 });
    sync.stop();
  });

  it('a layer that failed to clear serves nothing fresh until the server speaks again', async () => {
    const entries = new Map<string, StoredEntry>();
    const failsToClear: CacheLayer = {
      name: 'kv',
      read: (userId) => entries.get(userId) ?? null,
      write: (userId, entry) => void entries.set(userId, entry),
      remove: () => {
        throw new Error('read-only');
      },
      clearLegacy: () => {},
    };
    let answer: (balance: number) => void = () => {};
    let fetches = 0;
    const sync = createBalanceSync({
      fetchBalance: () => {
        fetches++;
        return fetches === 1
          ? Promise.resolve({ balance: 100 })
          : new Promise((resolve) => (answer = (balance) => resolve({ balance })));
      },
      userId: 'A',
      cache: [failsToClear],
      logger: false,
    });
    const shown: { balance: number | null; isStale: boolean }[] = [];
    sync.subscribe(({ balance, isStale }) => shown.push({ balance, isStale }));
    sync.start();
    await sleep(20);
    const report = await sync.invalidate({ reason: 'debit' });
    expect(report.ok).toBe(false);
    sync.stop();
    sync.setUser('B');
    sync.setUser('A');
    sync.start();
    await sleep(20);
    answer(40);
    await sleep(20);
    const afterInvalidation = shown.slice(shown.findIndex((s) => s.isStale));
    expect(afterInvalidation.filter((s) => s.balance === 100 && !s.isStale)).toEqual([]);
    expect(sync.getSnapshot()).toMatchObject({ balance: 40, isStale: false });
    sync.stop();
  });
});

describe('a value pushed while the layers clear (SPEC: "after an own debit, invalidate() is safe")', () => {
  /** A sync over `slowLayer()` with a live socket; every request waits for `answers`. */
  async function syncShowing100() {
    const answers: ((value: { balance: number; version: number }) => void)[] = [];
    const memory = memoryCache();
    const sync = createBalanceSync({
      fetchBalance: () => new Promise((resolve) => answers.push(resolve)),
      userId: 'u1',
      cache: [memory, slowLayer()],
      logger: false,
    });
    sync.start();
    sync.send({ type: 'SOCKET.CONNECTED' });
    await sleep(20);
    answers.shift()?.({ balance: 100, version: 1 });
    await sleep(20);
    expect(sync.getSnapshot()).toMatchObject({ balance: 100, version: 1 });
    return { sync, answers, memory };
  }

  it.each([
    ['the socket', 'SOCKET.BALANCE_UPDATED'],
    ['another tab', 'TAB.BALANCE'],
  ] as const)(
    'a newer version from %s lands, and a lagging refetch does not replace it',
    async (_, type) => {
      const { sync, answers } = await syncShowing100();
      sync.applyOptimistic(-10, Promise.resolve({ ok: true })); // answered without a version
      await sleep(0);
      const report = sync.invalidate({ reason: 'debit' });
      await sleep(10); // the slow layer is still clearing
      expect(sync.getSnapshot().status).toBe('invalidated');
      const pushed = { userId: 'u1', balance: 90, version: 2 };
      sync.send(
        type === 'TAB.BALANCE'
          ? { type, ...pushed, epoch: null, updatedAt: null }
          : { type, ...pushed },
      );
      expect(sync.getSnapshot()).toMatchObject({ balance: 90, version: 2 });
      await report;
      await sleep(20);
      answers.shift()?.({ balance: 100, version: 1 }); // a lagging read replica
      await sleep(20);
      expect(sync.getSnapshot()).toMatchObject({ balance: 90, version: 2 });
      expect(sync.metrics().rejected).toBe(0);
      sync.stop();
    },
  );

  it('the version that was invalidated, sent again while clearing, is still distrusted', async () => {
    const { sync, answers, memory } = await syncShowing100();
    const report = sync.invalidate({ reason: 'debit' });
    await sleep(10);
    sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 100, version: 1 });
    expect(sync.getSnapshot()).toMatchObject({ status: 'invalidated', isStale: true });
    await report;
    // Not written back into the layer the invalidation cleared (invariant 5).
    expect(await memory.read('u1', scope)).toBeNull();
    await sleep(20);
    answers.shift()?.({ balance: 95, version: 3 });
    await sleep(20);
    expect(sync.getSnapshot()).toMatchObject({ balance: 95, version: 3, isStale: false });
    sync.stop();
  });
});
