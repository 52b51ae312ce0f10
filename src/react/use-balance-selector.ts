'use client';
import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { BalanceState } from '../types.js';
import { useBalanceSync } from './context.js';

/**
 * A slice of the balance state; the component re-renders only when the slice changes
 * (`compare`, default `Object.is`). Built on useSyncExternalStore, so there is no tearing
 * under concurrent rendering, and the server snapshot is the sync's current state.
 */
export function useBalanceSelector<T>(
  selector: (state: BalanceState) => T,
  compare: (a: T, b: T) => boolean = Object.is,
): T {
  const sync = useBalanceSync();
  const last = useRef<{ state: BalanceState; selected: T } | null>(null);
  const subscribe = useCallback((onChange: () => void) => sync.subscribe(() => onChange()), [sync]);
  const getSelected = (): T => {
    const state = sync.getSnapshot();
    const previous = last.current;
    if (previous !== null && previous.state === state) return previous.selected;
    const selected = selector(state);
    // Keep the previous object when equal, so React bails out of the render.
    const stable =
      previous !== null && compare(previous.selected, selected) ? previous.selected : selected;
    last.current = { state, selected: stable };
    return stable;
  };
  return useSyncExternalStore(subscribe, getSelected, getSelected);
}
