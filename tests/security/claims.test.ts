/**
 * Every claim SECURITY.md makes that no other test already checks, through the public API with
 * the real layers and the real cross-tab source (Node's BroadcastChannel).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { crossTabSource } from '../../src/index.js';
import { TAB_PROTOCOL } from '../../src/sources/tab-message.js';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const channelName = 'tokenBalanceCache:balance-sync';

describe('SECURITY.md claims', () => {
  it('a forged cross-tab value is shown: same-origin messages cannot be authenticated', async () => {
    const h = createHarness({ sources: [crossTabSource({ locks: () => null })] });
    await startSettled(h);
    const forger = new BroadcastChannel(channelName);
    forger.postMessage({
      protocol: TAB_PROTOCOL,
      kind: 'balance',
      userId: 'u1',
      balance: 999_999,
      version: 1e12,
    });
    await vi.waitFor(() => expect(h.sync.getSnapshot().balance).toBe(999_999));
    await settleIO();
    expect(JSON.parse(localStorage.getItem('tokenBalanceCache_u1') ?? '{}').data.balance).toBe(
      999_999,
    );
    forger.close();
    h.sync.stop();
  });

  it('the server corrects a forged value within one round trip', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send({ type: 'TAB.BALANCE', userId: 'u1', balance: 999_999, version: 1e12 });
    const real = h.server.change('u1', -10);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', ...real });
    expect(h.sync.getSnapshot().balance).toBe(999_999);
    await h.advance(1_000); // the discard owes a revalidation, after the dedupe window
    expect(h.server.inFlight()).toHaveLength(1);
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: real.balance, version: real.version });
    expect(h.logger.messages()).toContain(
      'version went backwards: send an epoch when the counter restarts',
    );
  });

  it('sign-out leaves nothing of the user in any layer, through setUser(undefined) too', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.setUser(undefined);
    await settleIO();
    const scope = { keyPrefix: 'tokenBalanceCache' };
    expect(h.layers.memory.read('u1', scope)).toBeNull();
    expect(localStorage.getItem('tokenBalanceCache_u1')).toBeNull();
    expect(await h.layers.indexedDB.read('u1', scope)).toBeUndefined();
    expect(h.sync.getSnapshot()).toMatchObject({ userId: null, balance: null });
  });

  it('no balance in any log line', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 4_242_424, version: 5 });
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 3_131_313, version: 2 });
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u2', balance: 7_373_737, version: 9 });
    await h.sync.invalidate();
    h.server.respondNext();
    await settleIO();
    const written = JSON.stringify(h.logger.lines);
    expect(h.logger.lines.length).toBeGreaterThan(5);
    for (const balance of ['1000100', '4242424', '3131313', '7373737']) {
      expect(written).not.toContain(balance);
    }
  });
});
