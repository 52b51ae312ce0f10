/**
 * The baseline apps start from: each component fetches on mount and on window focus, keeps
 * the result in its own state, no cache, no request sharing, pushes not wired, nothing
 * cancelled on a user switch (the old value stays until the new one lands).
 */
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { EnvContext, type MountApp, range, useEnv } from './contract.js';

function Subscriber({ index, userId }: { index: number; userId: string }) {
  const env = useEnv();
  const [balance, setBalance] = useState<number | null>(null);
  useEffect(() => {
    const win = env.tab.window;
    const load = () => {
      env.fetchBalance(userId).then(
        (payload) => setBalance(payload.balance),
        () => {},
      );
    };
    load();
    win.addEventListener('focus', load);
    return () => win.removeEventListener('focus', load);
  }, [env, userId]);
  return <env.Shown subscriber={index} balance={balance} />;
}

export const mountApp: MountApp = (env, initialUser) => {
  const root = createRoot(env.tab.container);
  const render = (userId: string) =>
    flushSync(() =>
      root.render(
        <EnvContext.Provider value={env}>
          {range(env.subscribers).map((i) => (
            <Subscriber key={i} index={i} userId={userId} />
          ))}
        </EnvContext.Provider>,
      ),
    );
  render(initialUser);
  return { setUser: render, unmount: () => root.unmount() };
};
