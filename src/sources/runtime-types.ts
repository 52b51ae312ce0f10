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
  readonly readyState: number;
  onopen: EventHandlerLike<unknown> | null;
  onmessage: EventHandlerLike<{ data: unknown }> | null;
  onerror: EventHandlerLike<unknown> | null;
  onclose: EventHandlerLike<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** The browser's `WebSocket`, the `ws` package's `WebSocket` and Node 22's global all fit. */
export type WebSocketCtor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** What an `EventSource` listener reads of a message event. */
export interface EventSourceMessageLike {
  readonly data: string;
  readonly lastEventId: string;
}

/** An `EventSource`, as the SSE source drives it: named-event listeners and `close()`. */
export interface EventSourceLike {
  addEventListener(type: string, listener: EventHandlerLike<EventSourceMessageLike>): void;
  removeEventListener(type: string, listener: EventHandlerLike<EventSourceMessageLike>): void;
  close(): void;
}

/** The browser's `EventSource`, or a polyfill such as the `eventsource` package. */
export type EventSourceCtor = new (
  url: string,
  init?: { withCredentials?: boolean },
) => EventSourceLike;

/** A response body reader (`response.body.getReader()`), for the SSE fetch transport. */
export interface StreamReaderLike {
  read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  cancel(reason?: unknown): Promise<void>;
}

/** The parts of a `fetch` `Response` the SSE fetch transport reads. */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: { getReader(): StreamReaderLike } | null;
}

/** The request options the SSE fetch transport passes to `fetch`. */
export interface FetchInitLike {
  headers: Record<string, string>;
  signal: AbortSignal;
  cache: 'no-store';
  credentials?: 'include';
}

/** The global `fetch` of browsers and Node fits. */
export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

/** A `BroadcastChannel`, as the cross-tab source uses it. */
export interface BroadcastChannelLike {
  onmessage: EventHandlerLike<{ data: unknown }> | null;
  onmessageerror: EventHandlerLike<unknown> | null;
  postMessage(message: unknown): void;
  close(): void;
}

/** The browser's `BroadcastChannel` constructor (or a test double) fits. */
export type BroadcastChannelCtor = new (name: string) => BroadcastChannelLike;

/** Web Locks (`navigator.locks`): only the exclusive request with an abort signal. */
export interface LockManagerLike {
  request(
    name: string,
    options: { signal: AbortSignal },
    callback: (lock: unknown) => Promise<void> | undefined,
  ): Promise<unknown>;
}

/** `addEventListener` / `removeEventListener`: what the window source listens with. */
export interface EventTargetLike {
  addEventListener(type: string, listener: EventHandlerLike<unknown>): void;
  removeEventListener(type: string, listener: EventHandlerLike<unknown>): void;
}

/** What `windowSource` reads of a window: its events, visibility and reachability. */
export interface WindowLike extends EventTargetLike {
  readonly document: EventTargetLike & { readonly visibilityState: string };
  readonly navigator: { readonly onLine?: boolean };
}
