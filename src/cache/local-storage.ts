import type { CacheLayer } from './layer.js';
import { CorruptEntryError, entryKey } from './layer.js';

/** The part of the Web Storage API the layer uses (`localStorage`, `sessionStorage` fit). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface LocalStorageCacheOptions {
  /**
   * Where the storage comes from; a getter so SSR and disabled storage yield undefined.
   * @default () => globalThis.localStorage
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

/**
 * localStorage layer in the SPEC's entry format under `${keyPrefix}_${userId}`. Absent or
 * disabled storage makes every call a no-op miss; write errors (quota) reach the core, which
 * logs them and carries on with the other layers.
 */
export function localStorageCache(options: LocalStorageCacheOptions = {}): CacheLayer {
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
      safeStorage()?.setItem(entryKey(userId, scope), JSON.stringify(entry));
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
