// @vitest-environment node
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type DemoServer, startDemoServer } from '../../demo/server/server.js';
import { waitFor } from '../helpers/ws-server.js';

let server: DemoServer;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await server.close();
});

const start = async () => {
  server = await startDemoServer({
    ledgerFile: join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.json'),
  });
  return server;
};
const auth = (user: string) => ({
  authorization: `Bearer ${user}-token`,
  'content-type': 'application/json',
});
const balance = (user: string) =>
  fetch(`${server.url}/api/auth/token-balance`, { headers: auth(user) });
const debit = (user: string, cost = 10) =>
  fetch(`${server.url}/api/assessments`, {
    method: 'POST',
    headers: auth(user),
    body: JSON.stringify({ cost }),
  });
const admin = (path: string, body: unknown = {}) =>
  fetch(`${server.url}/admin/${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) =>
    r.json(),
  );

function listen(user: string): string[] {
  const frames: string[] = [];
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${user}-token`);
  socket.on('message', (data) => frames.push(String(data)));
  sockets.push(socket);
  return frames;
}

describe('reference server', () => {
  it('pushes a debit with an increasing version to that user only', async () => {
    await start();
    const alice = listen('alice');
    const bob = listen('bob');
    await waitFor(() => sockets.every((s) => s.readyState === WebSocket.OPEN));
    expect(await (await debit('alice')).json()).toMatchObject({ balance: 990, version: 2 });
    expect(await (await debit('alice', 5)).json()).toMatchObject({ balance: 985, version: 3 });
    // The hello comes first (tests/demo/hello.test.ts); here only the pushes.
    const pushes = () =>
      alice.map((f) => JSON.parse(f)).filter((f) => f.type !== 'token-balance-hello');
    await waitFor(() => pushes().length === 2);
    expect(pushes()).toMatchObject([
      { type: 'token-balance-updated', userId: 'alice', balance: 990, version: 2 },
      { type: 'token-balance-updated', userId: 'alice', balance: 985, version: 3 },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bob.map((f) => JSON.parse(f).type)).toEqual(['token-balance-hello']); // no pushes
  });

  it('rejects requests without a valid token, bad costs and overdrafts', async () => {
    await start();
    expect((await fetch(`${server.url}/api/auth/token-balance`)).status).toBe(401);
    expect((await balance('mallory')).status).toBe(401);
    expect((await debit('alice', -5)).status).toBe(400);
    expect((await debit('bob', 1_000_000)).status).toBe(409);
  });

  it('fault knobs: error rate, latency, and a held response that lands after a newer value', async () => {
    await start();
    await admin('faults', { errorRate: 1 });
    expect((await balance('alice')).status).toBe(503);
    await admin('faults', { errorRate: 0, latencyMs: 150 });
    const started = Date.now();
    expect((await balance('alice')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await admin('faults', { latencyMs: 0, holdNext: true });
    const held = balance('alice').then((r) => r.json());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await debit('alice');
    await admin('release');
    expect(await held).toMatchObject({ balance: 1000, version: 1 }); // older than the debit
  });

  it('drops every socket on request', async () => {
    await start();
    listen('alice');
    await waitFor(() => sockets[0]?.readyState === WebSocket.OPEN);
    await admin('drop-sockets');
    await waitFor(() => sockets[0]?.readyState === WebSocket.CLOSED);
  });
});
