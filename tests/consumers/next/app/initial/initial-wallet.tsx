'use client';
import { BalanceSyncProvider, useBalance } from 'balance-sync/react';

// A request that never answers: what is on screen comes from the initialData alone.
const fetchBalance = () => new Promise<never>(() => {});

function Balance() {
  const { balance, isStale } = useBalance();
  // Staleness in the text too: production React reports text mismatches, not attribute ones.
  return (
    <p data-testid="balance" className={isStale ? 'stale' : undefined}>
      {balance === null ? 'loading' : `${balance} tokens${isStale ? ' (stale)' : ''}`}
    </p>
  );
}

export function InitialWallet({
  userId,
  initialData,
}: {
  userId: string;
  initialData: { balance: number; receivedAt: number };
}) {
  return (
    <BalanceSyncProvider options={{ userId, fetchBalance, initialData }}>
      <Balance />
    </BalanceSyncProvider>
  );
}
