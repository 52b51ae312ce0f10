import type { BalanceValue } from '../../machines/context.js';
import { toStoredEntry } from '../cache/entry.js';
import type { CacheLayerName } from '../cache/layer.js';
import { type LayerAccess, lastCallWins, removeEntry, settle } from './layer-access.js';
import { layerMetrics } from './metrics.js';
import { describeError } from './shared.js';

/** Writes a value to every layer but `skip`; a failing layer (quota, disabled) is logged only. */
export function writeLayers(
  access: LayerAccess,
  value: BalanceValue,
  skip: CacheLayerName | null,
): Promise<boolean[]> {
  const entry = toStoredEntry(value);
  return Promise.all(
    access.layers
      .filter((layer) => layer.name !== skip)
      .map((layer) =>
        settle(
          () =>
            lastCallWins(access, layer, value.userId, () =>
              layer.write(value.userId, entry, access.scope),
            ),
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
