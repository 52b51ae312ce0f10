'use client';
import { useCallback, useMemo, useRef } from 'react';
import type { BalanceState, BalanceSync, InvalidationReport } from '../types.js';
import { useBalanceSync, useControlledUserOf } from './context.js';
import { useSelectedState } from './use-selected-state.js';

/**
 * What `useBalance()` returns: the fields of `BalanceState` a UI needs, and the sync's `refresh`
 * and `invalidate`. Reading a field subscribes the component to it (tracked rendering).
 */
export interface UseBalanceResult {
  /** The balance to show, pending debits included; `null` with no value (see `BalanceState`). */
  balance: number | null;
  /** Where the value's lifecycle stands (`BalanceStatus`). */
  status: BalanceState['status'];
  /** True when a value is shown but may be out of date. */
  isStale: boolean;
  /** True while a request is in flight. */
  isFetching: boolean;
  /** Why the last request failed, or `null`. */
  error: BalanceState['error'];
  /**
   * Whose balance this is: the sync's current user; below a provider that sets `userId`, that
   * user, with "no value" while the sync holds another (a switch not yet applied, or made in
   * another tab): never another user's balance under this user's name.
   */
  userId: string | null;
  /** `sync.refresh`, the same function while the sync is. */
  refresh: (options?: { skipCache?: boolean }) => Promise<BalanceState>;
  /** `sync.invalidate`, the same function while the sync is. */
  invalidate: (options?: { reason?: string }) => Promise<InvalidationReport>;
}

type Picked = Pick<
  UseBalanceResult,
  'balance' | 'status' | 'isStale' | 'isFetching' | 'error' | 'userId'
>;

const pickedKeys = ['balance', 'status', 'isStale', 'isFetching', 'error', 'userId'] as const;
type PickedKey = (typeof pickedKeys)[number];

const pick = (state: BalanceState) =>
  Object.fromEntries(pickedKeys.map((key) => [key, state[key]])) as Picked;

const serverSuspenseMessage =
  'useBalance({ suspense: true }) has no value to render on the server (nothing fetches there): ' +
  'pass the balance your server fetched as initialData, or render this component in the browser only';

/** The first value's promise per sync, shared by every suspended component. */
const firstValue = new WeakMap<BalanceSync, Promise<void>>();

const waitsForFirstValue = (state: BalanceState): boolean =>
  state.userId !== null && state.balance === null && state.error === null;

function suspendUntilFirstValue(sync: BalanceSync): Promise<void> {
  let pending = firstValue.get(sync);
  if (pending === undefined) {
    const waitedFor = sync.getSnapshot().userId;
    pending = new Promise<void>((resolve) => {
      const unsubscribe = sync.subscribe((state) => {
        // Stopped (`idle`): nothing will come while it is, and a component unmounted while
        // suspended would leave this listener on the sync for good. Another user (another tab
        // moved the sync): the value waited for will not come. One still mounted renders again
        // and decides anew.
        if (waitsForFirstValue(state) && state.status !== 'idle' && state.userId === waitedFor) {
          return;
        }
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
 * The balance and what a UI needs around it. The component re-renders only when a field it
 * read changes (tracked, as in SWR and TanStack Query): one that shows `balance` does not
 * re-render for every fetch's `status`/`isFetching`. Fields read always return the current
 * value. With `{ suspense: true }` the component suspends until the signed-in user's first
 * value (or an error) is there; keep the provider above the Suspense boundary, since the
 * provider is what starts the sync.
 *
 * @example
 * ```tsx
 * import { useBalance } from 'balance-sync/react';
 *
 * function Wallet() {
 *   const { balance, isStale } = useBalance(); // re-renders for balance and isStale only
 *   return <p>{balance ?? '…'}{isStale ? ' (updating)' : ''}</p>;
 * }
 * ```
 */
export function useBalance(options: { suspense?: boolean } = {}): UseBalanceResult {
  const sync = useBalanceSync();
  const controlled = useControlledUserOf(sync);
  const tracked = useRef(new Set<PickedKey>());
  const sameTracked = useCallback((a: Picked, b: Picked) => {
    for (const key of tracked.current) if (a[key] !== b[key]) return false;
    return true;
  }, []);
  const { selected: picked, latest } = useSelectedState(pick, sameTracked);
  const refresh = useCallback((o?: { skipCache?: boolean }) => sync.refresh(o), [sync]);
  const invalidate = useCallback((o?: { reason?: string }) => sync.invalidate(o), [sync]);
  const mismatch = controlled !== undefined && sync.getSnapshot().userId !== controlled.userId;
  // A sync moved to another user after the provider applied its own (another tab signed out or
  // switched): no value comes for the provider's user, so waiting for one would never end.
  const movedAway = mismatch && controlled.applied();
  if (
    options.suspense === true &&
    !movedAway &&
    waitsForFirstValue(latest() ?? sync.getSnapshot())
  ) {
    // Waiting for a user the provider has not applied yet (a switch inside a transition):
    // apply it now, or the suspended render never commits and nothing ever applies it.
    if (mismatch) controlled.applyBeforeCommit();
    // Nothing fetches on the server: a promise thrown there would never settle, and a streamed
    // page would never end. As SWR does, say so; React renders the boundary's fallback in the
    // HTML and the browser renders the boundary itself.
    if (typeof window === 'undefined') throw new Error(serverSuspenseMessage);
    throw suspendUntilFirstValue(sync);
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: `picked` changes exactly when a tracked field does, which is when the result object must change
  return useMemo(() => {
    const result = { refresh, invalidate } as UseBalanceResult;
    for (const key of pickedKeys) {
      Object.defineProperty(result, key, {
        enumerable: true,
        get() {
          tracked.current.add(key);
          // The state of the latest selection, not `picked`: an untracked field read for the
          // first time (say, after a parent re-render) must not be the value from when it was
          // last compared. Not `sync.getSnapshot()` either: during hydration the selection is
          // the server snapshot, and on a user mismatch it is "no value".
          return (latest() ?? sync.getSnapshot())[key];
        },
      });
    }
    return result;
  }, [picked, refresh, invalidate, sync, latest]);
}
