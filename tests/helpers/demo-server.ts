/**
 * The reference server for tests: a fresh ledger file per start, and small real clients of it
 * (REST with `fetch`, WebSocket with `ws`, SSE with a streaming `fetch`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';
import { WebSocket } from 'ws';
import { type DemoServer, startDemoServer } from '../../demo/server/server.js';

/** A fresh ledger file, unless one is given (to restart a server on the same ledger and port). */
export const startTestDemoServer = (
  options: { heartbeatMs?: number; port?: number; ledgerFile?: string } = {},
): Promise<DemoServer> =>
  startDemoServer({
    ledgerFile: join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.json'),
    ...options,
  });

export const streamUrl = (server: DemoServer, user: string): string =>
  `${server.url}/api/balance/stream?token=${user}-token`;

export const socketUrl = (server: DemoServer, user: string): string =>
  `ws://127.0.0.1:${server.port}/ws?token=${user}-token`;

export const authHeaders = (user: string) => ({
  authorization: `Bearer ${user}-token`,
  'content-type': 'application/json',
});

export const getBalance = (server: DemoServer, user: string) =>
  fetch(`${server.url}/api/auth/token-balance`, { headers: authHeaders(user) });

export const debit = (server: DemoServer, user: string, cost = 10) =>
  fetch(`${server.url}/api/assessments`, {
    method: 'POST',
    headers: authHeaders(user),
    body: JSON.stringify({ cost }),
  });

export const admin = (server: DemoServer, path: string, body: unknown = {}) =>
  fetch(`${server.url}/admin/${path}`, { method: 'POST', body: JSON.stringify(body) }).then(
    (response) => response.json() as Promise<Record<string, unknown>>,
  );

export interface SocketListener {
  socket: WebSocket;
  frames: Record<string, unknown>[];
}

/** A `ws` client of one user; every frame parsed, pings included. */
export function listenSocket(server: DemoServer, user: string): SocketListener {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${user}-token`);
  const frames: Record<string, unknown>[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(String(data))));
  return { socket, frames };
}

export interface SseFrame {
  id: string | undefined;
  event: string | undefined;
  data: Record<string, unknown>;
}

export interface StreamListener {
  status: number;
  contentType: string | null;
  events: SseFrame[];
  comments: string[];
  /** Resolves when the server ends or drops the stream. */
  ended: Promise<void>;
  close(): void;
}

/** A streaming-fetch SSE client of one user: the raw protocol, no reconnects. */
export async function listenStream(
  server: DemoServer,
  user: string,
  options: { lastEventId?: string; via?: 'header' | 'query'; auth?: 'header' | 'query' } = {},
): Promise<StreamListener> {
  const query = new URLSearchParams();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (options.auth === 'header') headers.authorization = `Bearer ${user}-token`;
  else query.set('token', `${user}-token`);
  if (options.lastEventId !== undefined) {
    if (options.via === 'query') query.set('lastEventId', options.lastEventId);
    else headers['last-event-id'] = options.lastEventId;
  }
  const abort = new AbortController();
  const response = await fetch(`${server.url}/api/balance/stream?${query}`, {
    headers,
    signal: abort.signal,
  });
  const events: SseFrame[] = [];
  const comments: string[] = [];
  const parser = createParser({
    onEvent: (message) =>
      events.push({ id: message.id, event: message.event, data: JSON.parse(message.data) }),
    onComment: (comment) => comments.push(comment),
  });
  const ended = (async () => {
    if (response.body === null) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Dropped by the server, or closed by the test: either way, ended.
    }
  })();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events,
    comments,
    ended,
    close: () => abort.abort(),
  };
}
