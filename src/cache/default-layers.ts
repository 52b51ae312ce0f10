import { indexedDbCache, isIndexedDbAvailable } from './indexed-db.js';
import type { CacheLayer } from './layer.js';
import { isLocalStorageAvailable, localStorageCache } from './local-storage.js';
import { memoryCache } from './memory.js';

/** memory → localStorage → IndexedDB, each where the environment has it (SPEC default). */
export function defaultCacheLayers(): CacheLayer[] {
  const layers: CacheLayer[] = [memoryCache()];
  // A layer the runtime lacks would only report misses, and "cleared" in every invalidation.
  if (isLocalStorageAvailable()) layers.push(localStorageCache());
  if (isIndexedDbAvailable()) layers.push(indexedDbCache());
  return layers;
}
