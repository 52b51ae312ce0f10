'use client';
/** `balance-sync/react`: thin bindings over the framework-agnostic core. */
export { BalanceSyncContext, useBalanceSync } from './context.js';
export type { BalanceSyncProviderProps } from './provider.js';
export { BalanceSyncProvider } from './provider.js';
export { retainSync } from './retain.js';
export type { UseBalanceResult } from './use-balance.js';
export { useBalance } from './use-balance.js';
export { useBalanceSelector } from './use-balance-selector.js';
export { useInvalidateBalance } from './use-invalidate-balance.js';
