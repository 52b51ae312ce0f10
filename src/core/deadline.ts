/**
 * Runs `run` and settles with its result, unless `ms` pass first (DeadlineError) or `signal`
 * aborts (AbortedError). The timer and listener end in every case, so `stop()`, which aborts
 * the signal, leaves no timer behind (invariant 7).
 */
import { MAX_TIMER_MS } from '../../machines/policy.js';

export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

export class AbortedError extends Error {
  override name = 'AbortedError';
}

export function withDeadline<T>(
  run: () => T | PromiseLike<T>,
  options: { ms: number; signal: AbortSignal; timeoutMessage: string; abortMessage: string },
): Promise<Awaited<T>> {
  return new Promise<Awaited<T>>((resolve, reject) => {
    if (options.signal.aborted) {
      reject(new AbortedError(options.abortMessage));
      return;
    }
    const cleanup = (): void => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      cleanup();
      reject(new AbortedError(options.abortMessage));
    };
    // No deadline for Infinity, nor for one past what a timer can wait (~24.8 days): setTimeout
    // would fire at once for either.
    const timer =
      options.ms <= MAX_TIMER_MS
        ? setTimeout(() => {
            cleanup();
            reject(new DeadlineError(options.timeoutMessage));
          }, options.ms)
        : undefined;
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      Promise.resolve(run()).then(
        (value) => {
          cleanup();
          resolve(value as Awaited<T>);
        },
        (error: unknown) => {
          cleanup();
          reject(error);
        },
      );
    } catch (error) {
      cleanup();
      reject(error);
    }
  });
}
