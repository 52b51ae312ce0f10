export type { CrossTabSourceOptions } from './cross-tab.js';
export { crossTabSource } from './cross-tab.js';
export type { PushChannelOptions } from './push-channel.js';
export type {
  BroadcastChannelCtor,
  BroadcastChannelLike,
  EventHandlerLike,
  EventSourceCtor,
  EventSourceLike,
  EventSourceMessageLike,
  EventTargetLike,
  FetchInitLike,
  FetchLike,
  FetchResponseLike,
  LockManagerLike,
  StreamReaderLike,
  WebSocketCtor,
  WebSocketLike,
  WindowLike,
} from './runtime-types.js';
export type { SocketEventsOptions, SocketLike } from './socket-events.js';
export { fromSocketEvents } from './socket-events.js';
export type { SseSourceOptions } from './sse.js';
export { DEFAULT_SSE_EVENT_NAMES, sseSource } from './sse.js';
export type { HeadersOption } from './sse-fetch-transport.js';
export type { DecodedTabMessage, TabMessage } from './tab-message.js';
export { decodeTabMessage, TAB_PROTOCOL } from './tab-message.js';
export type { MessageMapper } from './token-balance-message.js';
export { mapTokenBalanceMessage } from './token-balance-message.js';
export type { BalanceSource, LocalHappening, SourceContext } from './types.js';
export type { WebSocketSourceOptions } from './websocket.js';
export { websocketSource } from './websocket.js';
export type { WindowSourceOptions } from './window.js';
export { windowSource } from './window.js';
