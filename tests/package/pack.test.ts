/**
 * The tarball users get: `npm pack --dry-run --json` of the build `npm test` just made. It must
 * hold dist, LICENSE, README and the README's images, and nothing of the workshop (tests,
 * stories, demo, bench); every source map must be usable from it, every `exports` target must
 * be in it, and every package dist imports must be declared. publint and arethetypeswrong check
 * the rest. Each check is also run on a made-up broken package, to show that it can fail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../consumers/helpers/paths.js';
import { runOk } from '../consumers/helpers/run.js';
import { type PackInput, packProblems } from './pack-checks.js';

const manifest = JSON.parse(
  readFileSync(join(repoRoot, 'package.json'), 'utf8'),
) as PackInput['manifest'] & {
  files: string[];
};
const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

async function dryRun(): Promise<string[]> {
  // --ignore-scripts: `prepack` would build again; `npm test` has built already.
  const { stdout } = await runOk('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: repoRoot,
  });
  const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
  return (pack?.files ?? []).map((file) => file.path);
}

describe('npm pack', () => {
  it('ships dist, LICENSE, README and its images, usable maps, and nothing else', async () => {
    const files = await dryRun();
    const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
    expect(packProblems({ files, manifest, read })).toEqual([]);
    expect(files).toContain('dist/src/index.js');
    expect(files.some((file) => file.endsWith('.js.map'))).toBe(true);
  }, 60_000);

  it('is clean for publint --strict', async () => {
    const result = await runOk(bin('publint'), ['--strict'], { cwd: repoRoot });
    expect(result.output).toContain('All good');
  }, 60_000);

  it('has types that resolve for node16 (ESM and CJS) and bundlers: arethetypeswrong', async () => {
    // Being ESM-only, a require() resolves to ESM: that notice alone is expected (require(esm)
    // loads it on Node >= 20.19); anything else fails.
    await runOk(
      bin('attw'),
      [inject('tarball'), '--profile', 'node16', '--ignore-rules', 'cjs-resolves-to-esm'],
      { cwd: repoRoot },
    );
  }, 60_000);
});

describe('the pack checks fail on a broken package', () => {
  const good: Record<string, string> = {
    'package.json': '{}',
    'README.md':
      '# x\n![demo](docs/demo.png)\n<img src="docs/panel.png">\n![badge](https://x.test/b.svg)',
    LICENSE: 'MIT',
    'docs/demo.png': '',
    'docs/panel.png': '',
    'dist/index.js':
      "import { of } from 'rxjs';\nexport * from './a.js';\n//# sourceMappingURL=index.js.map",
    'dist/index.js.map': JSON.stringify({ sources: ['../src/index.ts'] }),
    'dist/a.js': 'export const a = 1;\n//# sourceMappingURL=a.js.map',
    'dist/a.js.map': JSON.stringify({
      sources: ['../src/a.ts'],
      sourcesContent: ['export const a = 1;'],
    }),
    'src/index.ts': '',
  };
  const goodManifest: PackInput['manifest'] = {
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    peerDependencies: { rxjs: '^7' },
  };
  const check = (files: Record<string, string>, manifestOverride = goodManifest) =>
    packProblems({
      files: Object.keys(files),
      manifest: manifestOverride,
      read: (path) => files[path] ?? '',
    });
  const without = (...paths: string[]) =>
    Object.fromEntries(Object.entries(good).filter(([path]) => !paths.includes(path)));

  it('accepts the made-up good package (types aside)', () => {
    expect(check({ ...good, 'dist/index.d.ts': '' })).toEqual([]);
  });

  it.each([
    ['no LICENSE', without('LICENSE'), /missing LICENSE/],
    ['a README image left out', without('docs/panel.png'), /README.md shows docs\/panel.png/],
    ['a test shipped', { ...good, 'tests/a.test.ts': '' }, /ships tests\/a.test.ts/],
    ['a story shipped', { ...good, 'dist/a.stories.js': '' }, /ships dist\/a.stories.js/],
    ['the demo shipped', { ...good, 'demo/server/server.ts': '' }, /ships demo\//],
    ['a map whose source is not shipped', without('src/index.ts'), /maps to \.\.\/src\/index.ts/],
    ['a sourceMappingURL to a missing map', without('dist/a.js.map'), /points to dist\/a.js.map/],
    ['an exports target not shipped', good, /exports points to \.\/dist\/index.d.ts/],
  ])('%s', (_name, files, problem) => {
    expect(check(files).join('\n')).toMatch(problem);
  });

  it('an import that package.json does not declare', () => {
    expect(
      check({ ...good, 'dist/index.d.ts': '' }, { ...goodManifest, peerDependencies: {} }),
    ).toEqual(['dist/index.js imports rxjs, which package.json does not declare']);
  });
});
