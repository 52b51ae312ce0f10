import { type Actor, createActor } from 'xstate';
import { amountProblem } from '../../machines/amounts.js';
import type { BalanceMachine } from '../../machines/balance.machine.js';
import type { BalanceEvent } from '../../machines/events.js';
import type {
  BalanceListener,
  BalanceState,
  BalanceSync,
  BalanceSyncOptions,
  InvalidationReport,
  InvalidationTarget,
} from '../types.js';
import { readCommitAnswer } from './commit-answer.js';
import { BalanceConfigError } from './errors.js';
import { runInvalidation } from './invalidation.js';
import { describeError, type LayerAccess, settle } from './layer-access.js';
import { provideEffects } from './machine-effects.js';
import { createMetrics, readMetrics } from './metrics.js';
import { resolveOptions } from './options.js';
import { purgeUser } from './persist.js';
import { preloadFresh } from './preload.js';
import { safeLogger } from './safe-logger.js';
import { sameState, selectState, stoppedState } from './select-state.js';
import { isUserId } from './shared.js';
import { createSourceHub } from './source-hub.js';
import { checkEvent, validatePush, whenValid } from './validate.js';

const busyStatuses = new Set(['hydrating', 'fetching', 'invalidated']);

/**
 * Creates the balance sync: one XState actor owning the balance lifecycle, the cache layers
 * behind it and the event sources in front of it.
 *
 * @example
 * const sync = createBalanceSync({
 *   fetchBalance: ({ userId, signal }) =>
 *     fetch(`/api/users/${userId}/balance`, { signal }).then((r) => r.json()),
 *   userId: 'u1',
 * });
 * sync.subscribe((state) => render(state.balance));
 * sync.start();
 */
