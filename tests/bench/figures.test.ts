import { describe, expect, it } from 'vitest';
import { computeFigures, type Ledger } from '../../bench/report/figures.js';
import type { Recording } from '../../bench/sim/recorder.js';

// alice: 100 (v1) until t=10 000, then 90 (v2); bob: 500 (v1) throughout.
const ledger: Ledger = {
  valueAt: (userId, time) => ({
    balance: userId === 'bob' ? 500 : time >= 10_000 ? 90 : 100,
  }),
  ownerOf: (balance) =>
    ({ 100: { userId: 'alice', version: 1 }, 90: { userId: 'alice', version: 2 } })[balance] ??
    (balance === 500 ? { userId: 'bob', version: 1 } : undefined),
  changeTimes: (userId) => (userId === 'alice' ? [{ at: 0 }, { at: 10_000 }] : [{ at: 0 }]),
};

const span = { start: 0, end: 20_000, requests: 3, lateResponses: 0, subscribers: 2 };

function recording(
  commits: Record<string, [number, number | null][]>,
  extra: Partial<Recording> = {},
): Recording {
  return {
    commits: new Map(
      Object.entries(commits).map(([key, list]) => [
        key,
        list.map(([at, balance]) => ({ at, balance })),
      ]),
    ),
    renders: 8,
    front: [{ at: 0, tab: 0 }],
    users: [{ at: 0, userId: 'alice' }],
    ...extra,
  };
}

describe('computeFigures', () => {
  it('counts the time a subscriber lags behind the server as stale, the longest lag as worst', () => {
    const figures = computeFigures(
      recording({
        '0:0': [
          [0, 100],
          [10_500, 90],
        ],
        '0:1': [
          [0, 100],
          [12_000, 90],
        ],
      }),
      ledger,
      span,
    );
    // Subscriber 1 lags 2 s; any subscriber off counts for the tab in front.
    expect(figures.staleSeconds).toBe(2);
    expect(figures.worstStaleSeconds).toBe(2);
    expect(figures.rendersPerSubscriber).toBe(4);
    expect(figures.requests).toBe(3);
  });

  it('does not count time away from every tab, and breaks the worst stretch there', () => {
    const figures = computeFigures(
      recording(
        {
          '0:0': [
            [0, 100],
            [15_000, 90],
          ],
        },
        {
          front: [
            { at: 0, tab: 0 },
            { at: 11_000, tab: null },
            { at: 14_000, tab: 0 },
          ],
        },
      ),
      ledger,
      span,
    );
    // Stale 10–11 s and 14–15 s: 2 s in all, 1 s at most without a break.
    expect(figures.staleSeconds).toBe(2);
    expect(figures.worstStaleSeconds).toBe(1);
  });

  it('counts showing nothing as blank, not as stale', () => {
    const figures = computeFigures(
      recording({
        '0:0': [
          [0, null],
          [3_000, 100],
          [10_000, 90],
        ],
      }),
      ledger,
      span,
    );
    expect(figures.blankSeconds).toBe(3);
    expect(figures.staleSeconds).toBe(0);
  });

  it('counts every commit of the other user’s number as a leak', () => {
    const figures = computeFigures(
      recording(
        {
          '0:0': [
            [0, 100],
            [5_000, 100],
            [5_200, 500],
          ],
        },
        {
          users: [
            { at: 0, userId: 'alice' },
            { at: 5_000, userId: 'bob' },
          ],
        },
      ),
      ledger,
      span,
    );
    expect(figures.leaks).toBe(1);
    // Alice's 100 stayed on screen 200 ms after the switch to bob.
    expect(figures.staleSeconds).toBeCloseTo(0.2);
  });

  it('counts a commit of a lower version of the same user as a regression', () => {
    const figures = computeFigures(
      recording({
        '0:0': [
          [0, 100],
          [10_000, 90],
          [10_300, 100],
        ],
      }),
      ledger,
      span,
    );
    expect(figures.regressions).toBe(1);
    // The old 100 is back on screen from 10.3 s to the end while the server says 90.
    expect(figures.staleSeconds).toBeCloseTo(9.7);
  });
});
