/**
 * `data.invalidated`: one total invalidation (invariant 5). `clearing` runs it; after another
 * tab's invalidation, `awaitingTab` waits for that tab's fresh value before fetching itself.
 * Offline, the layers are cleared at once and the refetch waits in `stale` for `ONLINE`.
 */
import { and } from 'xstate';
import { balanceSetup } from '../balance.setup.js';

const rejectedDuringClearing = (input: 'SOCKET.BALANCE_UPDATED' | 'TAB.BALANCE') =>
  ({
    actions: {
      type: 'noteRejected',
      params: { reason: 'arrived during invalidation', input },
    },
  }) as const;

export const invalidatedState = balanceSetup.createStateConfig({
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
          { guard: and(['hasUser', 'isOnline']), target: '#balance.data.fetching' },
          { guard: 'hasUser', target: '#balance.data.stale' },
          { target: '#balance.data.idle' },
        ],
        onError: [
          { guard: and(['hasUser', 'isOnline']), target: '#balance.data.fetching' },
          { guard: 'hasUser', target: '#balance.data.stale' },
          { target: '#balance.data.idle' },
        ],
      },
      on: {
        // The fetch that follows the clearing reads the newest value; a value landing now could
        // be written back into a layer that is being cleared.
        'SOCKET.BALANCE_UPDATED': rejectedDuringClearing('SOCKET.BALANCE_UPDATED'),
        'TAB.BALANCE': rejectedDuringClearing('TAB.BALANCE'),
        'SOCKET.CONNECTED': { guard: 'socketTrusted', actions: 'requestCatchUp' },
        'OPTIMISTIC.SETTLE': { actions: 'settleOptimistic' },
      },
    },
    awaitingTab: {
      after: { leaderGrace: '#balance.data.fetching' },
      on: { FOCUS: '#balance.data.fetching', REFRESH: '#balance.data.fetching' },
    },
  },
});
