/**
 * `data.invalidated`: one total invalidation (invariant 5). `clearing` runs it; after another
 * tab's invalidation, `awaitingTab` waits for that tab's fresh value before fetching itself.
 * Offline, the layers are cleared at once and the refetch waits in `stale` for `ONLINE`, after
 * another tab's invalidation too.
 */
import { and, not } from 'xstate';
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
      // The invalidation actor clears this tab's layers (each within its deadline) and says so;
      // foreign targets may take longer, and the refetch does not wait for them.
      on: {
        'INVALIDATION.LAYERS_CLEARED': [
          { guard: not('isCurrentInvalidation') },
          // Another tab invalidated: it fetches and broadcasts; wait for its value.
          { guard: and(['hasUser', 'isLocalInvalidation']), target: 'awaitingTab' },
          { guard: and(['hasUser', 'isOnline']), target: '#data.fetching' },
          { guard: 'hasUser', target: '#data.stale' },
          { target: '#data.idle' },
        ],
        // The fetch that follows the clearing reads the newest value; a value landing now could
        // be written back into a layer that is being cleared.
        'SOCKET.BALANCE_UPDATED': rejectedDuringClearing('SOCKET.BALANCE_UPDATED'),
        'TAB.BALANCE': rejectedDuringClearing('TAB.BALANCE'),
        'SOCKET.CONNECTED': { guard: 'socketTrusted', actions: 'catchUpSocket' },
        'OPTIMISTIC.SETTLE': { actions: 'settleOptimistic' },
      },
    },
    awaitingTab: {
      // No value came from that tab: fetch; offline, the request is owed until ONLINE (`stale`
      // revalidates then), not tried to fail and back off.
      after: {
        leaderGrace: [{ guard: 'isOnline', target: '#data.fetching' }, { target: '#data.stale' }],
      },
      on: { FOCUS: '#data.fetching', REFRESH: '#data.fetching' },
    },
  },
});
