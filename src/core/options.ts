/**
 * Options are checked once, when the sync is created, into one object everything reads: a
 * value that cannot work is a programming error and throws at once, naming the option
 * (`BalanceConfigError` for a wrong type, `BalanceRangeError` for a value out of range).
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { BalanceConfig } from '../../machines/context.js';
import { defaultConfig } from '../../machines/context.js';
import { MAX_TIMER_MS } from '../../machines/policy.js';
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
import { duration, POSITIVE, type Range } from './duration.js';
import { BalanceRangeError, need } from './errors.js';
import { checkInitialData } from './initial-data.js';
import { resolveLogger } from './logger.js';
import { safeClock } from './safe-clock.js';
import { safeLogger } from './safe-logger.js';
import { hasMethods, isRecord, isUserId } from './shared.js';

export interface ResolvedOptions {
  fetchBalance: (args: FetchBalanceArgs) => Promise<FetchedPayload>;
  userId: string | null;
  config: BalanceConfig;
  layers: CacheLayer[];
  keyPrefix: string;
  legacyKeys: readonly string[];
  sources: readonly BalanceSource[];
  schema: StandardSchemaV1 | undefined;
  /** The app's logger, wrapped so that one that throws breaks nothing. */
  logger: BalanceLogger;
  inspect: BalanceSyncOptions['inspect'];
  initialData: InitialData | undefined;
  targetTimeoutMs: number;
  requestTimeoutMs: number;
  /** Never throws, always finite: a failed reading of the app's clock is `Date.now()`. */
  now: () => number;
  /** The app gave its own clock (`now`): browser timings (navigation start) do not apply. */
  ownClock: boolean;
  /** Option names given that the sync does not know (a typo from JavaScript): logged, ignored. */
  unknownOptions: string[];
}

type Test = (value: unknown) => boolean;
const isFunction: Test = (value) => typeof value === 'function';
const optional =
  (test: Test): Test =>
  (value) =>
    value === undefined || test(value);
const arrayOf =
  (test: Test): Test =>
  (value) =>
    Array.isArray(value) && value.every(test);
const boolean = optional((value) => typeof value === 'boolean');

/** Every option with a type to check: its name, the check, and what it must be. */
const shapes: [keyof BalanceSyncOptions, Test, string][] = [
  ['fetchBalance', isFunction, 'must be ({ userId, signal }) => Promise'],
  [
    'userId',
    (value) => value == null || isUserId(value),
    'must be a non-empty string, null or undefined',
  ],
  ['keyPrefix', optional(isUserId), 'must be a non-empty string'],
  [
    'legacyKeys',
    optional(arrayOf((key) => typeof key === 'string')),
    'must be an array of strings',
  ],
  [
    'sources',
    optional(arrayOf((source) => isFunction(source) || hasMethods('subscribe')(source))),
    'must be an array of observables or source functions',
  ],
  [
    'cache',
    optional(
      arrayOf(
        (layer) =>
          hasMethods('read', 'write', 'remove', 'clearLegacy')(layer) &&
          typeof (layer as { name?: unknown }).name === 'string',
      ),
    ),
    'must be layers with a name and read, write, remove and clearLegacy',
  ],
  [
    'schema',
    // ArkType's schemas are functions: a Standard Schema is anything with `~standard.validate`.
    optional(
      (schema) =>
        (isRecord(schema) || isFunction(schema)) &&
        hasMethods('validate')((schema as { '~standard'?: unknown })['~standard']),
    ),
    'must be a Standard Schema (zod, valibot, arktype, ...)',
  ],
  [
    'logger',
    (logger) =>
      logger === undefined ||
      logger === false ||
      hasMethods('debug', 'info', 'warn', 'error')(logger),
    'must be { debug, info, warn, error } or false',
  ],
  [
    'inspect',
    optional((inspect) => isFunction(inspect) || isRecord(inspect)),
    'must be an inspection observer or function',
  ],
  ['now', optional(isFunction), 'must be a function'],
  ['retry', optional(isRecord), 'must be { attempts, baseMs, maxMs }'],
  ['revalidateOnFocus', boolean, 'must be a boolean'],
  ['keepPreviousData', boolean, 'must be a boolean'],
  ['invalidateOnSocket', boolean, 'must be a boolean'],
];

const interval: Range = [1_000, false, true];

/** Every duration option: its name, its default and its range. */
const durations: [string, number, Range][] = [
  ['ttlMs', defaultConfig.ttlMs, [1_000, true]],
  ['dedupeMs', defaultConfig.dedupeMs, [POSITIVE]],
  // Below a second each value would be dropped at once and refetched: a request storm.
  ['maxStaleMs', defaultConfig.maxStaleMs, [1_000, true]],
  ['refreshIntervalMs', defaultConfig.refreshIntervalMs, interval],
  ['socketRefreshIntervalMs', defaultConfig.socketRefreshIntervalMs, interval],
  // At most what a timer can wait: a longer deadline would never fire, and invalidate() must settle.
  ['targetTimeoutMs', 5_000, [POSITIVE, false, false, MAX_TIMER_MS]],
  ['requestTimeoutMs', 30_000, [POSITIVE, true]],
];

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
  const given = options as unknown as Record<string, unknown>;
  for (const [name, test, message] of shapes) need(test(given[name]), name, message);
  const known = new Set<string>([...shapes, ...durations, ['initialData']].map(([name]) => name));
  const unknownOptions = Object.keys(given).filter((name) => !known.has(name));
  const names = (options.cache ?? []).map((layer) => layer.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  // Metrics, logs and backfills are per layer name.
  need(twice === undefined, 'cache', `has two layers named ${twice}`);
  const ms: Record<string, number> = {};
  for (const [name, fallback, range] of durations) {
    ms[name] = duration(name, given[name], fallback, range);
  }
  const { targetTimeoutMs, requestTimeoutMs, ...config } = ms as Record<string, number> &
    Pick<ResolvedOptions, 'targetTimeoutMs' | 'requestTimeoutMs'> &
    Pick<
      BalanceConfig,
      'ttlMs' | 'dedupeMs' | 'maxStaleMs' | 'refreshIntervalMs' | 'socketRefreshIntervalMs'
    >;
  // A throwing logger must not break the machine's actions (invariant 6); the clock logs through it.
  const logger = safeLogger(resolveLogger(options.logger));
  return {
    fetchBalance: options.fetchBalance,
    userId: options.userId ?? null,
    config: {
      ...config,
      revalidateOnFocus: options.revalidateOnFocus ?? defaultConfig.revalidateOnFocus,
      keepPreviousData: options.keepPreviousData ?? defaultConfig.keepPreviousData,
      invalidateOnSocket: options.invalidateOnSocket ?? defaultConfig.invalidateOnSocket,
      retry: checkRetry(options.retry),
    },
    layers: options.cache ?? defaultCacheLayers(),
    keyPrefix: options.keyPrefix ?? 'tokenBalanceCache',
    legacyKeys: options.legacyKeys ?? ['tokenBalanceCache'],
    sources: options.sources ?? [],
    schema: options.schema,
    logger,
    inspect: options.inspect,
    initialData: checkInitialData(options.initialData),
    targetTimeoutMs,
    requestTimeoutMs,
    now: options.now === undefined ? () => Date.now() : safeClock(options.now, logger),
    ownClock: options.now !== undefined,
    unknownOptions,
  };
}
