/** The random steps of the property test, as data (fast-check shrinks arrays of these). */
import fc from 'fast-check';

export type User = 'u1' | 'u2';

export type Action =
  | { kind: 'focus' }
  | { kind: 'visible' }
  | { kind: 'hidden' }
  | { kind: 'online' }
  | { kind: 'offline' }
  | { kind: 'socketUp' }
  | { kind: 'socketDown' }
  | { kind: 'serverChange'; user: User; push: boolean }
  | { kind: 'stalePush'; user: User }
  | { kind: 'badInput'; which: number }
  | { kind: 'socketInvalidate'; user: User }
  | { kind: 'switchUser'; user: User | null }
  | { kind: 'refresh'; skipCache: boolean }
  | { kind: 'invalidate' }
  | { kind: 'respond'; pick: number; ok: boolean }
  | { kind: 'advance'; ms: number }
  | { kind: 'optimistic'; delta: number; commits: boolean };

const user = fc.constantFrom<User>('u1', 'u2');

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.constant({ kind: 'focus' as const }),
  fc.constant({ kind: 'visible' as const }),
  fc.constant({ kind: 'hidden' as const }),
  fc.constant({ kind: 'online' as const }),
  fc.constant({ kind: 'offline' as const }),
  fc.constant({ kind: 'socketUp' as const }),
  fc.constant({ kind: 'socketDown' as const }),
  fc.record({ kind: fc.constant('serverChange' as const), user, push: fc.boolean() }),
  fc.record({ kind: fc.constant('stalePush' as const), user }),
  fc.record({ kind: fc.constant('badInput' as const), which: fc.nat(6) }),
  fc.record({ kind: fc.constant('socketInvalidate' as const), user }),
  fc.record({
    kind: fc.constant('switchUser' as const),
    user: fc.constantFrom<User | null>('u1', 'u2', null),
  }),
  fc.record({ kind: fc.constant('refresh' as const), skipCache: fc.boolean() }),
  fc.constant({ kind: 'invalidate' as const }),
  // Answering requests is the most common step, in random order, sometimes failing.
  fc.record({ kind: fc.constant('respond' as const), pick: fc.nat(3), ok: fc.boolean() }),
  fc.record({ kind: fc.constant('respond' as const), pick: fc.nat(3), ok: fc.constant(true) }),
  fc.record({
    kind: fc.constant('advance' as const),
    ms: fc.oneof(fc.integer({ min: 0, max: 1_500 }), fc.integer({ min: 0, max: 45_000 })),
  }),
  fc.record({
    kind: fc.constant('optimistic' as const),
    delta: fc.integer({ min: -20, max: -1 }),
    commits: fc.boolean(),
  }),
);

/** Malformed or hostile inputs a socket or another script could send. */
export const badInputs = (current: User | null): unknown[] => [
  { type: 'SOCKET.BALANCE_UPDATED', userId: current ?? 'u1', balance: Number.NaN, version: 1e9 },
  { type: 'SOCKET.BALANCE_UPDATED', userId: current ?? 'u1', balance: '5', version: 1e9 },
  { type: 'SOCKET.BALANCE_UPDATED', userId: 'intruder', balance: 7, version: 1e9 },
  { type: 'TAB.BALANCE', userId: current ?? 'u1', balance: Number.POSITIVE_INFINITY },
  { type: 'token-balance-updated', balance: 1 },
  null,
  { type: 'USER.CHANGED', userId: 42 },
];
