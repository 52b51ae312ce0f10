'use client';
import { type ReactNode, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { BalanceSyncContext } from '../react/context.js';
import { useBalanceSelector } from '../react/use-balance-selector.js';
import type { BalanceState, BalanceSync } from '../types.js';
import { Controls } from './controls.js';
import { styles } from './styles.js';
import { describeStateValue, useMachineView } from './use-machine-view.js';

/** The props of `<BalanceDevtools>`. */
export interface BalanceDevtoolsProps {
  /**
   * The sync to show; without it, the one of the nearest `<BalanceSyncProvider>`.
   * @default the provider's sync
   */
  sync?: BalanceSync;
  /** How many recent events to keep. @default 25 */
  limit?: number;
}

const same = (a: BalanceState, b: BalanceState) => a === b;

/** The clock, ticking; `null` until mounted, so a server render and its hydration agree. */
function useNow(intervalMs: number): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

const noSubscription = () => () => {};

/**
 * False in a server render and in the hydration that must match it, true once mounted (and at
 * once in a client-only render): what the panel shows (metrics per cache layer, the chart's
 * state, the clock) differs between a server and a browser, so it is shown only in the browser.
 */
const useMounted = (): boolean =>
  useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

const time = (at: number) => new Date(at).toISOString().slice(11, 23);

function Row({ name, children }: { name: string; children: ReactNode }): ReactNode {
  return (
    <tr>
      <td style={styles.key}>{name}</td>
      <td style={styles.value}>{children}</td>
    </tr>
  );
}

/**
 * A small panel for development: every region's state, the value and its freshness (with an
 * expiry countdown), recent events and the state each led to, metrics, and buttons that send
 * events. Import it from `balance-sync/devtools`, so production bundles can leave it out.
 */
export function BalanceDevtools(props: BalanceDevtoolsProps): ReactNode {
  const fromContext = useContext(BalanceSyncContext);
  const sync = props.sync ?? fromContext;
  if (sync === null)
    throw new Error('BalanceDevtools needs a `sync` prop or a <BalanceSyncProvider>');
  return (
    <BalanceSyncContext.Provider value={sync}>
      <Panel sync={sync} limit={props.limit ?? 25} />
    </BalanceSyncContext.Provider>
  );
}

function Panel({ sync, limit }: { sync: BalanceSync; limit: number }): ReactNode {
  const state = useBalanceSelector((s) => s, same);
  const { snapshot, log } = useMachineView(sync, limit);
  const now = useNow(250);
  const mounted = useMounted();
  if (!mounted) {
    return (
      <section style={styles.panel} aria-label="balance-sync devtools">
        <h2 style={styles.title}>balance-sync</h2>
      </section>
    );
  }
  const metrics = sync.metrics();
  const expiresIn =
    state.expiresAt === null || now === null ? null : Math.max(0, state.expiresAt - now);
  const regions = describeStateValue(snapshot.value).split(' · ');
  return (
    <section style={styles.panel} aria-label="balance-sync devtools">
      <h2 style={styles.title}>balance-sync</h2>
      <div>
        {regions.map((region) => (
          <span key={region} style={styles.region} data-testid="region">
            {region}
          </span>
        ))}
      </div>
      <h3 style={styles.section}>value</h3>
      <table style={styles.table}>
        <tbody>
          <Row name="user">{state.userId ?? '—'}</Row>
          <Row name="balance">
            <span style={state.isStale ? styles.stale : undefined} data-testid="balance">
              {state.balance ?? '—'}
            </span>
            {state.isStale ? ' (stale)' : ''}
            {state.isFetching ? ' (fetching)' : ''}
          </Row>
          <Row name="version">{state.version ?? '—'}</Row>
          <Row name="source">{state.source ?? '—'}</Row>
          <Row name="expires in">
            {expiresIn !== null
              ? `${(expiresIn / 1000).toFixed(1)} s`
              : state.balance === null
                ? '—'
                : state.expiresAt === null
                  ? 'never'
                  : '…'}
          </Row>
          <Row name="error">
            <span style={styles.error}>
              {state.error === null ? '—' : `${state.error.kind}: ${state.error.message}`}
            </span>
          </Row>
        </tbody>
      </table>
      <h3 style={styles.section}>metrics</h3>
      <table style={styles.table}>
        <tbody>
          <Row name="requests">
            {metrics.fetches} ({metrics.fetchErrors} failed, {metrics.deduped} deduped,{' '}
            {metrics.discarded} discarded)
          </Row>
          <Row name="socket / rejected">
            {metrics.socketEvents} / {metrics.rejected}
          </Row>
          <Row name="invalidations">{metrics.invalidations}</Row>
          <Row name="cache hits">
            {Object.entries(metrics.layers)
              .map(
                ([name, layer]) =>
                  `${name} ${layer.hits}/${layer.hits + layer.misses + layer.expired}`,
              )
              .join(' · ')}
          </Row>
        </tbody>
      </table>
      <h3 style={styles.section}>events</h3>
      <ol style={styles.log} data-testid="events">
        {log
          .slice()
          .reverse()
          .map((entry) => (
            <li key={entry.id} style={styles.logItem}>
              <span style={styles.time}>{time(entry.at)}</span>
              {entry.event} → {entry.to}
            </li>
          ))}
      </ol>
      <h3 style={styles.section}>send</h3>
      <Controls sync={sync} />
    </section>
  );
}
