/**
 * Pure freshness, ordering and retry rules of the SPEC, kept out of the chart so the chart
 * reads as data and these read as plain functions (and are unit-tested as such).
 */
import type {
  BalanceContext,
  BalanceValue,
  FetchedBalance,
  PendingOptimistic,
  RetryPolicy,
} from './context.js';
import type { PushedBalance } from './events.js';

/** Browsers fire a timer early (immediately) when its delay exceeds a signed 32-bit int. */
export const MAX_TIMER_MS = 2_147_483_647;

export function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

/** A polling interval as a timer delay; 0 means off, so the timer never fires. */
export function intervalDelay(intervalMs: number): number {
  return intervalMs > 0 ? clampDelay(intervalMs) : MAX_TIMER_MS;
}

export function isExpired(value: BalanceValue | null, now: number): boolean {
  return value !== null && now >= value.expiresAt;
}

export function isWithinDedupe(context: BalanceContext, now: number): boolean {
  const started = context.lastFetchStartedAt;
  return started !== null && now - started < context.config.dedupeMs;
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped at maxMs. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: number): number {
  const exponential = policy.baseMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxMs, exponential);
  return capped / 2 + (capped / 2) * random;
}

export function toEpochMs(updatedAt: number | string | null | undefined): number | null {
  if (typeof updatedAt === 'number') return Number.isFinite(updatedAt) ? updatedAt : null;
  if (typeof updatedAt === 'string') {
    const parsed = Date.parse(updatedAt);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

/**
 * Why a pushed value (socket or other tab) may not be shown, or null when it may.
 * Invariants 1 (isolation), 2 (monotonic versions) and 6 (bad input never shown).
 */
export function pushRejection(
  context: BalanceContext,
  push: PushedBalance,
  /** Another tab's revalidation of an unchanged value confirms it: the same version is fresh news. */
  sameVersionConfirms = false,
): string | null {
  if (context.userId === null) return 'no signed-in user';
  if (push.userId !== context.userId) return 'message for another user';
  if (typeof push.balance !== 'number' || !Number.isFinite(push.balance)) {
    return 'balance is not a finite number';
  }
  const version = push.version ?? null;
  if (version !== null && (typeof version !== 'number' || !Number.isFinite(version))) {
    return 'version is not a finite number';
  }
  const known = knownVersion(context);
  if (
    version !== null &&
    known !== null &&
    (sameVersionConfirms ? version < known : version <= known)
  ) {
    return `version ${version} is not newer than ${known}`;
  }
  return null;
}

/** The version a new value must beat: the one shown, or the floor kept through invalidation. */
export function knownVersion(context: BalanceContext): number | null {
  const shown = context.value?.version ?? null;
  const floor = context.versionFloor;
  if (shown === null) return floor;
  return floor === null ? shown : Math.max(shown, floor);
}

/**
 * A response is overtaken when a value landed after its request started and the response
 * cannot prove (by version) that it is at least as new. SPEC freshness policy / invariant 2.
 */
export function isResponseOvertaken(context: BalanceContext, response: FetchedBalance): boolean {
  const landedSinceStart = context.lastValueSeq > context.fetchStartedSeq;
  if (!landedSinceStart) return false;
  const known = knownVersion(context);
  return response.version === null || known === null || response.version < known;
}

export function makeValue(
  userId: string,
  received: { balance: number; version?: number | null; updatedAt?: number | string | null },
  now: number,
  ttlMs: number,
): BalanceValue {
  return {
    userId,
    balance: received.balance,
    version: received.version ?? null,
    updatedAt: toEpochMs(received.updatedAt),
    timestamp: now,
    expiresAt: now + ttlMs,
  };
}

/** Optimistic deltas whose commit settled before `originSeq` are included in that value. */
export function absorbOptimistic(
  pending: PendingOptimistic[],
  originSeq: number,
): PendingOptimistic[] {
  return pending.filter((entry) => entry.settledAtSeq === null || entry.settledAtSeq >= originSeq);
}

export function optimisticBalance(context: BalanceContext): number | null {
  if (context.value === null) return null;
  return context.optimistic.reduce((sum, entry) => sum + entry.delta, context.value.balance);
}
