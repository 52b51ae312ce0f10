/**
 * Packs balance-sync once for every consumer fixture: `npm pack` of the built package, the file
 * a registry would serve. Builds first when dist/ is missing or older than the sources (when the
 * project runs on its own; `npm test` has just built it).
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { cacheRoot, repoRoot } from './helpers/paths.js';
import { runOk } from './helpers/run.js';

declare module 'vitest' {
  export interface ProvidedContext {
    tarball: string;
  }
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Drops the caches of checkouts that are gone (each cache records its checkout's path). */
function pruneCaches(): void {
  mkdirSync(cacheRoot, { recursive: true });
  writeFileSync(join(cacheRoot, 'checkout'), repoRoot);
  if (process.env.BALANCE_SYNC_CONSUMERS_CACHE !== undefined) return;
  for (const sibling of readdirSync(dirname(cacheRoot))) {
    const dir = join(dirname(cacheRoot), sibling);
    const checkout = join(dir, 'checkout');
    if (dir === cacheRoot || !existsSync(checkout)) continue;
    if (!existsSync(readFileSync(checkout, 'utf8'))) rmSync(dir, { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const sources = Math.max(newest(join(repoRoot, 'src')), newest(join(repoRoot, 'machines')));
  const built = (() => {
    try {
      return newest(join(repoRoot, 'dist'));
    } catch {
      return 0;
    }
  })();
  if (built < sources) await runOk('npm', ['run', 'build'], { cwd: repoRoot });
  pruneCaches();
  const destination = join(cacheRoot, 'pack');
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  // --ignore-scripts: prepack would build again.
  const { stdout } = await runOk(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
    { cwd: repoRoot },
  );
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  if (packed === undefined) throw new Error(`npm pack printed no file:\n${stdout}`);
  project.provide('tarball', join(destination, packed.filename));
}
