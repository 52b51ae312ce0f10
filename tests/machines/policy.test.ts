import { describe, expect, it } from 'vitest';
import { defaultConfig, initialContext } from '../../machines/context.js';
import {
  absorbOptimistic,
  backoffDelay,
  clampDelay,
  intervalDelay,
  isResponseOvertaken,
  knownVersion,
  MAX_TIMER_MS,
  pushRejection,
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

  it('rejects pushes for others, non-finite balances and versions not above what was shown', () => {
    expect(pushRejection(context({ userId: null }), { userId: 'u1', balance: 1 })).toBe(
      'no signed-in user',
    );
    expect(pushRejection(context(), { userId: 'u2', balance: 1 })).toBe('message for another user');
    expect(pushRejection(context(), { userId: 'u1', balance: Number.NaN })).toBe(
      'balance is not a finite number',
    );
    expect(
      pushRejection(context({ value: value(4) }), { userId: 'u1', balance: 1, version: 4 }),
    ).toMatch(/not newer/);
    expect(
      pushRejection(context({ value: null, versionFloor: 9 }), {
        userId: 'u1',
        balance: 1,
        version: 8,
      }),
    ).toMatch(/not newer than 9/);
    expect(
      pushRejection(context({ value: value(4) }), { userId: 'u1', balance: 1, version: 5 }),
    ).toBeNull();
    expect(pushRejection(context({ value: value(4) }), { userId: 'u1', balance: 1 })).toBeNull();
    // Another tab's revalidation of an unchanged value confirms it.
    expect(
      pushRejection(context({ value: value(4) }), { userId: 'u1', balance: 1, version: 4 }, true),
    ).toBeNull();
    expect(
      pushRejection(context({ value: value(4) }), { userId: 'u1', balance: 1, version: 3 }, true),
    ).toMatch(/not newer/);
  });

  it('knows the version to beat: the shown one or the floor, whichever is higher', () => {
    expect(knownVersion(context({ value: value(3), versionFloor: 7 }))).toBe(7);
    expect(knownVersion(context({ value: value(9), versionFloor: 7 }))).toBe(9);
    expect(knownVersion(context())).toBeNull();
  });

  it('discards a response only when a value landed after it started and it cannot prove newer', () => {
    const overtaken = context({ value: value(5), lastValueSeq: 3, fetchStartedSeq: 2 });
    expect(isResponseOvertaken(overtaken, { balance: 1, version: 4, updatedAt: null })).toBe(true);
    expect(isResponseOvertaken(overtaken, { balance: 1, version: null, updatedAt: null })).toBe(
      true,
    );
    expect(isResponseOvertaken(overtaken, { balance: 1, version: 5, updatedAt: null })).toBe(false);
    const untouched = context({ value: value(5), lastValueSeq: 1, fetchStartedSeq: 2 });
    expect(isResponseOvertaken(untouched, { balance: 1, version: 1, updatedAt: null })).toBe(false);
  });

  it('absorbs optimistic deltas settled before the value originated', () => {
    const pending = [
      { id: 1, delta: -1, settledAtSeq: 3 },
      { id: 2, delta: -2, settledAtSeq: null },
      { id: 3, delta: -3, settledAtSeq: 8 },
    ];
    expect(absorbOptimistic(pending, 5).map((entry) => entry.id)).toEqual([2, 3]);
  });
});
