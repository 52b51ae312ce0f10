// @vitest-environment node
/**
 * The sources' options are checked when the source is made, as the sync's are: a value that
 * cannot work throws at once, naming it. Timer options are bounded above too, since a browser
 * fires a timer past ~24.8 days at once (a 1e10 ms heartbeat would loop).
 */
import { EMPTY } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  BalanceConfigError,
  BalanceRangeError,
  crossTabSource,
  indexedDbCache,
  localStorageCache,
  sseSource,
  websocketSource,
  windowSource,
} from '../../src/index.js';

const makers = {
  websocketSource: (options: object) => websocketSource({ url: 'ws://x', ...options }),
  sseSource: (options: object) => sseSource({ url: '/stream', ...options }),
};

describe.each(Object.entries(makers))('%s options', (name, make) => {
  it.each([
    ['url', { url: 42 }],
    ['url', { url: '' }],
    ['userId', { userId: '' }],
    ['map', { map: 'x' }],
    ['random', { random: 0.5 }],
    ['reconnect', { reconnect: 5 }],
    ['reconnect.baseMs', { reconnect: { baseMs: '1' } }],
    ['hello', { hello: 'yes' }],
    ['heartbeatMs', { heartbeatMs: '10' }],
  ])('%s of the wrong type: BalanceConfigError naming it (%j)', (option, options) => {
    const error = catchError(() => make(options));
    expect(error).toBeInstanceOf(BalanceConfigError);
    expect((error as BalanceConfigError).option).toBe(`${name} ${option}`);
  });

  it.each([
    ['reconnect.baseMs', { reconnect: { baseMs: -1 } }],
    ['reconnect.baseMs', { reconnect: { baseMs: Number.NaN } }],
    ['reconnect.baseMs', { reconnect: { baseMs: 1e10 } }],
    ['reconnect.maxMs', { reconnect: { baseMs: 500, maxMs: 100 } }],
    ['reconnect.maxMs', { reconnect: { maxMs: Number.POSITIVE_INFINITY } }],
    ['heartbeatMs', { heartbeatMs: -5 }],
    ['heartbeatMs', { heartbeatMs: 1e10 }],
    ['heartbeatMs', { heartbeatMs: Number.POSITIVE_INFINITY }],
    ['hello.timeoutMs', { hello: { timeoutMs: 0 } }],
    ['hello.timeoutMs', { hello: { timeoutMs: 2 ** 31 } }],
  ])('%s out of range: BalanceRangeError naming it (%j)', (option, options) => {
    const error = catchError(() => make(options));
    expect(error).toBeInstanceOf(BalanceRangeError);
    expect((error as BalanceRangeError).option).toBe(`${name} ${option}`);
  });

  it('the limits themselves, and every default, are accepted', () => {
    expect(() => make({})).not.toThrow();
    expect(() =>
      make({
        url: (userId: string) => `ws://x/${userId}`,
        reconnect: { baseMs: 0, maxMs: 2 ** 31 - 1 },
        heartbeatMs: 0,
        hello: { timeoutMs: 2 ** 31 - 1 },
      }),
    ).not.toThrow();
    expect(() => make({ hello: true, heartbeatMs: 2 ** 31 - 1 })).not.toThrow();
  });
});

describe("the transports' own options", () => {
  it.each([
    ['websocketSource protocols', () => websocketSource({ url: 'ws://x', protocols: 42 as never })],
    ['websocketSource protocols', () => websocketSource({ url: 'ws://x', protocols: [''] })],
    [
      'websocketSource WebSocketCtor',
      () => websocketSource({ url: 'ws://x', WebSocketCtor: 42 as never }),
    ],
    ['sseSource transport', () => sseSource({ url: '/s', transport: 'websocket' as never })],
    ['sseSource eventNames', () => sseSource({ url: '/s', eventNames: [] })],
    ['sseSource eventNames', () => sseSource({ url: '/s', eventNames: 'message' as never })],
    ['sseSource headers', () => sseSource({ url: '/s', headers: 5 as never })],
    ['sseSource withCredentials', () => sseSource({ url: '/s', withCredentials: 'yes' as never })],
    ['sseSource EventSourceCtor', () => sseSource({ url: '/s', EventSourceCtor: 5 as never })],
    ['sseSource fetch', () => sseSource({ url: '/s', fetch: 5 as never })],
  ])('%s of the wrong type or empty: BalanceConfigError naming it', (option, make) => {
    const error = catchError(make);
    expect(error).toBeInstanceOf(BalanceConfigError);
    expect((error as BalanceConfigError).option).toBe(option);
  });

  it('every documented form is accepted', () => {
    expect(() => websocketSource({ url: 'ws://x', protocols: 'v1' })).not.toThrow();
    expect(() => websocketSource({ url: 'ws://x', protocols: ['v1', 'v2'] })).not.toThrow();
    expect(() =>
      sseSource({
        url: '/s',
        transport: 'fetch',
        headers: () => ({ authorization: 'Bearer t' }),
        withCredentials: true,
        eventNames: ['token-balance-updated'],
        fetch: async () => new Response(),
      }),
    ).not.toThrow();
    expect(() =>
      sseSource({ url: '/s', transport: 'eventsource', headers: { a: 'b' } }),
    ).not.toThrow();
  });
});

