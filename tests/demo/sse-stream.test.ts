// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoServer } from '../../demo/server/server.js';
import {
  admin,
  debit,
  listenSocket,
  listenStream,
  type SocketListener,
  type StreamListener,
  startTestDemoServer,
} from '../helpers/demo-server.js';
import { waitFor } from '../helpers/ws-server.js';

let server: DemoServer;
const sockets: SocketListener[] = [];
const streams: StreamListener[] = [];
afterEach(async () => {
  for (const { socket } of sockets.splice(0)) socket.terminate();
  for (const stream of streams.splice(0)) stream.close();
  await server.close();
});

type StreamOptions = Parameters<typeof listenStream>[2];
const stream = async (user: string, options: StreamOptions = {}) => {
  const listener = await listenStream(server, user, options);
  streams.push(listener);
  return listener;
};
const seq = (id: string | undefined) => Number(id?.split('.')[1]);
const kinds = (listener: StreamListener) => listener.events.map((event) => event.event);

/** Alice connected, two debits seen, then the stream dropped and two debits missed. */
async function missedTwo() {
  server = await startTestDemoServer();
  const first = await stream('alice');
  await debit(server, 'alice', 1);
  await debit(server, 'alice', 2);
  await waitFor(() => first.events.length === 3);
  await admin(server, 'drop-sockets');
  await first.ended;
  await debit(server, 'alice', 3);
  await debit(server, 'alice', 4);
  return { lastSeen: first.events[2]?.id ?? 'missing', first };
}

