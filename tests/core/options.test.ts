/**
 * Options are checked at creation (a programming error throws at once, naming the option), and
 * whatever the options, automatic revalidation never starts more than one request per dedupeMs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BalanceConfigError, BalanceRangeError, createBalanceSync } from '../../src/index.js';
import type { BalanceSyncOptions } from '../../src/types.js';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';
import { recordingLogger } from '../helpers/recording-logger.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const fetchBalance = async () => ({ balance: 1 });
const create = (options: Partial<BalanceSyncOptions>) => () =>
  createBalanceSync({ fetchBalance, logger: false, cache: [], ...options } as BalanceSyncOptions);

describe('options checked at creation', () => {
  it.each([
    ['ttlMs', { ttlMs: 0 }],
    ['ttlMs', { ttlMs: 1 }],
    ['ttlMs', { ttlMs: 999 }],
    ['ttlMs', { ttlMs: -1 }],
    ['ttlMs', { ttlMs: Number.NaN }],
    ['dedupeMs', { dedupeMs: 0 }],
    ['dedupeMs', { dedupeMs: -5 }],
    ['dedupeMs', { dedupeMs: Number.POSITIVE_INFINITY }],
    ['refreshIntervalMs', { refreshIntervalMs: 1 }],
    ['refreshIntervalMs', { refreshIntervalMs: 500 }],
    ['socketRefreshIntervalMs', { socketRefreshIntervalMs: 10 }],
    ['maxStaleMs', { maxStaleMs: 0 }],
    ['maxStaleMs', { maxStaleMs: 1 }],
    ['maxStaleMs', { maxStaleMs: 999 }],
    ['retry.attempts', { retry: { attempts: -1, baseMs: 1, maxMs: 2 } }],
    ['retry.attempts', { retry: { attempts: 1.5, baseMs: 1, maxMs: 2 } }],
    ['retry.maxMs', { retry: { attempts: 1, baseMs: 10, maxMs: 2 } }],
    ['targetTimeoutMs', { targetTimeoutMs: 0 }],
    ['requestTimeoutMs', { requestTimeoutMs: 0 }],
  ])('%s: %j is out of range (RangeError naming it)', (name, options) => {
    expect(create(options)).toThrow(RangeError);
    expect(create(options)).toThrow(BalanceRangeError);
    expect(create(options)).toThrow(name);
  });

  it.each([
    ['fetchBalance', { fetchBalance: 'nope' }],
    ['ttlMs', { ttlMs: '30000' }],
    ['revalidateOnFocus', { revalidateOnFocus: 'yes' }],
    ['keyPrefix', { keyPrefix: '' }],
    ['legacyKeys', { legacyKeys: 'tokenBalanceCache' }],
    ['cache', { cache: [{ name: 'x' }] }],
    ['cache', { cache: [{}, {}] }],
    ['sources', { sources: [42] }],
    ['schema', { schema: { parse: () => 1 } }],
    ['schema', { schema: { '~standard': { version: 1, vendor: 'x' } } }],
    ['schema', { schema: { '~standard': { version: 1, vendor: 'x', validate: 42 } } }],
    ['logger', { logger: console.log }],
    ['userId', { userId: '' }],
    ['userId', { userId: 42 }],
    ['now', { now: 5 }],
  ])('%s: %j has the wrong type (TypeError naming it)', (name, options) => {
    expect(create(options as never)).toThrow(TypeError);
    expect(create(options as never)).toThrow(BalanceConfigError);
    expect(create(options as never)).toThrow(name);
  });

  it('accepts the limits and the documented special values', () => {
    expect(create({ ttlMs: 1_000, refreshIntervalMs: 0, dedupeMs: 1 })).not.toThrow();
    expect(
      create({ ttlMs: Number.POSITIVE_INFINITY, maxStaleMs: Number.POSITIVE_INFINITY }),
    ).not.toThrow();
    expect(
      create({ userId: undefined, requestTimeoutMs: Number.POSITIVE_INFINITY } as never),
    ).not.toThrow();
    expect(create({ retry: { attempts: 0, baseMs: 0, maxMs: 0 } })).not.toThrow();
  });
});

describe('no option value makes a request storm', () => {
  /** Requests per window of `dedupeMs`, over `totalMs` of a sync left running with a socket. */
  async function requestStarts(options: Partial<BalanceSyncOptions>, totalMs: number) {
    const h = createHarness(options);
    await startSettled(h);
    const answer = setInterval(() => h.server.respondNext(), 10);
    // Pushes that keep being discarded (a restarted counter) and change notices: each owes a
    // revalidation, which must still wait for the dedupe window.
    const noise = setInterval(() => {
      h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 1, version: 0 });
      h.sync.send({ type: 'SOCKET.INVALIDATE', userId: 'u1' });
      h.sync.send({ type: 'SOCKET.CONNECTED' });
      h.sync.send({ type: 'SOCKET.DISCONNECTED' });
      h.sync.send({ type: 'ONLINE' });
    }, 37);
    await h.advance(totalMs);
    clearInterval(answer);
    clearInterval(noise);
    h.sync.stop();
    return h.server.requests.map((request) => request.at);
  }

  it.each([
    [{ ttlMs: 1_000, refreshIntervalMs: 1_000, dedupeMs: 5_000 }],
    [{ ttlMs: 1_000, refreshIntervalMs: 0, dedupeMs: 2_000 }],
    [{ ttlMs: 30_000, refreshIntervalMs: 1_000, dedupeMs: 3_000 }],
    [{ ttlMs: 1_000, dedupeMs: 1_000, retry: { attempts: 100, baseMs: 0, maxMs: 0 } }],
  ])('%j: at most one automatic request per dedupeMs', async (options) => {
    const starts = await requestStarts(options, 60_000);
    expect(starts.length).toBeGreaterThan(3);
    for (let i = 1; i < starts.length; i++) {
      expect((starts[i] as number) - (starts[i - 1] as number)).toBeGreaterThanOrEqual(
        options.dedupeMs,
      );
    }
  });
});

