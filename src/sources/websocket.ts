import {
  concat,
  defer,
  distinctUntilChanged,
  EMPTY,
  Observable,
  of,
  retry,
  switchMap,
  timeout,
  timer,
} from 'rxjs';
import { webSocket } from 'rxjs/webSocket';
import type { BalanceEvent } from '../../machines/events.js';
import { backoffDelay } from '../../machines/policy.js';
import type { BalanceLogger } from '../types.js';
import { type MessageMapper, mapTokenBalanceMessage } from './token-balance-message.js';
import type { BalanceSource } from './types.js';

type WebSocketCtor = new (url: string, protocols?: string | string[]) => WebSocket;

export interface WebSocketSourceOptions {
  /** The endpoint, or a function of the signed-in user (e.g. to put a user-scoped path in it). */
  url: string | ((userId: string) => string);
  /** A fixed user. Default: follow the sync's signed-in user, reconnecting on every change. */
  userId?: string;
  /** Server message → event; null ignores it. @default mapTokenBalanceMessage */
  map?: MessageMapper;
  /** Reconnect backoff, exponential with equal jitter. @default { baseMs: 1_000, maxMs: 30_000 } */
  reconnect?: { baseMs?: number; maxMs?: number };
  /** Reconnect when no frame (pings count) arrives for this long. 0 = off. @default 0 */
  heartbeatMs?: number;
  protocols?: string | string[];
  /** For runtimes without a global WebSocket (Node < 22: `ws`). */
  WebSocketCtor?: WebSocketCtor;
  random?: () => number;
}

class SocketClosedError extends Error {
  override name = 'SocketClosedError';
}

/** Which connection attempt is the current one, and whether it is open. */
interface Connection {
  latest: { open: boolean } | null;
}

function decode(raw: unknown, map: MessageMapper, logger: BalanceLogger): BalanceEvent | null {
  let message: unknown;
  try {
    message = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    logger.warn('rejected socket frame: not JSON');
    return null;
  }
  try {
    const event = map(message);
    if (event === null || event === undefined)
      logger.debug('ignored socket message of another kind');
    return event ?? null;
  } catch (error) {
    logger.warn('rejected socket frame: the message mapper threw', { error: String(error) });
    return null;
  }
}

/** One connection attempt; it errors when the socket fails or closes, so `retry` reconnects. */
function connectOnce(
  url: string,
  options: WebSocketSourceOptions,
  connection: Connection,
  logger: BalanceLogger,
): Observable<BalanceEvent> {
  return new Observable<BalanceEvent>((subscriber) => {
    // Per attempt: an old socket's late close event must not touch the new one's state.
    const attempt = { open: false };
    connection.latest = attempt;
    const socket$ = webSocket<unknown>({
      url,
      // Keep frames raw: a malformed one is rejected here instead of erroring the stream.
      deserializer: (event) => event.data,
      ...(options.protocols === undefined ? {} : { protocol: options.protocols }),
      ...(options.WebSocketCtor === undefined ? {} : { WebSocketCtor: options.WebSocketCtor }),
      openObserver: {
        next: () => {
          attempt.open = true;
          logger.info('socket connected');
          subscriber.next({ type: 'SOCKET.CONNECTED' });
        },
      },
      closeObserver: {
        next: () => {
          // Only a socket that was open can go down; a failed attempt must not reset the backoff.
          if (!attempt.open) return;
          attempt.open = false;
          logger.info('socket disconnected');
          subscriber.next({ type: 'SOCKET.DISCONNECTED' });
        },
      },
    });
    const heartbeatMs = options.heartbeatMs ?? 0;
    const frames = heartbeatMs > 0 ? socket$.pipe(timeout({ each: heartbeatMs })) : socket$;
    const subscription = frames.subscribe({
      next: (raw) => {
        const event = decode(raw, options.map ?? mapTokenBalanceMessage, logger);
        if (event !== null) subscriber.next(event);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.error(new SocketClosedError('socket closed')),
    });
    return () => subscription.unsubscribe();
  });
}

/**
 * The server's push channel as events, on `rxjs/webSocket`: `SOCKET.CONNECTED` /
 * `SOCKET.DISCONNECTED`, `token-balance-updated` → `SOCKET.BALANCE_UPDATED` (or
 * `SOCKET.INVALIDATE` without a balance). Reconnects with exponential backoff and jitter, reset
 * by a successful connection; follows the signed-in user (no user, no socket).
 *
 * @example
 * createBalanceSync({ fetchBalance, sources: [websocketSource({ url: 'wss://api.example/ws' })] });
 */
export function websocketSource(options: WebSocketSourceOptions): BalanceSource {
  return ({ user$, logger }) => {
    const users = options.userId === undefined ? user$ : of(options.userId);
    const baseMs = options.reconnect?.baseMs ?? 1_000;
    const maxMs = options.reconnect?.maxMs ?? 30_000;
    const random = options.random ?? Math.random;
    const connection: Connection = { latest: null };
    return users.pipe(
      distinctUntilChanged(),
      switchMap((userId) => {
        // Switching users drops the old socket: it no longer vouches for anything.
        const wasOpen = connection.latest?.open === true;
        connection.latest = null;
        const dropped = wasOpen ? of<BalanceEvent>({ type: 'SOCKET.DISCONNECTED' }) : EMPTY;
        if (userId === null) return dropped;
        const url = typeof options.url === 'function' ? options.url(userId) : options.url;
        const connected = defer(() => connectOnce(url, options, connection, logger)).pipe(
          retry({
            resetOnSuccess: true,
            delay: (error: unknown, attempt: number) => {
              const delayMs = backoffDelay({ attempts: 0, baseMs, maxMs }, attempt, random());
              logger.info('socket reconnecting', { attempt, delayMs, error: String(error) });
              return timer(delayMs);
            },
          }),
        );
        return concat(dropped, connected);
      }),
    );
  };
}
