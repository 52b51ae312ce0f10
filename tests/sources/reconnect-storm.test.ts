// @vitest-environment node
/**
 * A server that accepts every connection and closes it at once: each open used to reset the
 * backoff, so reconnects came as fast as the handshake (about 470 in 2 s with `baseMs: 0`).
 * Only a connection that stayed up `healthyMs` resets the backoff now.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createBalanceSync, memoryCache, websocketSource } from '../../src/index.js';
import type { BalanceSync } from '../../src/types.js';
import { TestSocketServer } from '../helpers/ws-server.js';

const servers: TestSocketServer[] = [];
const syncs: BalanceSync[] = [];
afterEach(async () => {
  for (const sync of syncs.splice(0)) sync.stop();
  for (const server of servers.splice(0)) await server.stop();
});

/** A server that accepts every connection and closes it at once. */
async function closingServer(): Promise<TestSocketServer> {
  const server = await new TestSocketServer((socket) => socket.close(4001, 'not allowed')).start();
  servers.push(server);
  return server;
}

function run(url: string, reconnect: { baseMs: number; maxMs: number }): BalanceSync {
  const sync = createBalanceSync({
    fetchBalance: async () => ({ balance: 1 }),
    userId: 'u1',
    cache: [memoryCache()],
    logger: false,
    sources: [websocketSource({ url, WebSocketCtor: WebSocket, reconnect, random: () => 1 })],
  });
  syncs.push(sync);
  sync.start();
  return sync;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a server that accepts and closes at once', () => {
  it('is reconnected to with a growing backoff, not at every open', async () => {
    const server = await closingServer();
    run(server.url(), { baseMs: 100, maxMs: 30_000 });
    await wait(3_000);
    // 100, 200, 400, 800, 1_600 ms (plus handshakes): six connections at most in 3 s.
    expect(server.connections.length).toBeGreaterThanOrEqual(4);
    expect(server.connections.length).toBeLessThanOrEqual(6);
  });

  it('with no backoff at all: three quick reconnects, then one a second', async () => {
    const server = await closingServer();
    run(server.url(), { baseMs: 0, maxMs: 0 });
    await wait(2_000);
    expect(server.connections.length).toBeLessThanOrEqual(1 + 3 + 2);
  });
});
