import { createBalanceSync, websocketSource } from 'balance-sync';
import { BalanceSyncProvider } from 'balance-sync/react';
import { createRoot } from 'react-dom/client';
import { Balance } from './balance.js';

// Served by the reference server itself, so the API and the socket are same-origin.
const token = 'alice-token';
const sync = createBalanceSync({
  userId: 'alice',
  fetchBalance: async ({ signal }) => {
    const response = await fetch('/api/auth/token-balance', {
      headers: { authorization: `Bearer ${token}` },
      signal,
    });
    if (!response.ok) throw new Error(`balance: HTTP ${response.status}`);
    return response.json();
  },
  sources: [
    websocketSource({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${token}`,
    }),
  ],
});

const root = document.getElementById('root');
if (root === null) throw new Error('#root is missing');
createRoot(root).render(
  <BalanceSyncProvider sync={sync}>
    <Balance />
  </BalanceSyncProvider>,
);
