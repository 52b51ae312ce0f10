/**
 * SPEC pinned semantics: `invalidate()` settles. Each layer and target has a deadline
 * (`targetTimeoutMs`); the refetch waits for this tab's layers, not for foreign targets;
 * it works running or stopped; `stop()` settles one in flight at once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CacheLayer } from '../../src/cache/layer.js';
import { memoryCache } from '../../src/cache/memory.js';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

/** A layer whose removal never settles: a blocked IndexedDB. */
function blockedLayer(name = 'blockedDB'): CacheLayer {
  const inner = memoryCache();
  return {
    name,
    read: (userId, scope) => inner.read(userId, scope),
    write: (userId, entry, scope) => inner.write(userId, entry, scope),
    remove: () => new Promise<void>(() => {}),
    clearLegacy: () => undefined,
  };
}

describe('invalidate() always settles', () => {
  it('a layer whose remove() never settles is reported failed at its deadline; the sync recovers', async () => {
    const h = createHarness({ targetTimeoutMs: 2_000 });
    const blocked = blockedLayer();
    const h2 = createHarness({
      targetTimeoutMs: 2_000,
      fetchBalance: h.server.fetchBalance,
      cache: [memoryCache(), blocked],
    });
    await startSettled(h2);
    const pending = h2.sync.invalidate({ reason: 'own debit' });
    await h2.advance(2_000);
    const report = await pending;
    expect(report.ok).toBe(false);
    expect(report.layers).toEqual([
      { name: 'memory', ok: true, error: null },
      {
        name: 'blockedDB',
        ok: false,
        error: 'DeadlineError: blockedDB did not settle within 2000 ms',
      },
    ]);
    // Not stuck in `invalidated`: the refetch ran and landed.
    h.server.respondNext();
    await settleIO();
    expect(h2.sync.getSnapshot()).toMatchObject({ status: 'cached', balance: 1_000_100 });
  });

  it('the refetch does not wait for a foreign target that hangs', async () => {
    const h = createHarness({ targetTimeoutMs: 5_000 });
    h.sync.addInvalidationTarget('slow-api-cache', () => new Promise(() => {}));
    await startSettled(h);
    const pending = h.sync.invalidate();
    await settleIO();
    expect(h.server.inFlight()).toHaveLength(1); // refetching already
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot().status).toBe('cached');
    await h.advance(5_000);
    const report = await pending;
    expect(report.targets).toEqual([
      {
        name: 'slow-api-cache',
        ok: false,
        error: 'DeadlineError: slow-api-cache did not settle within 5000 ms',
      },
    ]);
  });

  it('works stopped: layers cleared and targets called; the next start fetches', async () => {
    const h = createHarness();
    const target = vi.fn();
    h.sync.addInvalidationTarget('swr', target);
    await startSettled(h);
    h.sync.stop();
    const report = await h.sync.invalidate({ reason: 'after stop' });
    expect(report).toMatchObject({ ok: true, userId: 'u1', reason: 'after stop' });
    expect(report.targets).toEqual([{ name: 'swr', ok: true, error: null }]);
    expect(target).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem('tokenBalanceCache_u1')).toBeNull();
    const requests = h.server.count;
    h.sync.start();
    await settleIO();
    expect(h.server.count).toBe(requests + 1);
  });

  it('works before the first start too', async () => {
    const h = createHarness();
    const target = vi.fn();
    h.sync.addInvalidationTarget('swr', target);
    h.sync.setUser('u1');
    const report = await h.sync.invalidate();
    expect(report.ok).toBe(true);
    expect(target).toHaveBeenCalledTimes(1);
  });

  it('stop() settles an invalidation in flight at once: what has not answered is reported aborted, no timer left', async () => {
    const h = createHarness({ targetTimeoutMs: 5_000 });
    h.sync.addInvalidationTarget('hangs', () => new Promise(() => {}));
    h.sync.addInvalidationTarget('quick', () => undefined);
    await startSettled(h);
    const pending = h.sync.invalidate();
    await settleIO();
    h.sync.stop();
    const report = await pending;
    expect(report.targets).toEqual([
      {
        name: 'hangs',
        ok: false,
        error: 'AbortedError: hangs was abandoned: balance sync stopped',
      },
      { name: 'quick', ok: true, error: null },
    ]);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('two invalidations in a row each get their own report', async () => {
    const h = createHarness();
    await startSettled(h);
    const [first, second] = await Promise.all([
      h.sync.invalidate({ reason: 'one' }),
      h.sync.invalidate({ reason: 'two' }),
    ]);
    expect([first.reason, second.reason]).toEqual(['one', 'two']);
  });
});
