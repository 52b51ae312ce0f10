/** The demo's client for the reference server. A user's token is `${user}-token` (demo only). */
export const tokenFor = (userId: string) => `${userId}-token`;

const headers = (userId: string) => ({
  authorization: `Bearer ${tokenFor(userId)}`,
  'content-type': 'application/json',
});

async function ok(response: Response): Promise<unknown> {
  if (!response.ok)
    throw new Error(
      `${response.status} ${(await response.json().catch(() => ({}))).error ?? ''}`.trim(),
    );
  return response.json();
}

export const fetchTokenBalance = ({ userId, signal }: { userId: string; signal: AbortSignal }) =>
  fetch('/api/auth/token-balance', { headers: headers(userId), signal, cache: 'no-store' }).then(
    ok,
  ) as Promise<{
    balance: number;
    version: number;
    updatedAt: string;
  }>;

export const submitAssessment = (userId: string, cost: number) =>
  fetch('/api/assessments', {
    method: 'POST',
    headers: headers(userId),
    body: JSON.stringify({ cost }),
  }).then(ok);

export const admin = (path: string, body: unknown = {}) =>
  fetch(`/admin/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(ok);

export const socketUrl = (userId: string) => {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws?token=${tokenFor(userId)}`;
};

/** The server-sent events stream of the user's balance (the token in the query: EventSource sends no headers). */
export const streamUrl = (userId: string) => `/api/balance/stream?token=${tokenFor(userId)}`;
