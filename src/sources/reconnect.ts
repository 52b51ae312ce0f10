import { defer, type Observable, retry, timer } from 'rxjs';
import { backoffDelay } from '../../machines/policy.js';
import type { BalanceLogger } from '../types.js';

export interface ReconnectPolicy {
  baseMs: number;
  maxMs: number;
  random: () => number;
}

/**
 * Runs `connect` again whenever its connection fails or ends, after an exponential backoff with
 * equal jitter (the same rule as fetch retries). The first event of a connection resets the
 * backoff: a server that was reachable again starts from `baseMs` after the next drop.
 */
export function reconnecting<T>(
  connect: () => Observable<T>,
  policy: ReconnectPolicy,
  logger: BalanceLogger,
  label: string,
): Observable<T> {
  const { baseMs, maxMs } = policy;
  return defer(connect).pipe(
    retry({
      resetOnSuccess: true,
      delay: (error: unknown, attempt: number) => {
        const delayMs = backoffDelay({ attempts: 0, baseMs, maxMs }, attempt, policy.random());
        logger.info(`${label} reconnecting`, { attempt, delayMs, error: String(error) });
        return timer(delayMs);
      },
    }),
  );
}
