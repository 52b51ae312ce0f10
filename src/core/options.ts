import type { BalanceConfig } from '../../machines/context.js';
import { defaultConfig } from '../../machines/context.js';
import { defaultCacheLayers } from '../cache/default-layers.js';
import type { CacheLayer } from '../cache/layer.js';
import type { BalanceLogger, BalanceSyncOptions } from '../types.js';
import { BalanceConfigError } from './errors.js';
import { resolveLogger } from './logger.js';

export interface ResolvedOptions {
  config: BalanceConfig;
  layers: CacheLayer[];
  keyPrefix: string;
  legacyKeys: readonly string[];
  logger: BalanceLogger;
  targetTimeoutMs: number;
  requestTimeoutMs: number;
  now: () => number;
}

function duration(
  name: string,
  value: number | undefined,
  fallback: number,
  allowInfinity = false,
) {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    value >= 0 &&
    (Number.isFinite(value) || (allowInfinity && value === Number.POSITIVE_INFINITY));
  if (!ok) {
    throw new BalanceConfigError(
      `${name} must be a number >= 0${allowInfinity ? ' or Infinity' : ''}, got ${String(value)}`,
    );
  }
  return value;
}

export function resolveOptions(options: BalanceSyncOptions): ResolvedOptions {
  if (typeof options?.fetchBalance !== 'function') {
    throw new BalanceConfigError('fetchBalance must be a function ({ userId, signal }) => Promise');
  }
  const retry = options.retry ?? defaultConfig.retry;
  const config: BalanceConfig = {
    ttlMs: duration('ttlMs', options.ttlMs, defaultConfig.ttlMs, true),
    dedupeMs: duration('dedupeMs', options.dedupeMs, defaultConfig.dedupeMs),
    maxStaleMs: duration('maxStaleMs', options.maxStaleMs, defaultConfig.maxStaleMs, true),
    refreshIntervalMs: duration(
      'refreshIntervalMs',
      options.refreshIntervalMs,
      defaultConfig.refreshIntervalMs,
    ),
    socketRefreshIntervalMs: duration(
      'socketRefreshIntervalMs',
      options.socketRefreshIntervalMs,
      defaultConfig.socketRefreshIntervalMs,
    ),
    revalidateOnFocus: options.revalidateOnFocus ?? defaultConfig.revalidateOnFocus,
    keepPreviousData: options.keepPreviousData ?? defaultConfig.keepPreviousData,
    invalidateOnSocket: options.invalidateOnSocket ?? defaultConfig.invalidateOnSocket,
    retry: {
      attempts: duration('retry.attempts', retry.attempts, defaultConfig.retry.attempts),
      baseMs: duration('retry.baseMs', retry.baseMs, defaultConfig.retry.baseMs),
      maxMs: duration('retry.maxMs', retry.maxMs, defaultConfig.retry.maxMs),
    },
  };
  const keyPrefix = options.keyPrefix ?? 'tokenBalanceCache';
  if (typeof keyPrefix !== 'string' || keyPrefix === '') {
    throw new BalanceConfigError('keyPrefix must be a non-empty string');
  }
  return {
    config,
    layers: options.cache ?? defaultCacheLayers(),
    keyPrefix,
    legacyKeys: options.legacyKeys ?? ['tokenBalanceCache'],
    logger: resolveLogger(options.logger),
    targetTimeoutMs: duration('targetTimeoutMs', options.targetTimeoutMs, 5_000),
    requestTimeoutMs: duration('requestTimeoutMs', options.requestTimeoutMs, 30_000, true),
    now: options.now ?? (() => Date.now()),
  };
}

/** A user id is a non-empty string or null (signed out). */
export function isUserId(value: unknown): value is string | null {
  return value === null || (typeof value === 'string' && value.length > 0);
}
