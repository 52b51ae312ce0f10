/**
 * balance-sync with its defaults: window and cross-tab sources, the socket held by the leader tab
 * (`crossTabSource({ push })`, as the library recommends), default cache layers.
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import {
  createBalanceSync,
  crossTabSource,
  fromSocketEvents,
  windowSource,
} from '../../src/index.js';
import { BalanceSyncProvider, useBalance } from '../../src/react/index.js';
import { EnvContext, type MountApp, range, useEnv } from './contract.js';

function Subscriber({ index }: { index: number }) {
  const { Shown } = useEnv();
  const { balance } = useBalance();
  return <Shown subscriber={index} balance={balance} />;
}

export const mountApp: MountApp = (env, userId) => {
  const sync = createBalanceSync({
    fetchBalance: ({ userId: id, signal }) => env.fetchBalance(id, signal),
    userId,
    sources: [
      windowSource({ window: () => env.tab.window }),
      // One push connection per browser: the leader tab holds the socket, the others follow it.
      crossTabSource({
        push: fromSocketEvents(env.socket),
        broadcastChannel: () => env.BroadcastChannel,
        locks: () => env.locks,
      }),
    ],
    logger: false,
  });
  const root = createRoot(env.tab.container);
  flushSync(() =>
    root.render(
      <EnvContext.Provider value={env}>
        <BalanceSyncProvider sync={sync}>
          {range(env.subscribers).map((i) => (
            <Subscriber key={i} index={i} />
          ))}
        </BalanceSyncProvider>
      </EnvContext.Provider>,
    ),
  );
  return {
    setUser: (id) => sync.setUser(id),
    unmount: () => root.unmount(),
  };
};
