/**
 * Tabs of one browser against the reference server, for `npm run bench:tabs` and
 * tests/e2e/tabs.test.ts: Debian's Chromium (Playwright), the built demo app, the real server
 * (ledger on disk, WebSocket and SSE). The pages of one browser context are tabs of one browser:
 * they share storage, BroadcastChannel and Web Locks. Every tab runs `page-probe.js`, whose
 * records share one clock (Unix ms), so a push in one tab and a paint in another can be compared.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright';
import { buildDemoApp } from '../../demo/build.js';
import { type DemoServer, startDemoServer } from '../../demo/server/server.js';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.js';

export const USER = 'alice';
/** The demo ledger's opening balance for alice. */
export const OPENING_BALANCE = 1_000;
export const DEBIT = 10;

const probeScript = fileURLToPath(new URL('./page-probe.js', import.meta.url));

/** What `page-probe.js` records in a tab (times in Unix ms, sub-millisecond). */
export interface TabLog {
  posts: { at: number; kind: string; live?: boolean; version?: number | null; balance?: number }[];
  connections: {
    kind: 'websocket' | 'sse';
    url: string;
    createdAt: number;
    openedAt: number | null;
    closedAt: number | null;
  }[];
  frames: {
    at: number;
    connection: number;
    type: string;
    balance: number | null;
    version: number | null;
  }[];
  requests: {
    at: number;
    answeredAt: number | null;
    status: number | string | null;
    version: number | null;
    balance: number | null;
  }[];
  shown: { at: number; text: string | null; balance: number | null }[];
  hidden: boolean | null;
}

export type Transport = 'websocket' | 'sse';

export interface Rig {
  browser: Browser;
  appDir: string;
  close(): Promise<void>;
}

/**
 * Builds the demo app once and launches Chromium once; sessions share both. The end-to-end tests
 * (tests/e2e/demo.test.ts, tests/e2e/tabs.test.ts) start from it too.
 */
export async function launchRig(): Promise<Rig> {
  const work = mkdtempSync(join(tmpdir(), 'balance-sync-tabs-'));
  const appDir = join(work, 'app');
  mkdirSync(appDir);
  await buildDemoApp(appDir);
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...chromiumArgs],
  });
  return {
    browser,
    appDir,
    close: async () => {
      await browser.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

export interface Tab {
  index: number;
  page: Page;
  closed: boolean;
  /** Console errors and page errors of this tab. */
  errors: string[];
}

export interface SessionOptions {
  tabs: number;
  transport: Transport;
  /** The server's hello on every new connection (the demo server's default). */
  hello?: boolean;
  /** Server pings (WebSocket and SSE). @default 15_000 */
  heartbeatMs?: number;
}

export interface Session {
  server: DemoServer;
  context: BrowserContext;
  tabs: Tab[];
  transport: Transport;
  /** Tabs still open. */
  open(): Tab[];
  close(): Promise<void>;
}

let sessions = 0;

/**
 * A fresh server (its own ledger) and a fresh browser context with `tabs` pages of the demo app,
 * all loaded and signed out, in opening order (tab 0 asks for the leadership lock first).
 */
export async function openSession(rig: Rig, options: SessionOptions): Promise<Session> {
  const ledgerFile = join(rig.appDir, '..', `ledger-${process.pid}-${++sessions}.json`);
  const server = await startDemoServer({
    ledgerFile,
    staticDir: rig.appDir,
    heartbeatMs: options.heartbeatMs ?? 15_000,
  });
  if (options.hello === false) await setFaults(server, { hello: false });
  const context = await rig.browser.newContext();
  await context.addInitScript({ path: probeScript });
  const query = options.transport === 'sse' ? '?transport=sse' : '';
  const tabs: Tab[] = [];
  for (let index = 0; index < options.tabs; index++) {
    const page = await context.newPage();
    const tab: Tab = { index, page, closed: false, errors: [] };
    page.on('pageerror', (error) => tab.errors.push(String(error)));
    page.on('console', (message) => {
      // A stream cut server-side (the drop) is reported so by the browser: expected.
      if (message.type() === 'error' && !message.text().includes('ERR_INCOMPLETE_CHUNKED_ENCODING'))
        tab.errors.push(message.text());
    });
    page.on('close', () => {
      tab.closed = true;
    });
    await page.goto(`${server.url}/${query}`);
    await page.getByRole('button', { name: `Sign in as ${USER}` }).waitFor();
    tabs.push(tab);
  }
  return {
    server,
    context,
    tabs,
    transport: options.transport,
    open: () => tabs.filter((tab) => !tab.closed),
    close: async () => {
      await context.close();
      await server.close();
      rmSync(ledgerFile, { force: true });
    },
  };
}

/** Signs in in one tab; the others follow through the cross-tab source. */
export async function signIn(tab: Tab): Promise<number> {
  const at = wallClock();
  await tab.page.getByRole('button', { name: `Sign in as ${USER}` }).click();
  return at;
}

/** Unix ms on the clock the tabs record with (the same system clock). */
export const wallClock = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 5_000,
  everyMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(everyMs);
  }
}

