/**
 * Pure freshness, dedupe, retry and timer rules of the SPEC, kept out of the chart so the chart
 * reads as data and these read as plain functions (and are unit-tested as such). Exported by
 * `balance-sync/machines` as `policy`, for tests and tools that reason about the chart.
 */
import type { BalanceContext, BalanceValue, RetryPolicy } from './context.js';

/** Browsers fire a timer early (immediately) when its delay exceeds a signed 32-bit int. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A delay as a timer can take it: 0 for anything not above 0 (including NaN), at most
 * `MAX_TIMER_MS`, so no browser fires it at once.
 */
export function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

/** A polling interval as a timer delay; 0 means off, so the timer never fires. */
export function intervalDelay(intervalMs: number): number {
  return intervalMs > 0 ? clampDelay(intervalMs) : MAX_TIMER_MS;
}

/** Whether a value is past its TTL at `now` (no value is not expired; a socket may still vouch). */
export function isExpired(value: BalanceValue | null, now: number): boolean {
  return value !== null && now >= value.expiresAt;
}

/** Past `maxStaleMs` a value is not shown at all, in memory as in storage (invariant 3). */
export function isTooOld(value: BalanceValue | null, now: number, maxStaleMs: number): boolean {
  return value !== null && now - value.timestamp > maxStaleMs;
}

/**
 * How old the shown value is on the monotonic clock (0 when not tracked yet): a wall clock moved
 * back makes `now - timestamp` shrink, this does not.
 */
export function valueAge(context: BalanceContext): number {
  const { value, valueAge: tracked } = context;
  if (value === null || tracked === null || tracked.timestamp !== value.timestamp) return 0;
  // Never negative: with the app's own clock the "monotonic" one can be set back too, and a
  // negative age would re-date the value into the future again, for ever.
  return Math.max(0, context.elapsed() - tracked.since);
}

/**
 * Inside the dedupe window of the last request start (this tab's or another's). A wall clock
 * moved back puts "now" before the start: that is not inside, or the window would last as long
 * as the jump.
 */
export function isWithinDedupe(context: BalanceContext, now: number): boolean {
  const started = context.lastFetchStartedAt;
  return started !== null && now >= started && now - started < context.config.dedupeMs;
}

/** How long until the dedupe window closes; "never" when outside it (nothing to wait for). */
export function dedupeRemaining(context: BalanceContext, now: number): number {
  const started = context.lastFetchStartedAt;
  if (started === null || !isWithinDedupe(context, now)) return MAX_TIMER_MS;
  return clampDelay(started + context.config.dedupeMs - now);
}

/** Retries (and reconnects) after this many come at least `STEADY_RETRY_MS` apart. */
export const QUICK_RETRIES = 3;
/** The least delay between retries after the quick ones, whatever the retry policy says. */
export const STEADY_RETRY_MS = 1_000;

/**
 * Exponential backoff with "equal jitter": half fixed, half random, capped at maxMs. After the
 * first few attempts the delay is at least a second whatever the policy says, so no `retry`
 * (say `{ attempts: 1e6, baseMs: 0 }`) can hammer a failing server (SPEC: no option value can
 * make a request storm).
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: number): number {
  const exponential = policy.baseMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxMs, exponential);
  const delay = capped / 2 + (capped / 2) * random;
  // Clamped: a `maxMs` past what a timer takes would otherwise fire at once.
  return clampDelay(attempt > QUICK_RETRIES ? Math.max(STEADY_RETRY_MS, delay) : delay);
}

/**
 * A server's `updatedAt` as ms since epoch: a finite number as is, a string parsed by
 * `Date.parse`; anything else (or an unparsable string) is `null`.
 */
export function toEpochMs(updatedAt: number | string | null | undefined): number | null {
  if (typeof updatedAt === 'number') return Number.isFinite(updatedAt) ? updatedAt : null;
  if (typeof updatedAt === 'string') {
    const parsed = Date.parse(updatedAt);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

/**
 * Until the value's TTL runs out. Never longer than one TTL from now: after the wall clock moved
 * back, `expiresAt - now` would trust the value for as long as the jump. Never past `maxStaleMs`
 * either. No value: "forever" (the longest timer allowed).
 */
export function ttlDelay(context: BalanceContext): number {
  const { value, config } = context;
  if (value === null) return MAX_TIMER_MS;
  const now = context.now();
  return clampDelay(
    Math.min(value.expiresAt - now, config.ttlMs, value.timestamp + config.maxStaleMs + 1 - now),
  );
}

/**
 * Until the value is older than `maxStaleMs` (then it is not shown at all). Never longer than
 * `maxStaleMs` from now: after the wall clock moved back, the value's age by that clock would
 * trust it for as long as the jump (the timer, which is monotonic, then decides: see
 * `maxStaleElapsed`).
 */
export function maxStaleDelay(context: BalanceContext): number {
  const { value, config } = context;
  if (value === null) return MAX_TIMER_MS;
  return clampDelay(
    Math.min(
      value.timestamp + config.maxStaleMs + 1 - context.now(),
      config.maxStaleMs + 1 - valueAge(context),
    ),
  );
}