export function createBalanceSync(options: BalanceSyncOptions): BalanceSync {
  const resolved = resolveOptions(options);
  const logger = safeLogger(resolved.logger);
  const metrics = createMetrics();
  const access: LayerAccess = {
    layers: resolved.layers,
    scope: { keyPrefix: resolved.keyPrefix },
    legacyKeys: resolved.legacyKeys,
    logger,
    metrics,
    ttlMs: resolved.config.ttlMs,
    now: resolved.now,
  };
  const targets = new Map<string, InvalidationTarget>();
  const listeners = new Set<BalanceListener>();
  let userId: string | null = resolved.userId;
  let actor: Actor<BalanceMachine> | null = null;
  let lifetime = new AbortController();
  const hub = createSourceHub({
    sources: resolved.sources,
    keyPrefix: resolved.keyPrefix,
    logger,
    userId,
  });
  let latestInvalidation: Promise<InvalidationReport> | null = null;
  let optimisticIds = 0;
  let state: BalanceState = stoppedState(userId, null, preloadFresh(access, userId));
  let published = state;

  const deps = {
    access,
    targets,
    targetTimeoutMs: resolved.targetTimeoutMs,
    lifetime: () => lifetime.signal,
  };
  const logic = provideEffects({
    ...deps,
    fetchBalance: resolved.fetchBalance,
    requestTimeoutMs: resolved.requestTimeoutMs,
    schema: resolved.schema,
    onInvalidation: (report) => {
      latestInvalidation = report;
    },
    onLocal: (happening) => hub.local(happening),
  });

  /**
   * The state as of now: the machine's snapshot, with freshness judged at read time (a value
   * past its TTL is stale even if no timer fired yet). The same object while nothing changed.
   */
  function read(): BalanceState {
    if (actor === null) return state;
    const next = selectState(actor.getSnapshot(), resolved.now());
    if (!sameState(state, next)) state = next;
    return state;
  }

  /**
   * Tells subscribers about a new state. `lifecycle` (start/stop) notifies even when nothing
   * visible changed: observers of `sync.actor` (devtools) must rebind to the new actor.
   */
  function publish(next: BalanceState, lifecycle = false): void {
    if (sameState(published, next) && !lifecycle) return;
    if (!sameState(state, next)) state = next;
    published = state;
    for (const listener of [...listeners]) {
      try {
        listener(state);
      } catch (error) {
        logger.error('a balance subscriber threw', { error: describeError(error) });
      }
    }
  }

  function reject(input: string, reason: string): void {
    metrics.rejected++;
    logger.warn(`rejected ${input}: ${reason}`);
  }

  function deliver(event: BalanceEvent): void {
    if (actor === null) {
      logger.debug(`ignored ${event.type}: balance sync is not running`);
      return;
    }
    actor.send(event);
  }

  function send(raw: BalanceEvent): void {
    const checked = checkEvent(raw);
    if (!checked.ok) {
      reject('event', checked.reason);
      return;
    }
    const event = checked.value;
    if (event.type.startsWith('SOCKET.')) metrics.socketEvents++;
    if (event.type === 'USER.CHANGED') {
      setUser(event.userId);
      return;
    }
    if (event.type === 'TAB.USER_CHANGED') {
      // Another tab signed in, out or switched: follow it without echoing it back.
      userId = event.userId;
      hub.setUser(userId);
      if (actor === null) publish(stoppedState(userId, state));
    }
    if (event.type === 'SOCKET.BALANCE_UPDATED') {
      const { type, ...payload } = event;
      whenValid(
        validatePush(payload, resolved.schema),
        (push) => deliver({ type, ...push }),
        (reason) => reject(type, reason),
      );
      return;
    }
    if (event.type === 'SOCKET.CONNECTED' && event.hello !== undefined) {
      const { hello, ...connected } = event;
      // A hello that fails validation only costs the catch-up request it would have spared.
      whenValid(
        validatePush(hello, resolved.schema),
        (value) => deliver({ ...connected, hello: value }),
        (reason) => {
          reject('hello', reason);
          deliver(connected);
        },
      );
      return;
    }
    deliver(event);
  }

  function setUser(requested: string | null | undefined): void {
    // `undefined` signs out, as `session?.userId` writes it at sign-out (SPEC).
    const next = requested ?? null;
    if (next !== null && !isUserId(next)) {
      reject('setUser', 'userId is neither a non-empty string, null nor undefined');
      return;
    }
    if (next === userId) return;
    const previous = userId;
    userId = next;
    hub.setUser(next);
    hub.local({ type: 'user', userId: next });
    const preloaded = preloadFresh(access, next);
    if (actor !== null) {
      actor.send({ type: 'USER.CHANGED', userId: next, preloaded });
      return;
    }
    if (next === null && previous !== null) void purgeUser(access, previous);
    publish(stoppedState(next, state, preloaded));
  }

  function whenSettled(): Promise<BalanceState> {
    const forUser = state.userId;
    return new Promise((resolve) => {
      const check = (): void => {
        if (actor !== null && busyStatuses.has(state.status) && state.userId === forUser) return;
        listeners.delete(check);
        resolve(state);
      };
      listeners.add(check);
      check();
    });
  }

  function start(): void {
    if (actor !== null) return;
    lifetime = new AbortController();
    for (const layer of access.layers) {
      void settle(
        () => layer.clearLegacy(access.legacyKeys),
        (error) =>
          logger.warn(`legacy key removal failed (${layer.name})`, { error: describeError(error) }),
      );
    }
    const created = createActor(logic, {
      input: {
        config: resolved.config,
        userId,
        now: resolved.now,
        preloaded: preloadFresh(access, userId),
      },
      ...(resolved.inspect === undefined ? {} : { inspect: resolved.inspect }),
    });
    actor = created;
    created.subscribe({
      next: (snapshot) => {
        if (actor === created) publish(selectState(snapshot));
      },
      error: (error) => logger.error('balance machine failed', { error: describeError(error) }),
    });
    created.start();
    publish(selectState(created.getSnapshot()), true);
    hub.start(send);
  }

  function stop(): void {
    if (actor === null) return;
    hub.stop();
    const stopping = actor;
    actor = null;
    stopping.stop();
    lifetime.abort();
    publish(stoppedState(userId, state), true);
  }

  return {
    start,
    stop,
    send,
    setUser,
    getSnapshot: read,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    refresh(refreshOptions = {}) {
      if (actor === null) return Promise.resolve(state);
      actor.send({ type: 'REFRESH', skipCache: refreshOptions.skipCache === true });
      return whenSettled();
    },
    invalidate(invalidateOptions = {}) {
      const reason = invalidateOptions.reason ?? null;
      if (actor !== null) {
        latestInvalidation = null;
        actor.send(reason === null ? { type: 'INVALIDATE' } : { type: 'INVALIDATE', reason });
        // The machine's `invalidated` state started the clearing synchronously inside send().
        const started = latestInvalidation as Promise<InvalidationReport> | null;
        if (started !== null) return started;
      }
      return runInvalidation(deps, { userId, reason, scope: 'all' });
    },
    applyOptimistic(delta, commit) {
      const problem = amountProblem(delta);
      const refusal =
        problem !== null
          ? `delta ${problem}`
          : actor === null || userId === null
            ? 'no running sync with a signed-in user'
            : null;
      if (refusal !== null) {
        reject('applyOptimistic', refusal);
        // Observe the commit anyway: refusing must not turn its rejection into an unhandled one.
        Promise.resolve(commit).catch(() => {});
        return;
      }
      const target = actor as Actor<BalanceMachine>;
      const forUser = userId;
      const id = ++optimisticIds;
      target.send({ type: 'OPTIMISTIC.APPLY', id, delta });
      Promise.resolve(commit).then(
        async (result: unknown) => {
          const answer = await readCommitAnswer(result, resolved.schema);
          if (actor === target) {
            target.send({ type: 'OPTIMISTIC.SETTLE', id, ok: true, userId: forUser, answer });
          }
        },
        (error: unknown) => {
          logger.warn('optimistic update rolled back', { error: describeError(error) });
          if (actor === target) {
            target.send({ type: 'OPTIMISTIC.SETTLE', id, ok: false, userId: forUser });
          }
        },
      );
    },
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
    get actor() {
      return actor;
    },
  };
}
