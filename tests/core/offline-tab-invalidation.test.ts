/**
 * Another tab invalidated while this one is offline (SPEC "Freshness policy": with no network,
 * nothing is fetched on its own; invariant 6, a failed fetch keeps the last good value). This tab
 * clears its layers and waits a grace for the other tab's value; when none comes it must not try
 * a request it knows will fail (which ended in `error`, a retry storm on reconnect): the old
 * value stays, stale, and the request is made when the network is back.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

describe("another tab's invalidation while offline", () => {
  it('no request until ONLINE; the old value stays, stale, with no error', async () => {
    const h = createHarness();
    await startSettled(h);
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, isStale: false });
    h.sync.send({ type: 'OFFLINE' });
    h.server.change('u1', -10);
    h.sync.send({ type: 'TAB.INVALIDATED', userId: 'u1' });
    await h.advance(5_000); // past the grace the other tab had to share its value
    expect(h.server.inFlight()).toHaveLength(0);
    expect(h.sync.getSnapshot()).toMatchObject({
      balance: 1_000_100,
      isStale: true,
      error: null,
      status: 'stale',
    });
    h.sync.send({ type: 'ONLINE' });
    await settleIO();
    expect(h.server.inFlight()).toHaveLength(1);
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_090, isStale: false, error: null });
  });

  it('online, it still fetches after the grace when no tab shared a value', async () => {
    const h = createHarness();
    await startSettled(h);
    h.server.change('u1', -10);
    h.sync.send({ type: 'TAB.INVALIDATED', userId: 'u1' });
    await h.advance(5_000);
    expect(h.server.inFlight()).toHaveLength(1);
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_090, isStale: false });
  });
});
