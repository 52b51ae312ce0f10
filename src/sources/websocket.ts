import { EMPTY } from 'rxjs';
import { checkWebSocketOptions } from './check-options.js';
import { globalValue } from './global-value.js';
import { type PushChannelOptions, pushChannel } from './push-channel.js';
import type { WebSocketCtor } from './runtime-types.js';
import type { BalanceSource } from './types.js';
import { webSocketSignals } from './websocket-transport.js';

/** Options of `websocketSource`: the push channel's options plus the WebSocket's own. */
export interface WebSocketSourceOptions extends PushChannelOptions {
  /** WebSocket subprotocols, passed to the constructor as they are. */
  protocols?: string | string[];
  /**
   * The WebSocket constructor, for runtimes without a global one (Node before 22: the `ws`
   * package's `WebSocket`). With none at all, the source stays silent (server rendering).
   * @default globalThis.WebSocket
   */
  WebSocketCtor?: WebSocketCtor;
}

/**
 * The server's push channel over WebSocket, as events: `SOCKET.CONNECTED` /
 * `SOCKET.DISCONNECTED`, `token-balance-updated` → `SOCKET.BALANCE_UPDATED` (or
 * `SOCKET.INVALIDATE` without a balance), `token-balance-hello` → `SOCKET.CONNECTED` with
 * `hello`. Reconnects with exponential backoff and jitter, reset by a successful connection;
 * follows the signed-in user (no user, no socket).
 *
 * @example
 * ```ts
 * import { createBalanceSync, websocketSource } from 'balance-sync';
 *
 * createBalanceSync({
 *   fetchBalance,
 *   sources: [websocketSource({ url: 'wss://api.example/ws', hello: true })],
 * });
 * ```
 */
export function websocketSource(options: WebSocketSourceOptions): BalanceSource {
  checkWebSocketOptions(options);
  return (context) => {
    const Ctor = options.WebSocketCtor ?? globalValue<WebSocketCtor>('WebSocket');
    if (Ctor === undefined) {
      context.logger.info('no WebSocket: no push channel');
      return EMPTY;
    }
    return pushChannel(context, options, {
      label: 'socket',
      connect: (_userId, url) => ({
        signals: webSocketSignals(url, Ctor, options.protocols),
        resuming: false,
      }),
    });
  };
}
