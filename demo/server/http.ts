/** Small HTTP helpers of the reference server: JSON answers, bodies, tokens, CORS. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Any origin may call the demo server (Storybook, the vitest browser page, a demo app on another
 * port). Safe here because nothing rides on cookies: a request must carry the user's token. A
 * real server would list its origins.
 */
export const corsHeaders = { 'access-control-allow-origin': '*' } as const;

export function preflight(response: ServerResponse): void {
  response.writeHead(204, {
    ...corsHeaders,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type, last-event-id',
    'access-control-max-age': '600',
  });
  response.end();
}

export function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...corsHeaders,
  });
  response.end(JSON.stringify(body));
}

export async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return {};
  }
}

/** A user's token is `${user}-token` (demo only). */
export const userOfToken = (token: string | null | undefined): string | null =>
  token?.endsWith('-token') ? token.slice(0, -'-token'.length) : null;

/** The user of `Authorization: Bearer <user>-token` (the REST API). */
export function bearerUser(request: IncomingMessage): string | null {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? userOfToken(header.slice('Bearer '.length)) : null;
}

/**
 * The header, else `?token=<user>-token`: browsers' `EventSource` and `WebSocket` cannot set
 * headers, so the push endpoints take the token in the query too.
 */
export const streamUser = (request: IncomingMessage, url: URL): string | null =>
  bearerUser(request) ?? userOfToken(url.searchParams.get('token'));
