import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from '../helpers/fake-server.js';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const belongsTo = (balance: number | null, userId: string | null) =>
  balance === null ||
  (userId !== null && Math.floor(balance / 1_000_000) * 1_000_000 === FakeServer.baseFor(userId));

describe('user switch and sign-out', () => {
  it('setUser is synchronous: the snapshot belongs to the new user when it returns', async () => {
    const h = createHarness();
    await startSettled(h, 'u1');
    h.sync.setUser('u2');
    expect(h.sync.getSnapshot()).toMatchObject({
      userId: 'u2',
      balance: null,
      status: 'hydrating',
    });
  });

  it('cancels the request in flight and never shows the previous user, not for one state', async () => {
    const h = createHarness();
    await startSettled(h, 'u1');
    await h.advance(2_000);
    void h.sync.refresh();
    const request = h.server.last();
    h.sync.setUser('u2');
    expect(request?.signal.aborted).toBe(true);
    request?.resolve({ balance: 1_000_001, version: 99 });
    await settleIO();
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ userId: 'u2', balance: 2_000_100 });
    expect(h.seen.every((state) => belongsTo(state.balance, state.userId))).toBe(true);
  });

  it('keeps each user in their own key; switching back hydrates from that user only', async () => {
    const h = createHarness();
    await startSettled(h, 'u1');
    h.sync.setUser('u2');
    await settleIO();
    h.server.respondNext();
    await settleIO();
    h.sync.setUser('u1');
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({
      userId: 'u1',
      balance: 1_000_100,
      source: 'memory',
    });
    expect(localStorage.getItem('tokenBalanceCache_u1')).not.toBeNull();
    expect(localStorage.getItem('tokenBalanceCache_u2')).not.toBeNull();
  });

  it("sign-out purges that user's entries from every layer", async () => {
    const h = createHarness();
    await startSettled(h, 'u1');
    h.sync.setUser(null);
    expect(h.sync.getSnapshot()).toMatchObject({ userId: null, balance: null, status: 'idle' });
    await settleIO();
    const scope = { keyPrefix: 'tokenBalanceCache' };
    expect(localStorage.getItem('tokenBalanceCache_u1')).toBeNull();
    expect(h.layers.memory.read('u1', scope)).toBeNull();
    expect(await h.layers.indexedDB.read('u1', scope)).toBeUndefined();
  });

  it('sign-out while stopped still purges', async () => {
    const h = createHarness();
    await startSettled(h, 'u1');
    h.sync.stop();
    h.sync.setUser(null);
    await settleIO();
    expect(localStorage.getItem('tokenBalanceCache_u1')).toBeNull();
    expect(h.sync.getSnapshot()).toMatchObject({ userId: null, balance: null });
  });

  it('a pushed value for the previous user after a switch is rejected', async () => {
    const h = createHarness();
    await startSettled(h, 'u1');
    h.sync.setUser('u2');
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 1_000_000, version: 50 });
    expect(h.sync.getSnapshot().balance).toBeNull();
  });

  it('rejects a malformed user id without throwing', async () => {
    const h = createHarness();
    await startSettled(h, 'u1');
    expect(() => h.sync.setUser('' as string)).not.toThrow();
    expect(() => h.sync.setUser(42 as unknown as string)).not.toThrow();
    expect(h.sync.getSnapshot().userId).toBe('u1');
    expect(h.sync.metrics().rejected).toBe(2);
  });
});
