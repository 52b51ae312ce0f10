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
