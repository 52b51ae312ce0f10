import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

describe('errors and retry', () => {
  it('a failed fetch keeps the last good value, stale, with error set', async () => {
    const h = createHarness();
    await startSettled(h);
    await h.advance(2_000);
    void h.sync.refresh();
    h.server.last()?.reject(new Error('server error 500'));
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'error',
      balance: 1_000_100,
      isStale: true,
      error: { kind: 'fetch', message: 'server error 500' },
    });
    expect(h.sync.metrics().fetchErrors).toBe(1);
  });

  it('a failure followed at once by an owed fetch still shows the value stale, with the error', async () => {
    // No retries left, a catch-up owed (the socket connected mid-request): the failure is followed
    // by a fetch at once, with no `error` state in between for a subscriber to see.
    const h = createHarness({ retry: { attempts: 0, baseMs: 1_000, maxMs: 1_000 } });
    h.sync.setUser('u1');
    h.sync.start();
    await settleIO();
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 7, version: 2 });
    h.sync.send({ type: 'SOCKET.CONNECTED' });
    h.sync.send({ type: 'SOCKET.DISCONNECTED' });
    await h.advance(2_000);
    h.server.inFlight()[0]?.reject(new Error('server error 500'));
    await settleIO();
    expect(h.server.inFlight()).toHaveLength(1);
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'fetching',
      balance: 7,
      isStale: true,
      error: { kind: 'fetch', message: 'server error 500' },
    });
  });

  it('retries with capped exponential backoff and equal jitter, then waits for a trigger', async () => {
    const h = createHarness({
      retry: { attempts: 3, baseMs: 1_000, maxMs: 3_000 },
      refreshIntervalMs: 0,
    });
    vi.spyOn(Math, 'random').mockReturnValue(1); // jitter at its maximum: the full capped delay
    h.sync.setUser('u1');
    h.sync.start();
    await settleIO();
    for (let i = 0; i < 30; i++) {
      h.server.inFlight()[0]?.reject();
      await settleIO();
      await h.advance(500);
    }
    await h.advance(10_000);
    const gaps = h.server.requests
      .slice(1)
      .map((request, i) => request.at - (h.server.requests[i]?.at ?? 0));
    // First try + 3 retries; waits 1 s, 2 s, then 4 s capped to 3 s.
    expect(gaps).toEqual([1_000, 2_000, 3_000]);
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'error', balance: null });
    h.sync.send({ type: 'ONLINE' });
    await settleIO();
    expect(h.server.count).toBe(5);
  });

  it('no retry while offline; ONLINE retries at once', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    h.sync.start();
    await settleIO();
    h.sync.send({ type: 'OFFLINE' });
    h.server.last()?.reject(new TypeError('Failed to fetch'));
    await settleIO();
    await h.advance(60_000);
    expect(h.server.count).toBe(1);
    h.sync.send({ type: 'ONLINE' });
    await settleIO();
    expect(h.server.count).toBe(2);
  });

  it('a malformed response is a validation error, never shown', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    h.sync.start();
    await settleIO();
    h.server.last()?.resolve({ balance: 'lots' as never });
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'error',
      balance: null,
      error: { kind: 'validation', message: 'balance is not a finite number' },
    });
  });

  it('a throwing subscriber or logger does not break the sync', async () => {
    const h = createHarness({
      logger: {
        debug: () => {
          throw new Error('logger down');
        },
        info: () => {},
        warn: () => {},
        error: () => {},
      },
    });
    h.sync.subscribe(() => {
      throw new Error('bad subscriber');
    });
    await startSettled(h);
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', balance: 1_000_100 });
  });
});
