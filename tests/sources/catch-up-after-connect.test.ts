// @vitest-environment node
/**
 * SPEC "Freshness policy": "On (re)connect: one catch-up request", "A new leader connects and
 * catches up once". Another tab's value settles the catch-up a connection owes only if that tab
 * observed it after the connection opened (outside review 24): two tabs whose first requests
 * were in flight when a change's push was lost (no connection yet) each took the other's
 * pre-connection value as the catch-up, and both showed the old balance as fresh for as long
 * as the socket stayed up.
 */
import { Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BalanceEvent } from '../../machines/events.js';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { crossTabSource } from '../../src/sources/cross-tab.js';
import { fakeLocks } from '../helpers/fake-locks.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A BroadcastChannel on the fake clock: delivers a clone to the other members 2 ms later. */
function channels() {
  const members = new Map<string, Set<Channel>>();
  class Channel {
    onmessage: ((event: { data: unknown }) => void) | null = null;
    onmessageerror: ((event: unknown) => void) | null = null;
    constructor(readonly name: string) {
      const group = members.get(name) ?? new Set<Channel>();
      group.add(this);
      members.set(name, group);
    }
    postMessage(message: unknown) {
      for (const other of members.get(this.name) ?? []) {
        if (other === this) continue;
        const data = structuredClone(message);
        setTimeout(() => other.onmessage?.({ data }), 2);
      }
    }
    close() {
      members.get(this.name)?.delete(this);
    }
  }
  return Channel;
}

function browser(withLocks: boolean) {
  let server = { balance: 100, version: 1 };
  let requests = 0;
  const fetchBalance = () => {
    requests++;
    const answer = { ...server }; // what the server had when the request reached it
    return new Promise<typeof answer>((resolve) => setTimeout(() => resolve(answer), 10));
  };
  const Channel = channels();
  const locks = fakeLocks();
  const socket = new Subject<BalanceEvent>();
  const tab = () =>
    createBalanceSync({
      fetchBalance,
      userId: 'u1',
      cache: [memoryCache()],
      logger: false,
      sources: [
        crossTabSource({
          broadcastChannel: () => Channel as never,
          locks: () => (withLocks ? locks : null),
          push: () => socket.asObservable(),
        }),
      ],
    });
  return {
    tabs: [tab(), tab()],
    socket,
    requests: () => requests,
    change: (next: typeof server) => {
      server = next;
    },
  };
}

describe("another tab's value observed before the connection opened is no catch-up", () => {
  it.each([
    ['the leader holds the connection (Web Locks)', true],
    ['each tab holds its own connection (no Web Locks)', false],
  ])(
    '%s: a catch-up request after the connection, then the new value in every tab',
    async (_, withLocks) => {
      const b = browser(withLocks);
      for (const tab of b.tabs) tab.start();
      await vi.advanceTimersByTimeAsync(1);
      // The balance changes while the first requests are in flight; its push is lost (no socket).
      b.change({ balance: 90, version: 2 });
      await vi.advanceTimersByTimeAsync(2);
      b.socket.next({ type: 'SOCKET.CONNECTED' });
      const atConnect = b.requests();
      await vi.advanceTimersByTimeAsync(120_000);
      expect(b.tabs.map((tab) => tab.getSnapshot())).toMatchObject([
        { balance: 90, version: 2, isStale: false },
        { balance: 90, version: 2, isStale: false },
      ]);
      expect(b.requests()).toBeGreaterThan(atConnect);
      for (const tab of b.tabs) tab.stop();
    },
  );

  it("the leader's own catch-up still spares the follower's: one catch-up request per browser", async () => {
    const b = browser(true);
    for (const tab of b.tabs) tab.start();
    // Past the dedupe window: the leader's catch-up starts as its connection opens.
    await vi.advanceTimersByTimeAsync(5_000);
    const beforeConnect = b.requests();
    b.change({ balance: 90, version: 2 });
    b.socket.next({ type: 'SOCKET.CONNECTED' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(b.tabs.map((tab) => tab.getSnapshot().balance)).toEqual([90, 90]);
    expect(b.requests() - beforeConnect).toBe(1);
    for (const tab of b.tabs) tab.stop();
  });
});

/** One tab's sync on a server whose value the test changes; counts the requests. */
function syncOnServer() {
  let server = { balance: 100, version: 1 };
  let requests = 0;
  const sync = createBalanceSync({
    fetchBalance: async () => {
      requests++;
      return { ...server };
    },
    userId: 'u1',
    cache: [memoryCache()],
    logger: false,
  });
  return {
    sync,
    requests: () => requests,
    change: (next: typeof server) => {
      server = next;
    },
  };
}

/**
 * The server changes and says so (a change notice); another tab's answer to a request it
 * started at `observedAt`, before the change, arrives with it: the notice's fetch still happens.
 */
async function expectNoticeFetched(server: ReturnType<typeof syncOnServer>, observedAt: number) {
  const { sync, requests, change } = server;
  change({ balance: 50, version: 2 });
  sync.send({ type: 'SOCKET.INVALIDATE', userId: 'u1' });
  sync.send({ type: 'TAB.BALANCE', userId: 'u1', balance: 100, version: 1, observedAt });
  const beforeNotice = requests();
  await vi.advanceTimersByTimeAsync(5_000);
  expect(requests()).toBe(beforeNotice + 1);
  expect(sync.getSnapshot()).toMatchObject({ balance: 50, version: 2, isStale: false });
  sync.stop();
}

describe("another tab's value does not settle a revalidation owed for something else", () => {
  it("a change notice's fetch, owed inside the dedupe window, still happens", async () => {
    const server = syncOnServer();
    const { sync } = server;
    sync.start();
    await vi.advanceTimersByTimeAsync(5_000);
    sync.send({ type: 'SOCKET.CONNECTED' });
    await vi.advanceTimersByTimeAsync(5_000);
    await sync.refresh(); // opens a dedupe window: the notice's fetch waits for its end
    const observedAt = Date.now();
    await vi.advanceTimersByTimeAsync(200);
    await expectNoticeFetched(server, observedAt);
  });

  it("a change notice while a catch-up is owed: another tab's value observed before the notice settles neither", async () => {
    const server = syncOnServer();
    const { sync } = server;
    sync.start();
    await vi.advanceTimersByTimeAsync(5_000);
    await sync.refresh(); // opens a dedupe window: the catch-up and the notice's fetch wait
    await vi.advanceTimersByTimeAsync(100);
    sync.send({ type: 'SOCKET.CONNECTED' });
    await vi.advanceTimersByTimeAsync(100);
    const observedAt = Date.now(); // after the connection opened, before the change
    await vi.advanceTimersByTimeAsync(100);
    await expectNoticeFetched(server, observedAt);
  });
});
