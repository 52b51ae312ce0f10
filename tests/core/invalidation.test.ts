import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const scope = { keyPrefix: 'tokenBalanceCache' };

describe('invalidate()', () => {
  it('clears every layer, legacy keys and targets, then refetches', async () => {
    const h = createHarness();
    const swr = vi.fn();
    h.sync.addInvalidationTarget('swr', swr);
    await startSettled(h);
    localStorage.setItem('tokenBalanceCache', '{"legacy":true}');
    const report = await h.sync.invalidate({ reason: 'own debit' });
    expect(report).toMatchObject({
      ok: true,
      userId: 'u1',
      reason: 'own debit',
      layers: [
        { name: 'memory', ok: true },
        { name: 'localStorage', ok: true },
        { name: 'indexedDB', ok: true },
      ],
      targets: [{ name: 'swr', ok: true, error: null }],
    });
    expect(h.layers.memory.read('u1', scope)).toBeNull();
    expect(localStorage.getItem('tokenBalanceCache_u1')).toBeNull();
    expect(localStorage.getItem('tokenBalanceCache')).toBeNull();
    expect(await h.layers.indexedDB.read('u1', scope)).toBeUndefined();
    expect(swr).toHaveBeenCalledTimes(1);
    // keepPreviousData (default): the old number stays on screen, marked stale, meanwhile.
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'fetching',
      balance: 1_000_100,
      isStale: true,
    });
    expect(h.logger.messages()).toEqual(
      expect.arrayContaining(['invalidating all balance caches', 'all balance caches invalidated']),
    );
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', balance: 1_000_100 });
  });

  it('a failing and a hanging target are reported; the others still run', async () => {
    const h = createHarness({ targetTimeoutMs: 5_000 });
    const after = vi.fn();
    h.sync.addInvalidationTarget('throws', () => {
      throw new Error('boom');
    });
    h.sync.addInvalidationTarget('hangs', () => new Promise(() => {}));
    h.sync.addInvalidationTarget('rejects', () => Promise.reject(new Error('nope')));
    h.sync.addInvalidationTarget('after', after);
    await startSettled(h);
    const pending = h.sync.invalidate();
    await h.advance(5_000);
    const report = await pending;
    expect(report.ok).toBe(false);
    expect(report.targets).toEqual([
      { name: 'throws', ok: false, error: 'Error: boom' },
      { name: 'hangs', ok: false, error: 'DeadlineError: hangs did not settle within 5000 ms' },
      { name: 'rejects', ok: false, error: 'Error: nope' },
      { name: 'after', ok: true, error: null },
    ]);
    expect(after).toHaveBeenCalled();
    expect(
      h.logger.lines.some((line) => line.message === 'balance cache invalidation incomplete'),
    ).toBe(true);
  });

  it('keepPreviousData shows the old value marked stale while refetching', async () => {
    const h = createHarness({ keepPreviousData: true });
    await startSettled(h);
    const pending = h.sync.invalidate();
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'invalidated',
      balance: 1_000_100,
      isStale: true,
    });
    await pending;
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'fetching',
      balance: 1_000_100,
      isStale: true,
    });
  });

  it('works while stopped and while signed out', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.stop();
    const stopped = await h.sync.invalidate();
    expect(stopped.ok).toBe(true);
    expect(localStorage.getItem('tokenBalanceCache_u1')).toBeNull();
    h.sync.start();
    h.sync.setUser(null);
    const signedOut = await h.sync.invalidate();
    expect(signedOut).toMatchObject({ ok: true, userId: null });
    expect(h.sync.getSnapshot().status).toBe('idle');
  });

  it('an unregistered target is not called again', async () => {
    const h = createHarness();
    const target = vi.fn();
    const unregister = h.sync.addInvalidationTarget('t', target);
    unregister();
    await startSettled(h);
    await h.sync.invalidate();
    expect(target).not.toHaveBeenCalled();
  });

  it('stop() abandons a hanging target without leaving its timer', async () => {
    const h = createHarness({ targetTimeoutMs: 60_000 });
    h.sync.addInvalidationTarget('hangs', () => new Promise(() => {}));
    await startSettled(h);
    await vi.advanceTimersByTimeAsync(0);
    const pending = h.sync.invalidate();
    h.sync.stop();
    const report = await pending;
    expect(report.targets[0]?.error).toMatch(/abandoned/);
    // jsdom's own storage-event timers (0 ms; the IndexedDB layer's removal mark in
    // localStorage queues one more when the delete lands). The target's 60 s deadline is not
    // run by this: left behind, it would still be counted.
    await vi.advanceTimersByTimeAsync(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('invalidate() keeps the previous value (SPEC keepPreviousData, default true)', () => {
  it('the old number stays on screen, marked stale, until the refetch lands', async () => {
    const h = createHarness();
    await startSettled(h);
    const during: { balance: number | null; isStale: boolean }[] = [];
    h.sync.subscribe((state) => during.push({ balance: state.balance, isStale: state.isStale }));
    h.server.change('u1', -10);
    const report = h.sync.invalidate({ reason: 'own debit' });
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, isStale: true });
    await report;
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_090, isStale: false });
    // Never blank in between.
    expect(during.every((state) => state.balance !== null)).toBe(true);
  });

  it('keepPreviousData: false blanks the value until the refetch lands', async () => {
    const h = createHarness({ keepPreviousData: false });
    await startSettled(h);
    void h.sync.invalidate();
    expect(h.sync.getSnapshot().balance).toBeNull();
  });

  it('never keeps a value across users', async () => {
    const h = createHarness();
    await startSettled(h);
    void h.sync.invalidate();
    h.sync.setUser('u2');
    expect(h.sync.getSnapshot()).toMatchObject({ userId: 'u2', balance: null });
  });

  it('offline: the layers are cleared at once; the refetch waits for ONLINE', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send({ type: 'OFFLINE' });
    await h.advance(2_000);
    const report = await h.sync.invalidate();
    expect(report.ok).toBe(true);
    expect(localStorage.getItem('tokenBalanceCache_u1')).toBeNull();
    expect(h.server.count).toBe(1);
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, isStale: true });
    h.sync.send({ type: 'ONLINE' });
    await settleIO();
    expect(h.server.count).toBe(2);
  });
});

describe('invalidate() without keeping the previous value', () => {
  it('shows the refetched value even when the server has not changed since (same version)', async () => {
    const h = createHarness({ keepPreviousData: false });
    await startSettled(h);
    await h.sync.invalidate();
    expect(h.sync.getSnapshot().balance).toBeNull();
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, version: 1, isStale: false });
  });
});
