/** The random steps of the ledger property test, as plain data (fast-check shrinks them). */
import fc from 'fast-check';
import type { CommitShape, UserId } from './ledger.js';

export type LedgerAction =
  /** Someone else changes the balance (another device, a top-up); a push is queued. */
  | { kind: 'serverChange'; user: UserId; delta: number; unversionedPush: boolean }
  /** The counter restarts at 1, with a new epoch or without one. */
  | { kind: 'restart'; user: UserId; newEpoch: boolean }
  /** `applyOptimistic(delta, commit)`: the commit stays open until delivered and settled. */
  | { kind: 'debit'; delta: number; shape: CommitShape }
  /** An open own debit reaches the server: applied, a push queued. */
  | { kind: 'deliverDebit'; pick: number; unversionedPush: boolean }
  /** A delivered debit's commit resolves (with its shape); an undelivered one's rejects. */
  | { kind: 'settleCommit'; pick: number }
  /** A queued push arrives; `keep` leaves it queued to arrive again (a duplicate). */
  | { kind: 'deliverPush'; pick: number; keep: boolean }
  /** An open request is answered: current value, a lagging replica's, or an error. */
  | { kind: 'answer'; pick: number; how: 'current' | 'lagging' | 'fail'; lag: number }
  | { kind: 'connect'; hello: boolean }
  | { kind: 'disconnect' }
  | { kind: 'refresh'; skipCache: boolean }
  | { kind: 'invalidate' }
  | { kind: 'focus' }
  /** Time passes with timers running. */
  | { kind: 'advance'; ms: number }
  /** The laptop sleeps: the wall clock jumps, no timer runs before the next check. */
  | { kind: 'sleep'; ms: number }
  | { kind: 'switchUser'; user: UserId | null | undefined };

export interface RunConfig {
  /** A server that never sends versions. */
  unversioned: boolean;
  /** A server that sends epochs (only such a server restarts with a new one). */
  epochs: boolean;
  /** Math.random seed of the run (the sync's backoff jitter), so a run replays exactly. */
  randomSeed: number;
}

/** True about once in `oneIn + 1`. */
const rarely = (oneIn: number) =>
  fc.oneof(
    { arbitrary: fc.constant(false), weight: oneIn },
    { arbitrary: fc.constant(true), weight: 1 },
  );

const user = fc.constantFrom<UserId>('u1', 'u2');
const pick = fc.nat(7);

export const ledgerActionArb: fc.Arbitrary<LedgerAction> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('serverChange' as const),
      user,
      delta: fc.integer({ min: -300, max: 300 }),
      unversionedPush: rarely(5),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('restart' as const), user, newEpoch: fc.boolean() }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('debit' as const),
      delta: fc.integer({ min: -99, max: -1 }),
      shape: fc.constantFrom<CommitShape>('version', 'full', 'none'),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('deliverDebit' as const),
      pick,
      unversionedPush: fc.boolean(),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('settleCommit' as const), pick }), weight: 4 },
  {
    arbitrary: fc.record({ kind: fc.constant('deliverPush' as const), pick, keep: fc.boolean() }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      pick,
      how: fc.constantFrom(
        'current' as const,
        'current' as const,
        'lagging' as const,
        'fail' as const,
      ),
      lag: fc.integer({ min: 1, max: 4 }),
    }),
    weight: 7,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('connect' as const), hello: fc.boolean() }),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: 'disconnect' as const }), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant('refresh' as const), skipCache: fc.boolean() }),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: 'invalidate' as const }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'focus' as const }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(
        fc.integer({ min: 0, max: 1_500 }),
        fc.integer({ min: 1_000, max: 45_000 }),
        fc.integer({ min: 100_000, max: 150_000 }),
      ),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('sleep' as const),
      ms: fc.oneof(
        fc.integer({ min: 1_000, max: 40_000 }),
        fc.integer({ min: 110_000, max: 3_600_000 }),
      ),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('switchUser' as const),
      user: fc.constantFrom<UserId | null | undefined>('u1', 'u2', null, undefined),
    }),
    weight: 1,
  },
);

export const runConfigArb: fc.Arbitrary<RunConfig> = fc.record({
  unversioned: rarely(4),
  epochs: fc.boolean(),
  randomSeed: fc.integer({ min: 1, max: 2_147_483_646 }),
});
