import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

describe('freshness policy', () => {
  it('a focus storm inside dedupeMs costs one request', async () => {
    const h = createHarness({ dedupeMs: 1_000 });
    await startSettled(h);
    await h.advance(5_000);
    for (let i = 0; i < 20; i++) {
      h.sync.send({ type: 'FOCUS' });
      h.sync.send({ type: 'VISIBLE' });
      await h.advance(40);
      h.server.respondNext();
      await settleIO();
    }
    expect(h.server.count).toBe(2);
    expect(h.server.maxInFlightPerUser).toBe(1);
    expect(h.sync.metrics().deduped).toBeGreaterThanOrEqual(19);
  });

  it('a VISIBLE storm (what windowSource sends) inside dedupeMs: one request, every other one counted as deduped', async () => {
    const h = createHarness({ dedupeMs: 1_000 });
    await startSettled(h);
    await h.advance(5_000);
    for (let i = 0; i < 10; i++) {
      h.sync.send({ type: 'HIDDEN' });
      h.sync.send({ type: 'VISIBLE' });
      await h.advance(40);
      h.server.respondNext();
      await settleIO();
    }
    expect(h.server.count).toBe(2);
    expect(h.sync.metrics().deduped).toBe(9);
  });

  it('revalidateOnFocus: false ignores focus', async () => {
    const h = createHarness({ revalidateOnFocus: false });
    await startSettled(h);
    await h.advance(5_000);
    h.sync.send({ type: 'FOCUS' });
    await settleIO();
    expect(h.server.count).toBe(1);
  });

  it('a live socket vouches: no TTL revalidation, no polling, focus does not refetch', async () => {
    const h = createHarness({ ttlMs: 30_000, refreshIntervalMs: 30_000 });
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.CONNECTED' });
    await settleIO();
    // One catch-up on connect, once the dedupe window of the first request has closed.
    expect(h.server.count).toBe(1);
    await h.advance(1_000);
    expect(h.server.count).toBe(2);
    h.server.respondNext();
    await settleIO();
    await h.advance(10 * 60_000);
    h.sync.send({ type: 'FOCUS' });
    await settleIO();
    expect(h.server.count).toBe(2);
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', isStale: false });
    // The persisted entry keeps its own expiry: a reload after the TTL does not trust it.
    const stored = JSON.parse(localStorage.getItem('tokenBalanceCache_u1') ?? '{}');
    expect(stored.expiresAt).toBeLessThan(Date.now());
  });

  it.each([
    ['names the signed-in user', 'u1', 1],
    ['names no user', undefined, 1],
    ['names another user: spares nothing, rejected and caught up', 'u2', 2],
  ])('a resume marker that %s', async (_, userId, requests) => {
    const h = createHarness({ ttlMs: 30_000 });
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.CONNECTED', resumed: true, ...(userId ? { userId } : {}) });
    await h.advance(1_000);
    expect(h.server.count).toBe(requests);
    h.server.respondNext();
    await settleIO();
    // Only the catch-up's value is vouched for: nothing is left owed, and the socket vouches.
    await h.advance(10 * 60_000);
    expect(h.server.count).toBe(requests);
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', isStale: false });
    const rejected = h.logger
      .messages()
      .includes('rejected SOCKET.CONNECTED: resume marker for another user');
    expect(rejected).toBe(userId === 'u2');
  });

  it("a hello of another user's value: not shown, rejected like any wrong-user message, caught up", async () => {
    const h = createHarness({ ttlMs: 30_000 });
    await startSettled(h);
    const before = h.sync.getSnapshot();
    const hello = { userId: 'u2', balance: 77, version: 99 };
    h.sync.send({ type: 'SOCKET.CONNECTED', hello });
    // Twice: a second "connected" (two sources on one socket) while the channel is live.
    h.sync.send({ type: 'SOCKET.CONNECTED', hello });
    await h.advance(1_000);
    expect(h.sync.getSnapshot().balance).toBe(before.balance);
    expect(h.sync.metrics().rejected).toBe(2);
    expect(h.logger.lines.filter((line) => line.level === 'warn').map((l) => l.message)).toEqual([
      'rejected hello: message for another user',
      'rejected hello: message for another user',
    ]);
    // The catch-up the hello would have spared is made, once.
    expect(h.server.count).toBe(2);
  });

  it('socketRefreshIntervalMs polls while a socket vouches (off by default)', async () => {
    const h = createHarness({
      ttlMs: 30_000,
      refreshIntervalMs: 30_000,
      socketRefreshIntervalMs: 120_000,
    });
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.CONNECTED' });
    await h.advance(1_000);
    h.server.respondNext(); // the catch-up
    await settleIO();
    await h.advance(119_999);
    expect(h.server.count).toBe(2);
    await h.advance(1);
    expect(h.server.count).toBe(3);
  });

  it('on disconnect TTL and polling take over; an expired value revalidates at once', async () => {
    const h = createHarness({ ttlMs: 30_000 });
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.CONNECTED' });
    await h.advance(1_000);
    h.server.respondNext();
    await settleIO();
    await h.advance(60_000);
    expect(h.server.count).toBe(2);
    h.sync.send({ type: 'SOCKET.DISCONNECTED' });
    await h.advance(0);
    expect(h.server.count).toBe(3);
    expect(h.sync.getSnapshot().isStale).toBe(true);
  });

  it('invalidateOnSocket: false is a rollback switch: pushes ignored, socket vouches for nothing', async () => {
    const h = createHarness({ invalidateOnSocket: false, ttlMs: 30_000, refreshIntervalMs: 0 });
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.CONNECTED' });
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 1, version: 9 });
    await settleIO();
    expect(h.sync.getSnapshot().balance).toBe(1_000_100);
    expect(h.logger.messages()).toContain(
      'rejected SOCKET.BALANCE_UPDATED: socket updates are switched off (invalidateOnSocket: false)',
    );
    await h.advance(30_000);
    expect(h.server.count).toBe(2); // TTL still revalidates
  });

  it('invalidateOnSocket: false ignores change notices too: no request, no foreign cache called', async () => {
    const h = createHarness({ invalidateOnSocket: false, ttlMs: 30_000, refreshIntervalMs: 0 });
    const target = vi.fn();
    h.sync.addInvalidationTarget('swr:profile', target);
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.CONNECTED' });
    h.sync.send({ type: 'SOCKET.INVALIDATE', userId: 'u1' });
    await h.advance(5_000);
    expect(h.server.count).toBe(1);
    expect(target).not.toHaveBeenCalled();
    expect(h.logger.messages()).toContain(
      'rejected SOCKET.INVALIDATE: socket updates are switched off (invalidateOnSocket: false)',
    );
    expect(h.sync.metrics().rejected).toBe(1);
  });

  it('offline: a stale value waits; going online revalidates it', async () => {
    const h = createHarness({ ttlMs: 30_000, refreshIntervalMs: 0 });
    await startSettled(h);
    h.sync.send({ type: 'OFFLINE' });
    await h.advance(40_000);
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'stale', isStale: true });
    expect(h.server.count).toBe(1);
    h.sync.send({ type: 'ONLINE' });
    await settleIO();
    expect(h.server.count).toBe(2);
  });

  it('a hidden tab does not revalidate a stale value until it is visible again', async () => {
    const h = createHarness({ ttlMs: 30_000, refreshIntervalMs: 0 });
    await startSettled(h);
    h.sync.send({ type: 'HIDDEN' });
    await h.advance(120_000);
    expect(h.server.count).toBe(1);
    expect(h.sync.getSnapshot().isStale).toBe(true);
    h.sync.send({ type: 'VISIBLE' });
    await settleIO();
    expect(h.server.count).toBe(2);
  });
});
