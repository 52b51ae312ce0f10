/**
 * `npm run bench`: every workload for every contender, sizes, leak cycles and (when Chromium
 * is there) frame → DOM latency; prints a table and writes bench/RESULTS.md, bench/chart.svg
 * and the README's table. Not part of `npm test`: figures are reported, never asserted.
 *
 *   npm run bench                 everything
 *   npm run bench -- --only W1,W3 some workloads (no README/RESULTS update)
 *   BENCH_SEED=42 npm run bench   another script
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

process.env.NODE_ENV = 'production';
const { installGlobalDom } = await import('./sim/dom.js');
installGlobalDom();

const { buildContenders } = await import('./build-contenders.js');
const { runWorkload } = await import('./run-workload.js');
const { workloads } = await import('./workloads/scripts.js');
const { contenderNames } = await import('./contenders/contract.js');
const { measureSizes } = await import('./size.js');
const { measureLeaks } = await import('./leaks.js');
const { measureFrames } = await import('./browser/measure-frames.js');
const { resultsMarkdown, readmeTable, consoleTable } = await import('./report/markdown.js');
const { chartSvg } = await import('./report/chart.js');
const { existingTabsSection, withTabsSection } = await import('./tabs/report.js');
type Results = import('./report/results.js').BenchResults;
type Figures = import('./report/figures.js').Figures;

const here = (path: string) => new URL(path, import.meta.url);
const seed = Number(process.env.BENCH_SEED ?? 20261125);
const start = Date.UTC(2026, 10, 25, 9);
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? (process.argv[onlyArg + 1] ?? '').split(',') : null;

const bundles = await buildContenders();
const results: Results = {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  seed,
  cores: availableParallelism(),
  workloads: [],
  sizes: [],
  frames: { skipped: 'not run' },
  leaks: [],
};

for (const make of workloads) {
  const workload = make(seed, start);
  if (only && !only.includes(workload.id)) continue;
  const figures = {} as Record<(typeof contenderNames)[number], Figures>;
  for (const name of contenderNames) {
    const began = performance.now();
    figures[name] = await runWorkload(workload, bundles[name]);
    console.error(`${workload.id} ${name}: ${Math.round(performance.now() - began)} ms`);
  }
  results.workloads.push({
    id: workload.id,
    title: workload.title,
    tabs: workload.tabs,
    durationMs: workload.durationMs,
    figures,
  });
}

if (!only) {
  results.sizes = await measureSizes();
  results.leaks = await measureLeaks(bundles);
  results.frames = await measureFrames();
}

console.log(consoleTable(results));

if (!only) {
  const method = readFileSync(here('./method.md'), 'utf8');
  // `npm run bench:tabs` writes its own section (real Chromium, minutes long): keep it.
  const tabs = existingTabsSection(readFileSync(here('./RESULTS.md'), 'utf8'));
  const markdown = resultsMarkdown(results, method);
  writeFileSync(here('./RESULTS.md'), tabs === null ? markdown : withTabsSection(markdown, tabs));
  writeFileSync(here('./chart.svg'), chartSvg(results));
  const readmeUrl = here('../README.md');
  const readme = readFileSync(readmeUrl, 'utf8');
  const block = /(<!-- bench:start[^>]*-->\n)[\s\S]*?(<!-- bench:end -->)/;
  if (!block.test(readme)) throw new Error('README.md has no <!-- bench:start --> block');
  writeFileSync(readmeUrl, readme.replace(block, `$1${readmeTable(results)}\n$2`));
  // The repository's formatter aligns the generated tables, so `npm test`'s lint stays green.
  const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
  execFileSync(
    process.execPath,
    [
      biome,
      'format',
      '--write',
      ...[here('./RESULTS.md'), readmeUrl].map((url) => fileURLToPath(url)),
    ],
    { stdio: 'ignore' },
  );
  console.log('\nwrote bench/RESULTS.md, bench/chart.svg and the README table');
}