export async function logOf(tab: Tab): Promise<TabLog> {
  return (await tab.page.evaluate('window.__probe.log')) as TabLog;
}

/** The logs of the open tabs, by tab index (closed tabs keep the last log read before closing). */
export async function logsOf(session: Session): Promise<Map<number, TabLog>> {
  const entries = await Promise.all(
    session.open().map(async (tab) => [tab.index, await logOf(tab)] as const),
  );
  return new Map(entries);
}

/** The number a tab shows right now (null: none). */
export async function shownIn(tab: Tab): Promise<number | null> {
  const log = await logOf(tab);
  return log.shown.at(-1)?.balance ?? null;
}

/**
 * Waits until every open tab shows `balance`. Each tab is told once and answers when its wallet
 * shows it: polling ten tabs would load the very renderers whose latency is measured.
 */
export async function everyTabShows(session: Session, balance: number, timeoutMs = 5_000) {
  const tabs = session.open();
  const shown = await Promise.all(
    tabs.map((tab) => tab.page.evaluate(`window.__probe.waitFor(${balance}, ${timeoutMs})`)),
  );
  const missing = tabs.filter((_, i) => shown[i] !== true).map((tab) => tab.index);
  if (missing.length > 0)
    throw new Error(
      `timed out after ${timeoutMs} ms: tabs ${missing.join(', ')} never showed ${balance}`,
    );
}

/** Hides (or shows) a tab: `document.visibilityState` overridden, `visibilitychange` sent. */
export async function setHidden(tab: Tab, hidden: boolean): Promise<void> {
  await tab.page.evaluate(`window.__probe.hide(${hidden})`);
}

async function post(server: DemoServer, path: string, body: unknown, user?: string) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(user === undefined ? {} : { authorization: `Bearer ${user}-token` }),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json() as Promise<unknown>;
}

/** A debit made elsewhere (the server, another device): every tab learns it by push only. */
export async function debit(server: DemoServer): Promise<{ balance: number; version: number }> {
  return (await post(server, '/api/assessments', { cost: DEBIT }, USER)) as {
    balance: number;
    version: number;
  };
}

export const dropPushConnections = (server: DemoServer) => post(server, '/admin/drop-sockets', {});
export const forgetEvents = (server: DemoServer) => post(server, '/admin/forget-events', {});
export const setFaults = (server: DemoServer, faults: { hello?: boolean }) =>
  post(server, '/admin/faults', faults);

/** Open push connections of the user, WebSocket and SSE, as `GET /admin/connections` says. */
export async function connectionsOf(server: DemoServer, user = USER): Promise<number> {
  const response = await fetch(`${server.url}/admin/connections`);
  const counts = (await response.json()) as {
    users: Record<string, { websocket: number; sse: number }>;
  };
  const mine = counts.users[user];
  return mine === undefined ? 0 : mine.websocket + mine.sse;
}

export const requestsOf = (server: DemoServer, user = USER): number =>
  server.requests.get(user) ?? 0;

/**
 * Samples `/admin/connections` until stopped, or until the server is gone (a test that failed
 * before `stop()` closes its session: the sampler ends quietly rather than reject unhandled).
 */
export function sampleConnections(server: DemoServer, everyMs = 200) {
  const samples: { at: number; count: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = wallClock();
      const count = await connectionsOf(server).catch(() => null);
      if (count === null) break;
      samples.push({ at, count });
      await sleep(everyMs);
    }
  })();
  return {
    samples,
    /** Highest count sampled between `from` and `to` (Unix ms). */
    peak: (from = 0, to = Number.POSITIVE_INFINITY) =>
      Math.max(0, ...samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.count)),
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** The tab holding the push connection now: its latest connection is open and not closed. */
export function leaderIn(logs: Map<number, TabLog>): number | null {
  const holders = [...logs].filter(([, log]) => {
    const latest = log.connections.at(-1);
    return latest !== undefined && latest.openedAt !== null && latest.closedAt === null;
  });
  return holders.length === 1 ? (holders[0]?.[0] ?? null) : null;
}

