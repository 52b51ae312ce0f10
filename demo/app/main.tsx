import { createRoot } from 'react-dom/client';
import {
  createBalanceSync,
  crossTabSource,
  websocketSource,
  windowSource,
} from '../../src/index.js';
import { BalanceSyncProvider } from '../../src/react/index.js';
import { fetchTokenBalance, socketUrl } from './api.js';
import { App } from './app.js';

// `?ttl=` shortens the TTL and `?socket=0` leaves the socket out, for trying (and testing)
// expiry and polling by hand.
const params = new URLSearchParams(window.location.search);
const ttl = Number(params.get('ttl') ?? 30_000);
const withSocket = params.get('socket') !== '0';
// Who is signed in survives a reload; every tab follows sign-in and sign-out through the sync.
const SESSION_KEY = 'demo-user';

const sync = createBalanceSync({
  fetchBalance: fetchTokenBalance,
  userId: localStorage.getItem(SESSION_KEY),
  ttlMs: ttl,
  refreshIntervalMs: ttl,
  sources: [
    windowSource(),
    ...(withSocket ? [websocketSource({ url: socketUrl, heartbeatMs: 45_000 })] : []),
    crossTabSource(),
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
