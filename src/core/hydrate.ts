import type { HydratedValue } from '../../machines/context.js';
import { checkStoredEntry, toStoredEntry } from '../cache/entry.js';
import type { CacheLayer } from '../cache/layer.js';
import { CorruptEntryError } from '../cache/layer.js';
import { withDeadline } from './deadline.js';
import {
  type LayerAccess,
  lastCallWins,
  pendingOperation,
  removeEntry,
  settle,
} from './layer-access.js';
import { layerMetrics } from './metrics.js';
import { markOf, sharedStorageDisowns } from './preload.js';
import { describeError, readPlain } from './shared.js';

/** A layer that has not answered by then is skipped: a blocked IndexedDB must not block the app. */
export const LAYER_READ_TIMEOUT_MS = 1_000;

const newer = (a: HydratedValue | null, b: HydratedValue): HydratedValue =>
  a === null || b.value.timestamp > a.value.timestamp ? b : a;

/**
 * Reads the layers in order (fastest first) and returns the first fresh entry, else the newest
 * expired one (the machine decides whether it is still showable under maxStaleMs). Rejected
 * entries are logged, counted and removed so they are not read again.
 */
export async function readLayers(
  access: LayerAccess,
  userId: string,
  signal: AbortSignal,
): Promise<HydratedValue | null> {
  const { logger, metrics, scope } = access;
  let best: HydratedValue | null = null;
  for (const layer of access.layers) {
    const counts = layerMetrics(metrics, layer);
    let raw: unknown;
    try {
      // An entry being written or removed (an invalidation, a sign-out) is read once that is done.
      const running = pendingOperation(access, layer, userId);
      const read = () => layer.read(userId, scope);
      const answer = await withDeadline(running === undefined ? read : () => running.then(read), {
        ms: LAYER_READ_TIMEOUT_MS,
        signal,
        timeoutMessage: `no answer within ${LAYER_READ_TIMEOUT_MS} ms`,
        abortMessage: 'hydration cancelled',
      });
      // Read once, here: an entry whose getters throw is a failed read, not a crash later.
      raw = readPlain(answer);
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof CorruptEntryError) {
        rejectEntry(access, layer, userId, error.message);
      } else {
        counts.errors++;
        logger.warn(`cache read failed (${layer.name})`, { error: describeError(error) });
      }
      continue;
    }
    if (raw === null || raw === undefined) {
      counts.misses++;
      logger.debug(`cache miss (${layer.name})`);
      continue;
    }
    if (layer.perTab === true && sharedStorageDisowns(access, userId, markOf(raw)) === true) {
      // Removed from the shared storage by another tab while this one was not listening.
      counts.misses++;
      logger.debug(`cache entry dropped (${layer.name}): another tab removed or replaced it`);
      void settle(
        () => removeEntry(access, layer, userId),
        () => {},
      );
      continue;
    }
    const checked = checkStoredEntry(raw, userId, access.ttlMs, access.now());
    if (!checked.ok) {
      rejectEntry(access, layer, userId, checked.reason);
      continue;
    }
    if ((raw as { timestamp: number }).timestamp > checked.value.timestamp) {
      // Stamped in the future and re-dated to now: stored so, or every reload would date it
      // "now" again and `maxStaleMs` would never end it.
      const entry = toStoredEntry(checked.value);
      void settle(
        () => lastCallWins(access, layer, userId, () => layer.write(userId, entry, scope)),
        () => {},
      );
    }
    const hit: HydratedValue = { value: checked.value, source: layer.name };
    if (access.now() < checked.value.expiresAt) {
      counts.hits++;
      logger.debug(`cache hit (${layer.name})`);
      return hit;
    }
    counts.expired++;
    logger.debug(`cache entry expired (${layer.name})`);
    best = newer(best, hit);
  }
  return best;
}

function rejectEntry(access: LayerAccess, layer: CacheLayer, userId: string, reason: string) {
  layerMetrics(access.metrics, layer).rejected++;
  access.metrics.rejected++;
  access.logger.warn(`cache entry rejected (${layer.name}): ${reason}`, { userId });
  void settle(
    () => removeEntry(access, layer, userId),
    () => {},
  );
}
