import { useBalance, useBalanceSelector } from 'balance-sync/react';

export function Balance() {
  const { balance } = useBalance();
  const source = useBalanceSelector((state) => state.source);
  return (
    <p data-testid="balance" data-source={source ?? 'none'}>
      {balance === null ? 'loading' : `${balance} tokens`}
    </p>
  );
}
