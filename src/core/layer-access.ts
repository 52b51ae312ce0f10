import type { CacheLayer, CacheScope } from '../cache/layer.js';
import type { BalanceLogger, BalanceMetrics } from '../types.js';
import { describeError } from './shared.js';

/** What every function touching the cache layers needs, passed as one object. */
export interface LayerAccess {
  layers: readonly CacheLayer[];
  scope: CacheScope;
  legacyKeys: readonly string[];
  logger: BalanceLogger;
  metrics: BalanceMetrics;
  ttlMs: number;
  now: () => number;
  /** Writes and removals not settled yet, per layer and user (see `lastCallWins`). */
  pending: Map<CacheLayer, Map<string, EntryCalls>>;
}

/** The calls on one user's entry in one layer that have not settled. */
export interface EntryCalls {
  /** The last write or removal asked for: what the entry must end as. */
  latest: () => void | Promise<void>;
  running: Set<Promise<void>>;
}

const ignore = (): void => {};

/**
 * Runs a write or removal of `userId`'s entry in `layer` at once, and makes the entry end as
 * the last call meant. An asynchronous layer (one that encrypts before it stores, say) may land
 * a write begun before an invalidation or a sign-out after its removal, or an older value after
 * a newer one: a call started while earlier ones were running is made once more (`repeat`, see
 * `writeLayers`) after they settle, unless a later call took over. Reads wait for that
 * (`pendingOperation`). The returned promise is the call's own answer, so a call that never
 * settles holds back neither another call nor an invalidation's report. A synchronous layer
 * (localStorage) is done before this returns.
 */
export function lastCallWins(
  access: LayerAccess,
  layer: CacheLayer,
  userId: string,
  call: () => void | Promise<void>,
  repeat: () => void | Promise<void> = call,
): Promise<void> {
  const ofLayer = access.pending.get(layer) ?? new Map<string, EntryCalls>();
  access.pending.set(layer, ofLayer);
  const calls = ofLayer.get(userId) ?? { latest: call, running: new Set<Promise<void>>() };
  const earlier = [...calls.running];
  calls.latest = call;
  let first: void | Promise<void>;
  try {
    first = call();
  } catch (error) {
    first = Promise.reject(error);
  }
  if (!(first instanceof Promise) && earlier.length === 0) return Promise.resolve();
  const own = Promise.resolve(first);
  const settled = own.then(ignore, ignore).then(async () => {
    if (earlier.length === 0) return;
    await Promise.all(earlier);
    if (calls.latest !== call) return;
    await settle(repeat, (error) =>
      access.logger.warn(`cache call repeated after overlapping ones failed (${layer.name})`, {
        error: describeError(error),
      }),
    );
  });
  calls.running.add(settled);
  ofLayer.set(userId, calls);
  void settled.then(() => {
    calls.running.delete(settled);
    if (calls.running.size === 0 && ofLayer.get(userId) === calls) ofLayer.delete(userId);
  });
  return own;
}

/** Removes `userId`'s entry from `layer` (sync or async); see `lastCallWins`. */
export function removeEntry(access: LayerAccess, layer: CacheLayer, userId: string): Promise<void> {
  return lastCallWins(access, layer, userId, () => layer.remove(userId, access.scope));
}

/** Settles when the writes and removals of `userId`'s entry in `layer` running now have. */
export function pendingOperation(
  access: LayerAccess,
  layer: CacheLayer,
  userId: string,
): Promise<unknown> | undefined {
  const running = access.pending.get(layer)?.get(userId)?.running;
  return running === undefined || running.size === 0 ? undefined : Promise.all(running);
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
