/**
 * The three contenders of the frame → DOM run, each as its users wire a WebSocket push:
 * balance-sync through `websocketSource`, SWR through `mutate`, TanStack Query through
 * `setQueryData`. The naive baseline has no push path, so it is not in this run.
 */
import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ComponentType, type ReactElement, useEffect, useState } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { createBalanceSync, websocketSource, windowSource } from '../../src/index.js';
import { BalanceSyncProvider, useBalance } from '../../src/react/index.js';

const userId = 'alice';
const wsUrl = `ws://${location.host}/ws`;
const fetchBalance = () =>
  fetch('/api/balance').then((r) => r.json() as Promise<{ balance: number; version: number }>);

const Shown = ({ index, balance }: { index: number; balance: number | null | undefined }) => (
  <span data-subscriber={index}>{balance ?? '…'}</span>
);

const list = (count: number, render: (i: number) => ReactElement) =>
  Array.from({ length: count }, (_, i) => render(i));

/** A page-owned socket for the peers, as apps wire one to their cache. */
function usePushes(onPush: (message: { balance: number; version: number }) => void) {
  useEffect(() => {
    const socket = new WebSocket(wsUrl);
    socket.onmessage = (event) => onPush(JSON.parse(String(event.data)));
    return () => socket.close();
  }, [onPush]);
}

function SyncSubscriber({ index }: { index: number }) {
  return <Shown index={index} balance={useBalance().balance} />;
}

function BalanceSyncApp({ subscribers }: { subscribers: number }) {
  const [sync] = useState(() =>
    createBalanceSync({
      fetchBalance,
      userId,
      sources: [windowSource(), websocketSource({ url: wsUrl })],
      logger: false,
    }),
  );
  return (
    <BalanceSyncProvider sync={sync}>
      {list(subscribers, (i) => (
        <SyncSubscriber key={i} index={i} />
      ))}
    </BalanceSyncProvider>
  );
}

const swrConfig = {
  dedupingInterval: 1_000,
  revalidateOnFocus: true,
  refreshInterval: 30_000,
  keepPreviousData: false,
};

function SwrSubscriber({ index }: { index: number }) {
  const { data } = useSWR(['token-balance', userId], fetchBalance, swrConfig);
  return <Shown index={index} balance={data?.balance} />;
}

function SwrPushes() {
  const { mutate } = useSWRConfig();
  const [onPush] = useState(
    () => (message: unknown) =>
      void mutate(['token-balance', userId], message, { revalidate: false }),
  );
  usePushes(onPush);
  return null;
}

function SwrApp({ subscribers }: { subscribers: number }) {
  return (
    <>
      <SwrPushes />
      {list(subscribers, (i) => (
        <SwrSubscriber key={i} index={i} />
      ))}
    </>
  );
}

function QuerySubscriber({ index }: { index: number }) {
  const { data } = useQuery({ queryKey: ['token-balance', userId], queryFn: fetchBalance });
  return <Shown index={index} balance={data?.balance} />;
}

function QueryPushes() {
  const client = useQueryClient();
  const [onPush] = useState(
    () => (message: unknown) => client.setQueryData(['token-balance', userId], message),
  );
  usePushes(onPush);
  return null;
}

function QueryApp({ subscribers }: { subscribers: number }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 30_000, refetchOnWindowFocus: true, refetchInterval: 30_000 },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <QueryPushes />
      {list(subscribers, (i) => (
        <QuerySubscriber key={i} index={i} />
      ))}
    </QueryClientProvider>
  );
}

export const contenders: Record<string, ComponentType<{ subscribers: number }>> = {
  'balance-sync': BalanceSyncApp,
  swr: SwrApp,
  'tanstack-query': QueryApp,
};
