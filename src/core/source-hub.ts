import type { Observable, Subscription } from 'rxjs';
import type { BalanceEvent } from '../../machines/events.js';
import type { BalanceSource, LocalHappening, SourceContext } from '../sources/types.js';
import type { BalanceLogger } from '../types.js';
import { describeError } from './shared.js';

/**
 * The sources' side of a sync: subscribes them when the machine starts running and ends every
 * subscription when it stops. Function sources get the signed-in user (read from the machine,
 * its only owner) and this tab's own happenings.
 */
export function createSourceHub(options: {
  sources: readonly BalanceSource[];
  keyPrefix: string;
  logger: BalanceLogger;
  user$: Observable<string | null>;
  local$: Observable<LocalHappening>;
}) {
  const context: SourceContext = {
    user$: options.user$,
    local$: options.local$,
    keyPrefix: options.keyPrefix,
    logger: options.logger,
  };
  const failed = (error: unknown) =>
    options.logger.error('event source failed', { error: describeError(error) });

  return {
    /** Subscribes every source; returns the function that ends them all. */
    start(send: (event: BalanceEvent) => void): () => void {
      const subscriptions: Subscription[] = [];
      for (const source of options.sources) {
        try {
          const events = typeof source === 'function' ? source(context) : source;
          subscriptions.push(events.subscribe({ next: send, error: failed }));
        } catch (error) {
          failed(error);
        }
      }
      return () => {
        for (const subscription of subscriptions) subscription.unsubscribe();
      };
    },
  };
}

export type SourceHub = ReturnType<typeof createSourceHub>;
