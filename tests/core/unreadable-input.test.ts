/**
 * SPEC invariant 6: "bad input (malformed socket message, ...) is rejected with a logged reason,
 * never thrown into the app". An input whose reading throws (a getter or proxy trap on a socket
 * client's frame object, a revoked proxy) is bad input too (outside review 7): `send()` threw it
 * into the caller, and a commit answer like it left an unhandled rejection and its debit applied
 * for good.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BalanceEvent } from '../../src/index.js';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const throwingGetter = <T extends object>(target: T, key: string): T =>
  Object.defineProperty(target, key, {
    enumerable: true,
    get() {
      throw new Error('bad frame');
    },
  });

const revoked = (target: object) => {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
};

describe('input whose reading throws', () => {
  it.each([
    [
      'a push with a throwing balance',
      () => throwingGetter({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', version: 2 }, 'balance'),
    ],
    ['an event with a throwing type', () => throwingGetter({}, 'type')],
    [
      'a connection whose hello throws',
      () => ({ type: 'SOCKET.CONNECTED', hello: throwingGetter({ userId: 'u1' }, 'balance') }),
    ],
    ['a revoked proxy', () => revoked({ type: 'SOCKET.BALANCE_UPDATED' })],
    [
      'a push that is a revoked proxy inside',
      () => ({ type: 'SOCKET.CONNECTED', hello: revoked({ balance: 1 }) }),
    ],
  ])('send() of %s: rejected, logged, nothing thrown, nothing shown', async (_, make) => {
    const h = createHarness();
    await startSettled(h);
    const before = h.sync.getSnapshot();
    expect(() => h.sync.send(make() as unknown as BalanceEvent)).not.toThrow();
    await settleIO();
    expect(h.sync.getSnapshot()).toBe(before);
    expect(h.sync.metrics().rejected).toBe(1);
    expect(h.logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(/^rejected event: could not be read \((Type)?Error: /),
      }),
    );
  });

  it('a commit answer whose version throws: logged, an answer without a version (one request)', async () => {
    const h = createHarness({ refreshIntervalMs: 0 });
    await startSettled(h); // 1_000_100
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await h.advance(3_000);
      h.sync.applyOptimistic(-1, Promise.resolve(throwingGetter({ balance: 5 }, 'version')));
      h.server.change('u1', -1); // the debit is in: v2, 1_000_099
      await settleIO();
      expect(h.logger.messages()).toContain(
        'rejected commit answer: could not be read (Error: bad frame)',
      );
      // Rule 3: the value fetched after it settles it (before: the debit stayed for good).
      expect(h.server.inFlight()).toHaveLength(1);
      h.server.respondNext();
      await settleIO();
      expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_099, source: 'network' });
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('refresh() and invalidate() called from plain JS with null', () => {
  it('are calls without options: no TypeError in the app, and each settles', async () => {
    const h = createHarness();
    await startSettled(h);
    const nullOptions = null as unknown as undefined;
    const refreshed = h.sync.refresh(nullOptions);
    await settleIO();
    h.server.respondNext();
    await expect(refreshed).resolves.toMatchObject({ userId: 'u1', status: 'cached' });
    const report = h.sync.invalidate(nullOptions);
    await settleIO();
    h.server.respondNext();
    await expect(report).resolves.toMatchObject({ userId: 'u1', reason: null });
  });
});

describe('a commit whose outcome cannot be observed', () => {
  it.each([
    [
      'its own then throws',
      (commit: object) =>
        Object.assign(commit, {
          // biome-ignore lint/suspicious/noThenProperty: a hostile promise is what is tested
          then: () => {
            throw new Error('then boom');
          },
        }),
    ],
    [
      'its constructor getter throws',
      (commit: object) =>
        Object.defineProperty(commit, 'constructor', {
          get() {
            throw new Error('ctor boom');
          },
        }),
    ],
  ])(
    '%s: nothing thrown into the app, refused with a logged reason, the delta taken back',
    async (_, hostile) => {
      const h = createHarness();
      await startSettled(h);
      const commit = Promise.resolve({ balance: 1_000_090, version: 2 });
      hostile(commit);
      expect(() => h.sync.applyOptimistic(-10, commit)).not.toThrow();
      expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, source: 'network' });
      expect(h.logger.messages().join('\n')).toMatch(/applyOptimistic: commit cannot be observed/);
      await settleIO();
      expect(h.sync.getSnapshot().balance).toBe(1_000_100);
    },
  );

  it('a plain thenable (not a promise) settles the delta it answers for', async () => {
    const h = createHarness();
    await startSettled(h);
    // biome-ignore lint/suspicious/noThenProperty: a plain thenable is what is tested
    const answered = { then: (resolve: (value: unknown) => void) => resolve({ version: 1 }) };
    h.sync.applyOptimistic(-10, answered as PromiseLike<unknown>);
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, source: 'network' });
  });
});
