'use client';
import { useCallback, useMemo } from 'react';
import type { BalanceState, BalanceSync, InvalidationReport } from '../types.js';
import { useBalanceSync } from './context.js';
import { useBalanceSelector } from './use-balance-selector.js';

export interface UseBalanceResult {
  balance: number | null;
  status: BalanceState['status'];
  isStale: boolean;
  isFetching: boolean;
  error: BalanceState['error'];
  /** Whose balance this is: always the sync's current user. */
  userId: string | null;
  refresh: (options?: { skipCache?: boolean }) => Promise<BalanceState>;
  invalidate: (options?: { reason?: string }) => Promise<InvalidationReport>;
}

type Picked = Pick<
  UseBalanceResult,
  'balance' | 'status' | 'isStale' | 'isFetching' | 'error' | 'userId'
>;

const pick = (state: BalanceState): Picked => ({
  balance: state.balance,
  status: state.status,
  isStale: state.isStale,
  isFetching: state.isFetching,
  error: state.error,
  userId: state.userId,
});

const samePicked = (a: Picked, b: Picked): boolean =>
  a.balance === b.balance &&
  a.status === b.status &&
  a.isStale === b.isStale &&
  a.isFetching === b.isFetching &&
  a.error === b.error &&
  a.userId === b.userId;

/** The first value's promise per sync, shared by every suspended component. */
const firstValue = new WeakMap<BalanceSync, Promise<void>>();

const waitsForFirstValue = (state: BalanceState): boolean =>
  state.userId !== null && state.balance === null && state.error === null;

function suspendUntilFirstValue(sync: BalanceSync): Promise<void> {
  let pending = firstValue.get(sync);
  if (pending === undefined) {
    pending = new Promise<void>((resolve) => {
      const unsubscribe = sync.subscribe((state) => {
        if (waitsForFirstValue(state)) return;
        unsubscribe();
        firstValue.delete(sync);
        resolve();
      });
    });
    firstValue.set(sync, pending);
  }
  return pending;
}

/**
 * The balance and what a UI needs around it. With `{ suspense: true }` the component suspends
 * until the signed-in user's first value (or an error) is there; keep the provider above the
 * Suspense boundary, since the provider is what starts the sync.
 */
export function useBalance(options: { suspense?: boolean } = {}): UseBalanceResult {
  const sync = useBalanceSync();
  const picked = useBalanceSelector(pick, samePicked);
  const refresh = useCallback((o?: { skipCache?: boolean }) => sync.refresh(o), [sync]);
  const invalidate = useCallback((o?: { reason?: string }) => sync.invalidate(o), [sync]);
  if (options.suspense === true && waitsForFirstValue(sync.getSnapshot())) {
    throw suspendUntilFirstValue(sync);
  }
  return useMemo(() => ({ ...picked, refresh, invalidate }), [picked, refresh, invalidate]);
}
