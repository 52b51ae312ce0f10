import { map, Observable, throwError, timeout } from 'rxjs';
import type { BalanceEvent } from '../../machines/events.js';
import { createConnectionGate } from './connection-gate.js';
import { type ChannelState, followUser } from './follow-user.js';
import { type DecodeOptions, decodeFrame } from './frame-decoder.js';
import { DEFAULT_HEALTHY_MS, reconnecting } from './reconnect.js';
import { type MessageMapper, mapTokenBalanceMessage } from './token-balance-message.js';
import type { SourceContext } from './types.js';

/** Options shared by the push channels (`websocketSource`, `sseSource`). */
export interface PushChannelOptions {
  /** The endpoint, or a function of the user, called for every (re)connect (a fresh token). */
  url: string | ((userId: string) => string);
  /**
   * A fixed user to connect for: the channel connects only while that user is signed in (its
   * frames are for no one else, so it vouches for no one else's value). Without it the channel
   * follows the sync's signed-in user, reconnecting on every change (no user, no connection).
   * @default the sync's signed-in user
   */
  userId?: string;
  /** Server message → event; null ignores it. @default mapTokenBalanceMessage */
  map?: MessageMapper;
  /**
   * Reconnect backoff (ms), exponential with equal jitter from `baseMs` up to `maxMs`; after
   * three quick attempts, at least 1 s apart. A connection that stayed up `healthyMs` (at least
   * 1_000) resets it; one dropped sooner (a server that accepts and closes) keeps backing off.
   * @default `{ baseMs: 1_000, maxMs: 30_000, healthyMs: 5_000 }`
   */
  reconnect?: { baseMs?: number; maxMs?: number; healthyMs?: number };
  /** Reconnect when nothing (pings count) arrives for this long. 0 = off. @default 0 */
  heartbeatMs?: number;
  /**
   * Give up an attempt that has not opened within this long, and reconnect with the backoff: a
   * server, proxy or network that never answers the handshake must not leave the sync without
   * pushes for the rest of the session. 0 = off. @default 10_000
   */
  connectTimeoutMs?: number;
  /**
   * Wait for the server's hello (`token-balance-hello`, the current value) before announcing the
   * connection, so the connection event carries it and the core skips its catch-up request.
   * Any other first message, or `timeoutMs` without one, announces a plain connection. Off: a
   * plain `SOCKET.CONNECTED` on open, and a hello arriving later is its own
   * `SOCKET.CONNECTED` with `hello`. `timeoutMs` is 1_000 unless given.
   * @default false
   */
  hello?: boolean | { timeoutMs?: number };
  /** Randomness for the reconnect jitter, in [0, 1): inject one for tests. @default Math.random */
  random?: () => number;
}

/** What a transport reports of one connection attempt; it ends (completes or errors) with it. */
export type TransportSignal =
  | { kind: 'open' }
  | { kind: 'frame'; data: unknown; eventName?: string; id?: string }
  /** Something arrived that is no message (an SSE comment): the connection is alive. */
  | { kind: 'activity' };

export interface Attempt {
  signals: Observable<TransportSignal>;
  /** A resume was asked for (SSE `Last-Event-ID`): wait for the server's `resumed` marker. */
  resuming: boolean;
}

export interface PushChannel {
  /** Names the channel in log lines: `socket`, `stream`. */
  label: string;
  /** One connection attempt to `url` for `userId`, made lazily for every (re)connect. */
  connect(userId: string, url: string): Attempt;
}

export class ChannelClosedError extends Error {
  override name = 'ChannelClosedError';
}

export const DEFAULT_HELLO_TIMEOUT_MS = 1_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * A push channel as events: follows the user, reconnects with backoff, decodes and maps frames,
 * announces `SOCKET.CONNECTED` (with the hello or resume marker when there is one) and
 * `SOCKET.DISCONNECTED` when an open connection ends. Transports only report what happens.
 */
