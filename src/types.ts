/** Public types of `balance-sync`. Names follow the SPEC's "Core API" and are the contract. */

import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Actor, InspectionEvent, Observer } from 'xstate';
import type { BalanceMachine } from '../machines/balance.machine.js';
import type { BalanceErrorInfo, RetryPolicy, ValueSource } from '../machines/context.js';
import type { BalanceEvent, InvalidationOutcome, InvalidationReport } from '../machines/events.js';

export type { InvalidationOutcome, InvalidationReport };

import type { CacheLayer, CacheLayerName } from './cache/layer.js';
import type { BalanceSource } from './sources/types.js';

/**
 * The `data` region's state, as `BalanceState.status` reports it: `idle` (stopped, or no user),
 * `hydrating` (reading the cache layers), `cached` (a fresh value), `stale` (past its TTL, a
 * revalidation due), `fetching`, `invalidated` (layers being cleared before the refetch) or
 * `error` (the last request failed; retries follow). Whether the value shown is stale is
 * `isStale`, not the status alone.
 */
export type BalanceStatus =
  | 'idle'
  | 'hydrating'
  | 'cached'
  | 'stale'
  | 'fetching'
  | 'invalidated'
  | 'error';

/**
 * What every subscriber sees, from `getSnapshot()`, `subscribe()` and the React hooks: the same
 * object until something in it changes. "No value" is `null`, never `undefined`.
 */
export interface BalanceState {
  /** Where the value's lifecycle stands (see `BalanceStatus`); `idle` while the sync is stopped. */
  status: BalanceStatus;
  /** The signed-in user this state belongs to; `null` when signed out. */
  userId: string | null;
  /**
   * The balance to show, pending optimistic deltas included; `null` when there is no value for
   * this user (not fetched yet, signed out, or older than `maxStaleMs`).
   */
  balance: number | null;
  /** The server's version of the value shown, when the server sends one; else `null`. */
  version: number | null;
  /** The server's version counter generation of the value shown (SPEC "Versions and epochs"). */
  epoch: string | null;
  /** When the server says the balance last changed (its `updatedAt`, ms since epoch), or `null`. */
  updatedAt: number | null;
  /**
   * When the value shown stops being fresh (ms since epoch); `null` with no value, with an
   * infinite TTL, or past the TTL while a live socket vouches for it.
   */
  expiresAt: number | null;
  /**
   * Where the value shown came from: `network`, `socket`, `tab`, a cache layer's name, or
   * `optimistic` while a debit is pending; `null` with no value.
   */
  source: ValueSource | null;
  /**
   * True when a value is shown but may be out of date: past its TTL with no live socket, during
   * an invalidation (`keepPreviousData`), or after a failed request. False with no value.
   */
  isStale: boolean;
  /** True while a request for this user is in flight (`status === 'fetching'`). */
  isFetching: boolean;
  /** Why the last request failed; `null` once a value lands or the user changes. */
  error: BalanceErrorInfo | null;
}

/** What `fetchBalance` is called with: one request for one user. */
export interface FetchBalanceArgs {
  /** Whose balance to fetch: the signed-in user when the request started. */
  userId: string;
  /**
   * Aborted when the answer is no longer wanted (user change, `stop()`, `requestTimeoutMs`):
   * pass it to `fetch` so the request is cancelled.
   */
  signal: AbortSignal;
  /** True for `refresh({ skipCache: true })`: bypass HTTP caches too if you can. */
  skipCache: boolean;
}

/**
 * What `fetchBalance` resolves with: the balance, and what orders it against pushes and other
 * tabs. Checked by the core (and by `schema`, when given) before it is shown.
 */
export interface FetchedPayload {
  /** The balance: a finite number within the safe integer range. */
  balance: number;
  /** A number the server increases with every change; a lower one than shown is discarded. */
  version?: number | null;
  /** Changes when the server restarts its version counter (SPEC "Versions and epochs"). */
  epoch?: string | null;
  /** When the balance last changed on the server: ms since epoch, or an ISO 8601 string. */
  updatedAt?: number | string | null;
}

