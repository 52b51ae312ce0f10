/**
 * The `data` region: the value's lifecycle (SPEC status). Values that arrive from anywhere land
 * through ./shared.ts; freshness, ordering and dedupe are guards of ./balance.setup.ts.
 */
import { and, not } from 'xstate';
import { balanceSetup } from '../balance.setup.js';
import { errorState } from './error.js';
import { fetchingState } from './fetching.js';
import { invalidatedState } from './invalidated.js';
import { arrivals, userChange } from './shared.js';

export const dataRegion = balanceSetup.createStateConfig({
  id: 'data',
  initial: 'idle',
  // Past `maxStaleMs` a value is not shown at all, whatever state holds it (invariant 3); a
  // wall clock moved back must not make it younger than it is.
  always: [
    { guard: 'valueTooOld', actions: 'dropValue' },
    { guard: 'valueAgeUntracked', actions: 'trackValueAge' },
    { guard: 'valueFromFuture', actions: 'redateValue' },
  ],
  on: {
    'USER.CHANGED': userChange('announceUser'),
    // Another tab signed in, out or switched: the same lifecycle, without a re-broadcast.
    'TAB.USER_CHANGED': userChange(),
    ...arrivals('.cached'),
    'SOCKET.INVALIDATE': [
      // The rollback switch covers change notices too: no refetch, no foreign-cache call.
      {
        guard: not('socketTrusted'),
        actions: {
          type: 'noteRejected',
          params: {
            reason: 'socket updates are switched off (invalidateOnSocket: false)',
            input: 'SOCKET.INVALIDATE',
          },
        },
      },
      {
        guard: 'isForCurrentUser',
        actions: ['requestCatchUp', 'notifyForeignCaches'],
      },
      {
        actions: {
          type: 'noteRejected',
          params: { reason: 'change notice for another user', input: 'SOCKET.INVALIDATE' },
        },
      },
    ],
    // No `reenter`: a transition from `data` to its own child already re-enters that child,
    // while `reenter: true` would re-enter the parallel root and reset every region.
    INVALIDATE: { target: '.invalidated', actions: ['beginInvalidation', 'spawnInvalidation'] },
    'TAB.INVALIDATED': {
      guard: 'isForCurrentUser',
      target: '.invalidated',
      actions: ['beginInvalidation', 'spawnInvalidation'],
    },
    'TAB.FETCH_STARTED': { guard: 'isForCurrentUser', actions: 'noteTabFetch' },
    'OPTIMISTIC.APPLY': { guard: 'hasUser', actions: 'addOptimistic' },
  },
  states: {
    idle: {
      always: { guard: 'hasUser', target: 'hydrating' },
    },
    hydrating: {
      invoke: {
        id: 'readCache',
        src: 'readCache',
        input: ({ context }) => ({ userId: context.userId as string }),
        onDone: [
          // Invalidated while stopped: what a layer still holds is not shown as fresh. Offline,
          // nothing is fetched on its own: the request is owed until ONLINE.
          { guard: and(['mustRefetch', 'isOnline']), target: 'fetching' },
          { guard: 'mustRefetch', target: 'stale', actions: 'requestCatchUp' },
          {
            guard: { type: 'hydratedFresh', params: ({ event }) => ({ hit: event.output }) },
            target: 'cached',
            actions: [
              { type: 'storeHydrated', params: ({ event }) => ({ hit: event.output }) },
              // Backfill the faster layers the value was missing from.
              {
                type: 'persistValue',
                params: ({ event }) => ({ skipLayer: event.output?.source ?? null }),
              },
            ],
          },
          {
            guard: { type: 'hydratedShowable', params: ({ event }) => ({ hit: event.output }) },
            target: 'stale',
            actions: [
              { type: 'storeHydrated', params: ({ event }) => ({ hit: event.output }) },
              {
                type: 'persistValue',
                params: ({ event }) => ({ skipLayer: event.output?.source ?? null }),
              },
            ],
          },
          // Nothing newer in the layers, and the value shown (the server's initialData, or one
          // kept or preloaded) is still fresh: no request (README: initialData costs none).
          { guard: 'shownFresh', target: 'cached' },
          // Signed in in another tab: it fetches; wait for its value (the leader grace).
          { guard: and(['outsideDedupe', not('awaitingTab'), 'isOnline']), target: 'fetching' },
          // Offline: the first request is owed until ONLINE.
          {
            guard: and(['outsideDedupe', not('awaitingTab')]),
            target: 'stale',
            actions: 'requestCatchUp',
          },
          { target: 'stale' },
        ],
        onError: [
          {
            guard: and(['outsideDedupe', not('awaitingTab'), 'isOnline']),
            target: 'fetching',
            actions: 'noteCacheReadFailed',
          },
          {
            guard: and(['outsideDedupe', not('awaitingTab')]),
            target: 'stale',
            actions: ['noteCacheReadFailed', 'requestCatchUp'],
          },
          { target: 'stale', actions: 'noteCacheReadFailed' },
        ],
      },
      on: {
        REFRESH: { guard: 'skipCache', target: 'fetching', actions: 'requestSkipCache' },
      },
    },
    cached: {
      // Its timers start now: none of them has lapsed.
      entry: 'clearTimerLapsed',
      always: [
        { guard: 'noValue', target: 'stale' },
        // Any event re-checks expiry: after a sleep the wall clock jumped but the timer waits.
        { guard: 'valueExpired', target: 'stale' },
        { guard: 'owesRevalidation', target: 'fetching' },
      ],
      after: {
        ttl: [
          { guard: 'ttlElapsed', target: 'stale' },
          { guard: 'ttlTimerCutShort', target: 'cached', reenter: true },
          // A live socket vouches for it: losing the socket re-arms the timer.
          { actions: 'noteTimerLapsed' },
        ],
        pollInterval: [
          { guard: 'mayPoll', target: 'fetching' },
          // Inside the dedupe window: owed, and done when the window closes.
          { guard: 'pollDue', actions: 'requestCatchUp' },
          { actions: 'noteTimerLapsed' },
        ],
        socketPollInterval: [
          { guard: 'mayPollWhileConnected', target: 'fetching' },
          { actions: 'noteTimerLapsed' },
        ],
        // No tab polled for this one (a hidden leader, or one of another user): poll itself.
        followerPollInterval: [
          { guard: 'followerPollDue', target: 'fetching' },
          { actions: 'noteTimerLapsed' },
        ],
        dedupeRemaining: { guard: 'owesRevalidation', target: 'fetching' },
        // No value from the tab that was to fetch for this one: fetch itself.
        leaderGrace: { guard: 'awaitingTab', actions: 'stopAwaitingTab' },
        // Even a value a live socket vouches for is not shown past maxStaleMs.
        maxStale: { guard: 'maxStaleElapsed', target: 'stale', actions: 'dropValue' },
      },
      on: {
        // A new leader takes over polling: restart the timers a follower let lapse.
        'TAB.LEADER': { target: 'cached', reenter: true },
        // The leader's connection, relayed: it catches up for all tabs; wait the grace for it.
        'SOCKET.CONNECTED': {
          guard: and(['relayedConnection', 'socketTrusted']),
          target: 'cached',
          reenter: true,
          actions: 'awaitLeaderCatchUp',
        },
        // Another tab's request moves the dedupe window: restart the timers that read it.
        'TAB.FETCH_STARTED': {
          guard: 'isForCurrentUser',
          target: 'cached',
          reenter: true,
          actions: 'noteTabFetch',
        },
        FOCUS: [
          { guard: 'revalidatesOnFocus', target: 'fetching' },
          {
            guard: 'focusDeduped',
            actions: { type: 'noteDeduped', params: { trigger: 'focus' } },
          },
        ],
        VISIBLE: [
          { guard: 'revalidatesOnFocus', target: 'fetching' },
          // Inside the dedupe window (counted): the timers restart, which postpones nothing by
          // more than that window.
          {
            guard: 'focusDeduped',
            target: 'cached',
            reenter: true,
            actions: { type: 'noteDeduped', params: { trigger: 'visible' } },
          },
          // Restart the timers a hidden tab let lapse; one that has not fired yet runs on: a
          // brief switch away from the tab must not postpone a poll.
          { guard: 'timerLapsed', target: 'cached', reenter: true },
        ],
        REFRESH: [
          { guard: 'skipCache', target: 'fetching', actions: 'requestSkipCache' },
          { guard: 'outsideDedupe', target: 'fetching' },
          { actions: { type: 'noteDeduped', params: { trigger: 'refresh' } } },
        ],
        // The socket stopped vouching: TTL and polling take over from what is left; the timers
        // that lapsed while it vouched start again.
        'SOCKET.DISCONNECTED': { guard: 'timerLapsed', target: 'cached', reenter: true },
        ONLINE: { target: 'cached', reenter: true },
      },
    },
    // A fetch from here starts out stale: the value already outlived its TTL, whatever the
    // wall clock says now.
    stale: {
      always: { guard: 'mayRevalidate', target: 'fetching.valueStale' },
      after: {
        leaderGrace: [
          {
            guard: 'mayRevalidateAfterGrace',
            target: 'fetching.valueStale',
            actions: 'stopAwaitingTab',
          },
          { guard: 'awaitingTab', actions: 'stopAwaitingTab' },
        ],
        dedupeRemaining: { guard: 'mayRevalidate', target: 'fetching.valueStale' },
        maxStale: { guard: 'maxStaleElapsed', actions: 'dropValue' },
      },
      on: {
        FOCUS: { guard: and(['isOnline', 'outsideDedupe']), target: 'fetching.valueStale' },
        VISIBLE: { guard: and(['isOnline', 'outsideDedupe']), target: 'fetching.valueStale' },
        REFRESH: [
          { guard: 'skipCache', target: 'fetching.valueStale', actions: 'requestSkipCache' },
          { guard: 'outsideDedupe', target: 'fetching.valueStale' },
          { actions: { type: 'noteDeduped', params: { trigger: 'refresh' } } },
        ],
        // Another tab is fetching: wait a further grace for its value.
        'TAB.FETCH_STARTED': {
          guard: 'isForCurrentUser',
          target: 'stale',
          reenter: true,
          actions: 'noteTabFetch',
        },
      },
    },
    fetching: fetchingState,
    invalidated: invalidatedState,
    error: errorState,
  },
});
