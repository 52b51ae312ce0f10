/**
 * The React side of the surface property test: a provider in one of its forms and components
 * that use `useBalance()` and `useBalanceSelector()` with selectors and compare functions that
 * change between renders. Every render reports what it returned together with the user the
 * provider had at that render and the sync's snapshot at that moment; every commit reports what
 * is on screen.
 */
import { Component, memo, type ReactNode, useCallback, useLayoutEffect } from 'react';
import {
  BalanceSyncProvider,
  useBalance,
  useBalanceSelector,
  useBalanceSync,
} from '../../../src/react/index.js';
import type { BalanceState, BalanceSync, BalanceSyncOptions } from '../../../src/types.js';
import type { CompareKind, CompSpec } from './actions.js';
import type { UserArg } from './world.js';

type Selected = number | null;
type Compare = (a: Selected, b: Selected) => boolean;

/** The user the provider was given at a render: an id, `null`, or none (the app sets it). */
export type ProviderUser = string | null | 'uncontrolled';

export interface RenderRecord {
  comp: number;
  kind: CompSpec['kind'];
  sync: BalanceSync;
  providerUser: ProviderUser;
  /** `sync.getSnapshot()` during the render. */
  snap: BalanceState;
  /** useBalance: what it returned (`userId` only when the component reads it). */
  balance?: Selected;
  userId?: string | null;
  /** useBalanceSelector: what it returned, with the selector's rate and the compare passed. */
  value?: Selected;
  rate?: number;
  compare?: Compare;
}

export interface Sink {
  /** Every render of a balance component, committed or not. */
  render(record: RenderRecord): void;
  /** What a component shows after a commit. */
  commit(record: RenderRecord): void;
  /** The sync the provider gives (a provider-owned one is only known this way). */
  adopt(sync: BalanceSync): void;
  error(error: unknown): void;
}

export const near: Compare = (a, b) => a === b || (a !== null && b !== null && Math.abs(a - b) < 1);
const coarse: Compare = (a, b) => Math.floor((a ?? 0) / 1e9) === Math.floor((b ?? 0) / 1e9);

function compareFor(kind: CompareKind): Compare {
  switch (kind) {
    case 'is':
      return Object.is;
    case 'near':
      return near;
    case 'inlineEq':
      // A new function on every render, as an inline arrow is.
      return (a, b) => a === b;
    case 'coarse':
      return coarse;
  }
}

export const select = (rate: number) => (state: BalanceState) =>
  state.balance === null ? null : state.balance * rate;

export interface Ui {
  form: 'sync' | 'options';
  /** `form: 'sync'`: the sync given to the provider. */
  sync: BalanceSync | null;
  user: UserArg | 'omit';
  comps: CompSpec[];
  /** `form: 'options'`: options of the sync the provider creates (its `userId` follows `user`). */
  options: BalanceSyncOptions;
}

export const providerUserOf = (ui: Ui): ProviderUser =>
  ui.form === 'sync' && ui.user === 'omit'
    ? 'uncontrolled'
    : ui.user === 'omit'
      ? null
      : (ui.user ?? null);

function BalanceView({
  id,
  spec,
  providerUser,
  sink,
}: {
  id: number;
  spec: CompSpec;
  providerUser: ProviderUser;
  sink: Sink;
}) {
  const sync = useBalanceSync();
  const result = useBalance();
  const balance = result.balance;
  // Reads userId only when not `stable`: the tracked fields differ between the two.
  const userId = spec.stable ? undefined : result.userId;
  const record: RenderRecord = {
    comp: id,
    kind: spec.kind,
    sync,
    providerUser,
    snap: sync.getSnapshot(),
    balance,
    ...(userId === undefined ? {} : { userId }),
  };
  sink.render(record);
  useLayoutEffect(() => {
    sink.commit(record);
  });
  return <span>{`${userId ?? '?'}:${balance}`}</span>;
}

function SelectorView({
  id,
  spec,
  providerUser,
  sink,
}: {
  id: number;
  spec: CompSpec;
  providerUser: ProviderUser;
  sink: Sink;
}) {
  const sync = useBalanceSync();
  const { rate } = spec;
  const stableSelector = useCallback((state: BalanceState) => select(rate)(state), [rate]);
  const selector = spec.stable ? stableSelector : select(rate);
  const compare = compareFor(spec.compare);
  const value = useBalanceSelector(selector, compare);
  const record: RenderRecord = {
    comp: id,
    kind: spec.kind,
    sync,
    providerUser,
    snap: sync.getSnapshot(),
    value,
    rate,
    compare,
  };
  sink.render(record);
  useLayoutEffect(() => {
    sink.commit(record);
  });
  return <span>{String(value)}</span>;
}

/** Tells the test which sync the provider gives, before any component below renders. */
function Adopt({ sink }: { sink: Sink }) {
  sink.adopt(useBalanceSync());
  return null;
}

class Boundary extends Component<{ sink: Sink; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: unknown) {
    this.props.sink.error(error);
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

/** The user the provider has at the current render, for components that get no props. */
export interface Env {
  providerUser: ProviderUser;
}

/**
 * A memoised component with props that never change: it re-renders only through the sync's
 * subscription and the provider's context, never because its parent did.
 */
const MemoBalance = memo(function MemoBalance({ env, sink }: { env: Env; sink: Sink }) {
  const sync = useBalanceSync();
  const { balance, userId } = useBalance();
  const record: RenderRecord = {
    comp: 3,
    kind: 'memo',
    sync,
    providerUser: env.providerUser,
    snap: sync.getSnapshot(),
    balance,
    userId,
  };
  sink.render(record);
  useLayoutEffect(() => {
    sink.commit(record);
  });
  return <span>{`${userId}:${balance}`}</span>;
});

export function App({ ui, sink, env }: { ui: Ui; sink: Sink; env: Env }) {
  const providerUser = providerUserOf(ui);
  env.providerUser = providerUser;
  const slot = (id: number) => {
    const spec = ui.comps[id];
    if (spec === undefined || !spec.mounted) return null;
    if (spec.kind === 'memo') return <MemoBalance env={env} sink={sink} />;
    const props = { id, spec, providerUser, sink };
    return spec.kind === 'selector' ? <SelectorView {...props} /> : <BalanceView {...props} />;
  };
  // Fixed positions: a component keeps its state while the others mount and unmount.
  const children = (
    <>
      <Adopt sink={sink} />
      {slot(0)}
      {slot(1)}
      {slot(2)}
      {slot(3)}
    </>
  );
  if (ui.form === 'options') {
    // `userId: session?.userId`: the key is there, the value may be undefined.
    const userId = ui.user === 'omit' ? undefined : ui.user;
    return (
      <Boundary sink={sink}>
        <BalanceSyncProvider options={{ ...ui.options, userId }}>{children}</BalanceSyncProvider>
      </Boundary>
    );
  }
  const sync = ui.sync as BalanceSync;
  return (
    <Boundary sink={sink}>
      {ui.user === 'omit' ? (
        <BalanceSyncProvider sync={sync}>{children}</BalanceSyncProvider>
      ) : (
        <BalanceSyncProvider sync={sync} userId={ui.user}>
          {children}
        </BalanceSyncProvider>
      )}
    </Boundary>
  );
}
