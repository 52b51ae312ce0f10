import type { InspectionEvent } from 'xstate';
import type { InspectionObserver } from '../sync-options.js';
import type { BalanceLogger } from '../types.js';
import { describeError } from './shared.js';

/**
 * XState calls the inspection observer inside `send()`: one that throws (a devtool's bug) would
 * throw into the app's `setUser` or `send` and leave the event half applied. Its failures are
 * logged once, and the sync goes on.
 */
export function safeInspect(inspect: InspectionObserver, logger: BalanceLogger) {
  let reported = false;
  return (event: InspectionEvent): void => {
    try {
      if (typeof inspect === 'function') inspect(event);
      else inspect.next?.(event);
    } catch (error) {
      if (reported) return;
      reported = true;
      logger.error('inspect observer threw (further errors not logged)', {
        error: describeError(error),
      });
    }
  };
}
