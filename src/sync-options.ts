/**
 * The options of `createBalanceSync` (re-exported by ./types.ts, the public types): kept apart
 * because their documentation, with a default for each, is most of a file.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { InspectionEvent, Observer } from 'xstate';
import type { RetryPolicy } from '../machines/context.js';
import type { CacheLayer } from './cache/layer.js';
import type { BalanceSource } from './sources/types.js';
import type { BalanceLogger, FetchBalanceArgs, FetchedPayload, InitialData } from './types.js';

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
   * counted and never shown. An async schema that has not answered within 10 s fails the check.
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
   * inspector, to watch the statechart live. One that throws is logged once and never breaks
   * the sync.
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
   * invalidation: one that has not settled by then is reported failed and holds up nothing. At
   * most 2^31 − 1 ms (~24.8 days, the longest a timer waits), so that `invalidate()` settles.
   * @default 5_000
   */
  targetTimeoutMs?: number;
  /**
   * The clock (ms since epoch) that every freshness decision reads, for tests and simulations.
   * A reading that throws or is not a finite number is replaced by `Date.now()`, and the first
   * such failure is logged.
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
