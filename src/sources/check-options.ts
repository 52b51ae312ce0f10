/**
 * The sources' options, checked when the source is made (in the options of `createBalanceSync`):
 * as for the sync's own options, a value that cannot work throws at once, naming it. Timers get
 * an upper bound too: past ~24.8 days a browser fires a timer at once, so a heartbeat of 1e10 ms
 * would reconnect, or restate the connection, in a loop.
 */
import { MAX_TIMER_MS, STEADY_RETRY_MS } from '../../machines/policy.js';
import { duration, POSITIVE } from '../core/duration.js';
import { need } from '../core/errors.js';
import { hasMethods, isRecord, isUserId } from '../core/shared.js';
import type { CrossTabSourceOptions } from './cross-tab.js';
import type { PushChannelOptions } from './push-channel.js';
import type { SocketEventsOptions } from './socket-events.js';
import type { SseSourceOptions } from './sse.js';
import type { WebSocketSourceOptions } from './websocket.js';

const isOptionalFunction = (value: unknown) => value === undefined || typeof value === 'function';

/** `websocketSource` and `sseSource` options; `source` names them in errors. */
export function checkPushOptions(source: string, options: PushChannelOptions): void {
  need(isRecord(options), source, 'needs options: { url, ... }');
  const { url, reconnect, hello } = options;
  need(
    isUserId(url) || typeof url === 'function',
    `${source} url`,
    'must be a non-empty string or (userId) => string',
  );
  need(
    options.userId === undefined || isUserId(options.userId),
    `${source} userId`,
    'must be a non-empty string',
  );
  need(isOptionalFunction(options.map), `${source} map`, 'must be a function');
  need(isOptionalFunction(options.random), `${source} random`, 'must be a function');
  need(
    reconnect === undefined || isRecord(reconnect),
    `${source} reconnect`,
    'must be { baseMs, maxMs }',
  );
  const baseMs = duration(`${source} reconnect.baseMs`, reconnect?.baseMs, 0, [
    0,
    false,
    false,
    MAX_TIMER_MS,
  ]);
  duration(`${source} reconnect.maxMs`, reconnect?.maxMs, 0, [baseMs, false, false, MAX_TIMER_MS]);
  // Below the 1 s floor of steady reconnects, every open would reset the backoff: a storm.
  duration(`${source} reconnect.healthyMs`, reconnect?.healthyMs, 0, [
    STEADY_RETRY_MS,
    false,
    false,
    MAX_TIMER_MS,
  ]);
  duration(`${source} heartbeatMs`, options.heartbeatMs, 0, [POSITIVE, false, true, MAX_TIMER_MS]);
  duration(`${source} connectTimeoutMs`, options.connectTimeoutMs, 0, [
    POSITIVE,
    false,
    true,
    MAX_TIMER_MS,
  ]);
  checkHello(source, hello);
}

/** The `hello` option of the push sources and `fromSocketEvents`. */
function checkHello(source: string, hello: unknown): void {
  need(
    hello === undefined || typeof hello === 'boolean' || isRecord(hello),
    `${source} hello`,
    'must be a boolean or { timeoutMs }',
  );
  const timeoutMs = isRecord(hello) ? hello.timeoutMs : undefined;
  duration(`${source} hello.timeoutMs`, timeoutMs, 0, [POSITIVE, false, false, MAX_TIMER_MS]);
}

const isStrings = (value: unknown) => Array.isArray(value) && value.every((item) => isUserId(item));

/** `websocketSource` options: the channel's, then the WebSocket's own. */
export function checkWebSocketOptions(options: WebSocketSourceOptions): void {
  checkPushOptions('websocketSource', options);
  const { protocols } = options;
  need(
    protocols === undefined || isUserId(protocols) || isStrings(protocols),
    'websocketSource protocols',
    'must be a string or an array of strings',
  );
  need(
    isOptionalFunction(options.WebSocketCtor),
    'websocketSource WebSocketCtor',
    'must be a WebSocket constructor',
  );
}

/** `sseSource` options: the channel's, then the transport's. */
export function checkSseOptions(options: SseSourceOptions): void {
  checkPushOptions('sseSource', options);
  const { transport, headers, eventNames, withCredentials } = options;
  need(
    transport === undefined || transport === 'eventsource' || transport === 'fetch',
    'sseSource transport',
    "must be 'eventsource' or 'fetch'",
  );
  need(
    headers === undefined || typeof headers === 'function' || isRecord(headers),
    'sseSource headers',
    'must be an object or (userId) => headers',
  );
  // No names, no events: the stream would still say it is live, vouching for a value it
  // can never update.
  need(
    eventNames === undefined || (isStrings(eventNames) && eventNames.length > 0),
    'sseSource eventNames',
    'must be a non-empty array of event names',
  );
  need(
    withCredentials === undefined || typeof withCredentials === 'boolean',
    'sseSource withCredentials',
    'must be a boolean',
  );
  need(
    isOptionalFunction(options.EventSourceCtor),
    'sseSource EventSourceCtor',
    'must be an EventSource constructor',
  );
  need(isOptionalFunction(options.fetch), 'sseSource fetch', 'must be a fetch function');
}

/**
 * Below this a follower's watchdog (three heartbeats) fires between two restatements on a busy
 * page: it would drop and re-hear the connection, and fetch each time.
 */
export const MIN_CONNECTION_HEARTBEAT_MS = 100;

/** `crossTabSource` options. */
export function checkCrossTabOptions(options: CrossTabSourceOptions): void {
  need(isRecord(options), 'crossTabSource', 'options must be an object');
  const { channelName, push } = options;
  need(
    channelName === undefined || isUserId(channelName),
    'crossTabSource channelName',
    'must be a non-empty string',
  );
  need(
    isOptionalFunction(options.broadcastChannel),
    'crossTabSource broadcastChannel',
    'must be a function',
  );
  need(isOptionalFunction(options.locks), 'crossTabSource locks', 'must be a function');
  const sources = push === undefined ? [] : [push].flat();
  need(
    sources.every(
      (source) =>
        typeof source === 'function' ||
        (isRecord(source) && typeof source.subscribe === 'function'),
    ),
    'crossTabSource push',
    'must be sources (websocketSource, sseSource, an Observable)',
  );
  // A follower trusts the leader for three heartbeats: that too must fit in a timer.
  duration('crossTabSource connectionHeartbeatMs', options.connectionHeartbeatMs, 0, [
    MIN_CONNECTION_HEARTBEAT_MS,
    false,
    false,
    Math.floor(MAX_TIMER_MS / 3),
  ]);
}

/** `fromSocketEvents(socket, eventName, options)`. */
export function checkSocketEventsOptions(
  socket: unknown,
  eventName: unknown,
  options: SocketEventsOptions,
): void {
  need(hasMethods('on', 'off')(socket), 'fromSocketEvents socket', 'must have on and off');
  need(isUserId(eventName), 'fromSocketEvents eventName', 'must be a non-empty string');
  need(isRecord(options), 'fromSocketEvents options', 'must be { map?, logger?, hello? }');
  checkHello('fromSocketEvents', options.hello);
  need(isOptionalFunction(options.map), 'fromSocketEvents map', 'must be a function');
  need(
    options.logger === undefined ||
      options.logger === false ||
      hasMethods('debug', 'info', 'warn', 'error')(options.logger),
    'fromSocketEvents logger',
    'must be { debug, info, warn, error } or false',
  );
}
