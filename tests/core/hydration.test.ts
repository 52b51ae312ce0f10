import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localStorageCache } from '../../src/cache/local-storage.js';
import { memoryCache } from '../../src/cache/memory.js';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const put = (key: string, value: unknown) => localStorage.setItem(key, JSON.stringify(value));

describe('hydration from the cache layers', () => {
  it('incident console test: expiresAt = now + 5 s is served now, and not after 6 s', async () => {
    const now = Date.now();
    put('tokenBalanceCache_u1', {
      data: { balance: 999, userId: 'u1', version: 7 },
      timestamp: now,
      expiresAt: now + 5_000,
    });
    const h = createHarness({ refreshIntervalMs: 0 });
    h.sync.setUser('u1');
    h.sync.start();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'cached',
      balance: 999,
      source: 'localStorage',
      isStale: false,
    });
    expect(h.server.count).toBe(0);
    expect(h.logger.messages()).toContain('cache hit (localStorage)');
    await h.advance(6_000);
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'fetching', balance: 999, isStale: true });
    expect(h.server.count).toBe(1);
  });

  it('shows an expired entry within maxStaleMs marked stale and revalidates it', async () => {
    const now = Date.now();
    put('tokenBalanceCache_u1', {
      data: { balance: 5, userId: 'u1' },
      timestamp: now - 3_600_000,
      expiresAt: now - 3_570_000,
    });
    const h = createHarness();
    h.sync.setUser('u1');
    h.sync.start();
    await settleIO();
    // `stale` is transient when revalidation is allowed: subscribers see it being refetched.
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'fetching', balance: 5, isStale: true });
    expect(h.sync.metrics().layers.localStorage.expired).toBe(1);
  });

  it('never shows an entry older than maxStaleMs', async () => {
    const now = Date.now();
    put('tokenBalanceCache_u1', {
      data: { balance: 5, userId: 'u1' },
      timestamp: now - 2 * 86_400_000,
      expiresAt: now - 2 * 86_400_000 + 30_000,
    });
    const h = createHarness();
    await startSettled(h);
    expect(h.seen.every((state) => state.balance !== 5)).toBe(true);
    expect(h.sync.getSnapshot().balance).toBe(1_000_100);
  });

  it.each([
    ['corrupt JSON', '{"data":', 'entry is not valid JSON'],
    [
      'another user under this key',
      JSON.stringify({ data: { balance: 7, userId: 'u2' }, timestamp: 0, expiresAt: 9e15 }),
      'entry belongs to another user',
    ],
    [
      'a NaN balance',
      '{"data":{"balance":"NaN","userId":"u1"},"timestamp":0,"expiresAt":0}',
      'balance is not a finite number',
    ],
  ])('rejects %s: logged, counted, removed, fetched instead', async (_, raw, reason) => {
    localStorage.setItem('tokenBalanceCache_u1', raw);
    const h = createHarness();
    await startSettled(h);
    expect(h.logger.messages()).toContain(`cache entry rejected (localStorage): ${reason}`);
    expect(h.sync.metrics().layers.localStorage.rejected).toBe(1);
    expect(h.seen.every((state) => state.balance === null || state.balance === 1_000_100)).toBe(
      true,
    );
    // The bad entry was replaced by the fetched one.
    expect(JSON.parse(localStorage.getItem('tokenBalanceCache_u1') ?? '{}').data.balance).toBe(
      1_000_100,
    );
  });

  it('removes legacy global keys on start and never reads them', async () => {
    put('tokenBalanceCache', {
      data: { balance: 42, userId: 'u1' },
      timestamp: Date.now(),
      expiresAt: 9e15,
    });
    const h = createHarness();
    await startSettled(h);
    expect(localStorage.getItem('tokenBalanceCache')).toBeNull();
    expect(h.seen.every((state) => state.balance !== 42)).toBe(true);
  });

  it('backfills faster layers from a slower one', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.stop();
    localStorage.clear();
    const fresh = createHarness({
      cache: [memoryCache(), localStorageCache(), h.layers.indexedDB],
    });
    fresh.sync.setUser('u1');
    fresh.sync.start();
    await settleIO();
    expect(fresh.sync.getSnapshot()).toMatchObject({ status: 'cached', source: 'indexedDB' });
    expect(fresh.server.count).toBe(0);
    expect(localStorage.getItem('tokenBalanceCache_u1')).not.toBeNull();
  });

  it('keeps working when localStorage is full: logged, other layers still written', async () => {
    const full = {
      getItem: () => null,
      removeItem: () => {},
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
    } as unknown as Storage;
    const memory = memoryCache();
    const h = createHarness({ cache: [memory, localStorageCache({ storage: () => full })] });
    await startSettled(h);
    expect(h.sync.getSnapshot()).toMatchObject({ status: 'cached', balance: 1_000_100 });
    expect(h.logger.messages()).toContain('cache write failed (localStorage)');
    expect(memory.read('u1', { keyPrefix: 'tokenBalanceCache' })).not.toBeNull();
    expect(h.sync.metrics().layers.localStorage.errors).toBe(1);
  });

  it('uses keyPrefix for every key', async () => {
    const h = createHarness({ keyPrefix: 'wallet', legacyKeys: ['wallet'] });
    await startSettled(h);
    expect(localStorage.getItem('wallet_u1')).not.toBeNull();
    expect(localStorage.getItem('tokenBalanceCache_u1')).toBeNull();
  });
});

