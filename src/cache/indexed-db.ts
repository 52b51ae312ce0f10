import { createStore, del, delMany, get, set, type UseStore } from 'idb-keyval';
import type { CacheLayer } from './layer.js';
import { entryKey } from './layer.js';

export interface IndexedDbCacheOptions {
  /** Database and object store names. @default 'balance-sync', 'entries' */
  dbName?: string;
  storeName?: string;
}

export const isIndexedDbAvailable = (): boolean => {
  try {
    return typeof indexedDB !== 'undefined' && indexedDB !== null;
  } catch {
    return false;
  }
};

/**
 * IndexedDB layer on idb-keyval (one small, well-kept dependency instead of hand-written
 * request plumbing). The store opens lazily on first use, so importing is SSR-safe. Writes
 * and removals on one store run in call order (IndexedDB orders overlapping readwrite
 * transactions), so a sign-out purge cannot be overtaken by an earlier write.
 */
export function indexedDbCache(options: IndexedDbCacheOptions = {}): CacheLayer {
  let store: UseStore | undefined;
  const useStore = (): UseStore => {
    store ??= createStore(options.dbName ?? 'balance-sync', options.storeName ?? 'entries');
    return store;
  };
  return {
    name: 'indexedDB',
    read: (userId, scope) => get(entryKey(userId, scope), useStore()),
    write: (userId, entry, scope) => set(entryKey(userId, scope), entry, useStore()),
    remove: (userId, scope) => del(entryKey(userId, scope), useStore()),
    clearLegacy: (keys) => delMany([...keys], useStore()),
  };
}
