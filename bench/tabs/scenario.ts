/**
 * The bench:tabs session: N tabs of one user in one browser, signed in in tab 0, a debit made
 * elsewhere every `debitEveryMs` (pushed by the server), one server-side drop of every push
 * connection halfway (`POST /admin/drop-sockets`). Figures come from the server (requests,
 * `/admin/connections` sampled) and from the tabs' probes (posts, pushes, paints, requests).
 */
import {
  balancePosts,
  connectingTabs,
  DEBIT,
  debit,
  delivery,
  dropPushConnections,
  everyTabShows,
  logsOf,
  OPENING_BALANCE,
  openSession,
  percentile,
  type Rig,
  requestsOf,
  requestTimeline,
  type Session,
  sampleConnections,
  signIn,
  sleep,
  sum,
  type TabLog,
  type Transport,
  timeline,
  wallClock,
} from './harness.js';

export interface ScenarioOptions {
  tabs: number;
  transport: Transport;
  hello: boolean;
  durationMs: number;
  debitEveryMs: number;
  /** When the push connections are dropped, after sign-in. */
  dropAtMs: number;
}

export interface ScenarioFigures {
  tabs: number;
  transport: Transport;
  hello: boolean;
  /** Push connections of the user, `/admin/connections` sampled every 200 ms. */
  socketsPeak: number;
  /** The count sampled most often (the steady state). */
  socketsSteady: number;
  /** Tabs that ever opened a push connection. */
  connectingTabs: number[];
  requestsTotal: number;
  requestsAtSignIn: number;
  requestsAfterDrop: number;
  balancePosts: number;
  /** Balance posts per tab, by tab index. */
  balancePostsPerTab: number[];
  debits: number;
  /** Per debit: from the leader's push until the last tab showed it (ms). */
  pushToEveryTabMs: (number | null)[];
  p50Ms: number;
  maxMs: number;
  /** Every balance request with the tab that made it, ms after sign-in. */
  requests: { tab: number; atMs: number; status: number | string | null; version: number | null }[];
  /** When the drop happened, ms after sign-in. */
  dropAtMs: number;
  /** Tab errors (console errors, page errors), if any. */
  errors: string[];
  /** What every tab recorded, ms after sign-in (for a report of what went wrong). */
  timeline: string[];
}

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 0;
}

/** Sleeps until `at` (Unix ms). */
const until = (at: number) => sleep(Math.max(0, at - wallClock()));

export async function runScenario(rig: Rig, options: ScenarioOptions): Promise<ScenarioFigures> {
  const session: Session = await openSession(rig, {
    tabs: options.tabs,
    transport: options.transport,
    hello: options.hello,
  });
  try {
    const sampler = sampleConnections(session.server);
    const before = requestsOf(session.server);
    const [first] = session.tabs;
    if (first === undefined) throw new Error('no tab');
    const t0 = await signIn(first);
    await everyTabShows(session, OPENING_BALANCE, 10_000);

    const debitTimes: number[] = [];
    for (let at = options.debitEveryMs / 2; at < options.durationMs; at += options.debitEveryMs)
      debitTimes.push(at);
    // Requests counted per phase at these instants: before the first debit, around the drop.
    let atSignIn = Number.NaN;
    let beforeDrop = Number.NaN;
    let afterDrop = Number.NaN;
    let dropped = false;
    let balance = OPENING_BALANCE;
    const firstDebit = debitTimes[0] ?? options.durationMs;
    await until(t0 + Math.min(firstDebit, options.dropAtMs) - 100);
    atSignIn = requestsOf(session.server) - before;
    for (const at of debitTimes) {
      if (!dropped && at > options.dropAtMs) {
        await until(t0 + options.dropAtMs);
        beforeDrop = requestsOf(session.server);
        await dropPushConnections(session.server);
        dropped = true;
        await until(t0 + at - 100);
        afterDrop = requestsOf(session.server) - beforeDrop;
      }
      await until(t0 + at);
      await debit(session.server);
      balance -= DEBIT;
    }
    await until(t0 + options.durationMs);
    await everyTabShows(session, balance, 5_000).catch(() => {});
    await sampler.stop();
    const requestsTotal = requestsOf(session.server) - before;
    const logs: Map<number, TabLog> = await logsOf(session);

    const deliveries = debitTimes.map((_, i) => delivery(logs, OPENING_BALANCE - DEBIT * (i + 1)));
    const latencies = deliveries.map((d) => d?.everyTabMs ?? null);
    const measured = latencies.filter((ms): ms is number => ms !== null);
    const perTab = balancePosts(logs);
    const afterSignIn = sampler.samples.filter((s) => s.at >= t0);
    return {
      tabs: options.tabs,
      transport: options.transport,
      hello: options.hello,
      socketsPeak: sampler.peak(t0),
      socketsSteady: mode(afterSignIn.map((s) => s.count)),
      connectingTabs: connectingTabs(logs),
      requestsTotal,
      requestsAtSignIn: atSignIn,
      requestsAfterDrop: afterDrop,
      balancePosts: sum(perTab.values()),
      balancePostsPerTab: [...perTab.values()],
      debits: debitTimes.length,
      pushToEveryTabMs: latencies,
      p50Ms: percentile(measured, 50),
      maxMs: measured.length === latencies.length ? Math.max(...measured) : Number.NaN,
      requests: requestTimeline(logs, t0),
      dropAtMs: options.dropAtMs,
      errors: session.tabs.flatMap((tab) => tab.errors.map((e) => `tab ${tab.index}: ${e}`)),
      timeline: timeline(logs, t0),
    };
  } finally {
    await session.close();
  }
}
