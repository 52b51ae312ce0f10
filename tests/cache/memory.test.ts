import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/memory.js';

const scope = { keyPrefix: 'tokenBalanceCache' };
const entry = { data: { balance: 5, userId: 'u1' }, timestamp: 1, expiresAt: 2 };

describe('memoryCache', () => {
  it('keeps entries per user and removes them', () => {
    const layer = memoryCache();
    layer.write('u1', entry, scope);
    expect(layer.read('u1', scope)).toEqual(entry);
    expect(layer.read('u2', scope)).toBeNull();
    layer.remove('u1', scope);
    expect(layer.read('u1', scope)).toBeNull();
  });

  it('hands out copies, so a caller cannot change what is cached', () => {
    const layer = memoryCache();
    layer.write('u1', entry, scope);
    (layer.read('u1', scope) as typeof entry).data.balance = 1e9;
    expect((layer.read('u1', scope) as typeof entry).data.balance).toBe(5);
  });

  it('two instances do not share entries', () => {
    const a = memoryCache();
    a.write('u1', entry, scope);
    expect(memoryCache().read('u1', scope)).toBeNull();
  });
});
