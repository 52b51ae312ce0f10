import { indexedDbCache, isIndexedDbAvailable } from './indexed-db.js';
import type { CacheLayer } from './layer.js';
import { localStorageCache } from './local-storage.js';
import { memoryCache } from './memory.js';

/** memory → localStorage → IndexedDB, each where the environment has it (SPEC default). */
export function defaultCacheLayers(): CacheLayer[] {
  const layers: CacheLayer[] = [memoryCache(), localStorageCache()];
  if (isIndexedDbAvailable()) layers.push(indexedDbCache());
  return layers;
}
