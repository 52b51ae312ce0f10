/**
 * The parts of browser (and Node) APIs that the sources use, as small structural types: the
 * public types then need no DOM lib, and the browser's classes, the `ws` package, Node's globals
 * and test fakes all fit without casts (tests/sources/types-without-dom.test.ts checks it).
 */

/**
 * A handler compared bivariantly (the idiom of React's typings): a DOM handler typed with a
 * richer event (`MessageEvent`, `CloseEvent`) still fits a slot typed with the fields we read.
 */
export type EventHandlerLike<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** A WHATWG-style WebSocket, as `rxjs/webSocket` drives it. */
export interface WebSocketLike {
  /** `0` connecting, `1` open, `2` closing, `3` closed. */
  readonly readyState: number;
  /** Called when the connection opens. */
  onopen: EventHandlerLike<unknown> | null;
  /** Called with each message; `data` is the frame (text is parsed as JSON). */
  onmessage: EventHandlerLike<{ data: unknown }> | null;
  /** Called when the connection fails. */
  onerror: EventHandlerLike<unknown> | null;
  /** Called when the connection closes, whoever closed it. */
  onclose: EventHandlerLike<unknown> | null;
  /** Sends a text frame. */
  send(data: string): void;
  /** Closes the connection (when the user changes or the sync stops). */
  close(code?: number, reason?: string): void;
}

/** The browser's `WebSocket`, the `ws` package's `WebSocket` and Node 22's global all fit. */
export type WebSocketCtor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** What an `EventSource` listener reads of a message event. */
export interface EventSourceMessageLike {
  /** The event's `data`, parsed as JSON by the source. */
  readonly data: string;
  /** The event's `id` (or the last one seen), remembered to resume the stream. */
  readonly lastEventId: string;
}

/** An `EventSource`, as the SSE source drives it: named-event listeners and `close()`. */
export interface EventSourceLike {
  /** Listens to a named event (`open`, `error`, or an event name of the stream). */
  addEventListener(type: string, listener: EventHandlerLike<EventSourceMessageLike>): void;
  /** Stops listening to it. */
  removeEventListener(type: string, listener: EventHandlerLike<EventSourceMessageLike>): void;
  /** Closes the stream for good (the source reconnects itself, with backoff). */
  close(): void;
}

/** The browser's `EventSource`, or a polyfill such as the `eventsource` package. */
export type EventSourceCtor = new (
  url: string,
  init?: { withCredentials?: boolean },
) => EventSourceLike;

/** A response body reader (`response.body.getReader()`), for the SSE fetch transport. */
export interface StreamReaderLike {
  /** The next chunk of bytes, or `done` at the end of the stream. */
  read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  /** Ends the stream early (when the user changes or the sync stops). */
  cancel(reason?: unknown): Promise<void>;
}

/** The parts of a `fetch` `Response` the SSE fetch transport reads. */
export interface FetchResponseLike {
  /** True for a 2xx status; anything else is a failed attempt (then backoff and retry). */
  readonly ok: boolean;
  /** The HTTP status, named in the error of a refused stream. */
  readonly status: number;
  /** The response headers; `content-type` must be `text/event-stream`. */
  readonly headers: { get(name: string): string | null };
  /** The streamed body; `null` is a failed attempt. */
  readonly body: { getReader(): StreamReaderLike } | null;
}

/** The request options the SSE fetch transport passes to `fetch`. */
export interface FetchInitLike {
  /** The `headers` option's headers, `accept: text/event-stream` and `Last-Event-ID` to resume. */
  headers: Record<string, string>;
  /** Aborted when the connection is no longer wanted (user change, stop, heartbeat timeout). */
  signal: AbortSignal;
  /** Always `no-store`: a stream is never cached. */
  cache: 'no-store';
  /** `include` with `withCredentials: true`, to send cookies cross-origin. */
  credentials?: 'include';
}

/** The global `fetch` of browsers and Node fits. */
export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

/** A `BroadcastChannel`, as the cross-tab source uses it. */
export interface BroadcastChannelLike {
  /** Called with each message another tab posted (`data`: a `TabMessage`, validated). */
  onmessage: EventHandlerLike<{ data: unknown }> | null;
  /** Called when a message cannot be deserialized; logged and ignored. */
  onmessageerror: EventHandlerLike<unknown> | null;
  /** Posts a message to the other tabs on the channel. */
  postMessage(message: unknown): void;
  /** Leaves the channel (when the sync stops). */
  close(): void;
}

/** The browser's `BroadcastChannel` constructor (or a test double) fits. */
export type BroadcastChannelCtor = new (name: string) => BroadcastChannelLike;

/** Web Locks (`navigator.locks`): only the exclusive request with an abort signal. */
export interface LockManagerLike {
  /**
   * Waits for the exclusive lock `name` (or until `signal` aborts), then holds it until the
   * promise `callback` returns settles: the leader tab returns one that settles when it stops.
   */
  request(
    name: string,
    options: { signal: AbortSignal },
    callback: (lock: unknown) => Promise<void> | undefined,
  ): Promise<unknown>;
}

/** `addEventListener` / `removeEventListener`: what the window source listens with. */
export interface EventTargetLike {
  /** Listens to `type` (`visibilitychange`, `online`, `offline`, `focus`). */
  addEventListener(type: string, listener: EventHandlerLike<unknown>): void;
  /** Stops listening, when the source is unsubscribed. */
  removeEventListener(type: string, listener: EventHandlerLike<unknown>): void;
}

/** What `windowSource` reads of a window: its events, visibility and reachability. */
export interface WindowLike extends EventTargetLike {
  /** Its `visibilitychange` events and `visibilityState` (`hidden` or anything else: visible). */
  readonly document: EventTargetLike & { readonly visibilityState: string };
  /** `onLine: false` starts the source offline; unknown counts as online. */
  readonly navigator: { readonly onLine?: boolean };
}
