import { describe, expect, it } from 'vitest';
import { defaultConfig, initialContext } from '../../machines/context.js';
import {
  backoffDelay,
  clampDelay,
  dedupeRemaining,
  intervalDelay,
  isTooOld,
  isWithinDedupe,
  MAX_TIMER_MS,
  toEpochMs,
} from '../../machines/policy.js';

const context = (overrides = {}) => ({
  ...initialContext({ config: defaultConfig, userId: 'u1' }),
  ...overrides,
});
const value = (version: number | null) => ({
  userId: 'u1',
  balance: 1,
  version,
  epoch: null,
  updatedAt: null,
  timestamp: 0,
  expiresAt: 1,
});

describe('policy', () => {
  it('clamps timer delays to what setTimeout can wait, and never below 0', () => {
    expect(clampDelay(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_MS);
    expect(clampDelay(-5)).toBe(0);
    expect(clampDelay(Number.NaN)).toBe(0);
    expect(clampDelay(1_000)).toBe(1_000);
  });

  it('turns a disabled polling interval into a timer that never fires', () => {
    expect(intervalDelay(0)).toBe(MAX_TIMER_MS);
    expect(intervalDelay(30_000)).toBe(30_000);
  });

  it('backs off exponentially with equal jitter, capped', () => {
    const policy = { attempts: 5, baseMs: 1_000, maxMs: 5_000 };
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(policy, attempt, 1))).toEqual([
      1_000, 2_000, 4_000, 5_000,
    ]);
    expect(backoffDelay(policy, 3, 0)).toBe(2_000);
  });

  it('parses updatedAt from epoch ms or a date string', () => {
    expect(toEpochMs('2026-11-24T12:00:00Z')).toBe(Date.UTC(2026, 10, 24, 12));
    expect(toEpochMs(5)).toBe(5);
    expect(toEpochMs('yesterday-ish')).toBeNull();
    expect(toEpochMs(Number.NaN)).toBeNull();
  });

  it('counts a wall clock moved back as outside the dedupe window, and tells how long is left', () => {
    const started = context({ lastFetchStartedAt: 10_000 });
    expect(isWithinDedupe(started, 10_500)).toBe(true);
    expect(dedupeRemaining(started, 10_500)).toBe(500);
    expect(isWithinDedupe(started, 11_000)).toBe(false);
    expect(dedupeRemaining(started, 11_000)).toBe(MAX_TIMER_MS);
    // Five hours back: "now" is before the start, which must not hold the window open for 5 h.
    expect(isWithinDedupe(started, 10_000 - 5 * 3_600_000)).toBe(false);
  });

  it('bounds every value shown by maxStaleMs, in memory too', () => {
    expect(isTooOld(value(1), 86_400_000, 86_400_000)).toBe(false);
    expect(isTooOld(value(1), 86_400_001, 86_400_000)).toBe(true);
    expect(isTooOld(null, 1e12, 1)).toBe(false);
  });
});
