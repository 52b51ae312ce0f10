/**
 * A full localStorage: a write that fails must not leave the entry it was to replace, or a
 * reload within that entry's TTL shows the older balance as fresh (invariant 3, and the wrong
 * number on screen after a reload).
 */
import { afterEach, expect, it, vi } from 'vitest';
import { localStorageCache } from '../../src/cache/local-storage.js';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import type { FetchedPayload } from '../../src/types.js';
import { settleIO, useFakeClock } from '../helpers/harness.js';
import { recordingLogger } from '../helpers/recording-logger.js';

afterEach(() => {
  vi.useRealTimers();
});

const key = 'tokenBalanceCache_u1';

/** A storage that takes one write, then is full: every later `setItem` throws. */
function fillingStorage() {
  const store = new Map<string, string>();
  let writes = 0;
  const storage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, value: string) => {
      writes++;
      if (writes > 1) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      store.set(k, value);
    },
    removeItem: (k: string) => void store.delete(k),
  };
  return { store, storage };
}

/** A page load: its own sync and memory, on the storage every load shares; requests wait. */
function pageLoad(storage: ReturnType<typeof fillingStorage>['storage']) {
  const answers: ((payload: FetchedPayload) => void)[] = [];
  const logger = recordingLogger();
  const sync = createBalanceSync({
    fetchBalance: () => new Promise<FetchedPayload>((resolve) => answers.push(resolve)),
    userId: 'u1',
    cache: [memoryCache(), localStorageCache({ storage: () => storage })],
    logger,
  });
  return { sync, logger, answers };
}

it('a failed write removes the older entry: a reload within its TTL does not show it', async () => {
  useFakeClock();
  const { store, storage } = fillingStorage();
  const before = pageLoad(storage);
  before.sync.start();
  await settleIO();
  before.answers[0]?.({ balance: 5, version: 1 });
  await settleIO();
  expect(before.sync.getSnapshot()).toMatchObject({ balance: 5, version: 1 });
  expect(store.has(key)).toBe(true); // the one write the storage took

  // A debit elsewhere, pushed; the storage is full by now.
  before.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 4, version: 2 });
  await settleIO();
  expect(before.sync.getSnapshot()).toMatchObject({ balance: 4, version: 2 });
  expect(store.has(key)).toBe(false);
  expect(before.logger.lines).toContainEqual(
    expect.objectContaining({
      level: 'warn',
      message: 'cache write failed (localStorage)',
      details: { error: 'QuotaExceededError: The quota has been exceeded.' },
    }),
  );
  expect(before.sync.metrics().layers.localStorage?.errors).toBe(1);
  before.sync.stop();

  // The reload, 10 s later (within the 30 s TTL of the balance 5), before its request answers.
  await vi.advanceTimersByTimeAsync(10_000);
  const reload = pageLoad(storage);
  expect(reload.sync.getSnapshot().balance).toBeNull();
  reload.sync.start();
  await settleIO();
  const shown = reload.sync.getSnapshot();
  expect(shown.balance).toBeNull(); // not 5, the balance before the debit
  expect(reload.answers).toHaveLength(1); // a miss: it asks the server
  reload.answers[0]?.({ balance: 4, version: 2 });
  await settleIO();
  expect(reload.sync.getSnapshot()).toMatchObject({ balance: 4, version: 2 });
  reload.sync.stop();
});

it('a failed removal after a failed write is reported with both reasons', () => {
  const layer = localStorageCache({
    storage: () => ({
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('storage gone');
      },
    }),
  });
  const entry = { data: { balance: 4, userId: 'u1', version: 2 }, timestamp: 1, expiresAt: 2 };
  expect(() => layer.write('u1', entry, { keyPrefix: 'tokenBalanceCache' })).toThrow(
    'QuotaExceededError: full; the older entry could not be removed either (Error: storage gone)',
  );
});
