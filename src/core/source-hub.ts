import type { Observable, Subscription } from 'rxjs';
import type { BalanceEvent } from '../../machines/events.js';
import { tellerOf } from '../sources/stopped-relay.js';
import type { BalanceSource, LocalHappening, SourceContext } from '../sources/types.js';
import type { BalanceLogger } from '../types.js';
import { describeError } from './shared.js';

/**
 * The sources' side of a sync: subscribes them when the machine starts running and ends every
 * subscription when it stops. Function sources get the signed-in user (read from the machine,
 * its only owner) and this tab's own happenings.
 */
/** An event's type, read without trusting the event (the inbox rejects what is unreadable). */
function typeOf(event: unknown): unknown {
  try {
    return (event as { type?: unknown } | null)?.type;
  } catch {
    return undefined;
  }
}

export function createSourceHub(options: {
  sources: readonly BalanceSource[];
  keyPrefix: string;
  logger: BalanceLogger;
  now: () => number;
  user$: Observable<string | null>;
  local$: Observable<LocalHappening>;
}) {
  const context: SourceContext = {
    user$: options.user$,
    local$: options.local$,
    keyPrefix: options.keyPrefix,
    logger: options.logger,
    now: options.now,
  };
  const failed = (error: unknown) =>
    options.logger.error('event source failed', { error: describeError(error) });

  // Stopped, no source is subscribed; what this tab does (a sign-out, an invalidation) is still
  // told to the other tabs by the sources that can (see ../sources/stopped-relay.ts).
  let running = false;
  options.local$.subscribe((happening) => {
    if (running) return;
    for (const source of options.sources) {
      try {
        if (typeof source === 'function') tellerOf(source)?.(happening, context);
      } catch (error) {
        failed(error);
      }
    }
  });

  return {
    /** Subscribes every source; returns the function that ends them all. */
    start(send: (event: BalanceEvent) => void): () => void {
      running = true;
      const subscriptions: Subscription[] = [];
      for (const source of options.sources) {
        // A source that ends (fails or completes) after it said "connected" is heard no more:
        // its connection counts as gone, or the socket would vouch for the value forever.
        let connected = false;
        const ended = (): void => {
          if (connected) send({ type: 'SOCKET.DISCONNECTED' });
          connected = false;
        };
        const next = (event: BalanceEvent): void => {
          const type = typeOf(event);
          if (type === 'SOCKET.CONNECTED') connected = true;
          if (type === 'SOCKET.DISCONNECTED') connected = false;
          send(event);
        };
        try {
          const events = typeof source === 'function' ? source(context) : source;
          subscriptions.push(
            events.subscribe({
              next,
              error: (error) => {
                failed(error);
                ended();
              },
              complete: ended,
            }),
          );
        } catch (error) {
          failed(error);
        }
      }
      return () => {
        running = false;
        for (const subscription of subscriptions) subscription.unsubscribe();
      };
    },
  };
}

export type SourceHub = ReturnType<typeof createSourceHub>;
