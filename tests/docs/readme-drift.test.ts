// @vitest-environment node
/**
 * Drift guard, read from the built declarations so that an addition without documentation
 * fails here: every option of `BalanceSyncOptions` and every member of `BalanceSync` is named
 * in README.md (as `code`), and every export of every entry point in README.md or a guide in
 * docs/ (the generated docs/api does not count: it names everything by construction).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiInterface, type ApiItem } from '@microsoft/api-extractor-model';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ExtractedEntry, extractApi } from '../../scripts/api-reference/extract.js';
import { entrySymbols } from '../../scripts/api-reference/symbols.js';
import { assertBuilt, root } from './paths.js';

let entries: ExtractedEntry[] = [];
let readme = '';
let guides = '';

beforeAll(() => {
  assertBuilt();
  ({ entries } = extractApi(root));
  readme = readFileSync(join(root, 'README.md'), 'utf8');
  const docs = join(root, 'docs');
  guides = readdirSync(docs)
    .filter((name) => name.endsWith('.md'))
    .map((name) => readFileSync(join(docs, name), 'utf8'))
    .join('\n');
}, 60_000);

const inReadme = (name: string) => readme.includes(`\`${name}`);
const inGuides = (name: string) => inReadme(name) || guides.includes(`\`${name}`);

function membersOf(entryName: string, interfaceName: string): string[] {
  const entry = entries.find((candidate) => candidate.name === entryName);
  const item = entry?.apiPackage.entryPoints[0]?.members.find(
    (member: ApiItem) => member instanceof ApiInterface && member.displayName === interfaceName,
  );
  return item?.members.map((member) => member.displayName) ?? [];
}

describe('README and the guides name the whole public API', () => {
  it('every option of BalanceSyncOptions', () => {
    const options = membersOf('balance-sync', 'BalanceSyncOptions');
    expect(options.length).toBeGreaterThan(20);
    expect(options.filter((name) => !inReadme(name))).toEqual([]);
  });

  it('every method and property of BalanceSync', () => {
    const methods = membersOf('balance-sync', 'BalanceSync');
    expect(methods).toContain('applyOptimistic');
    expect(methods.filter((name) => !inReadme(name))).toEqual([]);
  });

  it('every export of every entry point, in README or a guide', () => {
    const missing = entries.flatMap((entry) =>
      entrySymbols(entry.apiPackage)
        .filter((symbol) => !inGuides(symbol.name))
        .map((symbol) => `${entry.name}: ${symbol.name}`),
    );
    expect(entries.length).toBe(4);
    expect(missing).toEqual([]);
  });
});

describe('README stays a front door', () => {
  it('is at most 12 KB, with the two commands and the quick start near the top', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(12_000);
    const firstScreen = readme.split('\n').slice(0, 60).join('\n');
    expect(firstScreen).toContain('npm start');
    expect(firstScreen).toContain('npm test');
    expect(firstScreen).toMatch(/npm (install|i) balance-sync/);
  });
});
