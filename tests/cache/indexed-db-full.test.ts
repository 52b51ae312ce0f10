/**
 * A full IndexedDB (quota): a write that fails must not leave the entry it was to replace, or a
 * reload within that entry's TTL shows the older balance as fresh (the localStorage layer does
 * the same, tests/cache/local-storage-full.test.ts).
 */
import { afterEach, expect, it } from 'vitest';
import { indexedDbCache } from '../../src/cache/indexed-db.js';

const realPut = IDBObjectStore.prototype.put;
afterEach(() => {
  IDBObjectStore.prototype.put = realPut;
});

const entry = (balance: number, version: number) => ({
  userId: 'u1',
  balance,
  version,
  epoch: null,
  updatedAt: null,
  timestamp: 1,
  expiresAt: 2,
});

it('a write the quota refuses removes the older entry, and the error still reaches the core', async () => {
  const layer = indexedDbCache({ dbName: `full-${Math.random()}` });
  const scope = { keyPrefix: 'tokenBalanceCache' };
  await layer.write('u1', entry(5, 1) as never, scope);
  expect(await layer.read('u1', scope)).toMatchObject({ balance: 5 });
  IDBObjectStore.prototype.put = function full() {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  await expect(layer.write('u1', entry(4, 2) as never, scope)).rejects.toThrow(/quota/);
  IDBObjectStore.prototype.put = realPut;
  expect(await layer.read('u1', scope)).toBeUndefined();
});