/** Every tab that ever opened a push connection. */
export const connectingTabs = (logs: Map<number, TabLog>): number[] =>
  [...logs].filter(([, log]) => log.connections.length > 0).map(([index]) => index);

export interface Delivery {
  balance: number;
  /** When the leader's connection delivered the frame carrying it. */
  pushedAt: number;
  leader: number;
  /** Per tab: ms from that push until the tab showed the balance (null: never). */
  perTab: Map<number, number | null>;
  /** Until the last tab showed it (null: some tab never did). */
  everyTabMs: number | null;
}

/**
 * From the push of `balance` in whichever tab received it (the leader) to each tab showing it.
 * A tab that showed it before the push (it cannot, with debits made elsewhere) counts as 0.
 */
export function delivery(logs: Map<number, TabLog>, balance: number): Delivery | null {
  let pushed: { at: number; tab: number } | null = null;
  for (const [index, log] of logs) {
    const frame = log.frames.find((f) => f.balance === balance && f.type !== 'ping');
    if (frame !== undefined && (pushed === null || frame.at < pushed.at))
      pushed = { at: frame.at, tab: index };
  }
  if (pushed === null) return null;
  const perTab = new Map<number, number | null>();
  for (const [index, log] of logs) {
    const shown = log.shown.find((entry) => entry.balance === balance);
    perTab.set(index, shown === undefined ? null : Math.max(0, shown.at - pushed.at));
  }
  const all = [...perTab.values()];
  return {
    balance,
    pushedAt: pushed.at,
    leader: pushed.tab,
    perTab,
    everyTabMs: all.some((ms) => ms === null) ? null : Math.max(...(all as number[])),
  };
}

/** Balance posts on the BroadcastChannel since `from`, per tab. */
export function balancePosts(logs: Map<number, TabLog>, from = 0): Map<number, number> {
  return new Map(
    [...logs].map(([index, log]) => [
      index,
      log.posts.filter((p) => p.kind === 'balance' && p.at >= from).length,
    ]),
  );
}

/** Balance requests since `from`, as the tabs made them: which tab, when (ms after `from`). */
export function requestTimeline(logs: Map<number, TabLog>, from = 0) {
  return [...logs]
    .flatMap(([tab, log]) =>
      log.requests
        .filter((r) => r.at >= from)
        .map((r) => ({
          tab,
          atMs: Math.round(r.at - from),
          status: r.status,
          version: r.version,
        })),
    )
    .sort((a, b) => a.atMs - b.atMs);
}

export const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Everything the tabs recorded between `from` and `to`, one line each, ms after `from`. */
export function timeline(logs: Map<number, TabLog>, from: number, to = Number.POSITIVE_INFINITY) {
  const lines: { at: number; line: string }[] = [];
  const add = (tab: number, at: number | null, what: string) => {
    if (at !== null && at >= from && at <= to) lines.push({ at, line: `tab ${tab}: ${what}` });
  };
  for (const [tab, log] of logs) {
    for (const p of log.posts)
      add(
        tab,
        p.at,
        p.kind === 'balance'
          ? `posts balance ${p.balance} v${p.version}`
          : p.kind === 'connection'
            ? `posts connection live=${p.live}`
            : `posts ${p.kind}`,
      );
    log.connections.forEach((c, i) => {
      add(tab, c.createdAt, `opens ${c.kind} #${i}`);
      add(tab, c.openedAt, `${c.kind} #${i} open`);
      add(tab, c.closedAt, `${c.kind} #${i} closed`);
    });
    for (const f of log.frames)
      if (f.type !== 'ping')
        add(tab, f.at, `gets ${f.type} ${f.balance ?? ''} v${f.version ?? ''}`);
    for (const r of log.requests) {
      add(tab, r.at, 'GET /api/auth/token-balance');
      add(tab, r.answeredAt, `answer ${r.status} ${r.balance ?? ''} v${r.version ?? ''}`);
    }
    for (const s of log.shown) add(tab, s.at, `shows ${JSON.stringify(s.text)}`);
  }
  return lines
    .sort((a, b) => a.at - b.at)
    .map(({ at, line }) => `${(at - from).toFixed(1).padStart(9)} ms  ${line}`);
}
