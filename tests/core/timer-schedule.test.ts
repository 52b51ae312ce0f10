/**
 * The freshness timers keep their schedule at the public surface (outside review 20): a brief
 * switch away from the tab or a flapping socket neither postpones polling nor restarts the retry
 * backoff; a server value refills the retry budget; offline, a new user or a start fetches
 * nothing on its own; a wall clock moved back does not stretch `maxStaleMs`.
 */
import { Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BalanceEvent } from '../../machines/events.js';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import type { BalanceSyncOptions } from '../../src/types.js';
import { useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

/** A server whose answers the test switches between a value (a new version each time) and down. */
function syncWith(options: Partial<BalanceSyncOptions> = {}) {
  const server = { down: false, version: 0 };
  const fetchBalance = vi.fn(async ({ userId }: { userId: string }) => {
    if (server.down) throw new Error('server error 503');
    return { balance: userId === 'u2' ? 2_000 : 1_000, version: ++server.version };
  });
  const sync = createBalanceSync({
    fetchBalance,
    userId: 'u1',
    cache: [memoryCache()],
    logger: false,
    ...options,
  });
  return { sync, server, fetchBalance };
}

const flicker = async (send: (type: 'HIDDEN' | 'VISIBLE') => void, visibleMs: number) => {
  await vi.advanceTimersByTimeAsync(visibleMs);
  send('HIDDEN');
  await vi.advanceTimersByTimeAsync(100);
  send('VISIBLE');
};

describe('polling (refreshIntervalMs) while the tab is briefly hidden now and then', () => {
  /** Started and answered; only polling fetches (no TTL, no focus revalidation). */
  const pollingOnly = async () => {
    const started = syncWith({
      ttlMs: Number.POSITIVE_INFINITY,
      refreshIntervalMs: 30_000,
      revalidateOnFocus: false,
    });
    started.sync.start();
    await vi.advanceTimersByTimeAsync(0);
    return started;
  };

  it('a 100 ms switch away every 20 s does not postpone the 30 s poll', async () => {
    const { sync, fetchBalance } = await pollingOnly();
    for (let i = 0; i < 30; i++) await flicker((type) => sync.send({ type }), 20_000);
    // 603 s, visible all but 3 s of it: a poll every 30 s.
    expect(fetchBalance.mock.calls.length - 1).toBeGreaterThanOrEqual(18);
    sync.stop();
  });

  it('a poll that fell due while hidden is restarted when the tab is shown again', async () => {
    const { sync, fetchBalance } = await pollingOnly();
    sync.send({ type: 'HIDDEN' });
    await vi.advanceTimersByTimeAsync(45_000);
    expect(fetchBalance).toHaveBeenCalledTimes(1); // hidden: no polling
    sync.send({ type: 'VISIBLE' });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fetchBalance).toHaveBeenCalledTimes(2);
    sync.stop();
  });
});

describe('the retry backoff keeps its schedule', () => {
  it.each([
    [
      'the tab briefly hidden',
      (send: (event: { type: string }) => void) => {
        send({ type: 'HIDDEN' });
        send({ type: 'VISIBLE' });
      },
    ],
    [
      'a socket flapping',
      (send: (event: { type: string }) => void) => {
        send({ type: 'SOCKET.CONNECTED' });
        send({ type: 'SOCKET.DISCONNECTED' });
      },
    ],
  ])('%s every 1.5 s: the retries still come', async (_, interrupt) => {
    const { sync, server, fetchBalance } = syncWith({
      revalidateOnFocus: false,
      refreshIntervalMs: 0,
      retry: { attempts: 3, baseMs: 10_000, maxMs: 30_000 },
    });
    sync.start();
    await vi.advanceTimersByTimeAsync(0);
    server.down = true;
    await sync.refresh({ skipCache: true });
    expect(sync.getSnapshot().status).toBe('error');
    const failedAt = fetchBalance.mock.calls.length;
    const send = (event: { type: string }) => sync.send(event as never);
    for (let elapsed = 0; elapsed < 120_000; elapsed += 1_500) {
      await vi.advanceTimersByTimeAsync(1_500);
      interrupt(send);
    }
    // Backoffs of at most 30 s each: all three retries within two minutes.
    expect(fetchBalance.mock.calls.length - failedAt).toBeGreaterThanOrEqual(3);
    sync.stop();
  });
});

