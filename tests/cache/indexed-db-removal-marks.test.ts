/**
 * IndexedDB removals that a page did not live to see land (src/cache/removal-marks.ts): marked in
 * localStorage before the delete is asked for, unmarked once it (or a later write) lands, and
 * made by the next page. A page "dies" here by its deletes never settling (idb-keyval's
 * `del` mocked to hang); the next page is a fresh import over the same IndexedDB and
 * localStorage. Real Chromium, with a real navigation: tests/e2e/demo.test.ts.
 */
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const scope = { keyPrefix: 'tokenBalanceCache' };
const entry = { data: { balance: 999, userId: 'u1', version: 7 }, timestamp: 1, expiresAt: 2 };
const marks = () =>
  Object.keys(localStorage).filter((key) => key.startsWith('balance-sync:unremoved:'));

/** A page whose IndexedDB deletes never land: it navigates away before IndexedDB runs them. */
async function dyingPage() {
  vi.doMock('idb-keyval', async (original) => ({
    ...(await original<typeof import('idb-keyval')>()),
    del: () => new Promise<void>(() => {}),
  }));
  const page = await import('../../src/cache/indexed-db.js');
  vi.doUnmock('idb-keyval');
  vi.resetModules();
  return page;
}

const nextPage = () => import('../../src/cache/indexed-db.js');

beforeEach(() => {
  localStorage.clear();
  globalThis.indexedDB = new IDBFactory();
  vi.resetModules();
});

describe('IndexedDB removals across page loads', () => {
  it('marks a removal at once and leaves no mark once it, or a write after it, has landed', async () => {
    const { indexedDbCache } = await nextPage();
    const layer = indexedDbCache();
    await layer.write('u1', entry, scope);
    const removal = layer.remove('u1', scope);
    expect(marks()).toHaveLength(1);
    await removal;
    expect(marks()).toEqual([]);
    // Sign-out and sign-in again at once: the write landing means the removal before it did.
    await Promise.all([layer.remove('u1', scope), layer.write('u1', entry, scope)]);
    expect(marks()).toEqual([]);
    expect(await layer.read('u1', scope)).toEqual(entry);
  });

  it('a removal the page did not see land is made by the next page, signed out or not', async () => {
    const page = await dyingPage();
    const layer = page.indexedDbCache();
    await layer.write('u1', entry, scope);
    await layer.write('u2', { ...entry, data: { ...entry.data, userId: 'u2' } }, scope);
    void layer.remove('u1', scope); // sign-out, then the page navigates away
    expect(marks()).toHaveLength(1);
    // The mark names neither the user nor the key, and holds no balance.
    expect(JSON.stringify(localStorage)).not.toMatch(/u1|tokenBalanceCache|999/);

    const next = await nextPage();
    next.indexedDbCache(); // a signed-out page only creates the layer
    await vi.waitFor(() => expect(marks()).toEqual([]));
    const reader = next.indexedDbCache();
    expect(await reader.read('u1', scope)).toBeUndefined();
    expect(await reader.read('u2', scope)).toMatchObject({ data: { userId: 'u2' } });
  });

  it('a write asked for before a removal does not clear its mark when it lands', async () => {
    const page = await dyingPage();
    const layer = page.indexedDbCache();
    const write = layer.write('u1', entry, scope);
    void layer.remove('u1', scope);
    await write;
    expect(marks()).toHaveLength(1);
    const next = await nextPage();
    expect(await next.indexedDbCache().read('u1', scope)).toBeUndefined();
  });

  it('a full localStorage: the removal is still made, only unmarked', async () => {
    const { indexedDbCache } = await nextPage();
    const layer = indexedDbCache();
    await layer.write('u1', entry, scope);
    const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    await layer.remove('u1', scope);
    setItem.mockRestore();
    expect(await layer.read('u1', scope)).toBeUndefined();
    expect(marks()).toEqual([]);
  });
});
