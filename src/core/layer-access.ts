import type { CacheLayer, CacheScope } from '../cache/layer.js';
import type { BalanceLogger, BalanceMetrics } from '../types.js';

/** What every function touching the cache layers needs, passed as one object. */
export interface LayerAccess {
  layers: readonly CacheLayer[];
  scope: CacheScope;
  legacyKeys: readonly string[];
  logger: BalanceLogger;
  metrics: BalanceMetrics;
  ttlMs: number;
  now: () => number;
  /**
   * Removals not settled yet, per layer and user: a read of that entry waits for them, so a
   * hydration right after an invalidation or sign-out never reads what is being removed.
   */
  removals: Map<CacheLayer, Map<string, Promise<unknown>>>;
}

/** Removes `userId`'s entry from `layer` (sync or async), tracked until it settles. */
export function removeEntry(access: LayerAccess, layer: CacheLayer, userId: string): Promise<void> {
  // Called at once: a synchronous layer (localStorage) is cleared before this returns.
  let removal: Promise<void>;
  try {
    removal = Promise.resolve(layer.remove(userId, access.scope));
  } catch (error) {
    removal = Promise.reject(error);
  }
  const ofLayer = access.removals.get(layer) ?? new Map<string, Promise<unknown>>();
  access.removals.set(layer, ofLayer);
  const tracked = removal.then(
    () => {},
    () => {},
  );
  ofLayer.set(userId, tracked);
  void tracked.then(() => {
    if (ofLayer.get(userId) === tracked) ofLayer.delete(userId);
  });
  return removal.then(() => {});
}

/** The removal of `userId`'s entry from `layer` still running, if any (it never rejects). */
export function pendingRemoval(
  access: LayerAccess,
  layer: CacheLayer,
  userId: string,
): Promise<unknown> | undefined {
  return access.removals.get(layer)?.get(userId);
}

/** Runs a layer call that may be sync or async; failures are reported, never thrown. */
export function settle(
  run: () => void | Promise<void>,
  onError: (error: unknown) => void,
): Promise<boolean> {
  try {
    const result = run();
    if (result instanceof Promise) {
      return result.then(
        () => true,
        (error: unknown) => {
          onError(error);
          return false;
        },
      );
    }
    return Promise.resolve(true);
  } catch (error) {
    onError(error);
    return Promise.resolve(false);
  }
}
