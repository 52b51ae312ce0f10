/**
 * Debits a user change dropped while unanswered (SPEC: a switch drops them on screen). The
 * server may still apply them: when their user is back, a value that includes one must not be
 * taken for a debit of the new session with the same amount, which would then be lost while
 * unanswered (invariant 8). They are never shown; the settlement rules see them as the earliest
 * pending debits, and they leave when a value includes them or their commit is rejected.
 */
import type { BalanceContext } from './context.js';
import type { DroppedDebit } from './debits.js';
import { shownIncludes } from './optimistic.js';

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
 * Its answer is no value of the new session, but for its own user, shown again, it says the
 * server changed: unless the value shown includes it, one revalidation is owed (rule 3), or the
 * screen would show the balance from before the debit for the rest of the TTL.
 * Null when `id` is not a dropped debit.
 */
export function settleDropped(
  context: BalanceContext,
  id: number,
  answer: { version: number | null; epoch: string | null } | null,
): { droppedDebits: DroppedDebit[]; owesRevalidation: boolean } | null {
  const dropped = context.droppedDebits.find((entry) => entry.id === id);
  if (dropped === undefined) return null;
  const rest = context.droppedDebits.filter((entry) => entry !== dropped);
  if (answer === null) return { droppedDebits: rest, owesRevalidation: false };
  const shownAgain = dropped.userId === context.userId;
  // Without an epoch the answer is in the epoch of its user's values: known only while shown.
  const epoch = answer.epoch ?? (shownAgain ? context.floorEpoch : null);
  const commit = { version: answer.version, epoch, seq: context.seq };
  if (shownAgain && shownIncludes(context, commit)) {
    return { droppedDebits: rest, owesRevalidation: false };
  }
  return {
    droppedDebits: [...rest, { ...dropped, commit }].sort((a, b) => a.id - b.id),
    owesRevalidation: shownAgain,
  };
}

export const droppedOfCurrentUser = (context: BalanceContext): DroppedDebit[] =>
  context.droppedDebits.filter((entry) => entry.userId === context.userId);
