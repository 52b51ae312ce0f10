/**
 * `npm run bench:tabs`: N = 1, 2, 5, 10 tabs of one user in real Chromium against the reference
 * server and the built demo app, for the WebSocket (with and without the server's hello) and
 * SSE; prints the tables and writes the "One push connection per browser" section of
 * bench/RESULTS.md (and the tabs' timelines to bench/.build/tabs-timelines.txt). Not part of
 * `npm test`: figures are reported, never asserted (tests/e2e/tabs.test.ts asserts).
 *
 *   npm run bench:tabs                          everything (about 13 minutes)
 *   npm run bench:tabs -- --tabs 2,5 --only sse  some runs (RESULTS.md untouched)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { launchRig } from './harness.js';
import {
  consoleTabs,
  type TabsResults,
  type TabsRun,
  tabsSection,
  withTabsSection,
} from './report.js';
import { runScenario, type ScenarioOptions } from './scenario.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const arg = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
};
const tabCounts = (arg('tabs') ?? '1,2,5,10').split(',').map(Number);
const only = arg('only')?.split(',') ?? null;
const partial = only !== null || arg('tabs') !== undefined;

const timing = { durationMs: 60_000, debitEveryMs: 10_000, dropAtMs: 30_000 };

const runs: { id: string; title: string; note: string; options: Omit<ScenarioOptions, 'tabs'> }[] =
  [
    {
      id: 'websocket',
      title: 'WebSocket, with the server’s hello',
      note: 'The demo as shipped: `crossTabSource({ push: websocketSource({ ..., hello: true }) })`; the server greets every connection with the current balance.',
      options: { transport: 'websocket', hello: true, ...timing },
    },
    {
      id: 'websocket-no-hello',
      title: 'WebSocket, the server’s hello off',
      note: 'The same app against a server that sends no hello (`POST /admin/faults { "hello": false }`): a (re)connection owes one catch-up request.',
      options: { transport: 'websocket', hello: false, ...timing },
    },
    {
      id: 'sse',
      title: 'SSE (`?transport=sse`), with the server’s hello',
      note: '`sseSource({ ..., hello: true })` over `EventSource`; after the drop the stream resumes from its last event id (`token-balance-resumed`).',
      options: { transport: 'sse', hello: true, ...timing },
    },
  ];

const rig = await launchRig();
const results: TabsResults = {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  chromium: `Chromium ${rig.browser.version()}`,
  cores: availableParallelism(),
  ...timing,
  runs: [],
};
const timelines: string[] = [];
try {
  for (const run of runs) {
    if (only && !only.includes(run.id)) continue;
    const done: TabsRun = { title: run.title, note: run.note, figures: [] };
    for (const tabs of tabCounts) {
      const began = performance.now();
      const figures = await runScenario(rig, { tabs, ...run.options });
      done.figures.push(figures);
      timelines.push(`== ${run.title}, ${tabs} tabs ==`, ...figures.timeline, '');
      console.error(
        `${run.id} ${tabs} tabs: ${Math.round((performance.now() - began) / 1_000)} s, ` +
          `${figures.requestsTotal} requests (${figures.requests.map((r) => `tab ${r.tab} +${r.atMs} ms`).join(', ')})`,
      );
    }
    results.runs.push(done);
  }
} finally {
  await rig.close();
}

console.log(consoleTabs(results));
mkdirSync(here('../.build'), { recursive: true });
writeFileSync(here('../.build/tabs-timelines.txt'), timelines.join('\n'));
writeFileSync(here('../.build/tabs-results.json'), JSON.stringify(results, null, 1));

if (!partial) {
  const file = here('../RESULTS.md');
  writeFileSync(file, withTabsSection(readFileSync(file, 'utf8'), tabsSection(results)));
  // The repository's formatter aligns the tables, so `npm test`'s lint stays green.
  const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
  execFileSync(process.execPath, [biome, 'format', '--write', file], { stdio: 'ignore' });
  console.log('\nwrote the "One push connection per browser" section of bench/RESULTS.md');
}
