/**
 * `npm start`: builds the demo app and serves it with the reference server on one URL.
 * PORT (default 4173) and LEDGER_FILE (default demo/.data/ledger.json) can be set.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { startDemoServer } from './server/server.js';

const appDir = fileURLToPath(new URL('./app/', import.meta.url));
const distDir = fileURLToPath(new URL('./app/dist/', import.meta.url));

await build({
  root: appDir,
  logLevel: 'warn',
  build: {
    outDir: distDir,
    emptyOutDir: true,
    rollupOptions: {
      // 'use client' marks the library's React entry for server-component bundlers; an app
      // bundle has nothing to keep it for.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
const server = await startDemoServer({
  port: Number(process.env.PORT ?? 4173),
  ledgerFile:
    process.env.LEDGER_FILE ?? fileURLToPath(new URL('./.data/ledger.json', import.meta.url)),
  staticDir: distDir,
});
console.log(`balance-sync demo: ${server.url}  (open it in two tabs; Ctrl+C stops)`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
