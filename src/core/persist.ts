import type { BalanceValue } from '../../machines/context.js';
import { toStoredEntry } from '../cache/entry.js';
import type { CacheLayerName } from '../cache/layer.js';
import { type LayerAccess, lastCallWins, noteWrite, removeEntry, settle } from './layer-access.js';
import { layerMetrics } from './metrics.js';
import { describeError } from './shared.js';

/**
 * Writes a value to every layer but `skip`; a failing layer (quota, disabled) is logged only.
 * A write made again after earlier calls on the entry settled (see `lastCallWins`) is a removal
 * once its user has left: nothing is written for a user who is not signed in.
 */
export function writeLayers(
  access: LayerAccess,
  value: BalanceValue,
  skip: CacheLayerName | null,
  isCurrentUser: (userId: string) => boolean,
): Promise<boolean[]> {
  const entry = toStoredEntry(value);
  const { userId } = value;
  return Promise.all(
    access.layers
      .filter((layer) => layer.name !== skip)
      .map((layer) =>
        settle(
          () => {
            const write = () =>
              noteWrite(access, layer, userId, () => layer.write(userId, entry, access.scope));
            return lastCallWins(access, layer, userId, write, () =>
              isCurrentUser(userId) ? write() : layer.remove(userId, access.scope),
            );
          },
          (error) => {
            layerMetrics(access.metrics, layer).errors++;
            access.logger.warn(`cache write failed (${layer.name})`, {
              error: describeError(error),
            });
          },
        ),
      ),
  );
}

/** Sign-out: nothing of that user stays in any layer. */
export function purgeUser(access: LayerAccess, userId: string): Promise<boolean[]> {
  access.logger.info('purging balance caches of signed-out user', { userId });
  return Promise.all(
    access.layers.map((layer) =>
      settle(
        () => removeEntry(access, layer, userId),
        (error) => {
          layerMetrics(access.metrics, layer).errors++;
          access.logger.error(`cache purge failed (${layer.name})`, {
            error: describeError(error),
          });
        },
      ),
    ),
  );
}
