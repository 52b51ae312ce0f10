// @vitest-environment node
/**
 * A push channel made for a fixed user (`websocketSource({ url, userId })`) carries that user's
 * frames only: it connects, and vouches, only while that user is signed in. Otherwise a switch
 * to another user left the socket live and another user's value fresh for ever.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createBalanceSync, memoryCache, websocketSource } from '../../src/index.js';
import type { BalanceSync } from '../../src/types.js';
import { waitFor } from '../helpers/wait-for.js';
import { TestSocketServer } from '../helpers/ws-server.js';

const servers: TestSocketServer[] = [];
const syncs: BalanceSync[] = [];
afterEach(async () => {
  for (const sync of syncs.splice(0)) sync.stop();
  for (const server of servers.splice(0)) await server.stop();
});

const socketLive = (sync: BalanceSync) =>
  sync.actor.getSnapshot().matches({ running: { socket: 'live' } });

describe('a push channel for a fixed user', () => {
  it('is live only while that user is signed in; another user is not vouched for', async () => {
    const ws = await new TestSocketServer().start();
    servers.push(ws);
    let now = 1_000_000;
    const ledger: Record<string, number> = { alice: 100, bob: 500 };
    const sync = createBalanceSync({
      fetchBalance: async ({ userId }) => ({ balance: ledger[userId] ?? 0 }),
      userId: 'alice',
      cache: [memoryCache()],
      logger: false,
      now: () => now,
      sources: [websocketSource({ url: ws.url(), userId: 'alice', WebSocketCtor: WebSocket })],
    });
    syncs.push(sync);
    sync.start();
    await waitFor(() => socketLive(sync) && sync.getSnapshot().balance === 100);

    sync.setUser('bob');
    await waitFor(() => !socketLive(sync) && sync.getSnapshot().balance === 500);
    ledger.bob = 400;
    now += 120_000; // four TTLs: nothing vouches for bob's value, so it is stale and refetched
    sync.send({ type: 'FOCUS' });
    await waitFor(() => sync.getSnapshot().balance === 400);

    sync.setUser('alice');
    await waitFor(() => socketLive(sync));
    expect(ws.connections).toHaveLength(2);
  });
});
