'use client';
import {
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
} from 'react';
import { BalanceSyncContext } from '../react/context.js';
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
  /** How many recent events to keep: a whole number, 0 or more. @default 25 */
  limit?: number;
}

/**
 * The sync's clock (its `now` option: a simulated clock in tests and stories), read every
 * `intervalMs`; `null` until mounted, so a server render and its hydration agree.
 */
function useNow(clock: () => number, intervalMs: number): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(clock());
    const timer = setInterval(() => setNow(clock()), intervalMs);
    return () => clearInterval(timer);
  }, [clock, intervalMs]);
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
 * A small panel for development: every region's state, the sync's value as it holds it (its user
 * too, even where a provider's hooks show "no value" for theirs), its freshness (with an
 * expiry countdown), recent events and the state each led to, metrics, and buttons that send
 * events. Import it from `balance-sync/devtools`, so production bundles can leave it out.
 */
export function BalanceDevtools(props: BalanceDevtoolsProps): ReactNode {
  const fromContext = useContext(BalanceSyncContext);
  const sync = props.sync ?? fromContext;
  if (sync === null)
    throw new Error('BalanceDevtools needs a `sync` prop or a <BalanceSyncProvider>');
  const limit = props.limit ?? 25;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new TypeError(
      `BalanceDevtools: \`limit\` must be a whole number, 0 or more (got ${limit})`,
    );
  }
  return (
    <BalanceSyncContext.Provider value={sync}>
      <Panel sync={sync} limit={limit} />
    </BalanceSyncContext.Provider>
  );
}

function Panel({ sync, limit }: { sync: BalanceSync; limit: number }): ReactNode {
  // The sync's own state, not the hooks' guarded view: below a provider whose user the sync
  // has left (a switch in another tab, this panel's own button), the panel says who it holds.
  const subscribe = useCallback((onChange: () => void) => sync.subscribe(() => onChange()), [sync]);
  const state: BalanceState = useSyncExternalStore(
    subscribe,
    () => sync.getSnapshot(),
    () => sync.getServerSnapshot(),
  );
  const { snapshot, log } = useMachineView(sync, limit);
  const now = useNow(snapshot.context.now, 250);
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
