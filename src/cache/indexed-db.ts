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
  const getStore = (): UseStore => {
    store ??= createStore(options.dbName ?? 'balance-sync', options.storeName ?? 'entries');
    return store;
  };
  return {
    name: 'indexedDB',
    read: (userId, scope) => get(entryKey(userId, scope), getStore()),
    write: (userId, entry, scope) => set(entryKey(userId, scope), entry, getStore()),
    remove: (userId, scope) => del(entryKey(userId, scope), getStore()),
    clearLegacy: (keys) => delMany([...keys], getStore()),
  };
}
