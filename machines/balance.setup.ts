/**
 * The named vocabulary of the balance chart: guards, assigns, and the I/O hooks (actors and
 * effect actions) that the core swaps in with `.provide()`. The default actors
 * (./default-actors.ts) and effects here do no I/O, so the machine runs on its own in the
 * inspector, in graph tests and in docs. Context updates are plain functions in ./assigns.ts;
 * delays in ./delays.ts; ordering and freshness rules in ./ordering.ts, ./policy.ts.
 */
import {
  type AnyActorRef,
  and,
  assign,
  emit,
  not,
  or,
  setup,
  spawnChild,
  stateIn,
  stopChild,
} from 'xstate';
import {
  emptyReport,
  type FetchBalanceInput,
  type InvalidationInput,
  type ReadCacheInput,
  type RejectionParams,
} from './actor-inputs.js';
import * as update from './assigns.js';
import type {
  BalanceContext,
  BalanceInput,
  FetchedBalance,
  HydratedValue,
  ValueSource,
} from './context.js';
import { defaultActors } from './default-actors.js';
import { timerDelays } from './delays.js';
import type { BalanceEmitted, MachineEvent } from './events.js';
import { pushVerdict, responseVerdict } from './landing.js';
import { isExpired, isWithinDedupe, MAX_TIMER_MS } from './policy.js';
import { valueGuards } from './value-guards.js';

type CtxEvent = { context: BalanceContext; event: MachineEvent };

const pushKind = ({ context, event }: CtxEvent) => pushVerdict(context, event)?.kind ?? null;

