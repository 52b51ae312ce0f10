/**
 * SSE over a streaming `fetch`, for what `EventSource` cannot do: request headers
 * (`Authorization`, `Last-Event-ID`) and runtimes without it (Node, React Native).
 *
 * The stream is parsed with `eventsource-parser` (no dependencies, ~2 KB) rather than by hand:
 * a chunk may end inside a line, a CRLF pair or a multi-byte character, and the format has its
 * corner cases (BOM, CR-only line ends, multi-line data, ids with NUL, comments); a parser that
 * is tested against them beats forty lines of our own. `maxBufferSize` bounds what an endless
 * line can cost.
 */
import { createParser } from 'eventsource-parser';
import { Observable } from 'rxjs';
import type { TransportSignal } from './push-channel.js';
import type { FetchInitLike, FetchLike, StreamReaderLike } from './runtime-types.js';

/** Media types are case-insensitive (RFC 9110): `Text/Event-Stream; charset=utf-8` is one too. */
const isEventStream = (contentType: string): boolean =>
  contentType.split(';')[0]?.trim().toLowerCase() === 'text/event-stream';

/** Request headers for the SSE fetch transport, or a function of the user (a fresh token). */
export type HeadersOption =
  | Record<string, string>
  | ((userId: string) => Record<string, string> | Promise<Record<string, string>>);

export interface FetchTransportOptions {
  fetch: FetchLike;
  headers: HeadersOption | undefined;
  withCredentials: boolean;
}

export class StreamResponseError extends Error {
  override name = 'StreamResponseError';
}

const MAX_BUFFER_CHARS = 1_048_576;

export function fetchSignals(
  url: string,
  userId: string,
  lastEventId: string | null,
  options: FetchTransportOptions,
): Observable<TransportSignal> {
  return new Observable<TransportSignal>((subscriber) => {
    const abort = new AbortController();
    let reader: StreamReaderLike | null = null;
    const parser = createParser({
      maxBufferSize: MAX_BUFFER_CHARS,
      onEvent: (message) =>
        subscriber.next({
          kind: 'frame',
          data: message.data,
          eventName: message.event ?? 'message',
          ...(message.id === undefined ? {} : { id: message.id }),
        }),
      onComment: () => subscriber.next({ kind: 'activity' }),
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') subscriber.error(error);
      },
    });

    const read = async (): Promise<void> => {
      const extra =
        typeof options.headers === 'function'
          ? await options.headers(userId)
          : (options.headers ?? {});
      const init: FetchInitLike = {
        headers: {
          accept: 'text/event-stream',
          ...extra,
          ...(lastEventId === null ? {} : { 'last-event-id': lastEventId }),
        },
        signal: abort.signal,
        cache: 'no-store',
        ...(options.withCredentials ? { credentials: 'include' as const } : {}),
      };
      // Called on globalThis: a browser's fetch throws "Illegal invocation" when unbound.
      const response = await options.fetch.call(globalThis, url, init);
      const contentType = response.headers.get('content-type') ?? '';
      if (!response.ok || !isEventStream(contentType) || response.body === null) {
        void response.body
          ?.getReader()
          .cancel()
          .catch(() => {});
        throw new StreamResponseError(`stream refused: ${response.status} ${contentType}`.trim());
      }
      reader = response.body.getReader();
      subscriber.next({ kind: 'open' });
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
      subscriber.complete();
    };

    read().catch((error: unknown) => {
      // After unsubscribe the abort itself rejects the read: that is no failure.
      if (!abort.signal.aborted) subscriber.error(error);
    });
    return () => {
      abort.abort();
      void reader?.cancel().catch(() => {});
    };
  });
}
