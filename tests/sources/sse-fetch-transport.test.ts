// @vitest-environment node
/**
 * The fetch transport against scripted responses: chunks split anywhere (inside a line, a CRLF,
 * a field name), malformed data, comments, a refused stream, and the resume header.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchInitLike, FetchLike } from '../../src/sources/runtime-types.js';
import { type SseSourceOptions, sseSource } from '../../src/sources/sse.js';
import { type RecordedSource, recordSource } from '../helpers/source-recorder.js';
import { waitFor } from '../helpers/ws-server.js';

const recorded: RecordedSource[] = [];
afterEach(() => {
  for (const source of recorded.splice(0)) source.subscription.unsubscribe();
});

const encoder = new TextEncoder();
const eventStream = (chunks: string[]) =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  );

/** Answers each call with the next scripted response; later calls get a stream that never ends. */
function scriptedFetch(responses: (() => Response)[]) {
  const calls: { url: string; init: FetchInitLike }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const next = responses[calls.length - 1];
    if (next) return next();
    return new Response(new ReadableStream(), { headers: { 'content-type': 'text/event-stream' } });
  };
  return { fetch, calls };
}

function record(fetch: FetchLike, extra: Partial<SseSourceOptions> = {}) {
  const source = recordSource(
    sseSource({
      url: 'http://stream.test/balance',
      fetch,
      headers: (userId) => ({ authorization: `Bearer ${userId}-token` }),
      reconnect: { baseMs: 20, maxMs: 80 },
      random: () => 1,
      ...extra,
    }),
  );
  recorded.push(source);
  return source;
}

describe('sseSource fetch transport (scripted streams)', () => {
  it('parses split chunks, drops malformed data, and resumes with the last id as a header', async () => {
    const { fetch, calls } = scriptedFetch([
      () =>
        eventStream([
          ': hello there\n\n',
          'event: token-balance-updated\nid: 1\ndata: not json\n\n',
          'event: token-balance-upd',
          'ated\r\nid: 2\r',
          '\ndata: {"type":"token-balance-updated","userId":"alice","balance":5,"ver',
          'sion":3,"epoch":"e1"}\r\n\r\n',
          'data: {"type":"ping"}\n\n',
        ]),
    ]);
    const source = record(fetch);
    await waitFor(() => calls.length === 2);
    await source.until((event) => event.type === 'SOCKET.CONNECTED', 2);
    expect(source.events).toEqual([
      { type: 'SOCKET.CONNECTED' },
      {
        type: 'SOCKET.BALANCE_UPDATED',
        userId: 'alice',
        balance: 5,
        version: 3,
        epoch: 'e1',
      },
      { type: 'SOCKET.DISCONNECTED' },
      { type: 'SOCKET.CONNECTED' }, // the second stream never says resumed: plain after the wait
    ]);
    expect(source.logger.messages()).toContain('rejected stream frame: not JSON');
    expect(calls[0]?.init.headers).toEqual({
      accept: 'text/event-stream',
      authorization: 'Bearer alice-token',
    });
    expect(calls[1]?.init.headers).toEqual({
      accept: 'text/event-stream',
      authorization: 'Bearer alice-token',
      'last-event-id': '2',
    });
    expect(calls[0]?.init.cache).toBe('no-store');
  });

  it('an event without a type of its own takes the SSE event name (token-balance-resumed)', async () => {
    const { fetch } = scriptedFetch([
      () => eventStream(['event: token-balance-resumed\ndata: {"userId":"alice"}\n\n']),
    ]);
    const source = record(fetch);
    await source.until((event) => event.type === 'SOCKET.CONNECTED', 2);
    expect(source.events.slice(0, 2)).toEqual([
      { type: 'SOCKET.CONNECTED' },
      { type: 'SOCKET.CONNECTED', resumed: true, userId: 'alice' },
    ]);
  });

  it('a refused stream (401, or not an event stream) is a failed attempt: backoff, no connect', async () => {
    const { fetch, calls } = scriptedFetch([
      () => new Response('{"error":"sign in"}', { status: 401 }),
      () => new Response('<html>', { headers: { 'content-type': 'text/html' } }),
      () => new Response('{"error":"sign in"}', { status: 401 }),
    ]);
    const source = record(fetch);
    await waitFor(() => calls.length === 4);
    expect(source.delays()).toEqual([20, 40, 80]);
    await source.until((event) => event.type === 'SOCKET.CONNECTED');
    expect(source.events).toEqual([{ type: 'SOCKET.CONNECTED' }]);
  });

  it('takes a content type in any case, with parameters (media types are case-insensitive)', async () => {
    const { fetch } = scriptedFetch([
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(
                encoder.encode(
                  'data: {"type":"token-balance-updated","userId":"alice","balance":42,"version":1}\n\n',
                ),
              );
            },
          }),
          { headers: { 'content-type': 'Text/Event-Stream; charset=utf-8' } },
        ),
    ]);
    const source = record(fetch);
    await source.until((event) => event.type === 'SOCKET.BALANCE_UPDATED');
    expect(source.events[0]).toEqual({ type: 'SOCKET.CONNECTED' });
    expect(source.delays()).toEqual([]);
  });

  it('calls an injected fetch with globalThis as `this` (a browser fetch needs it)', async () => {
    let self: unknown = null;
    const fetch: FetchLike = async function (this: unknown) {
      self = this;
      return new Response(new ReadableStream(), {
        headers: { 'content-type': 'text/event-stream' },
      });
    };
    const source = record(fetch);
    await source.until((event) => event.type === 'SOCKET.CONNECTED');
    expect(self).toBe(globalThis);
  });

  it('unsubscribed while the request is pending: the request is aborted', async () => {
    const signals: AbortSignal[] = [];
    const fetch: FetchLike = (_url, init) => {
      signals.push(init.signal);
      return new Promise(() => {}); // the server never answers
    };
    const source = record(fetch);
    await waitFor(() => signals.length === 1);
    expect(signals[0]?.aborted).toBe(false);
    source.subscription.unsubscribe();
    expect(signals[0]?.aborted).toBe(true);
  });
});
