import { describe, expect, it } from 'vitest';
import { mapTokenBalanceMessage } from '../../src/sources/token-balance-message.js';

const value = {
  userId: 'u1',
  balance: 40,
  version: 7,
  epoch: 'e2',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('mapTokenBalanceMessage', () => {
  it('token-balance-updated: a value with version, epoch and updatedAt', () => {
    expect(mapTokenBalanceMessage({ type: 'token-balance-updated', ...value })).toEqual({
      type: 'SOCKET.BALANCE_UPDATED',
      ...value,
    });
  });

  it('keeps the payload as sent (the schema must never see a field the library added); without a balance it is a change notice', () => {
    expect(
      mapTokenBalanceMessage({ type: 'token-balance-updated', userId: 'u1', balance: 1 }),
    ).toEqual({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 1 });
    expect(mapTokenBalanceMessage({ type: 'token-balance-updated', userId: 'u1' })).toEqual({
      type: 'SOCKET.INVALIDATE',
      userId: 'u1',
    });
    expect(
      mapTokenBalanceMessage({ type: 'token-balance-invalidated', userId: 'u1', balance: 3 }),
    ).toEqual({
      type: 'SOCKET.INVALIDATE',
      userId: 'u1',
    });
  });

  it('token-balance-hello: a connection event carrying the value', () => {
    expect(mapTokenBalanceMessage({ type: 'token-balance-hello', ...value })).toEqual({
      type: 'SOCKET.CONNECTED',
      hello: value,
    });
  });

  it('token-balance-resumed: a connection event saying nothing was missed, for its user', () => {
    expect(mapTokenBalanceMessage({ type: 'token-balance-resumed', userId: 'u1' })).toEqual({
      type: 'SOCKET.CONNECTED',
      resumed: true,
      userId: 'u1',
    });
    expect(mapTokenBalanceMessage({ type: 'token-balance-resumed' })).toEqual({
      type: 'SOCKET.CONNECTED',
      resumed: true,
    });
  });

  it('shape only: values are left for the core to validate', () => {
    expect(
      mapTokenBalanceMessage({ type: 'token-balance-hello', userId: 'u1', balance: 'NaN' }),
    ).toEqual({
      type: 'SOCKET.CONNECTED',
      hello: { userId: 'u1', balance: 'NaN' },
    });
  });

  it('pings, other kinds and non-objects are not ours', () => {
    for (const message of [{ type: 'ping' }, { type: 'other' }, null, 'text', [1], 5])
      expect(mapTokenBalanceMessage(message)).toBeNull();
  });
});
