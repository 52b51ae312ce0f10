// @vitest-environment node
/**
 * A tab whose sync is stopped still tells the others what it does (SPEC: sign-out "purge[s] that
 * user's entries", in this tab and, through the cross-tab source, in the others; invariant 5, a
 * memory layer of another tab must not serve an invalidated value). A logout page that does not
 * mount the provider calls `setUser(null)` on a stopped sync. Nothing listens while stopped
 * (invariant 7): the message goes on a channel opened for it and closed at once. Two syncs in one
 * process share Node's BroadcastChannel (no Web Locks).
 */
import { describe, expect, it } from 'vitest';
import { createBalanceSync, crossTabSource, memoryCache } from '../../src/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Node's BroadcastChannel, counting the channels open (to see that none is left open). */
function countingChannel() {
  const open = new Set<BroadcastChannel>();
  class Counted extends BroadcastChannel {
    constructor(name: string) {
      super(name);
      open.add(this);
    }
    override close(): void {
      open.delete(this);
      super.close();
    }
  }
  return { open, Channel: Counted };
}

const names = new WeakMap<object, string>();
const channelNameOf = (sync: object) => names.get(sync) as string;

function browser() {
  const server = { balance: 500, requests: 0 };
  const channelName = `stopped-tells-${Math.random()}`;
  const { open, Channel } = countingChannel();
  const tab = () => {
    const sync = createBalanceSync({
      fetchBalance: async ({ userId }) => {
        server.requests++;
        return { balance: userId === 'B' ? 9 : server.balance };
      },
      userId: 'A',
      cache: [memoryCache()],
      logger: false,
      // Another tab's sign-in or invalidation: it fetches and shares; the others wait this long
      // (at least 1 s) for its value, then fetch themselves. A stopped tab fetches nothing.
      dedupeMs: 1_000,
      sources: [
        crossTabSource({ locks: () => null, channelName, broadcastChannel: () => Channel }),
      ],
    });
    names.set(sync, channelName);
    return sync;
  };
  return { server, tab, open };
}

describe('a stopped tab tells the other tabs', () => {
  it.each([
    ['a sign-out', null],
    ['a switch', 'B'],
  ])('%s made while stopped reaches the running tabs', async (_, next) => {
    const { tab, open } = browser();
    const stopped = tab();
    const running = tab();
    stopped.start();
    running.start();
    await sleep(50);
    expect(running.getSnapshot()).toMatchObject({ userId: 'A', balance: 500 });
    stopped.stop();
    expect(open.size).toBe(1); // the running tab's channel only
    stopped.setUser(next);
    await sleep(50);
    expect(running.getSnapshot()).toMatchObject({ userId: next, balance: null });
    await sleep(1_200);
    expect(running.getSnapshot()).toMatchObject({
      userId: next,
      balance: next === null ? null : 9,
    });
    expect(open.size).toBe(1); // the stopped tab left no channel open
    running.stop();
    expect(open.size).toBe(0);
  });

  it('an invalidation made while stopped: the running tabs drop the old value and refetch', async () => {
    const { server, tab } = browser();
    const stopped = tab();
    const running = tab();
    stopped.start();
    running.start();
    await sleep(50);
    stopped.stop();
    server.balance = 450;
    const before = server.requests;
    await stopped.invalidate({ reason: 'debit' });
    await sleep(50);
    expect(running.getSnapshot()).toMatchObject({ balance: 500, isStale: true });
    await sleep(1_200);
    expect(running.getSnapshot()).toMatchObject({ balance: 450, isStale: false });
    expect(server.requests).toBe(before + 1); // the running tab's refetch; the stopped one waits
    running.stop();
  });

  it('one message per change, stopped or running', async () => {
    const { tab } = browser();
    const speaker = tab();
    const heard: string[] = [];
    const ear = new BroadcastChannel(channelNameOf(speaker));
    ear.onmessage = (message: MessageEvent<{ kind: string; userId?: string | null }>) => {
      if (message.data.kind === 'user' || message.data.kind === 'invalidated') {
        heard.push(`${message.data.kind}:${message.data.userId}`);
      }
    };
    speaker.start();
    await sleep(50);
    speaker.setUser('B');
    await speaker.invalidate();
    speaker.stop();
    speaker.setUser('C');
    await speaker.invalidate();
    speaker.setUser('C'); // no change, nothing told
    await sleep(50);
    ear.close();
    expect(heard).toEqual(['user:B', 'invalidated:B', 'user:C', 'invalidated:C']);
  });
});
