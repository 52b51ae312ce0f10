/**
 * Debits rule 2 settled by their amount alone, before their commit answered (`guessedDebits`):
 * their own answer may prove the match wrong, and then they are pending again.
 */
import type { BalanceContext } from './context.js';
import type { CommitAnswer, GuessedDebit, PendingOptimistic } from './debits.js';

const byId = (a: PendingOptimistic, b: PendingOptimistic) => a.id - b.id;

/**
 * A commit answered that its debit is in the value shown, while a debit of the same amount was
 * matched to that value by rule 2 (variant: the push came first, the answer says it was this
 * one): that one is not in the value, and is pending again in its place.
 */
export function wronglyGuessed(
  context: BalanceContext,
  entry: PendingOptimistic,
  commit: CommitAnswer,
): GuessedDebit | undefined {
  return context.guessedDebits.find(
    (guess) =>
      guess.entry.delta === entry.delta &&
      guess.epoch === commit.epoch &&
      commit.version !== null &&
      commit.version <= guess.version &&
      (guess.since === null || commit.version > guess.since),
  );
}

/**
 * A debit matched by its amount to a value whose version is below the one its own commit
 * answered: that value was another change of the same amount, not this debit (rule 1). It is
 * pending again, with its answer, until a value of that version lands; unless one already has.
 */
export function guessedTooEarly(
  context: BalanceContext,
  id: number,
  answer: { version: number | null; epoch: string | null },
): PendingOptimistic | null {
  const guess = context.guessedDebits.find((candidate) => candidate.entry.id === id);
  const epoch = answer.epoch ?? context.floorEpoch;
  if (guess === undefined || answer.version === null || epoch !== guess.epoch) return null;
  if (answer.version <= guess.version || epoch !== context.floorEpoch) return null;
  const shown = context.value?.version ?? null;
  if (shown !== null && shown >= answer.version) return null;
  return { ...guess.entry, commit: { version: answer.version, epoch, seq: context.seq } };
}

/**
 * Debits rules 1 or 3 found in a value of the very version a guess was made with: that change
 * was them, not the debits of the same amount rule 2 matched to it, which are pending again.
 */
export function guessesDisproved(
  guesses: readonly GuessedDebit[],
  included: readonly PendingOptimistic[],
  value: { version: number | null; epoch: string | null },
): GuessedDebit[] {
  const left = [...guesses];
  return included.flatMap((entry) => {
    const index = left.findIndex(
      (guess) =>
        guess.entry.delta === entry.delta &&
        guess.version === value.version &&
        guess.epoch === value.epoch,
    );
    return index === -1 ? [] : left.splice(index, 1);
  });
}

/** `optimistic` with the disproved guesses pending again, in the order they were applied. */
export const pendingAgain = (
  optimistic: readonly PendingOptimistic[],
  disproved: readonly GuessedDebit[],
): PendingOptimistic[] => [...optimistic, ...disproved.map((guess) => guess.entry)].sort(byId);

/**
 * A commit was rejected: its debit is in no value. If rule 2 had matched it by amount, that
 * change was another debit of the same amount still pending (or another device's change):
 * the first such debit that could be in that value takes the match, so nothing counts twice.
 */
export function rejectGuessed(
  context: BalanceContext,
  id: number,
): { optimistic: PendingOptimistic[]; guessedDebits: GuessedDebit[] } {
  const optimistic = context.optimistic.filter((entry) => entry.id !== id);
  const guess = context.guessedDebits.find((candidate) => candidate.entry.id === id);
  const guessedDebits = context.guessedDebits.filter((candidate) => candidate !== guess);
  // Applied before that value landed, and unanswered or answered without a version (only time
  // tells): such a debit may be in that value.
  const heir =
    guess &&
    optimistic.find(
      (entry) =>
        entry.delta === guess.entry.delta &&
        entry.id <= guess.lastDebitId &&
        (entry.commit === null || entry.commit.version === null),
    );
  if (guess === undefined || heir === undefined) return { optimistic, guessedDebits };
  return {
    optimistic: optimistic.filter((entry) => entry !== heir),
    // An answered debit's own answer already ended any guess about it.
    guessedDebits:
      heir.commit === null ? [...guessedDebits, { ...guess, entry: heir }] : guessedDebits,
  };
}
