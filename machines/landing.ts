/**
 * What happens to context when a value arrives, whatever its origin (response, push, another
 * tab, a connection's hello): whether it may be shown at all (invariants 1, 6), how it is
 * ordered (invariant 2, ./ordering.ts) and which optimistic deltas it settles (./optimistic.ts).
 */
import { normaliseAmount, valueProblem } from './amounts.js';
import type { BalanceContext, BalanceValue, FetchedBalance, ValueSource } from './context.js';
import type { DroppedDebit, PendingOptimistic } from './debits.js';
import { droppedOfCurrentUser } from './dropped-debits.js';
import type { MachineEvent, PushedBalance } from './events.js';
import { guessesDisproved, pendingAgain } from './guessed-debits.js';
import { doubtCommits, type LandedValue, ofOldCounter, settleByValue } from './optimistic.js';
import { judge, type Verdict } from './ordering.js';
import { toEpochMs } from './policy.js';

/** The value a push-like event carries: a socket push, another tab's value, or a hello. */
export function pushOf(context: BalanceContext, event: MachineEvent): PushedBalance | null {
  switch (event.type) {
    case 'SOCKET.BALANCE_UPDATED':
    case 'TAB.BALANCE':
      return event;
    case 'SOCKET.CONNECTED':
      return event.hello ?? null;
    case 'OPTIMISTIC.SETTLE': {
      const answer = event.answer;
      // A debit of this session is the current user's (one of an earlier one is refused below).
      const userId = context.userId;
      if (!event.ok || answer?.balance === undefined || userId === null) return null;
      if (ofOldCounter(context, event.id, answer.epoch)) {
        const { version: _version, epoch: _epoch, ...unordered } = answer;
        return { ...unordered, balance: answer.balance, userId };
      }
      return { ...answer, balance: answer.balance, userId };
    }
    default:
      return null;
  }
}

const fromSocket = (event: MachineEvent) =>
  event.type === 'SOCKET.BALANCE_UPDATED' || event.type === 'SOCKET.CONNECTED';

/** Why a pushed value may not be considered at all (not: why it is too old), or null. */
export function rejectionOfPush(context: BalanceContext, event: MachineEvent): string | null {
  const push = pushOf(context, event);
  if (push === null) return 'not a balance message';
  if (fromSocket(event) && !context.config.invalidateOnSocket) {
    return 'socket updates are switched off (invalidateOnSocket: false)';
  }
  if (context.userId === null) return 'no signed-in user';
  if (push.userId !== context.userId) return 'message for another user';
  if (event.type === 'OPTIMISTIC.SETTLE' && event.id < context.sessionDebitsFrom) {
    return 'answer of a debit made before a user change';
  }
  return valueProblem(push);
}

type Received = {
  balance: number;
  version?: number | null;
  epoch?: string | null;
  updatedAt?: number | string | null;
};

const versioned = (value: { balance: number; version?: number | null; epoch?: string | null }) => ({
  balance: value.balance,
  version: value.version ?? null,
  epoch: value.epoch ?? null,
});

/** The ordering verdict on a valid push-like event (call `rejectionOfPush` first). */
export const pushVerdict = (context: BalanceContext, event: MachineEvent): Verdict | null => {
  const push = pushOf(context, event);
  if (push === null || rejectionOfPush(context, event) !== null) return null;
  const verdict = judge(
    context,
    versioned(push),
    event.type === 'OPTIMISTIC.SETTLE' ? 'commit' : 'push',
  );
  // After this tab's invalidate(), another tab's value no newer than the one invalidated (the
  // same version, or unversioned) may answer a request that started before: not taken, nor
  // written back into the layers just cleared; this tab's refetch answers (invariant 5).
  const notNewer =
    verdict.kind === 'confirm' ||
    (verdict.kind === 'accept' && push.version == null && verdict.retires === null);
  return event.type === 'TAB.BALANCE' && context.refetchAfterInvalidation && notNewer
    ? { kind: 'discard', reason: 'from before this tab invalidated', owes: false }
    : verdict;
};

export const responseVerdict = (context: BalanceContext, response: FetchedBalance): Verdict =>
  judge(context, versioned(response), 'response', context.fetchStartedSeq);

/**
 * A stored value against the one shown: by version within one epoch; otherwise (unversioned,
 * or another epoch) by when each was received, so an older cache entry never replaces a newer
 * value already shown (the server's `initialData`, outside review 4).
 */
export function storedVerdict(context: BalanceContext, value: BalanceValue): Verdict {
  const shown = context.value;
  const byVersion =
    shown !== null &&
    shown.version !== null &&
    value.version !== null &&
    shown.epoch === value.epoch;
  if (shown !== null && !byVersion && value.timestamp < shown.timestamp) {
    return { kind: 'discard', reason: 'older than the value shown', owes: false };
  }
  return judge(context, versioned(value), 'stored');
}

export const sourceOfPush = (event: MachineEvent): ValueSource =>
  event.type === 'TAB.BALANCE' ? 'tab' : event.type === 'OPTIMISTIC.SETTLE' ? 'network' : 'socket';

/** A received value's known fields, as the machine keeps them (checked before). */
export const fetchedOf = (received: Received): FetchedBalance => ({
  balance: normaliseAmount(received.balance),
  version: received.version ?? null,
  epoch: received.epoch ?? null,
  updatedAt: toEpochMs(received.updatedAt),
});

