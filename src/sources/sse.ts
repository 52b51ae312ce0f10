import { EMPTY, type Observable, tap } from 'rxjs';
import { checkSseOptions } from './check-options.js';
import { globalValue } from './global-value.js';
import { type PushChannelOptions, pushChannel, type TransportSignal } from './push-channel.js';
import type { EventSourceCtor, FetchLike } from './runtime-types.js';
import { eventSourceSignals, withLastEventId } from './sse-event-source-transport.js';
import { fetchSignals, type HeadersOption } from './sse-fetch-transport.js';
import type { BalanceSource } from './types.js';

/** Options of `sseSource`: the push channel's options plus the SSE transport's. */
export interface SseSourceOptions extends PushChannelOptions {
  /**
   * `eventsource`: the browser's `EventSource` (the last event id goes in a `lastEventId` query
   * parameter). `fetch`: a streaming `fetch`, which can send headers (`Last-Event-ID`,
   * `Authorization`) and counts `: ping` comments for `heartbeatMs` (an `EventSource` never
   * shows comments: with it, `heartbeatMs` only sees events).
   * @default 'eventsource', or 'fetch' with `headers`
   */
  transport?: 'eventsource' | 'fetch';
  /** Request headers (fetch transport), or a function of the user (e.g. a fresh token). */
  headers?: HeadersOption;
  /** Send cookies cross-origin (`withCredentials` / `credentials: 'include'`). @default false */
  withCredentials?: boolean;
  /**
   * The SSE event names to listen to (an `EventSource` delivers named events only to listeners
   * of that name; the fetch transport sees all): by default the token-balance events and
   * `message`.
   * @default DEFAULT_SSE_EVENT_NAMES
   */
  eventNames?: readonly string[];
  /**
   * The `EventSource` constructor (`eventsource` transport), for runtimes without a global one
   * (Node: the `eventsource` package). With none at all, the source stays silent (server
   * rendering).
   * @default globalThis.EventSource
   */
  EventSourceCtor?: EventSourceCtor;
  /**
   * The `fetch` the `fetch` transport streams with, for runtimes without a global one or to add
   * behaviour (a proxy, a test double). With none at all, the source stays silent.
   * @default globalThis.fetch
   */
  fetch?: FetchLike;
}

/** The SSE event names `sseSource` listens to unless told otherwise (`eventNames`). */
export const DEFAULT_SSE_EVENT_NAMES: readonly string[] = [
  'token-balance-updated',
  'token-balance-invalidated',
  'token-balance-hello',
  'token-balance-resumed',
  'message',
];

type Opener = (
  url: string,
  userId: string,
  lastEventId: string | null,
) => Observable<TransportSignal>;

function opener(options: SseSourceOptions): Opener | string {
  const transport = options.transport ?? (options.headers === undefined ? 'eventsource' : 'fetch');
  const withCredentials = options.withCredentials ?? false;
  if (transport === 'fetch') {
    const fetch = options.fetch ?? globalValue<FetchLike>('fetch');
    if (fetch === undefined) return 'no fetch: no push stream';
    return (url, userId, lastEventId) =>
      fetchSignals(url, userId, lastEventId, { fetch, headers: options.headers, withCredentials });
  }
  const EventSourceCtor = options.EventSourceCtor ?? globalValue<EventSourceCtor>('EventSource');
  if (EventSourceCtor === undefined) return 'no EventSource: no push stream';
  const eventNames = options.eventNames ?? DEFAULT_SSE_EVENT_NAMES;
  return (url, _userId, lastEventId) =>
    eventSourceSignals(withLastEventId(url, lastEventId), {
      EventSourceCtor,
      eventNames,
      withCredentials,
    });
}

/**
 * The server's push channel over Server-Sent Events, with the same events, user following,
 * backoff and `hello` option as `websocketSource`. It remembers the last event id per user and
 * resumes with it: a server that replays what was missed and then sends `token-balance-resumed`
 * makes the connection event `SOCKET.CONNECTED` with `resumed: true` (no catch-up request);
 * one that cannot honour it sends its hello, or nothing, and the connection is a plain one.
 * While a resume is pending, replayed events pass through and the connection event waits for
 * the marker or hello, up to `hello.timeoutMs` (1 s by default, whatever `hello` is).
 *
 * @example
 * ```ts
 * import { createBalanceSync, sseSource } from 'balance-sync';
 *
 * createBalanceSync({
 *   fetchBalance,
 *   sources: [sseSource({ url: (userId) => `/api/balance/stream?user=${userId}` })],
 * });
 * // With headers (fetch transport):
 * sseSource({
 *   url: '/api/balance/stream',
 *   headers: () => ({ authorization: `Bearer ${localStorage.getItem('token')}` }),
 * });
 * ```
 */
export function sseSource(options: SseSourceOptions): BalanceSource {
  checkSseOptions(options);
  return (context) => {
    const open = opener(options);
    if (typeof open === 'string') {
      context.logger.info(open);
      return EMPTY;
    }
    // Per subscription: stop() forgets them; a user switch and back resumes where it left.
    const lastEventIds = new Map<string, string>();
    return pushChannel(context, options, {
      label: 'stream',
      connect: (userId, url) => {
        const lastEventId = lastEventIds.get(userId) ?? null;
        const signals = open(url, userId, lastEventId).pipe(
          tap((signal) => {
            if (signal.kind === 'frame' && signal.id !== undefined)
              lastEventIds.set(userId, signal.id);
          }),
        );
        return { signals, resuming: lastEventId !== null };
      },
    });
  };
}
