/**
 * min+gzip of each entry, measured with esbuild in the same run: the whole entry
 * (`export *`, so nothing is tree-shaken away in our favour), once with only the package's own
 * code and once with its dependencies bundled (React always left out: every contender needs
 * it). The contender apps of the workloads are measured too: what an app ships for the feature.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type ContenderName, contenderNames } from './contenders/contract.js';
import type { SizeRow } from './report/results.js';

const root = new URL('..', import.meta.url).pathname;
const react = ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime'];

async function gzipSize(contents: string, external: string[]): Promise<number> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    external: [...react, ...external],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return gzipSync(code, { level: 9 }).length;
}

interface Entry {
  name: string;
  contents: string;
  /** What is not the package's own code; null when all of it is (one monorepo). */
  dependencies: string[] | null;
}

const ours = ['xstate', 'rxjs', 'idb-keyval', '@standard-schema/spec', 'use-sync-external-store'];

const entries: Entry[] = [
  { name: 'balance-sync', contents: "export * from './src/index.ts';", dependencies: ours },
  {
    name: 'balance-sync/react',
    contents: "export * from './src/react/index.ts'; export * from './src/index.ts';",
    dependencies: ours,
  },
  {
    // What tree-shaking leaves when an app feeds events itself (no bundled sources).
    name: 'balance-sync: createBalanceSync + useBalance only',
    contents:
      "export { createBalanceSync } from './src/index.ts'; export { BalanceSyncProvider, useBalance } from './src/react/index.ts';",
    dependencies: ours,
  },
  {
    name: 'swr',
    contents: "export * from 'swr'; export { default } from 'swr';",
    dependencies: ['use-sync-external-store', 'use-sync-external-store/*', 'dequal', 'dequal/*'],
  },
  {
    name: '@tanstack/react-query (incl. query-core)',
    contents: "export * from '@tanstack/react-query';",
    dependencies: null,
  },
];

const appEntry = (name: ContenderName): Entry => ({
  name: `app: ${name} contender (this bench's app code included)`,
  contents: `export * from './bench/contenders/${name}.tsx';`,
  dependencies: null,
});

export async function measureSizes(): Promise<SizeRow[]> {
  const rows: SizeRow[] = [];
  for (const entry of [...entries, ...contenderNames.map(appEntry)]) {
    const loaderContents = entry.contents;
    rows.push({
      name: entry.name,
      ownGzip:
        entry.dependencies === null ? null : await gzipSize(loaderContents, entry.dependencies),
      fullGzip: await gzipSize(loaderContents, []),
    });
  }
  return rows;
}
