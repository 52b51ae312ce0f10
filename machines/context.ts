/** Context and input of the balance machine: the minimum needed; derived values live in selectors. */

import type { BalanceConfig } from './config.js';
import type { DroppedDebit, GuessedDebit, PendingOptimistic } from './debits.js';
import type { BalanceErrorInfo, BalanceValue, HydratedValue, ValueSource } from './value.js';

export type { BalanceConfig, RetryPolicy } from './config.js';
export { defaultConfig } from './config.js';
export type {
  BalanceErrorInfo,
  BalanceValue,
  FetchedBalance,
  HydratedValue,
  ValueSource,
} from './value.js';

/** An epoch the server has left, with the version floor it had (see `retiredEpochs`). */
export interface RetiredEpoch {
  /** The epoch left. */
  epoch: string;
  /** The highest version shown within it, or `null`. */
  floor: number | null;
}

/**
 * The machine's context: the value, the user, and the bookkeeping its guards read (dedupe,
 * ordering, retries, invalidations, pending debits). Derived values, such as the public
 * `BalanceState`, are computed from it by selectors, not stored.
 */
export interface BalanceContext {
  /** The checked options the chart runs with. */
  config: BalanceConfig;
  /** Injected clock and randomness keep the chart pure and replayable. */
  now: () => number;
  /**
   * A monotonic clock (ms): ages measured on it do not shrink when the wall clock is moved back.
   * The same as `now` when the app runs its own clock.
   */
  elapsed: () => number;
  /**
   * The shown value's timestamp and the `elapsed()` reading at which it was that old: its age on
   * the monotonic clock (see `valueAge`); null with no value tracked yet.
   */
  valueAge: { timestamp: number; since: number } | null;
  /** Randomness for the backoff jitter, in [0, 1). */
  random: () => number;
  /** The signed-in user, or `null` when signed out. */
  userId: string | null;
  /** The latest server value of `userId` (without pending deltas), or `null`. */
  value: BalanceValue | null;
  /** Where `value` came from, or `null` with no value. */
  source: ValueSource | null;
  /** Why the last request failed, or `null`. */
  error: BalanceErrorInfo | null;
  /** Logical clock: bumped when a fetch starts, a value lands or an optimistic commit settles. */
  seq: number;
  /**
   * `seq` of the last value that landed; newer than `fetchStartedSeq` = an unversioned response
   * in flight is overtaken (SPEC: taken only if nothing landed after its request started).
   */
  lastValueSeq: number;
  /** `seq` when the request in flight (or the last one) started. */
  fetchStartedSeq: number;
  /**
   * The version a new value must beat within `floorEpoch` (SPEC "Versions and epochs"): the
   * highest shown since the last user change, lowered only by a value of another epoch or by the
   * corrected-floor rule. It survives invalidation and re-hydration, so a delayed older value
   * cannot lower what was shown.
   */
  versionFloor: number | null;
  /**
   * The last server balance of this user, kept while the value is hidden (an invalidation
   * without `keepPreviousData`, a value past `maxStaleMs`): the base from which rule 2 counts
   * the pending deltas a response already includes (SPEC "Optimistic debits": base = last
   * server value; pending deltas survive `invalidate()`).
   */
  baseBalance: number | null;
  /** The epoch `versionFloor` belongs to; a value of another epoch replaces the value shown. */
  floorEpoch: string | null;
  /**
   * Epochs the server has left (the last few), with the floor each had: their late values are
   * older than anything shown, and a return to one (a lagging replica, the server saying it
   * twice) is ordered against its own floor.
   */
  retiredEpochs: RetiredEpoch[];
  /**
   * `seq` of the last discard that owes a revalidation (0: none owed). A response to a request
   * started after it that is still lower corrects the floor: the server said it twice.
   */
  discardedSeq: number;
  /** When the last request started (this tab's or another's), for `dedupeMs`; `null`: none. */
  lastFetchStartedAt: number | null;
  /** A `refresh({ skipCache: true })` asked for the next request to bypass HTTP caches. */
  skipCacheRequested: boolean;
  /**
   * Failed requests in a row, reset by a value from the server (a response, a push, another
   * tab's) or a user change: a failure after that is a first failure again; see `retry.attempts`.
   */
  retryAttempt: number;
  /**
   * A timer of the state shown fired and did nothing because the tab was hidden, offline, a
   * follower or vouched for by the socket: showing the tab or losing the socket re-arms the
   * timers (a brief switch away from the tab must not restart a poll or backoff that runs on).
   */
  timerLapsed: boolean;
  /**
   * A revalidation is owed as soon as the network allows: catch-up after a (re)connect (the
   * socket only vouches for values checked after it came up), a server change notice, or a
   * committed optimistic update.
   */
  revalidatePending: boolean;
  /**
   * Another tab is expected to fetch for this one: the leader catching up after its (relayed)
   * connection, or the tab where the user signed in. A value from a tab settles it; after the
   * leader grace this tab fetches itself (SPEC: one catch-up per browser).
   */
  awaitingTab: boolean;
  /**
   * Invalidated while stopped: the next start fetches, whatever a layer that failed to clear
   * still holds (SPEC: "stopped, it clears layers and calls targets, and the next start()
   * fetches").
   */
  refetchOnStart: boolean;
  /**
   * The value shown was kept across a stop: nothing vouched for it meanwhile, so a connection
   * that says it owes no catch-up (a relayed `caughtUp`, heard by this tab only after it
   * restarted) does not vouch for it either. Cleared by the next value from the server.
   */
  keptWhileStopped: boolean;
  /**
   * A catch-up is owed for the socket (it came up, or the user changed under it) and no value
   * the server gave since has landed: a response, a hello, or another tab's value. Until one
   * does, the socket vouches for nothing, so if the catch-up fails the TTL and polling (with
   * their backoff) take over; otherwise a push lost before the catch-up would stay on screen
   * as fresh for as long as the socket stays up.
   */
  socketUnverified: boolean;
  /**
   * When the connection whose catch-up is owed opened (the leader's, for a relayed one): another
   * tab's value observed before it is no catch-up (a push may have been lost in between).
   */
  catchUpSince: number | null;
  /** Deltas of `applyOptimistic` not yet settled, in the order applied. */
  optimistic: PendingOptimistic[];
  /** The last debits settled by rule 2 before their commit answered (see `GuessedDebit`). */
  guessedDebits: GuessedDebit[];
  /** Debits a user change dropped unanswered: never shown, still settled (see `DroppedDebit`). */
  droppedDebits: DroppedDebit[];
  /** The id of the last debit applied (ids only grow, over the sync's whole life). */
  lastDebitId: number;
  /**
   * The first debit id of the current user's session: a debit made before a user change, even
   * one back to the same user, was dropped with it, and its commit's answer is not a value now.
   */
  sessionDebitsFrom: number;
  /**
   * The last debit applied before the floor was last corrected (the server restarted its counter
   * without an epoch); 0: none. A version its commit answers may be of the old counter, which
   * the new one may never reach: see `ofOldCounter`.
   */
  debitsBeforeCounterRestart: number;
  /** The `reason` of the invalidation in progress (`other tab` for a relayed one), or `null`. */
  invalidationReason: string | null;
  /**
   * This tab's `invalidate()` awaits its refetch's answer: another tab's value that is not newer
   * than the one invalidated may answer a request that started before, so it replaces nothing.
   */
  refetchAfterInvalidation: boolean;
  /** `all`: this tab's `invalidate()`; `local`: another tab's (it cleared the shared layers). */
  invalidationScope: 'all' | 'local';
  /** The invalidation whose layers `data.invalidated` waits for (the child actor's id). */
  invalidationId: string | null;
  /** Counts invalidation actors, so each child has an id of its own. */
  invalidationSeq: number;
  /**
   * Users invalidated since a value of theirs last came from the server (a response, a push,
   * another tab): a cache layer that failed to clear may still hold the old value, so nothing
   * read from a layer is fresh for them until the server speaks again (invariant 5). So are
   * users whose pending debits a user change dropped: their stored value may predate them.
   */
  distrustedUsers: readonly string[];
  /** Where the network and visibility regions start; sources then report changes. */
  startsOffline: boolean;
  /** True when the visibility region starts `hidden` (input `visible: false`). */
  startsHidden: boolean;
}

