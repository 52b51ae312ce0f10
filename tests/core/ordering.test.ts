import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

describe('pushes and ordering', () => {
  it('a push updates the value at once and is persisted', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 1_000_050, version: 2 });
    expect(h.sync.getSnapshot()).toMatchObject({
      balance: 1_000_050,
      version: 2,
      source: 'socket',
    });
    await settleIO();
    expect(JSON.parse(localStorage.getItem('tokenBalanceCache_u1') ?? '{}').data.version).toBe(2);
  });

  it('a response that started before a newer push and lands after it is discarded', async () => {
    const h = createHarness();
    await startSettled(h);
    await h.advance(2_000);
    void h.sync.refresh();
    const request = h.server.last();
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 1_000_090, version: 3 });
    request?.resolve({ balance: 1_000_100, version: 1 });
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({
      balance: 1_000_090,
      version: 3,
      status: 'cached',
    });
    expect(h.sync.metrics().discarded).toBe(1);
    expect(h.seen.map((state) => state.version).filter((v) => v !== null)).toEqual(
      [...h.seen.map((state) => state.version).filter((v) => v !== null)].sort(
        (a, b) => (a ?? 0) - (b ?? 0),
      ),
    );
  });

  it('a response that started before a push but carries a newer version is accepted', async () => {
    const h = createHarness();
    await startSettled(h);
    await h.advance(2_000);
    void h.sync.refresh();
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 1_000_090, version: 3 });
    h.server.last()?.resolve({ balance: 1_000_080, version: 4 });
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_080, version: 4 });
  });

  it('a duplicate is not a change; an older push, or the same version with another balance, is discarded and counted', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 10, version: 5 });
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 10, version: 5 });
    expect(h.sync.metrics()).toMatchObject({ rejected: 0, discarded: 0 });
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 11, version: 5 });
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 12, version: 4 });
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 10, version: 5 });
    expect(h.sync.metrics()).toMatchObject({ rejected: 0, discarded: 2 });
  });

  it.each([
    ['another user', { type: 'SOCKET.BALANCE_UPDATED', userId: 'u2', balance: 5, version: 9 }],
    ['NaN', { type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: Number.NaN }],
    ['a string balance', { type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: '5' }],
    [
      'Infinity',
      { type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: Number.POSITIVE_INFINITY },
    ],
    ['no userId', { type: 'SOCKET.BALANCE_UPDATED', balance: 5 }],
    ['an unknown type', { type: 'token-balance-updated', userId: 'u1', balance: 5 }],
    ['not an object', 'SOCKET.BALANCE_UPDATED'],
    ['null', null],
  ])('rejects a push from %s: logged, never thrown, never shown', async (_, raw) => {
    const h = createHarness();
    await startSettled(h);
    expect(() => h.sync.send(raw as never)).not.toThrow();
    expect(h.sync.getSnapshot().balance).toBe(1_000_100);
    expect(h.sync.metrics().rejected).toBe(1);
    expect(
      h.logger.lines.some((line) => line.level === 'warn' && line.message.startsWith('rejected')),
    ).toBe(true);
  });

  it('SOCKET.INVALIDATE fetches once the dedupe window closes and tells registered targets', async () => {
    const h = createHarness();
    const target = vi.fn();
    h.sync.addInvalidationTarget('swr', target);
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.INVALIDATE', userId: 'u1' });
    h.sync.send({ type: 'SOCKET.INVALIDATE', userId: 'u1' });
    await settleIO();
    expect(h.server.count).toBe(1);
    await h.advance(1_000);
    expect(h.server.count).toBe(2);
    // Each notice tells the foreign caches at once; the request is shared.
    expect(target).toHaveBeenCalledTimes(2);
    h.sync.send({ type: 'SOCKET.INVALIDATE', userId: 'u2' });
    expect(h.sync.metrics().rejected).toBe(1);
  });

  it('a push also tells registered targets (foreign caches follow the socket)', async () => {
    const h = createHarness();
    const target = vi.fn();
    h.sync.addInvalidationTarget('profile', target);
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 3, version: 2 });
    await settleIO();
    expect(target).toHaveBeenCalledTimes(1);
  });

  it('a push with a date string updatedAt is normalised to epoch ms', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send({
      type: 'SOCKET.BALANCE_UPDATED',
      userId: 'u1',
      balance: 3,
      version: 2,
      updatedAt: '2026-11-24T12:00:00.000Z',
    });
    expect(h.sync.getSnapshot().updatedAt).toBe(Date.UTC(2026, 10, 24, 12));
  });
});
