import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

// Standard Schema: any compliant library works; valibot is one.
const nonNegative = v.looseObject({ balance: v.pipe(v.number(), v.minValue(0)) });

describe('schema option (Standard Schema)', () => {
  it('rejects a fetched payload that fails the schema', async () => {
    const h = createHarness({ schema: nonNegative });
    h.sync.setUser('u1');
    h.sync.start();
    await settleIO();
    h.server.last()?.resolve({ balance: -4242 });
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: null, error: { kind: 'validation' } });
    expect(h.sync.getSnapshot().error?.message).toMatch(/^schema: /);
    // valibot quotes the value it rejected: balances are never logged, nor shown in the error.
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: -31337, version: 5 });
    const logged = JSON.stringify(h.logger.lines) + String(h.sync.getSnapshot().error?.message);
    expect(logged).toContain('schema: ');
    expect(logged).not.toMatch(/4242|31337/);
  });

  it('takes a schema that is a function (as ArkType makes them)', async () => {
    const callable = Object.assign((input: unknown) => input, {
      '~standard': {
        version: 1 as const,
        vendor: 'ark-like',
        validate: (value: unknown) =>
          (value as { balance: number }).balance < 0
            ? { issues: [{ message: 'negative' }] }
            : { value },
      },
    });
    const h = createHarness({ schema: callable });
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: -1, version: 5 });
    expect(h.sync.getSnapshot().balance).toBe(1_000_100);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 7, version: 6 });
    expect(h.sync.getSnapshot().balance).toBe(7);
  });

  it('rejects a push that fails the schema, accepts one that passes', async () => {
    const h = createHarness({ schema: nonNegative });
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: -1, version: 5 });
    expect(h.sync.getSnapshot().balance).toBe(1_000_100);
    expect(h.sync.metrics().rejected).toBe(1);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 7, version: 6 });
    expect(h.sync.getSnapshot().balance).toBe(7);
  });

  it('applies an async schema once it settles', async () => {
    const asyncSchema = v.pipeAsync(
      v.looseObject({ balance: v.number() }),
      v.checkAsync(async (input) => input.balance < 100, 'too large'),
    );
    const h = createHarness({ schema: asyncSchema });
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 50, version: 5 });
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 500, version: 6 });
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 50, version: 5 });
  });
});

describe('the schema sees raw payloads, responses and pushes alike', () => {
  it('a schema with an optional version accepts pushes without one, and with one', async () => {
    const optionalVersion = v.object({
      userId: v.optional(v.string()),
      balance: v.number(),
      version: v.optional(v.number()),
    });
    const h = createHarness({ schema: optionalVersion, socketRefreshIntervalMs: 0 });
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 9, version: 7 });
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 9, version: 7 });
    expect(h.sync.metrics().rejected).toBe(0);
  });

  it('a transform (cents to units) applies to fetched responses and pushes alike', async () => {
    const cents = v.pipe(
      v.looseObject({ balance: v.number() }),
      v.transform((input) => ({ ...input, balance: input.balance / 100 })),
    );
    const h = createHarness({ schema: cents });
    h.sync.setUser('u1');
    h.sync.start();
    await settleIO();
    h.server.last()?.resolve({ balance: 10_000, version: 1 });
    await settleIO();
    expect(h.sync.getSnapshot().balance).toBe(100);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 9_000, version: 2 });
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 90, version: 2 });
    // Another tab relays the value it showed (already in units): no second transform.
    h.sync.send({ type: 'TAB.BALANCE', userId: 'u1', balance: 80, version: 3 });
    expect(h.sync.getSnapshot().balance).toBe(80);
  });

  it('never sees a field the library added', async () => {
    const seen: unknown[] = [];
    const spy = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (value: unknown) => {
          seen.push(value);
          return { value };
        },
      },
    };
    const h = createHarness({ schema: spy });
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 5 });
    expect(seen.at(-1)).toEqual({ userId: 'u1', balance: 5 });
    h.sync.send({
      type: 'SOCKET.CONNECTED',
      hello: { userId: 'u1', balance: 6, version: 9 },
    });
    expect(seen.at(-1)).toEqual({ userId: 'u1', balance: 6, version: 9 });
  });
});
