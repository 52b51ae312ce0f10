/** `balance-sync`: the framework-agnostic core. */

export type {
  BalanceErrorInfo,
  RetryPolicy,
  ValueSource,
} from '../machines/context.js';
export type { BalanceEvent, BalanceEventType, PushedBalance } from '../machines/events.js';
export { defaultCacheLayers } from './cache/default-layers.js';
export type { IndexedDbCacheOptions } from './cache/indexed-db.js';
export { indexedDbCache } from './cache/indexed-db.js';
export type { CacheLayer, CacheLayerName, CacheScope, StoredEntry } from './cache/layer.js';
export { CorruptEntryError } from './cache/layer.js';
export type { LocalStorageCacheOptions, StorageLike } from './cache/local-storage.js';
export { localStorageCache } from './cache/local-storage.js';
export { memoryCache } from './cache/memory.js';
export { createBalanceSync } from './core/create-balance-sync.js';
export { BalanceConfigError, BalanceRangeError, BalanceValidationError } from './core/errors.js';
export { defaultLogger, silentLogger } from './core/logger.js';
export type { QueryClientLike } from './interop/targets.js';
export { queryClientTarget, swrTarget } from './interop/targets.js';
export * from './sources/index.js';
export type * from './types.js';
