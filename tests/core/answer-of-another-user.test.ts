/**
 * SPEC invariant 1 (isolation) and 6 (bad input rejected with a logged reason): a response or a
 * commit answer that names another user than the one it was requested for (a proxy or cache that
 * mixed up sessions) was shown. A response like it is a validation error keeping the last good
 * value; a commit answer like it settles nothing: an answer without a version, which owes one
 * revalidation (SPEC "Optimistic debits", rule 3). An answer naming no user stays valid.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

describe("a fetched response naming another user (u1's balance is 1_000_100 at v1)", () => {
  it('is a validation error: logged, counted, never shown; the last good value is kept', async () => {
    const h = createHarness();
    await startSettled(h);
    const refreshed = h.sync.refresh({ skipCache: true });
    await settleIO();
    h.server.last()?.resolve({ balance: 2_000_100, version: 7, userId: 'u2' } as never);
    await refreshed;
    expect(h.sync.getSnapshot()).toMatchObject({
      userId: 'u1',
      balance: 1_000_100,
      version: 1,
      isStale: true,
      error: { kind: 'validation', message: 'answer for another user' },
    });
    expect(h.sync.metrics().fetchErrors).toBe(1);
    expect(h.logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'balance fetch failed',
        details: { error: 'BalanceValidationError: answer for another user' },
      }),
    );
    expect(h.seen.some((state) => state.balance === 2_000_100)).toBe(false);
  });

  it.each([
    ['names the user it was requested for', { userId: 'u1' }],
    ['names no user', {}],
    ['names the user by a number (not a string id)', { userId: 1 }],
  ])('is taken when it %s', async (_, named) => {
    const h = createHarness();
    await startSettled(h);
    const refreshed = h.sync.refresh({ skipCache: true });
    await settleIO();
    h.server.last()?.resolve({ balance: 1_000_090, version: 2, ...named } as never);
    await refreshed;
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_090, version: 2, error: null });
  });
});

describe('a commit answer naming another user', () => {
  it('settles nothing: logged, counted, the delta kept until a value fetched after it lands', async () => {
    const h = createHarness({ refreshIntervalMs: 0 });
    await startSettled(h);
    await h.advance(3_000); // outside dedupe
    const answer = { balance: 2_000_050, version: 50, userId: 'u2' };
    h.sync.applyOptimistic(-1, Promise.resolve(answer));
    h.server.change('u1', -1); // the debit is in: 1_000_099 at v2
    await settleIO();
    expect(h.logger.messages()).toContain('rejected commit answer: answer for another user');
    expect(h.sync.metrics().rejected).toBe(1);
    // Neither its balance nor its version: the debit is still shown on u1's value...
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_099, version: 1 });
    // ...until the one revalidation it owes (rule 3) answers.
    expect(h.server.inFlight()).toHaveLength(1);
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({
      balance: 1_000_099,
      version: 2,
      source: 'network',
    });
    expect(h.seen.some((state) => state.balance === 2_000_050)).toBe(false);
  });

  it("is taken when it names the debit's user: shown at once, no request", async () => {
    const h = createHarness({ refreshIntervalMs: 0 });
    await startSettled(h);
    await h.advance(3_000);
    h.sync.applyOptimistic(-1, Promise.resolve({ balance: 1_000_099, version: 2, userId: 'u1' }));
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_099, version: 2 });
    expect(h.server.inFlight()).toHaveLength(0);
    expect(h.sync.metrics().rejected).toBe(0);
  });
});