describe('the retry budget', () => {
  it('a pushed value clears the error and refills it: the next failure is retried again', async () => {
    const { sync, server, fetchBalance } = syncWith({
      ttlMs: 30_000,
      refreshIntervalMs: 0,
      revalidateOnFocus: false,
      retry: { attempts: 2, baseMs: 1_000, maxMs: 2_000 },
    });
    sync.start();
    await vi.advanceTimersByTimeAsync(0);
    server.down = true;
    await sync.refresh({ skipCache: true });
    await vi.advanceTimersByTimeAsync(20_000); // both retries used up
    expect(fetchBalance).toHaveBeenCalledTimes(4);
    sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 900, version: 50 });
    expect(sync.getSnapshot()).toMatchObject({ status: 'cached', error: null, balance: 900 });
    const afterPush = fetchBalance.mock.calls.length;
    // The TTL refetch fails: a first failure again, retried twice.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sync.getSnapshot().status).toBe('error');
    expect(fetchBalance.mock.calls.length - afterPush).toBe(3);
    sync.stop();
  });
});

describe('offline, nothing is fetched on its own', () => {
  it('a user change while offline fetches once ONLINE, not before', async () => {
    const { sync, fetchBalance } = syncWith();
    sync.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fetchBalance).toHaveBeenCalledTimes(1);
    sync.send({ type: 'OFFLINE' });
    sync.setUser('u2');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetchBalance).toHaveBeenCalledTimes(1);
    expect(sync.getSnapshot()).toMatchObject({ userId: 'u2', balance: null });
    sync.send({ type: 'ONLINE' });
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchBalance).toHaveBeenCalledTimes(2);
    expect(sync.getSnapshot()).toMatchObject({ userId: 'u2', balance: 2_000, status: 'cached' });
    sync.stop();
  });

  it('a start while offline (a source that says so at once) fetches once ONLINE', async () => {
    // As windowSource does when navigator.onLine is false: OFFLINE on subscribe.
    const offlineAtOnce = new Observable<BalanceEvent>((subscriber) => {
      subscriber.next({ type: 'OFFLINE' });
    });
    const { sync, fetchBalance } = syncWith({ sources: [offlineAtOnce] });
    sync.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetchBalance).toHaveBeenCalledTimes(0);
    sync.send({ type: 'ONLINE' });
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchBalance).toHaveBeenCalledTimes(1);
    expect(sync.getSnapshot()).toMatchObject({ balance: 1_000, status: 'cached' });
    sync.stop();
  });
});

describe('a wall clock moved back', () => {
  // As in a browser: performance.now() runs on with the timers, and is not moved with the clock.
  beforeEach(() => {
    vi.useRealTimers();
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
      now: Date.UTC(2026, 10, 24, 12),
    });
  });

  it.each([
    ['cached, polls failing', { refreshIntervalMs: 30_000 }, 0],
    ['in error, retries failing', { refreshIntervalMs: 30_000 }, 60_000],
    ['in error, no polling', { refreshIntervalMs: 0 }, 60_000],
  ])(
    '%s: maxStaleMs still bounds the value from when it was received',
    async (_, options, jumpAt) => {
      const { sync, server } = syncWith({ ttlMs: 30_000, maxStaleMs: 120_000, ...options });
      sync.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(sync.getSnapshot().balance).toBe(1_000); // received at t = 0
      server.down = true;
      await vi.advanceTimersByTimeAsync(jumpAt);
      vi.setSystemTime(Date.now() - 3_600_000); // corrected back by an hour; timers do not jump
      expect(sync.getSnapshot().balance).toBe(1_000);
      await vi.advanceTimersByTimeAsync(119_000 - jumpAt); // 119 s after it was received
      expect(sync.getSnapshot().balance).toBe(1_000);
      await vi.advanceTimersByTimeAsync(2_000); // 121 s
      expect(sync.getSnapshot().balance).toBeNull();
      sync.stop();
    },
  );

  it('a request in flight when the clock jumps fails after it: the value still goes at maxStaleMs', async () => {
    const { sync, server, fetchBalance } = syncWith({
      ttlMs: 30_000,
      maxStaleMs: 120_000,
      refreshIntervalMs: 0,
      retry: { attempts: 0, baseMs: 1_000, maxMs: 30_000 }, // nothing re-enters `error`
    });
    sync.start();
    await vi.advanceTimersByTimeAsync(0);
    // From now on the server answers after 5 s, with an error.
    fetchBalance.mockImplementation(
      () => new Promise((_, reject) => setTimeout(() => reject(new Error('503')), 5_000)),
    );
    server.down = true;
    await vi.advanceTimersByTimeAsync(32_000); // the TTL refetch started at 30 s
    vi.setSystemTime(Date.now() - 3_600_000); // its failure (at 35 s) is the first event after
    await vi.advanceTimersByTimeAsync(87_000); // 119 s
    expect(sync.getSnapshot().balance).toBe(1_000);
    await vi.advanceTimersByTimeAsync(2_000); // 121 s
    expect(sync.getSnapshot().balance).toBeNull();
    sync.stop();
  });
});
