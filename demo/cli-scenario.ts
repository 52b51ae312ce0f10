/**
 * `npm start` until the demo app lands: a scripted tour against an in-process ledger,
 * printing every state a subscriber sees. Short TTLs so the whole tour takes a few seconds.
 */
import { Subject } from 'rxjs';
import type { BalanceEvent, BalanceState } from '../src/index.js';
import { createBalanceSync, memoryCache } from '../src/index.js';

/** A tiny ledger with monotonic versions and a simulated network delay. */
class Ledger {
  private accounts = new Map([
    ['alice', { balance: 120, version: 1 }],
    ['bob', { balance: 40, version: 1 }],
  ]);
  requests = 0;

  read(userId: string, signal: AbortSignal) {
    this.requests++;
    const account = this.accounts.get(userId);
    return new Promise<{ balance: number; version: number }>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (account === undefined) reject(new Error(`unknown user ${userId}`));
        else resolve({ ...account });
      }, 60);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  }

  debit(userId: string, amount: number) {
    const account = this.accounts.get(userId);
    if (account === undefined) throw new Error(`unknown user ${userId}`);
    account.balance -= amount;
    account.version += 1;
    return { userId, ...account };
  }
}

const ledger = new Ledger();
const socket = new Subject<BalanceEvent>();
const started = Date.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sync = createBalanceSync({
  fetchBalance: ({ userId, signal }) => ledger.read(userId, signal),
  userId: 'alice',
  ttlMs: 800,
  refreshIntervalMs: 0,
  dedupeMs: 300,
  cache: [memoryCache()],
  sources: [socket],
  logger: false,
});

const show = (state: BalanceState) => {
  const at = `+${String(Date.now() - started).padStart(5)} ms`;
  const value = state.balance === null ? '—' : `${state.balance} (v${state.version ?? '?'})`;
  const flags = [state.isStale && 'stale', state.isFetching && 'fetching']
    .filter(Boolean)
    .join(', ');
  console.log(
    `${at}  ${String(state.userId).padEnd(6)} ${state.status.padEnd(11)} ${value.padEnd(12)} ${String(state.source ?? '').padEnd(9)} ${flags}`,
  );
};
const step = (text: string) => console.log(`\n▶ ${text}`);

console.log('balance-sync CLI scenario (in-process ledger; the demo app comes with issue 5)\n');
sync.subscribe(show);

step('start signed in as alice: empty cache → one request');
sync.start();
await sleep(150);

step('focus storm: 10 focus events inside dedupeMs cost nothing extra');
for (let i = 0; i < 10; i++) sync.send({ type: 'FOCUS' });
await sleep(100);

step('socket connects → one catch-up request; then a debit is pushed');
socket.next({ type: 'SOCKET.CONNECTED' });
await sleep(150);
socket.next({ type: 'SOCKET.BALANCE_UPDATED', ...ledger.debit('alice', 20) });
await sleep(50);

step('a malformed push and one for another user are rejected, never shown');
socket.next({
  type: 'SOCKET.BALANCE_UPDATED',
  userId: 'alice',
  balance: Number.NaN,
} as BalanceEvent);
socket.next({ type: 'SOCKET.BALANCE_UPDATED', userId: 'bob', balance: 999_999, version: 99 });
await sleep(50);

step('socket drops → the TTL takes over again');
socket.next({ type: 'SOCKET.DISCONNECTED' });
await sleep(1_000);

step('switch to bob: the snapshot belongs to bob at once, never alice for a frame');
sync.setUser('bob');
await sleep(150);

step('invalidate(): every layer and target cleared, then refetched');
sync.addInvalidationTarget('legacy-profile-cache', () => undefined);
const report = await sync.invalidate({ reason: 'own debit' });
console.log(
  `  report: ok=${report.ok}, layers=${report.layers.map((l) => l.name).join('+')}, targets=${report.targets.map((t) => t.name).join('+')}`,
);
await sleep(150);

step('sign out: state cleared and bob purged from the cache');
sync.setUser(null);
await sleep(50);
sync.stop();

const metrics = sync.metrics();
console.log(
  `\nrequests: ${ledger.requests}, deduped: ${metrics.deduped}, rejected inputs: ${metrics.rejected}, invalidations: ${metrics.invalidations}`,
);
console.log('Run the tests with: npm test');
