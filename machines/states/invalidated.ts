/**
 * `data.invalidated`: one total invalidation (invariant 5). `clearing` runs it; after another
 * tab's invalidation, `awaitingTab` waits for that tab's fresh value before fetching itself.
 * Offline, the layers are cleared at once and the refetch waits in `stale` for `ONLINE`, after
 * another tab's invalidation too.
 */
import { and, not } from 'xstate';
import { balanceSetup } from '../balance.setup.js';
import { persistAll } from './shared.js';

/**
 * A value arriving while the layers clear: a newer version than the one invalidated (past the
 * floor, which survives `invalidate()`) or a new epoch is the server's word after the
 * invalidation began, and lands (stored like every push); the refetch that follows is then ordered
 * against it, so a lagging replica's older answer cannot take its place. The version that was
 * invalidated, or an older one, is what the invalidation distrusts: rejected.
 */
const duringClearing = (input: 'SOCKET.BALANCE_UPDATED' | 'TAB.BALANCE') =>
  [
    { guard: 'pushChanges', actions: ['storePush', persistAll, 'notifyForeignCaches'] },
    { actions: { type: 'noteRejected', params: { reason: 'arrived during invalidation', input } } },
  ] as const;

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
        'SOCKET.BALANCE_UPDATED': duringClearing('SOCKET.BALANCE_UPDATED'),
        'TAB.BALANCE': duringClearing('TAB.BALANCE'),
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
