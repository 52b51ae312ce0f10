import type { BalanceState } from '../types.js';

/**
 * "No value" for a user: what a server render shows, and what a hook shows in the one render
 * where the provider already has a new user but the sync does not yet. "No value" is `null`.
 */
export function noValueState(
  userId: string | null,
  status: 'idle' | 'hydrating' = userId === null ? 'idle' : 'hydrating',
): BalanceState {
  return {
    status,
    userId,
    balance: null,
    version: null,
    epoch: null,
    updatedAt: null,
    expiresAt: null,
    source: null,
    isStale: false,
    isFetching: false,
    error: null,
  };
}
