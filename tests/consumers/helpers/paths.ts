import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
export const fixturesDir = join(repoRoot, 'tests', 'consumers');

/**
 * Installed fixtures, kept between runs. Outside the repo on purpose: under it, Node, Vite,
 * TypeScript and Next.js would resolve anything a fixture forgot to declare from this repo's
 * own node_modules (and Next.js would pick this repo's lockfile as its workspace root), so a
 * consumer install that is missing a dependency would still pass. One folder per checkout, so
 * two worktrees (or a CI clone on the same machine) never share one.
 */
export const cacheRoot =
  process.env.BALANCE_SYNC_CONSUMERS_CACHE ??
  join(
    tmpdir(),
    'balance-sync-consumers',
    createHash('sha256').update(repoRoot).digest('hex').slice(0, 12),
  );
