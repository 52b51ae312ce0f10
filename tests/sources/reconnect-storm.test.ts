// @vitest-environment node
/**
 * A server that accepts every connection and closes it at once: each open used to reset the
 * backoff, so reconnects came as fast as the handshake (about 470 in 2 s with `baseMs: 0`).
 * Only a connection that stayed up `healthyMs` resets the backoff now.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createBalanceSync, memoryCache, websocketSource } from '../../src/index.js';
import type { BalanceSync } from '../../src/types.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function closingServer() {
  const wss = await new Promise<WebSocketServer>((resolve) => {
    const created: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () =>
      resolve(created),
    );
  });
  let connections = 0;
  wss.on('connection', (socket) => {
    connections++;
    socket.close(4001, 'not allowed');
  });
  cleanups.push(() => wss.close());
  return {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
    connections: () => connections,
  };
}

function run(url: string, reconnect: { baseMs: number; maxMs: number }): BalanceSync {
  const sync = createBalanceSync({
    fetchBalance: async () => ({ balance: 1 }),
    userId: 'u1',
    cache: [memoryCache()],
    logger: false,
    sources: [websocketSource({ url, WebSocketCtor: WebSocket, reconnect, random: () => 1 })],
  });
  cleanups.push(() => sync.stop());
  sync.start();
  return sync;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a server that accepts and closes at once', () => {
  it('is reconnected to with a growing backoff, not at every open', async () => {
    const server = await closingServer();
    run(server.url, { baseMs: 100, maxMs: 30_000 });
    await wait(3_000);
    // 100, 200, 400, 800, 1_600 ms (plus handshakes): six connections at most in 3 s.
    expect(server.connections()).toBeGreaterThanOrEqual(4);
    expect(server.connections()).toBeLessThanOrEqual(6);
  });

  it('with no backoff at all: three quick reconnects, then one a second', async () => {
    const server = await closingServer();
    run(server.url, { baseMs: 0, maxMs: 0 });
    await wait(2_000);
    expect(server.connections()).toBeLessThanOrEqual(1 + 3 + 2);
  });
});
