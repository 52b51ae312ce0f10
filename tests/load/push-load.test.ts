// @vitest-environment node
/**
 * Load: 1,000 pushes per second for 10 s through a real `ws` server into one client. The
 * snapshot only ever moves to higher versions, the last value is never lost, memory stays
 * bounded (the sync keeps no history of pushes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { websocketSource } from '../../src/sources/websocket.js';
import type { BalanceSync } from '../../src/types.js';
import { TestSocketServer, waitFor } from '../helpers/ws-server.js';

const PER_SECOND = 1_000;
const SECONDS = 10;

let server: TestSocketServer;
let sync: BalanceSync;
afterEach(async () => {
  sync?.stop();
  await server?.stop();
});

describe('push load', () => {
  it(`${PER_SECOND} pushes/s for ${SECONDS} s: highest version always, nothing dropped, bounded memory`, async () => {
    server = await new TestSocketServer().start();
    let version = 0;
    sync = createBalanceSync({
      // A consistent server: a read returns the newest value it has pushed.
      fetchBalance: async () => ({ balance: 1_000_000 - version, version }),
      userId: 'u1',
      cache: [memoryCache()],
      logger: false,
      sources: [websocketSource({ url: server.url('/'), WebSocketCtor: WebSocket })],
    });
    let shownVersion = 0;
    let regressions = 0;
    let states = 0;
    sync.subscribe((state) => {
      states++;
      if (state.version !== null && state.version < shownVersion) regressions++;
      shownVersion = Math.max(shownVersion, state.version ?? 0);
    });
    sync.start();
    await waitFor(() => server.open().length === 1 && sync.getSnapshot().status === 'cached');
    const heapBefore = process.memoryUsage().heapUsed;
    const total = PER_SECOND * SECONDS;
    const started = Date.now();
    await new Promise<void>((resolve) => {
      // 10 frames every 10 ms, some duplicated and some out of order, as a busy server would.
      const timer = setInterval(() => {
        for (let i = 0; i < PER_SECOND / 100 && version < total; i++) {
          version++;
          server.send({
            type: 'token-balance-updated',
            userId: 'u1',
            balance: 1_000_000 - version,
            version,
          });
          if (version % 97 === 0)
            server.send({
              type: 'token-balance-updated',
              userId: 'u1',
              balance: 1,
              version: version - 50,
            });
        }
        if (version >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    await waitFor(() => sync.getSnapshot().version === total, 10_000);
    const seconds = (Date.now() - started) / 1000;
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1_048_576;
    console.info(
      `load: ${total} pushes in ${seconds.toFixed(1)} s, ${states} states shown, heap growth ${heapGrowthMb.toFixed(1)} MB, ` +
        `discarded (older) ${sync.metrics().discarded}`,
    );
    expect(regressions).toBe(0);
    expect(sync.getSnapshot()).toMatchObject({
      version: total,
      balance: 1_000_000 - total,
      source: 'socket',
    });
    // Every older push is discarded (and so are revalidations that newer pushes overtook).
    expect(sync.metrics().discarded).toBeGreaterThanOrEqual(Math.floor(total / 97));
    expect(heapGrowthMb).toBeLessThan(64);
  }, 60_000);
});
