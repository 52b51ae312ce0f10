'use client';
import { useContext, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { BalanceSync } from '../types.js';
import { type ControlledUser, ProviderUserContext } from './context.js';

// useLayoutEffect warns on the server; there is nothing to lay out there anyway.
const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

interface Applied {
  sync: BalanceSync;
  userId: string | null;
}

const same = (a: Applied | null, b: Applied): boolean =>
  a !== null && a.sync === b.sync && a.userId === b.userId;

/**
 * A provider's control of the user: applies `userId` to the sync before the browser paints, and
 * gives the hooks the user to compare snapshots with. With `userId` left out (the app sets the
 * user), the controls of the providers above pass through, so a nested provider, of this sync
 * or of another, does not lift the protection of the render before a switch is applied.
 */
export function useControlledUser(
  sync: BalanceSync,
  userId: string | null | undefined,
): ControlledUser | undefined {
  const above = useContext(ProviderUserContext);
  /** What this provider's last commit applied. */
  const committed = useRef<Applied | null>(null);
  /** What a suspended render applied before its commit (see `applyBeforeCommit`). */
  const early = useRef<Applied | null>(null);

  const controlled = useMemo((): ControlledUser | undefined => {
    if (userId === undefined) return undefined;
    const wanted = { sync, userId };
    return {
      sync,
      userId,
      outer: above,
      applyBeforeCommit: () => {
        // A server render never commits either; nothing of the sync runs there.
        if (typeof window === 'undefined' || same(committed.current, wanted)) return;
        early.current = wanted;
        // Not during render: the sync tells its subscribers at once, and React forbids
        // updating other components while rendering this one.
        queueMicrotask(() => {
          if (early.current === wanted) sync.setUser(userId);
        });
      },
      // A user applied early by a pending render of this provider is this provider's own move.
      applied: () => same(committed.current, wanted) && early.current === null,
    };
  }, [sync, userId, above]);

  // Every commit, not only when `userId` changes: a suspended render that applied another user
  // and was then abandoned (a newer render came back to this user) leaves the sync to be set back.
  useIsomorphicLayoutEffect(() => {
    if (userId === undefined) {
      // The app sets the user meanwhile: a user given again is applied again.
      committed.current = null;
      return;
    }
    const wanted = { sync, userId };
    const overtaken = early.current !== null && !same(early.current, wanted);
    const changed = !same(committed.current, wanted);
    committed.current = wanted;
    early.current = null;
    if (changed || overtaken) sync.setUser(userId);
  });

  // Left to the app here: the controls above pass through, this sync's included.
  return controlled ?? above;
}
