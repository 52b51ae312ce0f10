/**
 * A Next.js 16 App Router app that installs balance-sync from the packed tarball: `next build`,
 * `next start`, a server-rendered page whose client component creates the sync, requests
 * rewritten to the reference server (same origin). In Chromium: the balance with a clean console
 * on the first visit and after a reload within the TTL, when the value is in localStorage and
 * the server's HTML (no value) must still hydrate without a mismatch. Prints the time from
 * hydration to the first paint of the cached value.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright';
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
import { run, runOk, type Service, startService } from './helpers/run.js';

let app: InstalledFixture;
let api: DemoServer;
let next: Service | undefined;
let url: string;
let browser: Browser | undefined;
let context: BrowserContext;

const bin = (name: string) => join(app.dir, 'node_modules', '.bin', name);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(),
      );
    });
  });
}

beforeAll(async () => {
  app = await installFixture('next', inject('tarball'));
  console.log(
    `[consumers] next: ${app.cold ? 'cold' : 'warm'} install, npm ci ${app.timings.ci} ms, tarball ${app.timings.tarball} ms`,
  );
  const work = mkdtempSync(join(tmpdir(), 'balance-sync-consumers-next-'));
  // The rewrites are compiled into the build, so the reference server comes first.
  api = await startDemoServer({ ledgerFile: join(work, 'ledger.json') });
  const build = await runOk(bin('next'), ['build'], {
    cwd: app.dir,
    env: { BALANCE_API_URL: api.url },
  });
  console.log(`[consumers] next build: ${build.ms} ms`);
  const port = await freePort();
  next = await startService(bin('next'), ['start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: app.dir,
    env: { BALANCE_API_URL: api.url },
    ready: /Ready in/,
  });
  url = `http://127.0.0.1:${port}/`;
  browser = await launchChromium();
  context = await browser.newContext();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await next?.stop();
  await api?.close();
});

describe('Next.js 16 App Router consumer (from the packed tarball)', () => {
  it('type-checks against the published .d.ts (tsc --noEmit)', async () => {
    const result = await run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], { cwd: app.dir });
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);

  it('renders the page on the server without a value, then shows the balance with a clean console', async () => {
    const html = await (await fetch(url)).text();
    expect(html).toContain('data-testid="balance"');
    const page = await context.newPage();
    const logs = watchConsole(page);
    await page.goto(url);
    await expect.poll(() => balanceText(page)).toBe('1000 tokens');
    expect(logs.errors).toEqual([]);
    expect(logs.hydration()).toEqual([]);
    await page.close();
  }, 60_000);

  it('a reload within the TTL paints the cached value, without a hydration mismatch or console error', async () => {
    // The previous test left alice's balance in this context's localStorage (TTL 30 s).
    const page = await context.newPage();
    await recordPaints(page);
    const logs = watchConsole(page);
    await page.goto(url);
    await expect.poll(() => balanceText(page)).toBe('1000 tokens');
    const seen = await paints(page);
    const hydratedAt = await page.evaluate(() => (window as { hydratedAt?: number }).hydratedAt);
    const cached = seen.find((paint) => /\d/.test(paint.text));
    const sinceHydration =
      cached !== undefined && hydratedAt !== undefined ? cached.paintedAt - hydratedAt : Number.NaN;
    console.log(
      `[consumers] next reload: hydration → first paint of the cached value ${sinceHydration.toFixed(1)} ms (hydrated at ${hydratedAt?.toFixed(1)} ms, painted at ${cached?.paintedAt.toFixed(1)} ms); paints: ${seen.map((paint) => `${paint.text}[${paint.source}]@${paint.at.toFixed(0)}`).join(' → ')}`,
    );
    expect(seen[0]?.text, 'the server HTML has no value').toBe('loading');
    expect(cached?.source, 'the first value painted is the cached one').toBe('localStorage');
    expect.soft(logs.hydration()).toEqual([]);
    expect.soft(logs.errors).toEqual([]);
  }, 60_000);

  it.each([
    ['within the TTL: fresh', 0, '1000 tokens'],
    ['past the TTL: stale on the server and at hydration', 60, '1000 tokens (stale)'],
  ])(
    'initialData %s, with no hydration mismatch',
    async (_, age, shown) => {
      // A user of its own: no value this browser cached earlier may stand in for initialData.
      const path = `${url}initial?age=${age}&user=initial-${age}`;
      const html = await (await fetch(path)).text();
      expect(html).toContain(`>${shown}</p>`);
      const page = await context.newPage();
      const logs = watchConsole(page);
      await page.goto(path);
      await expect.poll(() => balanceText(page)).toBe(shown);
      await page.waitForTimeout(300);
      expect(logs.hydration()).toEqual([]);
      expect(logs.errors).toEqual([]);
      await page.close();
    },
    60_000,
  );
});
