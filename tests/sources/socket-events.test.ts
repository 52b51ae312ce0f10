import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { BalanceEvent } from '../../machines/events.js';
import { fromSocketEvents } from '../../src/sources/socket-events.js';

/** The shape of a socket.io client that the adapter uses: on/off and `connected`. */
class FakeIoSocket extends EventEmitter {
  connected = false;
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
});