/** A balance the app's server already fetched, for server rendering (`initialData`). */
export interface InitialData extends FetchedPayload {
  /**
   * When the server fetched it (ms since epoch): its TTL counts from then. Without it, the value
   * counts as received when the sync is created.
   * @default now()
   */
  receivedAt?: number;
}

/**
 * Where the sync writes its log lines (the `logger` option): `console` fits, as do pino and
 * winston loggers. Messages never include balances or tokens; `details` carry ids and reasons.
 */
export interface BalanceLogger {
  /** Routine steps: cache hits and misses, requests started, deduped requests. */
  debug(message: string, details?: Record<string, unknown>): void;
  /** Lifecycle: connections, invalidations, discarded values. */
  info(message: string, details?: Record<string, unknown>): void;
  /** Rejected input, failed requests, cache layers that failed: handled, worth a look. */
  warn(message: string, details?: Record<string, unknown>): void;
  /** Something the app should fix: a subscriber that threw, an incomplete invalidation. */
  error(message: string, details?: Record<string, unknown>): void;
}

/**
 * What the `inspect` option takes: an XState inspection observer (or a function of the events),
 * such as the `inspect` of an `@statelyai/inspect` inspector.
 */
export type InspectionObserver = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

/**
 * The options of `createBalanceSync`. Only `fetchBalance` is required; every option is checked
 * when the sync is created, and a value that cannot work throws at once, naming it.
 */
