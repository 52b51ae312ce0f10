/**
 * Runs `run` and settles with its result, unless `ms` pass first (DeadlineError) or `signal`
 * aborts (AbortedError). The timer and listener end in every case, so `stop()`, which aborts
 * the signal, leaves no timer behind (invariant 7).
 */
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
    // No deadline for Infinity (setTimeout would fire at once for it).
    const timer = Number.isFinite(options.ms)
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
