/**
 * TanStack Query configured like the incident fix: staleTime 30000, refetchOnWindowFocus,
 * refetchInterval 30000, socket → `setQueryData`. The tab's window reaches its focusManager
 * and onlineManager through their documented `setEventListener` (this bundle is loaded once
 * per tab, so these singletons are the tab's own).
 */
import {
  focusManager,
  onlineManager,
  QueryClient,
  QueryClientProvider,
  useQuery,
} from '@tanstack/react-query';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { EnvContext, type MountApp, type PushMessage, range, useEnv } from './contract.js';

function Subscriber({ index, userId }: { index: number; userId: string }) {
  const env = useEnv();
  const { data } = useQuery({
    queryKey: ['token-balance', userId],
    queryFn: ({ signal }) => env.fetchBalance(userId, signal),
  });
  return <env.Shown subscriber={index} balance={data?.balance ?? null} />;
}

export const mountApp: MountApp = (env, initialUser) => {
  const win = env.tab.window;
  const doc = win.document;
  focusManager.setEventListener((setFocused) => {
    const onVisibility = () => setFocused(doc.visibilityState !== 'hidden');
    onVisibility();
    doc.addEventListener('visibilitychange', onVisibility);
    return () => doc.removeEventListener('visibilitychange', onVisibility);
  });
  onlineManager.setEventListener((setOnline) => {
    const onOnline = () => setOnline(true);
    const onOffline = () => setOnline(false);
    win.addEventListener('online', onOnline);
    win.addEventListener('offline', onOffline);
    return () => {
      win.removeEventListener('online', onOnline);
      win.removeEventListener('offline', onOffline);
    };
  });
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, refetchOnWindowFocus: true, refetchInterval: 30_000 },
    },
  });
  const onPush = (...args: unknown[]) => {
    const message = args[0] as PushMessage;
    queryClient.setQueryData(['token-balance', message.userId], message);
  };
  env.socket.on('token-balance-updated', onPush);

  const root = createRoot(env.tab.container);
  const render = (userId: string) =>
    flushSync(() =>
      root.render(
        <EnvContext.Provider value={env}>
          <QueryClientProvider client={queryClient}>
            {range(env.subscribers).map((i) => (
              <Subscriber key={i} index={i} userId={userId} />
            ))}
          </QueryClientProvider>
        </EnvContext.Provider>,
      ),
    );
  render(initialUser);
  return {
    setUser: render,
    unmount: () => {
      root.unmount();
      env.socket.off('token-balance-updated', onPush);
      queryClient.clear();
      focusManager.setEventListener(() => undefined);
      onlineManager.setEventListener(() => undefined);
    },
  };
};
