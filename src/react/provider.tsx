'use client';
import { type ReactNode, useEffect, useLayoutEffect, useState } from 'react';
import { createBalanceSync } from '../core/create-balance-sync.js';
import type { BalanceSync, BalanceSyncOptions } from '../types.js';
import { BalanceSyncContext } from './context.js';
import { retainSync } from './retain.js';

// useLayoutEffect warns on the server; there is nothing to lay out there anyway.
const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

export type BalanceSyncProviderProps =
  | { sync: BalanceSync; options?: never; children?: ReactNode }
  | { options: BalanceSyncOptions; sync?: never; children?: ReactNode };

/**
 * Makes a sync available to the hooks below and runs it while mounted (ref-counted, StrictMode
 * safe). Pass `sync` to share one you created, or `options` to let the provider create and own
 * one; with `options`, a changed `userId` is applied before the browser paints.
 *
 * @example
 * <BalanceSyncProvider options={{ fetchBalance, userId: session.userId }}>
 *   <Balance />
 * </BalanceSyncProvider>
 */
export function BalanceSyncProvider(props: BalanceSyncProviderProps): ReactNode {
  const [owned] = useState(() =>
    props.sync === undefined && props.options !== undefined
      ? createBalanceSync(props.options)
      : null,
  );
  const sync = props.sync ?? owned;
  if (sync === null) throw new Error('BalanceSyncProvider needs `sync` or `options`');
  const userId = props.options?.userId;

  useEffect(() => retainSync(sync), [sync]);
  useIsomorphicLayoutEffect(() => {
    if (owned !== null && userId !== undefined) owned.setUser(userId);
  }, [owned, userId]);

  return <BalanceSyncContext.Provider value={sync}>{props.children}</BalanceSyncContext.Provider>;
}
