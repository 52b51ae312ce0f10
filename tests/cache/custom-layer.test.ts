/**
 * A cache layer is any object with the CacheLayer methods and a name of its own: the core
 * treats layers by what they do (a read that answers at once, or a promise), never by name.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CacheLayer, StoredEntry } from '../../src/cache/layer.js';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

function mapLayer(
  name: string,
  answer: 'sync' | 'async',
): CacheLayer & { entries: Map<string, StoredEntry> } {
  const entries = new Map<string, StoredEntry>();
  const reply = <T>(value: T) => (answer === 'sync' ? value : Promise.resolve(value));
  return {
    name,
    entries,
    read: (userId, scope) => reply(entries.get(`${scope.keyPrefix}_${userId}`) ?? null),
    write: (userId, entry, scope) => {
      entries.set(`${scope.keyPrefix}_${userId}`, entry);
    },
    remove: (userId, scope) => {
      entries.delete(`${scope.keyPrefix}_${userId}`);
    },
    clearLegacy: () => undefined,
  };
}

const fresh = (balance: number): StoredEntry => ({
  data: { balance, userId: 'u1', version: 3 },
  timestamp: Date.now(),
  expiresAt: Date.now() + 30_000,
});

describe('custom cache layers', () => {
  it('a synchronous layer with a name of its own is read before the first render', () => {
    const session = mapLayer('sessionStorage', 'sync');
    session.entries.set('tokenBalanceCache_u1', fresh(42));
    const h = createHarness({ cache: [session], userId: 'u1' });
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 42, source: 'sessionStorage' });
  });

  it('an asynchronous layer with any name is read by hydration, counted under its own name', async () => {
    const remote = mapLayer('edge-kv', 'async');
    remote.entries.set('tokenBalanceCache_u1', fresh(43));
    const h = createHarness({ cache: [remote], userId: 'u1' });
    expect(h.sync.getSnapshot().balance).toBeNull();
    h.sync.start();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 43, source: 'edge-kv' });
    expect(h.sync.metrics().layers['edge-kv']).toMatchObject({ hits: 1 });
  });

  it('every layer is written, cleared on invalidation and purged on sign-out, whatever its name', async () => {
    const a = mapLayer('first', 'sync');
    const b = mapLayer('second', 'async');
    const h = createHarness({ cache: [a, b] });
    await startSettled(h);
    expect([a.entries.size, b.entries.size]).toEqual([1, 1]);
    const report = await h.sync.invalidate();
    expect(report.layers.map((layer) => layer.name)).toEqual(['first', 'second']);
    expect([a.entries.size, b.entries.size]).toEqual([0, 0]);
    h.server.respondNext();
    await settleIO();
    h.sync.setUser(null);
    await settleIO();
    expect([a.entries.size, b.entries.size]).toEqual([0, 0]);
  });

  it('two layers with the same name are a programming error', () => {
    expect(() => createHarness({ cache: [mapLayer('x', 'sync'), mapLayer('x', 'async')] })).toThrow(
      /two layers named x/,
    );
  });
});