export const makeValue = (
  userId: string,
  received: Received,
  now: number,
  ttlMs: number,
): BalanceValue => ({ userId, ...fetchedOf(received), timestamp: now, expiresAt: now + ttlMs });

/**
 * The pending deltas once `landedValue` is their base (a response, push, tab or stored value),
 * the debits rule 2 settled by amount alone (a debit rules 1 or 3 find in a value of a guess's
 * version disproves that guess), and whether a doubted commit owes a revalidation.
 */
export function debitsOnBase(context: BalanceContext, landedValue: LandedValue, seq: number) {
  // Dropped debits of this user go first (their ids are lower): never shown, they are settled
  // by the same rules, so a value that includes one does not settle a new debit in its place.
  const dropped = droppedOfCurrentUser(context);
  const all = settleByValue([...dropped, ...context.optimistic], landedValue);
  const shown = (entry: PendingOptimistic) => !dropped.includes(entry as DroppedDebit);
  const settled = {
    pending: all.pending.filter(shown),
    guessed: all.guessed.filter(shown),
    included: all.included,
  };
  const droppedDebits = context.droppedDebits.filter(
    (entry) => !dropped.includes(entry) || all.pending.includes(entry),
  );
  const doubt = doubtCommits(settled.pending, landedValue, seq);
  const disproved = guessesDisproved(context.guessedDebits, settled.included, landedValue);
  const guesses = context.guessedDebits.filter((guess) => !disproved.includes(guess));
  const { version } = landedValue;
  const guessedDebits =
    settled.guessed.length === 0 || version === null
      ? guesses
      : [
          ...guesses,
          ...settled.guessed.map((entry) => ({
            entry,
            version,
            since: landedValue.epoch === context.floorEpoch ? context.versionFloor : null,
            epoch: landedValue.epoch,
            lastDebitId: context.lastDebitId,
          })),
        ].slice(-8);
  const optimistic =
    disproved.length === 0 ? doubt.optimistic : pendingAgain(doubt.optimistic, disproved);
  return { optimistic, guessedDebits, droppedDebits, owes: doubt.owes };
}

/**
 * Context changes when a value arrives with a verdict of `accept` or `confirm` (a discard is
 * `discarded()`). `requestedAtSeq`: for a response, when its request started.
 */
export function landed(
  context: BalanceContext,
  received: PushedBalance | FetchedBalance,
  verdict: Verdict,
  source: ValueSource,
  requestedAtSeq: number | null,
): Partial<BalanceContext> {
  if (verdict.kind === 'discard') return discarded(context, verdict);
  const now = context.now();
  const seq = context.seq + 1;
  const shown = context.value;
  const confirm = verdict.kind === 'confirm';
  if (confirm && shown === null) return {};
  const { ttlMs } = context.config;
  // The same version: not a change, but known current as of now.
  const value = confirm
    ? { ...(shown as BalanceValue), timestamp: now, expiresAt: now + ttlMs }
    : makeValue(context.userId as string, received, now, ttlMs);
  // The epoch shown is no longer retired (the server said so twice); the one it replaces is,
  // with the floor it had.
  const retiredEpochs =
    confirm || verdict.retires === null
      ? context.retiredEpochs
      : [
          ...context.retiredEpochs.filter(
            (entry) => entry.epoch !== verdict.floorEpoch && entry.epoch !== verdict.retires,
          ),
          { epoch: verdict.retires, floor: context.versionFloor },
        ].slice(-8);
  const landedValue = {
    balance: value.balance,
    version: value.version,
    epoch: confirm ? context.floorEpoch : verdict.floorEpoch,
    // A hidden value (invalidated, past maxStaleMs) is still the base the deltas count from.
    previousBalance: confirm ? null : (shown?.balance ?? context.baseBalance),
    requestedAtSeq,
    retiredEpochs,
    counterRestarted: !confirm && verdict.corrected,
  };
  const { optimistic, guessedDebits, droppedDebits, owes } = debitsOnBase(
    context,
    landedValue,
    seq,
  );
  const fromServer = source === 'network' || source === 'socket' || source === 'tab';
  return {
    value,
    source,
    baseBalance: value.balance,
    ...(fromServer && context.distrustedUsers.length > 0
      ? { distrustedUsers: context.distrustedUsers.filter((user) => user !== context.userId) }
      : {}),
    // The server answered (a push, another tab's value): a failure after this is a first one.
    ...(fromServer ? { keptWhileStopped: false, retryAttempt: 0 } : {}),
    error: null,
    seq,
    lastValueSeq: seq,
    ...(owes ? { revalidatePending: true } : {}),
    versionFloor: confirm ? context.versionFloor : verdict.floor,
    floorEpoch: landedValue.epoch,
    ...(landedValue.counterRestarted ? { debitsBeforeCounterRestart: context.lastDebitId } : {}),
    retiredEpochs,
    ...(requestedAtSeq === null ? {} : { discardedSeq: 0 }),
    optimistic,
    guessedDebits,
    droppedDebits,
  };
}

/** A value older than the one shown: not shown; it may owe one revalidation. */
export function discarded(
  context: BalanceContext,
  verdict: Extract<Verdict, { kind: 'discard' }>,
): Partial<BalanceContext> {
  if (!verdict.owes) return {};
  const seq = context.seq + 1;
  return { seq, discardedSeq: seq, revalidatePending: true };
}
