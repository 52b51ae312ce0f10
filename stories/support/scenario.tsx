/** The stage every scenario story renders: a balance widget, the cache layers, the devtools. */
import { type ReactNode, useEffect, useState } from 'react';
import { indexedDbCache } from '../../src/cache/indexed-db.js';
import type { CacheLayer } from '../../src/cache/layer.js';
import { localStorageCache } from '../../src/cache/local-storage.js';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { BalanceDevtools } from '../../src/devtools/index.js';
import { BalanceSyncProvider, useBalance } from '../../src/react/index.js';
import type { BalanceSync, BalanceSyncOptions } from '../../src/types.js';
import { ScriptedServer } from './scripted-server.js';

export interface Scenario {
  server: ScriptedServer;
  sync: BalanceSync;
  layers: CacheLayer[];
  keyPrefix: string;
  /** Every balance the widget ever rendered, with the user it rendered for. */
  rendered: { userId: string | null; balance: number | null }[];
}

const live: BalanceSync[] = [];
let count = 0;

/** A fresh sync per story with its own keys and database, so stories cannot see each other. */
export function createScenario(options: Partial<BalanceSyncOptions> = {}): Scenario {
  const server = new ScriptedServer();
  const keyPrefix = `story${++count}-${Date.now()}`;
  const layers = [memoryCache(), localStorageCache(), indexedDbCache({ dbName: keyPrefix })];
  const sync = createBalanceSync({
    fetchBalance: server.fetchBalance,
    userId: 'alice',
    keyPrefix,
    legacyKeys: [keyPrefix],
    cache: layers,
    logger: false,
    ...options,
  });
  live.push(sync);
  return { server, sync, layers, keyPrefix, rendered: [] };
}

/** Stops every sync a story created (Storybook calls it between stories). */
export function stopScenarios(): void {
  for (const sync of live.splice(0)) sync.stop();
}

function Widget({ scenario }: { scenario: Scenario }): ReactNode {
  const { balance, status, isStale, isFetching, error, userId } = useBalance();
  scenario.rendered.push({ userId, balance });
  return (
    <div style={{ font: '15px system-ui', marginBottom: 12 }}>
      <div>
        user <strong data-testid="widget-user">{userId ?? '—'}</strong> · status{' '}
        <strong data-testid="widget-status">{status}</strong>
      </div>
      <div style={{ fontSize: 32 }} data-testid="widget-balance">
        {balance ?? '…'}
      </div>
      <div data-testid="widget-flags">
        {[isStale && 'stale', isFetching && 'fetching', error && `error: ${error.message}`]
          .filter(Boolean)
          .join(' · ')}
      </div>
    </div>
  );
}

/** What each cache layer holds for the signed-in user, re-read twice a second. */
function Layers({ scenario }: { scenario: Scenario }): ReactNode {
  const [rows, setRows] = useState<string[]>([]);
  useEffect(() => {
    const read = async () => {
      const userId = scenario.sync.getSnapshot().userId ?? 'alice';
      const next = await Promise.all(
        scenario.layers.map(async (layer) => {
          const entry = (await layer.read(userId, { keyPrefix: scenario.keyPrefix })) as {
            data?: { balance?: number };
          } | null;
          return `${layer.name}: ${entry?.data?.balance ?? 'empty'}`;
        }),
      );
      setRows(next);
    };
    void read();
    const timer = setInterval(() => void read(), 100);
    return () => clearInterval(timer);
  }, [scenario]);
  return (
    <ul data-testid="layers" style={{ font: '13px ui-monospace, monospace', paddingLeft: 16 }}>
      {rows.map((row) => (
        <li key={row}>{row}</li>
      ))}
    </ul>
  );
}

export function ScenarioView({
  scenario,
  children,
}: {
  scenario: Scenario;
  children?: ReactNode;
}): ReactNode {
  return (
    <BalanceSyncProvider sync={scenario.sync}>
      <div style={{ display: 'flex', gap: 24, alignItems: 'flex-start' }}>
        <div style={{ minWidth: 280 }}>
          <Widget scenario={scenario} />
          <Layers scenario={scenario} />
          {children}
        </div>
        <BalanceDevtools limit={8} />
      </div>
    </BalanceSyncProvider>
  );
}
