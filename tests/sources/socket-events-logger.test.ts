/**
 * SPEC invariant 6: bad input is rejected with a logged reason, never thrown into the app.
 * `fromSocketEvents` logs from inside the socket client's listeners, through a logger of its own
 * (its `logger` option): one that throws must not turn a dropped message into an exception in
 * the client's emitter (outside review 25, finding 8).
 */
import { EventEmitter } from 'node:events';
import { expect, it, vi } from 'vitest';
import { createBalanceSync, memoryCache } from '../../src/index.js';
import { fromSocketEvents } from '../../src/sources/socket-events.js';
import type { BalanceLogger } from '../../src/types.js';

const down = () => {
  throw new Error('logger down');
};
const throwingLogger: BalanceLogger = { debug: down, info: down, warn: down, error: down };

it("a throwing logger of its own: a bad message is dropped, not thrown into the client's emitter", async () => {
  const socket = Object.assign(new EventEmitter(), { connected: true });
  const sync = createBalanceSync({
    fetchBalance: async () => ({ balance: 100, version: 1 }),
    userId: 'u1',
    cache: [memoryCache()],
    logger: false,
    sources: [
      fromSocketEvents(socket, 'balance:changed', { logger: throwingLogger }),
      fromSocketEvents(socket, 'wallet', {
        logger: throwingLogger,
        map: () => {
          throw new Error('unmappable');
        },
      }),
    ],
  });
  sync.start();
  try {
    await vi.waitFor(() => expect(sync.getSnapshot().balance).toBe(100));
    // Malformed for the default mapper, then a message the app's mapper throws on.
    expect(() => socket.emit('balance:changed', 'not an object')).not.toThrow();
    expect(() => socket.emit('wallet', { userId: 'u1', balance: 1 })).not.toThrow();
    // The stream goes on: the next good message is shown.
    socket.emit('balance:changed', { userId: 'u1', balance: 90, version: 2 });
    expect(sync.getSnapshot()).toMatchObject({ balance: 90, version: 2 });
  } finally {
    sync.stop();
  }
});
