import type { CacheLayer, StoredEntry } from './layer.js';
import { entryKey } from './layer.js';

/**
 * In-memory layer: survives a remount or a sign-out/sign-in of another user within the page,
 * not a reload. Entries are cloned on the way in and out so callers cannot mutate them.
 */
export function memoryCache(): CacheLayer {
  const entries = new Map<string, StoredEntry>();
  return {
    name: 'memory',
    perTab: true,
    read: (userId, scope) => {
      const entry = entries.get(entryKey(userId, scope));
      return entry === undefined ? null : structuredClone(entry);
    },
    write: (userId, entry, scope) => {
      entries.set(entryKey(userId, scope), structuredClone(entry));
    },
    remove: (userId, scope) => {
      entries.delete(entryKey(userId, scope));
    },
    clearLegacy: (keys) => {
      for (const key of keys) entries.delete(key);
    },
  };
}
