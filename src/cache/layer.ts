/**
 * The one interface every cache layer implements, and the errors a layer may throw. Storage is
 * untrusted: reads are validated by the core. The core tells layers apart by what they do (a
 * read that returns a value at once, or a promise), never by their names.
 */

/** A layer's name: the built-in ones, or any name of your own (it labels metrics and logs). */
export type CacheLayerName = 'memory' | 'localStorage' | 'indexedDB' | (string & {});

/** A stored entry that cannot be parsed: the core counts it as rejected, logs it, removes it. */
export class CorruptEntryError extends Error {
  /** Always `CorruptEntryError`. */
  override name = 'CorruptEntryError';
}

/** Where a layer keeps entries, passed to every call: the sync's `keyPrefix`. */
export interface CacheScope {
  /** Entries live under `${keyPrefix}_${userId}`. */
  keyPrefix: string;
}

/** The persisted format, compatible with existing app code: see SPEC "localStorage entry format". */
export interface StoredEntry {
  /** The value: whose, the balance, and the server's version, epoch and `updatedAt` if any. */
  data: { balance: number; userId: string; version?: number; epoch?: string; updatedAt?: number };
  /** When the value was received (response or push), ms since epoch. */
  timestamp: number;
  /** `timestamp + ttlMs`; `null` stands for an infinite TTL (JSON has no Infinity). */
  expiresAt: number | null;
}

/**
 * A place the balance is kept between page loads or mounts, for the `cache` option: the built-in
 * `memoryCache()`, `localStorageCache()` and `indexedDbCache()`, or your own. Methods may answer
 * at once or with a promise; what they throw or reject with is logged and counted, never shown.
 * A layer need not order its own calls: the core repeats the last `write` or `remove` of an
 * entry that overlapped earlier ones once they settle, so the entry ends as the last call meant.
 */
export interface CacheLayer {
  /** Unique among the sync's layers; labels metrics and logs. */
  readonly name: CacheLayerName;
  /**
   * True when the layer's entries live in this tab only (a memory layer): another tab's
   * invalidation cannot reach them, so this tab clears them itself. @default false
   */
  readonly perTab?: boolean;
  /**
   * The stored entry for this user as found (unvalidated), or null/undefined when absent; or a
   * promise of it. A layer that answers synchronously is read before the first render.
   */
  read(userId: string, scope: CacheScope): unknown;
  /** Stores this user's entry, replacing the one before; called for every new value. */
  write(userId: string, entry: StoredEntry, scope: CacheScope): void | Promise<void>;
  /** Deletes this user's entry: on sign-out, on invalidation, and for a rejected entry. */
  remove(userId: string, scope: CacheScope): void | Promise<void>;
  /** Remove keys of older app versions (one global key for every user): never read them. */
  clearLegacy(keys: readonly string[]): void | Promise<void>;
}

export const entryKey = (userId: string, scope: CacheScope): string =>
  `${scope.keyPrefix}_${userId}`;
