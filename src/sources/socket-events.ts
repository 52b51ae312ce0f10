import { Observable } from 'rxjs';
import type { BalanceEvent } from '../../machines/events.js';
import { resolveLogger } from '../core/logger.js';
import { safeLogger } from '../core/safe-logger.js';
import { describeError, isRecord } from '../core/shared.js';
import type { BalanceLogger } from '../types.js';
import { checkSocketEventsOptions } from './check-options.js';
import { createConnectionGate } from './connection-gate.js';
import { DEFAULT_HELLO_TIMEOUT_MS } from './push-channel.js';
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
   * Where a message the mapper cannot read is reported (it is dropped, and the stream goes on);
   * `false` is silent, as the sync's own `logger: false`.
   * @default defaultLogger()
   */
  logger?: BalanceLogger | false;
  /**
   * Listen to `token-balance-hello` too, and announce a connection only with the server's hello
   * (up to `timeoutMs`, 1_000 unless given): the connection event then carries the current
   * value and spares the catch-up request, as the push sources' `hello` option does.
   * @default false
   */
  hello?: boolean | { timeoutMs?: number };
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
  // Its calls sit in the socket client's listeners: a throwing logger must not throw into the
  // client's emitter (invariant 6), so it is wrapped as the core wraps its own.
  const logger = safeLogger(resolveLogger(options.logger));
  /** A message of a named event: the name says what it is, whatever `type` it has itself. */
  const named = (name: string) => (payload: unknown) => {
    if (!isRecord(payload)) {
      logger.warn(`rejected socket message: ${name} is not an object`);
      return null;
    }
    const type = namedMessages.has(name) ? name : 'token-balance-updated';
    return mapTokenBalanceMessage({ ...payload, type });
  };
  const mapMessage = options.map ?? named(eventName);
  const read = (mapper: MessageMapper, payload: unknown): BalanceEvent | null => {
    try {
      return mapper(payload) ?? null;
    } catch (error) {
      logger.warn('rejected socket message: the message mapper threw', {
        error: describeError(error),
      });
      return null;
    }
  };
  const hello = options.hello ?? false;
  const listened: [string, MessageMapper][] = [[eventName, mapMessage]];
  if (hello !== false && eventName !== 'token-balance-hello') {
    listened.push(['token-balance-hello', named('token-balance-hello')]);
  }
  return new Observable<BalanceEvent>((subscriber) => {
    const emit = (event: BalanceEvent) => subscriber.next(event);
    const gateOptions = {
      awaitHello: hello !== false,
      resuming: false,
      timeoutMs:
        (typeof hello === 'object' ? hello.timeoutMs : undefined) ?? DEFAULT_HELLO_TIMEOUT_MS,
    };
    let gate = createConnectionGate(emit, gateOptions);
    const onConnect = () => {
      gate.dispose();
      gate = createConnectionGate(emit, gateOptions);
      gate.opened();
    };
    const onDisconnect = () => {
      gate.dispose();
      emit({ type: 'SOCKET.DISCONNECTED' });
    };
    // The message is the first argument: socket.io passes an acknowledgement callback after it.
    const handlers = listened.map(([name, mapper]) => {
      const handler = (message: unknown) => {
        const event = read(mapper, message);
        if (event !== null) gate.event(event);
      };
      return [name, handler as (...args: unknown[]) => void] as const;
    });
    const all = [['connect', onConnect], ['disconnect', onDisconnect], ...handlers] as const;
    for (const [name, handler] of all) socket.on(name, handler);
    if (socket.connected) onConnect();
    return () => {
      gate.dispose();
      for (const [name, handler] of all) socket.off(name, handler);
    };
  });
}
