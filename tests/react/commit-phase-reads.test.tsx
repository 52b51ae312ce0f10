/**
 * What a component reads during the commit (layout effects), and what a suspended component
 * leaves behind: two seams an outside review found (review 30), past the render itself.
 */
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { StrictMode, Suspense, useLayoutEffect } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { type BalanceSync, createBalanceSync, memoryCache } from '../../src/index.js';
import { BalanceSyncProvider, useBalance } from '../../src/react/index.js';

afterEach(() => cleanup());

const flush = () =>
  act(async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  });

/** A fetcher the test answers: each call waits until `answerAll()`. */
function heldFetcher(balances: Record<string, number>) {
  const held: (() => void)[] = [];
  const fetchBalance = ({ userId }: { userId: string }) =>
    new Promise<{ balance: number }>((resolve) => {
      held.push(() => resolve({ balance: balances[userId] ?? 0 }));
    });
  const answerAll = () => {
    for (const answer of held.splice(0)) answer();
  };
  return { fetchBalance, answerAll };
}

type Poke = 'refresh' | 'push';

/** Counts the listeners on the sync that are still subscribed. */
function countSubscriptions(sync: BalanceSync): { live: number } {
  const count = { live: 0 };
  const subscribe = sync.subscribe.bind(sync);
  sync.subscribe = (listener) => {
    count.live++;
    const unsubscribe = subscribe(listener);
    let done = false;
    return () => {
      if (!done) count.live--;
      done = true;
      unsubscribe();
    };
  };
  return count;
}

/** Makes the sync publish from a layout effect each time the provider's user changes. */
function PokeOnUser({ user, sync, poke }: { user: string; sync: BalanceSync; poke: Poke }) {
  const { refresh } = useBalance();
  // biome-ignore lint/correctness/useExhaustiveDependencies: an app's "refresh when the user changes" effect: `user` is the trigger
  useLayoutEffect(() => {
    if (poke === 'refresh') void refresh({ skipCache: true });
    else sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'A', balance: 101 });
  }, [user, refresh, sync, poke]);
  return null;
}

/** Records, in each commit's layout effect, the provider's user and what `useBalance()` gives. */
function Reader({ user, seen }: { user: string; seen: string[] }) {
  const result = useBalance();
  void result.balance;
  useLayoutEffect(() => {
    seen.push(`${user}:${result.userId}:${result.balance}`);
  });
  return null;
}

function Suspended() {
  const { balance } = useBalance({ suspense: true });
  return <span>{balance}</span>;
}

describe('commit-phase reads and suspended components', () => {
  // SPEC, React: "Hooks never return a value of another user than the provider's current
  // `userId`, even in the render between a prop change and the effect that applies it."
  // A child's layout effect runs before the provider's, which applies the new user: when it makes
  // the sync publish (a refresh), React calls the previous render's getSnapshot, which masked
  // against the previous user, and the result object's fields read A's state under B.
  it.each(['refresh', 'push'] as const)(
    "a layout effect that makes the sync publish (%s) during a user switch never reads the previous user's balance",
    async (poke) => {
      const fetcher = heldFetcher({ A: 100, B: 200 });
      const sync = createBalanceSync({
        fetchBalance: fetcher.fetchBalance,
        cache: [memoryCache()],
        logger: false,
        revalidateOnFocus: false,
      });
      const seen: string[] = [];
      const tree = (user: string) => (
        <BalanceSyncProvider sync={sync} userId={user}>
          <PokeOnUser user={user} sync={sync} poke={poke} />
          <Reader user={user} seen={seen} />
        </BalanceSyncProvider>
      );
      const view = render(tree('A'));
      await flush();
      fetcher.answerAll();
      await flush();
      expect(seen.at(-1)).toMatch(/^A:A:10[01]$/);
      seen.length = 0;
      view.rerender(tree('B'));
      await flush();
      fetcher.answerAll();
      await flush();
      expect(seen.length).toBeGreaterThan(0);
      // Every read under provider user B is B's: "no value" first, then 200.
      expect(seen.filter((entry) => !/^B:B:(null|200)$/.test(entry))).toEqual([]);
      expect(seen.at(-1)).toBe('B:B:200');
      view.unmount();
    },
  );

  // Invariant 7 and the provider's contract (it runs the sync while mounted): a component
  // unmounted while suspended for the first value must not leave its listener on the stopped
  // sync, where no first value ever comes to remove it.
  it.each([false, true])(
    'a component unmounted while suspended leaves no subscription on the sync (StrictMode %s)',
    async (strict) => {
      const fetcher = heldFetcher({ A: 100 });
      const sync = createBalanceSync({
        fetchBalance: fetcher.fetchBalance,
        cache: [memoryCache()],
        logger: false,
      });
      const subscriptions = countSubscriptions(sync);
      const tree = (
        <BalanceSyncProvider sync={sync} userId="A">
          <Suspense fallback="…">
            <Suspended />
          </Suspense>
        </BalanceSyncProvider>
      );
      const view = render(strict ? <StrictMode>{tree}</StrictMode> : tree);
      await flush();
      expect(subscriptions.live).toBeGreaterThan(0);
      view.unmount();
      await flush();
      expect(sync.getSnapshot().status).toBe('idle');
      expect(subscriptions.live).toBe(0);
      // Still suspends and resolves when mounted again.
      const again = render(tree);
      await flush();
      // The restart's fetch waits out the dedupe window of the aborted one; React reveals a
      // boundary's content no sooner than 300 ms after its fallback.
      await waitFor(
        () => {
          fetcher.answerAll();
          expect(again.container.textContent).toBe('100');
        },
        { timeout: 5_000 },
      );
      again.unmount();
    },
  );
});
