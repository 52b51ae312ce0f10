// @vitest-environment node
/**
 * The logger's promise (no tokens in logs) holds when a push URL cannot be opened: the errors
 * quote the URL, and its query (`?token=…`) is cut before the line is logged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { describeError } from '../../src/core/shared.js';
import { sseSource } from '../../src/sources/sse.js';
import { websocketSource } from '../../src/sources/websocket.js';
import { type RecordedSource, recordSource } from '../helpers/source-recorder.js';
import { waitFor } from '../helpers/wait-for.js';

const recorded: RecordedSource[] = [];
afterEach(() => {
  for (const source of recorded.splice(0)) source.subscription.unsubscribe();
});

const logged = (source: RecordedSource) => JSON.stringify(source.logger.lines);

describe('no token in the logs', () => {
  it.each([
    [
      'websocketSource',
      () =>
        websocketSource({
          url: (userId) => `/ws?user=${userId}&token=SECRET-WS`,
          WebSocketCtor: WebSocket,
          reconnect: { baseMs: 10, maxMs: 10 },
        }),
    ],
    [
      'sseSource (fetch)',
      () =>
        sseSource({
          url: '/api/balance/stream?token=SECRET-SSE',
          transport: 'fetch',
          reconnect: { baseMs: 10, maxMs: 10 },
        }),
    ],
  ])('%s: a URL that cannot be opened is logged without its query', async (_, make) => {
    const source = recordSource(make());
    recorded.push(source);
    await waitFor(() => source.delays().length >= 2);
    expect(logged(source)).toContain('?…');
    expect(logged(source)).not.toContain('SECRET');
  });

  it('describeError cuts queries and fragments with parameters, and nothing else', () => {
    expect(describeError(new TypeError('bad /s?token=abc&x=1 here'))).toBe(
      'TypeError: bad /s?… here',
    );
    expect(describeError('see https://a.test/cb#access_token=t')).toBe('see https://a.test/cb?…');
    expect(describeError(new Error('what? invalidation #3'))).toBe('Error: what? invalidation #3');
  });

  it('describeError names a socket event given as an error, not [object Object]', () => {
    expect(describeError({ type: 'close', code: 1006, reason: '' })).toBe(
      'close event (code 1006)',
    );
    expect(describeError({ type: 'error', message: 'connect ECONNREFUSED /ws?token=x' })).toBe(
      'error event (connect ECONNREFUSED /ws?…)',
    );
    expect(describeError({ no: 'type' })).toBe('[object Object]');
  });
});
