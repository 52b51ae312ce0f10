/**
 * A fixture installed the way a consumer installs balance-sync: its own dependencies from its
 * lockfile (`npm ci`), then the tarball `npm pack` made (`npm install --no-save <tgz>`).
 *
 * Cache: `<cacheRoot>/<fixture>-<key>/node_modules`, where the key hashes the fixture's
 * package.json and lockfile and balance-sync's own dependency ranges. A warm run keeps those
 * dependencies and only reinstalls the freshly packed tarball; a changed key installs from
 * scratch (cold) and removes the fixture's older folders.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, fixturesDir, repoRoot } from './paths.js';
import { runOk } from './run.js';

export interface InstalledFixture {
  /** Where the fixture's files and node_modules are: build and run it there. */
  dir: string;
  cold: boolean;
  /** Milliseconds: `npm ci` (cold only) and the tarball's install. */
  timings: { ci: number; tarball: number };
}

const ready = '.balance-sync-consumers-ready';
const kept = new Set(['node_modules', 'package.json', 'package-lock.json']);

function cacheKey(fixture: string): string {
  const own = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json'])
    hash.update(readFileSync(join(fixturesDir, fixture, file)));
  hash.update(
    JSON.stringify([
      own.dependencies,
      own.peerDependencies,
      own.optionalDependencies,
      process.version,
    ]),
  );
  return hash.digest('hex').slice(0, 12);
}

export async function installFixture(fixture: string, tarball: string): Promise<InstalledFixture> {
  const dir = join(cacheRoot, `${fixture}-${cacheKey(fixture)}`);
  const cold = !existsSync(join(dir, 'node_modules', ready));
  const timings = { ci: 0, tarball: 0 };
  const npm = (args: string[]) =>
    runOk('npm', [...args, '--no-audit', '--no-fund'], { cwd: dir, timeoutMs: 600_000 });
  if (cold) {
    mkdirSync(cacheRoot, { recursive: true });
    for (const entry of readdirSync(cacheRoot))
      if (entry.startsWith(`${fixture}-`))
        rmSync(join(cacheRoot, entry), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const file of ['package.json', 'package-lock.json'])
      cpSync(join(fixturesDir, fixture, file), join(dir, file));
    timings.ci = (await npm(['ci'])).ms;
    writeFileSync(join(dir, 'node_modules', ready), new Date().toISOString());
  }
  // Always the tarball of this run, never a leftover: remove it first, then install it.
  rmSync(join(dir, 'node_modules', 'balance-sync'), { recursive: true, force: true });
  timings.tarball = (await npm(['install', '--no-save', tarball])).ms;
  // The fixture's own files, fresh: drop everything else (old builds, deleted files) first.
  for (const entry of readdirSync(dir))
    if (!kept.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
  cpSync(join(fixturesDir, fixture), dir, {
    recursive: true,
    filter: (source) => !source.includes(`${fixture}/node_modules`),
  });
  return { dir, cold, timings };
}
