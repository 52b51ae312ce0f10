/**
 * SPEC "Versions and epochs" and invariant 2, through the public API: every scenario of the
 * incident list ("Why" of the first issue of this round) written from its description.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const push = (balance: number, version?: number, epoch?: string) => ({
  type: 'SOCKET.BALANCE_UPDATED' as const,
  userId: 'u1',
  balance,
  ...(version === undefined ? {} : { version }),
  ...(epoch === undefined ? {} : { epoch }),
});

/** Every version shown, in order, without the nulls. */
const versionsShown = (h: ReturnType<typeof createHarness>) =>
  h.seen.map((state) => state.version).filter((version) => version !== null);

describe('versions and epochs', () => {
  it('push v5, then refresh() answers v4 (a lagging replica): v5 stays, v4 is discarded and counted', async () => {
    const h = createHarness();
    await startSettled(h);
    Object.assign(h.server.valueOf('u1'), { balance: 500, version: 5 });
    h.sync.send({ type: 'SOCKET.CONNECTED' });
    h.sync.send(push(500, 5));
    await h.advance(2_000);
    h.server.respondNext(); // the catch-up owed by the connection
    await settleIO();
    const started = h.server.count;
    void h.sync.refresh({ skipCache: true });
    h.server.last()?.resolve({ balance: 400, version: 4 });
    await settleIO();
    expect(h.server.count).toBe(started + 1);
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 500, version: 5 });
    expect(h.sync.metrics().discarded).toBe(1);
    // A later delayed push of v4 is discarded too.
    h.sync.send(push(400, 4));
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 500, version: 5 });
    expect(h.sync.metrics().discarded).toBe(2);
    expect(versionsShown(h)).toEqual([...versionsShown(h)].sort((a, b) => a - b));
  });

  it('a discarded lower version owes one revalidation, within the dedupe rule', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send(push(500, 5));
    h.sync.send(push(300, 3));
    await settleIO();
    expect(h.server.count).toBe(1); // inside dedupeMs of the first request
    await h.advance(1_000);
    expect(h.server.count).toBe(2);
    h.server.respondNext(); // the server now has v1 (its counter restarted without an epoch)
    await settleIO();
    // The revalidation started after the discard answered lower: the server's word wins.
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_100, version: 1 });
    expect(h.logger.messages()).toContain(
      'version went backwards: send an epoch when the counter restarts',
    );
    // The floor is corrected: the server's next change (v2) is shown at once.
    h.sync.send(push(1_000_090, 2));
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_090, version: 2 });
  });

  it('a response that predates the discard cannot correct the floor: only the server saying it twice does', async () => {
    const h = createHarness();
    await startSettled(h);
    await h.advance(2_000);
    void h.sync.refresh();
    const early = h.server.last();
    h.sync.send(push(500, 5));
    h.sync.send(push(300, 3)); // discarded now, after `early` started
    early?.resolve({ balance: 200, version: 2 });
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 500, version: 5 });
  });

  it('push v5, then an unversioned response: the floor stays, a delayed push v3 is discarded', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send(push(500, 5));
    await h.advance(2_000);
    void h.sync.refresh();
    h.server.last()?.resolve({ balance: 510 });
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 510, version: null });
    h.sync.send(push(300, 3));
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 510 });
    // The next versioned value must still exceed the floor.
    h.sync.send(push(505, 5));
    expect(h.sync.getSnapshot().balance).toBe(510);
    h.sync.send(push(490, 6));
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 490, version: 6 });
  });

  it('an unversioned response overtaken by a push is discarded; an unversioned push is discarded while a version is shown', async () => {
    const h = createHarness();
    await startSettled(h);
    await h.advance(2_000);
    void h.sync.refresh();
    const request = h.server.last();
    h.sync.send(push(500, 5));
    request?.resolve({ balance: 999 });
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 500, version: 5 });
    h.sync.send(push(480));
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 500, version: 5 });
    expect(h.sync.metrics().discarded).toBe(2);
    // Its order is unknown: it owes a revalidation.
    await h.advance(1_000);
    expect(h.server.inFlight()).toHaveLength(1);
  });

  it('servers that never send versions get arrival order', async () => {
    const unversioned = createHarness({
      fetchBalance: ({ signal }) =>
        new Promise((resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason));
          resolve({ balance: 100 });
        }),
    });
    unversioned.sync.setUser('u1');
    unversioned.sync.start();
    await settleIO();
    expect(unversioned.sync.getSnapshot()).toMatchObject({ balance: 100, version: null });
    unversioned.sync.send(push(90));
    unversioned.sync.send(push(80));
    expect(unversioned.sync.getSnapshot()).toMatchObject({ balance: 80, source: 'socket' });
    unversioned.sync.stop();
  });

  it('equal versions are not a change, but confirm the value is current', async () => {
    const h = createHarness({ ttlMs: 30_000, refreshIntervalMs: 0 });
    await startSettled(h);
    const shown = h.sync.getSnapshot();
    await h.advance(20_000);
    h.sync.send(push(1_000_100, 1));
    expect(h.sync.getSnapshot().balance).toBe(1_000_100);
    expect(h.sync.getSnapshot().expiresAt).toBe(Date.now() + 30_000);
    expect(h.sync.metrics().discarded).toBe(0);
    expect(shown.version).toBe(1);
  });

  it('a server that restarts its counter with a new epoch: the first value of the new epoch replaces the shown one', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send(push(500, 50, 'e1'));
    h.sync.send(push(490, 1, 'e2'));
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 490, version: 1 });
    h.sync.send(push(480, 2, 'e2'));
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 480, version: 2 });
    // Within the new epoch the order holds again.
    h.sync.send(push(470, 1, 'e2'));
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 480, version: 2 });
    expect(h.sync.metrics().discarded).toBe(1);
  });

  it('a counter restart without an epoch while the socket stays live recovers within one round trip', async () => {
    const h = createHarness({ ttlMs: 30_000 });
    await startSettled(h);
    h.sync.send({ type: 'SOCKET.CONNECTED' });
    await h.advance(1_000);
    h.server.respondNext();
    await settleIO();
    h.sync.send(push(500, 50));
    expect(h.sync.getSnapshot().version).toBe(50);
    // The server restarts its counter: v1, v2... are all "older" than 50.
    h.server.valueOf('u1').version = 1;
    h.sync.send(push(490, 1));
    expect(h.sync.getSnapshot().version).toBe(50);
    await h.advance(1_000);
    expect(h.server.inFlight()).toHaveLength(1);
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ version: 1, isStale: false });
    h.sync.send(push(480, 2));
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 480, version: 2 });
  });

  it('a far-future version from another tab is corrected by the server within one round trip', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send({ type: 'TAB.BALANCE', userId: 'u1', balance: 7, version: 1e9 });
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 7, version: 1e9 });
    h.server.change('u1', -10);
    h.sync.send(push(1_000_090, 2));
    await h.advance(1_000);
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_090, version: 2 });
  });

  it('a far-future version from storage is corrected by the server within one round trip', async () => {
    const h = createHarness();
    const now = Date.now();
    localStorage.setItem(
      'tokenBalanceCache_u1',
      JSON.stringify({
        data: { balance: 7, userId: 'u1', version: 1e9 },
        timestamp: now,
        expiresAt: now + 30_000,
      }),
    );
    h.sync.setUser('u1');
    h.sync.start();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 7, version: 1e9 });
    h.server.change('u1', -10);
    h.sync.send(push(1_000_090, 2));
    expect(h.sync.getSnapshot().version).toBe(1e9);
    await h.advance(1_000);
    h.server.respondNext();
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 1_000_090, version: 2 });
  });

  it('epoch is stored and restored with the entry (an optional field of data)', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send(push(500, 3, 'e7'));
    await settleIO();
    const stored = JSON.parse(localStorage.getItem('tokenBalanceCache_u1') ?? '{}');
    expect(stored.data).toEqual({ balance: 500, userId: 'u1', version: 3, epoch: 'e7' });
  });

  it('the floor survives invalidate() and resets on a user change', async () => {
    const h = createHarness();
    await startSettled(h);
    h.sync.send(push(500, 5));
    void h.sync.invalidate();
    await settleIO();
    h.server.last()?.resolve({ balance: 300, version: 3 });
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 500, version: 5 });
    h.sync.setUser('u2');
    await settleIO();
    h.server.last()?.resolve({ balance: 2_000_100, version: 1 });
    await settleIO();
    expect(h.sync.getSnapshot()).toMatchObject({ userId: 'u2', version: 1 });
  });
});