describe('deadlines as long as a timer can wait', () => {
  const MAX_TIMER_MS = 2 ** 31 - 1;

  it('requestTimeoutMs of 1e10 means none; targetTimeoutMs of 2^31 - 1 ms does not fire at once', async () => {
    const h = createHarness({ requestTimeoutMs: 1e10, targetTimeoutMs: MAX_TIMER_MS });
    h.sync.setUser('u1');
    h.sync.start();
    await settleIO();
    await h.advance(5_000);
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, error: null });
    let answer: () => void = () => {};
    h.sync.addInvalidationTarget('slow', () => new Promise<void>((resolve) => (answer = resolve)));
    const report = h.sync.invalidate();
    await h.advance(5_000);
    answer();
    h.server.respondNext();
    await settleIO();
    expect((await report).targets).toEqual([expect.objectContaining({ name: 'slow', ok: true })]);
  });

  it('a longer targetTimeoutMs would never fire, and invalidate() must settle: it throws', () => {
    expect(() => createHarness({ targetTimeoutMs: MAX_TIMER_MS + 1 })).toThrow(
      /targetTimeoutMs.*<= 2147483647 ms/,
    );
  });
});

describe('the smallest maxStaleMs makes no storm either', () => {
  it('maxStaleMs 1 s with dedupeMs 1: at most about one request a second', async () => {
    let requests = 0;
    const sync = createBalanceSync({
      fetchBalance: async () => ({ balance: ++requests }),
      userId: 'u1',
      logger: false,
      cache: [],
      dedupeMs: 1,
      maxStaleMs: 1_000,
    });
    sync.start();
    await vi.advanceTimersByTimeAsync(10_000);
    sync.stop();
    expect(requests).toBeLessThanOrEqual(12);
  });
});

