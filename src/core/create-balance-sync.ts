import { distinctUntilChanged, Observable, Subject } from 'rxjs';
import { createActor } from 'xstate';
import type { LocalHappening } from '../sources/types.js';
import type {
  BalanceState,
  BalanceSync,
  BalanceSyncOptions,
  InvalidationTarget,
} from '../types.js';
import { BalanceConfigError } from './errors.js';
import { createInbox } from './inbox.js';
import { initialValue, newerOf, renderedAt, serverState } from './initial-data.js';
import { type LayerAccess, settle } from './layer-access.js';
import { provideEffects } from './machine-effects.js';
import { createMetrics, readMetrics } from './metrics.js';
import { createOptimisticDebits } from './optimistic-debit.js';
import { resolveOptions } from './options.js';
import { preloadFresh, sharedStorageDisowns } from './preload.js';
import { safeInspect } from './safe-inspect.js';
import { sameState } from './select-state.js';
import { describeError, isUserId } from './shared.js';
import { createSnapshotStore } from './snapshot-store.js';
import { createSourceHub } from './source-hub.js';

const busyStatuses = new Set(['hydrating', 'fetching', 'invalidated']);

/**
 * Creates the balance sync: one XState actor, alive for the sync's whole life, owning the
 * balance lifecycle, the cache layers behind it and the event sources in front of it.
 * `start()` and `stop()` are events of that actor.
 *
 * @example
 * ```ts
 * import { createBalanceSync } from 'balance-sync';
 *
 * const sync = createBalanceSync({
 *   fetchBalance: ({ userId, signal }) =>
 *     fetch(`/api/users/${userId}/balance`, { signal }).then((r) => r.json()),
 *   userId: 'u1',
 * });
 * sync.subscribe((state) => console.log(state.balance));
 * sync.start();
 * ```
 */
