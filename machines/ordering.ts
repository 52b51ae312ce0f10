/**
 * How a value is ordered against what is shown (SPEC "Versions and epochs", invariant 2): a pure
 * verdict for every arrival, so the chart's guards and assigns read one rule.
 */
import type { BalanceContext } from './context.js';

/**
 * Where a value comes from: a response to this tab's request, a push (socket, another tab, a
 * hello), an optimistic debit's commit answer, or storage. Only responses and pushes owe a
 * revalidation when older: a commit answer overtaken by its own push is normal, and a stored
 * value is followed by a request anyway.
 */
export type Arrival = 'response' | 'push' | 'commit' | 'stored';

export interface Versioned {
  version: number | null;
  epoch: string | null;
}

export type Verdict =
  /** A change: shown, with the floor it sets (unversioned values leave the floor where it was). */
  | { kind: 'accept'; floor: number | null; floorEpoch: string | null; corrected: boolean }
  /** The same version as shown: not a change, but the value is known current again. */
  | { kind: 'confirm' }
  /** Older than what is shown (or of unknown order): not shown; `owes` one revalidation. */
  | { kind: 'discard'; reason: string; owes: boolean };

const isNewEpoch = (context: BalanceContext, epoch: string | null): boolean =>
  epoch !== null &&
  epoch !== context.floorEpoch &&
  (context.versionFloor !== null || context.floorEpoch !== null);

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
  if (isNewEpoch(context, epoch)) {
    return { kind: 'accept', floor: version, floorEpoch: epoch, corrected: false };
  }
  const floorEpoch = epoch ?? context.floorEpoch;
  if (version !== null) {
    if (floor === null || version > floor) {
      return { kind: 'accept', floor: version, floorEpoch, corrected: false };
    }
    if (version === floor) {
      if (context.value?.version === version) return { kind: 'confirm' };
      // Nothing shown (invalidated without keeping the old value, or dropped past maxStaleMs):
      // the floor's own version is the newest known, so it is shown again.
      if (context.value === null) {
        return { kind: 'accept', floor: version, floorEpoch, corrected: false };
      }
      return { kind: 'discard', reason: `version ${version} is already superseded`, owes: false };
    }
    // A value landed after the request started: the response is simply older than it.
    if (arrival === 'response' && context.lastValueSeq > startedSeq) {
      return { kind: 'discard', reason: `version ${version} was overtaken`, owes: false };
    }
    // The server said it twice: a request started after the discard still answers lower, so the
    // counter restarted without an epoch, or the floor came from a forged or far-future value.
    if (arrival === 'response' && context.discardedSeq > 0 && startedSeq > context.discardedSeq) {
      return { kind: 'accept', floor: version, floorEpoch, corrected: true };
    }
    return {
      kind: 'discard',
      reason: `version ${version} is older than ${floor}`,
      owes: arrival === 'response' || arrival === 'push',
    };
  }
  // Unversioned: its order is unknown against a versioned value; a response is ordered by when
  // its request started, a push by arrival (for servers that never send versions).
  if (arrival === 'response') {
    return context.lastValueSeq > startedSeq
      ? {
          kind: 'discard',
          reason: 'overtaken by a value that landed after it was requested',
          owes: false,
        }
      : { kind: 'accept', floor, floorEpoch: context.floorEpoch, corrected: false };
  }
  if (context.value?.version !== null && context.value?.version !== undefined) {
    return {
      kind: 'discard',
      reason: 'unversioned while the shown value has a version',
      owes: arrival === 'push',
    };
  }
  return { kind: 'accept', floor, floorEpoch: context.floorEpoch, corrected: false };
}
