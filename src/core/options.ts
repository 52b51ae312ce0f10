/**
 * Options are checked once, when the sync is created: a value that cannot work is a programming
 * error and throws at once, naming the option (`BalanceConfigError` for a wrong type,
 * `BalanceRangeError` for a value out of range).
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { BalanceConfig } from '../../machines/context.js';
import { defaultConfig } from '../../machines/context.js';
import { defaultCacheLayers } from '../cache/default-layers.js';
import type { CacheLayer } from '../cache/layer.js';
import type { BalanceSource } from '../sources/types.js';
import type {
  BalanceLogger,
  BalanceSyncOptions,
  FetchBalanceArgs,
  FetchedPayload,
  InitialData,
} from '../types.js';
import { BalanceConfigError, BalanceRangeError } from './errors.js';
import { checkInitialData } from './initial-data.js';
import { resolveLogger } from './logger.js';
import { isRecord, isUserId } from './shared.js';

export interface ResolvedOptions {
  fetchBalance: (args: FetchBalanceArgs) => Promise<FetchedPayload>;
  userId: string | null;
  config: BalanceConfig;
  layers: CacheLayer[];
  keyPrefix: string;
  legacyKeys: readonly string[];
  sources: readonly BalanceSource[];
  schema: StandardSchemaV1 | undefined;
  logger: BalanceLogger;
  inspect: BalanceSyncOptions['inspect'];
  initialData: InitialData | undefined;
  targetTimeoutMs: number;
  requestTimeoutMs: number;
  now: () => number;
}

/** Below this, a TTL or a polling interval turns into a request loop. */
const MIN_INTERVAL_MS = 1_000;

interface DurationRule {
  /** Smallest value allowed (inclusive), unless `zeroMeansOff` and the value is 0. */
  min: number;
  /** Strictly above `min` (for "positive"). */
  exclusive?: boolean;
  infinity?: boolean;
  zeroMeansOff?: boolean;
}

function duration(name: string, value: unknown, fallback: number, rule: DurationRule): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new BalanceConfigError(name, `must be a number of milliseconds, got ${typeof value}`);
  }
  if (rule.zeroMeansOff && value === 0) return 0;
  const inRange =
    (Number.isFinite(value) || (rule.infinity === true && value === Number.POSITIVE_INFINITY)) &&
    (rule.exclusive ? value > rule.min : value >= rule.min);
  if (!inRange) {
    const bound = `${rule.exclusive ? '>' : '>='} ${rule.min} ms`;
    const extras = [rule.zeroMeansOff ? '0 (off)' : null, rule.infinity ? 'Infinity' : null];
    const or = extras.filter((extra) => extra !== null).join(' or ');
    throw new BalanceRangeError(name, `must be ${bound}${or ? ` or ${or}` : ''}, got ${value}`);
  }
  return value;
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new BalanceConfigError(name, 'must be a boolean');
  return value;
}

function checkLayers(layers: unknown): CacheLayer[] | undefined {
  if (layers === undefined) return undefined;
  if (!Array.isArray(layers)) throw new BalanceConfigError('cache', 'must be an array of layers');
  const names = new Set<string>();
  for (const layer of layers as unknown[]) {
    const methods = ['read', 'write', 'remove', 'clearLegacy'] as const;
    if (
      !isRecord(layer) ||
      typeof layer.name !== 'string' ||
      methods.some((method) => typeof layer[method] !== 'function')
    ) {
      throw new BalanceConfigError(
        'cache',
        'layers need a name and read, write, remove and clearLegacy methods',
      );
    }
    // Metrics and backfills are per layer name.
    if (names.has(layer.name)) {
      throw new BalanceConfigError('cache', `has two layers named ${layer.name}`);
    }
    names.add(layer.name);
  }
  return layers as CacheLayer[];
}

function checkRetry(retry: unknown): BalanceConfig['retry'] {
  if (retry === undefined) return defaultConfig.retry;
  if (!isRecord(retry))
    throw new BalanceConfigError('retry', 'must be { attempts, baseMs, maxMs }');
  const attempts = retry.attempts ?? defaultConfig.retry.attempts;
  if (typeof attempts !== 'number')
    throw new BalanceConfigError('retry.attempts', 'must be a number');
  if (!Number.isInteger(attempts) || attempts < 0) {
    throw new BalanceRangeError('retry.attempts', `must be a whole number >= 0, got ${attempts}`);
  }
  const baseMs = duration('retry.baseMs', retry.baseMs, defaultConfig.retry.baseMs, { min: 0 });
  const maxMs = duration('retry.maxMs', retry.maxMs, Math.max(baseMs, defaultConfig.retry.maxMs), {
    min: baseMs,
  });
  return { attempts, baseMs, maxMs };
}

