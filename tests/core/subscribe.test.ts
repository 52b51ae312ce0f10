import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const push = (balance: number, version: number) =>
  ({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance, version }) as const;

describe('subscribe()', () => {
  it('is per call: the same function subscribed twice is two subscriptions', async () => {
    const h = createHarness();
    await startSettled(h);
    const listener = vi.fn();
    const first = h.sync.subscribe(listener);
    h.sync.subscribe(listener);
    h.sync.send(push(1, 2));
    expect(listener).toHaveBeenCalledTimes(2);
    first();
    h.sync.send(push(2, 3));
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('a listener that throws is reported and does not stop the others', async () => {
    const h = createHarness();
    await startSettled(h);
    const after = vi.fn();
    h.sync.subscribe(() => {
      throw new Error('boom');
    });
    h.sync.subscribe(after);
    expect(() => h.sync.send(push(1, 2))).not.toThrow();
    expect(after).toHaveBeenCalledTimes(1);
    expect(h.logger.messages()).toContain('a balance subscriber threw');
  });

  it('listeners added or removed inside a listener take effect from the next change', async () => {
    const h = createHarness();
    await startSettled(h);
    const late = vi.fn();
    const removed = vi.fn();
    let unsubscribeRemoved = (): void => {};
    h.sync.subscribe(() => {
      unsubscribeRemoved();
      h.sync.subscribe(late);
    });
    unsubscribeRemoved = h.sync.subscribe(removed);
    h.sync.send(push(1, 2));
    expect(removed).not.toHaveBeenCalled();
    expect(late).not.toHaveBeenCalled();
    h.sync.send(push(2, 3));
    expect(late).toHaveBeenCalled();
  });
});
