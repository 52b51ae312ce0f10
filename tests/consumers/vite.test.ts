/**
 * A Vite + React + TypeScript app that installs balance-sync from the packed tarball, type-checks
 * it, builds it for production and shows the balance in Chromium, served by the reference server
 * (same origin: REST and WebSocket), before and after a reload within the TTL. Also measures what
 * balance-sync and its dependencies add to the app's bundle.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../demo/server/server.js';
import {
  balanceText,
  launchChromium,
  paints,
  recordPaints,
  watchConsole,
} from './helpers/browser.js';
import { type InstalledFixture, installFixture } from './helpers/install.js';
import { run, runOk } from './helpers/run.js';

let app: InstalledFixture;
let browser: Browser | undefined;
let server: DemoServer | undefined;

beforeAll(async () => {
  app = await installFixture('vite', inject('tarball'));
  console.log(
    `[consumers] vite: ${app.cold ? 'cold' : 'warm'} install, npm ci ${app.timings.ci} ms, tarball ${app.timings.tarball} ms`,
  );
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const bin = (name: string) => join(app.dir, 'node_modules', '.bin', name);

/** Bytes of the built JavaScript, minified (as Vite emits it) and gzipped. */
function jsBytes(outDir: string): { min: number; gzip: number } {
  const assets = join(app.dir, outDir, 'assets');
  let min = 0;
  let gzip = 0;
  for (const file of readdirSync(assets).filter((name) => name.endsWith('.js'))) {
    const code = readFileSync(join(assets, file));
    min += code.length;
    gzip += gzipSync(code, { level: 9 }).length;
  }
  return { min, gzip };
}

describe('Vite + React consumer (from the packed tarball)', () => {
  it('type-checks against the published .d.ts (tsc --noEmit, skipLibCheck off)', async () => {
    const result = await run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], { cwd: app.dir });
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);

  it('builds for production; prints what balance-sync and its dependencies add (min+gzip)', async () => {
    const build = await runOk(bin('vite'), ['build'], { cwd: app.dir });
    const baseline = await runOk(bin('vite'), ['build', '--mode', 'baseline'], { cwd: app.dir });
    const withSync = jsBytes('dist');
    const without = jsBytes('dist-baseline');
    const added = { min: withSync.min - without.min, gzip: withSync.gzip - without.gzip };
    console.log(
      `[consumers] vite bundle: ${withSync.min} B min / ${withSync.gzip} B gzip; without balance-sync ${without.min} / ${without.gzip}; balance-sync + dependencies add ${added.min} B min, ${added.gzip} B min+gzip (builds ${build.ms} + ${baseline.ms} ms)`,
    );
    // The bundle is the package's dist, not the repo's sources.
    expect(readFileSync(join(app.dir, 'dist', 'index.html'), 'utf8')).toContain('/assets/');
    expect(added.gzip).toBeGreaterThan(1_000);
  }, 180_000);

  it('shows the balance, a pushed update, and the cached value after a reload, with a clean console', async () => {
    const work = mkdtempSync(join(tmpdir(), 'balance-sync-consumers-vite-'));
    server = await startDemoServer({
      ledgerFile: join(work, 'ledger.json'),
      staticDir: join(app.dir, 'dist'),
    });
    browser = await launchChromium();
    const page = await browser.newPage();
    const logs = watchConsole(page);
    await recordPaints(page);

    await page.goto(server.url);
    await expect.poll(() => balanceText(page)).toBe('1000 tokens');

    const debit = await fetch(`${server.url}/api/assessments`, {
      method: 'POST',
      headers: { authorization: 'Bearer alice-token', 'content-type': 'application/json' },
      body: JSON.stringify({ cost: 10 }),
    });
    expect(debit.status).toBe(201);
    await expect.poll(() => page.getByTestId('balance').getAttribute('data-source')).toBe('socket');
    expect(await balanceText(page)).toBe('990 tokens');

    // Within the TTL: the first balance painted after the reload comes from localStorage.
    await page.reload();
    await expect.poll(() => balanceText(page)).toBe('990 tokens');
    const first = (await paints(page)).find((paint) => /\d/.test(paint.text));
    expect(first).toMatchObject({ text: '990 tokens', source: 'localStorage' });

    expect(logs.errors).toEqual([]);
    expect(logs.hydration()).toEqual([]);
  }, 120_000);
});
