'use client';
import { BalanceSyncProvider, useBalance, useBalanceSelector } from 'balance-sync/react';
import { useLayoutEffect } from 'react';

const token = 'alice-token';

// Same-origin: next.config.mjs rewrites /api to the reference server.
async function fetchBalance({ signal }: { signal: AbortSignal }) {
  const response = await fetch('/api/auth/token-balance', {
    headers: { authorization: `Bearer ${token}` },
    signal,
  });
  if (!response.ok) throw new Error(`balance: HTTP ${response.status}`);
  return (await response.json()) as { balance: number; version?: number };
}

function Balance() {
  const { balance } = useBalance();
  const source = useBalanceSelector((state) => state.source);
  // Probe for the tests: layout effects of the first commit run when hydration commits.
  useLayoutEffect(() => {
    const probe = window as { hydratedAt?: number };
    probe.hydratedAt ??= performance.now();
  }, []);
  return (
    <p data-testid="balance" data-source={source ?? 'none'}>
      {balance === null ? 'loading' : `${balance} tokens`}
    </p>
  );
}

export function Wallet() {
  return (
    <BalanceSyncProvider options={{ userId: 'alice', fetchBalance }}>
      <Balance />
    </BalanceSyncProvider>
  );
}
