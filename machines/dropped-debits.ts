/**
 * Debits a user change dropped while unanswered (SPEC: a switch drops them on screen). The
 * server may still apply them: when their user is back, a value that includes one must not be
 * taken for a debit of the new session with the same amount, which would then be lost while
 * unanswered (invariant 8). They are never shown; the settlement rules see them as the earliest
 * pending debits, and they leave when a value includes them or their commit is rejected.
 */
import type { BalanceContext } from './context.js';
import type { DroppedDebit } from './debits.js';

/** Enough for any real session; the oldest go first. */
const MAX_DROPPED = 16;

/** The dropped debits once the user changes to `nextUser`. */
export function dropDebits(context: BalanceContext, nextUser: string | null): DroppedDebit[] {
  const leaving = context.userId;
  if (leaving === null || leaving === nextUser || context.optimistic.length === 0) {
    return context.droppedDebits;
  }
  const dropped = context.optimistic.map((entry) => ({ ...entry, userId: leaving }));
  return [...context.droppedDebits, ...dropped].slice(-MAX_DROPPED);
}

/**
 * A dropped debit's commit settled: a rejection ends it, an answer is kept for rules 1 and 3.
 * Null when `id` is not a dropped debit.
 */
export function settleDropped(
  context: BalanceContext,
  id: number,
  answer: { version: number | null; epoch: string | null } | null,
): DroppedDebit[] | null {
  const dropped = context.droppedDebits.find((entry) => entry.id === id);
  if (dropped === undefined) return null;
  const rest = context.droppedDebits.filter((entry) => entry !== dropped);
  if (answer === null) return rest;
  // Without an epoch the answer is in the epoch of its user's values: known only while shown.
  const epoch = answer.epoch ?? (dropped.userId === context.userId ? context.floorEpoch : null);
  const commit = { version: answer.version, epoch, seq: context.seq };
  return [...rest, { ...dropped, commit }].sort((a, b) => a.id - b.id);
}

export const droppedOfCurrentUser = (context: BalanceContext): DroppedDebit[] =>
  context.droppedDebits.filter((entry) => entry.userId === context.userId);
