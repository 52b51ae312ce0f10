// @vitest-environment node
/**
 * One push connection per browser, with Node's BroadcastChannel and in-memory Web Locks: only
 * the leader subscribes the push source; followers derive the connection from what it relays;
 * a push is broadcast once; the next leader connects when the leader goes.
 */
import { Observable, type Subscriber } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BalanceEvent } from '../../machines/events.js';
import { localStorageCache } from '../../src/cache/local-storage.js';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { crossTabSource } from '../../src/sources/cross-tab.js';
import type { BalanceSync, BalanceSyncOptions } from '../../src/types.js';
import { fakeLocks } from '../helpers/fake-locks.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { waitFor } from '../helpers/wait-for.js';

const running: BalanceSync[] = [];
afterEach(() => {
  for (const sync of running.splice(0)) sync.stop();
});

/** A push source that records who subscribed it and lets the test push to the subscribers. */
function scriptedPush() {
  const subscribers = new Set<Subscriber<BalanceEvent>>();
  let subscriptions = 0;
  const source = new Observable<BalanceEvent>((subscriber) => {
    subscriptions++;
    subscribers.add(subscriber);
    subscriber.next({ type: 'SOCKET.CONNECTED' });
    return () => subscribers.delete(subscriber);
  });
  return {
    source,
    open: () => subscribers.size,
    subscriptions: () => subscriptions,
    push: (event: BalanceEvent) => {
      for (const subscriber of subscribers) subscriber.next(event);
    },
    /** The source gives up (a socket client out of retries) or ends. */
    end: (how: 'error' | 'complete') => {
      for (const subscriber of [...subscribers]) {
        if (how === 'error') subscriber.error(new Error('socket client gave up'));
        else subscriber.complete();
      }
    },
  };
}

function browser(keyPrefix: string, server = { balance: 10, version: 1 }) {
  const locks = fakeLocks();
  const push = scriptedPush();
  let requests = 0;
  /** `answerAfterMs`: this tab's requests answer that late (a request still in flight). */
  const tab = (extra: Partial<BalanceSyncOptions> & { answerAfterMs?: number } = {}) => {
    const { answerAfterMs = 0, ...overrides } = extra;
    const logger = recordingLogger();
    const sync = createBalanceSync({
      fetchBalance: async () => {
        requests++;
        const answer = { ...server };
        await new Promise((resolve) => setTimeout(resolve, answerAfterMs));
        return answer;
      },
      userId: 'u1',
      keyPrefix,
      cache: [memoryCache()],
      logger,
      dedupeMs: 100,
      sources: [
        crossTabSource({ locks: () => locks, push: push.source, connectionHeartbeatMs: 200 }),
      ],
      ...overrides,
    });
    running.push(sync);
    return sync;
  };
  return { tab, push, requests: () => requests };
}

/**
 * The follower stops; meanwhile the server's balance changes to 9 and the leader is pushed it.
 * Returns the request count then.
 */
async function changeWhileStopped(
  b: ReturnType<typeof browser>,
  leader: BalanceSync,
  follower: BalanceSync,
  server: { balance: number; version: number },
): Promise<number> {
  follower.stop();
  Object.assign(server, { balance: 9, version: 2 });
  b.push.push({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 9, version: 2 });
  await waitFor(() => leader.getSnapshot().balance === 9);
  return b.requests();
}

const live = (sync: BalanceSync) =>
  sync.actor.getSnapshot().matches({ running: { socket: 'live' } });

