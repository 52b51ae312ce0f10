// A Node 20 consumer (no DOM): the balance over REST, then a push over the `ws` package.
import { type BalanceState, createBalanceSync, websocketSource } from 'balance-sync';
import { WebSocket } from 'ws';

const api = process.env.BALANCE_API_URL ?? 'http://127.0.0.1:4000';
const headers = { authorization: 'Bearer alice-token', 'content-type': 'application/json' };

const sync = createBalanceSync({
  userId: 'alice',
  logger: false,
  fetchBalance: async ({ signal }) => {
    const response = await fetch(`${api}/api/auth/token-balance`, { headers, signal });
    if (!response.ok) throw new Error(`balance: HTTP ${response.status}`);
    return (await response.json()) as { balance: number; version?: number };
  },
  sources: [
    websocketSource({
      url: `${api.replace(/^http/, 'ws')}/ws?token=alice-token`,
      WebSocketCtor: WebSocket,
    }),
  ],
});

/** Resolves with the first state that passes `test` (the current one included). */
function next(test: (state: BalanceState) => boolean, what: string): Promise<BalanceState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}`));
    }, 10_000);
    const check = (state: BalanceState) => {
      if (!test(state)) return false;
      clearTimeout(timer);
      unsubscribe();
      resolve(state);
      return true;
    };
    const unsubscribe = sync.subscribe((state) => void check(state));
    check(sync.getSnapshot());
  });
}

/** Resolves once the push channel is live: a debit before that would not be pushed. */
function socketLive(): Promise<void> {
  const actor = sync.actor;
  return new Promise((resolve) => {
    const subscription = actor.subscribe((snapshot) => {
      if (!snapshot.matches({ running: { socket: 'live' } })) return;
      subscription.unsubscribe();
      resolve();
    });
    if (actor.getSnapshot().matches({ running: { socket: 'live' } })) {
      subscription.unsubscribe();
      resolve();
    }
  });
}

sync.start();
try {
  const first = await next((state) => state.balance !== null, 'the balance');
  console.log(`balance ${first.balance} (${first.source})`);
  await socketLive();
  const response = await fetch(`${api}/api/assessments`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ cost: 10 }),
  });
  if (!response.ok) throw new Error(`debit: HTTP ${response.status}`);
  const pushed = await next(
    (state) => state.source === 'socket' && state.balance === (first.balance ?? 0) - 10,
    'the pushed update',
  );
  console.log(`pushed ${pushed.balance} (${pushed.source})`);
} finally {
  // Nothing else holds the event loop: if the process does not exit now, stop() left something.
  sync.stop();
}
