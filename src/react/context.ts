'use client';
import { createContext, useContext } from 'react';
import type { BalanceSync } from '../types.js';

/** The sync of the nearest `<BalanceSyncProvider>`. */
export const BalanceSyncContext = createContext<BalanceSync | null>(null);

/**
 * The user the provider was given (`userId` of its props or options), or `undefined` when the
 * app sets the user itself. Hooks compare the snapshot's user with it, so that no render shows
 * the previous user's value in the render before the provider's effect applies the new one.
 */
export const ProviderUserContext = createContext<string | null | undefined>(undefined);

/** The sync of the nearest `<BalanceSyncProvider>`; throws a clear error without one. */
export function useBalanceSync(): BalanceSync {
  const sync = useContext(BalanceSyncContext);
  if (sync === null) {
    throw new Error('balance-sync: wrap your components in <BalanceSyncProvider sync={...}>');
  }
  return sync;
}
