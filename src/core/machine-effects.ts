/**
 * The core's implementations of the machine's named I/O hooks, swapped in with `.provide()`.
 * The chart stays pure; everything that touches storage, the network or the logger is here.
 */
import { fromPromise } from 'xstate';
import { balanceMachine } from '../../machines/balance.machine.js';
import type {
  FetchBalanceInput,
  InvalidateAllInput,
  ReadCacheInput,
} from '../../machines/balance.setup.js';
import type { FetchedBalance, HydratedValue } from '../../machines/context.js';
import type { LocalHappening } from '../sources/types.js';
import type { BalanceSyncOptions, InvalidationReport } from '../types.js';
import { DeadlineError, withDeadline } from './deadline.js';
import { readLayers } from './hydrate.js';
import { type InvalidationDeps, invalidateTargets, runInvalidation } from './invalidation.js';
import { describeError, type LayerAccess } from './layer-access.js';
import { purgeUser, writeLayers } from './persist.js';
import { validateFetched } from './validate.js';

export interface EffectDeps extends InvalidationDeps {
  access: LayerAccess;
  fetchBalance: BalanceSyncOptions['fetchBalance'];
  /** A request without an answer by then is aborted and counts as failed. */
  requestTimeoutMs: number;
  schema: BalanceSyncOptions['schema'];
  /** Called with each invalidation the machine starts, so `invalidate()` can await its report. */
  onInvalidation: (report: Promise<InvalidationReport>) => void;
  /** This tab's own happenings, for sources that tell other tabs (never echoes of theirs). */
  onLocal: (happening: LocalHappening) => void;
}

export function provideEffects(deps: EffectDeps) {
  const { access } = deps;
  const { logger, metrics } = access;
  return balanceMachine.provide({
    actors: {
      readCache: fromPromise<HydratedValue | null, ReadCacheInput>(({ input, signal }) =>
        readLayers(access, input.userId, signal),
      ),
      fetchBalance: fromPromise<FetchedBalance, FetchBalanceInput>(async ({ input, signal }) => {
        metrics.fetches++;
        logger.debug('fetching balance', { userId: input.userId, skipCache: input.skipCache });
        deps.onLocal({ type: 'fetch-started', userId: input.userId });
        // The app's request is aborted when the machine leaves `fetching` or when it times out.
        const request = new AbortController();
        const cancel = () => request.abort(signal.reason);
        signal.addEventListener('abort', cancel, { once: true });
        try {
          const raw = await withDeadline(
            () =>
              deps.fetchBalance({
                userId: input.userId,
                signal: request.signal,
                skipCache: input.skipCache,
              }),
            {
              ms: deps.requestTimeoutMs,
              signal,
              timeoutMessage: `no answer within ${deps.requestTimeoutMs} ms`,
              abortMessage: 'request cancelled',
            },
          );
          return await validateFetched(raw, deps.schema);
        } catch (error) {
          if (error instanceof DeadlineError) request.abort(error);
          if (!signal.aborted) {
            metrics.fetchErrors++;
            logger.warn('balance fetch failed', { error: describeError(error) });
          }
          throw error;
        } finally {
          signal.removeEventListener('abort', cancel);
        }
      }),
      invalidateAll: fromPromise<unknown, InvalidateAllInput>(({ input }) => {
        const report = runInvalidation(deps, input);
        deps.onInvalidation(report);
        if (input.scope === 'all') deps.onLocal({ type: 'invalidated', userId: input.userId });
        return report;
      }),
    },
    actions: {
      persistValue: ({ context }, { skipLayer }) => {
        if (context.value === null) return;
        const skip =
          skipLayer === 'memory' || skipLayer === 'localStorage' || skipLayer === 'indexedDB'
            ? skipLayer
            : null;
        void writeLayers(access, context.value, skip);
        // Values this tab received itself (not hydrated, not relayed by another tab).
        if (skipLayer === null && (context.source === 'network' || context.source === 'socket')) {
          deps.onLocal({ type: 'value', value: context.value, source: context.source });
        }
      },
      purgeUser: (_, { userId }) => {
        if (userId !== null) void purgeUser(access, userId);
      },
      notifyForeignCaches: () => {
        if (deps.targets.size === 0) return;
        // Foreign caches (SWR, API clients) learn of a server change at once (incident fix).
        void invalidateTargets(deps).then((outcomes) => {
          const failed = outcomes.filter((entry) => !entry.ok);
          if (failed.length > 0) logger.error('invalidation targets failed', { failed });
        });
      },
      noteRejected: (_, { reason, input }) => {
        metrics.rejected++;
        logger.warn(`rejected ${input}: ${reason}`);
      },
      noteDeduped: (_, { trigger }) => {
        metrics.deduped++;
        logger.debug(`request deduped (${trigger})`);
      },
      noteDiscarded: (_, { reason }) => {
        metrics.discarded++;
        logger.info(`discarded a value: ${reason}`);
      },
      noteFloorCorrected: (_, { from, to }) => {
        logger.warn('version went backwards: send an epoch when the counter restarts', {
          from,
          to,
        });
      },
      noteCacheReadFailed: () => {
        metrics.rejected++;
        logger.warn('cache read failed');
      },
    },
  });
}
