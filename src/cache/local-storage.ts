import { need } from '../core/errors.js';
import { describeError, isRecord } from '../core/shared.js';
import type { CacheLayer } from './layer.js';
import { CorruptEntryError, entryKey } from './layer.js';

/** The part of the Web Storage API the layer uses (`localStorage`, `sessionStorage` fit). */
export interface StorageLike {
  /** The stored string under `key`, or `null`. */
  getItem(key: string): string | null;
  /** Stores `value` under `key`; may throw (quota): the layer then removes `key`, the core logs. */
  setItem(key: string, value: string): void;
  /** Deletes `key`, if present. */
  removeItem(key: string): void;
}

/** Options of `localStorageCache`. */
export interface LocalStorageCacheOptions {
  /**
   * Where the storage comes from, asked on every call: a getter, so that server rendering and
   * disabled storage (privacy modes, sandboxed iframes) yield `undefined`, and calls miss.
   * @default `() => globalThis.localStorage`
   */
  storage?: () => StorageLike | undefined;
}

const defaultStorage = (): StorageLike | undefined => {
  try {
    // Accessing localStorage throws in some privacy modes and sandboxed iframes.
    return (globalThis as { localStorage?: StorageLike }).localStorage;
  } catch {
    return undefined;
  }
};

/** Whether this runtime has a usable `localStorage` (not Node, not a sandboxed iframe). */
export const isLocalStorageAvailable = (): boolean => defaultStorage() !== undefined;

/**
 * localStorage layer in the SPEC's entry format under `${keyPrefix}_${userId}`. Absent or
 * disabled storage makes every call a no-op miss; write errors (quota) reach the core, which
 * logs them and carries on with the other layers, after the entry the write was to replace is
 * removed.
 */
export function localStorageCache(options: LocalStorageCacheOptions = {}): CacheLayer {
  need(isRecord(options), 'localStorageCache', 'options must be an object');
  need(
    options.storage === undefined || typeof options.storage === 'function',
    'localStorageCache storage',
    'must be () => Storage | undefined (a getter, read on every call)',
  );
  const getStorage = options.storage ?? defaultStorage;
  const safeStorage = (): StorageLike | undefined => {
    try {
      return getStorage();
    } catch {
      return undefined;
    }
  };
  return {
    name: 'localStorage',
    read: (userId, scope) => {
      const raw = safeStorage()?.getItem(entryKey(userId, scope)) ?? null;
      if (raw === null) return null;
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw new CorruptEntryError('entry is not valid JSON');
      }
    },
    write: (userId, entry, scope) => {
      const storage = safeStorage();
      const key = entryKey(userId, scope);
      try {
        storage?.setItem(key, JSON.stringify(entry));
      } catch (error) {
        // A full storage keeps the entry before this one: within its TTL a reload would show that
        // older value as fresh. No entry is a miss, and the reload fetches.
        try {
          storage?.removeItem(key);
        } catch (removal) {
          throw new Error(
            `${describeError(error)}; the older entry could not be removed either (${describeError(removal)})`,
            { cause: error },
          );
        }
        throw error; // the core logs and counts it, and goes on with the other layers
      }
    },
    remove: (userId, scope) => {
      safeStorage()?.removeItem(entryKey(userId, scope));
    },
    clearLegacy: (keys) => {
      const storage = safeStorage();
      for (const key of keys) storage?.removeItem(key);
    },
  };
}
