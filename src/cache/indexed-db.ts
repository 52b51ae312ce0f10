import { createStore, del, delMany, get, promisifyRequest, set, type UseStore } from 'idb-keyval';
import { need } from '../core/errors.js';
import { isUserId as isName, isRecord } from '../core/shared.js';
import type { CacheLayer } from './layer.js';
import { entryKey } from './layer.js';
import {
  currentMark,
  keyHash,
  markedRemovals,
  markRemoval,
  unmarkHash,
  unmarkRemoval,
} from './removal-marks.js';

/** Options of `indexedDbCache`: which database and object store hold the entries. */
export interface IndexedDbCacheOptions {
  /** The IndexedDB database name. @default 'balance-sync' */
  dbName?: string;
  /** The object store within it. @default 'entries' */
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
 * One idb-keyval store (one open connection) per IndexedDB factory, database and object store.
 * A sync created per mount (`<BalanceSyncProvider options>`) would otherwise open a connection
 * each time and never close it: the leak cycles in bench/leaks.ts measured ~0.8 KB per cycle.
 * Keyed by the factory too, so a replaced `indexedDB` (tests, a reset profile) gets its own.
 */
const stores = new WeakMap<IDBFactory, Map<string, UseStore>>();

function sharedStore(dbName: string, storeName: string): UseStore {
  const factory = indexedDB;
  const byName = stores.get(factory) ?? new Map<string, UseStore>();
  stores.set(factory, byName);
  // JSON keeps names containing separators apart ("a/b" + "c" vs "a" + "b/c").
  const key = JSON.stringify([dbName, storeName]);
  let store = byName.get(key);
  if (store === undefined) {
    store = createStore(dbName, storeName);
    byName.set(key, store);
    removeMarked(key, store);
  }
  return store;
}

/**
 * Deletes the entries a page removed without the removal landing (see ./removal-marks.ts), in
 * one transaction asked for before anything else uses the store: IndexedDB runs it before any
 * read or write asked for after it, so a read never sees such an entry.
 */
function removeMarked(storeId: string, store: UseStore): void {
  const marked = markedRemovals(storeId);
  if (marked.size === 0) return;
  store('readwrite', (entries) => {
    const listing = entries.getAllKeys();
    listing.onsuccess = () => {
      for (const key of listing.result) {
        if (typeof key === 'string' && marked.has(keyHash(key))) entries.delete(key);
      }
    };
    return promisifyRequest(entries.transaction);
  }).then(
    () => {
      for (const [hashOfKey, token] of marked) unmarkHash(storeId, hashOfKey, token);
    },
    () => {}, // the marks stay: a later page tries again
  );
}

/**
 * IndexedDB layer on idb-keyval (one small, well-kept dependency instead of hand-written
 * request plumbing). The store opens lazily on first use, so importing is SSR-safe, and layers
 * with the same names share it. Writes and removals on one store run in call order (IndexedDB
 * orders overlapping readwrite transactions), so a sign-out purge cannot be overtaken by an
 * earlier write; and a removal the page did not live to see land is made by the next page that
 * opens the store.
 */
export function indexedDbCache(options: IndexedDbCacheOptions = {}): CacheLayer {
  need(isRecord(options), 'indexedDbCache', 'options must be an object');
  for (const name of ['dbName', 'storeName'] as const) {
    const given = options[name];
    need(
      given === undefined || isName(given),
      `indexedDbCache ${name}`,
      'must be a non-empty string',
    );
  }
  const dbName = options.dbName ?? 'balance-sync';
  const storeName = options.storeName ?? 'entries';
  const storeId = JSON.stringify([dbName, storeName]);
  const getStore = (): UseStore => sharedStore(dbName, storeName);
  // A page that never reads the store (signed out) still deletes what an earlier page left.
  if (isIndexedDbAvailable() && markedRemovals(storeId).size > 0) getStore();
  return {
    name: 'indexedDB',
    read: (userId, scope) => get(entryKey(userId, scope), getStore()),
    write: async (userId, entry, scope) => {
      const key = entryKey(userId, scope);
      // A removal marked before this write has landed once the write has (IndexedDB runs them
      // in order); one marked after it has not.
      const markedBefore = currentMark(storeId, key);
      try {
        await set(key, entry, getStore());
        unmarkRemoval(storeId, key, markedBefore);
      } catch (error) {
        // A full disk keeps the entry before this one, which a reload within its TTL would show
        // as fresh. No entry is a miss, and the reload fetches. A write queued meanwhile may be
        // removed too: a miss again, never an older value.
        await del(key, getStore()).catch(() => {});
        throw error;
      }
    },
    remove: async (userId, scope) => {
      const key = entryKey(userId, scope);
      // Marked before the delete is asked for: a page closed or navigated away meanwhile leaves
      // the mark, and the next page to open the store deletes the entry (./removal-marks.ts).
      const token = markRemoval(storeId, key);
      await del(key, getStore());
      unmarkRemoval(storeId, key, token);
    },
    clearLegacy: (keys) => delMany([...keys], getStore()),
  };
}
