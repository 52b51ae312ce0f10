/**
 * The checks of the ledger property test, as plain functions of what the test saw (a state, with
 * the time and the model around it) and the server ledger. Each returns a reason or null.
 */
import type { BalanceState } from '../../../src/types.js';
import { belongsTo, type Ledger, type OwnDebit, type ServerValue } from './ledger.js';

/** A state the test saw: from a subscriber or from `getSnapshot()`, with what was true then. */
export interface Observation {
  state: BalanceState;
  /** The current user as the test set it. */
  user: string | null;
  /** The user session (a user change starts a new one and drops pending debits). */
  session: number;
  now: number;
  socketUp: boolean;
  step: number;
  via: 'subscriber' | 'snapshot';
}

export interface Limits {
  ttlMs: number;
  maxStaleMs: number;
}

/** Every sum of a subset of `deltas` (small lists: the own debits possibly pending). */
export function subsetSums(deltas: readonly number[]): Set<number> {
  let sums = new Set<number>([0]);
  for (const delta of deltas) {
    const next = new Set(sums);
    for (const sum of sums) next.add(sum + delta);
    sums = next;
  }
  return sums;
}

/**
 * Own debits that may still be on screen at `observation`: applied in that user session and not
 * known to be rejected (a subscriber may see a debit in the step that rejects it, `getSnapshot()`
 * after that step may not).
 */
export function possiblyPending(ledger: Ledger, observation: Observation): OwnDebit[] {
  return ledger.debits.filter(
    (debit) =>
      debit.userId !== null &&
      debit.userId === observation.state.userId &&
      debit.session === observation.session &&
      (debit.rejectedAtStep === null ||
        (observation.via === 'subscriber'
          ? debit.rejectedAtStep >= observation.step
          : debit.rejectedAtStep > observation.step)),
  );
}

/** Why the SPEC lets a debit already in a server value stay applied to it for now, or null. */
export type Tolerance = 'unanswered' | 'rule 3 window' | 'version not comparable';

/**
 * Whether `debit`, which `value` already includes, may still be applied on top of it. The SPEC
 * settles a debit by rule 1 (the commit's version, same epoch), rule 2 (a value equal to the
 * base plus the first pending deltas: checked exactly by `checkPrefixRule`), rule 3 (a value
 * fetched after the commit resolved). In between it may not know, and says "never loses one
 * that the server has not yet answered": those windows are tolerated here (and counted), and
 * quiescence (check 6) proves they close.
 */
export function tolerance(
  ledger: Ledger,
  debit: OwnDebit,
  value: ServerValue,
  observation: Observation,
): Tolerance | null {
  const known =
    debit.resolvedAtStep !== null &&
    (observation.via === 'snapshot'
      ? debit.resolvedAtStep <= observation.step
      : debit.resolvedAtStep < observation.step);
  if (!known) return 'unanswered';
  const after = debit.after as ServerValue;
  if (ledger.answersVersion(debit)) {
    // Rule 1: a value with the commit's version or later, same epoch, includes the delta; the
    // sync knows the version of the value it shows (none when it came unversioned).
    const { version, epoch } = observation.state;
    return version !== null && epoch === after.epoch && version >= after.version
      ? null
      : 'version not comparable';
  }
  // Rule 3: until a value fetched after the commit resolved lands; but a commit that answered
  // its own balance told which value includes it.
  if (debit.shape === 'full' && value === after) {
    return null;
  }
  return 'rule 3 window';
}

export type NeverTwice = { ok: true; tolerated: Tolerance | null } | { ok: false; failure: string };

/** Whether `target` is a sum of some of `deltas`. */
const reachable = (deltas: readonly number[], target: number): boolean => {
  const span = deltas.reduce((sum, delta) => sum + Math.abs(delta), 0);
  return Math.abs(target) <= span && subsetSums(deltas).has(target);
};

/**
 * 1. Never a debit shown twice: the balance is a server value of the user's history plus some of
 * the own debits possibly pending that this server value does not include yet (or includes in a
 * way the SPEC does not let the sync know yet: see `tolerance`).
 */
