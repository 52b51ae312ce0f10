/** Context and input of the balance machine: the minimum needed; derived values live in selectors. */

/**
 * Where the value shown came from: the network, the socket, another tab, an optimistic debit,
 * or the cache layer it was read from (`memory`, `localStorage`, `indexedDB`, or a custom
 * layer's own name).
 */
export type ValueSource =
  | 'network'
  | 'socket'
  | 'memory'
  | 'localStorage'
  | 'indexedDB'
  | 'tab'
  | 'optimistic'
  | (string & {});

/** A balance as received, with both times the SPEC's freshness policy needs. */
export interface BalanceValue {
  userId: string;
  balance: number;
  version: number | null;
  /** The server's version counter generation; values of another epoch replace this one. */
  epoch: string | null;
  updatedAt: number | null;
  /** When the value was received (response or push), ms since epoch. */
  timestamp: number;
  /** `timestamp + ttlMs`; `Infinity` when the TTL is infinite. */
  expiresAt: number;
}

/** What a fetch resolved with, already validated by the core. */
export interface FetchedBalance {
  balance: number;
  version: number | null;
  epoch: string | null;
  updatedAt: number | null;
}

/** What hydration found in the cache layers, already validated by the core. */
export interface HydratedValue {
  value: BalanceValue;
  source: ValueSource;
}

export interface BalanceErrorInfo {
  /** `fetch` when the request failed, `validation` when its payload was rejected. */
  kind: 'fetch' | 'validation';
  message: string;
  at: number;
}

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export interface BalanceConfig {
  ttlMs: number;
  dedupeMs: number;
  maxStaleMs: number;
  refreshIntervalMs: number;
  /** Polling while a live socket vouches for the value; 0 = none. */
  socketRefreshIntervalMs: number;
  revalidateOnFocus: boolean;
  keepPreviousData: boolean;
  invalidateOnSocket: boolean;
  retry: RetryPolicy;
}

export interface RetiredEpoch {
  epoch: string;
  floor: number | null;
}

/** What an optimistic debit's commit answered: its version (if any) and when it resolved. */
export interface CommitAnswer {
  version: number | null;
  epoch: string | null;
  /** `seq` when the commit resolved: a response whose request started later includes the delta. */
  seq: number;
  /**
   * `seq` when a response fetched after the commit answered a lower version than the commit's
   * (a lagging replica, or a counter restarted without an epoch); null until then. A second
   * such response, requested after it, settles the delta: the server said it twice.
   */
  doubtedAtSeq?: number | null;
}

export interface PendingOptimistic {
  id: number;
  delta: number;
  /** `null` while the commit is unanswered. */
  commit: CommitAnswer | null;
}

export interface BalanceContext {
  config: BalanceConfig;
  /** Injected clock and randomness keep the chart pure and replayable. */
  now: () => number;
  random: () => number;
  userId: string | null;
  value: BalanceValue | null;
  source: ValueSource | null;
  error: BalanceErrorInfo | null;
  /** Logical clock: bumped when a fetch starts, a value lands or an optimistic commit settles. */
  seq: number;
  /** `seq` of the last value that landed; newer than `fetchStartedSeq` = response may be overtaken. */
  lastValueSeq: number;
  fetchStartedSeq: number;
  /**
   * The version a new value must beat within `floorEpoch` (SPEC "Versions and epochs"): the
   * highest shown since the last user change, lowered only by a value of another epoch or by the
   * corrected-floor rule. It survives invalidation and re-hydration, so a delayed older value
   * cannot lower what was shown.
   */
  versionFloor: number | null;
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
  lastFetchStartedAt: number | null;
  skipCacheRequested: boolean;
  retryAttempt: number;
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
  optimistic: PendingOptimistic[];
  invalidationReason: string | null;
  invalidationScope: 'all' | 'local';
  /** The invalidation whose layers `data.invalidated` waits for (the child actor's id). */
  invalidationId: string | null;
  /** Counts invalidation actors, so each child has an id of its own. */
  invalidationSeq: number;
  /** Where the network and visibility regions start; sources then report changes. */
  startsOffline: boolean;
  startsHidden: boolean;
}

export interface BalanceInput {
  config: BalanceConfig;
  userId?: string | null;
  now?: () => number;
  random?: () => number;
  online?: boolean;
  visible?: boolean;
  /** A fresh value the core read synchronously for `userId`: shown while hydration runs. */
  preloaded?: HydratedValue | null;
}

export const defaultConfig: BalanceConfig = {
  ttlMs: 30_000,
  dedupeMs: 1_000,
  maxStaleMs: 86_400_000,
  refreshIntervalMs: 30_000,
  socketRefreshIntervalMs: 0,
  revalidateOnFocus: true,
  keepPreviousData: true,
  invalidateOnSocket: true,
  retry: { attempts: 3, baseMs: 1_000, maxMs: 30_000 },
};

/** A preloaded value counts only for the user it belongs to (invariant 1), and sets the floor. */
export function preloadedFor(
  userId: string | null,
  preloaded: HydratedValue | null,
): Pick<BalanceContext, 'value' | 'source' | 'versionFloor' | 'floorEpoch'> {
  return preloaded !== null && userId !== null && preloaded.value.userId === userId
    ? {
        value: preloaded.value,
        source: preloaded.source,
        versionFloor: preloaded.value.version,
        floorEpoch: preloaded.value.epoch,
      }
    : { value: null, source: null, versionFloor: null, floorEpoch: null };
}

export function initialContext(input: BalanceInput): BalanceContext {
  return {
    config: input.config,
    now: input.now ?? (() => Date.now()),
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
    revalidatePending: false,
    awaitingTab: false,
    refetchOnStart: false,
    optimistic: [],
    invalidationReason: null,
    invalidationScope: 'all',
    invalidationId: null,
    invalidationSeq: 0,
    startsOffline: input.online === false,
    startsHidden: input.visible === false,
  };
}
