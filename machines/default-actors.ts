/**
 * The chart's I/O actors as the machine ships them: they do no I/O, so the machine runs on its
 * own in the inspector, in graph tests and in docs. The core swaps in real ones with
 * `.provide()` (src/core/machine-effects.ts); so may a test of its own flows.
 */
import { fromCallback, fromPromise } from 'xstate';
import {
  emptyReport,
  type FetchBalanceInput,
  type InvalidationInput,
  type ReadCacheInput,
} from './actor-inputs.js';
import type { FetchedBalance, HydratedValue } from './context.js';
import type { MachineEvent } from './events.js';

export const defaultActors = {
  readCache: fromPromise<HydratedValue | null, ReadCacheInput>(async () => null),
  fetchBalance: fromPromise<FetchedBalance, FetchBalanceInput>(async () => {
    throw new Error('fetchBalance was not provided');
  }),
  /**
   * Clears layers (then says `INVALIDATION.LAYERS_CLEARED`), runs targets, reports `SETTLED`.
   * The default has no layers or targets: it says both at once, so the machine provided with
   * only `fetchBalance` (docs: testing your flows) refetches on `INVALIDATE`.
   */
  invalidation: fromCallback<MachineEvent, InvalidationInput>(({ sendBack, input }) => {
    sendBack({ type: 'INVALIDATION.LAYERS_CLEARED', id: input.id });
    const report = { ...emptyReport(), userId: input.userId, reason: input.reason };
    sendBack({ type: 'INVALIDATION.SETTLED', id: input.id, requestId: input.requestId, report });
  }),
  /** The event sources, subscribed while running. */
  sources: fromCallback(() => {}),
};
