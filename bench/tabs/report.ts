/**
 * The "One push connection per browser" section of bench/RESULTS.md, from one bench:tabs run.
 * It lives between markers, so `npm run bench` (which rewrites the rest of the file) keeps it
 * and `npm run bench:tabs` replaces only it.
 */
import type { ScenarioFigures } from './scenario.js';

export const SECTION_START = '<!-- bench-tabs:start -->';
export const SECTION_END = '<!-- bench-tabs:end -->';
const SECTION = new RegExp(`${SECTION_START}[\\s\\S]*?${SECTION_END}\\n?`);

export interface TabsRun {
  title: string;
  note: string;
  figures: ScenarioFigures[];
}

export interface TabsResults {
  date: string;
  node: string;
  chromium: string;
  cores: number;
  durationMs: number;
  debitEveryMs: number;
  dropAtMs: number;
  runs: TabsRun[];
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(1));

/** Before this change, from the issue (each tab held its own WebSocket). */
export const BEFORE = {
  tabs: [1, 2, 5, 10],
  sockets: [1, 2, 5, 10],
  requests: [9, 12, 19, 35],
  atSignIn: [2, 4, 8, 19],
  afterDrop: [1, 2, 5, 10],
  posts: [15, 18, 37, 70],
};

/**
 * What changed since the run before this one, for the reader comparing it with the table
 * and with the previous RESULTS.md (edit it when the library changes what bench:tabs measures).
 */
export const CHANGES = [
  'Followers no longer fetch after a drop when the server sends a hello or the SSE stream resumes. The run before the fix (2026-11-27, commit 1a4c6af plus the bench) counted 1 to 5 requests after the drop in the WebSocket-with-hello and SSE runs at 2, 5 and 10 tabs, each a follower fetching 1.5–1.9 s after the drop: the leader posts the hello (or the replayed events) before it says its connection is live, and followers took every relayed connection as a catch-up still to come, waited the leader grace for it and fetched. The leader now says `caughtUp` when its connection opened with a hello or a resume (`src/sources/leader-relay.ts`); those runs count 0 after the drop, and in total only the request at sign-in (a hello that lands before the cache read at sign-in is done spares even that one: seen once at 5 SSE tabs).',
];

function beforeTable(): string {
  return table(
    ['tabs', 'sockets per user', 'requests', 'at sign-in', 'after the drop', 'balance posts'],
    BEFORE.tabs.map((tabs, i) => [
      String(tabs),
      String(BEFORE.sockets[i]),
      String(BEFORE.requests[i]),
      String(BEFORE.atSignIn[i]),
      String(BEFORE.afterDrop[i]),
      String(BEFORE.posts[i]),
    ]),
  );
}

export function runTable(run: TabsRun): string {
  return table(
    [
      'tabs',
      'sockets per user (peak / steady)',
      'tabs that connected',
      'requests',
      'at sign-in',
      'after the drop',
      'balance posts (per tab)',
      'push → every tab p50 / max (ms)',
    ],
    run.figures.map((f) => [
      String(f.tabs),
      `${f.socketsPeak} / ${f.socketsSteady}`,
      String(f.connectingTabs.length),
      String(f.requestsTotal),
      String(f.requestsAtSignIn),
      String(f.requestsAfterDrop),
      `${f.balancePosts} (${f.balancePostsPerTab.join(' + ')})`,
      `${ms(f.p50Ms)} / ${ms(f.maxMs)}`,
    ]),
  );
}

/**
 * What the figures say against the target (1 connection per browser, requests flat in N, at most
 * 2 at sign-in, one catch-up per drop at most and none with a hello or a resume, every tab
 * following): each miss with the requests behind it (which tab, when).
 */
export function findings(results: TabsResults): string[] {
  const lines: string[] = [];
  for (const run of results.runs) {
    for (const f of run.figures) {
      const label = `${run.title}, ${f.tabs} tab${f.tabs === 1 ? '' : 's'}`;
      if (f.socketsPeak > 1 || f.connectingTabs.length > 1)
        lines.push(
          `${label}: ${f.socketsPeak} connections at peak; tabs that connected: ${f.connectingTabs.join(', ')}`,
        );
      if (f.requestsAtSignIn > 2) lines.push(`${label}: ${f.requestsAtSignIn} requests at sign-in`);
      const expectedAfterDrop = f.hello ? 0 : 1;
      if (f.requestsAfterDrop > expectedAfterDrop) {
        const after = f.requests
          .filter((r) => r.atMs >= f.dropAtMs)
          .map((r) => `tab ${r.tab} at +${r.atMs - f.dropAtMs} ms`);
        lines.push(
          `${label}: ${f.requestsAfterDrop} requests after the drop (expected ${expectedAfterDrop}): ${after.join(', ')} after the drop`,
        );
      }
      if (f.pushToEveryTabMs.some((latency) => latency === null))
        lines.push(`${label}: a tab never showed a pushed balance`);
      if (f.errors.length > 0) lines.push(`${label}: tab errors: ${f.errors.join('; ')}`);
    }
  }
  return lines;
}

