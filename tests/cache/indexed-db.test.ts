import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { indexedDbCache } from '../../src/cache/indexed-db.js';

const scope = { keyPrefix: 'tokenBalanceCache' };
const entry = { data: { balance: 999, userId: 'u1', version: 7 }, timestamp: 1, expiresAt: 2 };

describe('indexedDbCache (fake-indexeddb; real Chromium comes with the browser project)', () => {
  it('round-trips entries per user and removes them', async () => {
    const layer = indexedDbCache();
    await layer.write('u1', entry, scope);
    expect(await layer.read('u1', scope)).toEqual(entry);
    expect(await layer.read('u2', scope)).toBeUndefined();
    await layer.remove('u1', scope);
    expect(await layer.read('u1', scope)).toBeUndefined();
  });

  it('runs a purge issued after a write after that write', async () => {
    const layer = indexedDbCache();
    const write = layer.write('u1', entry, scope);
    const remove = layer.remove('u1', scope);
    await Promise.all([write, remove]);
    expect(await layer.read('u1', scope)).toBeUndefined();
  });

  it('removes legacy keys', async () => {
    const layer = indexedDbCache({ dbName: 'legacy-test' });
    await layer.write('x', entry, { keyPrefix: 'tokenBalanceCache' });
    const legacy = indexedDbCache({ dbName: 'legacy-test' });
    await legacy.clearLegacy(['tokenBalanceCache_x']);
    expect(await layer.read('x', scope)).toBeUndefined();
  });
});

describe('indexedDbCache connections', () => {
  it('opens one connection per database and store, however many layers use it', async () => {
    const open = vi.spyOn(globalThis.indexedDB, 'open');
    const layers = [indexedDbCache(), indexedDbCache(), indexedDbCache()];
    for (const [i, layer] of layers.entries()) await layer.write(`u${i}`, entry, scope);
    expect(open).toHaveBeenCalledTimes(1);
    // Another database is another connection, and the entries stay apart.
    const other = indexedDbCache({ dbName: 'other-db' });
    await other.write('u0', { ...entry, timestamp: 5 }, scope);
    expect(open).toHaveBeenCalledTimes(2);
    expect(await layers[0]?.read('u0', scope)).toEqual(entry);
  });

  it('opens anew when the IndexedDB factory is replaced (a reset profile)', async () => {
    await indexedDbCache().write('u1', entry, scope);
    globalThis.indexedDB = new IDBFactory();
    const open = vi.spyOn(globalThis.indexedDB, 'open');
    const layer = indexedDbCache();
    expect(await layer.read('u1', scope)).toBeUndefined();
    expect(open).toHaveBeenCalledTimes(1);
  });
});
