// @vitest-environment node
/**
 * "One tab polls for all" (invariant 4) with a leader that polls only while visible: a visible
 * follower whose leader is hidden, or signed in as another user, was never polled (a value
 * with a long TTL stayed on screen, fresh, while the server had another). A follower now polls
 * itself when no tab fetched for its user for two intervals; while the leader polls, it never does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { crossTabSource } from '../../src/sources/cross-tab.js';
import type { BalanceSync } from '../../src/types.js';
import { fakeLocks } from '../helpers/fake-locks.js';
import { waitFor } from '../helpers/wait-for.js';

const running: BalanceSync[] = [];
afterEach(() => {
  for (const sync of running.splice(0)) sync.stop();
});

function browser(keyPrefix: string) {
  const locks = fakeLocks();
  const ledger: Record<string, number> = { alice: 100, bob: 5_000 };
  const requests: string[] = [];
  const tab = (name: string, userId: string) => {
    const sync = createBalanceSync({
      fetchBalance: async ({ userId: user }) => {
        requests.push(name);
        return { balance: ledger[user] ?? 0 };
      },
      userId,
      keyPrefix,
      cache: [memoryCache()],
      logger: false,
      ttlMs: Number.POSITIVE_INFINITY,
      refreshIntervalMs: 1_000,
      dedupeMs: 100,
      sources: [crossTabSource({ locks: () => locks })],
    });
    running.push(sync);
    sync.start();
    return sync;
  };
  return { tab, ledger, requests };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isLeader = (sync: BalanceSync) =>
  sync.actor.getSnapshot().matches({ running: { tab: 'leader' } });

/** Tab A leads, signed in as alice; tab B follows as `followerUser`; both show their value. */
async function leaderAndFollower(keyPrefix: string, followerUser: 'alice' | 'bob') {
  const b = browser(keyPrefix);
  const leader = b.tab('A', 'alice');
  await waitFor(() => isLeader(leader) && leader.getSnapshot().balance === 100);
  const follower = b.tab('B', followerUser);
  await waitFor(() => follower.getSnapshot().balance === b.ledger[followerUser]);
  return { b, leader, follower };
}

describe('polling with a leader and followers', () => {
  it('a visible leader polls for all: its follower makes no request of its own', async () => {
    const { b, follower } = await leaderAndFollower('p1', 'alice');
    const before = b.requests.length;
    b.ledger.alice = 90;
    await wait(3_500);
    expect(follower.getSnapshot().balance).toBe(90);
    expect(b.requests.slice(before).every((name) => name === 'A')).toBe(true);
  });

  it('a hidden leader: the visible follower polls itself, within two intervals', async () => {
    const { b, leader, follower } = await leaderAndFollower('p2', 'alice');
    leader.send({ type: 'HIDDEN' });
    b.ledger.alice = 40;
    await waitFor(() => follower.getSnapshot().balance === 40, 3_000);
    expect(b.requests.at(-1)).toBe('B');
  });

  it("a follower signed in as another user than the leader's is polled too", async () => {
    const { b, follower } = await leaderAndFollower('p3', 'bob');
    b.ledger.bob = 4_000;
    await waitFor(() => follower.getSnapshot().balance === 4_000, 3_000);
  });
});
