import type { BalanceEvent } from '../../machines/events.js';

export interface ConnectionGateOptions {
  /** Wait for the server's first message before announcing the connection (the hello option). */
  awaitHello: boolean;
  /** A resume was asked for: replayed events come first, then the server's `resumed` marker. */
  resuming: boolean;
  /** How long to wait for either before announcing a plain connection. */
  timeoutMs: number;
}

export interface ConnectionGate {
  /** The channel opened. */
  opened(): void;
  /** A mapped message of the channel. */
  event(event: BalanceEvent): void;
  /** The attempt ended: no timer may outlive it. */
  dispose(): void;
}

/**
 * Decides the connection event of one attempt. A hello (`SOCKET.CONNECTED` with `hello`) or a
 * resume marker (`resumed`) tells the core it needs no catch-up request, so when one may come
 * first, the announcement waits for it (up to `timeoutMs`) instead of sending a plain
 * `SOCKET.CONNECTED` that would start a catch-up at once:
 * - the first `SOCKET.CONNECTED` the server sends is the connection event;
 * - without a resume, any other first message ends the wait: plain connect, then that message;
 * - after a resume, replayed events pass through while it waits for the marker;
 * - the timeout announces a plain connect.
 * When not waiting, a plain `SOCKET.CONNECTED` goes out on open and every message passes through
 * as mapped (a later hello is then a `SOCKET.CONNECTED` with `hello`).
 */
export function createConnectionGate(
  emit: (event: BalanceEvent) => void,
  options: ConnectionGateOptions,
): ConnectionGate {
  let waiting = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopWaiting = () => {
    waiting = false;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return {
    opened() {
      if (!options.awaitHello && !options.resuming) {
        emit({ type: 'SOCKET.CONNECTED' });
        return;
      }
      waiting = true;
      timer = setTimeout(() => {
        stopWaiting();
        emit({ type: 'SOCKET.CONNECTED' });
      }, options.timeoutMs);
    },
    event(event) {
      if (!waiting) return emit(event);
      if (event.type === 'SOCKET.CONNECTED') {
        stopWaiting();
        return emit(event);
      }
      if (options.resuming) return emit(event);
      stopWaiting();
      emit({ type: 'SOCKET.CONNECTED' });
      emit(event);
    },
    dispose: stopWaiting,
  };
}
