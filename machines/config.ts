/** The sync's resolved configuration: its shape and the defaults the SPEC sets. */

/**
 * How failed requests are retried (the `retry` option): exponential backoff with equal jitter,
 * the delay before retry n being half fixed and half random of `min(maxMs, baseMs * 2^(n-1))`.
 */
export interface RetryPolicy {
  /** Retries after the first failure (as TanStack Query's `retry`); `0` retries never. */
  attempts: number;
  /** The backoff of the first retry, in ms, doubled for each one after it. */
  baseMs: number;
  /** The longest backoff, in ms; not below `baseMs`. */
  maxMs: number;
}

/**
 * The machine's configuration: `BalanceSyncOptions` after checking, every value present
 * (`defaultConfig` holds the defaults). See those options for what each one means.
 */
export interface BalanceConfig {
  /** How long a value stays fresh after it was received, in ms; `Infinity` for never. */
  ttlMs: number;
  /** No automatic request within this many ms of the last request's start. */
  dedupeMs: number;
  /** Older than this (ms), a value is not shown at all. */
  maxStaleMs: number;
  /** Polling while no live socket vouches for the value, in ms; 0 = none. */
  refreshIntervalMs: number;
  /** Polling while a live socket vouches for the value; 0 = none. */
  socketRefreshIntervalMs: number;
  /** Whether the page becoming visible (or focus) revalidates. */
  revalidateOnFocus: boolean;
  /** Whether an invalidation keeps showing the old value, marked stale, until the refetch. */
  keepPreviousData: boolean;
  /** Whether pushed values are taken and a live socket vouches for the value. */
  invalidateOnSocket: boolean;
  /** How failed requests are retried. */
  retry: RetryPolicy;
}

/** The configuration with every default of `BalanceSyncOptions`: what the core fills in. */
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
