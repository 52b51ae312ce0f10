/**
 * `npm run docs:api`: regenerates the API reference in docs/api from the TSDoc of the four
 * entry points (run after `npm run build`). `tests/docs/api-reference.test.ts` fails when the
 * committed pages differ from what this would write.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docCoverage, formatReport } from './api-reference/coverage.js';
import { type ExtractedEntry, extractApi, repoRoot } from './api-reference/extract.js';
import { renderApiReference } from './api-reference/render.js';

export const apiDocsDir = join(repoRoot, 'docs', 'api');

/**
 * Pages as biome formats them: `npm test` runs `biome check`, which formats Markdown and the
 * code blocks in it, so the committed pages must be biome's output.
 */
export function formatPages(files: Map<string, string>, root = repoRoot): Map<string, string> {
  const biome = join(root, 'node_modules', '.bin', 'biome');
  const formatted = new Map<string, string>();
  for (const [name, text] of files) {
    const run = spawnSync(biome, ['format', `--stdin-file-path=docs/api/${name}`], {
      cwd: root,
      input: text,
      encoding: 'utf8',
    });
    if (run.status !== 0)
      throw new Error(`biome could not format docs/api/${name}:\n${run.stderr}`);
    formatted.set(name, run.stdout);
  }
  return formatted;
}

/** File name → Markdown, as `npm run docs:api` writes it. */
export function buildApiReference(entries: ExtractedEntry[], root = repoRoot): Map<string, string> {
  return formatPages(renderApiReference(entries, root), root);
}

/** Writes the pages and removes pages that are no longer generated. */
export function writeApiReference(files: Map<string, string>, dir = apiDocsDir): void {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.md') && !files.has(name)) rmSync(join(dir, name));
  }
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
}

/** What differs between the generated pages and a folder: one line per file, '' when none. */
export function diffApiReference(files: Map<string, string>, dir = apiDocsDir): string[] {
  let present: string[] = [];
  try {
    present = readdirSync(dir).filter((name) => name.endsWith('.md'));
  } catch {
    // No folder yet: every page is missing.
  }
  const problems: string[] = [];
  for (const [name, text] of files) {
    if (!present.includes(name)) {
      problems.push(`docs/api/${name}: missing`);
      continue;
    }
    const committed = readFileSync(join(dir, name), 'utf8');
    if (committed !== text) problems.push(`docs/api/${name}: ${firstDifference(committed, text)}`);
  }
  for (const name of present) {
    if (!files.has(name)) problems.push(`docs/api/${name}: no longer generated`);
  }
  return problems;
}

function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const line = a.findIndex((text, index) => text !== b[index]);
  const at = line === -1 ? a.length : line;
  const committedLine = JSON.stringify(a[at] ?? '<end>');
  const generatedLine = JSON.stringify(b[at] ?? '<end>');
  return `${changedLines(a, b)}, first at line ${at + 1} (committed: ${committedLine}, generated: ${generatedLine})`;
}

/** `+3 −1 lines`: lines only the generated page has, and lines only the committed one has. */
function changedLines(committed: string[], generated: string[]): string {
  const counts = new Map<string, number>();
  for (const line of committed) counts.set(line, (counts.get(line) ?? 0) + 1);
  let added = 0;
  for (const line of generated) {
    const left = counts.get(line) ?? 0;
    if (left > 0) counts.set(line, left - 1);
    else added += 1;
  }
  const removed = [...counts.values()].reduce((sum, count) => sum + count, 0);
  return `+${added} −${removed} lines`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { entries, notes } = extractApi();
  const files = buildApiReference(entries);
  writeApiReference(files);
  console.log(`docs/api: ${files.size} pages written`);
  if (process.argv.includes('--report'))
    console.log(`\n${formatReport(docCoverage(entries, notes))}`);
}
