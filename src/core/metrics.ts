import type { CacheLayer } from '../cache/layer.js';
import type { BalanceMetrics, LayerMetrics } from '../types.js';

const emptyLayer = (): LayerMetrics => ({ hits: 0, misses: 0, expired: 0, rejected: 0, errors: 0 });

/** Counters for the whole sync, with one entry per cache layer (by its name). */
export function createMetrics(layers: readonly CacheLayer[]): BalanceMetrics {
  return {
    fetches: 0,
    fetchErrors: 0,
    deduped: 0,
    discarded: 0,
    socketEvents: 0,
    invalidations: 0,
    rejected: 0,
    layers: Object.fromEntries(
      layers.map((layer) => [layer.name, emptyLayer()]),
    ) as BalanceMetrics['layers'],
  };
}

/** The counters of one layer (created on first use for a layer added later). */
export function layerMetrics(metrics: BalanceMetrics, layer: CacheLayer): LayerMetrics {
  let counts = metrics.layers[layer.name];
  if (counts === undefined) {
    counts = emptyLayer();
    metrics.layers[layer.name] = counts;
  }
  return counts;
}

/** A deep copy, so callers can compare readings taken at different times. */
export const readMetrics = (metrics: BalanceMetrics): BalanceMetrics => structuredClone(metrics);
