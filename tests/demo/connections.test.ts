// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoServer } from '../../demo/server/server.js';
import {
  admin,
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

const overHttp = async () => (await fetch(`${server.url}/admin/connections`)).json();

describe('reference server: connection counts', () => {
  it('counts open WebSockets and SSE streams per user, up and down', async () => {
    server = await startTestDemoServer();
    expect(await overHttp()).toEqual({ users: {}, websocket: 0, sse: 0 });
    sockets.push(listenSocket(server, 'alice'), listenSocket(server, 'alice'));
    streams.push(await listenStream(server, 'alice'), await listenStream(server, 'bob'));
    const all = {
      users: { alice: { websocket: 2, sse: 1 }, bob: { websocket: 0, sse: 1 } },
      websocket: 2,
      sse: 2,
    };
    await waitFor(() => server.connections().websocket === 2);
    expect(server.connections()).toEqual(all);
    expect(await overHttp()).toEqual(all);

    sockets[0]?.socket.close();
    streams[1]?.close();
    await waitFor(() => server.connections().sse === 1 && server.connections().websocket === 1);
    expect(await overHttp()).toEqual({
      users: { alice: { websocket: 1, sse: 1 } },
      websocket: 1,
      sse: 1,
    });
    await admin(server, 'drop-sockets');
    await waitFor(() => server.connections().websocket + server.connections().sse === 0);
    expect(await overHttp()).toEqual({ users: {}, websocket: 0, sse: 0 });
  });
});
