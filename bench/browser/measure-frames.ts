/**
 * p50/p95 time from a WebSocket frame to the DOM with 100 subscribed components, in real
 * Chromium (Debian's; CHROMIUM_PATH overrides), for balance-sync and the two peers. A
 * node:http + ws server on 127.0.0.1 serves the page (esbuild bundle, React production build)
 * and sends one frame at a time, waiting for the page to show it before the next.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright';
import { WebSocketServer } from 'ws';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.js';
import type { FrameLatency } from '../report/results.js';
import { percentile } from '../report/stats.js';

export const FRAMES = Number(process.env.BENCH_FRAMES ?? 300);
const WARM_UP = 30;
const SUBSCRIBERS = 100;
const contenders = ['balance-sync', 'swr', 'tanstack-query'];

async function pageBundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./page.tsx', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    write: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  return result.outputFiles[0]?.text ?? '';
}

export async function measureFrames(): Promise<FrameLatency[] | { skipped: string }> {
  if (!existsSync(chromiumPath())) {
    return { skipped: `no Chromium at ${chromiumPath()} (apt-get install -y chromium)` };
  }
  const script = await pageBundle();
  let value = { balance: 1_000_000, version: 1 };
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/page.js')) {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else if (request.url?.startsWith('/api/balance')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    } else {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><div id="root"></div><script type="module" src="/page.js"></script>');
    }
  });
  const sockets = new WebSocketServer({ server, path: '/ws' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...chromiumArgs],
  });
  const rows: FrameLatency[] = [];
  try {
    for (const contender of contenders) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`${contender} page error: ${error.message}`));
      const connected = new Promise<void>((resolve) => sockets.once('connection', () => resolve()));
      await page.goto(`${origin}/?contender=${contender}&subscribers=${SUBSCRIBERS}`);
      await connected;
      await page.waitForFunction(() => window.__frameProbe?.ready === true);
      const first = value.version + 1;
      for (let i = 0; i < WARM_UP + FRAMES; i++) {
        value = { balance: value.balance - 1, version: value.version + 1 };
        const frame = JSON.stringify({ type: 'token-balance-updated', userId: 'alice', ...value });
        for (const client of sockets.clients) client.send(frame);
        await page.waitForFunction((v) => window.__frameProbe.shown.has(v), value.version);
        // Let the page paint and idle between frames, as pushes are seconds apart in real life.
        await page.waitForTimeout(10);
      }
      const latencies = await page.evaluate(
        ({ from }) =>
          [...window.__frameProbe.frames.entries()]
            .filter(([version]) => version >= from)
            .map(
              ([version, frame]) =>
                (window.__frameProbe.shown.get(version) ?? Number.NaN) - frame.at,
            ),
        { from: first + WARM_UP },
      );
      const sorted = latencies.filter(Number.isFinite).sort((a, b) => a - b);
      rows.push({
        contender,
        frames: sorted.length,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        max: sorted.at(-1) ?? Number.NaN,
      });
      console.error(`frames ${contender}: ${JSON.stringify(rows.at(-1))}`);
      await context.close();
      for (const client of sockets.clients) client.terminate();
    }
  } finally {
    await browser.close();
    sockets.close();
    server.close();
  }
  return rows;
}
