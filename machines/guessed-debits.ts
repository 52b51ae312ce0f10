/**
 * Debits rule 2 settled by their amount alone, before their commit answered (`guessedDebits`):
 * their own answer may prove the match wrong, and then they are pending again.
 */
import type { BalanceContext } from './context.js';
import type { CommitAnswer, GuessedDebit, PendingOptimistic } from './debits.js';

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
