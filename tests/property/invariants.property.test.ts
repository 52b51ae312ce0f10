/**
 * Property test: random interleavings of focus, pushes, user switches, refresh/invalidate,
 * responses landing in random order (or failing), optimistic updates and time, driving the
 * real createBalanceSync and real cache layers. All seven SPEC invariants are checked after
 * every step and on every state a subscriber was shown. FC_RUNS / FC_SEED replay or widen it.
 */
import fc from 'fast-check';
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BalanceEvent } from '../../machines/events.js';
import { indexedDbCache } from '../../src/cache/indexed-db.js';
import { localStorageCache } from '../../src/cache/local-storage.js';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { silentLogger } from '../../src/core/logger.js';
import type { BalanceState } from '../../src/types.js';
import { FakeServer } from '../helpers/fake-server.js';
import { mulberry32 } from '../helpers/seeded-random.js';
import { type Action, actionArb, badInputs, type User } from './actions.js';

// 10,000 sequences per CI run (about a minute); `npm run fuzz` runs ~1,000,000 steps.
const runs = Number(process.env.FC_RUNS ?? 10_000);
// Printed on every run, so any run can be replayed with FC_SEED.
const seed =
  process.env.FC_SEED === undefined ? Date.now() % 2_147_483_647 : Number(process.env.FC_SEED);
const scope = { keyPrefix: 'tokenBalanceCache' };
const TTL = 30_000;
const DEDUPE = 1_000;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});
let databases = 0;

/** Everything settles on the fake clock, IndexedDB included (setImmediate is faked too). */
async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await vi.advanceTimersByTimeAsync(0);
}

/** Awaits a promise whose progress needs the fake clock (IndexedDB, target timeouts). */
async function whileTicking<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  for (let i = 0; i < 200 && !done; i++) await vi.advanceTimersByTimeAsync(i < 100 ? 0 : 50);
  return tracked;
}

/** Totals over all runs, printed at the end so a vacuous run is visible. */
const totals = { runs: 0, steps: 0, requests: 0, statesShown: 0, withIndexedDb: 0 };

/**
 * Each user's balances live near a base a million apart (u1 1,000,100, u2 2,000,100): pending
 * debits (up to 40 steps of at most 20) may take one a little below its base, never near another.
 */
const belongsTo = (balance: number | null, userId: string | null): boolean =>
  balance === null ||
  (userId !== null && Math.round(balance / 1_000_000) * 1_000_000 === FakeServer.baseFor(userId));

