/**
 * Invariant 3 at the public surface: expiry is judged when the snapshot is read (a laptop that
 * slept fires no timer first), and `maxStaleMs` bounds every value shown, in memory too.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

describe('staleness at read time', () => {
  it('a laptop sleeps an hour: getSnapshot() reports the value stale before any timer fires', async () => {
    const h = createHarness({ ttlMs: 30_000 });
    await startSettled(h);
    const fresh = h.sync.getSnapshot();
    expect(fresh.isStale).toBe(false);
    // The wall clock jumps; no timer has run yet.
    vi.setSystemTime(Date.now() + 3_600_000);
    const read = h.sync.getSnapshot();
    expect(read).toMatchObject({ balance: 1_000_100, isStale: true });
    // Repeated reads return the same object (useSyncExternalStore needs it).
    expect(h.sync.getSnapshot()).toBe(read);
    expect(Date.now()).toBeGreaterThanOrEqual(fresh.expiresAt as number);
  });

  it('never reports a value fresh at or after its expiresAt, whatever reads it', async () => {
    const h = createHarness({ ttlMs: 30_000, refreshIntervalMs: 0 });
    await startSettled(h);
    const { expiresAt } = h.sync.getSnapshot();
    vi.setSystemTime(expiresAt as number);
    expect(h.sync.getSnapshot().isStale).toBe(true);
  });

  it('the server is down for 25 hours: the day-old value is no longer shown', async () => {
    const h = createHarness({
      ttlMs: 30_000,
      retry: { attempts: 1000, baseMs: 1_000, maxMs: 60_000 },
    });
    await startSettled(h);
    const failing = setInterval(() => {
      for (const request of h.server.inFlight()) request.reject(new Error('503'));
    }, 500);
    await h.advance(24 * 3_600_000);
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, isStale: true });
    await h.advance(3_600_000);
    clearInterval(failing);
    expect(h.sync.getSnapshot()).toMatchObject({ balance: null, status: 'error' });
    expect(h.seen.at(-1)?.balance).toBeNull(); // subscribers were told, not just readers
  });

  it('a value dropped past maxStaleMs after the retries ran out is owed one fetch', async () => {
    const h = createHarness({
      retry: { attempts: 0, baseMs: 1_000, maxMs: 1_000 },
      maxStaleMs: 60_000,
    });
    await startSettled(h);
    await h.advance(2_000);
    h.sync.send({ type: 'SOCKET.CONNECTED' }); // the catch-up request, which fails
    h.server.last()?.reject(new Error('server error 500'));
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'error', balance: 1_000_100 });
    const before = h.server.requests.length;
    await h.advance(61_000);
    expect(h.sync.getSnapshot().balance).toBeNull();
    expect(h.server.requests.length).toBe(before + 1);
  });

  it('maxStaleMs applies at read time too: a sleep of two days shows no value', async () => {
    const h = createHarness({ ttlMs: 30_000 });
    await startSettled(h);
    vi.setSystemTime(Date.now() + 2 * 86_400_000);
    expect(h.sync.getSnapshot()).toMatchObject({ balance: null, version: null, expiresAt: null });
  });

  it('a stored entry stamped in the future is shown stale, and maxStaleMs still ends it', async () => {
    // A clock that was a year ahead when the entry was written, or an edited entry: its age
    // counted from the stamp would stay negative and keep it on screen for the whole outage.
    const year = 365 * 86_400_000;
    localStorage.setItem(
      'tokenBalanceCache_u1',
      JSON.stringify({
        data: { balance: 999, userId: 'u1', version: 7 },
        timestamp: Date.now() + year,
        expiresAt: Date.now() + year + 30_000,
      }),
    );
    const h = createHarness({ maxStaleMs: 60_000 });
    h.sync.setUser('u1');
    h.sync.start();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 999, isStale: true });
    const failing = setInterval(() => h.server.last()?.reject(new Error('network down')), 100);
    await h.advance(10 * 60_000);
    clearInterval(failing);
    expect(h.sync.getSnapshot().balance).toBeNull();
    h.sync.stop();
    // A reload during the same outage: the entry was re-dated once, not on every read.
    const reloaded = createHarness({ maxStaleMs: 60_000 });
    reloaded.sync.setUser('u1');
    reloaded.sync.start();
    await settleIO();
    expect(reloaded.sync.getSnapshot().balance).toBeNull();
    reloaded.sync.stop();
  });

  it('a live socket vouches: past its TTL the value stays fresh and reports no expiry', async () => {
    const h = createHarness({ ttlMs: 30_000 });
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.CONNECTED' });
    await h.advance(1_000);
    h.server.respondNext();
    await settleIO();
    vi.setSystemTime(Date.now() + 60_000);
    expect(h.sync.getSnapshot()).toMatchObject({ isStale: false, expiresAt: null });
  });
});
