/**
 * The chart's named delays, as functions of its context: timers that cannot apply wait the
 * longest timer, and none is longer than a timer can wait (see ./policy.ts).
 */
import type { BalanceContext } from './context.js';
import {
  backoffDelay,
  clampDelay,
  dedupeRemaining,
  intervalDelay,
  MAX_TIMER_MS,
  maxStaleDelay,
  ttlDelay,
} from './policy.js';

type Ctx = { context: BalanceContext };

export const timerDelays = {
  // A timer that cannot apply (no value, polling off) waits "forever" (the longest timer
  // allowed) instead of firing at once on every entry for nothing.
  ttl: ({ context }: Ctx) => ttlDelay(context),
  maxStale: ({ context }: Ctx) => maxStaleDelay(context),
  pollInterval: ({ context }: Ctx) => intervalDelay(context.config.refreshIntervalMs),
  socketPollInterval: ({ context }: Ctx) => intervalDelay(context.config.socketRefreshIntervalMs),
  followerPollInterval: ({ context }: Ctx) => intervalDelay(2 * context.config.refreshIntervalMs),
  /** Until the dedupe window of the last request closes: owed work waits for it. */
  dedupeRemaining: ({ context }: Ctx) => dedupeRemaining(context, context.now()),
  /**
   * How long a follower waits for the leader's value before fetching itself: a hidden
   * leader's throttled timers must not delay what a visible follower shows.
   */
  leaderGrace: ({ context }: Ctx) => clampDelay(Math.max(1_000, context.config.dedupeMs)),
  backoff: ({ context }: Ctx) => {
    const wait = dedupeRemaining(context, context.now());
    const backoff = backoffDelay(context.config.retry, context.retryAttempt, context.random());
    return Math.max(backoff, wait === MAX_TIMER_MS ? 0 : wait);
  },
};