async function runScenario(
  actions: Action[],
  withIndexedDb: boolean,
  randomSeed: number,
): Promise<void> {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date'],
    now: Date.UTC(2026, 10, 24, 12),
  });
  // The backoff jitter follows the run's seed, so FC_SEED (and FC_PATH) replay a run exactly.
  vi.spyOn(Math, 'random').mockImplementation(mulberry32(randomSeed));
  localStorage.clear();
  const server = new FakeServer();
  const layers = {
    memory: memoryCache(),
    localStorage: localStorageCache(),
    indexedDB: indexedDbCache({ dbName: `prop-${++databases}` }),
  };
  const socket = new Subject<BalanceEvent>();
  const sync = createBalanceSync({
    fetchBalance: server.fetchBalance,
    cache: withIndexedDb
      ? [layers.memory, layers.localStorage, layers.indexedDB]
      : [layers.memory, layers.localStorage],
    logger: silentLogger,
    sources: [socket],
    ttlMs: TTL,
    dedupeMs: DEDUPE,
    targetTimeoutMs: 2_000,
  });
  const swr = vi.fn();
  sync.addInvalidationTarget('swr', swr);
  sync.addInvalidationTarget('broken', () => {
    throw new Error('broken target');
  });

  let current: User | null = 'u1';
  let socketUp = false;
  let requestsBeforeReset = 0;
  const shown: { state: BalanceState; current: User | null }[] = [];
  const highestVersion = new Map<string, number>();
  const failures: string[] = [];
  const fail = (message: string) => failures.push(message);
  sync.subscribe((state) => {
    totals.statesShown++;
    shown.push({ state, current });
  });

  const checkShown = () => {
    for (const { state, current: expected } of shown.splice(0)) {
      // 1. Isolation: not for one render.
      if (state.userId !== expected)
        fail(`1: state of ${state.userId} while ${expected} is current`);
      if (!belongsTo(state.balance, state.userId))
        fail(`1: ${state.balance} shown to ${state.userId}`);
      // 2. Monotonic within a session (the fake server's versions only grow).
      if (state.userId !== null && state.version !== null) {
        const highest = highestVersion.get(state.userId) ?? 0;
        if (state.version < highest) fail(`2: version ${state.version} after ${highest}`);
        highestVersion.set(state.userId, Math.max(highest, state.version));
      }
    }
  };

  const checkNow = async () => {
    checkShown();
    const state = sync.getSnapshot();
    // 3. Bounded staleness: past its TTL a value is fresh only while a live socket vouches.
    if (state.balance !== null && !state.isStale && !socketUp) {
      if (state.expiresAt !== null && Date.now() >= state.expiresAt) {
        fail(`3: reported fresh ${Date.now() - state.expiresAt} ms after expiry (${state.status})`);
      }
    }
    // 4. Dedupe: one request in flight per user per tab.
    if (server.maxInFlightPerUser > 1) fail(`4: ${server.maxInFlightPerUser} requests in flight`);
    // 1. Persisted reads never expose another user.
    for (const user of ['u1', 'u2'] as const) {
      const stored = JSON.parse(localStorage.getItem(`tokenBalanceCache_${user}`) ?? 'null');
      if (
        stored !== null &&
        (stored.data.userId !== user || !belongsTo(stored.data.balance, user))
      ) {
        fail(`1: localStorage entry of ${user} holds ${JSON.stringify(stored.data)}`);
      }
    }
  };

  const step = async (action: Action) => {
    switch (action.kind) {
      case 'focus':
      case 'visible': {
        const before = server.count;
        const last = server.last();
        const wasCached = sync.getSnapshot().status === 'cached';
        sync.send({ type: action.kind.toUpperCase() as 'FOCUS' });
        // 4. Dedupe: inside dedupeMs of this user's last request, focus costs nothing.
        const inside =
          last !== undefined &&
          last.id > requestsBeforeReset &&
          last.userId === current &&
          Date.now() - last.at < DEDUPE;
        if (inside && wasCached && server.count !== before)
          fail('4: focus inside dedupeMs started a request');
        break;
      }
      case 'hidden':
      case 'online':
      case 'offline':
        sync.send({ type: action.kind.toUpperCase() as 'HIDDEN' });
        break;
      case 'socketUp':
        socketUp = true;
        socket.next({ type: 'SOCKET.CONNECTED' });
        break;
      case 'socketDown':
        socketUp = false;
        socket.next({ type: 'SOCKET.DISCONNECTED' });
        break;
      case 'serverChange': {
        const next = server.change(action.user, -3);
        if (action.push)
          socket.next({ type: 'SOCKET.BALANCE_UPDATED', userId: action.user, ...next });
        break;
      }
      case 'stalePush': {
        const { balance, version } = server.valueOf(action.user);
        socket.next({
          type: 'SOCKET.BALANCE_UPDATED',
          userId: action.user,
          balance,
          version: version - 1,
        });
        break;
      }
      case 'badInput': {
        const before = sync.getSnapshot();
        sync.send(badInputs(current)[action.which] as BalanceEvent);
        // 6. Bad input is never shown and changes nothing.
        if (sync.getSnapshot() !== before) fail(`6: bad input #${action.which} changed the state`);
        break;
      }
      case 'socketInvalidate':
        socket.next({ type: 'SOCKET.INVALIDATE', userId: action.user });
        break;
      case 'switchUser':
        // Invariant 2 holds within a session: a sign-out or switch purges what the tab knew.
        if (action.user !== current) {
          highestVersion.clear();
          requestsBeforeReset = server.count;
        }
        current = action.user;
        sync.setUser(action.user);
        // setUser is synchronous.
        if (sync.getSnapshot().userId !== action.user) fail('setUser was not synchronous');
        break;
      case 'refresh':
        void sync.refresh({ skipCache: action.skipCache });
        break;
      case 'invalidate': {
        // A request started before an invalidation is moot: it does not open a dedupe window.
        requestsBeforeReset = server.count;
        const userId = current;
        const calls = swr.mock.calls.length;
        const report = await whileTicking(sync.invalidate({ reason: 'property' }));
        // 5. Invalidation is total: no layer can serve the old value; failures are reported.
        if (userId !== null) {
          if (layers.memory.read(userId, scope) !== null) fail('5: memory still holds the value');
          if (localStorage.getItem(`tokenBalanceCache_${userId}`) !== null)
            fail('5: localStorage still holds it');
          const idbEntry = withIndexedDb
            ? await whileTicking(Promise.resolve(layers.indexedDB.read(userId, scope)))
            : undefined;
          if (idbEntry !== undefined) {
            fail('5: IndexedDB still holds it');
          }
        }
        if (swr.mock.calls.length <= calls) fail('5: target not called');
        const broken = report.targets.find((target) => target.name === 'broken');
        if (broken?.ok !== false || report.targets.find((t) => t.name === 'swr')?.ok !== true) {
          fail('5: report does not tell the failing target from the working one');
        }
        break;
      }
      case 'respond': {
        const open = server.inFlight();
        const request = open[action.pick % Math.max(1, open.length)];
        if (request === undefined) break;
        const before = sync.getSnapshot();
        if (action.ok) request.resolve();
        else request.reject();
        await settle();
        const after = sync.getSnapshot();
        // 6. Nothing lost: a failed fetch keeps the last good value, stale, with the error.
        if (
          !action.ok &&
          before.userId === after.userId &&
          before.balance !== null &&
          before.status === 'fetching'
        ) {
          if (after.balance === null) fail('6: failed fetch dropped the last good value');
          if (after.error === null || !after.isStale)
            fail('6: failed fetch not reported as stale + error');
        }
        break;
      }
      case 'advance':
        await vi.advanceTimersByTimeAsync(action.ms);
        break;
      case 'optimistic': {
        const commit = action.commits ? Promise.resolve() : Promise.reject(new Error('declined'));
        sync.applyOptimistic(action.delta, commit);
        break;
      }
    }
    await settle();
  };

  try {
    sync.setUser(current);
    sync.start();
    await settle();
    await checkNow();
    for (const action of actions) {
      totals.steps++;
      await step(action);
      await checkNow();
    }
    // 7. Clean teardown: no subscriptions; nothing happens afterwards; and no timers at all
    //    (fake-indexeddb keeps an internal task of its own alive, so that count is exact
    //    only in runs without it).
    sync.stop();
    await settle();
    if (socket.observed) fail('7: source still subscribed after stop()');
    if (!withIndexedDb && vi.getTimerCount() !== 0)
      fail(`7: ${vi.getTimerCount()} timers left after stop()`);
    const requests = server.count;
    const stateAfterStop = sync.getSnapshot();
    shown.length = 0;
    await vi.advanceTimersByTimeAsync(2 * 86_400_000);
    // Only time may change what a stopped sync reports (its value expires, then is not shown).
    const later = sync.getSnapshot();
    const sameOrAged =
      later.status === 'idle' &&
      later.userId === stateAfterStop.userId &&
      (later.balance === null || later.balance === stateAfterStop.balance);
    if (server.count !== requests || shown.length > 0 || !sameOrAged) {
      fail('7: the sync still acted after stop()');
    }
  } finally {
    sync.stop();
    vi.useRealTimers();
    totals.runs++;
    totals.requests += server.count;
    if (withIndexedDb) totals.withIndexedDb++;
  }
  expect(failures).toEqual([]);
}

describe('SPEC invariants under random interleavings', () => {
  it(`hold for ${runs} random runs of up to 40 steps`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(actionArb, { minLength: 10, maxLength: 40, size: 'max' }),
        fc.boolean(),
        fc.integer({ min: 1, max: 2_147_483_646 }),
        runScenario,
      ),
      // FC_PATH (printed with a failure) replays exactly the failing case with its FC_SEED.
      {
        numRuns: runs,
        seed,
        verbose: 1,
        ...(process.env.FC_PATH === undefined ? {} : { path: process.env.FC_PATH }),
      },
    );
    console.info(`property: seed ${seed} ${JSON.stringify(totals)}`);
    expect(totals.steps).toBeGreaterThan(runs * 10);
  }, 1_800_000);
});
