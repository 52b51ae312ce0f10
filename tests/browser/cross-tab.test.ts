/**
 * Two createBalanceSync instances in one real Chromium page behave as two tabs: real
 * BroadcastChannel, real Web Locks, shared real localStorage and IndexedDB. Real timers, short TTLs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { indexedDbCache } from '../../src/cache/indexed-db.js';
import { localStorageCache } from '../../src/cache/local-storage.js';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { crossTabSource } from '../../src/sources/cross-tab.js';
import { TAB_PROTOCOL } from '../../src/sources/tab-message.js';
import type { BalanceSync, BalanceSyncOptions } from '../../src/types.js';

const running: BalanceSync[] = [];
afterEach(() => {
  for (const sync of running.splice(0)) sync.stop();
  localStorage.clear();
});

/** One ledger behind both tabs, like one server; counts requests per tab. */
function ledger() {
  const state = { balance: 500, version: 1 };
  const requests: Record<string, number> = {};
  return {
    state,
    requests,
    fetchFor: (tab: string) => async () => {
      requests[tab] = (requests[tab] ?? 0) + 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { ...state };
    },
    debit(amount: number) {
      state.balance -= amount;
      state.version += 1;
      return { ...state };
    },
  };
}

let run = 0;
function twoTabs(options: Partial<BalanceSyncOptions> = {}) {
  run++;
  const server = ledger();
  const keyPrefix = `balance${run}`;
  const dbName = `cross-tab-${run}-${Math.random()}`;
  const messages: Record<string, string[]> = { A: [], B: [] };
  const tab = (name: 'A' | 'B') => {
    const sync = createBalanceSync({
      fetchBalance: server.fetchFor(name),
      userId: 'u1',
      keyPrefix,
      legacyKeys: [],
      cache: [memoryCache(), localStorageCache(), indexedDbCache({ dbName })],
      sources: [crossTabSource()],
      refreshIntervalMs: 0,
      logger: {
        debug: () => {},
        info: (message) => messages[name]?.push(message),
        warn: (message) => messages[name]?.push(message),
        error: (message) => messages[name]?.push(message),
      },
      ...options,
    });
    running.push(sync);
    return sync;
  };
  return { server, keyPrefix, dbName, messages, A: tab('A'), B: tab('B') };
}