export const balanceSetup = setup({
  types: {
    context: {} as BalanceContext,
    events: {} as MachineEvent,
    input: {} as BalanceInput,
    emitted: {} as BalanceEmitted,
  },
  actors: defaultActors,
  guards: {
    hasUser: ({ context }) => context.userId !== null,
    ...valueGuards,
    isSameUser: ({ context, event }) =>
      (event.type === 'USER.CHANGED' || event.type === 'TAB.USER_CHANGED') &&
      event.userId === context.userId,
    isSignOut: ({ event }) =>
      (event.type === 'USER.CHANGED' || event.type === 'TAB.USER_CHANGED') && event.userId === null,
    isForCurrentUser: ({ context, event }) =>
      'userId' in event && event.userId === context.userId && context.userId !== null,
    startsOffline: ({ context }) => context.startsOffline,
    startsHidden: ({ context }) => context.startsHidden,
    isOnline: stateIn('#network.online'),
    isVisible: stateIn('#visibility.visible'),
    socketLive: stateIn('#socket.live'),
    isFollower: stateIn('#tab.follower'),
    isCurrentInvalidation: ({ context, event }) =>
      event.type === 'INVALIDATION.LAYERS_CLEARED' && event.id === context.invalidationId,
    isLocalInvalidation: ({ context }) => context.invalidationScope === 'local',
    socketTrusted: ({ context }) => context.config.invalidateOnSocket,
    /** The socket vouches for the in-memory value only while it is live and trusted. */
    socketUp: and(['socketLive', 'socketTrusted']),
    /**
     * A live, trusted socket vouches for the value shown; with no value (never fetched, or
     * dropped past maxStaleMs) there is nothing to vouch for, and focus and polling still fetch.
     * Nor does it vouch before its catch-up lands: a push lost until then is not on screen.
     */
    socketVouches: and([
      'socketUp',
      ({ context }) => context.value !== null && !context.socketUnverified,
    ]),
    /**
     * The maxStale timer fired: that much time really passed since the value was shown (timers
     * are monotonic), even if the wall clock was moved back meanwhile; unless `maxStaleMs` is
     * longer than a timer can wait, so the timer fired early.
     */
    maxStaleElapsed: or([
      valueGuards.valueTooOld,
      ({ context }) => context.value !== null && context.config.maxStaleMs + 1 <= MAX_TIMER_MS,
    ]),
    valueExpired: or([
      valueGuards.valueTooOld,
      and([({ context }) => isExpired(context.value, context.now()), not('socketVouches')]),
    ]),
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
    pollDue: and([
      'pollingEnabled',
      not('socketVouches'),
      'isOnline',
      'isVisible',
      not('isFollower'),
    ]),
    mayPoll: and(['pollDue', 'outsideDedupe']),
    /**
     * A visible follower polls itself when no tab fetched for its user for two intervals: the
     * leader is hidden (it polls only while visible), or signed in as another user. Every
     * fetch another tab starts restarts this timer, so while the leader polls, followers don't.
     */
    followerPollDue: and([
      'pollingEnabled',
      not('socketVouches'),
      'isOnline',
      'isVisible',
      'isFollower',
      'outsideDedupe',
    ]),
    mayPollWhileConnected: and([
      ({ context }) => context.config.socketRefreshIntervalMs > 0,
      'socketVouches',
      'isOnline',
      'isVisible',
      not('isFollower'),
      'outsideDedupe',
    ]),
    /**
     * A follower leaves TTL revalidation to the leader, for a grace period (see `leaderGrace`).
     * Automatic revalidation never starts inside `dedupeMs` of the last request, whatever the
     * options: no TTL, poll or owed revalidation can make a request storm.
     */
    mayRevalidate: and([
      'isOnline',
      'outsideDedupe',
      not('awaitingTab'),
      or([and(['isVisible', not('isFollower')]), 'revalidatePending']),
    ]),
    mayRevalidateAfterGrace: and(['isOnline', 'isVisible', 'outsideDedupe']),
    owesRevalidation: and(['revalidatePending', 'isOnline', 'outsideDedupe', not('awaitingTab')]),
    awaitingTab: ({ context }) => context.awaitingTab,
    timerLapsed: ({ context }) => context.timerLapsed,
    mustRefetch: ({ context }) => context.refetchOnStart,
    /** Restarted after another tab removed or replaced what this one knew (see `START`). */
    forgetRequested: ({ event }) => event.type === 'START' && event.forget === true,
    relayedConnection: ({ event }) => event.type === 'SOCKET.CONNECTED' && event.relayed === true,
    retriesExhausted: ({ context }) => context.retryAttempt > context.config.retry.attempts,
    /** `attempts` counts retries after the first failure, as in TanStack Query's `retry`. */
    mayRetry: and([
      ({ context }) => context.retryAttempt <= context.config.retry.attempts,
      'isOnline',
      'outsideDedupe',
    ]),
    /** A valid push-like value that is newer than what is shown: a change. */
    pushChanges: (args) => pushKind(args) === 'accept',
    /** A valid push-like value of the version shown: known current again, not a change. */
    pushConfirms: (args) => pushKind(args) === 'confirm',
    pushDiscarded: (args) => pushKind(args) === 'discard',
    /** The server replayed what was missed, for this user (a marker may name none). */
    resumedConnection: ({ context, event }) =>
      event.type === 'SOCKET.CONNECTED' &&
      event.resumed === true &&
      (event.userId === undefined || event.userId === context.userId),
    /** A resume marker naming another user: nothing of this user's was replayed. */
    resumeOfAnotherUser: ({ context, event }) =>
      event.type === 'SOCKET.CONNECTED' &&
      event.resumed === true &&
      event.userId !== undefined &&
      event.userId !== context.userId,
    /** A hello naming another user than the one signed in: never shown, and rejected. */
    helloOfAnotherUser: ({ context, event }) =>
      event.type === 'SOCKET.CONNECTED' &&
      event.hello !== undefined &&
      context.userId !== null &&
      event.hello.userId !== context.userId,
    /** A value kept across a stop missed what a resumed connection brought: it owes a catch-up. */
    resumedCoversValue: and(['resumedConnection', not('keptWhileStopped')]),
    keptWhileStopped: ({ context }) => context.keptWhileStopped,
    responseLands: ({ context }, { response }: { response: FetchedBalance }) =>
      responseVerdict(context, response).kind !== 'discard',
    /** The corrected-floor rule applies: the server answered lower twice (see ./ordering.ts). */
    responseCorrectsFloor: ({ context }, { response }: { response: FetchedBalance }) => {
      const verdict = responseVerdict(context, response);
      return verdict.kind === 'accept' && verdict.corrected;
    },
  },
  delays: timerDelays,
  actions: {
    // Effects: no-ops here, implemented by the core (src/core/machine-effects.ts).
    persistValue: (_, _params: { skipLayer: ValueSource | null }) => {},
    purgeUser: (_, _params: { userId: string | null }) => {},
    /** Tells other tabs of a sign-in, switch or sign-out made in this one. */
    announceUser: () => {},
    /** Foreign caches (SWR, API clients) learn of a server change at once (incident fix). */
    notifyForeignCaches: () => {},
    /** Work the effects start while running ends when it stops (invariant 7). */
    openLifetime: () => {},
    closeLifetime: () => {},
    noteRejected: (_, _params: RejectionParams) => {},
    noteDeduped: (_, _params: { trigger: string }) => {},
    noteDiscarded: (_, _params: { reason: string }) => {},
    noteCacheReadFailed: () => {},
    /** The corrected-floor rule took a lower version: the server should send an epoch. */
    noteFloorCorrected: (_, _params: { from: number | null; to: number | null }) => {},

    resetForUser: assign(({ context, event }) => update.resetForUser(context, event)),
    // Owed since now: another tab's value observed before (a change notice's) is not it.
    requestCatchUp: assign(({ context }) => ({
      revalidatePending: true,
      catchUpSince: context.now(),
    })),
    noteTimerLapsed: assign({ timerLapsed: true }),
    clearTimerLapsed: assign({ timerLapsed: false }),
    awaitLeaderCatchUp: assign(update.awaitLeaderCatchUp),
    /** The socket vouches for nothing until the catch-up lands (see `socketUnverified`). */
    catchUpSocket: assign(({ context }) => update.catchUpSocket(context)),
    catchUpOwnConnection: assign(({ context }) => ({
      ...update.catchUpSocket(context),
      awaitingTab: false,
    })),
    stopAwaitingTab: assign({ awaitingTab: false }),
    refetchOnStart: assign({ refetchOnStart: true }),
    noteKeptValue: assign(({ context }) => ({ keptWhileStopped: context.value !== null })),
    requestSkipCache: assign({ skipCacheRequested: true }),
    noteTabFetch: assign(({ context }) => ({ lastFetchStartedAt: context.now() })),
    startFetch: assign(({ context }) => update.startFetch(context)),
    finishFetch: assign({ skipCacheRequested: false }),
    storeHydrated: assign(({ context }, { hit }: { hit: HydratedValue | null }) =>
      update.storeHydrated(context, hit),
    ),
    storeResponse: assign(({ context }, { response }: { response: FetchedBalance }) =>
      update.storeResponse(context, response),
    ),
    storePush: assign(({ context, event }) => update.storePush(context, event)),
    storeError: assign(({ context }, { error }: { error: unknown }) =>
      update.storeError(context, error),
    ),
    beginInvalidation: assign(({ context, event }) => update.beginInvalidation(context, event)),
    addOptimistic: assign(({ context, event }) => update.addOptimistic(context, event)),
    settleOptimistic: assign(({ context, event }) => update.settleOptimistic(context, event)),
    dropValue: assign(update.dropValue),
    redateValue: assign(({ context }) => update.redateValue(context)),
    trackValueAge: assign(({ context }) => update.trackValueAge(context)),

    /**
     * One actor per invalidation, spawned (not invoked): its targets may outlive the state that
     * started it, and it must report even when started while stopped. `beginInvalidation` gave
     * it its id.
     */
    spawnInvalidation: spawnChild('invalidation', {
      id: ({ context }) => context.invalidationId ?? 'invalidation',
      input: ({ context, event }) => ({
        id: context.invalidationId ?? 'invalidation',
        requestId: event.type === 'INVALIDATE' ? (event.requestId ?? null) : null,
        userId: context.userId,
        reason: context.invalidationReason,
        scope: context.invalidationScope,
      }),
    }),
    reportInvalidation: emit(({ event }) =>
      event.type === 'INVALIDATION.SETTLED'
        ? { type: 'invalidated' as const, requestId: event.requestId, report: event.report }
        : { type: 'invalidated' as const, requestId: null, report: emptyReport() },
    ),
    forgetInvalidation: stopChild(({ event }) =>
      event.type === 'INVALIDATION.SETTLED' ? event.id : '',
    ),
    /** Stopping settles every invalidation in flight: each reports what has not answered. */
    abortInvalidations: ({ self }) => {
      const children = self.getSnapshot().children as Record<string, AnyActorRef | undefined>;
      for (const [id, child] of Object.entries(children)) {
        if (id.startsWith('invalidation-')) child?.send({ type: 'ABORT' });
      }
    },
  },
});

export type { FetchBalanceInput, InvalidationInput, ReadCacheInput, RejectionParams };