export function checkNeverTwice(ledger: Ledger, observation: Observation): NeverTwice {
  const { balance, userId } = observation.state;
  if (balance === null || userId === null) return { ok: true, tolerated: null };
  const pending = possiblyPending(ledger, observation);
  const history = ledger.historyOf(userId);
  let tolerated: Tolerance | null = null;
  for (const value of history) {
    const notIncluded = pending.filter((debit) => !value.includes.includes(debit.id));
    if (
      reachable(
        notIncluded.map((debit) => debit.delta),
        balance - value.balance,
      )
    ) {
      return { ok: true, tolerated: null };
    }
    const allowed = pending.filter(
      (debit) =>
        !value.includes.includes(debit.id) || tolerance(ledger, debit, value, observation) !== null,
    );
    if (
      tolerated === null &&
      allowed.length > notIncluded.length &&
      reachable(
        allowed.map((debit) => debit.delta),
        balance - value.balance,
      )
    ) {
      const reasons = allowed
        .filter((debit) => value.includes.includes(debit.id))
        .map((debit) => tolerance(ledger, debit, value, observation) as Tolerance);
      // Prefer naming the known bug when it is needed, so it is counted.
      tolerated = reasons.sort()[0] ?? null;
    }
  }
  if (tolerated !== null) return { ok: true, tolerated };
  return {
    ok: false,
    failure: `1 (debit twice): ${balance} is no server value of ${userId} plus pending debits it does not include (pending ${JSON.stringify(pending.map((d) => [d.id, d.delta, d.state, d.shape]))}, history ${JSON.stringify(history.map((v) => [v.balance, v.version, v.epoch, v.includes]))})`,
  };
}

/** Every subsequence of `items` (all of them: the lists here are a few debits long). */
function subsequences<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>(
    (found, item) => found.concat(found.map((subset) => [...subset, item])),
    [[]],
  );
}

/**
 * Rule 2, exactly, when a push (or hello) lands while every pending debit of the session is still
 * unanswered: the value equal to the base plus the first k pending deltas confirms those k, and
 * the rest stay applied; else a value equal to the base plus other pending deltas confirms those
 * when every such set has the same amounts (an earlier debit refused or not reached yet); a value
 * that matches nothing, or several different sets of amounts, keeps them all.
 */
export function checkPrefixRule(
  ledger: Ledger,
  before: BalanceState,
  after: BalanceState,
  pushed: ServerValue,
  sessionDebits: readonly OwnDebit[],
): string | null {
  const userId = before.userId;
  if (userId === null || before.balance === null || before.version === null) return null;
  if (after.version !== pushed.version || after.epoch !== pushed.epoch) return null; // not landed
  if (before.epoch !== pushed.epoch || pushed.version <= before.version) return null;
  const live = sessionDebits.filter((debit) => debit.state !== 'rejected');
  if (live.some((debit) => debit.state === 'resolved') || live.length > 10) return null;
  const bases = ledger
    .historyOf(userId)
    .filter((value) => value.version === before.version && value.epoch === before.epoch);
  const base = bases[0];
  if (base === undefined || bases.some((value) => value.balance !== base.balance)) return null;
  const sum = (debits: readonly OwnDebit[]) => debits.reduce((total, d) => total + d.delta, 0);
  const amounts = (debits: readonly OwnDebit[]) => debits.map((d) => d.delta).join(',');
  // The sync's pending list: the session's debits that earlier values did not confirm. Only
  // judged when what the screen shows tells one list of amounts.
  const lists = subsequences(live).filter((list) => base.balance + sum(list) === before.balance);
  if (lists.length === 0 || new Set(lists.map(amounts)).size !== 1) return null;
  const list = lists[0] as OwnDebit[];
  let expected = pushed.balance + sum(list);
  if (pushed.balance !== base.balance) {
    const prefix = list.findIndex(
      (_, k) => base.balance + sum(list.slice(0, k + 1)) === pushed.balance,
    );
    const matches = subsequences(list).filter(
      (subset) => base.balance + sum(subset) === pushed.balance,
    );
    const sorted = (subset: OwnDebit[]) => [...subset].sort((a, b) => a.delta - b.delta);
    if (prefix !== -1) expected = pushed.balance + sum(list.slice(prefix + 1));
    else if (matches.length > 0 && new Set(matches.map((m) => amounts(sorted(m)))).size === 1) {
      expected = pushed.balance + sum(list) - sum(matches[0] as OwnDebit[]);
    }
  }
  return after.balance === expected
    ? null
    : `1 (rule 2): base ${base.balance} v${base.version} with pending ${JSON.stringify(list.map((d) => d.delta))}, push ${pushed.balance} v${pushed.version}: shows ${after.balance}, expected ${expected}`;
}

