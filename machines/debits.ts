/**
 * The bookkeeping of optimistic debits (SPEC "Optimistic debits"): what is pending, what its
 * commit answered, and what rule 2 matched by amount alone. The rules live in ./optimistic.ts.
 */

/** What an optimistic debit's commit answered: its version (if any) and when it resolved. */
export interface CommitAnswer {
  /** The version the commit answered with: a value of this version or later includes the delta. */
  version: number | null;
  /** The epoch of that version, or `null`. */
  epoch: string | null;
  /** `seq` when the commit resolved: a response whose request started later includes the delta. */
  seq: number;
  /**
   * `seq` when a response fetched after the commit answered a lower version than the commit's
   * (a lagging replica, or a counter restarted without an epoch); null until then. A second
   * such response, requested after it, settles the delta: the server said it twice.
   */
  doubtedAtSeq?: number | null;
  /**
   * Answered with a version of a counter that has since restarted without an epoch (see
   * `ofOldCounter`): its order against the new counter's versions is unknown, so a lower version
   * does not prove the delta missing, and rule 2 may still match its amount.
   */
  oldCounter?: boolean;
}

/**
 * A debit that rule 2 matched to a value by its amount alone: if another debit of the same amount
 * then answers that it is the one in that value, the match was wrong and this one is pending again.
 */
export interface GuessedDebit {
  /** The debit as it was pending, to put back if the match was wrong. */
  entry: PendingOptimistic;
  /** The version of the value the match was made with. */
  version: number;
  /**
   * The version shown before that value: only a debit answered in between, which the value
   * must include, can prove the match wrong (one answered at or below it was in the base).
   */
  since: number | null;
  /** The epoch of both. */
  epoch: string | null;
  /** The last debit applied when the match was made: one applied later cannot be in that value. */
  lastDebitId: number;
}

/** One `applyOptimistic` delta the server has not settled yet (SPEC "Optimistic debits"). */
export interface PendingOptimistic {
  /** Identifies the debit in `OPTIMISTIC.SETTLE`. */
  id: number;
  /** The amount added to the balance shown (negative for a debit). */
  delta: number;
  /** `null` while the commit is unanswered. */
  commit: CommitAnswer | null;
}

/** A debit a user change dropped while unanswered, kept for its user (see ./dropped-debits.ts). */
export interface DroppedDebit extends PendingOptimistic {
  userId: string;
}
