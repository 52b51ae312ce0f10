/**
 * The push endpoints: `WS /ws` and `GET /api/balance/stream` (SSE). Both open with a hello (the
 * current value) unless the `hello` fault is off; SSE honours `Last-Event-ID` from its replay
 * buffer instead (replay, then `token-balance-resumed`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { balanceFrame, sseEvent } from './balance-frames.js';
import type { Faults } from './faults.js';
import { corsHeaders, json, streamUser, userOfToken } from './http.js';
import type { Ledger } from './ledger.js';
import type { PushHub } from './push-hub.js';

export interface PushDeps {
  ledger: Ledger;
  hub: PushHub;
  faults: () => Faults;
}

const knownUser = (ledger: Ledger, user: string | null): user is string =>
  user !== null && ledger.get(user) !== undefined;

export function upgradeToSocket(
  deps: PushDeps,
  wss: WebSocketServer,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const user = userOfToken(url.searchParams.get('token'));
  if (url.pathname !== '/ws' || !knownUser(deps.ledger, user)) {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(request, socket, head, (ws) => {
    const account = deps.ledger.get(user);
    if (deps.faults().hello && account !== undefined)
      ws.send(balanceFrame('token-balance-hello', user, account));
    deps.hub.addSocket(user, ws);
  });
}

export function openEventStream(
  deps: PushDeps,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): void {
  const user = streamUser(request, url);
  if (!knownUser(deps.ledger, user)) {
    json(response, 401, { error: 'sign in' });
    return;
  }
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    // Proxies such as nginx buffer responses unless told not to; a push must not wait.
    'x-accel-buffering': 'no',
    ...corsHeaders,
  });
  response.flushHeaders();
  request.socket.setNoDelay(true);
  // The header on a fetch stream; the query on a new browser EventSource, which cannot set it.
  const header = request.headers['last-event-id'];
  const lastEventId =
    (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('lastEventId');
  const replay = lastEventId ? deps.hub.log.since(user, lastEventId) : null;
  if (replay !== null) {
    for (const event of replay)
      response.write(sseEvent({ id: event.id, event: event.type, data: event.data }));
    response.write(
      sseEvent({ event: 'token-balance-resumed', data: JSON.stringify({ userId: user }) }),
    );
  } else {
    const account = deps.ledger.get(user);
    if (deps.faults().hello && account !== undefined) {
      response.write(
        sseEvent({
          // The newest event id, so that the client can resume from the hello on.
          id: deps.hub.log.newest(user),
          event: 'token-balance-hello',
          data: balanceFrame('token-balance-hello', user, account),
        }),
      );
    }
  }
  deps.hub.addStream(user, response);
}