describe('a failing server is not hammered, whatever dedupeMs and retry say', () => {
  /** A started sync whose every request fails; `requests()` counts them. */
  function failingSync(options: Partial<BalanceSyncOptions>) {
    let requests = 0;
    const sync = createBalanceSync({
      fetchBalance: async () => {
        requests++;
        throw new Error('503');
      },
      userId: 'u1',
      logger: false,
      cache: [],
      ...options,
    });
    sync.start();
    return { stop: () => sync.stop(), requests: () => requests };
  }

  it('after three quick retries, retries come at least a second apart', async () => {
    const sync = failingSync({ dedupeMs: 1, retry: { attempts: 1_000_000, baseMs: 0, maxMs: 0 } });
    await vi.advanceTimersByTimeAsync(10_000);
    sync.stop();
    const requests = sync.requests();
    // The first request, three quick retries, then at most one a second.
    expect(requests).toBeGreaterThanOrEqual(10);
    expect(requests).toBeLessThanOrEqual(1 + 3 + 10);
  });

  it('a backoff longer than a timer can wait waits the longest timer, not none at all', async () => {
    // Real timers: the fake ones do not reproduce the overflow of a real setTimeout.
    vi.useRealTimers();
    const sync = failingSync({
      // 1e10 ms is past what setTimeout takes (~24.8 days): unclamped, it fires at once.
      retry: { attempts: 50, baseMs: 1e10, maxMs: 1e12 },
      refreshIntervalMs: 0,
      dedupeMs: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    sync.stop();
    expect(sync.requests()).toBe(1);
  });
});

describe('amounts are exact', () => {
  it('an integer outside the safe range is rejected with a logged reason, never rounded', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send({
      type: 'SOCKET.BALANCE_UPDATED',
      userId: 'u1',
      balance: JSON.parse('9007199254740993'),
      version: 9,
    });
    expect(h.sync.getSnapshot().balance).toBe(1_000_100);
    expect(h.logger.messages()).toContain(
      'rejected SOCKET.BALANCE_UPDATED: balance is an integer outside the safe range (it would be rounded)',
    );
    await h.advance(2_000);
    void h.sync.refresh();
    h.server.last()?.resolve({ balance: 2 ** 53, version: 9 });
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, status: 'error' });
    expect(h.sync.getSnapshot().error?.kind).toBe('validation');
  });

  it('a delta whose sum would be rounded is refused and logged; the balance stays exact', async () => {
    const h = createHarness();
    await startSettled(h);
    const MAX = Number.MAX_SAFE_INTEGER;
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: MAX - 1, version: 9 });
    const pending = new Promise<never>(() => {});
    h.sync.applyOptimistic(1, pending); // MAX: exact, shown
    expect(h.sync.getSnapshot().balance).toBe(MAX);
    h.sync.applyOptimistic(2, pending); // MAX + 2: no exact number
    h.sync.applyOptimistic(-0.1, pending); // MAX - 0.1: no exact number either
    expect(h.sync.getSnapshot().balance).toBe(MAX);
    expect(
      h.logger
        .messages()
        .filter((message) => message.includes('has no exact number (it would be rounded)')),
    ).toHaveLength(2);
    // A value landing later that makes a pending sum inexact: the server's value, alone.
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 10, version: 10 });
    h.sync.applyOptimistic(-0.5, pending);
    expect(h.sync.getSnapshot().balance).toBe(10.5); // the +1 above is still pending;
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: MAX - 4, version: 11 });
    expect(h.sync.getSnapshot().balance).toBe(MAX - 4);
  });

  it('a float balance from the server takes debits whose exact sum a number holds; others are refused, logged', async () => {
    const h = createHarness();
    await startSettled(h);
    const pending = new Promise<never>(() => {});
    h.sync.applyOptimistic(-10, pending);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 100 / 3, version: 9 });
    // 33.333333333333336 - 10 is 23.333333333333336, a number.
    expect(h.sync.getSnapshot().balance).toBe(100 / 3 - 10);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 0.1 + 0.2, version: 10 });
    // 0.30000000000000004 - 10 is -9.69999999999999996, which no number holds: the server's
    // value is shown alone rather than a rounded sum (docs: Amounts).
    expect(h.sync.getSnapshot().balance).toBe(0.1 + 0.2);
    h.sync.applyOptimistic(-0.1, pending);
    expect(h.sync.getSnapshot().balance).toBe(0.1 + 0.2);
    expect(h.logger.messages().filter((m) => m.includes('no exact number'))).toHaveLength(1);
  });

  it('-0 is shown as 0', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: -0, version: 2 });
    expect(Object.is(h.sync.getSnapshot().balance, 0)).toBe(true);
    expect(String(h.sync.getSnapshot().balance)).toBe('0');
  });
});

// From JavaScript (or through a cast) a misspelt option compiles and would do nothing: the
// default applies, so it is logged. Not thrown: an app may pass a wider config object.
describe('unknown options', () => {
  it('a misspelt option is logged by name and ignored; every known option is silent', () => {
    const logger = recordingLogger();
    const every: Required<BalanceSyncOptions> = {
      fetchBalance,
      userId: 'u1',
      ttlMs: 30_000,
      dedupeMs: 2_000,
      maxStaleMs: 600_000,
      refreshIntervalMs: 0,
      socketRefreshIntervalMs: 0,
      revalidateOnFocus: true,
      keepPreviousData: true,
      cache: [],
      keyPrefix: 'balances',
      legacyKeys: [],
      sources: [],
      retry: { attempts: 1, baseMs: 1_000, maxMs: 2_000 },
      invalidateOnSocket: true,
      schema: { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } },
      logger,
      inspect: () => {},
      requestTimeoutMs: 10_000,
      targetTimeoutMs: 1_000,
      now: () => Date.now(),
      initialData: { balance: 5 },
    };
    createBalanceSync(every);
    expect(logger.lines.filter((line) => line.message === 'unknown option ignored')).toEqual([]);
    const sync = createBalanceSync({ ...every, ttl: 5_000, dedupMs: 1 } as BalanceSyncOptions);
    const warned = logger.lines.filter((line) => line.message === 'unknown option ignored');
    expect(warned.map((line) => [line.level, line.details])).toEqual([
      ['warn', { option: 'ttl' }],
      ['warn', { option: 'dedupMs' }],
    ]);
    expect(sync.getSnapshot().balance).toBe(5); // the sync works with the defaults
  });
});
