/**
 * The reference server: REST + WebSocket over a real ledger, bound to 127.0.0.1.
 * - GET  /api/auth/token-balance   (Authorization: Bearer <user>-token)
 * - POST /api/assessments          debits { cost } and pushes `token-balance-updated`
 * - WS   /ws?token=<user>-token    that user's pushes only
 * - GET/POST /admin/faults, POST /admin/drop-sockets, POST /admin/release
 * Serves the built demo app from `staticDir` when given.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Faults, noFaults, parseFaults } from './faults.js';
import { InsufficientFundsError, Ledger } from './ledger.js';

export interface DemoServerOptions {
  port?: number;
  ledgerFile: string;
  staticDir?: string;
  heartbeatMs?: number;
}

export interface DemoServer {
  url: string;
  port: number;
  ledger: Ledger;
  /** Balance requests served per user (for tests and the demo's fault panel). */
  requests: Map<string, number>;
  close(): Promise<void>;
}

const userOfToken = (token: string | null | undefined): string | null =>
  token?.endsWith('-token') ? token.slice(0, -'-token'.length) : null;

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return {};
  }
}

export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const ledger = new Ledger(options.ledgerFile);
  const sockets = new Map<string, Set<WebSocket>>();
  const requests = new Map<string, number>();
  let faults: Faults = noFaults();
  const held: (() => void)[] = [];

  const push = (userId: string) => {
    const account = ledger.get(userId);
    const frame = JSON.stringify({ type: 'token-balance-updated', userId, ...account });
    for (const socket of sockets.get(userId) ?? []) socket.send(frame);
  };

  const authorized = (request: IncomingMessage): string | null => {
    const header = request.headers.authorization ?? '';
    const user = userOfToken(header.startsWith('Bearer ') ? header.slice(7) : null);
    return user !== null && ledger.get(user) !== undefined ? user : null;
  };

  async function balance(request: IncomingMessage, response: ServerResponse, user: string) {
    requests.set(user, (requests.get(user) ?? 0) + 1);
    const snapshot = ledger.get(user); // read now: a held response carries this older value
    if (faults.holdNext) {
      faults = { ...faults, holdNext: false };
      await new Promise<void>((resolve) => held.push(resolve));
    }
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (request.destroyed) return;
    if (Math.random() < faults.errorRate) return json(response, 503, { error: 'injected fault' });
    json(response, 200, snapshot);
  }

  function serveStatic(path: string, response: ServerResponse): boolean {
    if (options.staticDir === undefined) return false;
    const file = normalize(join(options.staticDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(options.staticDir)) return false;
    const target =
      existsSync(file) && statSync(file).isFile() ? file : join(options.staticDir, 'index.html');
    if (!existsSync(target)) return false;
    response.writeHead(200, {
      'content-type': types[extname(target)] ?? 'application/octet-stream',
    });
    createReadStream(target).pipe(response);
    return true;
  }

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const route = `${request.method} ${url.pathname}`;
    try {
      if (route === 'GET /api/auth/token-balance') {
        const user = authorized(request);
        return user === null
          ? json(response, 401, { error: 'sign in' })
          : await balance(request, response, user);
      }
      if (route === 'POST /api/assessments') {
        const user = authorized(request);
        if (user === null) return json(response, 401, { error: 'sign in' });
        const body = (await readBody(request)) as { cost?: unknown };
        const cost = Number(body.cost ?? 10);
        if (!Number.isInteger(cost) || cost <= 0)
          return json(response, 400, { error: 'cost must be a positive integer' });
        const account = ledger.debit(user, cost);
        push(user);
        return json(response, 201, account);
      }
      if (route === 'GET /admin/faults')
        return json(response, 200, { ...faults, requests: Object.fromEntries(requests) });
      if (route === 'POST /admin/faults') {
        faults = parseFaults(await readBody(request), faults);
        return json(response, 200, faults);
      }
      if (route === 'POST /admin/drop-sockets') {
        for (const set of sockets.values()) for (const socket of set) socket.terminate();
        return json(response, 200, { dropped: true });
      }
      if (route === 'POST /admin/release') {
        for (const release of held.splice(0)) release();
        return json(response, 200, { released: true });
      }
      if (request.method === 'GET' && serveStatic(url.pathname, response)) return;
      json(response, 404, { error: 'not found' });
    } catch (error) {
      if (error instanceof InsufficientFundsError)
        return json(response, 409, { error: error.message });
      json(response, 500, { error: String(error) });
    }
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const user = userOfToken(url.searchParams.get('token'));
    if (url.pathname !== '/ws' || user === null || ledger.get(user) === undefined) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const set = sockets.get(user) ?? new Set<WebSocket>();
      set.add(ws);
      sockets.set(user, set);
      ws.on('close', () => set.delete(ws));
    });
  });
  const heartbeat = setInterval(() => {
    for (const set of sockets.values()) for (const ws of set) ws.send('{"type":"ping"}');
  }, options.heartbeatMs ?? 15_000);

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ledger,
    requests,
    close: async () => {
      clearInterval(heartbeat);
      for (const release of held.splice(0)) release();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
