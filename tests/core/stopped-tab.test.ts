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

function browser() {
  const store = new Map<string, string>();
  const storage = {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
    removeItem: (key: string) => void store.delete(key),
  };
  const server = { balance: 777, signedIn: true, requests: 0 };
  const tab = () =>
    createBalanceSync({
      fetchBalance: async () => {
        server.requests++;
        if (!server.signedIn) throw new Error('401');
        return { balance: server.balance };
      },
      userId: 'A',
      cache: [memoryCache(), localStorageCache({ storage: () => storage })],
      logger: false,
      sources: [crossTabSource({ locks: () => null, channelName: `stopped-${Math.random()}` })],
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
    server.signedIn = false;
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
});
