/**
 * sseSource with the browser's own EventSource, in real Chromium, against the real reference
 * server (started by the browser project's globalSetup). Resume here goes through the
 * `lastEventId` query parameter: a new EventSource cannot set the header.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type SseSourceOptions, sseSource } from '../../src/sources/sse.js';
import { demoClient } from '../helpers/demo-client.js';
import { isType, type RecordedSource, recordSource } from '../helpers/source-recorder.js';
import { waitFor } from '../helpers/wait-for.js';

const server = demoClient(inject('demoServerUrl'));
const recorded: RecordedSource[] = [];
afterEach(async () => {
  for (const source of recorded.splice(0)) source.subscription.unsubscribe();
  await server.admin('faults', { hello: true });
  await waitUntilClosed();
});

async function waitUntilClosed() {
  for (let i = 0; i < 200; i++) {
    if ((await server.connections()).sse === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('streams still open');
}

function record(options: Partial<SseSourceOptions> = {}, user = 'alice') {
  const source = recordSource(
    sseSource({
      url: (userId) => server.streamUrl(userId),
      reconnect: { baseMs: 300, maxMs: 300 },
      random: () => 1,
      ...options,
    }),
    user,
  );
  recorded.push(source);
  return source;
}

const connected = isType('SOCKET.CONNECTED');
const updated = isType('SOCKET.BALANCE_UPDATED');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sseSource with EventSource (Chromium, real reference server)', () => {
  it('uses the global EventSource; the hello is the connection event; pushes arrive', async () => {
    expect(typeof EventSource).toBe('function');
    const source = record({ hello: true });
    await source.until(connected);
    expect(source.events[0]).toMatchObject({
      type: 'SOCKET.CONNECTED',
      hello: { userId: 'alice', balance: expect.any(Number), epoch: expect.any(String) },
    });
    const answer = await server.debit('alice', 1);
    await source.until(updated);
    expect(source.events.find(updated)).toEqual({
      type: 'SOCKET.BALANCE_UPDATED',
      userId: 'alice',
      ...answer,
    });
    expect((await server.connections()).users.alice).toEqual({ websocket: 0, sse: 1 });
  });

  it('resume after a server-side drop: the missed events, then CONNECTED resumed, no hello', async () => {
    const source = record({ hello: true });
    await source.until(connected);
    await server.debit('alice', 1); // an event id to resume from
    await source.until(updated);
    await server.admin('drop-sockets');
    await source.until(isType('SOCKET.DISCONNECTED'));
    const mark = source.events.length;
    const missed = [await server.debit('alice', 2), await server.debit('alice', 3)];
    await source.until(connected, 2);
    await sleep(100);
    expect(source.events.slice(mark)).toEqual([
      { type: 'SOCKET.BALANCE_UPDATED', userId: 'alice', ...missed[0] },
      { type: 'SOCKET.BALANCE_UPDATED', userId: 'alice', ...missed[1] },
      { type: 'SOCKET.CONNECTED', resumed: true, userId: 'alice' },
    ]);
  });

  it('a resume the server cannot honour, without its hello: a plain connect after the wait', async () => {
    const source = record({ hello: { timeoutMs: 200 } });
    await source.until(connected);
    await server.debit('alice', 1);
    await source.until(updated);
    await server.admin('faults', { hello: false });
    await server.admin('drop-sockets');
    await source.until(isType('SOCKET.DISCONNECTED'));
    const mark = source.events.length;
    await server.admin('forget-events');
    await source.until(connected, 2);
    await sleep(100);
    expect(source.events.slice(mark)).toEqual([{ type: 'SOCKET.CONNECTED' }]);
  });

  it('follows the user and closes its EventSource on unsubscribe', async () => {
    const source = record();
    await source.until(connected);
    source.user$.next('bob');
    await waitFor(() => source.events.some(isType('SOCKET.DISCONNECTED')));
    for (let i = 0; i < 200 && (await server.connections()).users.bob?.sse !== 1; i++)
      await sleep(10);
    expect((await server.connections()).users).toEqual({ bob: { websocket: 0, sse: 1 } });
    source.subscription.unsubscribe();
    await waitUntilClosed();
    await sleep(400); // longer than the backoff: nothing reconnects
    expect((await server.connections()).sse).toBe(0);
  });
});
