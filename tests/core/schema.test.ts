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
    h.server.last()?.resolve({ balance: -5 });
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: null, error: { kind: 'validation' } });
    expect(h.sync.getSnapshot().error?.message).toMatch(/^schema: /);
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
