/**
 * The reference server: REST + WebSocket + SSE over a real ledger, bound to 127.0.0.1.
 * - GET  /api/auth/token-balance   (Authorization: Bearer <user>-token) → { balance, version, epoch, updatedAt }
 * - POST /api/assessments          debits { cost }, pushes `token-balance-updated` to WS and SSE
 * - WS   /ws?token=<user>-token    that user's pushes, after a `token-balance-hello`
 * - GET  /api/balance/stream       SSE (?token= or Bearer): hello or resume, then pushes
 * - GET/POST /admin/faults, POST /admin/drop-sockets, POST /admin/release,
 *   POST /admin/restart-counter, POST /admin/forget-events, GET /admin/connections
 * Serves the built demo app from `staticDir` when given.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { handleAdmin } from './admin-routes.js';
import { balanceFrame } from './balance-frames.js';
import { type Faults, noFaults } from './faults.js';
import { bearerUser, json, preflight, readBody } from './http.js';
import { InsufficientFundsError, Ledger } from './ledger.js';
import { type ConnectionCounts, PushHub } from './push-hub.js';
import { openEventStream, upgradeToSocket } from './push-routes.js';
import { serveStatic } from './static-files.js';

export type { ConnectionCounts } from './push-hub.js';

export interface DemoServerOptions {
  port?: number;
  ledgerFile: string;
  staticDir?: string;
  /** Pings on every WebSocket (`{"type":"ping"}`) and SSE stream (`: ping`). @default 15_000 */
  heartbeatMs?: number;
}

export interface DemoServer {
  url: string;
  port: number;
  ledger: Ledger;
  /** Balance requests served per user (for tests and the demo's fault panel). */
  requests: Map<string, number>;
  /** Push connections open right now, per user and kind (as `GET /admin/connections`). */
  connections(): ConnectionCounts;
  close(): Promise<void>;
}

export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const ledger = new Ledger(options.ledgerFile);
  const hub = new PushHub();
  const requests = new Map<string, number>();
  let faults: Faults = noFaults();
  const held: (() => void)[] = [];
  const releaseHeld = () => {
    for (const release of held.splice(0)) release();
  };
  const push = { ledger, hub, faults: () => faults };
  const admin = {
    ledger,
    hub,
    requests,
    faults: {
      get: () => faults,
      set: (next: Faults) => {
        faults = next;
      },
    },
    releaseHeld,
  };

  const knownUser = (user: string | null): string | null =>
    user !== null && ledger.get(user) !== undefined ? user : null;

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

  async function debit(request: IncomingMessage, response: ServerResponse, user: string) {
    const body = (await readBody(request)) as { cost?: unknown };
    const cost = Number(body.cost ?? 10);
    if (!Number.isInteger(cost) || cost <= 0)
      return json(response, 400, { error: 'cost must be a positive integer' });
    const account = ledger.debit(user, cost);
    hub.publish(
      user,
      'token-balance-updated',
      balanceFrame('token-balance-updated', user, account),
    );
    json(response, 201, account);
  }

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const route = `${request.method} ${url.pathname}`;
    try {
      if (request.method === 'OPTIONS') return preflight(response);
      if (route === 'GET /api/auth/token-balance') {
        const user = knownUser(bearerUser(request));
        return user === null
          ? json(response, 401, { error: 'sign in' })
          : await balance(request, response, user);
      }
      if (route === 'POST /api/assessments') {
        const user = knownUser(bearerUser(request));
        return user === null
          ? json(response, 401, { error: 'sign in' })
          : await debit(request, response, user);
      }
      if (route === 'GET /api/balance/stream') return openEventStream(push, request, response, url);
      if (await handleAdmin(admin, route, request, response)) return;
      if (request.method === 'GET' && options.staticDir !== undefined) {
        if (serveStatic(options.staticDir, url.pathname, response)) return;
      }
      json(response, 404, { error: 'not found' });
    } catch (error) {
      if (error instanceof InsufficientFundsError)
        return json(response, 409, { error: error.message });
      json(response, 500, { error: String(error) });
    }
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) =>
    upgradeToSocket(push, wss, request, socket, head),
  );
  const heartbeat = setInterval(() => hub.heartbeat(), options.heartbeatMs ?? 15_000);

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ledger,
    requests,
    connections: () => hub.connections(),
    close: async () => {
      clearInterval(heartbeat);
      releaseHeld();
      // Open streams and sockets would keep server.close() waiting for ever.
      hub.dropAll();
      for (const client of wss.clients) client.terminate();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Also the connections a client opened ahead without a request yet (undici does).
      server.closeAllConnections();
      await closed;
    },
  };
}
