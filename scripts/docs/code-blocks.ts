/**
 * Type-checks every ```ts / ```tsx / ```typescript block of the docs against the built package,
 * as a user's app would compile it: each block is its own module, and one `tsc` run (the repo's
 * TS 7 binary) checks them all. `balance-sync`, `/react`, `/devtools` and `/machines` resolve
 * through the package's own `exports` to `dist/`, never to `src/`. Names that examples take as
 * given (`session`, `socket`, `api`...) come from docs/code-blocks.d.ts.
 * A block whose info string says `no-check` (```ts no-check) is skipped: the generated API
 * pages use it for declarations, which are not programs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { markdownFiles, readMarkdown } from './markdown.js';

export const checkedLanguages: Record<string, 'ts' | 'tsx'> = {
  ts: 'ts',
  typescript: 'ts',
  tsx: 'tsx',
};

export interface CodeBlock {
  /** Repo-relative Markdown file. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: 'ts' | 'tsx';
  code: string;
}

export function extractCodeBlocks(
  root: string,
  file: string,
): { blocks: CodeBlock[]; skipped: number } {
  const blocks: CodeBlock[] = [];
  let skipped = 0;
  for (const token of readMarkdown(root, file)) {
    if (token.type !== 'fence' || token.map === null) continue;
    const [language, ...flags] = token.info.trim().split(/\s+/);
    const extension = checkedLanguages[language?.toLowerCase() ?? ''];
    if (extension === undefined) continue;
    if (flags.includes('no-check')) {
      skipped += 1;
      continue;
    }
    blocks.push({ file, line: token.map[0] + 1, language: extension, code: token.content });
  }
  return { blocks, skipped };
}

/** The settings of a strict app: Vite's React template plus the stricter checks this repo uses. */
export const appCompilerOptions = {
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'bundler',
  moduleDetection: 'force',
  lib: ['ES2022', 'DOM', 'DOM.Iterable'],
  jsx: 'react-jsx',
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noFallthroughCasesInSwitch: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
  // No @types/node: a browser app has no `process`. vite/client gives `import.meta.env`.
  types: ['vite/client'],
};

export interface CodeBlockFailure {
  /** `README.md:57` (the block's opening fence). */
  block: string;
  /** `README.md:60:12 TS2304: Cannot find name 'x'.` */
  message: string;
}

export interface CodeBlockReport {
  checked: CodeBlock[];
  skipped: number;
  failures: CodeBlockFailure[];
  /** Compiler output that could not be mapped to a block (a broken setup, not a broken block). */
  unmapped: string[];
  /** Every file the compiler read, repo-relative: shows where `balance-sync` resolved. */
  programFiles: string[];
}

/**
 * Checks the blocks of `files` (default: README.md, SECURITY.md, docs/**\/*.md) in one tsc run.
 * `workDir` must be inside the package so that the package's self-reference resolves.
 */
export function checkCodeBlocks(options: {
  root: string;
  workDir: string;
  placeholders: string;
  files?: string[];
}): CodeBlockReport {
  const { root, workDir, placeholders } = options;
  const files = options.files ?? markdownFiles(root);
  const checked: CodeBlock[] = [];
  let skipped = 0;
  for (const file of files) {
    const found = extractCodeBlocks(root, file);
    checked.push(...found.blocks);
    skipped += found.skipped;
  }
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const byPath = new Map<string, CodeBlock>();
  checked.forEach((block, index) => {
    const name = `${block.file.replace(/[^\w.-]+/g, '_')}.L${block.line}.${index}.${block.language}`;
    writeFileSync(join(workDir, name), block.code);
    byPath.set(name, block);
  });
  const tsconfig = {
    compilerOptions: appCompilerOptions,
    files: [relative(workDir, placeholders), ...byPath.keys()],
  };
  writeFileSync(join(workDir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  const args = ['-p', join(workDir, 'tsconfig.json'), '--pretty', 'false', '--listFiles'];
  const run = spawnSync(tsc, args, {
    cwd: workDir,
    encoding: 'utf8',
  });
  if (run.error) throw run.error;
  const failures: CodeBlockFailure[] = [];
  const unmapped: string[] = [];
  const programFiles: string[] = [];
  // `file(line,col): error TS1234: message`, continuation lines indented.
  for (const entry of `${run.stdout}${run.stderr}`.split(/\n(?=\S)/)) {
    const text = entry.trim();
    if (text === '') continue;
    if (isAbsolute(text) && !text.includes('): error')) {
      programFiles.push(relative(root, text).split('\\').join('/'));
      continue;
    }
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+): ([\s\S]*)$/.exec(text);
    const block = match ? byPath.get(match[1] ?? '') : undefined;
    if (!match || block === undefined) {
      unmapped.push(text);
      continue;
    }
    const line = block.line + Number(match[2]);
    failures.push({
      block: `${block.file}:${block.line}`,
      message: `${block.file}:${line}:${match[3]} ${match[4]}: ${(match[5] ?? '').replace(/\s*\n\s*/g, ' ')}`,
    });
  }
  if (run.status !== 0 && failures.length === 0 && unmapped.length === 0) {
    unmapped.push(`tsc exited with ${run.status}`);
  }
  return { checked, skipped, failures, unmapped, programFiles };
}

export function formatFailures(report: CodeBlockReport): string {
  return [
    ...report.failures.map((failure) => `${failure.block}: ${failure.message}`),
    ...report.unmapped,
  ].join('\n');
}
