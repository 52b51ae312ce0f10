// @vitest-environment node
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiModel } from '@microsoft/api-extractor-model';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  docCoverage,
  formatReport,
  missingDefaults,
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

/** A node of an `.api.json` file: an item with its members. */
interface ApiJsonNode {
  canonicalReference?: string;
  docComment?: string;
  members?: ApiJsonNode[];
}

/** Replaces the doc comment of the item with that canonical reference; throws when absent. */
function setDocComment(node: ApiJsonNode, reference: string, docComment: string): void {
  const visit = (current: ApiJsonNode): boolean => {
    if (current.canonicalReference === reference) {
      current.docComment = docComment;
      return true;
    }
    return (current.members ?? []).some(visit);
  };
  if (!visit(node)) throw new Error(`no ${reference} in the model`);
}

/**
 * Optional options that genuinely have no default (the option is off, or there is nothing to
 * fall back to), so no `@default` tag: `entry: Interface.member` → why. Every other optional
 * property of an options interface (`BalanceSyncOptions`, `...Options`, `...Props`) needs one.
 */
const noDefault = new Map<string, string>([
  ['balance-sync: BalanceSyncOptions.schema', "none: only the core's own checks run"],
  ['balance-sync: BalanceSyncOptions.inspect', 'none: nothing observes the actor'],
  [
    'balance-sync: BalanceSyncOptions.initialData',
    'none: the sync starts from its cache layers and a request',
  ],
  ['balance-sync: SseSourceOptions.headers', 'none: only `accept` and `Last-Event-ID` are sent'],
  ['balance-sync: WebSocketSourceOptions.protocols', 'none: no subprotocol is asked for'],
]);

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

  it('documents every member of an exported interface or class', () => {
    const coverage = docCoverage(entries, notes);
    expect(
      coverage.undocumentedMembers,
      'members without a TSDoc summary: write one (what it is, when it matters)',
    ).toEqual([]);
  });

  it('gives every optional option a @default, unless it has none for a stated reason', () => {
    const coverage = docCoverage(entries, notes);
    const known = new Set(noDefault.keys());
    expect(
      missingDefaults(coverage, known),
      'optional options without @default: add `@default <value>`, or list them in `noDefault` with the reason',
    ).toEqual([]);
    // No stale entries: each one listed is an optional option without a default today.
    expect([...known].filter((name) => !coverage.withoutDefault.includes(name))).toEqual([]);
  });

  it('notices a member without a summary and an option without @default (a damaged model)', () => {
    // The real model, reloaded with two doc comments damaged: the checks report exactly those.
    const entry = entries.find((candidate) => candidate.name === 'balance-sync');
    if (entry === undefined) throw new Error('no balance-sync entry point');
    const dir = scratch('api-mutated');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'balance-sync.api.json');
    const coverageOf = (apiJson: string) => {
      writeFileSync(file, apiJson);
      return docCoverage([{ ...entry, apiPackage: new ApiModel().loadPackage(file) }], []);
    };
    const model = JSON.parse(entry.apiJson) as ApiJsonNode;
    // BalanceState.isStale loses its summary; BalanceSyncOptions.dedupeMs keeps one, not `@default`.
    setDocComment(model, 'balance-sync!BalanceState#isStale:member', '');
    setDocComment(
      model,
      'balance-sync!BalanceSyncOptions#dedupeMs:member',
      '/**\n * No automatic request within this many ms of the last one.\n */\n',
    );
    const before = coverageOf(entry.apiJson);
    const after = coverageOf(JSON.stringify(model));
    const known = new Set(noDefault.keys());
    const added = (was: string[], is: string[]) => is.filter((name) => !was.includes(name));
    expect(added(before.undocumentedMembers, after.undocumentedMembers)).toEqual([
      'balance-sync: BalanceState.isStale',
    ]);
    expect(added(missingDefaults(before, known), missingDefaults(after, known))).toEqual([
      'balance-sync: BalanceSyncOptions.dedupeMs',
    ]);
  });
});
