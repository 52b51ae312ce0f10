import { defer, type Observable, retry, tap, timer } from 'rxjs';
import { backoffDelay } from '../../machines/policy.js';
import { describeError } from '../core/shared.js';
import type { BalanceLogger } from '../types.js';

export interface ReconnectPolicy {
  baseMs: number;
  maxMs: number;
  /**
   * A connection that stayed up this long was healthy: after it drops, the backoff starts
   * afresh. One that drops sooner (a server that accepts and closes at once, an auth check that
   * fails after the handshake) keeps backing off, or reconnects would come as fast as it opens.
   */
  healthyMs: number;
  random: () => number;
}

export const DEFAULT_HEALTHY_MS = 5_000;

/**
 * Runs `connect` again whenever its connection fails or ends, after an exponential backoff with
 * equal jitter (the same rule as fetch retries: after three quick attempts, at least a second
 * apart). A healthy connection (its first event at least `healthyMs` before it ended) resets
 * the backoff, so a server that was reachable again starts from `baseMs`.
 */
export function reconnecting<T>(
  connect: () => Observable<T>,
  policy: ReconnectPolicy,
  logger: BalanceLogger,
  label: string,
): Observable<T> {
  const { baseMs, maxMs } = policy;
  return defer(() => {
    // Per subscription: each one backs off on its own.
    let failures = 0;
    let firstEventAt: number | null = null;
    const attempt = defer(() => {
      firstEventAt = null;
      return connect().pipe(
        tap(() => {
          firstEventAt ??= Date.now();
        }),
      );
    });
    return attempt.pipe(
      retry({
        delay: (error: unknown) => {
          const healthy = firstEventAt !== null && Date.now() - firstEventAt >= policy.healthyMs;
          failures = healthy ? 1 : failures + 1;
          const delayMs = backoffDelay({ attempts: 0, baseMs, maxMs }, failures, policy.random());
          logger.info(`${label} reconnecting`, {
            attempt: failures,
            delayMs,
            error: describeError(error),
          });
          return timer(delayMs);
        },
      }),
    );
  });
}
