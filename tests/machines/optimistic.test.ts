import { describe, expect, it } from 'vitest';
import { addAmounts, amountProblem, normaliseAmount } from '../../machines/amounts.js';
import { defaultConfig, initialContext } from '../../machines/context.js';
import type { PendingOptimistic } from '../../machines/debits.js';
import { recordCommit, settleByValue } from '../../machines/optimistic.js';

const entry = (id: number, delta: number, commit: PendingOptimistic['commit'] = null) => ({
  id,
  delta,
  commit,
});
const value = (balance: number, version: number | null, extra = {}) => ({
  balance,
  version,
  epoch: null,
  previousBalance: 100,
  requestedAtSeq: null,
  retiredEpochs: [] as { epoch: string; floor: number | null }[],
  ...extra,
});

/** A context showing `balance` at `version` for u1, with floor at that version. */
const showing = (balance: number, version: number) => ({
  ...initialContext({ config: defaultConfig, userId: 'u1' }),
  value: {
    userId: 'u1',
    balance,
    version,
    epoch: null,
    updatedAt: null,
    timestamp: 0,
    expiresAt: 1,
  },
  versionFloor: version,
});

const pendingAfter = (...args: Parameters<typeof settleByValue>) => settleByValue(...args).pending;

describe('settling optimistic debits (SPEC rules 1-3)', () => {
  it('rule 2: a value equal to the base plus the first k deltas confirms those k', () => {
    const pending = [entry(1, -10), entry(2, -5), entry(3, -1)];
    expect(pendingAfter(pending, value(90, 2)).map((e) => e.id)).toEqual([2, 3]);
    expect(pendingAfter(pending, value(85, 2)).map((e) => e.id)).toEqual([3]);
    // Unrelated: nothing settles, the deltas stay applied on the new base.
    expect(pendingAfter(pending, value(150, 2)).map((e) => e.id)).toEqual([1, 2, 3]);
    // Only the second (the first refused, or not reached yet): the second settles.
    expect(pendingAfter(pending, value(95, 2)).map((e) => e.id)).toEqual([1, 3]);
    expect(pendingAfter(pending, value(94, 2)).map((e) => e.id)).toEqual([1]);
  });

  it('rule 2 out of order: a value several sets of amounts explain settles none', () => {
    const pending = [entry(1, -1), entry(2, -5), entry(3, -3), entry(4, -2)];
    // 95: the -5 alone, or the -3 and the -2: unknown which.
    expect(pendingAfter(pending, value(95, 2)).map((e) => e.id)).toEqual([1, 2, 3, 4]);
    // The same amount twice is one answer: the first of them settles.
    const twice = [entry(1, -1), entry(2, -5), entry(3, -5)];
    expect(pendingAfter(twice, value(95, 2)).map((e) => e.id)).toEqual([1, 3]);
    // Past ten unanswered debits only prefixes are tried.
    const many = [entry(1, -7), ...Array.from({ length: 10 }, (_, i) => entry(i + 2, -1))];
    expect(pendingAfter(many, value(99, 2))).toHaveLength(11);
  });

  it('rule 1: a value with the commit version or later includes the delta', () => {
    const pending = [entry(1, -10, { version: 3, epoch: null, seq: 5 }), entry(2, -5)];
    expect(pendingAfter(pending, value(77, 3)).map((e) => e.id)).toEqual([2]);
    expect(pendingAfter(pending, value(77, 2)).map((e) => e.id)).toEqual([1, 2]);
    // Another epoch cannot be compared with the commit's version.
    expect(pendingAfter(pending, value(77, 9, { epoch: 'e2' })).map((e) => e.id)).toEqual([1, 2]);
  });

  it('rule 3: without a version, only a value fetched after the commit resolved includes it', () => {
    const pending = [entry(1, -10, { version: null, epoch: null, seq: 5 })];
    expect(pendingAfter(pending, value(77, 4, { requestedAtSeq: 6 }))).toEqual([]);
    expect(pendingAfter(pending, value(77, 4, { requestedAtSeq: 5 }))).toHaveLength(1);
    expect(pendingAfter(pending, value(77, 4))).toHaveLength(1); // a push: not fetched
  });

  it('a commit with a version drops the delta at once when the shown value has it already', () => {
    const context = {
      ...showing(90, 2),
      optimistic: [entry(1, -10)],
    };
    expect(recordCommit(context, 1, { version: 2, epoch: null })).toEqual({
      optimistic: [],
      guessedDebits: [],
      owesRevalidation: false,
    });
    expect(recordCommit(context, 1, { version: 3, epoch: null }).optimistic).toHaveLength(1);
    expect(recordCommit(context, 1, { version: null, epoch: null }).owesRevalidation).toBe(true);
    // Unknown id (settled already, or from before a user switch): nothing to do.
    expect(recordCommit(context, 9, { version: null, epoch: null }).owesRevalidation).toBe(false);
  });
});

