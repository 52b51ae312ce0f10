import { describe, expect, it } from 'vitest';
import { decodeTabMessage, encodeTabMessage, TAB_PROTOCOL } from '../../src/sources/tab-message.js';

const value = {
  userId: 'u1',
  balance: 5,
  version: 3,
  epoch: 'e1',
  updatedAt: null,
  timestamp: 1,
  expiresAt: 2,
};

describe('cross-tab wire format', () => {
  it('round-trips every kind of local happening', () => {
    const cases = [
      [
        { type: 'value', value, source: 'network', observedAt: 7 },
        {
          type: 'TAB.BALANCE',
          userId: 'u1',
          balance: 5,
          version: 3,
          epoch: 'e1',
          updatedAt: null,
          observedAt: 7,
        },
      ],
      [
        { type: 'fetch-started', userId: 'u1' },
        { type: 'TAB.FETCH_STARTED', userId: 'u1' },
      ],
      [
        { type: 'invalidated', userId: 'u1' },
        { type: 'TAB.INVALIDATED', userId: 'u1' },
      ],
      [
        { type: 'user', userId: null },
        { type: 'TAB.USER_CHANGED', userId: null },
      ],
    ] as const;
    for (const [happening, event] of cases) {
      expect(decodeTabMessage(structuredClone(encodeTabMessage(happening)))).toEqual({ event });
    }
  });

  it('carries no cache metadata, only what another tab may show and since when it is known', () => {
    expect(
      Object.keys(
        encodeTabMessage({ type: 'value', value, source: 'socket', observedAt: 1 }),
      ).sort(),
    ).toEqual([
      'balance',
      'epoch',
      'kind',
      'observedAt',
      'protocol',
      'updatedAt',
      'userId',
      'version',
    ]);
  });

  it("carries the leader's connection; `caughtUp` only when it says so (older tabs omit it)", () => {
    const wire = (connection: object) =>
      decodeTabMessage(
        structuredClone({ protocol: TAB_PROTOCOL, kind: 'connection', ...connection }),
      );
    expect(wire({ live: true, userId: 'u1', caughtUp: true })).toEqual({
      connection: { live: true, userId: 'u1', caughtUp: true },
    });
    expect(wire({ live: true, userId: 'u1' })).toEqual({
      connection: { live: true, userId: 'u1', caughtUp: false },
    });
    expect(wire({ live: true, userId: 'u1', caughtUp: 'yes' })).toEqual({
      connection: { live: true, userId: 'u1', caughtUp: false },
    });
  });

  it.each([
    ['a string', 'hello', 'not an object'],
    ['no protocol (forged)', { kind: 'user', userId: null }, 'unknown protocol undefined'],
    [
      'an older library version',
      { protocol: 'balance-sync/0', kind: 'user', userId: null },
      'unknown protocol balance-sync/0',
    ],
    ['an unknown kind', { protocol: TAB_PROTOCOL, kind: 'admin' }, 'unknown kind admin'],
    [
      'a balance without a user',
      { protocol: TAB_PROTOCOL, kind: 'balance', balance: 1 },
      'balance without a user',
    ],
    [
      'a user change to a number',
      { protocol: TAB_PROTOCOL, kind: 'user', userId: 7 },
      'user change with a malformed user',
    ],
  ])('rejects %s', (_, raw, reason) => {
    expect(decodeTabMessage(raw)).toEqual({ rejected: reason });
  });
});