async function until(check: () => boolean, timeoutMs = 4_000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const role = (sync: BalanceSync) => {
  const snapshot = sync.actor.getSnapshot();
  return (['leader', 'follower', 'alone'] as const).find((r) =>
    snapshot?.matches({ running: { tab: r } }),
  );
};

describe('two tabs over BroadcastChannel and Web Locks (real Chromium)', () => {
  it('elects exactly one leader; when it stops, the follower takes over', async () => {
    const { A, B } = twoTabs();
    A.start();
    await until(() => role(A) === 'leader');
    B.start();
    await until(() => role(B) === 'follower');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([role(A), role(B)]).toEqual(['leader', 'follower']);
    A.stop();
    await until(() => role(B) === 'leader');
  });

  it('one fetch per TTL serves both tabs; the follower never fetches', async () => {
    // The shortest TTL the options allow (below 1 s a TTL turns into a request loop).
    const { A, B, server } = twoTabs({ ttlMs: 1_000 });
    A.start();
    await until(() => A.getSnapshot().status === 'cached');
    B.start();
    await until(() => B.getSnapshot().balance === 500);
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 3_250));
    const elapsed = performance.now() - started;
    const periods = Math.floor(elapsed / 1_000);
    expect(server.requests.B ?? 0).toBe(0);
    expect(server.requests.A).toBeGreaterThanOrEqual(periods);
    expect(server.requests.A).toBeLessThanOrEqual(periods + 2);
    // Between the follower's expiry and the leader's broadcast (about one request) it is
    // honestly stale; the next broadcast makes it fresh again without a request of its own.
    await until(() => !B.getSnapshot().isStale);
    expect(B.getSnapshot()).toMatchObject({ balance: 500, source: 'tab' });
    expect(server.requests.B ?? 0).toBe(0);
  });

  it('a hidden leader cannot starve a visible follower: it fetches after the grace period', async () => {
    const { A, B, server } = twoTabs({ ttlMs: 1_000 });
    A.start();
    await until(() => role(A) === 'leader' && A.getSnapshot().status === 'cached');
    B.start();
    await until(() => role(B) === 'follower' && B.getSnapshot().balance === 500);
    A.send({ type: 'HIDDEN' }); // a hidden leader neither polls nor revalidates
    const expiredAt = performance.now() + 1_000;
    await until(() => (server.requests.B ?? 0) === 1, 5_000);
    const waited = performance.now() - expiredAt;
    expect(waited).toBeGreaterThanOrEqual(900); // the grace: max(1 s, dedupeMs) after expiry
    await until(() => !B.getSnapshot().isStale);
    expect(B.getSnapshot()).toMatchObject({ balance: 500, source: 'network' });
  });

  it('focus is deduped across tabs: a request just started in one tab covers the other', async () => {
    const { A, B, server } = twoTabs({ dedupeMs: 1_000 });
    A.start();
    await until(() => A.getSnapshot().status === 'cached');
    B.start();
    await until(() => B.getSnapshot().balance === 500);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // outside every dedupe window
    A.send({ type: 'FOCUS' });
    await until(() => server.requests.A === 2);
    await new Promise((resolve) => setTimeout(resolve, 30));
    B.send({ type: 'FOCUS' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests.B ?? 0).toBe(0);
  });

  it('a push in one tab reaches the other at once', async () => {
    const { A, B, server } = twoTabs();
    A.start();
    B.start();
    await until(() => A.getSnapshot().status === 'cached' && B.getSnapshot().balance === 500);
    A.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', ...server.debit(40) });
    await until(() => B.getSnapshot().balance === 460);
    expect(B.getSnapshot()).toMatchObject({ version: 2, source: 'tab' });
  });

  it('an invalidation in one tab clears the other, which takes the new value without fetching', async () => {
    const { A, B, server } = twoTabs();
    A.start();
    await until(() => A.getSnapshot().status === 'cached');
    B.start();
    await until(() => B.getSnapshot().balance === 500);
    const before = server.requests.B ?? 0;
    server.debit(100);
    await A.invalidate({ reason: 'own debit' });
    await until(() => B.getSnapshot().balance === 400);
    expect(server.requests.B ?? 0).toBe(before);
  });

  it('a sign-out in one tab signs out the other and leaves nothing stored', async () => {
    const { A, B, keyPrefix, dbName } = twoTabs();
    A.start();
    B.start();
    await until(() => A.getSnapshot().status === 'cached' && B.getSnapshot().balance === 500);
    A.setUser(null);
    await until(() => B.getSnapshot().userId === null);
    expect(B.getSnapshot().balance).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(localStorage.getItem(`${keyPrefix}_u1`)).toBeNull();
    const stored = await indexedDbCache({ dbName }).read('u1', { keyPrefix });
    expect(stored).toBeUndefined();
  });

  it('a tab whose sync is stopped still signs the other out, and invalidates it', async () => {
    const { A, B, server, keyPrefix } = twoTabs();
    A.start();
    B.start();
    await until(() => A.getSnapshot().status === 'cached' && B.getSnapshot().balance === 500);
    A.stop();
    server.debit(50);
    await A.invalidate({ reason: 'own debit' });
    await until(() => B.getSnapshot().balance === 450); // B refetches after the grace
    A.setUser(null); // a logout page that does not mount the provider
    await until(() => B.getSnapshot().userId === null);
    expect(B.getSnapshot().balance).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(localStorage.getItem(`${keyPrefix}_u1`)).toBeNull();
  });

  it('rejects forged and old-protocol messages on the channel', async () => {
    const { B, keyPrefix, messages } = twoTabs();
    B.start();
    await until(() => B.getSnapshot().status === 'cached');
    const intruder = new BroadcastChannel(`${keyPrefix}:balance-sync`);
    intruder.postMessage({ kind: 'balance', userId: 'u1', balance: 1e9 });
    intruder.postMessage({
      protocol: 'balance-sync/0',
      kind: 'balance',
      userId: 'u1',
      balance: 1e9,
    });
    intruder.postMessage({
      protocol: TAB_PROTOCOL,
      kind: 'balance',
      userId: 'u1',
      balance: 'lots',
    });
    intruder.postMessage({
      protocol: TAB_PROTOCOL,
      kind: 'balance',
      userId: 'u2',
      balance: 7,
      version: 99,
    });
    await until(() => messages.B?.filter((m) => m.startsWith('rejected')).length === 4);
    intruder.close();
    expect(B.getSnapshot().balance).toBe(500);
    expect(messages.B?.filter((m) => m.startsWith('rejected'))).toEqual([
      'rejected cross-tab message: unknown protocol undefined',
      'rejected cross-tab message: unknown protocol balance-sync/0',
      'rejected event: balance is not a finite number',
      'rejected TAB.BALANCE: message for another user',
    ]);
  });
});
