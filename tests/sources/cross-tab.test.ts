// @vitest-environment node
// Node's own BroadcastChannel (no Web Locks in Node 20): the channel part without leadership.
import { afterEach, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { crossTabSource } from '../../src/sources/cross-tab.js';
import type { BalanceSync } from '../../src/types.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { waitFor } from '../helpers/ws-server.js';

const running: BalanceSync[] = [];
afterEach(() => {
  for (const sync of running.splice(0)) sync.stop();
});

function tab(options: Parameters<typeof crossTabSource>[0], keyPrefix: string) {
  const logger = recordingLogger();
  const sync = createBalanceSync({
    fetchBalance: async () => ({ balance: 10, version: 1 }),
    userId: 'u1',
    keyPrefix,
    cache: [memoryCache()],
    logger,
    sources: [crossTabSource(options)],
  });
  running.push(sync);
  return { sync, logger };
}

describe('crossTabSource without Web Locks or BroadcastChannel', () => {
  it('shares values over the channel; with no Web Locks every tab stays alone (and polls)', async () => {
    const a = tab({ locks: () => undefined }, 'p1');
    const b = tab({ locks: () => undefined }, 'p1');
    a.sync.start();
    b.sync.start();
    await waitFor(
      () => a.sync.getSnapshot().status === 'cached' && b.sync.getSnapshot().status === 'cached',
    );
    a.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 3, version: 9 });
    await waitFor(() => b.sync.getSnapshot().balance === 3);
    expect(b.sync.actor.getSnapshot().matches({ running: { tab: 'alone' } })).toBe(true);
  });

  it('without BroadcastChannel the tab acts alone and says so', async () => {
    const a = tab({ broadcastChannel: () => undefined }, 'p2');
    a.sync.start();
    await waitFor(() => a.sync.getSnapshot().status === 'cached');
    expect(a.logger.messages()).toContain('no BroadcastChannel: this tab acts alone');
    expect(a.sync.actor.getSnapshot().matches({ running: { tab: 'alone' } })).toBe(true);
  });
});
