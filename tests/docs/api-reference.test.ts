// @vitest-environment node
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  docCoverage,
  formatReport,
  newlyUndocumented,
  parseAllowList,
} from '../../scripts/api-reference/coverage.js';
import {
  type ExtractedEntry,
  type ExtractorNote,
  extractApi,
} from '../../scripts/api-reference/extract.js';
import {
  apiDocsDir,
  buildApiReference,
  diffApiReference,
  writeApiReference,
} from '../../scripts/api-reference.js';
import { assertBuilt, root, scratch } from './paths.js';

let entries: ExtractedEntry[] = [];
let notes: ExtractorNote[] = [];
let generated = new Map<string, string>();

beforeAll(() => {
  assertBuilt();
  ({ entries, notes } = extractApi(root));
  generated = buildApiReference(entries, root);
}, 60_000);

describe('docs/api, the API reference generated from TSDoc', () => {
  it('is up to date (run `npm run docs:api` after changing a public API or its TSDoc)', () => {
    // The generated pages land in .docs-check/api, so `diff -ru docs/api .docs-check/api` shows it all.
    writeApiReference(generated, scratch('api'));
    const problems = diffApiReference(generated, apiDocsDir);
    expect(
      problems,
      `docs/api is out of date: run npm run docs:api (diff -ru docs/api .docs-check/api)\n${problems.join('\n')}`,
    ).toEqual([]);
  });

  it('has an index and one page per entry point, with no dates or absolute paths', () => {
    expect([...generated.keys()].sort()).toEqual([
      'README.md',
      'balance-sync-devtools.md',
      'balance-sync-machines.md',
      'balance-sync-react.md',
      'balance-sync.md',
    ]);
    for (const text of generated.values()) {
      expect(text).not.toContain(root);
      expect(text).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
    }
    expect(generated.get('balance-sync.md')).toContain('### createBalanceSync');
  });

  it('notices a stale page, a missing page and a page that is no longer generated', () => {
    const dir = scratch('api-stale');
    rmSync(dir, { recursive: true, force: true });
    writeApiReference(generated, dir);
    const page = join(dir, 'balance-sync.md');
    writeFileSync(
      page,
      readFileSync(page, 'utf8').replace('### createBalanceSync', '### createSync'),
    );
    rmSync(join(dir, 'balance-sync-react.md'));
    writeFileSync(join(dir, 'old-entry.md'), '# gone\n');
    const problems = diffApiReference(generated, dir);
    expect(problems).toEqual([
      expect.stringMatching(
        /^docs\/api\/balance-sync\.md: \+1 −1 lines, first at line \d+ \(committed: "### createSync", generated: "### createBalanceSync"\)$/,
      ),
      'docs/api/balance-sync-react.md: missing',
      'docs/api/old-entry.md: no longer generated',
    ]);
  });
});

describe('TSDoc coverage of the public API', () => {
  it('adds no export without a summary beyond tests/docs/undocumented-exports.txt', () => {
    const coverage = docCoverage(entries, notes);
    const listFile = join(root, 'tests', 'docs', 'undocumented-exports.txt');
    const allowList = parseAllowList(readFileSync(listFile, 'utf8'));
    const documented = [...allowList].filter((name) => !coverage.undocumented.includes(name));
    console.log(formatReport(coverage));
    if (documented.length > 0) {
      console.log(
        `Documented now, remove from undocumented-exports.txt:\n  ${documented.join('\n  ')}`,
      );
    }
    expect(
      newlyUndocumented(coverage, allowList),
      'public exports without a TSDoc summary: write one (a line saying what it is for)',
    ).toEqual([]);
    // The check can fail: without its allow-list, today's gaps are all reported.
    expect(newlyUndocumented(coverage, new Set())).toEqual(coverage.undocumented);
  });
});
