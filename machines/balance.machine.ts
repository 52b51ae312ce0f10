/**
 * The balance statechart: the picture of the product. One actor for the sync's whole life:
 * `stopped` holds the value and the user while nothing runs; `running` holds five orthogonal
 * regions, and every timer, request and source exists only inside it (invariant 7):
 * - data: the value's lifecycle (SPEC status);
 * - socket: whether a push channel is live (a live, trusted socket vouches for the value);
 * - network / visibility: when revalidating is allowed and useful;
 * - tab: alone, follower or leader among the browser's tabs (the leader polls for all).
 * Names (guards, delays, actors, effects) are defined in ./balance.setup.ts.
 */
import { stateIn } from 'xstate';
import { balanceSetup } from './balance.setup.js';
import { initialContext } from './context.js';
import { dataRegion } from './states/data.js';
import { networkRegion, socketRegion, tabRegion, visibilityRegion } from './states/environment.js';
import { stoppedUserChange } from './states/shared.js';

/**
 * The balance statechart, with no I/O: its effects and actors are no-ops until the core provides
 * them (`createBalanceSync` does). Use it to visualise the chart, run it in the inspector, or
 * test rules with `createActor(balanceMachine, { input })`; `sync.actor` is an actor of it.
 */
export const balanceMachine = balanceSetup.createMachine({
  id: 'balance',
  context: ({ input }) => initialContext(input),
  initial: 'stopped',
  on: {
    // An invalidation reports once its layers and targets settled, running or stopped.
    'INVALIDATION.SETTLED': { actions: ['reportInvalidation', 'forgetInvalidation'] },
  },
  states: {
    stopped: {
      on: {
        START: [
          {
            guard: 'forgetRequested',
            target: 'running',
            actions: ['dropValue', 'refetchOnStart'],
          },
          { target: 'running' },
        ],
        // Stopping a stopped sync still settles an invalidation started while stopped.
        STOP: { actions: 'abortInvalidations' },
        'USER.CHANGED': stoppedUserChange('announceUser'),
        'TAB.USER_CHANGED': stoppedUserChange(),
        // Stopped, an invalidation still clears every layer and calls every target; the next
        // start finds nothing cached and fetches.
        INVALIDATE: {
          actions: ['beginInvalidation', 'spawnInvalidation', 'refetchOnStart'],
        },
        // A debit made meanwhile is kept for the next start; one that settles meanwhile still
        // settles its delta (no value lands while stopped).
        'OPTIMISTIC.APPLY': { guard: 'hasUser', actions: 'addOptimistic' },
        'OPTIMISTIC.SETTLE': { actions: 'settleOptimistic' },
      },
    },
    running: {
      type: 'parallel',
      // Event sources are subscribed exactly while running.
      invoke: { id: 'sources', src: 'sources' },
      entry: 'openLifetime',
      // An invalidation in flight settles at once: what has not answered is reported aborted;
      // work started while running (foreign caches told of a push) is abandoned.
      exit: ['abortInvalidations', 'closeLifetime'],
      on: {
        STOP: [
          // Stopped before the invalidation's refetch: the next start fetches, whatever a
          // layer still holds.
          {
            guard: stateIn({ running: { data: 'invalidated' } }),
            target: 'stopped',
            actions: ['refetchOnStart', 'noteKeptValue'],
          },
          // What is kept meanwhile is vouched for by nothing (see `keptWhileStopped`).
          { target: 'stopped', actions: 'noteKeptValue' },
        ],
      },
      states: {
        data: dataRegion,
        socket: socketRegion,
        network: networkRegion,
        tab: tabRegion,
        visibility: visibilityRegion,
      },
    },
  },
});

/** The type of `balanceMachine`, for `Actor<BalanceMachine>` or `SnapshotFrom<BalanceMachine>`. */
export type BalanceMachine = typeof balanceMachine;
