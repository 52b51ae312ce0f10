import type { BalanceLogger } from '../types.js';
import { describeError, isFiniteNumber } from './shared.js';

/** Why a reading of the app's clock was not used. */
type ClockFailure = 'threw' | 'not a finite number';

/**
 * The app's `now` is read inside the machine's guards and actions: one that throws would put the
 * XState actor into its error state for good (pushes ignored, `invalidate()` never settling),
 * and one that answers `NaN` makes every expiry comparison false, so eventless transitions loop
 * within one `send()`. A failed reading is replaced by `Date.now()`; the first failure is logged
 * (later ones would flood the log: the clock is read many times per event), and the app's clock
 * is read again next time, so a clock that recovers is used again.
 */
export function safeClock(now: () => number, logger: BalanceLogger): () => number {
  let reported = false;
  const fallBack = (reason: ClockFailure, details: Record<string, unknown>): number => {
    if (!reported) {
      reported = true;
      logger.error(
        'clock (now option) failed: Date.now() used instead (further failures not logged)',
        {
          option: 'now',
          reason,
          ...details,
        },
      );
    }
    return Date.now();
  };
  return () => {
    let reading: unknown;
    try {
      reading = now();
    } catch (error) {
      return fallBack('threw', { error: describeError(error) });
    }
    return isFiniteNumber(reading)
      ? reading
      : // Not String() of an object: its own toString could throw here.
        fallBack('not a finite number', {
          got: typeof reading === 'number' ? String(reading) : typeof reading,
        });
  };
}
