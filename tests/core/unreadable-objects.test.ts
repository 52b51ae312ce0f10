/**
 * SPEC invariant 6: bad input is "rejected with a logged reason, never thrown into the app,
 * never shown", counted in `metrics().rejected`. Outside review 25: `send()` copied only plain
 * objects before reading them, so a class instance (a socket client's frame) with a throwing
 * getter, a proxy over one whose trap throws, or such an object returned by a schema threw into
 * the app (finding 2); an async schema's malformed result made a push vanish with no reason, and
 * a response fail as `fetch` instead of `validation` (finding 5).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BalanceEvent, BalanceSyncOptions } from '../../src/index.js';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

class Frame {
  type = 'SOCKET.BALANCE_UPDATED';
  userId = 'u1';
  version = 9;
}

/** A frame whose `balance` is an own getter that throws (a released buffer). */
const releasedFrame = () =>
  Object.defineProperty(new Frame(), 'balance', {
    enumerable: true,
    get() {
      throw new Error('frame already released');
    },
  });

const trapped = <T extends object>(target: T): T =>
  new Proxy(target, {
    get() {
      throw new Error('proxy trap');
    },
  });

/** A Standard Schema whose `validate` answers with `result` once armed (the first fetch passes). */
function armedSchema(result: () => unknown) {
  const state = { armed: false };
  const schema = {
    '~standard': {
      version: 1 as const,
      vendor: 'test',
      validate: (value: unknown) => (state.armed ? result() : { value }),
    },
  } as unknown as NonNullable<BalanceSyncOptions['schema']>;
  return { schema, arm: () => (state.armed = true) };
}

const push = { type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 50, version: 9 } as const;

describe('send() of an object whose reading throws', () => {
  it.each([
    ['a class instance with a throwing own getter', releasedFrame],
    ['a proxy over a class instance whose trap throws', () => trapped(new Frame())],
    [
      'a connection whose hello is such a proxy',
      () => ({ type: 'SOCKET.CONNECTED', hello: trapped(new Frame()) }),
    ],
  ])('%s: rejected, logged, counted; nothing thrown, nothing shown', async (_, make) => {
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
        message: expect.stringMatching(/^rejected \S+: could not be read \(Error: /),
      }),
    );
  });
});

it('a response whose reading throws: a validation error (not a failed request), value kept', async () => {
  const h = createHarness();
  await startSettled(h);
  const refreshed = h.sync.refresh({ skipCache: true });
  await settleIO();
  h.server.last()?.resolve(releasedFrame() as never);
  await refreshed;
  expect(h.sync.getSnapshot()).toMatchObject({
    balance: 1_000_100,
    error: { kind: 'validation', message: 'could not be read (Error: frame already released)' },
  });
});

it("a commit's answer whose getter throws: logged, an answer without a version (one request)", async () => {
  class DebitResponse {
    get version(): number {
      throw new Error('body already used');
    }
  }
  const h = createHarness({ refreshIntervalMs: 0 });
  await startSettled(h);
  await h.advance(3_000);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    h.sync.applyOptimistic(-1, Promise.resolve(new DebitResponse()));
    await settleIO();
    expect(h.logger.messages()).toContain(
      'rejected commit answer: could not be read (Error: body already used)',
    );
    expect(h.server.inFlight()).toHaveLength(1); // rule 3: the debit settles, a request is owed
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

describe('a schema whose answer cannot be read', () => {
  it.each([
    ['a result that is such a proxy', () => trapped({ value: push })],
    ['an output that is such a class instance', () => ({ value: releasedFrame() })],
  ])('%s: the push is rejected, logged and counted; nothing thrown', async (_, result) => {
    const { schema, arm } = armedSchema(result);
    const h = createHarness({ schema });
    await startSettled(h);
    arm();
    expect(() => h.sync.send(push)).not.toThrow();
    await settleIO();
    expect(h.sync.getSnapshot().balance).toBe(1_000_100);
    expect(h.sync.metrics().rejected).toBe(1);
    expect(h.logger.messages()).toContainEqual(
      expect.stringMatching(/^rejected SOCKET\.BALANCE_UPDATED: (schema threw|could not be read)/),
    );
  });
});

describe('an async schema with a malformed result: like the synchronous "schema threw"', () => {
  const malformed: [string, () => unknown][] = [
    ['no result', () => undefined],
    [
      'issues that throw',
      () => ({
        get issues(): never {
          throw new Error('issues unreadable');
        },
      }),
    ],
  ];

  it.each(malformed)('%s: the push is rejected, logged and counted', async (_, result) => {
    const { schema, arm } = armedSchema(async () => result());
    const h = createHarness({ schema });
    await startSettled(h);
    arm();
    h.sync.send(push);
    await settleIO();
    expect(h.sync.getSnapshot().balance).toBe(1_000_100);
    expect(h.sync.metrics().rejected).toBe(1);
    expect(h.logger.messages()).toContainEqual(
      expect.stringMatching(/^rejected SOCKET\.BALANCE_UPDATED: schema threw: /),
    );
  });

  it.each(malformed)(
    '%s: a response is a validation error keeping the value',
    async (_, result) => {
      const { schema, arm } = armedSchema(async () => result());
      const h = createHarness({ schema });
      await startSettled(h);
      arm();
      const refreshed = h.sync.refresh({ skipCache: true });
      await settleIO();
      h.server.respondNext();
      await refreshed;
      expect(h.sync.getSnapshot()).toMatchObject({
        balance: 1_000_100,
        isStale: true,
        error: { kind: 'validation', message: expect.stringMatching(/^schema threw: /) },
      });
      expect(h.sync.metrics().fetchErrors).toBe(1);
    },
  );
});
