/**
 * Fault matrix: each fault must not throw into the app, must keep the last good value, must
 * never show another user's data, and the sync must recover when the fault ends.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BalanceState } from '../../src/types.js';
import { FakeServer } from '../helpers/fake-server.js';
import {
  createHarness,
  type Harness,
  settleIO,
  startSettled,
  useFakeClock,
} from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const belongs = (state: BalanceState) =>
  state.balance === null ||
  (state.userId !== null &&
    Math.floor(state.balance / 1e6) * 1e6 === FakeServer.baseFor(state.userId));

/** What every row of the matrix checks once its fault has been applied. */
function expectSafe(h: Harness) {
  expect(h.seen.every(belongs)).toBe(true);
  expect(h.sync.getSnapshot().balance).not.toBeNull();
}

describe('fault matrix', () => {
  it('server 500s, then recovery', async () => {
    const h = createHarness({ retry: { attempts: 5, baseMs: 100, maxMs: 400 } });
    await startSettled(h);
    await h.advance(2_000);
    void h.sync.refresh();
    for (let i = 0; i < 3; i++) {
      h.server.inFlight()[0]?.reject(new Error('500'));
      await settleIO();
      expectSafe(h);
      expect(h.sync.getSnapshot()).toMatchObject({ status: 'error', isStale: true });
      await h.advance(400);
    }
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', error: null });
  });

  it('a request that never answers times out, is aborted, keeps the last value, and the retry recovers', async () => {
    const h = createHarness({
      requestTimeoutMs: 10_000,
      retry: { attempts: 3, baseMs: 100, maxMs: 100 },
    });
    await startSettled(h);
    await h.advance(2_000);
    void h.sync.refresh();
    const hanging = h.server.last();
    await h.advance(10_000);
    expect(hanging?.signal.aborted).toBe(true);
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'error',
      balance: 1_000_100,
      isStale: true,
    });
    expect(h.sync.getSnapshot().error?.message).toBe('no answer within 10000 ms');
    await h.advance(100);
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', error: null });
  });

  it('a slow response (60 s) keeps the last value shown, marked stale once its TTL passes', async () => {
    const h = createHarness({ ttlMs: 30_000, refreshIntervalMs: 0, requestTimeoutMs: 120_000 });
    await startSettled(h);
    await h.advance(2_000);
    void h.sync.refresh();
    await h.advance(60_000);
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'fetching',
      balance: 1_000_100,
      isStale: true,
    });
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', isStale: false });
  });

  it('a request aborted by the network (AbortError) is a failure like any other', async () => {
    const h = createHarness();
    await startSettled(h);
    await h.advance(2_000);
    void h.sync.refresh();
    h.server.last()?.reject(new DOMException('The operation was aborted.', 'AbortError'));
    await settleIO();
    expectSafe(h);
    expect(h.sync.getSnapshot().error?.message).toMatch(/aborted/);
  });

  it('socket drop storm: 100 drops in a minute never lose the value or throw', async () => {
    const h = createHarness();
    await startSettled(h);
    for (let i = 0; i < 100; i++) {
      h.sync.send({ type: 'SOCKET.CONNECTED' });
      await h.advance(300);
      h.server.respondNext();
      h.sync.send({ type: 'SOCKET.DISCONNECTED' });
      await h.advance(300);
    }
    await settleIO();
    expectSafe(h);
    expect(h.server.maxInFlightPerUser).toBe(1);
    h.sync.send({ type: 'SOCKET.CONNECTED' });
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', balance: 1_000_100 });
  });

  it('the clock jumping forward by hours (sleep): the next event reports the value stale and revalidates', async () => {
    const h = createHarness({ ttlMs: 30_000, refreshIntervalMs: 0 });
    await startSettled(h);
    vi.setSystemTime(Date.now() + 5 * 3_600_000); // wall clock moves; monotonic timers do not
    h.sync.send({ type: 'HIDDEN' });
    expect(h.sync.getSnapshot().isStale).toBe(true);
    h.sync.send({ type: 'VISIBLE' });
    await settleIO();
    expect(h.server.count).toBe(2);
  });

  it('the clock jumping backward by hours: values are not trusted longer than their TTL from receipt', async () => {
    const h = createHarness({ ttlMs: 30_000, refreshIntervalMs: 0 });
    await startSettled(h);
    vi.setSystemTime(Date.now() - 5 * 3_600_000);
    await h.advance(30_000); // the TTL timer still fires after 30 s of real time
    expect(h.sync.getSnapshot().isStale).toBe(true);
    expect(h.server.count).toBe(2);
  });

  it('storage disabled (every access throws) and IndexedDB failing to open: the sync still works', async () => {
    const { localStorageCache } = await import('../../src/cache/local-storage.js');
    const { memoryCache } = await import('../../src/cache/memory.js');
    const denied = localStorageCache({
      storage: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    const failingIdb = {
      name: 'indexedDB' as const,
      read: () => Promise.reject(new DOMException('open failed', 'UnknownError')),
      write: () => Promise.reject(new DOMException('open failed', 'UnknownError')),
      remove: () => Promise.reject(new DOMException('open failed', 'UnknownError')),
      clearLegacy: () => Promise.reject(new DOMException('open failed', 'UnknownError')),
    };
    const h = createHarness({ cache: [memoryCache(), denied, failingIdb] });
    await startSettled(h);
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', balance: 1_000_100 });
    expect(h.logger.messages()).toContain('cache read failed (indexedDB)');
    expect(h.logger.messages()).toContain('cache write failed (indexedDB)');
    const report = await h.sync.invalidate();
    expect(report.ok).toBe(false);
    expect(report.layers.find((layer) => layer.name === 'indexedDB')?.ok).toBe(false);
    expect(report.layers.find((layer) => layer.name === 'memory')?.ok).toBe(true);
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', balance: 1_000_100 });
  });

  it('sign-out while a request and an IndexedDB read are in flight: nothing of the user remains', async () => {
    const h = createHarness();
    await startSettled(h, 'u1');
    h.sync.setUser('u2'); // IndexedDB read for u2 in flight
    void h.sync.refresh({ skipCache: true });
    h.sync.setUser(null);
    await settleIO();
    for (const request of h.server.requests) request.resolve();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ userId: null, balance: null });
    expect(localStorage.getItem('tokenBalanceCache_u2')).toBeNull();
    expect(h.seen.every(belongs)).toBe(true);
  });
});
