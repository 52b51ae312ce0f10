/**
 * `data.fetching`: one request in flight (invariant 4). Values that arrive meanwhile are shown at
 * once and the response is then ordered against them (invariant 2); substates only tell whether
 * the value on screen outlived its TTL mid-request (invariant 3).
 */
import { balanceSetup } from '../balance.setup.js';
import { arrivalsDuringRequest, persistAll } from './shared.js';

const response = ({ event }: { event: { output: import('../context.js').FetchedBalance } }) => ({
  response: event.output,
});

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
        guard: { type: 'responseCorrectsFloor', params: response },
        target: 'cached',
        actions: [
          {
            type: 'noteFloorCorrected',
            params: ({ context, event }) => ({
              from: context.versionFloor,
              to: event.output.version,
            }),
          },
          { type: 'storeResponse', params: response },
          persistAll,
        ],
      },
      {
        guard: { type: 'responseLands', params: response },
        target: 'cached',
        actions: [{ type: 'storeResponse', params: response }, persistAll],
      },
      // Older than what is shown (a lagging replica, an HTTP cache) or overtaken: not shown.
      {
        target: 'cached',
        actions: [
          { type: 'noteDiscarded', params: { reason: 'response older than the value shown' } },
          { type: 'storeResponse', params: response },
        ],
      },
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
  after: { maxStale: { guard: 'valueTooOld', actions: 'dropValue' } },
  on: {
    ...arrivalsDuringRequest('.valueFresh'),
    REFRESH: { actions: { type: 'noteDeduped', params: { trigger: 'refresh' } } },
    FOCUS: { actions: { type: 'noteDeduped', params: { trigger: 'focus' } } },
    // Coming back to the tab is the usual focus trigger (windowSource sends VISIBLE).
    VISIBLE: {
      guard: 'focusDeduped',
      actions: { type: 'noteDeduped', params: { trigger: 'visible' } },
    },
  },
});
