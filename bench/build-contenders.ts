/**
 * Bundles each contender app (its library included, React left out and shared) into
 * bench/.build/<name>.mjs. The workloads import a bundle once per tab with a distinct query,
 * which gives each tab its own copy of the library, as each browser tab has.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type ContenderName, contenderNames } from './contenders/contract.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const buildDir = here('./.build/');

export async function buildContenders(): Promise<Record<ContenderName, string>> {
  await build({
    entryPoints: Object.fromEntries(
      contenderNames.map((name) => [name, here(`./contenders/${name}.tsx`)]),
    ),
    outdir: buildDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    // React and its stateless use-sync-external-store shim (CJS) are shared by all tabs.
    external: [
      'react',
      'react-dom',
      'react-dom/client',
      'react/jsx-runtime',
      'use-sync-external-store/*',
    ],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  return Object.fromEntries(
    contenderNames.map((name) => [name, `${buildDir}${name}.mjs`]),
  ) as Record<ContenderName, string>;
}
