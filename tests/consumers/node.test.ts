/**
 * A plain Node 20 consumer of the packed tarball: TypeScript checked with `lib: ["es2022"]` and
 * `types: ["node"]` only (no DOM, skipLibCheck off, so the published .d.ts must not name browser
 * globals), then run against the reference server: the balance over REST, a debit, the pushed
 * update over the `ws` package, and an exit of its own after `stop()`. Also `require()` from
 * CommonJS (require(esm), Node >= 20.19).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../demo/server/server.js';
import { type InstalledFixture, installFixture } from './helpers/install.js';
import { type RunResult, run } from './helpers/run.js';

let app: InstalledFixture;
let api: DemoServer;
let compiled: RunResult;

beforeAll(async () => {
  app = await installFixture('node', inject('tarball'));
  console.log(
    `[consumers] node: ${app.cold ? 'cold' : 'warm'} install, npm ci ${app.timings.ci} ms, tarball ${app.timings.tarball} ms`,
  );
  // tsc emits even when it reports errors, so the run below does not depend on the check.
  compiled = await run(join(app.dir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], {
    cwd: app.dir,
  });
  api = await startDemoServer({
    ledgerFile: join(mkdtempSync(join(tmpdir(), 'balance-sync-consumers-node-')), 'ledger.json'),
  });
}, 600_000);

afterAll(async () => {
  await api?.close();
});

describe('Node 20 consumer (from the packed tarball, no DOM)', () => {
  it('type-checks with lib es2022 and types node only (tsc, skipLibCheck off)', () => {
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);
  });

  it('prints the balance, then the update pushed over ws after a debit, and exits by itself', async () => {
    const result = await run('node', ['dist/main.js'], {
      cwd: app.dir,
      env: { BALANCE_API_URL: api.url },
      timeoutMs: 30_000,
    });
    // The first value comes from the response or from the server's hello on the socket.
    expect(result.output).toMatch(/^balance 1000 \((network|socket)\)\npushed 990 \(socket\)\n$/);
    expect(result.code).toBe(0);
  }, 60_000);

  it('loads from CommonJS through require(esm)', async () => {
    const script =
      "const core = require('balance-sync'); const machines = require('balance-sync/machines');" +
      'console.log(typeof core.createBalanceSync, typeof machines.balanceMachine);';
    const result = await run('node', ['--input-type=commonjs', '-e', script], { cwd: app.dir });
    expect(result.output).toBe('function object\n');
    expect(result.code).toBe(0);
  });
});