export function createBalanceSync(options: BalanceSyncOptions): BalanceSync {
  const resolved = resolveOptions(options);
  const logger = resolved.logger;
  // Not thrown: an app may pass a wider config object; but `ttl: 5000` must not pass unseen.
  for (const option of resolved.unknownOptions) logger.warn('unknown option ignored', { option });
  const metrics = createMetrics(resolved.layers);
  const access: LayerAccess = {
    layers: resolved.layers,
    scope: { keyPrefix: resolved.keyPrefix },
    legacyKeys: resolved.legacyKeys,
    logger,
    metrics,
    ttlMs: resolved.config.ttlMs,
    now: resolved.now,
    pending: new Map(),
    unwritten: new Map(),
  };
  const targets = new Map<string, InvalidationTarget>();
  const local = new Subject<LocalHappening>();
  // The user lives in the machine's context only; sources follow it from there.
  const user$ = new Observable<string | null>((subscriber) => {
    subscriber.next(actor.getSnapshot().context.userId);
    const subscription = actor.subscribe((snapshot) => subscriber.next(snapshot.context.userId));
    return () => subscription.unsubscribe();
  }).pipe(distinctUntilChanged());
  const hub = createSourceHub({
    sources: resolved.sources,
    keyPrefix: resolved.keyPrefix,
    logger,
    now: resolved.now,
    user$,
    local$: local.asObservable(),
  });
  const inbox = createInbox({
    schema: resolved.schema,
    logger,
    metrics,
    deliver: (event) => actor.send(event),
  });
  const logic = provideEffects({
    access,
    options: resolved,
    targets,
    targetTimeoutMs: resolved.targetTimeoutMs,
    hub,
    send: (event) => inbox.send(event),
    local,
  });
  const actor = createActor(logic, {
    input: {
      config: resolved.config,
      userId: resolved.userId,
      now: resolved.now,
      // The app's own clock is its own monotonic clock too; otherwise the page's.
      ...(resolved.ownClock || typeof performance === 'undefined'
        ? {}
        : { elapsed: () => performance.now() }),
      preloaded: newerOf(
        preloadFresh(access, resolved.userId),
        initialValue(resolved.initialData, resolved.userId, resolved.now(), resolved.config.ttlMs),
      ),
    },
    ...(resolved.inspect === undefined ? {} : { inspect: safeInspect(resolved.inspect, logger) }),
  });
  const store = createSnapshotStore(actor, resolved.now, logger);
  actor.start();
  const applyOptimistic = createOptimisticDebits({
    actor,
    schema: resolved.schema,
    logger,
    reject: inbox.reject,
  });
  let invalidationRequests = 0;
  let startedBefore = false;
  let serverSnapshot = serverState(undefined, null, resolved.config, resolved.now(), null);

  function setUser(requested: string | null | undefined): void {
    // `undefined` signs out, as `session?.userId` writes it at sign-out (SPEC).
    const userId = requested ?? null;
    if (userId !== null && !isUserId(userId)) {
      inbox.reject('setUser', 'userId is neither a non-empty string, null nor undefined');
      return;
    }
    if (userId === store.currentUser()) return;
    store.changeUser({ type: 'USER.CHANGED', userId, preloaded: preloadFresh(access, userId) });
  }

  /**
   * The state once nothing is loading: the request `refresh()` shared or started has settled
   * (or was given up for a new user, whose own load is then awaited), or the sync stopped.
   */
  function whenSettled(resolve: (state: BalanceState) => void): void {
    const unsubscribe = store.subscribe(check);
    function check(state: BalanceState): void {
      if (busyStatuses.has(state.status)) return;
      unsubscribe();
      resolve(state);
    }
    check(store.read());
  }

  return {
    actor,
    start() {
      if (!store.isStopped()) return;
      for (const layer of access.layers) {
        void settle(
          () => layer.clearLegacy(access.legacyKeys),
          (error) =>
            logger.warn(`legacy key removal failed (${layer.name})`, {
              error: describeError(error),
            }),
        );
      }
      // A restart: what the actor knew may have been removed or replaced by another tab (a
      // stopped sync hears no tab); the storage the tabs share tells.
      const { userId, value } = actor.getSnapshot().context;
      const forget =
        startedBefore &&
        userId !== null &&
        value !== null &&
        sharedStorageDisowns(access, userId, value) === true;
      startedBefore = true;
      store.start(forget);
    },
    stop() {
      // Events still waiting for an async schema came from connections that stop ends.
      inbox.forget();
      store.stop();
    },
    send: inbox.send,
    setUser,
    getSnapshot: store.read,
    getServerSnapshot() {
      // The initial data belongs to the initial user only. Judged as of each call (a sync created
      // at module scope serves many server renders: its value ages), and the same object while
      // nothing in it changed.
      const userId = actor.getSnapshot().context.userId;
      const data = userId === resolved.userId ? resolved.initialData : undefined;
      const now = resolved.now();
      const next = serverState(
        data,
        userId,
        resolved.config,
        now,
        renderedAt(now, resolved.ownClock),
      );
      if (!sameState(serverSnapshot, next)) serverSnapshot = next;
      return serverSnapshot;
    },
    subscribe: store.subscribe,
    refresh(refreshOptions = {}) {
      const event = { type: 'REFRESH', skipCache: refreshOptions?.skipCache === true } as const;
      // Judged once the actor has processed the refresh: a call from a listener is queued.
      return new Promise((resolve) => store.sendThen(event, () => whenSettled(resolve)));
    },
    invalidate(invalidateOptions = {}) {
      const requestId = ++invalidationRequests;
      const report = new Promise<Awaited<ReturnType<BalanceSync['invalidate']>>>((resolve) => {
        const subscription = actor.on('invalidated', (emitted) => {
          if (emitted.requestId !== requestId) return;
          subscription.unsubscribe();
          resolve(emitted.report);
        });
      });
      // Called from plain JS with null, it is a call with no options, not a TypeError in the app.
      const reason = invalidateOptions?.reason;
      actor.send(
        reason === undefined
          ? { type: 'INVALIDATE', requestId }
          : { type: 'INVALIDATE', reason, requestId },
      );
      return report;
    },
    applyOptimistic,
    addInvalidationTarget(name, target) {
      if (typeof name !== 'string' || typeof target !== 'function') {
        throw new BalanceConfigError('addInvalidationTarget', '(name: string, fn: function)');
      }
      if (targets.has(name)) logger.warn(`invalidation target ${name} replaced`);
      targets.set(name, target);
      return () => {
        if (targets.get(name) === target) targets.delete(name);
      };
    },
    metrics: () => readMetrics(metrics),
  };
}