describe('a layer that does not answer', () => {
  it('is skipped after LAYER_READ_TIMEOUT_MS: a blocked IndexedDB cannot block the app', async () => {
    const { LAYER_READ_TIMEOUT_MS } = await import('../../src/core/hydrate.js');
    const blocked = {
      name: 'indexedDB' as const,
      read: () => new Promise<never>(() => {}),
      write: () => {},
      remove: () => {},
      clearLegacy: () => {},
    };
    const h = createHarness({ cache: [memoryCache(), blocked] });
    h.sync.setUser('u1');
    h.sync.start();
    await h.advance(LAYER_READ_TIMEOUT_MS - 1);
    expect(h.sync.getSnapshot().status).toBe('hydrating');
    await h.advance(1);
    expect(h.sync.getSnapshot().status).toBe('fetching');
    expect(h.logger.messages()).toContain('cache read failed (indexedDB)');
    expect(h.sync.metrics().layers.indexedDB.errors).toBe(1);
  });

  it('leaves no timer behind when the sync stops mid-hydration', async () => {
    const never = { ...memoryCache(), read: () => new Promise<never>(() => {}) };
    const h = createHarness({ cache: [never] });
    h.sync.setUser('u1');
    h.sync.start();
    await h.advance(10);
    h.sync.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('synchronous preload (first paint)', () => {
  const put = (key: string, value: unknown) => localStorage.setItem(key, JSON.stringify(value));

  it('a fresh stored value is in the very first snapshot, before start and right after it', () => {
    const now = Date.now();
    put('tokenBalanceCache_u1', {
      data: { balance: 7, userId: 'u1', version: 3 },
      timestamp: now,
      expiresAt: now + 30_000,
    });
    const h = createHarness({ userId: 'u1' });
    expect(h.sync.getSnapshot()).toMatchObject({
      balance: 7,
      source: 'localStorage',
      isStale: false,
    });
    h.sync.start();
    expect(h.sync.getSnapshot()).toMatchObject({
      status: 'hydrating',
      balance: 7,
      version: 3,
      isStale: false,
    });
  });

  it('a switch back to a user with a fresh value shows it at once', async () => {
    const h = createHarness();
    await startSettled(h, 'u1');
    h.sync.setUser('u2');
    await settleIO();
    h.sync.setUser('u1');
    expect(h.sync.getSnapshot()).toMatchObject({ userId: 'u1', balance: 1_000_100 });
  });

  it('never preloads an expired value or another user', () => {
    const now = Date.now();
    put('tokenBalanceCache_u1', {
      data: { balance: 7, userId: 'u1' },
      timestamp: now - 60_000,
      expiresAt: now - 30_000,
    });
    put('tokenBalanceCache_u2', {
      data: { balance: 9, userId: 'u1' },
      timestamp: now,
      expiresAt: now + 30_000,
    });
    expect(createHarness({ userId: 'u1' }).sync.getSnapshot().balance).toBeNull();
    expect(createHarness({ userId: 'u2' }).sync.getSnapshot().balance).toBeNull();
  });
});

describe('initialData against an older cache entry (outside review 4)', () => {
  const seed = (data: Record<string, unknown>, receivedAgoMs: number) => {
    const at = Date.now() - receivedAgoMs;
    put('tokenBalanceCache_a', {
      data: { userId: 'a', ...data },
      timestamp: at,
      expiresAt: at + 30_000,
    });
  };

  it.each([
    ['unversioned', { balance: 70 }, { balance: 50 }],
    [
      'another epoch',
      { balance: 70, version: 100, epoch: 'A' },
      { balance: 50, version: 1, epoch: 'B' },
    ],
  ])(
    '%s: the newer initialData stays; the older cached value does not replace it',
    async (_, cached, initial) => {
      seed(cached, 10_000);
      const h = createHarness({
        userId: 'a',
        initialData: { ...initial, receivedAt: Date.now() - 1_000 },
        cache: [localStorageCache()],
      });
      expect(h.sync.getSnapshot().balance).toBe(50);
      h.sync.start();
      await settleIO();
      expect(h.seen.map((state) => state.balance)).not.toContain(70);
      expect(h.sync.getSnapshot().balance).toBe(50);
      h.sync.stop();
    },
  );

  it('a newer cached value still wins over older initialData', async () => {
    seed({ balance: 70 }, 1_000);
    const h = createHarness({
      userId: 'a',
      initialData: { balance: 50, receivedAt: Date.now() - 10_000 },
      cache: [localStorageCache()],
    });
    h.sync.start();
    await settleIO();
    expect(h.sync.getSnapshot().balance).toBe(70);
    h.sync.stop();
  });
});

describe('fresh initialData costs no request (README, outside review 6)', () => {
  it('fresh: shown, cached, and nothing fetched at start; past its TTL: fetched', async () => {
    const fresh = createHarness({
      userId: 'u1',
      initialData: { balance: 500, version: 9, receivedAt: Date.now() },
      cache: [memoryCache()],
    });
    fresh.sync.start();
    await settleIO();
    expect(fresh.server.count).toBe(0);
    expect(fresh.sync.getSnapshot()).toMatchObject({
      balance: 500,
      status: 'cached',
      isStale: false,
    });
    fresh.sync.stop();

    const old = createHarness({
      userId: 'u1',
      initialData: { balance: 500, version: 9, receivedAt: Date.now() - 60_000 },
      cache: [memoryCache()],
    });
    old.sync.start();
    await settleIO();
    expect(old.server.count).toBe(1);
    old.sync.stop();
  });

  // A server clock ahead of the browser's: the TTL runs from the browser's now, so the value
  // is not shown fresh (and left unchecked) for the skew on top of the TTL.
  it('a receivedAt in the future counts as now: revalidated one TTL later', async () => {
    const skewed = createHarness({
      userId: 'u1',
      ttlMs: 30_000,
      initialData: { balance: 500, version: 9, receivedAt: Date.now() + 600_000 },
      cache: [memoryCache()],
    });
    skewed.sync.start();
    await settleIO();
    expect(skewed.server.count).toBe(0);
    expect(skewed.sync.getSnapshot()).toMatchObject({
      balance: 500,
      isStale: false,
      expiresAt: Date.now() + 30_000,
    });
    await skewed.advance(31_000);
    expect(skewed.server.count).toBe(1);
    skewed.sync.stop();
  });
});
