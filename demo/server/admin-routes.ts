/**
 * Test and demo knobs, under /admin: faults, dropping connections, releasing a held response,
 * restarting the version counter, forgetting the replay buffers, counting open connections.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Faults, parseFaults } from './faults.js';
import { json, readBody } from './http.js';
import type { Ledger } from './ledger.js';
import type { PushHub } from './push-hub.js';

export interface AdminDeps {
  ledger: Ledger;
  hub: PushHub;
  requests: Map<string, number>;
  faults: { get(): Faults; set(next: Faults): void };
  releaseHeld(): void;
}

/** Answers an admin route; false when `route` is none of them. */
export async function handleAdmin(
  deps: AdminDeps,
  route: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  switch (route) {
    case 'GET /admin/faults':
      json(response, 200, { ...deps.faults.get(), requests: Object.fromEntries(deps.requests) });
      return true;
    case 'POST /admin/faults': {
      const next = parseFaults(await readBody(request), deps.faults.get());
      deps.faults.set(next);
      json(response, 200, next);
      return true;
    }
    case 'POST /admin/drop-sockets':
      deps.hub.dropAll();
      json(response, 200, { dropped: true });
      return true;
    case 'POST /admin/release':
      deps.releaseHeld();
      json(response, 200, { released: true });
      return true;
    case 'POST /admin/restart-counter': {
      const body = (await readBody(request)) as { newEpoch?: unknown };
      const epoch = deps.ledger.restartCounter(body.newEpoch !== false);
      json(response, 200, { epoch });
      return true;
    }
    case 'POST /admin/forget-events':
      deps.hub.log.forget();
      json(response, 200, { forgotten: true });
      return true;
    case 'GET /admin/connections':
      json(response, 200, deps.hub.connections());
      return true;
    default:
      return false;
  }
}
