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
   * Writes and removals not settled yet, per layer and user: the next one on that entry starts
   * after them, and a read waits for them (see `inOrder`).
   */
  pending: Map<CacheLayer, Map<string, Promise<unknown>>>;
}

/**
 * Runs a write or removal of `userId`'s entry in `layer` after the ones still running on that
 * entry. An asynchronous layer (one that encrypts before it stores, say) may take longer to write
 * than to remove: started at once, a write begun before an invalidation or a sign-out would land
 * after its removal, and an older value's write after a newer one's. A synchronous layer
 * (localStorage) has nothing running and is called at once, before this returns. An operation
 * that never settles holds back later ones on that entry; reads and invalidations have their own
 * deadlines, so the sync itself never waits on it.
 */
export function inOrder(
  access: LayerAccess,
  layer: CacheLayer,
  userId: string,
  run: () => void | Promise<void>,
): Promise<void> {
  const ofLayer = access.pending.get(layer) ?? new Map<string, Promise<unknown>>();
  access.pending.set(layer, ofLayer);
  const before = ofLayer.get(userId);
  const call = (): void | Promise<void> => run();
  let result: void | Promise<void>;
  try {
    result = before === undefined ? call() : before.then(call);
  } catch (error) {
    return Promise.reject(error);
  }
  if (!(result instanceof Promise)) return Promise.resolve();
  const tracked = result.then(
    () => {},
    () => {},
  );
  ofLayer.set(userId, tracked);
  void tracked.then(() => {
    if (ofLayer.get(userId) === tracked) ofLayer.delete(userId);
  });
  return result;
}

/** Removes `userId`'s entry from `layer` (sync or async), after what is running on it. */
export function removeEntry(access: LayerAccess, layer: CacheLayer, userId: string): Promise<void> {
  return inOrder(access, layer, userId, () => layer.remove(userId, access.scope));
}

/** The write or removal of `userId`'s entry in `layer` still running, if any (never rejects). */
export function pendingOperation(
  access: LayerAccess,
  layer: CacheLayer,
  userId: string,
): Promise<unknown> | undefined {
  return access.pending.get(layer)?.get(userId);
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