function checkShapes(options: BalanceSyncOptions): void {
  const keyPrefix = options.keyPrefix;
  if (keyPrefix !== undefined && (typeof keyPrefix !== 'string' || keyPrefix === '')) {
    throw new BalanceConfigError('keyPrefix', 'must be a non-empty string');
  }
  const legacy = options.legacyKeys;
  if (
    legacy !== undefined &&
    (!Array.isArray(legacy) || legacy.some((k) => typeof k !== 'string'))
  ) {
    throw new BalanceConfigError('legacyKeys', 'must be an array of strings');
  }
  const sources = options.sources;
  const isSource = (source: unknown) =>
    typeof source === 'function' || (isRecord(source) && typeof source.subscribe === 'function');
  if (sources !== undefined && (!Array.isArray(sources) || !sources.every(isSource))) {
    throw new BalanceConfigError('sources', 'must be an array of observables or source functions');
  }
  const schema = options.schema as unknown;
  if (
    schema !== undefined &&
    !(
      isRecord(schema) &&
      isRecord(schema['~standard']) &&
      typeof schema['~standard'].validate === 'function'
    )
  ) {
    throw new BalanceConfigError(
      'schema',
      'must be a Standard Schema (zod, valibot, arktype, ...)',
    );
  }
  const logger = options.logger as unknown;
  const methods = ['debug', 'info', 'warn', 'error'] as const;
  if (
    logger !== undefined &&
    logger !== false &&
    !(isRecord(logger) && methods.every((method) => typeof logger[method] === 'function'))
  ) {
    throw new BalanceConfigError('logger', 'must be { debug, info, warn, error } or false');
  }
  const inspect = options.inspect as unknown;
  if (inspect !== undefined && typeof inspect !== 'function' && !isRecord(inspect)) {
    throw new BalanceConfigError('inspect', 'must be an inspection observer or function');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new BalanceConfigError('now', 'must be a function returning ms since epoch');
  }
}

export function resolveOptions(options: BalanceSyncOptions): ResolvedOptions {
  if (!isRecord(options)) throw new BalanceConfigError('options', 'must be an object');
  if (typeof options.fetchBalance !== 'function') {
    throw new BalanceConfigError(
      'fetchBalance',
      'must be a function ({ userId, signal }) => Promise',
    );
  }
  const userId = options.userId ?? null;
  if (userId !== null && !isUserId(userId)) {
    throw new BalanceConfigError('userId', 'must be a non-empty string, null or undefined');
  }
  checkShapes(options);
  const ttlMs = duration('ttlMs', options.ttlMs, defaultConfig.ttlMs, {
    min: MIN_INTERVAL_MS,
    infinity: true,
  });
  const interval = (name: string, value: unknown, fallback: number) =>
    duration(name, value, fallback, { min: MIN_INTERVAL_MS, zeroMeansOff: true });
  const config: BalanceConfig = {
    ttlMs,
    dedupeMs: duration('dedupeMs', options.dedupeMs, defaultConfig.dedupeMs, {
      min: 0,
      exclusive: true,
    }),
    maxStaleMs: duration('maxStaleMs', options.maxStaleMs, defaultConfig.maxStaleMs, {
      min: 0,
      exclusive: true,
      infinity: true,
    }),
    refreshIntervalMs: interval(
      'refreshIntervalMs',
      options.refreshIntervalMs,
      defaultConfig.refreshIntervalMs,
    ),
    socketRefreshIntervalMs: interval(
      'socketRefreshIntervalMs',
      options.socketRefreshIntervalMs,
      defaultConfig.socketRefreshIntervalMs,
    ),
    revalidateOnFocus: flag('revalidateOnFocus', options.revalidateOnFocus, true),
    keepPreviousData: flag('keepPreviousData', options.keepPreviousData, true),
    invalidateOnSocket: flag('invalidateOnSocket', options.invalidateOnSocket, true),
    retry: checkRetry(options.retry),
  };
  return {
    fetchBalance: options.fetchBalance,
    userId,
    config,
    layers: checkLayers(options.cache) ?? defaultCacheLayers(),
    keyPrefix: options.keyPrefix ?? 'tokenBalanceCache',
    legacyKeys: options.legacyKeys ?? ['tokenBalanceCache'],
    sources: options.sources ?? [],
    schema: options.schema,
    logger: resolveLogger(options.logger),
    inspect: options.inspect,
    initialData: checkInitialData(options.initialData),
    targetTimeoutMs: duration('targetTimeoutMs', options.targetTimeoutMs, 5_000, {
      min: 0,
      exclusive: true,
    }),
    requestTimeoutMs: duration('requestTimeoutMs', options.requestTimeoutMs, 30_000, {
      min: 0,
      exclusive: true,
      infinity: true,
    }),
    now: options.now ?? (() => Date.now()),
  };
}
