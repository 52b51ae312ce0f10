// @vitest-environment node
/**
 * Invalidation across tabs (invariant 5, outside review 21): two syncs share a localStorage
 * stand-in and Node's BroadcastChannel (no Web Locks). Tab 2 has a request in flight when tab 1
 * invalidates, and its answer (from before the invalidation) lands before the message reaches
 * it: that value must not be written back into the cleared storage for good, nor shown as fresh
 * by tab 1; and tab 2's own targets are invalidated too.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  createBalanceSync,
  crossTabSource,
  localStorageCache,
  memoryCache,
} from '../../src/index.js';
import type { InvalidationTarget } from '../../src/types.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests stay open until the test answers them, in order. */
function scriptedServer() {
  const open: { resolve: (value: unknown) => void }[] = [];
  const fetchBalance = () =>
    new Promise<{ balance: number; version: number }>((resolve) =>
      open.push({ resolve: resolve as (value: unknown) => void }),
    );
  return { open, fetchBalance };
}

function browser() {
  const store = new Map<string, string>();
  const storage = {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
    removeItem: (key: string) => void store.delete(key),
  };
  const channelName = `invalidation-${Math.random()}`;
  const tab = (target?: InvalidationTarget) => {
    const server = scriptedServer();
    const sync = createBalanceSync({
      fetchBalance: server.fetchBalance,
      userId: 'A',
      cache: [memoryCache(), localStorageCache({ storage: () => storage })],
      logger: false,
      sources: [crossTabSource({ locks: () => null, channelName })],
    });
    if (target !== undefined) sync.addInvalidationTarget('app cache', target);
    return { sync, server };
  };
  return { store, storage, tab };
}

/** Both tabs show 100 at v1; tab 2 then has a request in flight and tab 1 invalidates. */
async function invalidatedWhileTab2Fetches(target?: InvalidationTarget) {
  const b = browser();
  const t1 = b.tab();
  const t2 = b.tab(target);
  t1.sync.start();
  t2.sync.start();
  await sleep(20);
  for (const t of [t1, t2]) t.server.open[0]?.resolve({ balance: 100, version: 1 });
  await sleep(20);
  expect(t1.sync.getSnapshot().balance).toBe(100);
  void t2.sync.refresh({ skipCache: true });
  await sleep(5);
  const report = t1.sync.invalidate({ reason: 'debit' });
  // Tab 2's answer, to a request that started before the invalidation, lands at once.
  t2.server.open[1]?.resolve({ balance: 100, version: 1 });
  expect((await report).ok).toBe(true);
  await sleep(50); // the tab messages delivered both ways; tab 1's refetch still unanswered
  return { ...b, t1, t2 };
}

describe("another tab's answer from before an invalidation", () => {
  it('is not left in the cleared storage: a reload does not show it', async () => {
    const { storage, t1, t2 } = await invalidatedWhileTab2Fetches();
    const reload = createBalanceSync({
      fetchBalance: () => new Promise(() => {}),
      userId: 'A',
      cache: [memoryCache(), localStorageCache({ storage: () => storage })],
      logger: false,
    });
    const shown = reload.getSnapshot();
    t1.sync.stop();
    t2.sync.stop();
    expect(storage.getItem('tokenBalanceCache_A')).toBeNull();
    expect(shown.balance === 100 && !shown.isStale).toBe(false);
  });

  it('is not shown as fresh by the invalidating tab; its own refetch is', async () => {
    const { t1, t2 } = await invalidatedWhileTab2Fetches();
    expect(t1.sync.getSnapshot()).toMatchObject({ balance: 100, isStale: true, isFetching: true });
    expect(t1.sync.metrics().discarded).toBeGreaterThanOrEqual(1);
    t1.server.open[1]?.resolve({ balance: 70, version: 2 });
    await sleep(30);
    expect(t1.sync.getSnapshot()).toMatchObject({ balance: 70, isStale: false });
    // The other tab takes it: the same value everywhere.
    expect(t2.sync.getSnapshot()).toMatchObject({ balance: 70, version: 2 });
    t1.sync.stop();
    t2.sync.stop();
  });
});

describe("another tab's invalidation", () => {
  it("calls this tab's own targets (its app caches)", async () => {
    const target = vi.fn();
    const { t1, t2 } = await invalidatedWhileTab2Fetches(target);
    expect(target).toHaveBeenCalledTimes(1);
    t1.sync.stop();
    t2.sync.stop();
  });
});
