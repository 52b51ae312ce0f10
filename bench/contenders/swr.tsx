/**
 * SWR configured as the incident fix did: dedupingInterval 1000, revalidateOnFocus,
 * refreshInterval 30000, keepPreviousData false, and a socket handler calling `mutate`.
 * The tab's window comes in through SWR's own environment options (`initFocus`,
 * `initReconnect`, `isVisible`, `isOnline`), which mirror its web preset.
 */
import { useEffect } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import useSWR, { SWRConfig, type SWRConfiguration, useSWRConfig } from 'swr';
import { EnvContext, type MountApp, type PushMessage, range, useEnv } from './contract.js';

const incidentConfig = {
  dedupingInterval: 1_000,
  revalidateOnFocus: true,
  refreshInterval: 30_000,
  keepPreviousData: false,
} satisfies SWRConfiguration;

function Subscriber({ index, userId }: { index: number; userId: string }) {
  const env = useEnv();
  const { data } = useSWR(
    ['token-balance', userId],
    () => env.fetchBalance(userId),
    incidentConfig,
  );
  return <env.Shown subscriber={index} balance={data?.balance ?? null} />;
}

function SocketBridge() {
  const env = useEnv();
  const { mutate } = useSWRConfig();
  useEffect(() => {
    const onPush = (...args: unknown[]) => {
      const message = args[0] as PushMessage;
      void mutate(['token-balance', message.userId], message, { revalidate: false });
    };
    env.socket.on('token-balance-updated', onPush);
    return () => {
      env.socket.off('token-balance-updated', onPush);
    };
  }, [env, mutate]);
  return null;
}

export const mountApp: MountApp = (env, initialUser) => {
  const win = env.tab.window;
  const doc = win.document;
  let online = true;
  const tabEnvironment: SWRConfiguration = {
    provider: () => new Map(),
    isVisible: () => doc.visibilityState !== 'hidden',
    isOnline: () => online,
    initFocus(callback) {
      doc.addEventListener('visibilitychange', callback);
      win.addEventListener('focus', callback);
      return () => {
        doc.removeEventListener('visibilitychange', callback);
        win.removeEventListener('focus', callback);
      };
    },
    initReconnect(callback) {
      const onOnline = () => {
        online = true;
        callback();
      };
      const onOffline = () => {
        online = false;
      };
      win.addEventListener('online', onOnline);
      win.addEventListener('offline', onOffline);
      return () => {
        win.removeEventListener('online', onOnline);
        win.removeEventListener('offline', onOffline);
      };
    },
  };
  const root = createRoot(env.tab.container);
  const render = (userId: string) =>
    flushSync(() =>
      root.render(
        <EnvContext.Provider value={env}>
          <SWRConfig value={tabEnvironment}>
            <SocketBridge />
            {range(env.subscribers).map((i) => (
              <Subscriber key={i} index={i} userId={userId} />
            ))}
          </SWRConfig>
        </EnvContext.Provider>,
      ),
    );
  render(initialUser);
  return { setUser: render, unmount: () => root.unmount() };
};