describe('one push connection per browser', () => {
  it('only the leader connects; followers are live through it and open nothing', async () => {
    const b = browser('r1');
    const tabs = [b.tab(), b.tab(), b.tab()];
    for (const sync of tabs) sync.start();
    await waitFor(() => tabs.every(live));
    expect(b.push.open()).toBe(1);
    expect(b.push.subscriptions()).toBe(1);
  });

  it.each(['error', 'complete'] as const)(
    'a push source that ends (%s) after connecting: neither the leader nor its followers vouch any more',
    async (how) => {
      const b = browser(`r-end-${how}`);
      const tabs = [b.tab(), b.tab()];
      for (const sync of tabs) sync.start();
      await waitFor(() => tabs.every(live));
      b.push.end(how);
      await waitFor(() => tabs.every((sync) => !live(sync)));
    },
  );

  it('a push reaches every tab, broadcast once by the leader', async () => {
    const b = browser('r2');
    const tabs = [b.tab(), b.tab(), b.tab()];
    for (const sync of tabs) sync.start();
    await waitFor(() => tabs.every(live) && tabs.every((s) => s.getSnapshot().balance === 10));
    // Past the leader grace: a follower that missed the leader's catch-up fetches (and shares)
    // its own value then, which is not the push this test counts (a flake seen once under load).
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const posts: unknown[] = [];
    const spy = new BroadcastChannel('r2:balance-sync');
    spy.onmessage = (message) => posts.push(message.data);
    b.push.push({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 7, version: 2 });
    await waitFor(() => tabs.every((sync) => sync.getSnapshot().balance === 7));
    await new Promise((resolve) => setTimeout(resolve, 50));
    spy.close();
    const shared = posts.filter((post) => (post as { kind: string }).kind === 'balance');
    expect(shared.map((post) => (post as { balance: number }).balance)).toEqual([7]);
  });

  it('at a connection, only the leader catches up; followers take its value', async () => {
    const b = browser('r3');
    const tabs = [b.tab(), b.tab(), b.tab()];
    for (const sync of tabs) sync.start();
    await waitFor(() => tabs.every(live) && tabs.every((s) => s.getSnapshot().balance === 10));
    await new Promise((resolve) => setTimeout(resolve, 1_300)); // past every grace and dedupe
    const before = b.requests();
    b.push.push({ type: 'SOCKET.DISCONNECTED' });
    b.push.push({ type: 'SOCKET.CONNECTED' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(b.requests() - before).toBe(1);
  });

  // bench:tabs found it: the leader lands (and posts) a hello or a resume's replay before it
  // announces its connection, so a follower that waited for the leader's catch-up after the
  // announcement waited for nothing and fetched when the grace ran out.
  it.each([
    [
      'a hello of the value shown',
      [{ type: 'SOCKET.CONNECTED', hello: { userId: 'u1', balance: 10, version: 1 } }],
      10,
    ],
    [
      'a hello of a new value',
      [{ type: 'SOCKET.CONNECTED', hello: { userId: 'u1', balance: 7, version: 2 } }],
      7,
    ],
    [
      'a resume that replays a missed push',
      [
        { type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 5, version: 3 },
        { type: 'SOCKET.CONNECTED', resumed: true },
      ],
      5,
    ],
    ['a resume with nothing missed', [{ type: 'SOCKET.CONNECTED', resumed: true }], 10],
  ] as [string, BalanceEvent[], number][])(
    'a reconnect with %s costs no request in any tab',
    async (what, reconnect, balance) => {
      const b = browser(`r5-${what}`);
      const tabs = [b.tab(), b.tab(), b.tab()];
      for (const sync of tabs) sync.start();
      await waitFor(() => tabs.every(live) && tabs.every((s) => s.getSnapshot().balance === 10));
      await new Promise((resolve) => setTimeout(resolve, 1_300)); // past every grace and dedupe
      const before = b.requests();
      b.push.push({ type: 'SOCKET.DISCONNECTED' });
      await waitFor(() => !tabs.some(live));
      for (const event of reconnect) b.push.push(event);
      await waitFor(() => tabs.every(live));
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the followers' grace
      expect(b.requests() - before).toBe(0);
      expect(tabs.map((sync) => sync.getSnapshot().balance)).toEqual([balance, balance, balance]);
    },
  );

  it('when the leader stops, the next tab leads and connects; followers stay live through it', async () => {
    const b = browser('r4');
    const [first, second, third] = [b.tab(), b.tab(), b.tab()];
    for (const sync of [first, second, third]) sync?.start();
    await waitFor(() => [first, second, third].every((sync) => sync !== undefined && live(sync)));
    first?.stop();
    await waitFor(() => b.push.subscriptions() === 2 && b.push.open() === 1);
    await waitFor(() => [second, third].every((sync) => sync !== undefined && live(sync)));
  });

  it('a follower restarted under a caught-up connection catches up: what it kept was vouched for by nothing', async () => {
    const server = { balance: 10, version: 1 };
    const b = browser('r6', server);
    const [leader, follower] = [b.tab(), b.tab()];
    leader.start();
    follower.start();
    await waitFor(() => live(leader) && live(follower) && follower.getSnapshot().balance === 10);
    await new Promise((resolve) => setTimeout(resolve, 1_300)); // past every grace and dedupe
    // The leader's connection comes back with the server's hello: caught up, no request owed.
    b.push.push({ type: 'SOCKET.DISCONNECTED' });
    b.push.push({ type: 'SOCKET.CONNECTED', hello: { userId: 'u1', ...server } });
    await waitFor(() => live(leader) && live(follower));
    const before = await changeWhileStopped(b, leader, follower, server);
    follower.start();
    // The follower missed the push while stopped (its per-tab memory kept 10): the caught-up
    // connection it hears about now does not vouch for that.
    await waitFor(() => follower.getSnapshot().balance === 9);
    // Once: the request it started on restart began after it listened to the leader, so the
    // caught-up connection it then hears about owes no second one (past dedupe and grace).
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(b.requests() - before).toBe(1);
    expect(follower.getSnapshot().isStale).toBe(false);
  });

  it.each([
    ['reconnected with a hello', 'hello'],
    ['caught up by its own request', 'plain'],
    ['reconnected, then caught up by its own request', 'plain reconnect'],
  ] as const)(
    'a restarted follower whose value another tab replaced fetches once, under a connection %s',
    async (_, connection) => {
      const server = { balance: 10, version: 1 };
      const b = browser('r7', server);
      // One browser's localStorage, shared by its tabs; each tab has its own memory layer too.
      const entries = new Map<string, string>();
      const storage = {
        getItem: (key: string) => entries.get(key) ?? null,
        setItem: (key: string, value: string) => void entries.set(key, value),
        removeItem: (key: string) => void entries.delete(key),
      };
      const layers = () => [memoryCache(), localStorageCache({ storage: () => storage })];
      const leader = b.tab({ cache: layers() });
      const follower = b.tab({ cache: layers(), answerAfterMs: 300 });
      leader.start();
      follower.start();
      await waitFor(() => live(leader) && live(follower) && follower.getSnapshot().balance === 10);
      if (connection === 'hello') {
        b.push.push({ type: 'SOCKET.DISCONNECTED' });
        b.push.push({ type: 'SOCKET.CONNECTED', hello: { userId: 'u1', ...server } });
      } else {
        // A plain connection's catch-up: the leader's request after it opened has landed (a
        // reconnect while cached starts it at once, from inside the connection event).
        await new Promise((resolve) => setTimeout(resolve, 1_300));
        if (connection === 'plain reconnect') {
          b.push.push({ type: 'SOCKET.DISCONNECTED' });
          b.push.push({ type: 'SOCKET.CONNECTED' });
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      }
      await waitFor(() => live(leader) && live(follower));
      // While it is stopped the leader stores a pushed value: what the follower kept is replaced.
      const before = await changeWhileStopped(b, leader, follower, server);
      follower.start();
      // It forgets the replaced value and fetches at once; the leader's caught-up connection is
      // heard of while that request is in flight (no value of the leader's is to come). The request began after this tab listened to
      // the leader, so it is the one catch-up (docs/sources.md: "it catches up once").
      await waitFor(() => follower.getSnapshot().isFetching);
      await waitFor(() => live(follower) && follower.getSnapshot().balance === 9);
      await new Promise((resolve) => setTimeout(resolve, 1_300)); // past dedupe and grace
      expect(b.requests() - before).toBe(1);
    },
  );

  // Real timers: a follower waits 1 s (`leaderGrace`) for the new leader's catch-up before it
  // fetches itself. On a loaded 2-core CI the hand-over has once taken longer than that, which
  // is the designed fallback, not a bug; a retry tells that apart from a broken hand-over,
  // which fails every time.
  it('a leader that dies without a word: the next leader says so at once, not a watchdog later', {
    retry: 2,
  }, async () => {
    const locks = fakeLocks();
    const push = scriptedPush();
    let requests = 0;
    let crash = (): void => {};
    const crashed = new Promise<void>((resolve) => {
      crash = resolve;
    });
    let dead = false;
    // The first tab's lock is let go and its channel falls silent, as when a tab is killed.
    class DyingChannel extends BroadcastChannel {
      override postMessage(message: unknown): void {
        if (!dead) super.postMessage(message);
      }
    }
    const dyingLocks: typeof locks = {
      ...locks,
      request: (name, options, callback) =>
        locks.request(name, options, (lock) =>
          Promise.race([Promise.resolve(callback(lock)), crashed]),
        ),
    };
    const tab = (own: { locks: typeof locks; channel?: typeof BroadcastChannel }) => {
      const sync = createBalanceSync({
        fetchBalance: async () => {
          requests++;
          return { balance: 10 + requests, version: requests };
        },
        userId: 'u1',
        keyPrefix: 'r5',
        cache: [memoryCache()],
        logger: recordingLogger(),
        dedupeMs: 100,
        sources: [
          crossTabSource({
            locks: () => own.locks,
            ...(own.channel === undefined ? {} : { broadcastChannel: () => own.channel }),
            push: push.source,
            // Far longer than the test: only the hand-over can make a follower stop trusting.
            connectionHeartbeatMs: 60_000,
          }),
        ],
      });
      running.push(sync);
      return sync;
    };
    const first = tab({ locks: dyingLocks, channel: DyingChannel });
    first.start();
    await waitFor(() => live(first));
    const [second, third] = [tab({ locks }), tab({ locks })];
    second.start();
    third.start();
    await waitFor(() => live(second) && live(third));
    const thirdSocket: unknown[] = ['live'];
    const watch = third.actor.subscribe((snapshot) => {
      const value = snapshot.value as { running?: { socket?: unknown } };
      if (thirdSocket.at(-1) !== value.running?.socket) thirdSocket.push(value.running?.socket);
    });
    const before = requests;
    dead = true;
    crash();
    await waitFor(() => push.subscriptions() === 2);
    // The third tab heard the gap, then the new leader's connection.
    await waitFor(() => thirdSocket.includes('offline') && live(third));
    watch.unsubscribe();
    expect(thirdSocket.slice(0, 3)).toEqual(['live', 'offline', 'live']);
    // What was pushed in the gap is caught up by one request, made by the new leader only.
    await waitFor(() => third.getSnapshot().balance === 10 + requests && requests > before);
    expect(requests - before).toBe(1);
  });
});
