/**
 * The named vocabulary of the balance chart: guards, delays, pure assigns, and the I/O hooks
 * (actors and effect actions) that the core swaps in with `.provide()`. The defaults here do
 * no I/O, so the machine runs on its own in the inspector, in graph tests and in docs.
 */
import { and, assign, fromPromise, not, or, setup, stateIn } from 'xstate';
import type {
  BalanceContext,
  BalanceInput,
  FetchedBalance,
  HydratedValue,
  ValueSource,
} from './context.js';
import { preloadedFor } from './context.js';
import type { MachineEvent, PushedBalance } from './events.js';
import { landed, maxVersion, rejectionOfPush } from './landing.js';
import {
  backoffDelay,
  clampDelay,
  intervalDelay,
  isExpired,
  isResponseOvertaken,
  isWithinDedupe,
  MAX_TIMER_MS,
} from './policy.js';

export interface ReadCacheInput {
  userId: string;
}
export interface FetchBalanceInput {
  userId: string;
  skipCache: boolean;
}
export interface InvalidateAllInput {
  userId: string | null;
  reason: string | null;
  scope: 'all' | 'local';
}
export interface RejectionParams {
  reason: string;
  input: string;
}

export const balanceSetup = setup({
  types: {
    context: {} as BalanceContext,
    events: {} as MachineEvent,
    input: {} as BalanceInput,
  },
  actors: {
    readCache: fromPromise<HydratedValue | null, ReadCacheInput>(async () => null),
    fetchBalance: fromPromise<FetchedBalance, FetchBalanceInput>(async () => {
      throw new Error('fetchBalance was not provided');
    }),
    invalidateAll: fromPromise<unknown, InvalidateAllInput>(async () => undefined),
  },
  guards: {
    hasUser: ({ context }) => context.userId !== null,
    isSameUser: ({ context, event }) =>
      (event.type === 'USER.CHANGED' || event.type === 'TAB.USER_CHANGED') &&
      event.userId === context.userId,
    isSignOut: ({ event }) =>
      (event.type === 'USER.CHANGED' || event.type === 'TAB.USER_CHANGED') && event.userId === null,
    isForCurrentUser: ({ context, event }) =>
      'userId' in event && event.userId === context.userId && context.userId !== null,
    startsOffline: ({ context }) => context.startsOffline,
    startsHidden: ({ context }) => context.startsHidden,
    isOnline: stateIn('#balance.network.online'),
    isVisible: stateIn('#balance.visibility.visible'),
    socketLive: stateIn('#balance.socket.live'),
    isFollower: stateIn('#balance.tab.follower'),
    isLocalInvalidation: ({ context }) => context.invalidationScope === 'local',
    socketTrusted: ({ context }) => context.config.invalidateOnSocket,
    /** The socket vouches for the in-memory value only while it is live and trusted. */
    socketVouches: and(['socketLive', 'socketTrusted']),
    valueExpired: and([
      ({ context }) => isExpired(context.value, context.now()),
      not('socketVouches'),
    ]),
    /** A TTL longer than a timer can wait (~24.8 days, or Infinity): its timer fires early and re-arms. */
    longTtl: ({ context }) =>
      context.value !== null && context.value.expiresAt - context.value.timestamp > MAX_TIMER_MS,
    ttlTimerCutShort: and(['longTtl', ({ context }) => !isExpired(context.value, context.now())]),
    /**
     * The TTL timer fired: that much time really passed (timers are monotonic), even if the wall
     * clock was moved back meanwhile; only a live socket, or a cut-short long TTL, keeps it fresh.
     */
    ttlElapsed: or([
      'valueExpired',
      and([({ context }) => context.value !== null, not('socketVouches'), not('longTtl')]),
    ]),
    outsideDedupe: ({ context }) => !isWithinDedupe(context, context.now()),
    insideDedupe: ({ context }) => isWithinDedupe(context, context.now()),
    skipCache: ({ event }) => event.type === 'REFRESH' && event.skipCache === true,
    pollingEnabled: ({ context }) => context.config.refreshIntervalMs > 0,
    revalidatePending: ({ context }) => context.revalidatePending,
    revalidatesOnFocus: and([
      ({ context }) => context.config.revalidateOnFocus,
      not('socketVouches'),
      'isOnline',
      'outsideDedupe',
    ]),
    focusDeduped: and([({ context }) => context.config.revalidateOnFocus, 'insideDedupe']),
    /** One tab polls for all: the leader, or a tab that is alone. */
    mayPoll: and([
      'pollingEnabled',
      not('socketVouches'),
      'isOnline',
      'isVisible',
      not('isFollower'),
    ]),
    mayPollWhileConnected: and([
      ({ context }) => context.config.socketRefreshIntervalMs > 0,
      'socketVouches',
      'isOnline',
      'isVisible',
      not('isFollower'),
    ]),
    /** A follower leaves TTL revalidation to the leader, for a grace period (see `leaderGrace`). */
    mayRevalidate: or([
      and(['isOnline', 'isVisible', not('isFollower')]),
      and(['isOnline', ({ context }) => context.revalidatePending]),
    ]),
    mayRevalidateAfterGrace: and(['isOnline', 'isVisible']),
    owesRevalidation: and(['revalidatePending', 'isOnline']),
    /** `attempts` counts retries after the first failure, as in TanStack Query's `retry`. */
    mayRetry: and([
      ({ context }) => context.retryAttempt <= context.config.retry.attempts,
      'isOnline',
    ]),
    hydratedFresh: ({ context }, { hit }: { hit: HydratedValue | null }) =>
      hit !== null && !isExpired(hit.value, context.now()),
    hydratedShowable: ({ context }, { hit }: { hit: HydratedValue | null }) =>
      hit !== null && context.now() - hit.value.timestamp <= context.config.maxStaleMs,
    acceptsPush: ({ context, event }) => rejectionOfPush(context, event) === null,
    responseNotOvertaken: ({ context }, { response }: { response: FetchedBalance }) =>
      !isResponseOvertaken(context, response),
  },
  delays: {
    // A timer that cannot apply (no value, polling off) waits "forever" (the longest timer
    // allowed) instead of firing at once on every entry for nothing.
    // Never longer than one TTL from now: after the wall clock moved back, `expiresAt - now`
    // would trust the value for as long as the jump.
    ttl: ({ context }) =>
      context.value === null
        ? MAX_TIMER_MS
        : clampDelay(Math.min(context.value.expiresAt - context.now(), context.config.ttlMs)),
    pollInterval: ({ context }) => intervalDelay(context.config.refreshIntervalMs),
    socketPollInterval: ({ context }) => intervalDelay(context.config.socketRefreshIntervalMs),
    /**
     * How long a follower waits for the leader's value before fetching itself: a hidden
     * leader's throttled timers must not delay what a visible follower shows.
     */
    leaderGrace: ({ context }) => Math.max(1_000, context.config.dedupeMs),
    backoff: ({ context }) =>
      backoffDelay(context.config.retry, context.retryAttempt, context.random()),
  },
  actions: {
    // Effects: no-ops here, implemented by the core (src/core/machine-effects.ts).
    persistValue: (_, _params: { skipLayer: ValueSource | null }) => {},
    purgeUser: (_, _params: { userId: string | null }) => {},
    notifyForeignCaches: () => {},
    noteRejected: (_, _params: RejectionParams) => {},
    noteDeduped: (_, _params: { trigger: string }) => {},
    noteDiscarded: () => {},

    resetForUser: assign(({ context, event }) => {
      const userId = 'userId' in event ? (event.userId ?? null) : null;
      const preloaded = event.type === 'USER.CHANGED' ? (event.preloaded ?? null) : null;
      return {
        userId,
        ...preloadedFor(userId, preloaded),
        error: null,
        retryAttempt: 0,
        optimistic: [],
        revalidatePending: false,
        lastFetchStartedAt: null,
        skipCacheRequested: false,
        versionFloor: null,
        // Keep the logical clock running: it orders everything this actor ever saw.
        seq: context.seq + 1,
      };
    }),
    requestCatchUp: assign({ revalidatePending: true }),
    requestSkipCache: assign({ skipCacheRequested: true }),
    noteTabFetch: assign(({ context }) => ({ lastFetchStartedAt: context.now() })),
    startFetch: assign(({ context }) => ({
      lastFetchStartedAt: context.now(),
      seq: context.seq + 1,
      fetchStartedSeq: context.seq + 1,
      revalidatePending: false,
    })),
    finishFetch: assign({ skipCacheRequested: false }),
    storeHydrated: assign(({ context }, { hit }: { hit: HydratedValue | null }) =>
      hit === null
        ? {}
        : {
            value: hit.value,
            source: hit.source,
            versionFloor: maxVersion(context.versionFloor, hit.value.version),
          },
    ),
    storeResponse: assign(({ context }, { response }: { response: FetchedBalance }) => ({
      ...landed(context, response, 'network', context.fetchStartedSeq),
      retryAttempt: 0,
      // The server is the source of truth: its answer resets the floor, even downwards.
      versionFloor: response.version,
    })),
    storePush: assign(({ context, event }) => {
      const push = event as PushedBalance;
      const version = push.version ?? null;
      return {
        ...landed(context, push, event.type === 'TAB.BALANCE' ? 'tab' : 'socket', context.seq + 1),
        versionFloor: maxVersion(context.versionFloor, version),
      };
    }),
    storeError: assign(({ context }, { error }: { error: unknown }) => {
      return {
        retryAttempt: context.retryAttempt + 1,
        error: {
          kind:
            error instanceof Error && error.name === 'BalanceValidationError'
              ? ('validation' as const)
              : ('fetch' as const),
          message: error instanceof Error ? error.message : String(error),
          at: context.now(),
        },
      };
    }),
    beginInvalidation: assign(({ context, event }) => ({
      invalidationReason: event.type === 'INVALIDATE' ? (event.reason ?? null) : 'other tab',
      invalidationScope: event.type === 'INVALIDATE' ? ('all' as const) : ('local' as const),
      // keepPreviousData: show the old value, expired, while refetching; never across users.
      value:
        context.config.keepPreviousData && context.value !== null
          ? { ...context.value, expiresAt: Math.min(context.value.expiresAt, context.now()) }
          : null,
      source: context.config.keepPreviousData ? context.source : null,
      optimistic: context.config.keepPreviousData ? context.optimistic : [],
    })),
    addOptimistic: assign(({ context, event }) =>
      event.type === 'OPTIMISTIC.APPLY'
        ? {
            optimistic: [
              ...context.optimistic,
              { id: event.id, delta: event.delta, settledAtSeq: null },
            ],
          }
        : {},
    ),
    settleOptimistic: assign(({ context, event }) => {
      if (event.type !== 'OPTIMISTIC.SETTLE') return {};
      // A commit from before a user switch settles into nothing.
      if (!context.optimistic.some((entry) => entry.id === event.id)) return {};
      if (!event.ok) {
        return { optimistic: context.optimistic.filter((entry) => entry.id !== event.id) };
      }
      const seq = context.seq + 1;
      return {
        seq,
        revalidatePending: true,
        optimistic: context.optimistic.map((entry) =>
          entry.id === event.id ? { ...entry, settledAtSeq: seq } : entry,
        ),
      };
    }),
  },
});

export { rejectionOfPush } from './landing.js';
