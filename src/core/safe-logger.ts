import type { BalanceLogger } from '../types.js';

/** A throwing logger must not break the machine's actions (invariant 6: nothing thrown). */
export function safeLogger(logger: BalanceLogger): BalanceLogger {
  const wrap =
    (method: keyof BalanceLogger) =>
    (message: string, details?: Record<string, unknown>): void => {
      try {
        // No trailing `undefined` in a console line without details.
        if (details === undefined) logger[method](message);
        else logger[method](message, details);
      } catch {
        // Nowhere left to report it; dropping one log line beats breaking the sync.
      }
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
