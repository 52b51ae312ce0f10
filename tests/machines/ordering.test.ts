import { describe, expect, it } from 'vitest';
import { defaultConfig, initialContext } from '../../machines/context.js';
import { judge } from '../../machines/ordering.js';

const context = (overrides = {}) => ({
  ...initialContext({ config: defaultConfig, userId: 'u1' }),
  ...overrides,
});
const shown = (version: number | null, epoch: string | null = null) => ({
  value: {
    userId: 'u1',
    balance: 1,
    version,
    epoch,
    updatedAt: null,
    timestamp: 0,
    expiresAt: 1,
  },
  versionFloor: version,
  floorEpoch: epoch,
});
const v = (version: number | null, epoch: string | null = null, balance = 1) => ({
  version,
  epoch,
  balance,
});

describe('judge: the order of an arriving value (SPEC "Versions and epochs")', () => {
  it('accepts a higher version and sets the floor to it', () => {
    expect(judge(context(shown(4)), v(5), 'push')).toEqual({
      kind: 'accept',
      floor: 5,
      floorEpoch: null,
      corrected: false,
      retires: null,
    });
  });

  it('an equal version is a confirmation, not a change', () => {
    expect(judge(context(shown(4)), v(4), 'push')).toEqual({ kind: 'confirm' });
    expect(judge(context(shown(4)), v(4), 'response')).toEqual({ kind: 'confirm' });
  });

  it("the floor's own version is shown again when nothing is shown (invalidated, or too old)", () => {
    const blank = context({ value: null, versionFloor: 4, floorEpoch: null });
    expect(judge(blank, v(4), 'response')).toMatchObject({ kind: 'accept', floor: 4 });
    expect(judge(blank, v(3), 'response')).toMatchObject({ kind: 'discard' });
  });

  it('discards a lower version whenever its request started; all but a stored one owe a revalidation', () => {
    const c = context({ ...shown(5), seq: 10, lastValueSeq: 3 });
    expect(judge(c, v(4), 'push')).toMatchObject({ kind: 'discard', owes: true });
    expect(judge(c, v(4), 'response', 9)).toMatchObject({ kind: 'discard', owes: true });
    // A commit answer older than the value shown may be a counter restarted without an epoch
    // (outside review 4): the revalidation corrects it within one round trip.
    expect(judge(c, v(4), 'commit')).toMatchObject({ kind: 'discard', owes: true });
    expect(judge(c, v(4), 'stored')).toMatchObject({ kind: 'discard', owes: false });
  });

  it('the corrected-floor rule: a response to a request started after the discard wins', () => {
    const c = context({ ...shown(50), seq: 12, discardedSeq: 10 });
    expect(judge(c, v(2), 'response', 11)).toMatchObject({
      kind: 'accept',
      floor: 2,
      corrected: true,
    });
    // Started before the discard: it cannot tell whether the server restarted.
    expect(judge(c, v(2), 'response', 9)).toMatchObject({ kind: 'discard' });
    // Only a response corrects it, never a push.
    expect(judge(c, v(2), 'push')).toMatchObject({ kind: 'discard' });
  });

  it('a value of another epoch replaces the shown one and sets a new floor', () => {
    expect(judge(context(shown(50, 'e1')), v(1, 'e2'), 'push')).toEqual({
      kind: 'accept',
      floor: 1,
      floorEpoch: 'e2',
      corrected: false,
      retires: 'e1',
    });
    // A value without an epoch is ordered within the current one.
    expect(judge(context(shown(50, 'e1')), v(1), 'push')).toMatchObject({ kind: 'discard' });
    // The first epoch a server sends replaces a floor set without one.
    expect(judge(context(shown(50)), v(1, 'e1'), 'push')).toMatchObject({ kind: 'accept' });
  });

  it('unversioned: a push is discarded while a version is shown; a response only if nothing landed since it started', () => {
    const c = context({ ...shown(5), seq: 10, lastValueSeq: 8 });
    expect(judge(c, v(null), 'push')).toMatchObject({ kind: 'discard', owes: true });
    expect(judge(c, v(null), 'response', 9)).toEqual({
      kind: 'accept',
      floor: 5,
      floorEpoch: null,
      corrected: false,
      retires: null,
    });
    expect(judge(c, v(null), 'response', 7)).toMatchObject({ kind: 'discard', owes: false });
    // Nothing versioned shown: arrival order.
    expect(judge(context(shown(null)), v(null), 'push')).toMatchObject({ kind: 'accept' });
  });
});
