// @vitest-environment node
// Real sockets: a `ws` server on 127.0.0.1 and the `ws` client through rxjs/webSocket.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { DemoServer } from '../../demo/server/server.js';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { type WebSocketSourceOptions, websocketSource } from '../../src/sources/websocket.js';
import type { BalanceSync } from '../../src/types.js';
import { admin, debit, socketUrl, startTestDemoServer } from '../helpers/demo-server.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { isType, type RecordedSource, recordSource } from '../helpers/source-recorder.js';
import { watchTimers } from '../helpers/timer-watch.js';
import { TestSocketServer, waitFor } from '../helpers/ws-server.js';

const servers: TestSocketServer[] = [];
const syncs: BalanceSync[] = [];

afterEach(async () => {
  for (const sync of syncs.splice(0)) sync.stop();
  for (const server of servers.splice(0)) await server.stop();
});

async function setup(source: Partial<WebSocketSourceOptions> = {}, userId: string | null = 'u1') {
  const server = await new TestSocketServer().start();
  servers.push(server);
  const logger = recordingLogger();
  let fetches = 0;
  let balance = 100;
  const sync = createBalanceSync({
    fetchBalance: async () => {
      fetches++;
      return { balance, version: fetches };
    },
    userId,
    cache: [memoryCache()],
    logger,
    // Catch-ups wait for the dedupe window of the request before them: keep it short here.
    dedupeMs: 50,
    sources: [
      websocketSource({
        url: (user) => server.url(`/balance/${user}`),
        WebSocketCtor: WebSocket,
        reconnect: { baseMs: 40, maxMs: 200, healthyMs: 1_000 },
        random: () => 1,
        ...source,
      }),
    ],
  });
  syncs.push(sync);
  return {
    server,
    sync,
    logger,
    fetches: () => fetches,
    setServerBalance: (value: number) => {
      balance = value;
    },
  };
}

const reconnectDelays = (logger: ReturnType<typeof recordingLogger>) =>
  logger.lines.filter((l) => l.message === 'socket reconnecting').map((l) => l.details?.delayMs);

describe('websocketSource (real ws server on 127.0.0.1)', () => {
  it('connects, catches up once, and shows a push at once', async () => {
    const { server, sync, fetches } = await setup();
    sync.start();
    await waitFor(() => server.open().length === 1 && fetches() === 2);
    expect(server.connections[0]?.path).toBe('/balance/u1');
    expect(sync.actor.getSnapshot().matches({ running: { socket: 'live' } })).toBe(true);
    server.send({ type: 'token-balance-updated', userId: 'u1', balance: 77, version: 50 });
    await waitFor(() => sync.getSnapshot().balance === 77);
    expect(sync.getSnapshot()).toMatchObject({ source: 'socket', version: 50 });
  });

  it('ignores malformed frames and keeps the stream alive', async () => {
    const { server, sync, logger } = await setup();
    sync.start();
    await waitFor(() => server.open().length === 1);
    server.send('not json');
    server.send({ type: 'token-balance-updated', userId: 'u1', balance: 'NaN', version: 60 });
    server.send({ type: 'something-else', userId: 'u1' });
    server.send({ type: 'token-balance-updated', userId: 'u2', balance: 5, version: 61 });
    server.send({ type: 'token-balance-updated', userId: 'u1', balance: 12, version: 62 });
    await waitFor(() => sync.getSnapshot().balance === 12);
    const messages = logger.messages();
    expect(messages).toContain('rejected socket frame: not JSON');
    expect(messages).toContain('rejected SOCKET.BALANCE_UPDATED: balance is not a finite number');
    expect(messages).toContain('rejected SOCKET.BALANCE_UPDATED: message for another user');
    expect(sync.metrics().rejected).toBe(2);
  });

  it('a change notice without a balance triggers a fetch', async () => {
    const { server, sync, fetches, setServerBalance } = await setup();
    sync.start();
    await waitFor(() => server.open().length === 1 && fetches() === 2);
    setServerBalance(55);
    server.send({ type: 'token-balance-updated', userId: 'u1' });
    await waitFor(() => sync.getSnapshot().balance === 55);
    expect(fetches()).toBe(3);
  });

  it('reconnects after a drop with growing delays, resets them once connected, and catches up', async () => {
    const { server, sync, logger, fetches } = await setup();
    sync.start();
    await waitFor(() => server.open().length === 1 && fetches() === 2);
    const port = server.port;
    await server.stop(); // drop + refuse: every attempt fails
    await waitFor(
      () => sync.actor.getSnapshot().matches({ running: { socket: 'offline' } }) === true,
    );
    await waitFor(() => reconnectDelays(logger).length >= 4);
    // Capped at maxMs (200), and after three quick reconnects at least 1 s apart (no storm).
    expect(reconnectDelays(logger).slice(0, 4)).toEqual([40, 80, 160, 1_000]);
    await server.start(port);
    await waitFor(() => server.open().length === 1 && fetches() === 3, 5_000);
    // Up for healthyMs (1 s): a healthy connection, whose drop starts the backoff afresh.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = reconnectDelays(logger).length;
    server.killAll();
    await waitFor(() => reconnectDelays(logger).length > before);
    expect(reconnectDelays(logger)[before]).toBe(40); // a healthy connection reset the backoff
    await waitFor(() => server.open().length === 1 && fetches() === 4);
  });

  it('reconnects when the heartbeat stops', async () => {
    const { server, sync } = await setup({ heartbeatMs: 150 });
    sync.start();
    await waitFor(() => server.connections.length >= 2, 2_000);
    expect(server.connections.length).toBeGreaterThanOrEqual(2);
  });

  it('follows the signed-in user and closes when signed out', async () => {
    const { server, sync } = await setup();
    sync.start();
    await waitFor(() => server.open().length === 1);
    sync.setUser('u2');
    await waitFor(() => server.open().length === 1 && server.connections.length === 2);
    expect(server.connections.map((c) => c.path)).toEqual(['/balance/u1', '/balance/u2']);
    sync.setUser(null);
    await waitFor(() => server.open().length === 0);
    expect(sync.actor.getSnapshot().matches({ running: { socket: 'offline' } })).toBe(true);
  });

  it('stop() closes the socket and leaves no handle open', async () => {
    const { server, sync } = await setup();
    sync.start();
    await waitFor(() => server.open().length === 1);
    sync.stop();
    await waitFor(() => server.open().length === 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.connections).toHaveLength(1); // no reconnect after stop
  });
});

