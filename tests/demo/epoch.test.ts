// @vitest-environment node
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../demo/server/server.js';
import {
  admin,
  debit,
  getBalance,
  listenSocket,
  type SocketListener,
  startTestDemoServer,
} from '../helpers/demo-server.js';
import { waitFor } from '../helpers/ws-server.js';

const servers: DemoServer[] = [];
const listeners: SocketListener[] = [];
afterEach(async () => {
  for (const { socket } of listeners.splice(0)) socket.terminate();
  for (const server of servers.splice(0)) await server.close();
});

const start = async (ledgerFile?: string) => {
  const server =
    ledgerFile === undefined ? await startTestDemoServer() : await startDemoServer({ ledgerFile });
  servers.push(server);
  return server;
};
const balanceOf = async (server: DemoServer, user: string) =>
  (await (await getBalance(server, user)).json()) as Record<string, unknown>;

describe('reference server: epoch', () => {
  it('every balance answer, debit answer and push carries the ledger epoch', async () => {
    const server = await start();
    const listener = listenSocket(server, 'alice');
    listeners.push(listener);
    await waitFor(() => listener.frames.length === 1); // the hello
    const answer = await balanceOf(server, 'alice');
    expect(answer).toEqual({
      balance: 1000,
      version: 1,
      epoch: expect.stringMatching(/^[0-9a-f]{12}$/),
      updatedAt: new Date(0).toISOString(),
    });
    const debited = await (await debit(server, 'alice', 10)).json();
    expect(Object.keys(debited)).toEqual(['balance', 'version', 'epoch', 'updatedAt']);
    expect(debited).toMatchObject({ balance: 990, version: 2, epoch: answer.epoch });
    await waitFor(() => listener.frames.length === 2);
    expect(listener.frames[1]).toEqual({
      type: 'token-balance-updated',
      userId: 'alice',
      ...debited,
    });
  });

  it('restart-counter: versions back to 1, balances kept, a new epoch by default', async () => {
    const server = await start();
    await debit(server, 'alice', 10);
    await debit(server, 'bob', 5);
    const before = await balanceOf(server, 'alice');
    const restarted = await admin(server, 'restart-counter', {});
    expect(restarted.epoch).not.toBe(before.epoch);
    expect(await balanceOf(server, 'alice')).toMatchObject({
      balance: 990,
      version: 1,
      epoch: restarted.epoch,
    });
    expect(await balanceOf(server, 'bob')).toMatchObject({ balance: 245, version: 1 });
    expect(await (await debit(server, 'alice', 1)).json()).toMatchObject({
      balance: 989,
      version: 2,
      epoch: restarted.epoch,
    });
  });

  it('restart-counter with newEpoch false: versions go backwards in the same epoch', async () => {
    const server = await start();
    await debit(server, 'alice', 10);
    const before = await balanceOf(server, 'alice');
    expect(before.version).toBe(2);
    expect(await admin(server, 'restart-counter', { newEpoch: false })).toEqual({
      epoch: before.epoch,
    });
    expect(await balanceOf(server, 'alice')).toMatchObject({
      balance: 990,
      version: 1,
      epoch: before.epoch,
    });
  });

  it('the epoch is persisted: a restart keeps it; a ledger file from before epochs gets one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    const file = join(dir, 'ledger.json');
    const first = await start(file);
    const epoch = (await balanceOf(first, 'alice')).epoch;
    await first.close();
    servers.splice(0);
    const second = await start(file);
    expect((await balanceOf(second, 'alice')).epoch).toBe(epoch);
    await second.close();
    servers.splice(0);

    const old = join(dir, 'old-ledger.json');
    const account = { balance: 42, version: 7, updatedAt: new Date(5).toISOString() };
    writeFileSync(old, JSON.stringify({ alice: account }));
    const migrated = await start(old);
    const answer = await balanceOf(migrated, 'alice');
    expect(answer).toMatchObject({ balance: 42, version: 7, epoch: expect.any(String) });
    expect(JSON.parse(readFileSync(old, 'utf8'))).toEqual({
      epoch: answer.epoch,
      accounts: { alice: account },
    });
  });
});
