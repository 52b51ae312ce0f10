/** Public types of `balance-sync`. Names follow the SPEC's "Core API" and are the contract. */

import type { Actor } from 'xstate';
import type { BalanceMachine } from '../machines/balance.machine.js';
import type { BalanceErrorInfo, ValueSource } from '../machines/context.js';
import type { BalanceEvent, InvalidationOutcome, InvalidationReport } from '../machines/events.js';

export type { InvalidationOutcome, InvalidationReport };

import type { CacheLayerName } from './cache/layer.js';

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
 * Where the sync writes its log lines (the `logger` option): `console` and winston fit as they
 * are; pino takes the details first, so adapt it:
 * `{ debug: (m, d) => log.debug(d, m), info: (m, d) => log.info(d, m), … }`. Messages never
 * include balances or tokens (a schema's message has its numbers masked); `details` carry ids
 * and reasons.
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

export type { BalanceSyncOptions, InspectionObserver } from './sync-options.js';

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
   * resolves with the state once it settled (after a user switch meanwhile, once the new user's
   * load settled). While stopped, resolves at once with the current state. Called from a
   * listener, it is judged once the refresh is processed, after the change being delivered.
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
   * while signed out; while stopped it is kept, and shown on the value the next `start()` finds.
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
