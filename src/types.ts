/** Public types of `balance-sync`. Names follow the SPEC's "Core API" and are the contract. */

import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Actor, InspectionEvent, Observer } from 'xstate';
import type { BalanceMachine } from '../machines/balance.machine.js';
import type { BalanceErrorInfo, RetryPolicy, ValueSource } from '../machines/context.js';
import type { BalanceEvent, InvalidationOutcome, InvalidationReport } from '../machines/events.js';

export type { InvalidationOutcome, InvalidationReport };

import type { CacheLayer, CacheLayerName } from './cache/layer.js';
import type { BalanceSource } from './sources/types.js';

export type BalanceStatus =
  | 'idle'
  | 'hydrating'
  | 'cached'
  | 'stale'
  | 'fetching'
  | 'invalidated'
  | 'error';

/** What every subscriber sees. "No value" is `null`, never `undefined`. */
export interface BalanceState {
  status: BalanceStatus;
  userId: string | null;
  balance: number | null;
  version: number | null;
  /** The server's version counter generation of the value shown (SPEC "Versions and epochs"). */
  epoch: string | null;
  updatedAt: number | null;
  expiresAt: number | null;
  source: ValueSource | null;
  isStale: boolean;
  isFetching: boolean;
  error: BalanceErrorInfo | null;
}

export interface FetchBalanceArgs {
  userId: string;
  signal: AbortSignal;
  /** True for `refresh({ skipCache: true })`: bypass HTTP caches too if you can. */
  skipCache: boolean;
}

export interface FetchedPayload {
  balance: number;
  version?: number | null;
  epoch?: string | null;
  updatedAt?: number | string | null;
}

/** A balance the app's server already fetched, for server rendering (`initialData`). */
export interface InitialData extends FetchedPayload {
  /** When the server fetched it (ms since epoch): its TTL counts from then. @default now */
  receivedAt?: number;
}

export interface BalanceLogger {
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

export type InspectionObserver = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

export interface BalanceSyncOptions {
  fetchBalance: (args: FetchBalanceArgs) => Promise<FetchedPayload>;
  /**
   * The signed-in user; may be set later with `setUser`. `undefined` is `null` (signed out), so
   * `userId: session?.userId` works as written.
   * @default null
   */
  userId?: string | null | undefined;
  /** @default 30_000 — `Infinity` = never expires */
  ttlMs?: number;
  /** @default 1_000 */
  dedupeMs?: number;
  /** Older than this, a stored value is not shown at all. @default 86_400_000 */
  maxStaleMs?: number;
  /** @default 30_000 — 0 = no polling */
  refreshIntervalMs?: number;
  /** Polling while a live socket vouches for the value. @default 0 — none */
  socketRefreshIntervalMs?: number;
  /** @default true */
  revalidateOnFocus?: boolean;
  /**
   * While `invalidate()` refetches, keep showing the old value, marked stale, instead of no
   * value (as SWR's `mutate()` and TanStack's `invalidateQueries()` do). Never across users.
   * @default true
   */
  keepPreviousData?: boolean;
  /** @default memory, localStorage and IndexedDB where available */
  cache?: CacheLayer[];
  /** @default 'tokenBalanceCache' → key `${keyPrefix}_${userId}` */
  keyPrefix?: string;
  /** Removed on start and invalidate, never read. @default ['tokenBalanceCache'] */
  legacyKeys?: string[];
  /** Observables of events, or functions of the sync's context returning one (see `BalanceSource`). */
  sources?: BalanceSource[];
  /** @default { attempts: 3, baseMs: 1_000, maxMs: 30_000 } */
  retry?: RetryPolicy;
  /** Rollback switch for socket-driven updates. @default true */
  invalidateOnSocket?: boolean;
  /** Extra validation of fetched and pushed payloads (zod, valibot, ...). */
  schema?: StandardSchemaV1;
  /**
   * Where the sync logs, or `false` for nowhere. The default, `defaultLogger()`, writes every
   * level as readable lines when `NODE_ENV` is `development`, only errors when it is
   * `production`, and warnings and errors otherwise (unset, `test`).
   * @default defaultLogger()
   */
  logger?: BalanceLogger | false;
  inspect?: InspectionObserver;
  /** A request without an answer by then is aborted and fails (then backoff and retry). @default 30_000 — Infinity = none */
  requestTimeoutMs?: number;
  /**
   * The deadline (ms) of each cache layer and registered invalidation target in an
   * invalidation: one that has not settled by then is reported failed and holds up nothing.
   * @default 5_000
   */
  targetTimeoutMs?: number;
  /** Clock, for tests and simulations. @default Date.now */
  now?: () => number;
  /**
   * A balance the app's server already fetched for the initial `userId` (server rendering):
   * the server render and the hydration show it, and the sync starts from it unless the client
   * has a newer value cached.
   */
  initialData?: InitialData;
}

export interface LayerMetrics {
  hits: number;
  misses: number;
  expired: number;
  rejected: number;
  errors: number;
}

export interface BalanceMetrics {
  fetches: number;
  fetchErrors: number;
  deduped: number;
  discarded: number;
  socketEvents: number;
  invalidations: number;
  rejected: number;
  /** Per layer, by its name. */
  layers: Record<CacheLayerName, LayerMetrics>;
}

export type InvalidationTarget = () => unknown;

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
  subscribe(listener: BalanceListener): () => void;
  /** Shares a request in flight, else starts one unless inside `dedupeMs` (`skipCache`: always). */
  refresh(options?: { skipCache?: boolean }): Promise<BalanceState>;
  /** Clears every layer, legacy keys and registered targets, then refetches. */
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
  addInvalidationTarget(name: string, target: InvalidationTarget): () => void;
  metrics(): BalanceMetrics;
  /**
   * The XState actor: one for the sync's whole life, never replaced (`start()`/`stop()` are its
   * `START`/`STOP` events). Works with `@xstate/react`'s `useSelector(sync.actor, ...)`.
   */
  readonly actor: Actor<BalanceMachine>;
}
