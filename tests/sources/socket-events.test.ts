import { EventEmitter } from 'node:events';
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BalanceEvent } from '../../machines/events.js';
import { createBalanceSync, memoryCache } from '../../src/index.js';
import { fromSocketEvents } from '../../src/sources/socket-events.js';
import type { BalanceLogger } from '../../src/types.js';

const recording = () => {
  const warnings: string[] = [];
  const logger: BalanceLogger = {
    debug() {},
    info() {},
    warn: (message) => warnings.push(message),
    error: (message) => warnings.push(message),
  };
  return { logger, warnings };
};

/** The shape of a socket.io client that the adapter uses: on/off and `connected`. */
class FakeIoSocket extends EventEmitter {
  connected = false;
}

/** A `fromSocketEvents` source on a fake socket, subscribed: what it emitted and warned. */
function recorded(eventName = 'token-balance-updated') {
  const socket = new FakeIoSocket();
  const events: BalanceEvent[] = [];
  const { logger, warnings } = recording();
  fromSocketEvents(socket, eventName, { logger }).subscribe((event) => events.push(event));
  return { socket, events, warnings };
}

describe('fromSocketEvents (socket.io or any on/off emitter)', () => {
  it('maps connect, disconnect and the balance event; stops listening on unsubscribe', () => {
    const socket = new FakeIoSocket();
    socket.connected = true;
    const events: BalanceEvent[] = [];
    const subscription = fromSocketEvents(socket).subscribe((event) => events.push(event));
    socket.emit('token-balance-updated', { userId: 'u1', balance: 5, version: 2 });
    socket.emit('token-balance-updated', { userId: 'u1' });
    socket.emit('disconnect');
    socket.emit('connect');
    expect(events).toEqual([
      { type: 'SOCKET.CONNECTED' },
      {
        type: 'SOCKET.BALANCE_UPDATED',
        userId: 'u1',
        balance: 5,
        version: 2,
      },
      { type: 'SOCKET.INVALIDATE', userId: 'u1' },
      { type: 'SOCKET.DISCONNECTED' },
      { type: 'SOCKET.CONNECTED' },
    ]);
    subscription.unsubscribe();
    expect(socket.eventNames()).toEqual([]);
  });

  it('takes a custom event name and mapping', () => {
    const socket = new FakeIoSocket();
    const events: BalanceEvent[] = [];
    fromSocketEvents(socket, 'wallet', {
      map: (payload) => ({
        type: 'SOCKET.INVALIDATE',
        userId: String((payload as { who: string }).who),
      }),
    }).subscribe((event) => events.push(event));
    socket.emit('wallet', { who: 'u9' });
    expect(events).toEqual([{ type: 'SOCKET.INVALIDATE', userId: 'u9' }]);
  });

  it("the event's name says what its messages are, whatever `type` the payload has", () => {
    const socket = new FakeIoSocket();
    const events: BalanceEvent[] = [];
    const { logger, warnings } = recording();
    for (const name of ['balance:changed', 'token-balance-updated', 'token-balance-hello']) {
      fromSocketEvents(socket, name, { logger }).subscribe((event) => events.push(event));
    }
    // Any other name carries balance updates; the payload's own `type` (a ledger entry's kind)
    // overrides nothing.
    socket.emit('balance:changed', { userId: 'u1', balance: 90, version: 2 });
    socket.emit('token-balance-updated', { type: 'debit', userId: 'u1', balance: 80, version: 3 });
    socket.emit('token-balance-hello', { type: 'debit', userId: 'u1', balance: 80, version: 3 });
    socket.emit('balance:changed', 'not an object');
    expect(events).toEqual([
      { type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 90, version: 2 },
      { type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 80, version: 3 },
      { type: 'SOCKET.CONNECTED', hello: { userId: 'u1', balance: 80, version: 3 } },
    ]);
    expect(warnings).toEqual(['rejected socket message: balance:changed is not an object']);
  });

  it('through a sync: a custom event name shows the pushed balance at once', async () => {
    const socket = new FakeIoSocket();
    socket.connected = true;
    const { logger } = recording();
    const sync = createBalanceSync({
      fetchBalance: async () => ({ balance: 100, version: 1 }),
      userId: 'u1',
      cache: [memoryCache()],
      logger,
      sources: [fromSocketEvents(socket, 'balance:changed', { logger })],
    });
    sync.start();
    await vi.waitFor(() => expect(sync.getSnapshot().balance).toBe(100));
    socket.emit('balance:changed', { userId: 'u1', balance: 90, version: 2 });
    expect(sync.getSnapshot()).toMatchObject({ balance: 90, version: 2, isStale: false });
    sync.stop();
  });

  it('the message is the first argument: an acknowledgement callback after it is not part of it', () => {
    const { socket, events, warnings } = recorded();
    socket.emit('token-balance-updated', { userId: 'u1', balance: 90, version: 2 }, () => {});
    expect(events).toEqual([
      { type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 90, version: 2 },
    ]);
    expect(warnings).toEqual([]);
  });

  it('two sources on one socket (one event name each): one catch-up request per reconnect', async () => {
    vi.useFakeTimers();
    const socket = new FakeIoSocket();
    socket.connected = true;
    let requests = 0;
    const { logger } = recording();
    const sync = createBalanceSync({
      fetchBalance: async () => ({ balance: 100, version: ++requests }),
      userId: 'u1',
      cache: [memoryCache()],
      logger,
      sources: [
        fromSocketEvents(socket, 'token-balance-updated', { logger }),
        fromSocketEvents(socket, 'token-balance-invalidated', { logger }),
      ],
    });
    sync.start();
    await vi.advanceTimersByTimeAsync(2_000);
    const perReconnect: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = requests;
      socket.emit('disconnect');
      await vi.advanceTimersByTimeAsync(100);
      socket.emit('connect');
      await vi.advanceTimersByTimeAsync(5_000);
      perReconnect.push(requests - before);
    }
    expect(perReconnect).toEqual([1, 1, 1]);
    sync.stop();
    vi.useRealTimers();
  });

  it('hello: the connection is announced with the server hello, which spares the catch-up', async () => {
    vi.useFakeTimers();
    const socket = new FakeIoSocket();
    const server = { userId: 'u1', balance: 100, version: 1 };
    let requests = 0;
    const { logger } = recording();
    const sync = createBalanceSync({
      fetchBalance: async () => {
        requests++;
        return { ...server };
      },
      userId: 'u1',
      cache: [memoryCache()],
      logger,
      sources: [fromSocketEvents(socket, 'token-balance-updated', { logger, hello: true })],
    });
    sync.start();
    await vi.advanceTimersByTimeAsync(2_000);
    const before = requests;
    for (let i = 0; i < 3; i++) {
      Object.assign(server, { balance: 90 - i, version: 10 + i });
      socket.emit('connect');
      socket.emit('token-balance-hello', server);
      await vi.advanceTimersByTimeAsync(5_000);
      socket.emit('disconnect');
    }
    expect(requests - before).toBe(0);
    expect(sync.getSnapshot()).toMatchObject({ balance: 88, version: 12 });
    // No hello within the timeout: a plain connection, caught up by one request.
    socket.emit('connect');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(requests - before).toBe(1);
    sync.stop();
    expect(socket.eventNames()).toEqual([]);
    vi.useRealTimers();
  });

  it('a message the mapper throws on is logged and dropped; the stream goes on', () => {
    const socket = new FakeIoSocket();
    const events: BalanceEvent[] = [];
    const { logger, warnings } = recording();
    let ended = false;
    fromSocketEvents(socket, 'token-balance-updated', {
      map: (payload) => ({
        type: 'SOCKET.BALANCE_UPDATED',
        userId: 'u1',
        balance: (payload as { data: { balance: number } }).data.balance,
      }),
      logger,
    }).subscribe({ next: (event) => events.push(event), error: () => (ended = true) });
    socket.emit('token-balance-updated', null);
    socket.emit('token-balance-updated', { data: { balance: 90 } });
    socket.emit('disconnect');
    expect(ended).toBe(false);
    expect(events).toEqual([
      { type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 90 },
      { type: 'SOCKET.DISCONNECTED' },
    ]);
    expect(warnings).toEqual(['rejected socket message: the message mapper threw']);
  });

  it('the default mapper on a payload it cannot read: logged and dropped', () => {
    const { socket, events, warnings } = recorded();
    socket.emit('token-balance-updated', {
      userId: 'u1',
      get balance(): number {
        throw new Error('unreadable');
      },
    });
    socket.emit('token-balance-updated', { userId: 'u1', balance: 3 });
    expect(events).toEqual([{ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 3 }]);
    expect(warnings).toHaveLength(1);
  });

  it('logger: false is silent, as the sync accepts it: a bad message is dropped, nothing written', () => {
    const socket = new FakeIoSocket();
    const events: BalanceEvent[] = [];
    const written = (['debug', 'info', 'warn', 'error'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => {}),
    );
    try {
      fromSocketEvents(socket, 'balance:changed', { logger: false }).subscribe((event) =>
        events.push(event),
      );
      socket.emit('balance:changed', 'not an object');
      socket.emit('balance:changed', { userId: 'u1', balance: 3 });
      expect(events).toEqual([{ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 3 }]);
      for (const spy of written) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of written) spy.mockRestore();
    }
  });

  it('options that cannot work throw at creation, naming them', () => {
    expect(() => fromSocketEvents({} as never)).toThrow(/fromSocketEvents socket/);
    expect(() => fromSocketEvents(new FakeIoSocket(), '')).toThrow(/fromSocketEvents eventName/);
    expect(() => fromSocketEvents(new FakeIoSocket(), 'x', { map: 1 as never })).toThrow(
      /fromSocketEvents map/,
    );
    for (const logger of [{}, true, null]) {
      expect(() => fromSocketEvents(new FakeIoSocket(), 'x', { logger: logger as never })).toThrow(
        /fromSocketEvents logger/,
      );
    }
    expect(() => fromSocketEvents(new FakeIoSocket(), 'x', { hello: 'yes' as never })).toThrow(
      /fromSocketEvents hello/,
    );
  });
});

describe('a source that ends after it said "connected"', () => {
  afterEach(() => vi.useRealTimers());

  it.each(['fails', 'completes'] as const)(
    'a source that %s: its connection counts as gone and revalidation goes on',
    async (how) => {
      vi.useFakeTimers();
      let fetches = 0;
      const source = new Subject<BalanceEvent>();
      const { logger } = recording();
      const sync = createBalanceSync({
        fetchBalance: async () => ({ balance: 100 + ++fetches }),
        userId: 'u1',
        cache: [memoryCache()],
        logger,
        sources: [source],
      });
      sync.start();
      await vi.advanceTimersByTimeAsync(10);
      source.next({ type: 'SOCKET.CONNECTED' });
      await vi.advanceTimersByTimeAsync(10);
      const socket = () =>
        (sync.actor.getSnapshot().value as { running: { socket: string } }).running.socket;
      expect(socket()).toBe('live');
      if (how === 'fails') source.error(new Error('mapper bug'));
      else source.complete();
      await vi.advanceTimersByTimeAsync(10);
      expect(socket()).toBe('offline');
      const before = fetches;
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      expect(fetches).toBeGreaterThan(before);
      sync.stop();
    },
  );
});