/**
 * 2. Monotonic: within one epoch the shown version never decreases, except by the corrected-floor
 * rule, which logs its warning in the same step. Reset on a user change (the floor resets).
 */
export class MonotonicCheck {
  private highest = new Map<string, number>();

  /** The newest epoch shown since the last user change (the ledger numbers them e0, e1, ...). */
  private newestEpoch = -1;

  reset(): void {
    this.highest.clear();
    this.newestEpoch = -1;
  }

  /** Whether `epoch` is older than an epoch already shown (a value from before a restart). */
  isOlderEpoch(epoch: string | null): boolean {
    return epoch !== null && Number(epoch.slice(1)) < this.newestEpoch;
  }

  /** The highest version shown in `epoch` since the last user change. */
  highestIn(epoch: string | null): number | undefined {
    return this.highest.get(epoch ?? '(no epoch)');
  }

  observe(observation: Observation, warnedThisStep: boolean): string | null {
    const { version, epoch } = observation.state;
    if (epoch !== null) this.newestEpoch = Math.max(this.newestEpoch, Number(epoch.slice(1)));
    if (version === null) return null;
    const key = epoch ?? '(no epoch)';
    const highest = this.highest.get(key);
    if (highest !== undefined && version < highest) {
      if (!warnedThisStep) {
        return `2 (monotonic): version ${version} shown after ${highest} in epoch ${key}, without the corrected-floor warning`;
      }
      this.highest.set(key, version);
      return null;
    }
    this.highest.set(key, Math.max(highest ?? version, version));
    return null;
  }
}

/**
 * When the sync received each value it showed, for rule 4. A value's `expiresAt` is normally its
 * receipt + `ttlMs`. `invalidate()`, and a user's value hydrated after a user change dropped their
 * unanswered debits, cut `expiresAt` to that moment instead (`earlyExpiries`): the receipt is then
 * the one recorded when the same value (user, epoch, version) was last seen with a normal expiry,
 * or, for a value never seen so (or unversioned), the cut itself, the only sure lower bound.
 */
export class ReceiptClock {
  readonly earlyExpiries = new Set<number>();
  private readonly received = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  receivedAt(state: BalanceState & { expiresAt: number }): number {
    const key = state.version === null ? null : `${state.userId}|${state.epoch}|${state.version}`;
    if (!this.earlyExpiries.has(state.expiresAt)) {
      const receivedAt = state.expiresAt - this.ttlMs;
      if (key !== null) this.received.set(key, receivedAt);
      return receivedAt;
    }
    const recorded = key === null ? undefined : this.received.get(key);
    return recorded !== undefined && recorded <= state.expiresAt ? recorded : state.expiresAt;
  }
}

/**
 * 3. Never fresh past `expiresAt`; with a finite TTL and no live socket, `expiresAt` is known.
 * 4. Never older than `maxStaleMs`, counted from the receipt (see `ReceiptClock`).
 */
export function checkFreshness(
  observation: Observation,
  limits: Limits,
  receipts: ReceiptClock,
): string[] {
  const { state, now, socketUp } = observation;
  const failures: string[] = [];
  if (state.balance === null) return failures;
  const { expiresAt } = state;
  if (!state.isStale && expiresAt !== null && now >= expiresAt) {
    failures.push(
      `3 (fresh past expiry): fresh ${now - expiresAt} ms after expiresAt (${state.status})`,
    );
  }
  if (!socketUp && Number.isFinite(limits.ttlMs) && expiresAt === null) {
    failures.push(
      `3 (no expiry): a value with a finite TTL and no live socket has expiresAt null (${state.status})`,
    );
  }
  if (expiresAt !== null) {
    const receivedAt = receipts.receivedAt({ ...state, expiresAt });
    if (now - receivedAt > limits.maxStaleMs) {
      failures.push(
        `4 (older than maxStaleMs): shown ${now - receivedAt} ms after it was received (${state.status})`,
      );
    }
  }
  return failures;
}

/** 5. Isolation: the state is the current user's, and so is the balance. */
export function checkIsolation(observation: Observation): string | null {
  const { state, user } = observation;
  if (state.userId !== user)
    return `5 (isolation): state of ${state.userId} while ${user} is current`;
  if (
    state.balance !== null &&
    (state.userId === null || !belongsTo(state.balance, state.userId))
  ) {
    return `5 (isolation): ${state.balance} shown to ${state.userId}`;
  }
  return null;
}
