import { createRoot } from 'react-dom/client';
import {
  createBalanceSync,
  crossTabSource,
  sseSource,
  websocketSource,
  windowSource,
} from '../../src/index.js';
import { BalanceSyncProvider } from '../../src/react/index.js';
import { fetchTokenBalance, socketUrl, streamUrl } from './api.js';
import { App } from './app.js';

// `?ttl=` shortens the TTL, `?socket=0` leaves the push channel out and `?transport=sse` uses
// the server-sent events stream instead of the WebSocket, for trying (and testing) by hand.
const params = new URLSearchParams(window.location.search);
const ttl = Number(params.get('ttl') ?? 30_000);
const withSocket = params.get('socket') !== '0';
// The server greets every connection with the current balance: no catch-up request is needed.
const push =
  params.get('transport') === 'sse'
    ? sseSource({ url: streamUrl, hello: true })
    : websocketSource({ url: socketUrl, heartbeatMs: 45_000, hello: true });
// Who is signed in survives a reload; every tab follows sign-in and sign-out through the sync.
const SESSION_KEY = 'demo-user';

const sync = createBalanceSync({
  fetchBalance: fetchTokenBalance,
  userId: localStorage.getItem(SESSION_KEY),
  ttlMs: ttl,
  refreshIntervalMs: ttl,
  sources: [
    windowSource(),
    // One push connection per browser: the leader tab holds it and relays it to the others.
    crossTabSource({ push: withSocket ? push : [] }),
  ],
});
sync.subscribe((state) => {
  if (state.userId === null) localStorage.removeItem(SESSION_KEY);
  else localStorage.setItem(SESSION_KEY, state.userId);
});

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <BalanceSyncProvider sync={sync}>
      <App />
    </BalanceSyncProvider>,
  );
}
