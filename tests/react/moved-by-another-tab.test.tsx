/**
 * A provider whose sync another tab moved to another user (a sign-out or switch there; one
 * session per browser). The provider still names the old user: its hooks show "no value" for
 * it, never the other user's balance (invariant 1), and as `idle`, since nothing will come for
 * that user: not as a `hydrating` load, or a Suspense fallback, that never ends. Two syncs in one
 * process share Node's BroadcastChannel through the real `crossTabSource`.
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { Suspense, useLayoutEffect } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createBalanceSync, crossTabSource, memoryCache } from '../../src/index.js';
import { BalanceSyncProvider, useBalance } from '../../src/react/index.js';
import type { BalanceSync } from '../../src/types.js';

afterEach(cleanup);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const balances: Record<string, number> = { A: 100, B: 200 };

function twoTabs(options: { hangFor?: string[] } = {}) {
  const channelName = `moved-${Math.random()}`;
  const tab = () =>
    createBalanceSync({
      fetchBalance: ({ userId }) =>
        options.hangFor?.includes(userId)
          ? new Promise(() => {})
          : Promise.resolve({ balance: balances[userId] ?? 0, version: 1 }),
      cache: [memoryCache()],
      logger: false,
      sources: [
        crossTabSource({
          locks: () => null,
          channelName,
          broadcastChannel: () => BroadcastChannel,
        }),
      ],
    });
  return { one: tab(), two: tab() };
}

/** Every committed render: user, balance and status, as the app would show them. */
function Shown({ log, suspense = false }: { log: string[]; suspense?: boolean }) {
  const { userId, balance, status } = useBalance({ suspense });
  const line = `${userId}:${balance}:${status}`;
  useLayoutEffect(() => {
    log.push(line);
  });
  return <p data-testid="shown">{line}</p>;
}

const shown = () => screen.getByTestId('shown').textContent;

async function until(check: () => boolean, ms = 3_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await act(() => sleep(10));
  }
}

function app(sync: BalanceSync, userId: string, log: string[], suspense = false) {
  return (
    <BalanceSyncProvider sync={sync} userId={userId}>
      <Suspense fallback={<p data-testid="shown">fallback</p>}>
        <Shown log={log} suspense={suspense} />
      </Suspense>
    </BalanceSyncProvider>
  );
}

describe('a provider whose sync another tab moved', () => {
  it.each([
    ['switch', 'B'],
    ['sign-out', null],
  ] as const)(
    '%s there: "no value" as idle here, for good, and the next userId applies',
    async (_, next) => {
      const { one, two } = twoTabs();
      one.start();
      one.setUser('A');
      const log: string[] = [];
      const view = render(app(two, 'A', log));
      await until(() => shown() === 'A:100:cached');

      const before = log.length;
      act(() => one.setUser(next));
      await until(() => two.getSnapshot().userId === next);
      // Past the wait for the other tab's value (1 s) and the fetch after it.
      await act(() => sleep(1_300));
      expect(shown()).toBe('A:null:idle');
      expect(log.slice(before)).toEqual(['A:null:idle']);

      // The app learns the session's user: applied as usual.
      view.rerender(app(two, 'B', log));
      await until(() => shown() === 'B:200:cached');
      one.stop();
      two.stop();
      view.unmount();
    },
  );

  it('a suspended component is not left on its fallback for good', async () => {
    // Neither user's value ever comes: only the move itself can end the wait.
    const { one, two } = twoTabs({ hangFor: ['A', 'B'] });
    one.start();
    one.setUser('A');
    const log: string[] = [];
    const view = render(app(two, 'A', log, true));
    await act(() => sleep(50));
    expect(shown()).toBe('fallback');

    act(() => one.setUser('B'));
    await until(() => shown() === 'A:null:idle');
    expect(log).toEqual(['A:null:idle']);
    one.stop();
    two.stop();
    view.unmount();
  });

  it('a component that suspended and rendered its value shows "no value" after the move', async () => {
    const { one, two } = twoTabs();
    one.start();
    one.setUser('A');
    const log: string[] = [];
    const view = render(app(two, 'A', log, true));
    await until(() => shown() === 'A:100:cached');
    act(() => one.setUser('B'));
    await until(() => two.getSnapshot().balance === 200);
    expect(shown()).toBe('A:null:idle');
    expect(log.filter((line) => !line.startsWith('A:'))).toEqual([]);
    one.stop();
    two.stop();
    view.unmount();
  });
});
