/**
 * A `fetch`-only client of the reference server (no Node imports), for tests in real Chromium.
 * The server allows any origin; POST bodies go as text so that they need no preflight.
 */
import type { ConnectionCounts } from '../../demo/server/push-hub.js';

export function demoClient(url: string) {
  const post = async (path: string, body: unknown = {}, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  return {
    admin: (path: string, body: unknown = {}) => post(`/admin/${path}`, body),
    debit: (user: string, cost = 10) =>
      post('/api/assessments', { cost }, { authorization: `Bearer ${user}-token` }),
    connections: async () =>
      (await (await fetch(`${url}/admin/connections`)).json()) as ConnectionCounts,
    streamUrl: (user: string) => `${url}/api/balance/stream?token=${user}-token`,
  };
}
