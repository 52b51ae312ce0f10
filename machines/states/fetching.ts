/**
 * `data.fetching`: one request in flight (invariant 4). Pushes during it are shown at once and
 * the response is then checked against them (invariant 2); substates only tell whether the
 * value on screen outlived its TTL mid-request (invariant 3).
 */
import { balanceSetup } from '../balance.setup.js';
import { acceptPush, persistAll, rejectPush } from './shared.js';

export const fetchingState = balanceSetup.createStateConfig({
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
      after: { ttl: { guard: 'ttlElapsed', target: 'valueStale' } },
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
});
