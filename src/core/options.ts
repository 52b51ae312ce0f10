/**
 * Options are checked once, when the sync is created, into one object everything reads: a
 * value that cannot work is a programming error and throws at once, naming the option
 * (`BalanceConfigError` for a wrong type, `BalanceRangeError` for a value out of range).
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

/**
 * A duration's allowed range: at least `min` ms (`POSITIVE`: above 0), `Infinity` where it
 * means "never", and 0 where it means "off". Below 1 s a TTL or a polling interval would turn
 * into a request loop.
 */
type Range = [min: number, infinity?: boolean, zeroIsOff?: boolean];
const POSITIVE = Number.MIN_VALUE;

function duration(name: string, value: unknown, fallback: number, [min, inf, off]: Range) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new BalanceConfigError(name, 'must be a number of ms');
  if ((off && value === 0) || (inf && value === Number.POSITIVE_INFINITY)) return value;
  if (!Number.isFinite(value) || value < min) {
    const allowed = `${min === POSITIVE ? '> 0' : `>= ${min}`} ms${inf ? ' or Infinity' : ''}`;
    throw new BalanceRangeError(
      name,
      `must be ${allowed}${off ? ' or 0 (off)' : ''}, got ${value}`,
    );
  }
  return value;
}

/** Throws a BalanceConfigError for `option` unless `ok`. */
function need(ok: boolean, option: string, message: string): void {
  if (!ok) throw new BalanceConfigError(option, message);
}

const isFunction = (value: unknown) => typeof value === 'function';
const layerMethods = ['read', 'write', 'remove', 'clearLegacy'] as const;
const loggerMethods = ['debug', 'info', 'warn', 'error'] as const;

function checkShapes(options: BalanceSyncOptions): void {
  const { keyPrefix, legacyKeys, sources, cache, retry } = options;
  const schema = options.schema as unknown;
  const logger = options.logger as unknown;
  need(isFunction(options.fetchBalance), 'fetchBalance', 'must be ({ userId, signal }) => Promise');
  need(
    options.userId == null || isUserId(options.userId),
    'userId',
    'must be a non-empty string, null or undefined',
  );
  need(
    keyPrefix === undefined || (typeof keyPrefix === 'string' && keyPrefix !== ''),
    'keyPrefix',
    'must be a non-empty string',
  );
  need(
    legacyKeys === undefined ||
      (Array.isArray(legacyKeys) && legacyKeys.every((key) => typeof key === 'string')),
    'legacyKeys',
    'must be an array of strings',
  );
  need(
    sources === undefined ||
      (Array.isArray(sources) &&
        sources.every((s) => isFunction(s) || (isRecord(s) && isFunction(s.subscribe)))),
    'sources',
    'must be an array of observables or source functions',
  );
  need(
    cache === undefined ||
      (Array.isArray(cache) &&
        cache.every(
          (layer) =>
            isRecord(layer) &&
            typeof layer.name === 'string' &&
            layerMethods.every((method) => isFunction(layer[method])),
        )),
    'cache',
    'must be layers with a name and read, write, remove and clearLegacy',
  );
  const names = (cache ?? []).map((layer) => layer.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  // Metrics, logs and backfills are per layer name.
  need(twice === undefined, 'cache', `has two layers named ${twice}`);
  need(
    schema === undefined || (isRecord(schema) && isRecord(schema['~standard'])),
    'schema',
    'must be a Standard Schema (zod, valibot, arktype, ...)',
  );
  need(
    logger === undefined ||
      logger === false ||
      (isRecord(logger) && loggerMethods.every((method) => isFunction(logger[method]))),
    'logger',
    'must be { debug, info, warn, error } or false',
  );
  need(
    options.inspect === undefined || isFunction(options.inspect) || isRecord(options.inspect),
    'inspect',
    'must be an inspection observer or function',
  );
  need(options.now === undefined || isFunction(options.now), 'now', 'must be a function');
  need(retry === undefined || isRecord(retry), 'retry', 'must be { attempts, baseMs, maxMs }');
  for (const name of ['revalidateOnFocus', 'keepPreviousData', 'invalidateOnSocket'] as const) {
    const value = options[name];
    need(value === undefined || typeof value === 'boolean', name, 'must be a boolean');
  }
}

function checkRetry(retry: Partial<BalanceConfig['retry']> = {}): BalanceConfig['retry'] {
  const fallback = defaultConfig.retry;
  const attempts = retry.attempts ?? fallback.attempts;
  need(typeof attempts === 'number', 'retry.attempts', 'must be a number');
  if (!Number.isInteger(attempts) || attempts < 0) {
    throw new BalanceRangeError('retry.attempts', `must be a whole number >= 0, got ${attempts}`);
  }
  const baseMs = duration('retry.baseMs', retry.baseMs, fallback.baseMs, [0]);
  const maxMs = duration('retry.maxMs', retry.maxMs, Math.max(baseMs, fallback.maxMs), [baseMs]);
  return { attempts, baseMs, maxMs };
}

export function resolveOptions(options: BalanceSyncOptions): ResolvedOptions {
  need(isRecord(options), 'options', 'must be an object');
  checkShapes(options);
  const d = defaultConfig;
  const interval: Range = [1_000, false, true];
  const positive: Range = [POSITIVE];
  return {
    fetchBalance: options.fetchBalance,
    userId: options.userId ?? null,
    config: {
      ttlMs: duration('ttlMs', options.ttlMs, d.ttlMs, [1_000, true]),
      dedupeMs: duration('dedupeMs', options.dedupeMs, d.dedupeMs, positive),
      maxStaleMs: duration('maxStaleMs', options.maxStaleMs, d.maxStaleMs, [POSITIVE, true]),
      refreshIntervalMs: duration(
        'refreshIntervalMs',
        options.refreshIntervalMs,
        d.refreshIntervalMs,
        interval,
      ),
      socketRefreshIntervalMs: duration(
        'socketRefreshIntervalMs',
        options.socketRefreshIntervalMs,
        d.socketRefreshIntervalMs,
        interval,
      ),
      revalidateOnFocus: options.revalidateOnFocus ?? d.revalidateOnFocus,
      keepPreviousData: options.keepPreviousData ?? d.keepPreviousData,
      invalidateOnSocket: options.invalidateOnSocket ?? d.invalidateOnSocket,
      retry: checkRetry(options.retry),
    },
    layers: options.cache ?? defaultCacheLayers(),
    keyPrefix: options.keyPrefix ?? 'tokenBalanceCache',
    legacyKeys: options.legacyKeys ?? ['tokenBalanceCache'],
    sources: options.sources ?? [],
    schema: options.schema,
    logger: resolveLogger(options.logger),
    inspect: options.inspect,
    initialData: checkInitialData(options.initialData),
    targetTimeoutMs: duration('targetTimeoutMs', options.targetTimeoutMs, 5_000, positive),
    requestTimeoutMs: duration('requestTimeoutMs', options.requestTimeoutMs, 30_000, [
      POSITIVE,
      true,
    ]),
    now: options.now ?? (() => Date.now()),
  };
}
