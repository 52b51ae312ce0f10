import { describe, expect, it, vi } from 'vitest';
import { CorruptEntryError } from '../../src/cache/layer.js';
import { localStorageCache } from '../../src/cache/local-storage.js';

const scope = { keyPrefix: 'tokenBalanceCache' };
const entry = { data: { balance: 999, userId: 'u1', version: 7 }, timestamp: 1, expiresAt: 2 };

describe('localStorageCache', () => {
  it('writes the SPEC key and format', () => {
    const layer = localStorageCache();
    layer.write('u1', entry, scope);
    expect(localStorage.getItem('tokenBalanceCache_u1')).toBe(JSON.stringify(entry));
    expect(layer.read('u1', scope)).toEqual(entry);
  });

  it('honours the key prefix', () => {
    localStorageCache().write('u1', entry, { keyPrefix: 'wallet' });
    expect(localStorage.getItem('wallet_u1')).not.toBeNull();
  });

  it('throws a CorruptEntryError for invalid JSON (the core counts it as a miss)', () => {
    localStorage.setItem('tokenBalanceCache_u1', '{"data":');
    expect(() => localStorageCache().read('u1', scope)).toThrow(CorruptEntryError);
  });

  it('removes legacy global keys without reading them', () => {
    localStorage.setItem('tokenBalanceCache', '{"data":{"balance":1}}');
    const getItem = vi.spyOn(Storage.prototype, 'getItem');
    localStorageCache().clearLegacy(['tokenBalanceCache']);
    expect(localStorage.getItem('tokenBalanceCache')).toBeNull();
    expect(getItem).toHaveBeenCalledTimes(1); // only the assertion above
    getItem.mockRestore();
  });

  it('is a silent miss when storage is absent or access throws', () => {
    const absent = localStorageCache({ storage: () => undefined });
    expect(absent.read('u1', scope)).toBeNull();
    expect(() => absent.write('u1', entry, scope)).not.toThrow();
    const denied = localStorageCache({
      storage: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    expect(denied.read('u1', scope)).toBeNull();
    expect(() => denied.remove('u1', scope)).not.toThrow();
  });

  it('lets a quota error reach the caller (the core logs it and carries on)', () => {
    const full = {
      ...localStorage,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    } as unknown as Storage;
    expect(() => localStorageCache({ storage: () => full }).write('u1', entry, scope)).toThrow(
      'full',
    );
  });
});
