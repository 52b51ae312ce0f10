import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
/** Scratch space inside the repo (gitignored): the package's self-reference resolves from here. */
export const scratch = (name: string) => join(root, '.docs-check', name);
export const placeholders = join(root, 'docs', 'code-blocks.d.ts');

/** These checks read the built package; `npm test` builds it first. */
export function assertBuilt(): void {
  if (!existsSync(join(root, 'dist', 'src', 'index.d.ts'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  }
}
