export type { SocketLike } from './socket-events.js';
export { fromSocketEvents } from './socket-events.js';
export type { MessageMapper } from './token-balance-message.js';
export { mapTokenBalanceMessage } from './token-balance-message.js';
export type { BalanceSource, LocalHappening, SourceContext } from './types.js';
export type { WebSocketSourceOptions } from './websocket.js';
export { websocketSource } from './websocket.js';
export type { WindowSourceOptions } from './window.js';
export { windowSource } from './window.js';
