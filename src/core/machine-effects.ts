/**
 * The core's implementations of the machine's named I/O hooks, swapped in with `.provide()`.
 * The chart stays pure; everything that touches storage, the network, the sources or the
 * logger is here.
 */
import type { Observable } from 'rxjs';
import { fromCallback, fromPromise } from 'xstate';
import { balanceMachine } from '../../machines/balance.machine.js';
import type { FetchBalanceInput, ReadCacheInput } from '../../machines/balance.setup.js';
import type { FetchedBalance, HydratedValue } from '../../machines/context.js';
import type { BalanceEvent } from '../../machines/events.js';
import type { LocalHappening } from '../sources/types.js';
import { DeadlineError, withDeadline } from './deadline.js';
import { readLayers } from './hydrate.js';
import { type InvalidationDeps, invalidateTargets, invalidationActor } from './invalidation.js';
import type { ResolvedOptions } from './options.js';
import { purgeUser, writeLayers } from './persist.js';
import { describeError } from './shared.js';
import type { SourceHub } from './source-hub.js';
import { validateFetched } from './validate.js';

export interface EffectDeps extends InvalidationDeps {
  options: ResolvedOptions;
  /** Sources' subscriptions, started and ended with the `running` state. */
  hub: SourceHub;
  /** Validates an event from a source before the machine sees it. */
  send: (event: BalanceEvent) => void;
  /** This tab's own happenings, for sources that tell other tabs (never echoes of theirs). */
  local: { next(happening: LocalHappening): void } & Pick<Observable<LocalHappening>, 'subscribe'>;
}

export function provideEffects(deps: EffectDeps) {
  const { access, options } = deps;
  const { logger, metrics } = access;
  let lifetime = new AbortController();
  /** When this tab's last request started: since then its answer is known current. */
  let requestStartedAt = 0;
  return balanceMachine.provide({
    actors: {
      readCache: fromPromise<HydratedValue | null, ReadCacheInput>(({ input, signal }) =>
        readLayers(access, input.userId, signal),
      ),
      fetchBalance: fromPromise<FetchedBalance, FetchBalanceInput>(async ({ input, signal }) => {
        metrics.fetches++;
        logger.debug('fetching balance', { userId: input.userId, skipCache: input.skipCache });
        deps.local.next({ type: 'fetch-started', userId: input.userId });
        requestStartedAt = options.now();
        // The app's request is aborted when the machine leaves `fetching` or when it times out.
        const request = new AbortController();
        const cancel = () => request.abort(signal.reason);
        signal.addEventListener('abort', cancel, { once: true });
        try {
          const raw = await withDeadline(
            () =>
              options.fetchBalance({
                userId: input.userId,
                signal: request.signal,
                skipCache: input.skipCache,
              }),
            {
              ms: options.requestTimeoutMs,
              signal,
              timeoutMessage: `no answer within ${options.requestTimeoutMs} ms`,
              abortMessage: 'request cancelled',
            },
          );
          return await validateFetched(raw, options.schema, input.userId, request.signal);
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
      invalidation: invalidationActor(deps),
      sources: fromCallback(() => deps.hub.start(deps.send)),
    },
    actions: {
      persistValue: ({ context, self }, { skipLayer }) => {
        if (context.value === null) return;
        // A layer's value for an invalidated user may predate the invalidation: not copied on.
        if (skipLayer !== null && context.distrustedUsers.includes(context.value.userId)) return;
        void writeLayers(
          access,
          context.value,
          skipLayer,
          (userId) => self.getSnapshot().context.userId === userId,
        );
        // Values this tab received itself (not hydrated, not relayed by another tab).
        const source = context.source;
        if (skipLayer === null && (source === 'network' || source === 'socket')) {
          deps.local.next({
            type: 'value',
            value: context.value,
            source: source as 'network' | 'socket',
            observedAt: source === 'network' ? requestStartedAt : context.value.timestamp,
          });
        }
      },
      purgeUser: (_, { userId }) => {
        if (userId !== null) void purgeUser(access, userId);
      },
      announceUser: ({ context }) => deps.local.next({ type: 'user', userId: context.userId }),
      notifyForeignCaches: () => {
        if (deps.targets.size === 0) return;
        void invalidateTargets(deps, lifetime.signal).then((outcomes) => {
          const failed = outcomes.filter((entry) => !entry.ok);
          if (failed.length > 0) logger.error('invalidation targets failed', { failed });
        });
      },
      openLifetime: () => {
        lifetime = new AbortController();
      },
      closeLifetime: () => lifetime.abort(),
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
