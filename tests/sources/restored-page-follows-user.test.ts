// @vitest-environment jsdom
/**
 * A page in the back/forward cache hears no BroadcastChannel message: when another tab signs out
 * or switches meanwhile, the restored page must follow (invariant 1: "never another user's
 * data"; SPEC: sign-out purges that user's entries, in every tab). `crossTabSource` records the
 * browser's last user change in localStorage; a restored page (`pageshow` with `persisted`) or a
 * resumed one follows a change made after what it knew. Two syncs share Node's BroadcastChannel;
 * "in the cache", one of them drops every message, as a suspended page does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBalanceSync, crossTabSource, memoryCache } from '../../src/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => localStorage.clear());

function restore() {
  const event = new Event('pageshow');
  Object.defineProperty(event, 'persisted', { value: true });
  window.dispatchEvent(event);
}

function browser() {
  const channelName = `restored-${Math.random()}`;
  const tab = (suspended: { now: boolean }) => {
    /** Node's BroadcastChannel, deaf while the page is "in the cache". */
    class Suspendable extends BroadcastChannel {
      override set onmessage(handler: ((message: MessageEvent) => void) | null) {
        super.onmessage = handler === null ? null : (message) => suspended.now || handler(message);
      }
    }
    return createBalanceSync({
      fetchBalance: async ({ userId }) => ({ balance: userId === 'B' ? 9 : 500 }),
      userId: 'A',
      cache: [memoryCache()],
      logger: false,
      dedupeMs: 1_000,
      sources: [
        crossTabSource({ locks: () => null, channelName, broadcastChannel: () => Suspendable }),
      ],
    });
  };
  return { tab };
}

describe('a page restored from the back/forward cache', () => {
  it.each([
    ['a sign-out', null],
    ['a switch', 'B'],
  ])('follows %s another tab made while it was cached', async (_, next) => {
    const { tab } = browser();
    const away = { now: false };
    const restored = tab(away);
    const other = tab({ now: false });
    restored.start();
    other.start();
    await sleep(50);
    away.now = true;
    other.setUser(next);
    await sleep(50);
    expect(restored.getSnapshot()).toMatchObject({ userId: 'A', balance: 500 }); // missed it
    away.now = false;
    restore();
    await sleep(50);
    expect(restored.getSnapshot()).toMatchObject({ userId: next, balance: null });
    await sleep(1_200);
    expect(restored.getSnapshot()).toMatchObject({
      userId: next,
      balance: next === null ? null : 9,
    });
    restored.stop();
    other.stop();
  });

  it('a change made while the other tab was stopped is followed too', async () => {
    const { tab } = browser();
    const away = { now: false };
    const restored = tab(away);
    const other = tab({ now: false });
    restored.start();
    await sleep(50);
    away.now = true;
    other.setUser(null); // a logout page that does not start the sync
    await sleep(50); // its message arrives while this page is away
    expect(restored.getSnapshot().userId).toBe('A');
    away.now = false;
    restore();
    await sleep(50);
    expect(restored.getSnapshot()).toMatchObject({ userId: null, balance: null });
    restored.stop();
  });

  it('follows nothing it already knew: its own change, one made before it started, a plain pageshow', async () => {
    const { tab } = browser();
    const other = tab({ now: false });
    other.setUser('B'); // recorded before the restored page's sync started
    await sleep(5);
    const restored = tab({ now: false });
    restored.start();
    await sleep(50);
    const plain = new Event('pageshow'); // a first load, not a restore
    window.dispatchEvent(plain);
    restore();
    await sleep(50);
    expect(restored.getSnapshot()).toMatchObject({ userId: 'A', balance: 500 });
    restored.setUser('C');
    restore();
    await sleep(50);
    expect(restored.getSnapshot().userId).toBe('C');
    restored.stop();
  });

  it('a stopped sync does not listen for restores (invariant 7), and an unreadable record is ignored', async () => {
    const { tab } = browser();
    const restored = tab({ now: false });
    restored.start();
    await sleep(50);
    restored.stop();
    const other = tab({ now: false });
    other.setUser(null);
    restore();
    await sleep(20);
    expect(restored.getSnapshot().userId).toBe('A');
    restored.start();
    await sleep(20);
    for (const key of Object.keys(localStorage)) {
      // Later than anything the tab knew, but not a user: any script on the origin may write it.
      if (key.endsWith(':user')) localStorage.setItem(key, '{"userId":42,"at":9e15,"tab":"x"}');
    }
    restore();
    await sleep(20);
    expect(restored.getSnapshot().userId).toBe('A');
    restored.stop();
  });
});
