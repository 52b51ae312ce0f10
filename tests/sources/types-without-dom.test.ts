// @vitest-environment node
/**
 * The sources need no DOM lib, inside or in their public types: they are emitted as
 * declarations with `lib: ["es2022"]`, and a Node consumer (fixtures/node-consumer.ts: `ws`'s
 * WebSocket, Node's fetch and BroadcastChannel, no casts) is type-checked against those
 * declarations with `skipLibCheck: false`, so a DOM name in any public `.d.ts` (ours, or an
 * `rxjs/webSocket` type leaking through ours) fails it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
// Inside the repository, so that `ws` and `@types/node` resolve from its node_modules.
const work = join(root, 'node_modules/.cache', `types-without-dom-${process.pid}-${Date.now()}`);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const noDom = {
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'Bundler',
  lib: ['ES2022'],
  types: ['node'],
  strict: true,
};

function typecheck(config: object): string {
  const file = join(work, `tsconfig-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  try {
    execFileSync(process.execPath, [tsc, '-p', file], { cwd: work, encoding: 'utf8' });
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}` || String(error);
  }
}

describe('sources without the DOM lib', () => {
  it('compile and declare their types with lib es2022; a Node consumer fits without casts', () => {
    mkdirSync(work, { recursive: true });
    const emitted = typecheck({
      compilerOptions: {
        ...noDom,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        // Our .ts files are all checked; only third-party declarations are skipped here.
        skipLibCheck: true,
        declaration: true,
        emitDeclarationOnly: true,
        rootDir: root,
        outDir: join(work, 'out'),
      },
      files: [join(root, 'src/sources/index.ts')],
    });
    expect(emitted).toBe('');

    const fixture = readFileSync(join(root, 'tests/sources/fixtures/node-consumer.ts'), 'utf8');
    const consumer = fixture.replace(
      "'../../../src/sources/index.js'",
      "'./out/src/sources/index.js'",
    );
    expect(consumer).not.toBe(fixture);
    writeFileSync(join(work, 'consumer.ts'), consumer);
    const checked = typecheck({
      compilerOptions: { ...noDom, noEmit: true, skipLibCheck: false },
      files: [join(work, 'consumer.ts')],
    });
    expect(checked).toBe('');
  }, 60_000);
});
