import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BalanceEvent } from '../../machines/events.js';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

describe('lifecycle', () => {
  it('hydrates, fetches on a miss and caches the response in every layer', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'idle', userId: 'u1', balance: null });
    h.sync.start();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'fetching', isFetching: true });
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'cached',
      balance: 1_000_100,
      version: 1,
      source: 'network',
      isStale: false,
      isFetching: false,
      error: null,
    });
    const stored = JSON.parse(localStorage.getItem('tokenBalanceCache_u1') ?? 'null');
    expect(stored).toEqual({
      data: { balance: 1_000_100, userId: 'u1', version: 1 },
      timestamp: Date.now(),
      expiresAt: Date.now() + 30_000,
    });
    expect(await h.layers.indexedDB.read('u1', { keyPrefix: 'tokenBalanceCache' })).toEqual(stored);
    expect(h.sync.metrics()).toMatchObject({ fetches: 1 });
    expect(h.sync.metrics().layers.memory.misses).toBe(1);
  });

  it('uses "null" for every missing value, never undefined', async () => {
    const h = createHarness();
    const state = h.sync.getSnapshot();
    for (const value of Object.values(state)) expect(value).not.toBeUndefined();
  });

  it('returns the same snapshot object until something visible changes', async () => {
    const h = createHarness();
    await startSettled(h);
    const first = h.sync.getSnapshot();
    h.sync.send({ type: 'HIDDEN' });
    h.sync.send({ type: 'VISIBLE' }); // inside dedupe: no fetch, nothing visible changes
    expect(h.sync.getSnapshot()).toBe(first);
  });

  it('TTL expiry marks the value stale and revalidates it', async () => {
    const h = createHarness({ ttlMs: 30_000, refreshIntervalMs: 0 });
    await startSettled(h);
    await h.advance(29_999);
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', isStale: false });
    expect(h.server.count).toBe(1);
    h.server.change('u1');
    await h.advance(1);
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'fetching',
      isStale: true,
      balance: 1_000_100,
    });
    expect(h.server.count).toBe(2);
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'cached',
      balance: 1_000_099,
      version: 2,
    });
  });

  it('polls every refreshIntervalMs without a socket and stops polling while hidden', async () => {
    const h = createHarness({ ttlMs: Number.POSITIVE_INFINITY, refreshIntervalMs: 10_000 });
    await startSettled(h);
    await h.advance(10_000);
    expect(h.server.count).toBe(2);
    h.server.respondNext();
    h.sync.send({ type: 'HIDDEN' });
    await h.advance(60_000);
    expect(h.server.count).toBe(2);
    h.sync.send({ type: 'VISIBLE' });
    await settleIO();
    expect(h.server.count).toBe(3); // coming back revalidates (outside dedupe)
  });

  it('a TTL of Infinity never expires and arms no early timer', async () => {
    const h = createHarness({
      ttlMs: Number.POSITIVE_INFINITY,
      maxStaleMs: Number.POSITIVE_INFINITY,
      refreshIntervalMs: 0,
    });
    await startSettled(h);
    await h.advance(30 * 24 * 3_600_000);
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'cached',
      isStale: false,
      expiresAt: null,
    });
    expect(h.server.count).toBe(1);
  });

  it('maxStaleMs still bounds a value whose TTL is Infinity: past it, nothing is shown and it refetches', async () => {
    const h = createHarness({ ttlMs: Number.POSITIVE_INFINITY, refreshIntervalMs: 0 });
    await startSettled(h);
    await h.advance(86_400_000);
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, isStale: false });
    expect(h.server.count).toBe(1);
    await h.advance(1);
    expect(h.sync.getSnapshot()).toMatchObject({ balance: null, status: 'fetching' });
    expect(h.server.count).toBe(2);
  });

  it('stop() leaves no timers, and start() again resumes from the cache', async () => {
    const h = createHarness();
    await startSettled(h);
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    // jsdom dispatches `storage` events on a zero-delay timer of its own after setItem.
    await vi.advanceTimersByTimeAsync(0);
    h.sync.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(h.sync.actor.getSnapshot().matches('stopped')).toBe(true);
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'idle',
      isFetching: false,
      balance: 1_000_100,
    });
    h.sync.start();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', source: 'memory' });
    expect(h.server.count).toBe(1);
  });

  it('subscribes every source on start() and unsubscribes all of them on stop()', async () => {
    const { Subject } = await import('rxjs');
    const sources = [new Subject<BalanceEvent>(), new Subject<BalanceEvent>()];
    const h = createHarness({ sources });
    expect(sources.map((source) => source.observed)).toEqual([false, false]);
    await startSettled(h);
    expect(sources.map((source) => source.observed)).toEqual([true, true]);
    sources[1]?.next({
      type: 'SOCKET.BALANCE_UPDATED',
      userId: 'u1',
      balance: 1_000_050,
      version: 2,
    });
    expect(h.sync.getSnapshot().balance).toBe(1_000_050);
    h.sync.stop();
    expect(sources.map((source) => source.observed)).toEqual([false, false]);
  });

  it('a source that errors is logged and does not break the sync', async () => {
    const { throwError } = await import('rxjs');
    const h = createHarness({ sources: [throwError(() => new Error('socket exploded'))] });
    await startSettled(h);
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', balance: 1_000_100 });
    expect(h.logger.messages()).toContain('event source failed');
  });

  it('stop() during a request aborts it', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    h.sync.start();
    await settleIO();
    const request = h.server.last();
    h.sync.stop();
    expect(request?.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refresh() shares the request in flight and resolves with its result', async () => {
    const h = createHarness();
    await startSettled(h);
    await h.advance(2_000);
    h.server.change('u1', -5);
    const first = h.sync.refresh();
    const second = h.sync.refresh();
    expect(h.server.inFlight()).toHaveLength(1);
    h.server.respondNext();
    const [a, b] = await Promise.all([first, second]);
    expect(a.balance).toBe(1_000_095);
    expect(b).toBe(a);
    expect(h.server.count).toBe(2);
  });

  it('refresh() inside dedupeMs is deduped; skipCache always fetches', async () => {
    const h = createHarness({ dedupeMs: 1_000 });
    await startSettled(h);
    const deduped = await h.sync.refresh();
    expect(deduped.status).toBe('cached');
    expect(h.server.count).toBe(1);
    expect(h.sync.metrics().deduped).toBe(1);
    const forced = h.sync.refresh({ skipCache: true });
    expect(h.server.last()?.skipCache).toBe(true);
    h.server.respondNext();
    await forced;
    expect(h.server.count).toBe(2);
  });

  it('rejects bad options with a typed error at creation', async () => {
    const { createBalanceSync, BalanceConfigError } = await import('../../src/index.js');
    expect(() => createBalanceSync({} as never)).toThrow(BalanceConfigError);
    expect(() =>
      createBalanceSync({ fetchBalance: async () => ({ balance: 1 }), ttlMs: -1 }),
    ).toThrow(/ttlMs/);
    expect(() =>
      createBalanceSync({ fetchBalance: async () => ({ balance: 1 }), userId: '' }),
    ).toThrow(BalanceConfigError);
  });
});
