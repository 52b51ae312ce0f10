'use client';
import { createContext, useContext } from 'react';
import type { BalanceSync } from '../types.js';

/** The sync of the nearest `<BalanceSyncProvider>`. */
export const BalanceSyncContext = createContext<BalanceSync | null>(null);

/**
 * The user a provider controls (its `userId` prop or `options.userId`). Hooks compare the
 * snapshot's user with it, so that no render shows the previous user's value in the render
 * before the provider's effect applies the new one. A nested provider of the same sync that
 * leaves the user out passes its parent's on.
 */
export interface ControlledUser {
  /**
   * The provider's sync: the user is that sync's only. A sync given below it (a devtools panel's
   * `sync` prop, a nested `BalanceSyncContext.Provider`) follows its own user.
   */
  sync: BalanceSync;
  /** The user of the provider's current render. */
  userId: string | null;
  /**
   * Applies `userId` before the provider commits it. For a render that suspends on that user
   * only: a suspended transition never commits, so the provider's effect would never run and
   * the render would wait for a user nobody applies. Does nothing once the provider committed it.
   */
  applyBeforeCommit: () => void;
  /**
   * True once the provider's commit applied `userId` to the sync (and no pending render of it
   * applied another since). A sync that holds another user then was moved by someone else
   * (another tab, `sync.setUser`): nothing comes for `userId` until the provider is given the
   * sync's user, so the hooks show "no value" as `idle`, not as a load that never ends.
   */
  applied: () => boolean;
  /**
   * The control of the providers above (of other syncs, or of this one further up): a provider
   * of another sync in between does not lift the protection of this one's subtree.
   */
  outer: ControlledUser | undefined;
}

/** `undefined` when the app sets the user itself (`sync.setUser`). */
export const ProviderUserContext = createContext<ControlledUser | undefined>(undefined);

/** The nearest control of `sync`'s user in `chain` (a provider's and those above it). */
export function controlOf(
  chain: ControlledUser | undefined,
  sync: BalanceSync,
): ControlledUser | undefined {
  let control = chain;
  while (control !== undefined && control.sync !== sync) control = control.outer;
  return control;
}

/** The user a provider above controls for `sync`; `undefined` when none controls that sync's. */
export function useControlledUserOf(sync: BalanceSync): ControlledUser | undefined {
  return controlOf(useContext(ProviderUserContext), sync);
}

/** The sync of the nearest `<BalanceSyncProvider>`; throws a clear error without one. */
export function useBalanceSync(): BalanceSync {
  const sync = useContext(BalanceSyncContext);
  if (sync === null) {
    throw new Error('balance-sync: wrap your components in <BalanceSyncProvider sync={...}>');
  }
  return sync;
}
