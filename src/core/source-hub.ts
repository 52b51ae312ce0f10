import { BehaviorSubject, Subject, type Subscription } from 'rxjs';
import type { BalanceEvent } from '../../machines/events.js';
import type { BalanceSource, LocalHappening, SourceContext } from '../sources/types.js';
import type { BalanceLogger } from '../types.js';
import { describeError } from './layer-access.js';

/**
 * Owns the sources' side of a sync: subscribes them on start, ends every subscription on stop,
 * and feeds function sources the signed-in user and this tab's own happenings.
 */
export function createSourceHub(options: {
  sources: readonly BalanceSource[];
  keyPrefix: string;
  logger: BalanceLogger;
  userId: string | null;
}) {
  const user$ = new BehaviorSubject<string | null>(options.userId);
  const local$ = new Subject<LocalHappening>();
  const context: SourceContext = {
    user$: user$.asObservable(),
    local$: local$.asObservable(),
    keyPrefix: options.keyPrefix,
    logger: options.logger,
  };
  let subscriptions: Subscription[] = [];

  return {
    start(send: (event: BalanceEvent) => void): void {
      subscriptions = options.sources.map((source) => {
        try {
          const events = typeof source === 'function' ? source(context) : source;
          return events.subscribe({
            next: send,
            error: (error: unknown) =>
              options.logger.error('event source failed', { error: describeError(error) }),
          });
        } catch (error) {
          options.logger.error('event source failed', { error: describeError(error) });
          return { unsubscribe: () => {} } as Subscription;
        }
      });
    },
    stop(): void {
      for (const subscription of subscriptions) subscription.unsubscribe();
      subscriptions = [];
    },
    setUser(userId: string | null): void {
      if (user$.value !== userId) user$.next(userId);
    },
    local(happening: LocalHappening): void {
      local$.next(happening);
    },
  };
}

export type SourceHub = ReturnType<typeof createSourceHub>;
