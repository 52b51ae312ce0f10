'use client';
import { useCallback, useMemo, useRef, useSyncExternalStore } from 'react';
import { noValueState } from '../core/no-value-state.js';
import type { BalanceState } from '../types.js';
import { useBalanceSync, useControlledUserOf } from './context.js';

interface Memo<T> {
  state: BalanceState;
  selector: (state: BalanceState) => T;
  compare: (a: T, b: T) => boolean;
  selected: T;
}

/**
 * The one subscription every hook is built on (`useSyncExternalStore`):
 * - the state a component sees is the sync's, unless it belongs to another user than the
 *   provider's current one (the render between a `userId` change and the effect that applies
 *   it, or a sync another tab moved): then "no value" for the provider's user (invariant 1, not
 *   for one render). Only the provider's own sync: another one given below it has a user of its own;
 * - the server render and hydration use the sync's server snapshot (no cached value), so the
 *   client's first render matches the server's HTML; the cached value follows right after;
 * - a new selector or compare function takes effect on the render that passes it, and an equal
 *   selection keeps its previous object so React bails out.
 * `latest()` is the state the last selection was made from, for fields read lazily, masked
 * against the provider's user of the render that returned it: React may run the previous
 * render's `getSnapshot` after this render (a child's layout effect makes the sync emit before
 * the provider's own effect applies the new user), and that one masks against the previous user.
 */
export function useSelectedState<T>(
  selector: (state: BalanceState) => T,
  compare: (a: T, b: T) => boolean,
): { selected: T; latest: () => BalanceState | null } {
  const sync = useBalanceSync();
  const controlled = useControlledUserOf(sync);
  const providerUser = controlled?.userId;
  // Before the provider's commit applies its user, "no value" is a load on its way; after it,
  // the sync was moved to another user (another tab, `sync.setUser`) and nothing comes: `idle`.
  const placeholders = useMemo(
    () =>
      providerUser === undefined
        ? null
        : { loading: noValueState(providerUser), left: noValueState(providerUser, 'idle') },
    [providerUser],
  );
  const memo = useRef<Memo<T> | null>(null);
  const lastShown = useRef<BalanceState | null>(null);
  const subscribe = useCallback((onChange: () => void) => sync.subscribe(() => onChange()), [sync]);

  const forProvider = useCallback(
    (state: BalanceState): BalanceState => {
      if (placeholders === null || state.userId === providerUser) return state;
      return controlled?.applied() === true ? placeholders.left : placeholders.loading;
    },
    [placeholders, providerUser, controlled],
  );
  const latest = useCallback(
    () => (lastShown.current === null ? null : forProvider(lastShown.current)),
    [forProvider],
  );

  const select = (state: BalanceState): T => {
    const shown = forProvider(state);
    lastShown.current = shown;
    const last = memo.current;
    if (
      last !== null &&
      last.state === shown &&
      last.selector === selector &&
      last.compare === compare
    ) {
      return last.selected;
    }
    const next = selector(shown);
    // An equal selection keeps its object, but never across users: `compare` may call two users'
    // values equal, and a component must not keep showing the previous one's (invariant 1).
    const sameUser = last !== null && last.state.userId === shown.userId;
    const selected =
      last !== null && sameUser && compare(last.selected, next) ? last.selected : next;
    memo.current = { state: shown, selector, compare, selected };
    return selected;
  };
  const selected = useSyncExternalStore(
    subscribe,
    () => select(sync.getSnapshot()),
    () => select(sync.getServerSnapshot()),
  );
  return { selected, latest };
}
