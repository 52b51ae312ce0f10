/**
 * Optimistic debits (SPEC "Optimistic debits", invariant 8): the screen shows the last server
 * value plus the pending deltas, and a delta leaves the list exactly when a server value
 * includes it, so it is never counted twice nor lost while unanswered.
 */
import { addAmounts, exactSum } from './amounts.js';
import type { BalanceContext, RetiredEpoch } from './context.js';
import type { CommitAnswer, GuessedDebit, PendingOptimistic } from './debits.js';
import { guessedTooEarly, pendingAgain, wronglyGuessed } from './guessed-debits.js';

/** A server value that just landed, and what the settlement rules need to know of it. */
export interface LandedValue {
  balance: number;
  version: number | null;
  /** The epoch the floor is in once this value landed. */
  epoch: string | null;
  /** The server value shown before it (rule 2's base); null when there was none. */
  previousBalance: number | null;
  /** For a response: `seq` when its request started; null for pushes, tabs and storage. */
  requestedAtSeq: number | null;
  /** Epochs the server has left, once this value landed. */
  retiredEpochs: readonly RetiredEpoch[];
  /**
   * The value corrected the floor (the server restarted its counter without an epoch): a commit
   * answered with a version of the old counter was applied before the restart.
   */
  counterRestarted?: boolean;
}

/** The balance with every pending delta, or null when that sum has no exact number. */
export function balanceWith(context: BalanceContext, ...more: number[]): number | null {
  if (context.value === null) return null;
  const deltas = context.optimistic.map((entry) => entry.delta);
  return exactSum(context.value.balance, ...deltas, ...more);
}

/**
 * What is shown: the balance with its pending deltas. `applyOptimistic` refuses a delta whose sum
 * has no exact number; should a value landing later make it so, the server's value is shown
 * alone rather than a rounded one (invariant 8).
 */
export function shownBalance(context: BalanceContext): number | null {
  if (context.value === null) return null;
  return balanceWith(context) ?? context.value.balance;
}

/**
 * Rule 1: a value with the commit's version or later, in the commit's epoch, includes the delta;
 * so does any value once the commit's epoch is known to be over (a later epoch landed, or the
 * corrected-floor rule restarted the counter without one). A value of an epoch not known to be
 * later (the old epoch still shown when the commit answers in a new one) does not.
 */
const includedByVersion = (commit: CommitAnswer | null, value: LandedValue): boolean =>
  commit !== null &&
  commit.version !== null &&
  (value.counterRestarted === true ||
    value.retiredEpochs.some((retired) => retired.epoch === commit.epoch) ||
    (value.version !== null && commit.epoch === value.epoch && value.version >= commit.version));

/** Rule 1 on the value shown (kept, or hidden but still the base): it includes `commit`. */
export const shownIncludes = (context: BalanceContext, commit: CommitAnswer): boolean =>
  context.value !== null &&
  includedByVersion(commit, {
    balance: context.value.balance,
    version: context.value.version,
    epoch: context.floorEpoch,
    previousBalance: null,
    requestedAtSeq: null,
    retiredEpochs: context.retiredEpochs,
  });

/**
 * Rule 3: a value fetched after the commit resolved includes it, when versions cannot tell:
 * either side unversioned, or the two in epochs that cannot be compared.
 */
const includedByTime = (commit: CommitAnswer | null, value: LandedValue): boolean =>
  commit !== null &&
  value.requestedAtSeq !== null &&
  value.requestedAtSeq > commit.seq &&
  (commit.version === null || value.version === null || commit.epoch !== value.epoch);

/** Rule 3 applies: the commit answered without a version, so only a fetched value settles it. */
export const awaitsFetchedValue = ({ commit }: PendingOptimistic): boolean =>
  commit !== null && commit.version === null;

/** Beyond this many unanswered debits only prefixes are tried (2^n subsets otherwise). */
const MAX_SUBSET_SEARCH = 10;

