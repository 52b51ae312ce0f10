/**
 * The four workloads of issue 6, drawn from one seed. Every contender gets the very same
 * script; only what each library does with it differs.
 */
import { createRandom, type Random } from '../sim/random.js';
import type { BalanceChange } from '../sim/scripted-server.js';
import type { UserAction, Workload } from './workload.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const SUBSCRIBERS = 10;

/** Balances of different users never meet, so a shown number tells whose it is. */
const initial = { alice: 100_000, bob: 500_000 };

function changes(random: Random, userId: string, count: number, from: number, to: number) {
  const list: BalanceChange[] = [];
  for (let i = 0; i < count; i++) {
    list.push({ at: random.int(from, to), userId, delta: -random.int(1, 99) });
  }
  return list.sort((a, b) => a.at - b.at);
}

/**
 * `count` focus events over the session: single returns after 5–120 s away, and bursts of 5
 * returns 300–600 ms apart (alt-tabbing back and forth). `pickTab` says which tab comes to
 * the front each time.
 */
function focusEpisodes(
  random: Random,
  options: { count: number; bursts: number; from: number; to: number; pickTab: () => number },
): UserAction[] {
  const singles = options.count - options.bursts * 5;
  const kinds = [...Array(singles).fill('single'), ...Array(options.bursts).fill('burst')];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  const slot = (options.to - options.from) / kinds.length;
  const actions: UserAction[] = [];
  kinds.forEach((kind, i) => {
    let t = Math.round(options.from + i * slot + random.next() * slot * 0.3);
    const returns = kind === 'burst' ? 5 : 1;
    for (let r = 0; r < returns; r++) {
      actions.push({ at: t, type: 'leave' });
      t +=
        kind === 'burst'
          ? random.int(150, 300)
          : random.int(5 * SECOND, Math.min(120 * SECOND, slot * 0.6));
      actions.push({ at: t, type: 'focus', tab: options.pickTab() });
      t += kind === 'burst' ? random.int(150, 300) : 0;
    }
  });
  return actions;
}

function sessionHour(seed: number, start: number, tabs: number): Workload {
  const random = createRandom(seed);
  const duration = 60 * MINUTE;
  const opens: UserAction[] = Array.from({ length: tabs }, (_, tab) => ({
    at: start + tab * 2 * SECOND,
    type: 'open',
    tab,
  }));
  let front = tabs - 1;
  const pickTab = () => {
    if (tabs === 1) return 0;
    const others = Array.from({ length: tabs }, (_, t) => t).filter((t) => t !== front);
    front = random.pick(others);
    return front;
  };
  return {
    id: tabs === 1 ? 'W1' : 'W2',
    title:
      tabs === 1
        ? 'one-hour session, one tab: 40 focus events, 12 pushed changes, socket down 10 min'
        : `the same session in ${tabs} tabs of one user`,
    start,
    durationMs: duration,
    tabs,
    subscribers: SUBSCRIBERS,
    firstUser: 'alice',
    server: {
      seed,
      start,
      initial,
      changes: changes(random, 'alice', 12, start + MINUTE, start + duration - MINUTE),
      latencyMs: [50, 300],
      pushDelayMs: [20, 80],
      socketOutages: [{ from: start + 25 * MINUTE, to: start + 35 * MINUTE }],
    },
    actions: [
      ...opens,
      ...focusEpisodes(random, {
        count: 40,
        bursts: 3,
        from: start + MINUTE,
        to: start + duration - MINUTE,
        pickTab,
      }),
    ],
  };
}

export const w1 = (seed: number, start: number) => sessionHour(seed, start, 1);
export const w2 = (seed: number, start: number) => sessionHour(seed, start, 5);

/** 50 switches alice ↔ bob, some in quick succession, with 20–800 ms responses. */
export function w3(seed: number, start: number): Workload {
  const random = createRandom(seed + 3);
  const duration = 30 * MINUTE;
  const switches: UserAction[] = [];
  let t = start + 10 * SECOND;
  for (let i = 0; i < 50; i++) {
    // One in four switches follows the previous within 0.2–1.5 s: responses are still in flight.
    t += random.next() < 0.25 ? random.int(200, 1_500) : random.int(10 * SECOND, 55 * SECOND);
    switches.push({ at: t, type: 'user', userId: i % 2 === 0 ? 'bob' : 'alice' });
  }
  return {
    id: 'W3',
    title: '50 user switches alice ↔ bob, responses of random latency',
    start,
    durationMs: duration,
    tabs: 1,
    subscribers: SUBSCRIBERS,
    firstUser: 'alice',
    server: {
      seed: seed + 3,
      start,
      initial,
      changes: [
        ...changes(random, 'alice', 12, start + MINUTE, start + duration - MINUTE),
        ...changes(random, 'bob', 12, start + MINUTE, start + duration - MINUTE),
      ],
      latencyMs: [20, 800],
      pushDelayMs: [20, 80],
      socketOutages: [],
    },
    actions: [{ at: start, type: 'open', tab: 0 }, ...switches],
  };
}

/**
 * Out-of-order landings on purpose: fetches of 20–800 ms, and changes placed where requests are
 * in flight: 0–700 ms after each of 60 focus returns and 0–500 ms after each of 5 socket
 * reconnects (catch-up requests), on top of a change every 5–25 s.
 */
export function w4(seed: number, start: number): Workload {
  const random = createRandom(seed + 4);
  const duration = 20 * MINUTE;
  const pushed: BalanceChange[] = [];
  const change = (at: number) => pushed.push({ at, userId: 'alice', delta: -random.int(1, 99) });
  for (
    let t = start + 10 * SECOND;
    t < start + duration - 10 * SECOND;
    t += random.int(5, 25) * SECOND
  ) {
    change(t);
  }
  const focus = focusEpisodes(random, {
    count: 60,
    bursts: 4,
    from: start + 30 * SECOND,
    to: start + duration - 30 * SECOND,
    pickTab: () => 0,
  });
  for (const action of focus) if (action.type === 'focus') change(action.at + random.int(0, 700));
  const outages = Array.from({ length: 5 }, (_, i) => {
    const from = start + (2 + i * 3.5) * MINUTE + random.int(0, 30) * SECOND;
    return { from, to: from + random.int(20, 60) * SECOND };
  });
  for (const outage of outages) change(outage.to + random.int(50, 500));
  return {
    id: 'W4',
    title: 'fetch latency 20–800 ms interleaved with pushes (out-of-order landings)',
    start,
    durationMs: duration,
    tabs: 1,
    subscribers: SUBSCRIBERS,
    firstUser: 'alice',
    server: {
      seed: seed + 4,
      start,
      initial,
      changes: pushed.sort((a, b) => a.at - b.at),
      latencyMs: [20, 800],
      pushDelayMs: [10, 60],
      socketOutages: outages,
    },
    actions: [{ at: start, type: 'open', tab: 0 }, ...focus],
  };
}

export const workloads = [w1, w2, w3, w4];
