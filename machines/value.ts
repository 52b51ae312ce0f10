/**
 * A balance value as the machine holds it, and what a fetch, the cache layers and a failed request
 * give it (already validated by the core).
 */

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
  /** Whose balance it is. */
  userId: string;
  /** The balance as the server sent it (pending optimistic deltas are not in it). */
  balance: number;
  /** The server's version of it, or `null` when the server sent none. */
  version: number | null;
  /** The server's version counter generation; values of another epoch replace this one. */
  epoch: string | null;
  /** When the server says it last changed, ms since epoch, or `null`. */
  updatedAt: number | null;
  /** When the value was received (response or push), ms since epoch. */
  timestamp: number;
  /** `timestamp + ttlMs`; `Infinity` when the TTL is infinite. */
  expiresAt: number;
}

/** What a fetch resolved with, already validated by the core. */
export interface FetchedBalance {
  /** The balance, a finite safe amount. */
  balance: number;
  /** The server's version, or `null`. */
  version: number | null;
  /** The server's version counter generation, or `null`. */
  epoch: string | null;
  /** When the server says it last changed, ms since epoch, or `null`. */
  updatedAt: number | null;
}

/** What hydration found in the cache layers, already validated by the core. */
export interface HydratedValue {
  /** The stored value, validated for the current user. */
  value: BalanceValue;
  /** The name of the layer it was read from. */
  source: ValueSource;
}

/**
 * Why the last request failed, as `BalanceState.error` shows it. The value shown (if any) stays,
 * marked stale, while retries follow.
 */
export interface BalanceErrorInfo {
  /** `fetch` when the request failed, `validation` when its payload was rejected. */
  kind: 'fetch' | 'validation';
  /** The error's message, e.g. `no answer within 30000 ms` or the schema's complaint. */
  message: string;
  /** When it failed, ms since epoch (the sync's clock). */
  at: number;
}