/**
 * Rule 2: a value equal to the previous base plus the first k pending deltas confirms those k:
 * the server's push for this very debit often arrives before the HTTP answer. `base` already
 * counts the deltas rules 1 and 3 found in the value, so one change is never credited twice.
 * When no prefix matches, the server may have refused or not yet reached an earlier debit and
 * applied a later one: the value then confirms the deltas it matches when every match is the
 * same amounts (the earliest such deltas are taken); a value several different sets of
 * amounts could explain confirms none (rule 3). Returns the indices of the confirmed deltas.
 */
function confirmedByAmount(
  pending: readonly PendingOptimistic[],
  value: LandedValue,
  base: number | null,
): number[] {
  if (base === null || value.balance === base) return [];
  let sum = base;
  for (let k = 1; k <= pending.length; k++) {
    sum = addAmounts(sum, (pending[k - 1] as PendingOptimistic).delta);
    if (sum === value.balance) return [...Array(k).keys()];
  }
  if (pending.length > MAX_SUBSET_SEARCH) return [];
  let found: number[] | null = null;
  let foundAmounts = '';
  // Every subset (bit i of `mask`: delta i is in it); equal sets of amounts are one answer.
  for (let mask = 1; mask < 2 ** pending.length; mask++) {
    const members = [...pending.keys()].filter((index) => (mask >> index) & 1);
    const amounts = members.map((index) => (pending[index] as PendingOptimistic).delta);
    if (addAmounts(base, ...amounts) !== value.balance) continue;
    const key = [...amounts].sort((a, b) => a - b).join(',');
    if (found === null) {
      found = members;
      foundAmounts = key;
    } else if (key !== foundAmounts) return [];
  }
  return found ?? [];
}

/**
 * A response fetched after a commit answered `{ version }` that is still below that version:
 * a lagging replica (ask again) or a counter restarted without an epoch (the debit is in). The
 * second such answer, requested after the first, settles the delta, as the corrected-floor rule
 * settles the floor. Returns the deltas and whether a revalidation is owed.
 */
export function doubtCommits(
  pending: readonly PendingOptimistic[],
  value: LandedValue,
  landingSeq: number,
): { optimistic: PendingOptimistic[]; owes: boolean } {
  const requested = value.requestedAtSeq;
  let owes = false;
  const optimistic = pending.flatMap((entry) => {
    const commit = entry.commit;
    const below =
      requested !== null &&
      commit !== null &&
      commit.version !== null &&
      value.version !== null &&
      commit.epoch === value.epoch &&
      requested > commit.seq &&
      value.version < commit.version;
    if (!below) return [entry];
    const doubted = commit.doubtedAtSeq ?? null;
    if (doubted !== null && requested > doubted) return [];
    owes = true;
    return [{ ...entry, commit: { ...commit, doubtedAtSeq: doubted ?? landingSeq } }];
  });
  return { optimistic, owes };
}

/**
 * The deltas still pending once `value` landed, those rule 2 settled by their amount alone
 * before their commit answered (`guessed`), and those rules 1 and 3 found in it (`included`). Rules 1 and 3 go first: a debit the value includes
 * by its commit's version or by time is part of the change, and is not matched again by amount.
 */
export function settleByValue(
  pending: readonly PendingOptimistic[],
  value: LandedValue,
): { pending: PendingOptimistic[]; guessed: PendingOptimistic[]; included: PendingOptimistic[] } {
  const isIncluded = (entry: PendingOptimistic) =>
    includedByVersion(entry.commit, value) || includedByTime(entry.commit, value);
  const included = pending.filter(isIncluded);
  const rest = pending.filter((entry) => !isIncluded(entry));
  const base =
    value.previousBalance === null
      ? null
      : exactSum(value.previousBalance, ...included.map((entry) => entry.delta));
  // A debit whose commit answered a later version of this epoch is not in this value (rule 1):
  // its amount matches nothing here.
  const later = (entry: PendingOptimistic) =>
    entry.commit !== null &&
    entry.commit.oldCounter !== true &&
    entry.commit.version !== null &&
    value.version !== null &&
    entry.commit.epoch === value.epoch &&
    entry.commit.version > value.version;
  const matchable = rest.filter((entry) => !later(entry));
  const confirmed = new Set(
    confirmedByAmount(matchable, value, base).map((index) =>
      rest.indexOf(matchable[index] as PendingOptimistic),
    ),
  );
  return {
    pending: rest.filter((_, index) => !confirmed.has(index)),
    guessed: rest.filter((entry, index) => confirmed.has(index) && entry.commit === null),
    included,
  };
}

