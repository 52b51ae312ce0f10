import { vi } from 'vitest';
import { indexedDbCache } from '../../src/cache/indexed-db.js';
import { localStorageCache } from '../../src/cache/local-storage.js';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import type { BalanceState, BalanceSync, BalanceSyncOptions } from '../../src/types.js';
import { FakeServer, flush } from './fake-server.js';
import { recordingLogger } from './recording-logger.js';

/** Timers and Date are faked; microtasks and IndexedDB's own scheduling are not. */
export function useFakeClock(start = Date.UTC(2026, 10, 24, 12)): void {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    now: start,
  });
}

export interface Harness {
  sync: BalanceSync;
  server: FakeServer;
  logger: ReturnType<typeof recordingLogger>;
  layers: ReturnType<typeof defaultTestLayers>;
  /** Every state any subscriber was ever shown, in order. */
  seen: BalanceState[];
  advance(ms: number): Promise<void>;
}

export function defaultTestLayers() {
  return {
    memory: memoryCache(),
    localStorage: localStorageCache(),
    indexedDB: indexedDbCache({ dbName: `test-${Math.random()}` }),
  };
}

export function createHarness(options: Partial<BalanceSyncOptions> = {}): Harness {
  const server = new FakeServer();
  const logger = recordingLogger();
  const layers = defaultTestLayers();
  const sync = createBalanceSync({
    fetchBalance: server.fetchBalance,
    cache: [layers.memory, layers.localStorage, layers.indexedDB],
    logger,
    ...options,
  });
  const seen: BalanceState[] = [];
  sync.subscribe((state) => seen.push(state));
  return {
    sync,
    server,
    logger,
    layers,
    seen,
    advance: async (ms) => {
      await vi.advanceTimersByTimeAsync(ms);
      await flush();
    },
  };
}

/** Starts the sync for `userId` and lets the first request answer. */
export async function startSettled(harness: Harness, userId = 'u1'): Promise<void> {
  harness.sync.setUser(userId);
  harness.sync.start();
  await settleIO();
  harness.server.respondNext();
  await settleIO();
}

/** IndexedDB (fake-indexeddb) settles on macrotasks of its own, outside the fake clock. */
export async function settleIO(): Promise<void> {
  for (let i = 0; i < 25; i++) {
    await flush();
    await new Promise<void>((resolve) => {
      // Real setImmediate: the fake clock does not own it.
      setImmediate(resolve);
    });
  }
  await flush();
}
