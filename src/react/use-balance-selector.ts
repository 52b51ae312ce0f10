'use client';
import type { BalanceState } from '../types.js';
import { useSelectedState } from './use-selected-state.js';

/**
 * A slice of the balance state; the component re-renders only when the slice changes
 * (`compare`, default `Object.is`). A new `selector` or `compare` (an inline function that
 * closes over props, say) takes effect on the render that passes it. Built on
 * useSyncExternalStore: no tearing under concurrent rendering, and a server snapshot for SSR.
 *
 * @example
 * ```tsx
 * import { useBalanceSelector } from 'balance-sync/react';
 *
 * function InEuros({ rate }: { rate: number }) {
 *   const euros = useBalanceSelector((state) => (state.balance ?? 0) * rate);
 *   return <span>{euros.toFixed(2)} €</span>;
 * }
 * ```
 */
export function useBalanceSelector<T>(
  selector: (state: BalanceState) => T,
  compare: (a: T, b: T) => boolean = Object.is,
): T {
  return useSelectedState(selector, compare).selected;
}
