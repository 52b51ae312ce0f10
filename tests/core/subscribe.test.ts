import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BalanceState } from '../../src/types.js';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const push = (balance: number, version: number) =>
  ({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance, version }) as const;

/**
 * Runs `act` once, from inside the listener that first sees a state `when` accepts (the actor
 * is busy then: what `act` sends is queued); returns a read of what `act`'s promise resolved to.
 */
function fromListener(
  h: ReturnType<typeof createHarness>,
  when: (state: BalanceState) => boolean,
  act: () => Promise<BalanceState>,
): () => BalanceState | null {
  let result: BalanceState | null = null;
  const unsubscribe = h.sync.subscribe((state) => {
    if (!when(state)) return;
    unsubscribe();
    void act().then((settled) => {
      result = settled;
    });
  });
  return () => result;
}

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

  // Surface property counterexample (seed 563333898): a subscription made after the state went
  // stale by time alone (no publish) was skipped by the next publish, while the older ones were
  // called: one call per publish for every subscription there, whatever it read meanwhile.
  it('a subscription made after the value went stale by time is called by the next publish', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.stop();
    await settleIO();
    const early = vi.fn();
    h.sync.subscribe(early);
    vi.setSystemTime(Date.now() + 120_000); // past the TTL, while stopped: nothing publishes
    const late = vi.fn();
    h.sync.subscribe(late);
    expect(h.sync.getSnapshot().isStale).toBe(true);
    h.sync.send({ type: 'FOCUS' }); // heard while stopped: one publish, nothing visible changes
    expect(early).toHaveBeenCalledTimes(1);
    expect(late).toHaveBeenCalledTimes(1);
    expect(late).toHaveBeenCalledWith(h.sync.getSnapshot());
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

describe('calls made while the sync is busy (inside a listener, fetchBalance or a target)', () => {
  // XState queues an event sent while the actor processes another; reads must not wait for it.
  it('setUser inside a listener: getSnapshot() belongs to the new user when it returns', async () => {
    const h = createHarness();
    await startSettled(h);
    let afterSwitch: unknown = null;
    h.sync.subscribe((state) => {
      if (afterSwitch === null && state.version === 2) {
        h.sync.setUser('u2');
        afterSwitch = h.sync.getSnapshot();
      }
    });
    h.sync.send(push(1_000_090, 2));
    expect(afterSwitch).toMatchObject({ userId: 'u2', balance: null, status: 'hydrating' });
    expect(h.sync.getSnapshot().userId).toBe('u2');
    // No state of u1 was published after the switch was asked for.
    const from = h.seen.findIndex((state) => state.version === 2) + 1;
    expect(h.seen.slice(from).every((state) => state.userId === 'u2')).toBe(true);
  });

  it.each([
    ['switches the user', (h: ReturnType<typeof createHarness>) => h.sync.setUser('u2')],
    ['stops the sync', (h: ReturnType<typeof createHarness>) => h.sync.stop()],
  ])(
    'a listener %s: the listeners after it get what getSnapshot() says now, once',
    async (_, act) => {
      const h = createHarness();
      await startSettled(h);
      let acted = false;
      h.sync.subscribe((state) => {
        if (!acted && state.version === 2) {
          acted = true;
          act(h);
        }
      });
      const later: { given: BalanceState; now: BalanceState }[] = [];
      h.sync.subscribe((state) => later.push({ given: state, now: h.sync.getSnapshot() }));
      h.sync.send(push(1_000_090, 2));
      await settleIO();
      expect(later.length).toBeGreaterThan(0);
      // Invariant 1: never u1's balance handed over while u2 is the user; never a stale status.
      for (const { given, now } of later) expect(given).toBe(now);
      expect(new Set(later.map(({ given }) => given)).size).toBe(later.length);
    },
  );

  it('sign-out on an error, from the listener that sees it', async () => {
    const h = createHarness({ retry: { attempts: 0, baseMs: 1_000, maxMs: 1_000 } });
    await startSettled(h);
    let afterSignOut: unknown = null;
    h.sync.subscribe((state) => {
      if (afterSignOut === null && state.error !== null) {
        h.sync.setUser(null);
        afterSignOut = h.sync.getSnapshot();
      }
    });
    void h.sync.refresh({ skipCache: true });
    h.server.last()?.reject(new Error('401'));
    await h.advance(0);
    expect(afterSignOut).toMatchObject({ userId: null, balance: null, status: 'idle' });
    expect(h.sync.getSnapshot()).toMatchObject({ userId: null, balance: null });
  });

  it('a switch and a switch back, both queued, never publish the user in between', async () => {
    const h = createHarness();
    await startSettled(h);
    let switched = false;
    h.sync.subscribe((state) => {
      if (!switched && state.version === 2) {
        switched = true;
        h.sync.setUser('u2');
        h.sync.setUser('u1');
        expect(h.sync.getSnapshot().userId).toBe('u1');
      }
    });
    const from = h.seen.length;
    h.sync.send(push(1_000_090, 2));
    await h.advance(0);
    expect(h.seen.slice(from).some((state) => state.userId === 'u2')).toBe(false);
    expect(h.sync.getSnapshot().userId).toBe('u1');
  });

  it('setUser from inside an invalidation target is visible at once too', async () => {
    const h = createHarness();
    await startSettled(h);
    let seenInside: unknown = null;
    h.sync.addInvalidationTarget('signs-out', () => {
      h.sync.setUser(null);
      seenInside = h.sync.getSnapshot();
    });
    await h.sync.invalidate();
    expect(seenInside).toMatchObject({ userId: null, balance: null });
  });

  it('refresh({ skipCache }) inside a listener resolves once its own request settled', async () => {
    const h = createHarness();
    await startSettled(h);
    const refreshed = fromListener(
      h,
      (state) => state.version === 2,
      () => h.sync.refresh({ skipCache: true }),
    );
    h.sync.send(push(1_000_090, 2));
    await h.advance(0);
    const request = h.server.last();
    expect(request?.skipCache).toBe(true);
    expect(refreshed()).toBeNull();
    request?.resolve({ balance: 1_000_080, version: 3 });
    await h.advance(0);
    expect(refreshed()).toMatchObject({ status: 'cached', balance: 1_000_080, version: 3 });
  });

  it('setUser then refresh() inside a listener resolve with the new user settled', async () => {
    const h = createHarness();
    await startSettled(h);
    const refreshed = fromListener(
      h,
      (state) => state.version === 2,
      () => {
        h.sync.setUser('u2');
        return h.sync.refresh();
      },
    );
    h.sync.send(push(1_000_090, 2));
    await settleIO();
    expect(refreshed()).toBeNull();
    h.server.respondNext();
    await settleIO();
    expect(refreshed()).toMatchObject({ userId: 'u2', status: 'cached', balance: 2_000_100 });
  });

  it('start then refresh() from the listener that sees the stop wait for the next fetch', async () => {
    const h = createHarness();
    await startSettled(h);
    const refreshed = fromListener(
      h,
      (state) => state.status === 'idle',
      () => {
        h.sync.start();
        return h.sync.refresh({ skipCache: true });
      },
    );
    h.sync.stop();
    await settleIO();
    expect(refreshed()).toBeNull();
    h.server.last()?.resolve({ balance: 1_000_070, version: 4 });
    await settleIO();
    expect(refreshed()).toMatchObject({ status: 'cached', balance: 1_000_070, version: 4 });
  });

  it('stop inside a listener: reads say idle at once, and start() afterwards still starts', async () => {
    const h = createHarness();
    await startSettled(h);
    let afterStop: unknown = null;
    const unsubscribe = h.sync.subscribe((state) => {
      if (afterStop === null && state.version === 2) {
        h.sync.stop();
        afterStop = h.sync.getSnapshot();
        h.sync.start();
      }
    });
    h.sync.send(push(1_000_090, 2));
    unsubscribe();
    expect(afterStop).toMatchObject({ status: 'idle', isFetching: false, balance: 1_000_090 });
    expect(h.sync.actor.getSnapshot().matches('stopped')).toBe(false);
  });
});
