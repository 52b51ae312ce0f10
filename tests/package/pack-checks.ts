/**
 * What a published tarball must hold, as pure checks over its file list (`npm pack --dry-run
 * --json`) and a reader of those files, so that each check can be shown to fail on a made-up
 * package as well as pass on the real one.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';

export interface PackInput {
  /** Paths in the tarball, relative to the package root, `/`-separated. */
  files: readonly string[];
  /** The package.json that is packed. */
  manifest: {
    name?: string;
    exports?: unknown;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  /** Reads a packed file's text. */
  read: (path: string) => string;
}

/** Not for users: a tarball holding any of these ships the repo's workshop. */
const workshop = [
  /^(tests|stories|demo|bench|scripts|coverage|\.storybook|\.ci)\//,
  /(^|\/)__tests__\//,
  /\.(test|spec|stories)\.[cm]?[jt]sx?$/,
  /(^|\/)node_modules\//,
];

/** Relative image references of a Markdown file (`![alt](path)` and `<img src="path">`). */
export function imagesOf(markdown: string): string[] {
  const found = [
    ...markdown.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?/g),
    ...markdown.matchAll(/<img\b[^>]*\bsrc=["']([^"']+)["']/gi),
  ].map((match) => match[1] ?? '');
  return found.filter((path) => path !== '' && !/^([a-z]+:|\/\/|#)/i.test(path));
}

/** Every file path an `exports` map points to. */
export function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.values(exports).flatMap(exportTargets);
}

const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Bare specifiers a module imports or re-exports (static and dynamic). */
export function bareImportsOf(source: string): string[] {
  // TSDoc examples (`import { createBalanceSync } from 'balance-sync'`) are not imports.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '');
  const specifiers = [
    ...code.matchAll(/\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g),
    ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1] ?? '');
  return specifiers.filter((specifier) => specifier !== '' && !/^(\.|\/)/.test(specifier));
}

export function packProblems({ files, manifest, read }: PackInput): string[] {
  const problems: string[] = [];
  const shipped = new Set(files);
  for (const required of ['package.json', 'README.md', 'LICENSE'])
    if (!shipped.has(required)) problems.push(`missing ${required}`);
  if (shipped.has('README.md'))
    for (const image of imagesOf(read('README.md'))) {
      const path = posix.normalize(image);
      if (!shipped.has(path)) problems.push(`README.md shows ${image}, which is not shipped`);
    }
  for (const file of files)
    if (workshop.some((pattern) => pattern.test(file))) problems.push(`ships ${file}`);

  for (const target of exportTargets(manifest.exports)) {
    const path = posix.normalize(target);
    if (!shipped.has(path)) problems.push(`exports points to ${target}, which is not shipped`);
  }

  for (const file of files.filter((path) => /\.[cm]?js$|\.d\.[cm]?ts$/.test(path))) {
    const mapUrl = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(file))?.[1];
    if (mapUrl === undefined || mapUrl.startsWith('data:')) continue;
    const map = posix.join(posix.dirname(file), mapUrl);
    if (!shipped.has(map)) problems.push(`${file} points to ${map}, which is not shipped`);
  }
  for (const file of files.filter((path) => path.endsWith('.map'))) {
    const map = JSON.parse(read(file)) as {
      sources?: string[];
      sourcesContent?: (string | null)[];
      sourceRoot?: string;
    };
    (map.sources ?? []).forEach((source, index) => {
      if (typeof map.sourcesContent?.[index] === 'string') return;
      const path = posix.join(posix.dirname(file), map.sourceRoot ?? '', source);
      if (!shipped.has(path))
        problems.push(`${file} maps to ${source} (${path}): not shipped, no sourcesContent`);
    });
  }

  const declared = new Set([
    // A package may import itself by name (self-reference through its `exports`).
    ...(manifest.name === undefined ? [] : [manifest.name]),
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const builtins = new Set(builtinModules);
  for (const file of files.filter((path) => /\.[cm]?js$/.test(path)))
    for (const specifier of bareImportsOf(read(file))) {
      const name = packageOf(specifier);
      if (specifier.startsWith('node:') || builtins.has(name) || declared.has(name)) continue;
      problems.push(`${file} imports ${specifier}, which package.json does not declare`);
    }
  return problems;
}
