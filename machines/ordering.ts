/**
 * How a value is ordered against what is shown (SPEC "Versions and epochs", invariant 2): a pure
 * verdict for every arrival, so the chart's guards and assigns read one rule.
 */
import type { BalanceContext } from './context.js';

/**
 * Where a value comes from: a response to this tab's request, a push (socket, another tab, a
 * hello), an optimistic debit's commit answer, or storage. A discarded older value owes one
 * revalidation (SPEC: "whenever its request started"), except a stored one (a request follows
 * anyway); a response overtaken by a value that landed after its request started owes one too
 * (that value may be a push delayed from before a counter restart). A commit
 * answer older than the value shown is rare (its own push has its version, so it confirms) and
 * may be a counter restarted without an epoch: the revalidation corrects it in one round trip.
 */
export type Arrival = 'response' | 'push' | 'commit' | 'stored';

export interface Versioned {
  version: number | null;
  epoch: string | null;
  balance: number;
}

export type Verdict =
  /**
   * A change: shown, with the floor it sets (unversioned values leave the floor where it was).
   * `retires`: the epoch it replaces, whose late values are discarded from now on.
   */
  | {
      kind: 'accept';
      floor: number | null;
      floorEpoch: string | null;
      corrected: boolean;
      retires: string | null;
    }
  /** The same value as shown: not a change, but the value is known current again. */
  | { kind: 'confirm' }
  /** Older than what is shown (or of unknown order): not shown; `owes` one revalidation. */
  | { kind: 'discard'; reason: string; owes: boolean };

const accept = (floor: number | null, floorEpoch: string | null, corrected = false): Verdict => ({
  kind: 'accept',
  floor,
  floorEpoch,
  corrected,
  retires: null,
});

const discard = (reason: string, owes: boolean): Verdict => ({ kind: 'discard', reason, owes });

/** Every discard but a stored value's owes a revalidation (see `Arrival`). */
const owesWhenDiscarded = (arrival: Arrival): boolean => arrival !== 'stored';

const isNewEpoch = (context: BalanceContext, epoch: string | null): boolean =>
  epoch !== null &&
  epoch !== context.floorEpoch &&
  (context.versionFloor !== null || context.floorEpoch !== null);

/**
 * The version the floor has: the same value confirms; another balance under the same version
 * (a counter restarted without an epoch, an edited store) is settled by the server's answer.
 */
function sameVersion(
  context: BalanceContext,
  incoming: Versioned,
  arrival: Arrival,
  floorEpoch: string | null,
): Verdict {
  const shown = context.value;
  // Nothing shown (invalidated without keeping the old value, or dropped past maxStaleMs): the
  // floor's own version is the newest known, so it is shown again.
  if (shown === null) return accept(incoming.version, floorEpoch);
  if (shown.version === incoming.version && shown.balance === incoming.balance) {
    return { kind: 'confirm' };
  }
  if (arrival === 'response') return accept(incoming.version, floorEpoch);
  return discard(
    `version ${incoming.version} already shown with another balance`,
    owesWhenDiscarded(arrival),
  );
}

/**
 * The verdict on a value arriving now. `startedSeq`: for a response, the logical time its
 * request started (a response may correct the floor only if it started after the discard it
 * answers, and an unversioned one is taken only if nothing landed since it started).
 */
export function judge(
  context: BalanceContext,
  incoming: Versioned,
  arrival: Arrival,
  startedSeq: number = context.seq,
): Verdict {
  const floor = context.versionFloor;
  const { version, epoch } = incoming;
  // An epoch the server has left: a late value, older than anything shown; it owes a
  // revalidation. The server saying it twice (a lagging replica, not a late push) wins, ordered
  // against the floor that epoch had.
  const retired = context.retiredEpochs.find((entry) => entry.epoch === epoch);
  if (retired !== undefined) {
    const saidTwice =
      arrival === 'response' && context.discardedSeq > 0 && startedSeq > context.discardedSeq;
    if (!saidTwice) {
      return discard(`epoch ${epoch} was replaced`, owesWhenDiscarded(arrival));
    }
    return {
      kind: 'accept',
      floor: version,
      floorEpoch: epoch,
      corrected: version !== null && retired.floor !== null && version < retired.floor,
      retires: context.floorEpoch,
    };
  }
  if (isNewEpoch(context, epoch)) {
    return {
      kind: 'accept',
      floor: version,
      floorEpoch: epoch,
      corrected: false,
      retires: context.floorEpoch,
    };
  }
  const floorEpoch = epoch ?? context.floorEpoch;
  if (version !== null) {
    if (floor === null || version > floor) return accept(version, floorEpoch);
    if (version === floor) return sameVersion(context, incoming, arrival, floorEpoch);
    // A value landed after the request started: this answer cannot correct the floor (it may
    // be older than that value), but it still owes a revalidation, "whenever its request
    // started": the value that landed may be a push delayed from before a counter restart.
    if (arrival === 'response' && context.lastValueSeq > startedSeq) {
      return discard(`version ${version} was overtaken`, true);
    }
    // The server said it twice: a request started after the discard still answers lower, so the
    // counter restarted without an epoch, or the floor came from a forged or far-future value.
    if (arrival === 'response' && context.discardedSeq > 0 && startedSeq > context.discardedSeq) {
      return accept(version, floorEpoch, true);
    }
    return discard(`version ${version} is older than ${floor}`, owesWhenDiscarded(arrival));
  }
  // Unversioned: its order is unknown against a versioned value; a response is ordered by when
  // its request started, a push by arrival (for servers that never send versions).
  if (arrival === 'response') {
    return context.lastValueSeq > startedSeq
      ? discard('overtaken by a value that landed after it was requested', false)
      : accept(floor, context.floorEpoch);
  }
  // A versioned server (something versioned shown, or a floor with nothing shown).
  const versioned = context.value === null ? floor !== null : context.value.version !== null;
  return versioned
    ? discard('unversioned while the server sends versions', owesWhenDiscarded(arrival))
    : accept(floor, context.floorEpoch);
}
