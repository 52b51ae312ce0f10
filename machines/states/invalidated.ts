/**
 * `data.invalidated`: one total invalidation (invariant 5). `clearing` runs it; after another
 * tab's invalidation, `awaitingTab` waits for that tab's fresh value before fetching itself.
 */
import { and } from 'xstate';
import { balanceSetup } from '../balance.setup.js';

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
});