/**
 * A debit applied before the floor was last corrected (the server restarted its counter without
 * an epoch): a version its commit answers in the epoch shown may be of the old counter, never to
 * be reached again, so it owes a revalidation, and a balance in the answer is of unknown order.
 */
export const ofOldCounter = (
  context: BalanceContext,
  id: number,
  epoch: string | null | undefined,
): boolean =>
  id <= context.debitsBeforeCounterRestart && (epoch ?? context.floorEpoch) === context.floorEpoch;

/**
 * A commit resolved: records its answer, and drops the delta at once when the value shown
 * already has the commit's version. Returns whether a revalidation is owed (rule 3: the commit
 * told no version, or one of another epoch, so only a value fetched from now on can be trusted
 * to include the delta).
 */
export function recordCommit(
  context: BalanceContext,
  id: number,
  answer: { version: number | null; epoch: string | null },
): { optimistic: PendingOptimistic[]; guessedDebits: GuessedDebit[]; owesRevalidation: boolean } {
  // Its own answer ends a guess about it: right or wrong, nothing else can undo it now.
  const guessedDebits = context.guessedDebits.filter((guess) => guess.entry.id !== id);
  const entry = context.optimistic.find((candidate) => candidate.id === id);
  // Unknown: settled already by a server value (by its amount too early, it is pending again),
  // or from before a user switch.
  if (entry === undefined) {
    const again = guessedTooEarly(context, id, answer);
    const optimistic =
      again === null
        ? context.optimistic
        : [...context.optimistic, again].sort((a, b) => a.id - b.id);
    return { optimistic, guessedDebits, owesRevalidation: false };
  }
  const oldCounter = ofOldCounter(context, id, answer.epoch);
  const commit: CommitAnswer = {
    version: answer.version,
    epoch: answer.epoch ?? context.floorEpoch,
    seq: context.seq,
    ...(oldCounter ? { oldCounter } : {}),
  };
  const shown = context.value;
  if (shown !== null && shownIncludes(context, commit)) {
    const rest = context.optimistic.filter((candidate) => candidate.id !== id);
    // Below the version shown: later changes overtook it, or the counter restarted without an
    // epoch (then the value shown predates the restart): one revalidation tells which, and the
    // corrected-floor rule fixes the second within a round trip or two.
    const owesRevalidation =
      commit.version !== null &&
      shown.version !== null &&
      commit.epoch === context.floorEpoch &&
      commit.version < shown.version;
    const wrong = wronglyGuessed(context, entry, commit);
    if (wrong === undefined) return { optimistic: rest, guessedDebits, owesRevalidation };
    return {
      optimistic: pendingAgain(rest, [wrong]),
      guessedDebits: guessedDebits.filter((guess) => guess !== wrong),
      owesRevalidation,
    };
  }
  // Versions settle it without a request only within the epoch shown; an answer in another
  // epoch says the value shown is from before a restart: fetch the new epoch's value (rule 3).
  // A version of a counter that has since restarted may never be reached again: a response
  // that still answers below it, twice, settles the debit (`doubtCommits`).
  return {
    optimistic: context.optimistic.map((candidate) =>
      candidate.id === id ? { ...candidate, commit } : candidate,
    ),
    guessedDebits,
    owesRevalidation: commit.version === null || commit.epoch !== context.floorEpoch || oldCounter,
  };
}