export function pushChannel(
  { user$, logger }: SourceContext,
  options: PushChannelOptions,
  channel: PushChannel,
): Observable<BalanceEvent> {
  // A fixed user's channel carries only that user's frames: it connects (and vouches) only
  // while that user is the one signed in, never for another user's value.
  const fixed = options.userId;
  const users =
    fixed === undefined ? user$ : user$.pipe(map((userId) => (userId === fixed ? userId : null)));
  const state: ChannelState = { latest: null };
  const decode: DecodeOptions = {
    map: options.map ?? mapTokenBalanceMessage,
    logger,
    label: channel.label,
  };
  const policy = {
    baseMs: options.reconnect?.baseMs ?? 1_000,
    maxMs: options.reconnect?.maxMs ?? 30_000,
    healthyMs: options.reconnect?.healthyMs ?? DEFAULT_HEALTHY_MS,
    random: options.random ?? Math.random,
  };
  // The url per attempt: a function of the user may put a fresh token in it on every reconnect.
  const urlOf = (userId: string) =>
    typeof options.url === 'function' ? options.url(userId) : options.url;
  return followUser(users, state, (userId) =>
    reconnecting(
      () => runAttempt(channel.connect(userId, urlOf(userId)), state, options, decode),
      policy,
      logger,
      channel.label,
    ),
  );
}

function runAttempt(
  attempt: Attempt,
  state: ChannelState,
  options: PushChannelOptions,
  decode: DecodeOptions,
): Observable<BalanceEvent> {
  const { logger, label } = decode;
  return new Observable<BalanceEvent>((subscriber) => {
    // Per attempt: an old connection's late close must not touch the new one's state.
    const current = { open: false };
    state.latest = current;
    const emit = (event: BalanceEvent) => subscriber.next(event);
    const hello = options.hello ?? false;
    const gate = createConnectionGate(emit, {
      awaitHello: hello !== false,
      resuming: attempt.resuming,
      timeoutMs:
        (typeof hello === 'object' ? hello.timeoutMs : undefined) ?? DEFAULT_HELLO_TIMEOUT_MS,
    });
    const closed = () => {
      gate.dispose();
      // Only a connection that was open can go down; a failed attempt must not reset the backoff.
      if (!current.open) return;
      current.open = false;
      logger.info(`${label} disconnected`);
      emit({ type: 'SOCKET.DISCONNECTED' });
    };
    const subscription = withDeadlines(attempt.signals, options, label).subscribe({
      next: (signal) => {
        if (signal.kind === 'open') {
          current.open = true;
          logger.info(`${label} connected`);
          gate.opened();
        } else if (signal.kind === 'frame') {
          const event = decodeFrame(signal.data, decode, signal.eventName);
          if (event !== null) gate.event(event);
        }
      },
      error: (error: unknown) => {
        closed();
        subscriber.error(error);
      },
      complete: () => {
        closed();
        subscriber.error(new ChannelClosedError(`${label} closed`));
      },
    });
    return () => {
      gate.dispose();
      subscription.unsubscribe();
    };
  });
}

/**
 * An attempt fails when it does not open within `connectTimeoutMs`, or when nothing arrives for
 * `heartbeatMs` once open; unsubscribing it closes the transport, and the backoff reconnects.
 */
function withDeadlines(
  signals: Observable<TransportSignal>,
  options: PushChannelOptions,
  label: string,
): Observable<TransportSignal> {
  const connectMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const heartbeatMs = options.heartbeatMs ?? 0;
  if (connectMs === 0 && heartbeatMs === 0) return signals;
  return signals.pipe(
    timeout({
      // rxjs: `first` bounds the wait for the first signal (the open), `each` every later gap.
      ...(connectMs > 0 ? { first: connectMs } : {}),
      ...(heartbeatMs > 0 ? { each: heartbeatMs } : {}),
      with: ({ seen }) =>
        throwError(
          () =>
            new Error(
              seen === 0 && connectMs > 0
                ? `${label} not open within ${connectMs} ms`
                : `${label} silent for ${heartbeatMs} ms`,
            ),
        ),
    }),
  );
}
