import { describe, expect, it } from 'vitest';
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
