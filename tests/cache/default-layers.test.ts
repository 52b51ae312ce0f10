// @vitest-environment node
/** The default layers are those the runtime has: a layer it lacks would only report misses. */
import { afterEach, expect, it, vi } from 'vitest';
import { createBalanceSync, defaultCacheLayers } from '../../src/index.js';

afterEach(() => vi.unstubAllGlobals());

const names = () => defaultCacheLayers().map((layer) => layer.name);

it('in Node (no localStorage, no IndexedDB): memory only, in metrics and invalidation reports', async () => {
  // The test setup installs fake-indexeddb; plain Node has none.
  vi.stubGlobal('indexedDB', undefined);
  expect(names()).toEqual(['memory']);
  const sync = createBalanceSync({ fetchBalance: async () => ({ balance: 1 }), logger: false });
  expect(Object.keys(sync.metrics().layers)).toEqual(['memory']);
  expect((await sync.invalidate()).layers.map((layer) => layer.name)).toEqual(['memory']);
});

it('where localStorage and IndexedDB exist: memory, localStorage, IndexedDB', () => {
  vi.stubGlobal('localStorage', { getItem: () => null, setItem() {}, removeItem() {} });
  expect(names()).toEqual(['memory', 'localStorage', 'indexedDB']);
});
