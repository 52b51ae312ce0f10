/**
 * Runs a source the way the sync does (a `SourceContext` with a user stream) and records every
 * event, for tests that look at the source alone rather than through the core.
 */
import { BehaviorSubject, EMPTY, type Subscription } from 'rxjs';
import type { BalanceEvent } from '../../machines/events.js';
import type { BalanceSource } from '../../src/sources/types.js';
import { recordingLogger } from './recording-logger.js';
import { waitFor } from './wait-for.js';

export interface RecordedSource {
  events: BalanceEvent[];
  /** Event types in order, `SOCKET.` left out: `CONNECTED`, `BALANCE_UPDATED`, ... */
  types(): string[];
  logger: ReturnType<typeof recordingLogger>;
  user$: BehaviorSubject<string | null>;
  subscription: Subscription;
  /** Resolves once `count` events match. */
  until(
    predicate: (event: BalanceEvent) => boolean,
    count?: number,
    timeoutMs?: number,
  ): Promise<void>;
  /** Logged reconnect delays, in order. */
  delays(): unknown[];
}

export function recordSource(
  source: BalanceSource,
  userId: string | null = 'alice',
): RecordedSource {
  const logger = recordingLogger();
  const user$ = new BehaviorSubject<string | null>(userId);
  const events: BalanceEvent[] = [];
  const observable =
    typeof source === 'function'
      ? source({ user$, local$: EMPTY, keyPrefix: 'test', logger, now: Date.now })
      : source;
  const subscription = observable.subscribe((event) => events.push(event));
  return {
    events,
    types: () => events.map((event) => event.type.replace(/^SOCKET\./, '')),
    logger,
    user$,
    subscription,
    until: (predicate, count = 1, timeoutMs = 3_000) =>
      waitFor(() => events.filter(predicate).length >= count, timeoutMs),
    delays: () =>
      logger.lines
        .filter((line) => line.message.endsWith(' reconnecting'))
        .map((line) => line.details?.delayMs),
  };
}

export const isType =
  (type: BalanceEvent['type']) =>
  (event: BalanceEvent): boolean =>
    event.type === type;
