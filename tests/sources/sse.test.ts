// @vitest-environment node
/**
 * sseSource against the real reference server on 127.0.0.1, with the fetch transport (Node has
 * no EventSource; the EventSource transport runs in Chromium: tests/browser/sse.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoServer } from '../../demo/server/server.js';
import type { BalanceEvent } from '../../machines/events.js';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { type SseSourceOptions, sseSource } from '../../src/sources/sse.js';
import type { BalanceSync } from '../../src/types.js';
import {
  admin,
  debit,
  getBalance,
  startTestDemoServer,
  streamUrl,
} from '../helpers/demo-server.js';
import { isType, type RecordedSource, recordSource } from '../helpers/source-recorder.js';
import { watchTimers } from '../helpers/timer-watch.js';
import { waitFor } from '../helpers/ws-server.js';

const servers: DemoServer[] = [];
const recorded: RecordedSource[] = [];
const syncs: BalanceSync[] = [];
afterEach(async () => {
  for (const sync of syncs.splice(0)) sync.stop();
  for (const source of recorded.splice(0)) source.subscription.unsubscribe();
  for (const server of servers.splice(0)) await server.close();
});

async function serve(options: Parameters<typeof startTestDemoServer>[0] = {}) {
  const server = await startTestDemoServer(options);
  servers.push(server);
  return server;
}

function record(server: DemoServer, options: Partial<SseSourceOptions> = {}, user = 'alice') {
  const source = recordSource(
    sseSource({
      url: (userId) => streamUrl(server, userId),
      transport: 'fetch',
      reconnect: { baseMs: 40, maxMs: 200, healthyMs: 1_000 },
      random: () => 1,
      ...options,
    }),
    user,
  );
  recorded.push(source);
  return source;
}

const connected = isType('SOCKET.CONNECTED');
const disconnected = isType('SOCKET.DISCONNECTED');
const updated = isType('SOCKET.BALANCE_UPDATED');
const eventsSince = (events: BalanceEvent[], index: number) => events.slice(index);
const epochOf = async (server: DemoServer) =>
  ((await (await getBalance(server, 'alice')).json()) as { epoch: string }).epoch;

describe('sseSource (fetch transport, real reference server)', () => {
  it('a debit arrives as SOCKET.BALANCE_UPDATED with version and epoch', async () => {
    const server = await serve();
    const source = record(server);
    await source.until(connected);
    await debit(server, 'alice', 10);
    await source.until(updated);
    expect(source.events.find(updated)).toEqual({
      type: 'SOCKET.BALANCE_UPDATED',
      userId: 'alice',
      balance: 990,
      version: 2,
      epoch: await epochOf(server),
      updatedAt: expect.any(String),
    });
    expect(source.logger.messages()).toContain('stream connected');
  });

  it('hello on: the hello is the connection event, alone', async () => {
    const server = await serve();
    const source = record(server, { hello: true });
    await source.until(connected);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(source.events).toEqual([
      {
        type: 'SOCKET.CONNECTED',
        hello: {
          userId: 'alice',
          balance: 1000,
          version: 1,
          epoch: await epochOf(server),
          updatedAt: new Date(0).toISOString(),
        },
      },
    ]);
  });

  it('hello off: a plain connect on open, then the hello as its own connection event', async () => {
    const server = await serve();
    const source = record(server);
    await source.until(connected, 2);
    expect(source.events[0]).toEqual({ type: 'SOCKET.CONNECTED' });
    expect(source.events[1]).toMatchObject({ type: 'SOCKET.CONNECTED', hello: { version: 1 } });
  });

  it('hello on, but the server sends none: a plain connect after timeoutMs', async () => {
    const server = await serve();
    await admin(server, 'faults', { hello: false });
    const started = Date.now();
    const source = record(server, { hello: { timeoutMs: 250 } });
    await waitFor(() => server.connections().sse === 1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(source.events).toEqual([]); // still waiting
    await source.until(connected);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(source.events).toEqual([{ type: 'SOCKET.CONNECTED' }]);
  });

  it.each([true, false])(
    'resume after a server-side drop replays the missed events, then CONNECTED resumed (hello option %s)',
    async (hello) => {
      const server = await serve();
      const source = record(server, { hello, reconnect: { baseMs: 400, maxMs: 400 } });
      await source.until(connected, hello ? 1 : 2); // with the server's hello either way
      await debit(server, 'alice', 1);
      await source.until(updated);
      await admin(server, 'drop-sockets');
      await source.until(disconnected);
      const mark = source.events.length;
      // Two debits while the client waits out its backoff (400 ms).
      await debit(server, 'alice', 2);
      await debit(server, 'alice', 3);
      await source.until(connected, hello ? 2 : 3);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(eventsSince(source.events, mark)).toEqual([
        expect.objectContaining({ type: 'SOCKET.BALANCE_UPDATED', version: 3, balance: 997 }),
        expect.objectContaining({ type: 'SOCKET.BALANCE_UPDATED', version: 4, balance: 994 }),
        { type: 'SOCKET.CONNECTED', resumed: true, userId: 'alice' },
      ]);
    },
  );

  it('a resume the server cannot honour (forgotten events, no hello): a plain connect, so the core catches up', async () => {
    const server = await serve();
    const source = record(server, {
      hello: { timeoutMs: 200 },
      reconnect: { baseMs: 300, maxMs: 300 },
    });
    await source.until(connected);
    await debit(server, 'alice', 1);
    await source.until(updated);
    await admin(server, 'faults', { hello: false });
    await admin(server, 'drop-sockets');
    await source.until(disconnected);
    const mark = source.events.length;
    await debit(server, 'alice', 2);
    await admin(server, 'forget-events');
    await source.until(connected, 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(eventsSince(source.events, mark)).toEqual([{ type: 'SOCKET.CONNECTED' }]);
  });

  it('a resume the server cannot honour, with its hello on: the hello is the connection event', async () => {
    const server = await serve();
    const source = record(server, { hello: true, reconnect: { baseMs: 300, maxMs: 300 } });
    await source.until(connected);
    await debit(server, 'alice', 1);
    await source.until(updated);
    await admin(server, 'drop-sockets');
    await source.until(disconnected);
    const mark = source.events.length;
    await debit(server, 'alice', 2);
    await admin(server, 'forget-events');
    await source.until(connected, 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(eventsSince(source.events, mark)).toEqual([
      { type: 'SOCKET.CONNECTED', hello: expect.objectContaining({ version: 3, balance: 997 }) },
    ]);
  });

  it('backoff grows while the server is down and resets after a successful connection', async () => {
    const first = await serve();
    const { port } = first;
    const source = record(first);
    await source.until(connected);
    await first.close();
    servers.splice(0);
    await source.until(disconnected);
    await waitFor(() => source.delays().length >= 4);
    // Capped at maxMs (200), and after three quick reconnects at least 1 s apart (no storm).
    expect(source.delays().slice(0, 4)).toEqual([40, 80, 160, 1_000]);
    const second = await serve({ port });
    await waitFor(() => second.connections().sse === 1, 5_000);
    await source.until(connected, 2);
    // Up for healthyMs (1 s): a healthy connection, whose drop starts the backoff afresh.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = source.delays().length;
    await admin(second, 'drop-sockets');
    await waitFor(() => source.delays().length > before);
    expect(source.delays()[before]).toBe(40); // a healthy connection reset the backoff
    await waitFor(() => second.connections().sse === 1);
  });

  it('follows the user: a switch drops the old stream and opens one for the new user; sign-out closes it', async () => {
    const server = await serve();
    const source = record(server);
    await source.until(connected);
    await waitFor(() => server.connections().users.alice?.sse === 1);
    source.user$.next('bob');
    await source.until(disconnected);
    await waitFor(() => server.connections().users.bob?.sse === 1);
    expect(server.connections()).toEqual({
      users: { bob: { websocket: 0, sse: 1 } },
      websocket: 0,
      sse: 1,
    });
    await source.until(connected, 3); // alice's plain + hello, bob's plain
    await debit(server, 'bob', 5);
    await source.until(updated);
    expect(source.events.find(updated)).toMatchObject({ userId: 'bob', balance: 245 });
    source.user$.next(null);
    await source.until(disconnected, 2);
    await waitFor(() => server.connections().sse === 0);
  });

  it('unsubscribe ends the stream and leaves no timer behind', async () => {
    const server = await serve();
    // Waiting for a hello that never comes, with a heartbeat: two timers pending at unsubscribe.
    await admin(server, 'faults', { hello: false });
    const timers = watchTimers();
    try {
      const source = record(server, { hello: { timeoutMs: 10_007 }, heartbeatMs: 10_009 });
      await waitFor(() => server.connections().sse === 1);
      expect([timers.pending(10_007), timers.pending(10_009)]).toEqual([1, 1]);
      source.subscription.unsubscribe();
      expect([timers.pending(10_007), timers.pending(10_009)]).toEqual([0, 0]);
      await waitFor(() => server.connections().sse === 0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.connections().sse).toBe(0); // no reconnect after unsubscribe
      expect(source.events).toEqual([]);
    } finally {
      timers.restore();
    }
  });

  it('heartbeat: `: ping` comments keep the stream; silence reconnects it', async () => {
    const pinging = await serve({ heartbeatMs: 40 });
    const kept = record(pinging, { heartbeatMs: 200 });
    await kept.until(connected);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(kept.delays()).toEqual([]);
    const silent = await serve({ heartbeatMs: 60_000 });
    await admin(silent, 'faults', { hello: false });
    const dropped = record(silent, { heartbeatMs: 150 });
    await dropped.until(disconnected, 1, 2_000);
    await waitFor(() => dropped.delays().length >= 1);
  });

  it('through a sync: the pushed balance is shown', async () => {
    const server = await serve();
    const sync = createBalanceSync({
      fetchBalance: async ({ userId }) => (await getBalance(server, userId)).json(),
      userId: 'alice',
      cache: [memoryCache()],
      logger: false,
      sources: [sseSource({ url: (userId) => streamUrl(server, userId), transport: 'fetch' })],
    });
    syncs.push(sync);
    sync.start();
    await waitFor(() => sync.getSnapshot().balance === 1000 && server.connections().sse === 1);
    // Let the catch-up request of the connection land first: this is about the push.
    await new Promise((resolve) => setTimeout(resolve, 150));
    await waitFor(() => !sync.getSnapshot().isFetching);
    await debit(server, 'alice', 25);
    await waitFor(() => sync.getSnapshot().balance === 975);
    expect(sync.getSnapshot()).toMatchObject({ source: 'socket', version: 2 });
    sync.stop();
    await waitFor(() => server.connections().sse === 0);
  });

  it('without EventSource (SSR, Node) and no fetch transport asked for, it stays silent', () => {
    const source = recordSource(sseSource({ url: '/api/balance/stream' }));
    expect(source.events).toEqual([]);
    expect(source.subscription.closed).toBe(true);
    expect(source.logger.messages()).toContain('no EventSource: no push stream');
  });
});