describe('websocketSource hello option (real reference server)', () => {
  const demos: DemoServer[] = [];
  const recorded: RecordedSource[] = [];
  afterEach(async () => {
    for (const source of recorded.splice(0)) source.subscription.unsubscribe();
    for (const server of demos.splice(0)) await server.close();
  });
  async function demo(hello: boolean, heartbeatMs?: number) {
    const server = await startTestDemoServer(heartbeatMs === undefined ? {} : { heartbeatMs });
    demos.push(server);
    await admin(server, 'faults', { hello });
    return server;
  }
  function record(server: DemoServer, options: Partial<WebSocketSourceOptions> = {}) {
    const source = recordSource(
      websocketSource({
        url: (user) => socketUrl(server, user),
        WebSocketCtor: WebSocket,
        reconnect: { baseMs: 40, maxMs: 200 },
        random: () => 1,
        ...options,
      }),
    );
    recorded.push(source);
    return source;
  }
  const connected = isType('SOCKET.CONNECTED');

  it('hello on: the server hello is the connection event, alone; pushes follow', async () => {
    const server = await demo(true);
    const source = record(server, { hello: true });
    await source.until(connected);
    await debit(server, 'alice', 10);
    await source.until(isType('SOCKET.BALANCE_UPDATED'));
    expect(source.events).toEqual([
      {
        type: 'SOCKET.CONNECTED',
        hello: {
          userId: 'alice',
          balance: 1000,
          version: 1,
          epoch: expect.any(String),
          updatedAt: new Date(0).toISOString(),
        },
      },
      expect.objectContaining({ type: 'SOCKET.BALANCE_UPDATED', balance: 990, version: 2 }),
    ]);
  });

  it('hello on, no hello from the server: the first push ends the wait (plain connect, then it)', async () => {
    const server = await demo(false);
    const source = record(server, { hello: { timeoutMs: 5_000 } });
    await waitFor(() => server.connections().websocket === 1);
    expect(source.events).toEqual([]);
    await debit(server, 'alice', 10);
    await source.until(connected);
    expect(source.types()).toEqual(['CONNECTED', 'BALANCE_UPDATED']);
  });

  it('hello on, the server sends nothing (pings do not count): a plain connect after timeoutMs', async () => {
    const server = await demo(false, 40);
    const started = Date.now();
    const source = record(server, { hello: { timeoutMs: 300 } });
    await waitFor(() => server.connections().websocket === 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(source.events).toEqual([]);
    await source.until(connected);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(source.events).toEqual([{ type: 'SOCKET.CONNECTED' }]);
  });

  it('hello off (the default): a plain connect on open, then the hello as its own event', async () => {
    const server = await demo(true);
    const source = record(server);
    await source.until(connected, 2);
    expect(source.events[0]).toEqual({ type: 'SOCKET.CONNECTED' });
    expect(source.events[1]).toMatchObject({ type: 'SOCKET.CONNECTED', hello: { version: 1 } });
  });

  it('unsubscribed while waiting for the hello: the socket closes and no timer is left', async () => {
    const server = await demo(false);
    const timers = watchTimers();
    try {
      const source = record(server, { hello: { timeoutMs: 10_007 } });
      await waitFor(() => server.connections().websocket === 1);
      expect(timers.pending(10_007)).toBe(1);
      source.subscription.unsubscribe();
      expect(timers.pending(10_007)).toBe(0);
      await waitFor(() => server.connections().websocket === 0);
      expect(source.events).toEqual([]);
    } finally {
      timers.restore();
    }
  });
});
