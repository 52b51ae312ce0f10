'use client';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { createBalanceSync } from '../core/create-balance-sync.js';
import type { BalanceSync, BalanceSyncOptions } from '../types.js';
import { BalanceSyncContext, ProviderUserContext } from './context.js';
import { useControlledUser } from './controlled-user.js';
import { retainSync } from './retain.js';

/**
 * The props of `<BalanceSyncProvider>`: either `sync`, a sync you created (with an optional
 * `userId` to follow), or `options`, for a sync the provider creates and owns; never both.
 */
export type BalanceSyncProviderProps =
  | {
      /**
       * A sync you created (and may share); the provider runs it while mounted, and stops it
       * after, unless you had started it yourself.
       */
      sync: BalanceSync;
      options?: never;
      /**
       * The signed-in user, if the provider should set it: `null` or `undefined` signs out.
       * Leave the prop out to set the user yourself with `sync.setUser`.
       */
      userId?: string | null | undefined;
      children?: ReactNode;
    }
  | {
      /**
       * Options of a sync the provider creates and owns. Its `userId` is followed on every
       * render (`session?.userId`: `undefined`, or no `userId` at all, signs out); other options
       * are read once.
       */
      options: BalanceSyncOptions;
      sync?: never;
      userId?: never;
      children?: ReactNode;
    };

/** The user the props give, or `undefined` when they leave the user to the app. */
function controlledUser(props: BalanceSyncProviderProps): string | null | undefined {
  // A sync the provider owns follows `options.userId` alone: left out, it is `undefined`, which
  // signs out (`session ? { ...base, userId } : base` at sign-out).
  if (props.options !== undefined) return props.options.userId ?? null;
  return 'userId' in props ? (props.userId ?? null) : undefined;
}

/**
 * Makes a sync available to the hooks below and runs it while mounted (ref-counted, StrictMode
 * safe). Pass `sync` to share one you created, or `options` to let the provider create and own
 * one. A changed user is applied before the browser paints, and no render in between shows the
 * previous user's balance: the hooks show "no value" for the new user until it is applied.
 *
 * @example
 * ```tsx
 * import { BalanceSyncProvider, useBalance } from 'balance-sync/react';
 *
 * function Balance() {
 *   const { balance } = useBalance();
 *   return <p>{balance ?? '…'} tokens</p>;
 * }
 *
 * function App({ session }: { session: { userId: string } | null }) {
 *   return (
 *     <BalanceSyncProvider options={{ fetchBalance, userId: session?.userId }}>
 *       <Balance />
 *     </BalanceSyncProvider>
 *   );
 * }
 * ```
 */
export function BalanceSyncProvider(props: BalanceSyncProviderProps): ReactNode {
  const [owned] = useState(() =>
    props.sync === undefined && props.options !== undefined
      ? createBalanceSync(props.options)
      : null,
  );
  // Switched from `sync` to `options` while mounted: the owned sync is created then, once
  // (React's lazy-ref pattern).
  const ownedLater = useRef<BalanceSync | null>(null);
  if (props.sync === undefined && owned === null && ownedLater.current === null && props.options) {
    ownedLater.current = createBalanceSync(props.options);
  }
  const sync = props.sync ?? owned ?? ownedLater.current;
  if (sync === null) throw new Error('BalanceSyncProvider needs `sync` or `options`');
  const controlled = useControlledUser(sync, controlledUser(props));
  useEffect(() => retainSync(sync), [sync]);

  return (
    <BalanceSyncContext.Provider value={sync}>
      <ProviderUserContext.Provider value={controlled}>
        {props.children}
      </ProviderUserContext.Provider>
    </BalanceSyncContext.Provider>
  );
}
