// @vitest-environment node
/**
 * A handshake that never completes (a server, proxy or network that accepts the TCP connection
 * and never answers) must not leave the sync without pushes for the rest of the session: the
 * attempt is given up after `connectTimeoutMs` and the backoff reconnects. Real sockets: an http
 * server on 127.0.0.1 that stalls the WebSocket upgrade or the event-stream response until told
 * to answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { sseSource } from '../../src/sources/sse.js';
import type { BalanceSource } from '../../src/sources/types.js';
import { websocketSource } from '../../src/sources/websocket.js';
import type { BalanceSync } from '../../src/types.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { waitFor } from '../helpers/ws-server.js';

const hello = { type: 'token-balance-hello', userId: 'u1', balance: 90, version: 2 };

/** Answers nothing while `stalled`: upgrades and stream requests are left hanging. */
async function stallingServer() {
  let stalled = true;
  const attempts: number[] = [];
  const hanging = new Set<Socket>();
  const all = new Set<Socket>();
  /** The client's end of a connection closed (FIN or reset): an upgrade socket stays half-open. */
  const track = (socket: Socket) => {
    all.add(socket);
    hanging.add(socket);
    const gone = () => hanging.delete(socket);
    socket.once('end', gone);
    socket.once('close', gone);
  };
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (socket) => socket.send(JSON.stringify(hello)));
  const http = createServer((request: IncomingMessage, response: ServerResponse) => {
    attempts.push(Date.now());
    track(request.socket);
    if (stalled) return;
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(`event: token-balance-hello\ndata: ${JSON.stringify(hello)}\n\n`);
  });
  http.on('upgrade', (request, socket, head) => {
    attempts.push(Date.now());
    track(socket as Socket);
    if (stalled) return;
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    attempts,
    url: (scheme: 'ws' | 'http') => `${scheme}://127.0.0.1:${port}/balance`,
    answer: () => {
      stalled = false;
    },
    /** Open TCP connections to it: a given-up attempt is closed, not left hanging. */
    open: () => hanging.size,
    close: async () => {
      for (const socket of all) socket.destroy();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function setup(source: (url: (scheme: 'ws' | 'http') => string) => BalanceSource) {
  const server = await stallingServer();
  closers.push(server.close);
  const logger = recordingLogger();
  const sync: BalanceSync = createBalanceSync({
    fetchBalance: async () => ({ balance: 100, version: 1 }),
    userId: 'u1',
    cache: [memoryCache()],
    logger,
    sources: [source(server.url)],
  });
  closers.push(() => sync.stop());
  sync.start();
  return { server, sync, logger };
}

const live = (sync: BalanceSync) =>
  sync.actor.getSnapshot().matches({ running: { socket: 'live' } });
const reconnect = { baseMs: 40, maxMs: 100, healthyMs: 1_000 };

describe.each([
  [
    'websocketSource',
    (url: (scheme: 'ws' | 'http') => string) =>
      websocketSource({
        url: url('ws'),
        WebSocketCtor: WebSocket,
        hello: true,
        connectTimeoutMs: 300,
        reconnect,
        random: () => 1,
      }),
  ],
  [
    'sseSource (fetch transport)',
    (url: (scheme: 'ws' | 'http') => string) =>
      sseSource({
        url: url('http'),
        transport: 'fetch',
        hello: true,
        connectTimeoutMs: 300,
        reconnect,
        random: () => 1,
      }),
  ],
])('%s: a handshake that never completes', (_, source) => {
  it('is given up after connectTimeoutMs, logged, retried with the backoff; it connects once the server answers', async () => {
    const { server, sync, logger } = await setup(source);
    await waitFor(() => server.attempts.length >= 3, 5_000);
    expect(live(sync)).toBe(false);
    // Each given-up attempt is closed: the stalled connections do not pile up.
    await waitFor(() => server.open() <= 1);
    const retries = logger.lines.filter((line) => line.message.endsWith('reconnecting'));
    expect(String(retries[0]?.details?.error)).toContain('not open within 300 ms');
    server.answer();
    await waitFor(() => live(sync) && sync.getSnapshot().balance === 90, 5_000);
  });
});

describe('connectTimeoutMs', () => {
  it('0 turns it off: the one attempt waits', async () => {
    const { server, sync } = await setup((url) =>
      websocketSource({ url: url('ws'), WebSocketCtor: WebSocket, connectTimeoutMs: 0, reconnect }),
    );
    await waitFor(() => server.attempts.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(server.attempts).toHaveLength(1);
    expect(live(sync)).toBe(false);
  });

  it('a value that cannot work throws at creation, naming the option', () => {
    for (const connectTimeoutMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, 1e12]) {
      expect(() => websocketSource({ url: 'ws://x', connectTimeoutMs })).toThrow(
        /websocketSource connectTimeoutMs/,
      );
    }
  });
});
