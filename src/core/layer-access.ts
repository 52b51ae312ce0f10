import type { CacheLayer, CacheScope } from '../cache/layer.js';
import type { BalanceLogger, BalanceMetrics } from '../types.js';
import { describeError, isPromiseLike } from './shared.js';

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
  /** The users whose last write to a layer failed (a full localStorage): see `noteWrite`. */
  unwritten: Map<CacheLayer, Set<string>>;
}

/** The calls on one user's entry in one layer that have not settled. */
export interface EntryCalls {
  /** The last write or removal asked for: what the entry must end as. */
  latest: () => void | PromiseLike<void>;
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
  call: () => void | PromiseLike<void>,
  repeat: () => void | PromiseLike<void> = call,
): Promise<void> {
  const ofLayer = access.pending.get(layer) ?? new Map<string, EntryCalls>();
  access.pending.set(layer, ofLayer);
  const calls = ofLayer.get(userId) ?? { latest: call, running: new Set<Promise<void>>() };
  const earlier = [...calls.running];
  calls.latest = call;
  let first: void | PromiseLike<void>;
  try {
    first = call();
  } catch (error) {
    first = Promise.reject(error);
  }
  if (!isPromiseLike(first) && earlier.length === 0) return Promise.resolve();
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

/**
 * Runs a write of `userId`'s entry and notes whether it failed, at once when the layer is
 * synchronous: what such a layer holds then is not what this tab last received, so its missing
 * or older entry tells nothing of what other tabs did (see `sharedStorageDisowns`).
 */
export function noteWrite(
  access: LayerAccess,
  layer: CacheLayer,
  userId: string,
  write: () => void | PromiseLike<void>,
): void | PromiseLike<void> {
  const note = (failed: boolean): void => {
    const users = access.unwritten.get(layer) ?? new Set<string>();
    if (failed) users.add(userId);
    else users.delete(userId);
    access.unwritten.set(layer, users);
  };
  let result: void | PromiseLike<void>;
  try {
    result = write();
  } catch (error) {
    note(true);
    throw error;
  }
  if (isPromiseLike(result))
    result.then(
      () => note(false),
      () => note(true),
    );
  else note(false);
  return result;
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
  run: () => void | PromiseLike<void>,
  onError: (error: unknown) => void,
): Promise<boolean> {
  try {
    const result = run();
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(
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