export interface BalanceSyncOptions {
  /**
   * Fetches `userId`'s balance from your server and resolves with a `FetchedPayload`. Pass
   * `signal` on to `fetch`; a rejection or an invalid payload sets `error` and is retried.
   */
  fetchBalance: (args: FetchBalanceArgs) => Promise<FetchedPayload>;
  /**
   * The signed-in user; may be set later with `setUser`. `undefined` is `null` (signed out), so
   * `userId: session?.userId` works as written.
   * @default null
   */
  userId?: string | null | undefined;
  /**
   * How long a value stays fresh after it was fetched or pushed, in ms: at least 1_000, or
   * `Infinity` for never. While a live socket vouches for it, the value shown stays fresh anyway.
   * @default 30_000
   */
  ttlMs?: number;
  /**
   * No automatic request (TTL, polling, focus, catch-up, retry) starts within this many ms of
   * the last request's start, this tab's or another's; nor does `refresh()` without `skipCache`.
   * @default 1_000
   */
  dedupeMs?: number;
  /**
   * A value received longer ago than this (ms) is not shown at all, not even marked stale,
   * whether in memory or stored; `Infinity` keeps showing it. At least 1 s (a shorter one
   * would drop each value at once and refetch it, over and over).
   * @default 86_400_000
   */
  maxStaleMs?: number;
  /**
   * Polling interval (ms) while no live socket vouches for the value and the tab is visible and
   * online (with `crossTabSource`, the leader polls for every tab): `0` turns it off, otherwise at
   * least 1_000.
   * @default 30_000
   */
  refreshIntervalMs?: number;
  /**
   * Polling interval (ms) while a live socket does vouch for the value, as a safety net against
   * missed pushes: `0` turns it off, otherwise at least 1_000.
   * @default 0
   */
  socketRefreshIntervalMs?: number;
  /**
   * Revalidate when the page becomes visible again (and on raw window focus, if `windowSource`
   * reports it), unless a live socket vouches for the value or `dedupeMs` has not passed.
   * @default true
   */
  revalidateOnFocus?: boolean;
  /**
   * While `invalidate()` refetches, keep showing the old value, marked stale, instead of no
   * value (as SWR's `mutate()` and TanStack's `invalidateQueries()` do). Never across users.
   * @default true
   */
  keepPreviousData?: boolean;
  /**
   * The cache layers, read in this order (fastest first) on start and on a user change; each
   * new value is written to them. The default is memory, localStorage, and IndexedDB where the
   * runtime has it; `[]` keeps nothing.
   * @default defaultCacheLayers()
   */
  cache?: CacheLayer[];
  /**
   * Prefix of the per-user cache keys: entries live under `${keyPrefix}_${userId}`. The
   * cross-tab channel is named after it too.
   * @default 'tokenBalanceCache'
   */
  keyPrefix?: string;
  /**
   * Keys of older app versions (one global key for every user): removed from every layer on
   * `start()` and `invalidate()`, never read.
   * @default ['tokenBalanceCache']
   */
  legacyKeys?: string[];
  /**
   * Event sources, subscribed while the sync runs: observables of `BalanceEvent`s, or
   * functions of the sync's context returning one (see `BalanceSource`), e.g. `windowSource()`,
   * `crossTabSource()`, `websocketSource()`. Without any, only TTL, polling and the app's own
   * calls revalidate.
   * @default []
   */
  sources?: BalanceSource[];
  /**
   * Retries after a failed request: up to `attempts` retries, with exponential backoff and equal
   * jitter from `baseMs` up to `maxMs`; only while online and never inside `dedupeMs`. After
   * three retries they come at least 1 s apart, whatever the policy says (no request storm).
   * @default `{ attempts: 3, baseMs: 1_000, maxMs: 30_000 }`
   */
  retry?: RetryPolicy;
  /**
   * Rollback switch for socket-driven updates: `false` ignores the values sockets push (and the
   * hello of a connection) and never lets a live socket vouch for the value.
   * @default true
   */
  invalidateOnSocket?: boolean;
  /**
   * A Standard Schema (zod, valibot, arktype, ...) run on every raw response and pushed payload
   * before the core's own checks; its output is what is shown, and what it rejects is logged,
   * counted and never shown.
   */
  schema?: StandardSchemaV1;
  /**
   * Where the sync logs, or `false` for nowhere. The default, `defaultLogger()`, writes every
   * level as readable lines when `NODE_ENV` is `development`, only errors when it is
   * `production`, and warnings and errors otherwise (unset, `test`).
   * @default defaultLogger()
   */
  logger?: BalanceLogger | false;
  /**
   * An inspection observer for the sync's actor, such as the `inspect` of an `@statelyai/inspect`
   * inspector, to watch the statechart live.
   */
  inspect?: InspectionObserver;
  /**
   * A request without an answer after this many ms is aborted (its `signal`) and fails, then
   * backoff and retry; `Infinity` waits forever.
   * @default 30_000
   */
  requestTimeoutMs?: number;
  /**
   * The deadline (ms) of each cache layer and registered invalidation target in an
   * invalidation: one that has not settled by then is reported failed and holds up nothing.
   * @default 5_000
   */
  targetTimeoutMs?: number;
  /**
   * The clock (ms since epoch) that every freshness decision reads, for tests and simulations.
   * @default Date.now
   */
  now?: () => number;
  /**
   * A balance the app's server already fetched for the initial `userId` (server rendering):
   * the server render and the hydration show it, and the sync starts from it unless the client
   * has a newer value cached.
   */
  initialData?: InitialData;
}

/** The counters of one cache layer in `BalanceMetrics.layers`, since the sync was created. */
export interface LayerMetrics {
  /** Reads that found a valid, fresh entry. */
  hits: number;
  /** Reads that found no entry. */
  misses: number;
  /** Reads that found a valid entry past its TTL (shown stale if within `maxStaleMs`). */
  expired: number;
  /** Entries rejected as corrupt, tampered or another user's (and removed). */
  rejected: number;
  /** Reads, writes and removals that failed (threw, rejected, or a read that timed out). */
  errors: number;
}

/**
 * What `sync.metrics()` returns: counters since the sync was created, as a copy, so readings
 * taken at different times can be compared.
 */