/**
 * What the machine is created with (`createActor(balanceMachine, { input })`): its
 * configuration and where it starts. The core passes it; tests and the inspector pass their own.
 */
export interface BalanceInput {
  /** The configuration, e.g. `defaultConfig`. */
  config: BalanceConfig;
  /** The signed-in user to start with. @default null */
  userId?: string | null;
  /** The clock, ms since epoch. @default Date.now */
  now?: () => number;
  /** A monotonic clock, ms (`performance.now`): ages a wall clock moved back cannot shrink. @default now */
  elapsed?: () => number;
  /** Randomness for the backoff jitter. @default Math.random */
  random?: () => number;
  /** `false` starts the network region `offline`. @default true */
  online?: boolean;
  /** `false` starts the visibility region `hidden`. @default true */
  visible?: boolean;
  /** A fresh value the core read synchronously for `userId`: shown while hydration runs. */
  preloaded?: HydratedValue | null;
}

/** A preloaded value counts only for the user it belongs to (invariant 1), and sets the floor. */
export function preloadedFor(
  userId: string | null,
  preloaded: HydratedValue | null,
): Pick<BalanceContext, 'value' | 'source' | 'versionFloor' | 'floorEpoch' | 'baseBalance'> {
  return preloaded !== null && userId !== null && preloaded.value.userId === userId
    ? {
        value: preloaded.value,
        source: preloaded.source,
        versionFloor: preloaded.value.version,
        floorEpoch: preloaded.value.epoch,
        baseBalance: preloaded.value.balance,
      }
    : { value: null, source: null, versionFloor: null, floorEpoch: null, baseBalance: null };
}

/**
 * The machine's first context for an input: the user and preloaded value, empty bookkeeping.
 * The machine uses it; tests use it to build contexts for the pure rules (`policy`).
 */
export function initialContext(input: BalanceInput): BalanceContext {
  return {
    config: input.config,
    now: input.now ?? (() => Date.now()),
    elapsed: input.elapsed ?? input.now ?? (() => Date.now()),
    valueAge: null,
    random: input.random ?? (() => Math.random()),
    userId: input.userId ?? null,
    ...preloadedFor(input.userId ?? null, input.preloaded ?? null),
    error: null,
    seq: 0,
    lastValueSeq: 0,
    fetchStartedSeq: 0,
    discardedSeq: 0,
    retiredEpochs: [],
    lastFetchStartedAt: null,
    skipCacheRequested: false,
    retryAttempt: 0,
    timerLapsed: false,
    revalidatePending: false,
    awaitingTab: false,
    refetchOnStart: false,
    keptWhileStopped: false,
    socketUnverified: false,
    catchUpSince: null,
    optimistic: [],
    guessedDebits: [],
    droppedDebits: [],
    lastDebitId: 0,
    sessionDebitsFrom: 1,
    debitsBeforeCounterRestart: 0,
    invalidationReason: null,
    refetchAfterInvalidation: false,
    invalidationScope: 'all',
    invalidationId: null,
    invalidationSeq: 0,
    distrustedUsers: [],
    startsOffline: input.online === false,
    startsHidden: input.visible === false,
  };
}
