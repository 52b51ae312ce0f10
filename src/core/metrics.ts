import type { CacheLayerName } from '../cache/layer.js';
import type { BalanceMetrics, LayerMetrics } from '../types.js';

const emptyLayer = (): LayerMetrics => ({ hits: 0, misses: 0, expired: 0, rejected: 0, errors: 0 });

export function createMetrics(): BalanceMetrics {
  return {
    fetches: 0,
    fetchErrors: 0,
    deduped: 0,
    discarded: 0,
    socketEvents: 0,
    invalidations: 0,
    rejected: 0,
    layers: { memory: emptyLayer(), localStorage: emptyLayer(), indexedDB: emptyLayer() },
  };
}

/** A deep copy, so callers can compare readings taken at different times. */
export const readMetrics = (metrics: BalanceMetrics): BalanceMetrics => structuredClone(metrics);

export const layerMetrics = (metrics: BalanceMetrics, name: CacheLayerName): LayerMetrics =>
  metrics.layers[name];