describe('reference server: SSE /api/balance/stream', () => {
  it('is an uncached event stream for a signed-in user only (query token or Bearer)', async () => {
    server = await startTestDemoServer();
    const anonymous = await fetch(`${server.url}/api/balance/stream`);
    expect(anonymous.status).toBe(401);
    const mallory = await fetch(`${server.url}/api/balance/stream?token=mallory-token`);
    expect(mallory.status).toBe(401);
    const viaQuery = await stream('alice');
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.contentType).toMatch(/^text\/event-stream/);
    const response = await fetch(`${server.url}/api/balance/stream?token=bob-token`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    await response.body?.cancel();
    const viaHeader = await stream('bob', { auth: 'header' });
    await waitFor(() => viaHeader.events.length === 1);
    expect(viaHeader.events[0]?.data).toMatchObject({ userId: 'bob' });
  });

  it('a debit is one event with a growing id, on SSE and WebSocket alike, for that user only', async () => {
    server = await startTestDemoServer();
    const alice = await stream('alice');
    const bob = await stream('bob');
    const ws = listenSocket(server, 'alice');
    sockets.push(ws);
    await waitFor(() => server.connections().websocket === 1);
    const answers = [
      await (await debit(server, 'alice', 10)).json(),
      await (await debit(server, 'bob', 1)).json(),
      await (await debit(server, 'alice', 5)).json(),
    ];
    await waitFor(() => alice.events.length === 3 && ws.frames.length === 3);
    const pushes = alice.events.slice(1);
    expect(pushes.map((event) => event.event)).toEqual([
      'token-balance-updated',
      'token-balance-updated',
    ]);
    expect(pushes.map((event) => event.data)).toEqual([
      { type: 'token-balance-updated', userId: 'alice', ...answers[0] },
      { type: 'token-balance-updated', userId: 'alice', ...answers[2] },
    ]);
    // The WebSocket gets the very same JSON.
    expect(ws.frames.slice(1)).toEqual(pushes.map((event) => event.data));
    // Ids: `<run>.<seq>`, seq shared by all users of this run (bob's debit took 2).
    expect(pushes.map((event) => event.id)).toEqual([
      expect.stringMatching(/^[0-9a-f]{8}\.1$/),
      expect.stringMatching(/^[0-9a-f]{8}\.3$/),
    ]);
    await waitFor(() => bob.events.length === 2);
    expect(seq(bob.events[1]?.id)).toBe(2);
  });

  it('sends a `: ping` comment every heartbeat', async () => {
    server = await startTestDemoServer({ heartbeatMs: 30 });
    const alice = await stream('alice');
    await waitFor(() => alice.comments.length >= 2);
    expect(alice.comments.slice(0, 2)).toEqual(['ping', 'ping']);
  });

  it('resume (Last-Event-ID header): replays the missed events, then `resumed`, no hello', async () => {
    const { lastSeen, first } = await missedTwo();
    const resumed = await stream('alice', { lastEventId: lastSeen });
    await waitFor(() => resumed.events.length === 3);
    expect(kinds(resumed)).toEqual([
      'token-balance-updated',
      'token-balance-updated',
      'token-balance-resumed',
    ]);
    expect(resumed.events.map((event) => seq(event.id))).toEqual([
      seq(lastSeen) + 1,
      seq(lastSeen) + 2,
      Number.NaN, // the marker has no id
    ]);
    expect(resumed.events.map((event) => event.data.version)).toEqual([4, 5, undefined]);
    expect(resumed.events[2]?.data).toEqual({ userId: 'alice' });
    // Live pushes go on after the replay.
    await debit(server, 'alice', 1);
    await waitFor(() => resumed.events.length === 4);
    expect(resumed.events[3]).toMatchObject({
      event: 'token-balance-updated',
      data: { version: 6 },
    });
    expect(first.events).toHaveLength(3);
  });

  it('resume (lastEventId query, as a browser EventSource sends it) from the newest id: nothing to replay', async () => {
    const { first } = await missedTwo();
    const catchUp = await stream('alice', { lastEventId: first.events[2]?.id ?? '' });
    await waitFor(() => catchUp.events.length === 3);
    const newest = catchUp.events[1]?.id ?? 'missing';
    catchUp.close();
    const resumed = await stream('alice', { lastEventId: newest, via: 'query' });
    await waitFor(() => resumed.events.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(kinds(resumed)).toEqual(['token-balance-resumed']);
  });

  it('a resume the server cannot honour replays nothing and sends the hello', async () => {
    const { lastSeen } = await missedTwo();
    const unknown = await stream('alice', { lastEventId: 'deadbeef.2' });
    await waitFor(() => unknown.events.length === 1);
    expect(unknown.events[0]).toMatchObject({
      event: 'token-balance-hello',
      data: { type: 'token-balance-hello', version: 5 },
    });
    await admin(server, 'forget-events');
    const forgotten = await stream('alice', { lastEventId: lastSeen });
    await waitFor(() => forgotten.events.length === 1);
    expect(forgotten.events[0]).toMatchObject({ event: 'token-balance-hello', id: undefined });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(kinds(forgotten)).toEqual(['token-balance-hello']);
  });

  it('an id of another user, or one pushed out of the 100-event buffer, is not honoured', async () => {
    server = await startTestDemoServer();
    const bob = await stream('bob');
    await debit(server, 'bob', 1);
    await waitFor(() => bob.events.length === 2);
    const bobsId = bob.events[1]?.id ?? 'missing';
    const alice = await stream('alice', { lastEventId: bobsId });
    await waitFor(() => alice.events.length === 1);
    expect(kinds(alice)).toEqual(['token-balance-hello']);

    for (let i = 0; i < 100; i++) await debit(server, 'bob', 1);
    const tooOld = await stream('bob', { lastEventId: bobsId });
    await waitFor(() => tooOld.events.length === 1);
    expect(tooOld.events[0]).toMatchObject({
      event: 'token-balance-hello',
      data: { version: 102 },
    });
    const justInside = await stream('bob', { lastEventId: `${bobsId.split('.')[0]}.2` });
    await waitFor(() => justInside.events.length === 100);
    expect(justInside.events[99]?.event).toBe('token-balance-resumed');
  });

  it('with the hello off, a resume it cannot honour sends nothing at all', async () => {
    const { lastSeen } = await missedTwo();
    await admin(server, 'faults', { hello: false });
    await admin(server, 'forget-events');
    const silent = await stream('alice', { lastEventId: lastSeen });
    await waitFor(() => server.connections().sse === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(silent.events).toEqual([]);
  });

  it('drop-sockets ends SSE streams too', async () => {
    server = await startTestDemoServer();
    const alice = await stream('alice');
    await waitFor(() => server.connections().sse === 1);
    await admin(server, 'drop-sockets');
    await alice.ended;
    await waitFor(() => server.connections().sse === 0);
  });
});