export const TABS_METHOD = `- **Set-up.** \`npm run bench:tabs\` builds the demo app (\`demo/app\`, the library from \`src/\`)
  and starts the reference server (\`demo/server\`, ledger on disk) on 127.0.0.1 for each run.
  Debian's Chromium (headless, Playwright) opens N pages in **one browser context**: tabs of one
  browser, sharing storage, BroadcastChannel and Web Locks. The app wires
  \`crossTabSource({ push: websocketSource({ ..., hello: true }) })\` (\`?transport=sse\`:
  \`sseSource({ ..., hello: true })\`): the tab holding the leadership lock holds the connection.
- **Session.** All N tabs load signed out; the user signs in in tab 0 and the others follow
  through the cross-tab source. Then, for 60 s, a debit of 10 tokens is made **outside the
  browser** (\`POST /api/assessments\` from the harness, as another device or the server
  would) every 10 s, at 5, 15, ..., 55 s, so every tab can only learn it by push, and at 30 s
  every push connection is cut server-side (\`POST /admin/drop-sockets\`).
- **Figures.** sockets per user: \`GET /admin/connections\` sampled every 200 ms from sign-in
  on (peak, and the count sampled most often). tabs that connected: tabs that ever opened a
  WebSocket or EventSource (each page's constructors are wrapped by an init script). requests:
  balance requests the server served for the user (\`requests\` of the server handle), in total,
  at sign-in (before the first debit) and after the drop (until the next debit); each tab's
  \`fetch\` is wrapped too, which tells which tab asked and when. balance posts:
  \`BroadcastChannel.prototype.postMessage\` calls with \`kind: 'balance'\`, summed over tabs.
  push → every tab: from the moment the leader's connection delivered the debit's frame (its
  \`message\` listener, registered before the app's) to the DOM commit of the new number in
  the last tab (a MutationObserver on the wallet), on one clock for all tabs
  (\`performance.timeOrigin + performance.now()\`); p50 and max over the six debits.
- **Runs.** WebSocket with the server's hello (the demo's default), WebSocket with the hello
  switched off (\`POST /admin/faults { "hello": false }\`: an older server; the reconnect then
  costs one catch-up request), SSE with the hello (after the drop the stream resumes from
  \`Last-Event-ID\`). Tabs are not hidden (headless pages are all visible).`;

export function tabsSection(results: TabsResults): string {
  const found = findings(results);
  return [
    SECTION_START,
    '## One push connection per browser',
    '',
    `Generated by \`npm run bench:tabs\` on ${results.date} (Node ${results.node}, ${results.chromium}, ${results.cores} cores). N tabs of one user in one browser, ${results.durationMs / 1_000} s, a debit every ${results.debitEveryMs / 1_000} s, every push connection dropped server-side at ${results.dropAtMs / 1_000} s.`,
    '',
    'Target: one connection per browser, request counts flat in N (at most 2 at sign-in, at most one catch-up per drop, none when the server sends a hello or resumes), every tab following each push.',
    '',
    '### Before (from the issue: every tab held its own WebSocket)',
    '',
    beforeTable(),
    '',
    ...results.runs.flatMap((run) => [`### ${run.title}`, '', run.note, '', runTable(run), '']),
    '### Against the target',
    '',
    ...(found.length === 0 ? ['Every run meets it.'] : found.map((line) => `- ${line}`)),
    '',
    '### What changed',
    '',
    ...CHANGES.map((line) => `- ${line}`),
    '',
    '### Method',
    '',
    TABS_METHOD,
    SECTION_END,
    '',
  ].join('\n');
}

/** RESULTS.md with the section replaced, or inserted before `## Method` (else appended). */
export function withTabsSection(results: string, section: string): string {
  if (SECTION.test(results)) return results.replace(SECTION, () => section);
  const method = results.indexOf('\n## Method');
  if (method === -1) return `${results.trimEnd()}\n\n${section}`;
  return `${results.slice(0, method + 1)}${section}\n${results.slice(method + 1)}`;
}

/** The section as it stands in RESULTS.md, or null. */
export function existingTabsSection(results: string): string | null {
  return SECTION.exec(results)?.[0] ?? null;
}

export function consoleTabs(results: TabsResults): string {
  return [
    'Before (from the issue)',
    beforeTable(),
    ...results.runs.flatMap((run) => ['', run.title, runTable(run)]),
    '',
    'Against the target',
    ...(findings(results).length === 0 ? ['every run meets it'] : findings(results)),
  ].join('\n');
}
