import { defer, EMPTY, filter, fromEvent, map, merge, type Observable, of } from 'rxjs';
import type { BalanceEvent } from '../../machines/events.js';
import { defaultLogger } from '../core/logger.js';
import { describeError, isRecord } from '../core/shared.js';
import type { BalanceLogger } from '../types.js';
import { checkSocketEventsOptions } from './check-options.js';
import { type MessageMapper, mapTokenBalanceMessage } from './token-balance-message.js';

/** The part of a socket.io client (or any `on`/`off` emitter) this adapter needs. */
export interface SocketLike {
  /** Adds a listener for a named event (`connect`, `disconnect`, the balance message). */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Removes it again, when the sync stops. */
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  /** True when already connected on subscribe: a `SOCKET.CONNECTED` is emitted at once. */
  connected?: boolean;
}

/** Options of `fromSocketEvents`. */
export interface SocketEventsOptions {
  /** Balance message → event; null ignores it. @default mapTokenBalanceMessage */
  map?: MessageMapper;
  /**
   * Where a message the mapper cannot read is reported (it is dropped, and the stream goes on).
   * @default defaultLogger()
   */
  logger?: BalanceLogger;
}

/** Event names that say which server message they carry (the wire contract's `type`s). */
const namedMessages = new Set([
  'token-balance-updated',
  'token-balance-invalidated',
  'token-balance-hello',
  'token-balance-resumed',
]);

/**
 * Events from a socket client the app already has (socket.io or similar), with no dependency
 * on it: `connect` / `disconnect` and the balance message (default `token-balance-updated`).
 * The event's name says what its messages are: a wire contract name (`token-balance-hello`,
 * ...) that message, any other name (`balance:changed`) a balance update, whatever `type` the
 * payload itself has. A message the mapper throws on is logged and dropped: one bad message
 * must not end the stream.
 *
 * @example
 * ```ts
 * import { createBalanceSync, fromSocketEvents } from 'balance-sync';
 *
 * createBalanceSync({ fetchBalance, sources: [fromSocketEvents(io('https://api.example'))] });
 * ```
 */
export function fromSocketEvents(
  socket: SocketLike,
  eventName = 'token-balance-updated',
  options: SocketEventsOptions = {},
): Observable<BalanceEvent> {
  checkSocketEventsOptions(socket, eventName, options);
  // The event's name says what the message is; any other name carries balance updates.
  const messageType = namedMessages.has(eventName) ? eventName : 'token-balance-updated';
  const logger = options.logger ?? defaultLogger();
  const mapMessage =
    options.map ??
    ((payload: unknown) => {
      if (!isRecord(payload)) {
        logger.warn(`rejected socket message: ${eventName} is not an object`);
        return null;
      }
      // The payload's own `type` (a ledger entry's kind, say) must not override the event's.
      return mapTokenBalanceMessage({ ...payload, type: messageType });
    });
  const read = (payload: unknown): BalanceEvent | null => {
    try {
      return mapMessage(payload) ?? null;
    } catch (error) {
      logger.warn('rejected socket message: the message mapper threw', {
        error: describeError(error),
      });
      return null;
    }
  };
  return defer(() =>
    merge(
      socket.connected ? of<BalanceEvent>({ type: 'SOCKET.CONNECTED' }) : EMPTY,
      fromEvent(socket, 'connect').pipe(map((): BalanceEvent => ({ type: 'SOCKET.CONNECTED' }))),
      fromEvent(socket, 'disconnect').pipe(
        map((): BalanceEvent => ({ type: 'SOCKET.DISCONNECTED' })),
      ),
      // The message is the first argument: socket.io passes an acknowledgement callback after it.
      fromEvent(socket, eventName, (message: unknown) => message).pipe(
        map(read),
        filter((event): event is BalanceEvent => event !== null),
      ),
    ),
  );
}