describe('one change is credited to one debit (outside review 7)', () => {
  it('rules 1 and 3 go first: the deltas they find in the value are not matched again by rule 2', () => {
    // Two debits of 10; the second's commit answered v6, and v6 is 90: one debit, the second.
    const pending = [entry(1, -10), entry(2, -10, { version: 6, epoch: null, seq: 5 })];
    expect(settleByValue(pending, value(90, 6))).toEqual({
      pending: [entry(1, -10)],
      guessed: [],
      included: [pending[1]],
    });
    // Both in v6: the second by its version, the first by rule 2 (a guess: it had no answer).
    expect(settleByValue(pending, value(80, 6))).toEqual({
      pending: [],
      guessed: [entry(1, -10)],
      included: [pending[1]],
    });
  });

  it('a commit that claims a value rule 2 gave to a debit of the same amount puts that one back', () => {
    const context = {
      ...showing(90, 6),
      optimistic: [entry(2, -10)],
      guessedDebits: [{ entry: entry(1, -10), version: 6, since: 5, epoch: null, lastDebitId: 2 }],
    };
    expect(recordCommit(context, 2, { version: 6, epoch: null })).toEqual({
      optimistic: [entry(1, -10)],
      guessedDebits: [],
      owesRevalidation: false,
    });
    // A later version: the guess may be right (debit 2 came after v6); nothing is put back.
    expect(recordCommit(context, 2, { version: 7, epoch: null }).optimistic).toEqual([
      { ...entry(2, -10), commit: { version: 7, epoch: null, seq: 0 } },
    ]);
    // Debit 2 answered v5: it was in the base the guess counted from; the guess stands.
    expect(recordCommit(context, 2, { version: 5, epoch: null })).toMatchObject({
      optimistic: [],
      guessedDebits: context.guessedDebits,
    });
    // Debit 1's own answer ends the guess.
    expect(recordCommit(context, 1, { version: 6, epoch: null }).guessedDebits).toEqual([]);
  });
});

describe('amounts', () => {
  it('adds decimals as decimals', () => {
    expect(addAmounts(100.3, -0.1)).toBe(100.2);
    expect(addAmounts(0.1, 0.2)).toBe(0.3);
    expect(addAmounts(1e-7, 2e-7)).toBe(3e-7);
    expect(addAmounts(10, -10)).toBe(0);
    expect(Object.is(addAmounts(-0), 0)).toBe(true);
  });

  it('rejects what would be rounded, and -0 becomes 0', () => {
    expect(amountProblem(2 ** 53)).toMatch(/safe range/);
    expect(amountProblem(Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(amountProblem(Number.NaN)).toMatch(/finite/);
    expect(amountProblem('5')).toMatch(/finite/);
    expect(amountProblem(0.5)).toBeNull();
    expect(Object.is(normaliseAmount(-0), 0)).toBe(true);
  });
});
