'use client';
import { createContext, useContext } from 'react';
import type { BalanceSync } from '../types.js';

export const BalanceSyncContext = createContext<BalanceSync | null>(null);

/** The sync of the nearest `<BalanceSyncProvider>`; throws a clear error without one. */
export function useBalanceSync(): BalanceSync {
  const sync = useContext(BalanceSyncContext);
  if (sync === null) {
    throw new Error('balance-sync: wrap your components in <BalanceSyncProvider sync={...}>');
  }
  return sync;
}
