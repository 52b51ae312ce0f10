/** The one interface every cache layer implements. Storage is untrusted: reads are validated by the core. */

export type CacheLayerName = 'memory' | 'localStorage' | 'indexedDB';

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
  readonly name: CacheLayerName;
  /** The stored entry for this user as found (unvalidated), or null/undefined when absent. */
  read(userId: string, scope: CacheScope): unknown;
  write(userId: string, entry: StoredEntry, scope: CacheScope): void | Promise<void>;
  remove(userId: string, scope: CacheScope): void | Promise<void>;
  /** Remove keys of older app versions (one global key for every user): never read them. */
  clearLegacy(keys: readonly string[]): void | Promise<void>;
}

export const entryKey = (userId: string, scope: CacheScope): string =>
  `${scope.keyPrefix}_${userId}`;
