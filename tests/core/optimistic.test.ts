import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('applyOptimistic()', () => {
  it('shows the delta at once and rolls back when the commit rejects', async () => {
    const h = createHarness();
    await startSettled(h);
    const commit = deferred();
    h.sync.applyOptimistic(-30, commit.promise);
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_070, source: 'optimistic' });
    commit.reject(new Error('payment declined'));
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, source: 'network' });
    expect(h.server.count).toBe(1);
  });

  it('keeps the delta until a value fetched after the commit includes it', async () => {
    const h = createHarness();
    await startSettled(h);
    const commit = deferred();
    h.sync.applyOptimistic(-30, commit.promise);
    h.server.change('u1', -30);
    commit.resolve();
    await settleIO();
    expect(h.server.count).toBe(2); // revalidation after the commit
    expect(h.sync.getSnapshot().balance).toBe(1_000_070);
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({
      balance: 1_000_070,
      source: 'network',
      version: 2,
    });
    // No flicker back to the old balance in between.
    const fromOptimistic = h.seen.slice(h.seen.findIndex((state) => state.source === 'optimistic'));
    expect(fromOptimistic.map((state) => state.balance)).toEqual([1_000_070, 1_000_070, 1_000_070]);
  });

  it('is never carried over to another user', async () => {
    const h = createHarness();
    await startSettled(h);
    const commit = deferred();
    h.sync.applyOptimistic(-30, commit.promise);
    h.sync.setUser('u2');
    await settleIO();
    h.server.respondNext();
    commit.resolve();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({
      userId: 'u2',
      balance: 2_000_100,
      source: 'network',
    });
  });

  it('rejects a non-finite delta without throwing', async () => {
    const h = createHarness();
    await startSettled(h);
    expect(() => h.sync.applyOptimistic(Number.NaN, Promise.resolve())).not.toThrow();
    expect(h.sync.getSnapshot().balance).toBe(1_000_100);
    expect(h.sync.metrics().rejected).toBe(1);
  });
});
