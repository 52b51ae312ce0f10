/**
 * The balance statechart: the picture of the product. Five orthogonal regions:
 * - data: the value's lifecycle (SPEC status);
 * - socket: whether a push channel is live (a live, trusted socket vouches for the value);
 * - network / visibility: when revalidating is allowed and useful;
 * - tab: alone, follower or leader among the browser's tabs (the leader polls for all).
 * Names (guards, delays, actors, effects) are defined in ./balance.setup.ts.
 */
import { and } from 'xstate';
import { balanceSetup, rejectionOfPush } from './balance.setup.js';
import { initialContext } from './context.js';
import type { MachineEvent } from './events.js';

const persistAll = { type: 'persistValue', params: { skipLayer: null } } as const;
const acceptPush = { guard: 'acceptsPush', actions: ['storePush', persistAll] } as const;
const rejectPush = {
  actions: {
    type: 'noteRejected',
    params: ({
      context,
      event,
    }: {
      context: Parameters<typeof rejectionOfPush>[0];
      event: MachineEvent;
    }) => ({
      reason: rejectionOfPush(context, event) ?? 'rejected',
      input: event.type,
    }),
  },
} as const;

export const balanceMachine = balanceSetup.createMachine({
  id: 'balance',
  type: 'parallel',
  context: ({ input }) => initialContext(input),
  states: {
    data: {
      initial: 'idle',
      on: {
        'USER.CHANGED': [
          { guard: 'isSameUser' },
          {
            guard: 'isSignOut',
            target: '.idle',
            reenter: true,
            actions: [
              { type: 'purgeUser', params: ({ context }) => ({ userId: context.userId }) },
              'resetForUser',
            ],
          },
          // With a live socket, it has not vouched for this user yet: owe a catch-up.
          {
            guard: 'socketVouches',
            target: '.hydrating',
            reenter: true,
            actions: ['resetForUser', 'requestCatchUp'],
          },
          { target: '.hydrating', reenter: true, actions: 'resetForUser' },
        ],
        // Another tab signed in, out or switched: same lifecycle, no re-broadcast. A sign-out
        // purges here too: this tab's memory layer is its own.
        'TAB.USER_CHANGED': [
          { guard: 'isSameUser' },
          {
            guard: 'isSignOut',
            target: '.idle',
            reenter: true,
            actions: [
              { type: 'purgeUser', params: ({ context }) => ({ userId: context.userId }) },
              'resetForUser',
            ],
          },
          // With a live socket, it has not vouched for this user yet: owe a catch-up.
          {
            guard: 'socketVouches',
            target: '.hydrating',
            reenter: true,
            actions: ['resetForUser', 'requestCatchUp'],
          },
          { target: '.hydrating', reenter: true, actions: 'resetForUser' },
        ],
        'SOCKET.BALANCE_UPDATED': [
          {
            ...acceptPush,
            target: '.cached',
            actions: [...acceptPush.actions, 'notifyForeignCaches'],
          },
          rejectPush,
        ],
        'TAB.BALANCE': [{ ...acceptPush, target: '.cached' }, rejectPush],
        'SOCKET.INVALIDATE': [
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
        'SOCKET.CONNECTED': { guard: 'socketTrusted', actions: 'requestCatchUp' },
        INVALIDATE: { target: '.invalidated', reenter: true, actions: 'beginInvalidation' },
        'TAB.INVALIDATED': {
          guard: 'isForCurrentUser',
          target: '.invalidated',
          reenter: true,
          actions: 'beginInvalidation',
        },
        'TAB.FETCH_STARTED': { guard: 'isForCurrentUser', actions: 'noteTabFetch' },
        'OPTIMISTIC.APPLY': { guard: 'hasUser', actions: 'addOptimistic' },
        'OPTIMISTIC.SETTLE': { actions: 'settleOptimistic' },
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
              { target: 'fetching' },
            ],
            onError: {
              target: 'fetching',
              actions: {
                type: 'noteRejected',
                params: { reason: 'cache read failed', input: 'cache' },
              },
            },
          },
          on: {
            REFRESH: { guard: 'skipCache', target: 'fetching', actions: 'requestSkipCache' },
          },
        },
        cached: {
          always: { guard: 'owesRevalidation', target: 'fetching' },
          after: {
            ttl: [
              { guard: 'valueExpired', target: 'stale' },
              { guard: 'ttlTimerCutShort', target: 'cached', reenter: true },
            ],
            pollInterval: { guard: 'mayPoll', target: 'fetching' },
            socketPollInterval: { guard: 'mayPollWhileConnected', target: 'fetching' },
          },
          on: {
            // A new leader takes over polling: restart the timers a follower let lapse.
            'TAB.LEADER': { target: 'cached', reenter: true },
            FOCUS: [
              { guard: 'revalidatesOnFocus', target: 'fetching' },
              {
                guard: 'focusDeduped',
                actions: { type: 'noteDeduped', params: { trigger: 'focus' } },
              },
            ],
            VISIBLE: [
              { guard: 'revalidatesOnFocus', target: 'fetching' },
              // Restart the poll timer that a hidden tab let lapse.
              { target: 'cached', reenter: true },
            ],
            REFRESH: [
              { guard: 'skipCache', target: 'fetching', actions: 'requestSkipCache' },
              { guard: 'outsideDedupe', target: 'fetching' },
              { actions: { type: 'noteDeduped', params: { trigger: 'refresh' } } },
            ],
            // The socket stopped vouching: TTL and polling take over from what is left.
            'SOCKET.DISCONNECTED': { target: 'cached', reenter: true },
            ONLINE: { target: 'cached', reenter: true },
          },
        },
        stale: {
          always: { guard: 'mayRevalidate', target: 'fetching' },
          after: { leaderGrace: { guard: 'mayRevalidateAfterGrace', target: 'fetching' } },
          on: {
            FOCUS: { guard: 'isOnline', target: 'fetching' },
            VISIBLE: { guard: 'isOnline', target: 'fetching' },
            REFRESH: { target: 'fetching', actions: 'requestSkipCache' },
          },
        },
        fetching: {
          entry: 'startFetch',
          exit: 'finishFetch',
          invoke: {
            id: 'fetchBalance',
            src: 'fetchBalance',
            input: ({ context }) => ({
              userId: context.userId as string,
              skipCache: context.skipCacheRequested,
            }),
            onDone: [
              {
                guard: {
                  type: 'responseNotOvertaken',
                  params: ({ event }) => ({ response: event.output }),
                },
                target: 'cached',
                actions: [
                  { type: 'storeResponse', params: ({ event }) => ({ response: event.output }) },
                  persistAll,
                ],
              },
              { target: 'cached', actions: 'noteDiscarded' },
            ],
            onError: {
              target: 'error',
              actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) },
            },
          },
          initial: 'valueFresh',
          states: {
            // Substates only tell whether the value on screen outlived its TTL mid-request.
            valueFresh: {
              always: { guard: 'valueExpired', target: 'valueStale' },
              after: { ttl: { guard: 'valueExpired', target: 'valueStale' } },
            },
            valueStale: {},
          },
          on: {
            // A push during a request is shown at once; the response is then checked against it.
            'SOCKET.BALANCE_UPDATED': [
              {
                ...acceptPush,
                target: '.valueFresh',
                actions: [...acceptPush.actions, 'notifyForeignCaches'],
              },
              rejectPush,
            ],
            'TAB.BALANCE': [{ ...acceptPush, target: '.valueFresh' }, rejectPush],
            REFRESH: { actions: { type: 'noteDeduped', params: { trigger: 'refresh' } } },
            FOCUS: { actions: { type: 'noteDeduped', params: { trigger: 'focus' } } },
          },
        },
        invalidated: {
          initial: 'clearing',
          states: {
            clearing: {
              invoke: {
                id: 'invalidateAll',
                src: 'invalidateAll',
                input: ({ context }) => ({
                  userId: context.userId,
                  reason: context.invalidationReason,
                  scope: context.invalidationScope,
                }),
                onDone: [
                  // Another tab invalidated: it fetches and broadcasts; wait for its value.
                  { guard: and(['hasUser', 'isLocalInvalidation']), target: 'awaitingTab' },
                  { guard: 'hasUser', target: '#balance.data.fetching' },
                  { target: '#balance.data.idle' },
                ],
                onError: [
                  { guard: 'hasUser', target: '#balance.data.fetching' },
                  { target: '#balance.data.idle' },
                ],
              },
              on: {
                // The fetch that follows the clearing reads the newest value; a push now could
                // be written back into a layer that is being cleared.
                'SOCKET.BALANCE_UPDATED': {
                  actions: {
                    type: 'noteRejected',
                    params: {
                      reason: 'arrived during invalidation',
                      input: 'SOCKET.BALANCE_UPDATED',
                    },
                  },
                },
                'TAB.BALANCE': {
                  actions: {
                    type: 'noteRejected',
                    params: { reason: 'arrived during invalidation', input: 'TAB.BALANCE' },
                  },
                },
              },
            },
            awaitingTab: {
              after: { leaderGrace: '#balance.data.fetching' },
              on: { FOCUS: '#balance.data.fetching', REFRESH: '#balance.data.fetching' },
            },
          },
        },
        // An owed revalidation (catch-up, change notice) waits for the backoff here: retrying
        // at once would hammer a failing server and hide the error from subscribers.
        error: {
          after: {
            backoff: { guard: 'mayRetry', target: 'fetching' },
            pollInterval: { guard: 'mayPoll', target: 'fetching' },
          },
          on: {
            ONLINE: 'fetching',
            FOCUS: { guard: 'revalidatesOnFocus', target: 'fetching' },
            VISIBLE: { guard: 'revalidatesOnFocus', target: 'fetching' },
            REFRESH: { target: 'fetching', actions: 'requestSkipCache' },
          },
        },
      },
    },
    socket: {
      initial: 'offline',
      states: {
        offline: { on: { 'SOCKET.CONNECTED': 'live' } },
        live: { on: { 'SOCKET.DISCONNECTED': 'offline' } },
      },
    },
    network: {
      initial: 'checking',
      states: {
        checking: {
          always: [{ guard: 'startsOffline', target: 'offline' }, { target: 'online' }],
        },
        online: { on: { OFFLINE: 'offline' } },
        offline: { on: { ONLINE: 'online' } },
      },
    },
    // Leadership among tabs of one browser (Web Locks), reported by the cross-tab source.
    tab: {
      initial: 'alone',
      states: {
        alone: { on: { 'TAB.LEADER': 'leader', 'TAB.FOLLOWER': 'follower' } },
        follower: { on: { 'TAB.LEADER': 'leader' } },
        leader: { on: { 'TAB.FOLLOWER': 'follower' } },
      },
    },
    visibility: {
      initial: 'checking',
      states: {
        checking: {
          always: [{ guard: 'startsHidden', target: 'hidden' }, { target: 'visible' }],
        },
        visible: { on: { HIDDEN: 'hidden' } },
        hidden: { on: { VISIBLE: 'visible' } },
      },
    },
  },
});

export type BalanceMachine = typeof balanceMachine;
