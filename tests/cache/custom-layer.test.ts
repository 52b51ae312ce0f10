/**
 * A cache layer is any object with the CacheLayer methods and a name of its own: the core
 * treats layers by what they do (a read that answers at once, or a promise), never by name.
 */
import vm from 'node:vm';
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

  describe('answers from another realm (an iframe store, a worker bridge): promises all the same', () => {
    const realm = vm.createContext({});
    const foreign = (code: string) => vm.runInContext(code, realm) as Promise<void>;

    it('a removal that never settles is reported failed at its deadline, not cleared', async () => {
      const layer = mapLayer('iframeStore', 'sync');
      layer.remove = () => foreign('new Promise(() => {})');
      const h = createHarness({ cache: [layer], targetTimeoutMs: 1_000 });
      await startSettled(h);
      const pending = h.sync.invalidate();
      await h.advance(1_000);
      const report = await pending;
      expect(report.layers).toEqual([
        { name: 'iframeStore', ok: false, error: expect.stringMatching(/1000 ms/) },
      ]);
    });

    it('a write that rejects is logged and counted', async () => {
      const layer = mapLayer('iframeStore', 'sync');
      layer.write = () => foreign('Promise.reject(new Error("quota"))');
      const h = createHarness({ cache: [layer] });
      await startSettled(h);
      expect(h.sync.metrics().layers.iframeStore).toMatchObject({ errors: 1 });
      expect(h.logger.messages()).toContain('cache write failed (iframeStore)');
    });
  });

  describe('an entry whose fields cannot be read is rejected, never thrown into the app', () => {
    const unreadable = {
      'a getter that throws': () => ({
        get data(): unknown {
          throw new Error('store detached');
        },
        timestamp: Date.now(),
        expiresAt: null,
      }),
      'a class instance whose getter throws': () =>
        new (class DetachedEntry {
          get data(): unknown {
            throw new Error('store detached');
          }
        })(),
    };

    it.each(Object.entries(unreadable))(
      '%s: setUser() and creation do not throw; the sync fetches',
      async (_, entry) => {
        const layer = mapLayer('detached', 'sync');
        layer.read = () => entry() as never;
        expect(() => createHarness({ cache: [layer], userId: 'u1' })).not.toThrow();
        const h = createHarness({ cache: [layer] });
        expect(() => h.sync.setUser('u1')).not.toThrow();
        h.sync.start();
        await settleIO();
        h.server.respondNext();
        await settleIO();
        expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, source: 'network' });
        expect(h.logger.messages().some((line) => /\(detached\)/.test(line))).toBe(true);
      },
    );
  });
});
