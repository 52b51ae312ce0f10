/**
 * `npm start`: builds the demo app and serves it with the reference server on one URL.
 * PORT (default 4173) and LEDGER_FILE (default demo/.data/ledger.json) can be set.
 */
import { fileURLToPath } from 'node:url';
import { buildDemoApp } from './build.js';
import { startDemoServer } from './server/server.js';

const distDir = fileURLToPath(new URL('./app/dist/', import.meta.url));

await buildDemoApp(distDir);
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