describe('crossTabSource options', () => {
  it.each([
    ['channelName', { channelName: '' }],
    ['locks', { locks: {} }],
    ['broadcastChannel', { broadcastChannel: 'BroadcastChannel' }],
    ['push', { push: [42] }],
    ['connectionHeartbeatMs', { connectionHeartbeatMs: '5s' }],
  ])('%s of the wrong type: BalanceConfigError naming it (%j)', (option, options) => {
    const error = catchError(() => crossTabSource(options as never));
    expect(error).toBeInstanceOf(BalanceConfigError);
    expect((error as BalanceConfigError).option).toBe(`crossTabSource ${option}`);
  });

  it.each([0, -1, 1, 99, 1e-300, Number.NaN, Number.POSITIVE_INFINITY, 1e10, 2 ** 31 / 3 + 1])(
    'connectionHeartbeatMs %s: BalanceRangeError (under 100 ms followers flap; three must fit one timer)',
    (connectionHeartbeatMs) => {
      const error = catchError(() => crossTabSource({ connectionHeartbeatMs }));
      expect(error).toBeInstanceOf(BalanceRangeError);
    },
  );

  it('defaults, a push source and the longest heartbeat are accepted', () => {
    expect(() => crossTabSource()).not.toThrow();
    expect(() =>
      crossTabSource({ push: [EMPTY, websocketSource({ url: 'ws://x' })], locks: () => null }),
    ).not.toThrow();
    expect(() =>
      crossTabSource({ connectionHeartbeatMs: Math.floor((2 ** 31 - 1) / 3) }),
    ).not.toThrow();
  });
});

// The same for the other factories an app configures: a layer or source that cannot work throws
// when made, not on the first read, subscribe or write (when the error would only be logged).
describe('cache layer and window source options', () => {
  const factories = {
    localStorageCache: (options: unknown) => localStorageCache(options as never),
    indexedDbCache: (options: unknown) => indexedDbCache(options as never),
    windowSource: (options: unknown) => windowSource(options as never),
  };
  it.each([
    ['localStorageCache', null, 'localStorageCache'],
    ['localStorageCache', { storage: 'localStorage' }, 'localStorageCache storage'],
    ['indexedDbCache', 'balances', 'indexedDbCache'],
    ['indexedDbCache', { dbName: '' }, 'indexedDbCache dbName'],
    ['indexedDbCache', { storeName: 7 }, 'indexedDbCache storeName'],
    ['windowSource', [], 'windowSource'],
    ['windowSource', { window: {} }, 'windowSource window'],
    ['windowSource', { focus: 'yes' }, 'windowSource focus'],
  ] as const)('%s(%j): BalanceConfigError naming %s', (factory, options, option) => {
    const error = catchError(() => factories[factory](options));
    expect(error).toBeInstanceOf(BalanceConfigError);
    expect((error as BalanceConfigError).option).toBe(option);
  });

  it('defaults and every documented form are accepted', () => {
    expect(() => localStorageCache()).not.toThrow();
    expect(() => localStorageCache({ storage: () => undefined })).not.toThrow();
    expect(() => indexedDbCache()).not.toThrow();
    expect(() => indexedDbCache({ dbName: 'app', storeName: 'balances' })).not.toThrow();
    expect(() => windowSource()).not.toThrow();
    expect(() => windowSource({ window: () => undefined, focus: true })).not.toThrow();
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
