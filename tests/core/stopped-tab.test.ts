// @vitest-environment node
/**
 * A stopped sync hears no other tab (invariant 7), so a sign-out or an invalidation made
 * elsewhere meanwhile reaches it only through the shared storage: its per-tab memory layer must
 * not bring back, as fresh, an entry the shared storage no longer holds. Two syncs in one
 * process share a localStorage stand-in and Node's BroadcastChannel (no Web Locks).
 */
import { describe, expect, it } from 'vitest';
import {
  createBalanceSync,
  crossTabSource,
  localStorageCache,
  memoryCache,
} from '../../src/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function browser({ full = false } = {}) {
  const store = new Map<string, string>();
  const storage = {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => {
      // A full origin's localStorage: every write fails.
      if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      store.set(key, value);
    },
    removeItem: (key: string) => void store.delete(key),
  };
  const server = { balance: 777, version: null as number | null, up: true, requests: 0 };
  const channelName = `stopped-${Math.random()}`;
  /** `clockAheadMs`: this tab receives (and stores) values a little later than the other. */
  const tab = ({ clockAheadMs = 0 } = {}) =>
    createBalanceSync({
      fetchBalance: async () => {
        server.requests++;
        if (!server.up) throw new Error('401');
        return { balance: server.balance, version: server.version };
      },
      userId: 'A',
      cache: [memoryCache(), localStorageCache({ storage: () => storage })],
      logger: false,
      now: () => Date.now() + clockAheadMs,
      sources: [crossTabSource({ locks: () => null, channelName })],
    });
  return { store, server, tab };
}

describe('a stopped tab restarts with what the shared storage still holds', () => {
  it('signed out in another tab meanwhile: its memory does not bring the balance back', async () => {
    const { store, server, tab } = browser();
    const t1 = tab();
    const t2 = tab();
    t1.start();
    t2.start();
    await sleep(50);
    expect(t1.getSnapshot().balance).toBe(777);
    t1.stop();
    t2.setUser(null);
    server.up = false;
    await sleep(20);
    expect(store.has('tokenBalanceCache_A')).toBe(false);
    t1.start();
    expect(t1.getSnapshot().balance).toBeNull();
    await sleep(50);
    expect(t1.getSnapshot().balance).toBeNull();
    expect(store.has('tokenBalanceCache_A')).toBe(false);
    t1.stop();
    t2.stop();
  });

  it('invalidated in another tab meanwhile: it fetches instead of showing the old value fresh', async () => {
    const { server, tab } = browser();
    const t1 = tab();
    const t2 = tab();
    t1.start();
    t2.start();
    await sleep(50);
    t1.stop();
    server.balance = 40;
    await t2.invalidate({ reason: 'debit' });
    await sleep(20);
    t1.start();
    expect(t1.getSnapshot()).not.toMatchObject({ balance: 777, isStale: false });
    await sleep(50);
    expect(t1.getSnapshot().balance).toBe(40);
    t1.stop();
    t2.stop();
  });

  it('its own write failed (a full localStorage): the missing entry says nothing, the last good value stays', async () => {
    const { store, server, tab } = browser({ full: true });
    const t1 = tab();
    t1.start();
    await sleep(50);
    expect(t1.getSnapshot().balance).toBe(777);
    expect(store.size).toBe(0);
    t1.stop(); // a provider remount
    server.up = false;
    t1.start();
    expect(t1.getSnapshot().balance).toBe(777);
    // Invariant 6: a failed fetch keeps the last good value, with the error.
    const after = await t1.refresh({ skipCache: true });
    expect(after.balance).toBe(777);
    expect(after.error).not.toBeNull();
    t1.stop();
  });

  it.each([
    ['versioned', 5],
    ['unversioned', null],
  ])(
    'another tab stored the same %s value again at its own receive time: the restart keeps it',
    async (_, version) => {
      const { store, server, tab } = browser();
      server.version = version;
      const t1 = tab();
      const t2 = tab({ clockAheadMs: 5 }); // hears t1's value and stores it 5 ms "later"
      t1.start();
      t2.start();
      await sleep(50);
      server.balance = 778;
      if (server.version !== null) server.version++;
      const fetchedAt = Date.now();
      await t1.refresh({ skipCache: true }); // t1 stores it; t2 hears it and stores it again
      await sleep(50);
      expect(t2.getSnapshot().balance).toBe(778);
      const stored = JSON.parse(store.get('tokenBalanceCache_A') ?? 'null') as {
        timestamp: number;
      };
      expect(stored.timestamp).toBeGreaterThanOrEqual(fetchedAt + 5);
      t1.stop();
      server.up = false;
      t1.start();
      expect(t1.getSnapshot().balance).toBe(778);
      expect((await t1.refresh({ skipCache: true })).balance).toBe(778);
      t1.stop();
      t2.stop();
    },
  );
});
