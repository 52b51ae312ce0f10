/**
 * The one interface every cache layer implements, and the errors a layer may throw. Storage is
 * untrusted: reads are validated by the core. The core tells layers apart by what they do (a
 * read that returns a value at once, or a promise), never by their names.
 */

/** A layer's name: the built-in ones, or any name of your own (it labels metrics and logs). */
export type CacheLayerName = 'memory' | 'localStorage' | 'indexedDB' | (string & {});

/** A stored entry that cannot be parsed: the core counts it as rejected, logs it, removes it. */
export class CorruptEntryError extends Error {
  override name = 'CorruptEntryError';
}

export interface CacheScope {
  /** Entries live under `${keyPrefix}_${userId}`. */
  keyPrefix: string;
}

/** The persisted format, compatible with existing app code: see SPEC "localStorage entry format". */
export interface StoredEntry {
  data: { balance: number; userId: string; version?: number; epoch?: string; updatedAt?: number };
  /** When the value was received (response or push), ms since epoch. */
  timestamp: number;
  /** `timestamp + ttlMs`; `null` stands for an infinite TTL (JSON has no Infinity). */
  expiresAt: number | null;
}

export interface CacheLayer {
  /** Unique among the sync's layers. */
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
  write(userId: string, entry: StoredEntry, scope: CacheScope): void | Promise<void>;
  remove(userId: string, scope: CacheScope): void | Promise<void>;
  /** Remove keys of older app versions (one global key for every user): never read them. */
  clearLegacy(keys: readonly string[]): void | Promise<void>;
}

export const entryKey = (userId: string, scope: CacheScope): string =>
  `${scope.keyPrefix}_${userId}`;
