// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoServer } from '../../demo/server/server.js';
import {
  admin,
  debit,
  getBalance,
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

const socket = (user: string) => {
  const listener = listenSocket(server, user);
  sockets.push(listener);
  return listener;
};
const stream = async (user: string) => {
  const listener = await listenStream(server, user);
  streams.push(listener);
  return listener;
};

describe('reference server: hello', () => {
  it('a WebSocket first gets the current value of its user', async () => {
    server = await startTestDemoServer();
    await debit(server, 'bob', 50);
    const current = await (await getBalance(server, 'bob')).json();
    const bob = socket('bob');
    await waitFor(() => bob.frames.length === 1);
    expect(bob.frames[0]).toEqual({
      type: 'token-balance-hello',
      userId: 'bob',
      balance: 200,
      version: 2,
      epoch: current.epoch,
      updatedAt: current.updatedAt,
    });
  });

  it('an SSE stream first gets the same hello as `event: token-balance-hello`', async () => {
    server = await startTestDemoServer();
    const current = await (await getBalance(server, 'alice')).json();
    const alice = await stream('alice');
    await waitFor(() => alice.events.length === 1);
    expect(alice.events[0]).toEqual({
      id: undefined, // no balance event yet in this run: nothing to resume from
      event: 'token-balance-hello',
      data: { type: 'token-balance-hello', userId: 'alice', ...current },
    });
    await debit(server, 'alice');
    const again = await stream('alice');
    await waitFor(() => again.events.length === 1);
    // Once there are events, the hello carries the newest id: a resume can start from it.
    expect(again.events[0]?.id).toBe(alice.events[1]?.id ?? 'missing');
  });

  it('the hello fault off: no hello on either channel, pushes still arrive', async () => {
    server = await startTestDemoServer();
    expect(await admin(server, 'faults', { hello: false })).toMatchObject({ hello: false });
    const ws = socket('alice');
    const sse = await stream('alice');
    await waitFor(() => server.connections().users.alice?.websocket === 1);
    await debit(server, 'alice');
    await waitFor(() => ws.frames.length === 1 && sse.events.length === 1);
    expect(ws.frames[0]).toMatchObject({ type: 'token-balance-updated', version: 2 });
    expect(sse.events[0]).toMatchObject({ event: 'token-balance-updated', data: { version: 2 } });
    await admin(server, 'faults', { hello: true });
    const later = socket('alice');
    await waitFor(() => later.frames.length === 1);
    expect(later.frames[0]).toMatchObject({ type: 'token-balance-hello', version: 2 });
  });
});
