import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BalanceEvent } from '../../machines/events.js';
import { windowSource } from '../../src/sources/window.js';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('windowSource', () => {
  afterEach(() => setVisibility('visible'));

  it('emits the current visibility and reachability on subscribe, then changes', () => {
    const events: BalanceEvent['type'][] = [];
    const subscription = windowSource().subscribe((event) => events.push(event.type));
    expect(events).toEqual(['VISIBLE', 'ONLINE']);
    setVisibility('hidden');
    setVisibility('hidden'); // no change, no event
    window.dispatchEvent(new Event('offline'));
    window.dispatchEvent(new Event('online'));
    setVisibility('visible');
    window.dispatchEvent(new Event('focus')); // raw focus is opt-in
    expect(events).toEqual(['VISIBLE', 'ONLINE', 'HIDDEN', 'OFFLINE', 'ONLINE', 'VISIBLE']);
    subscription.unsubscribe();
  });

  it('emits raw focus only when opted in', () => {
    const events: BalanceEvent['type'][] = [];
    const subscription = windowSource({ focus: true }).subscribe((event) =>
      events.push(event.type),
    );
    window.dispatchEvent(new Event('focus'));
    expect(events).toContain('FOCUS');
    subscription.unsubscribe();
  });

  it('removes its listeners on unsubscribe', () => {
    const removeDoc = vi.spyOn(document, 'removeEventListener');
    const removeWin = vi.spyOn(window, 'removeEventListener');
    windowSource({ focus: true }).subscribe().unsubscribe();
    expect(removeDoc.mock.calls.map((call) => call[0])).toEqual(['visibilitychange']);
    expect(removeWin.mock.calls.map((call) => call[0]).sort()).toEqual([
      'focus',
      'offline',
      'online',
    ]);
  });

  it('is empty without a window (SSR)', () => {
    const next = vi.fn();
    const complete = vi.fn();
    windowSource({ window: () => undefined }).subscribe({ next, complete });
    expect(next).not.toHaveBeenCalled();
    expect(complete).toHaveBeenCalled();
  });

  it('a focus storm inside dedupeMs costs one request', async () => {
    const h = createHarness({ sources: [windowSource({ focus: true })], dedupeMs: 1_000 });
    await startSettled(h);
    await h.advance(5_000);
    for (let i = 0; i < 30; i++) {
      window.dispatchEvent(new Event('focus'));
      setVisibility(i % 2 === 0 ? 'hidden' : 'visible');
      await h.advance(20);
      h.server.respondNext();
    }
    await settleIO();
    expect(h.server.count).toBe(2);
  });

  it('a hidden tab does not poll; going online revalidates an errored value', async () => {
    const h = createHarness({
      sources: [windowSource()],
      refreshIntervalMs: 10_000,
      ttlMs: Number.POSITIVE_INFINITY,
    });
    await startSettled(h);
    setVisibility('hidden');
    await h.advance(60_000);
    expect(h.server.count).toBe(1);
    setVisibility('visible');
    await settleIO();
    h.server.respondNext();
    await settleIO();
    expect(h.server.count).toBe(2);
    window.dispatchEvent(new Event('offline'));
    await h.advance(2_000);
    void h.sync.refresh({ skipCache: true });
    h.server.last()?.reject(new TypeError('Failed to fetch'));
    await settleIO();
    expect(h.sync.getSnapshot().status).toBe('error');
    // Outside the dedupe window of the failed request (no option makes a request storm).
    await h.advance(1_000);
    window.dispatchEvent(new Event('online'));
    await settleIO();
    expect(h.server.count).toBe(4);
  });
});