export interface BalanceMetrics {
  /** Requests started (`fetchBalance` calls). */
  fetches: number;
  /** Requests that failed: rejected, timed out or answered with an invalid payload. */
  fetchErrors: number;
  /** Requests not started: a refresh or focus shared one in flight, or came within `dedupeMs`. */
  deduped: number;
  /** Values not shown because they were older than the one shown (SPEC "Versions and epochs"). */
  discarded: number;
  /** `SOCKET.*` events received, from sources or `send()`. */
  socketEvents: number;
  /** Invalidations that cleared this tab's layers, an own `invalidate()` or another tab's. */
  invalidations: number;
  /** Inputs rejected as invalid: events, pushed values, stored entries, refused calls. */
  rejected: number;
  /** Per layer, by its name. */
  layers: Record<CacheLayerName, LayerMetrics>;
}

/**
 * A foreign cache to clear on `invalidate()` and on server changes (`addInvalidationTarget`):
 * called with no arguments; a promise it returns is awaited up to `targetTimeoutMs`.
 */
export type InvalidationTarget = () => unknown;

/** A `subscribe()` listener: called with each new `BalanceState`. */
export type BalanceListener = (state: BalanceState) => void;

/** The handle `createBalanceSync` returns. See SPEC "Core API". */
export interface BalanceSync {
  /** Starts the actor and the sources; removes legacy keys. Idempotent. */
  start(): void;
  /** Stops the actor and the sources: no timers, listeners, sockets or subscriptions remain. */
  stop(): void;
  /** The same object between changes (useSyncExternalStore-compatible). */
  getSnapshot(): BalanceState;
  /**
   * What a server render shows and what hydration must match (useSyncExternalStore's
   * `getServerSnapshot`): "no value" for the current user, or its `initialData`; never a value
   * read from this browser's caches.
   */
  getServerSnapshot(): BalanceState;
  /**
   * Calls `listener` with each new state (not the current one); returns the unsubscribe of this
   * subscription alone. A listener that throws is logged and does not stop the others.
   */
  subscribe(listener: BalanceListener): () => void;
  /**
   * Shares a request in flight, else starts one unless inside `dedupeMs` (`skipCache`: always);
   * resolves with the state once it settled. While stopped, resolves at once with the current
   * state.
   */
  refresh(options?: { skipCache?: boolean }): Promise<BalanceState>;
  /**
   * Clears every layer, legacy keys and registered targets, then refetches (the old value stays
   * shown, marked stale, with `keepPreviousData`). Resolves with the report once each layer and
   * target settled or timed out. While stopped it clears too, and the next `start()` fetches.
   */
  invalidate(options?: { reason?: string }): Promise<InvalidationReport>;
  /**
   * Synchronous: when it returns, the snapshot belongs to the new user. `null` or `undefined`
   * signs out (as `session?.userId` writes it) and purges that user's entries.
   */
  setUser(userId: string | null | undefined): void;
  /** Feeds an event (e.g. from an existing socket client). Bad input is logged, never thrown. */
  send(event: BalanceEvent): void;
  /**
   * Shows `balance + delta` at once. The delta is settled, counted once, by the server: by
   * `commit`'s answer (its `version` or `balance`), by a value that includes it, or else by one
   * revalidation after `commit` resolves; it is rolled back if `commit` rejects. Refused (logged)
   * while stopped or signed out.
   */
  applyOptimistic(delta: number, commit: PromiseLike<unknown>): void;
  /**
   * Registers a foreign cache (an SWR key, a TanStack query, an API client's cache) to clear on
   * `invalidate()` and whenever the server tells of a change. A second target of the same name
   * replaces the first. Returns its unregister function.
   */
  addInvalidationTarget(name: string, target: InvalidationTarget): () => void;
  /** The counters since the sync was created (a copy: see `BalanceMetrics`). */
  metrics(): BalanceMetrics;
  /**
   * The XState actor: one for the sync's whole life, never replaced (`start()`/`stop()` are its
   * `START`/`STOP` events). Works with `@xstate/react`'s `useSelector(sync.actor, ...)`.
   */
  readonly actor: Actor<BalanceMachine>;
}
