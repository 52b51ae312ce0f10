/** Serves the built demo app; unknown paths get index.html (a single-page app). */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export function serveStatic(staticDir: string, path: string, response: ServerResponse): boolean {
  const file = normalize(join(staticDir, path === '/' ? 'index.html' : path));
  if (!file.startsWith(staticDir)) return false;
  const target = existsSync(file) && statSync(file).isFile() ? file : join(staticDir, 'index.html');
  if (!existsSync(target)) return false;
  response.writeHead(200, {
    'content-type': types[extname(target)] ?? 'application/octet-stream',
  });
  createReadStream(target).pipe(response);
  return true;
}
