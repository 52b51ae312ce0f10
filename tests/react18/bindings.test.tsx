/**
 * The React bindings on React 18 (the `react18` project aliases react and react-dom to 18.3),
 * in Chromium with real timers: provider, selectors, StrictMode, Suspense, user switches.
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { StrictMode, Suspense, version } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { BalanceSyncProvider, useBalance, useBalanceSelector } from '../../src/react/index.js';
import type { BalanceSync } from '../../src/types.js';

const syncs: BalanceSync[] = [];
afterEach(() => {
  cleanup();
  for (const sync of syncs.splice(0)) sync.stop();
});

function newSync() {
  const ledger: Record<string, number> = { alice: 1_000, bob: 250 };
  const calls = { count: 0 };
  const sync = createBalanceSync({
    fetchBalance: async ({ userId }) => {
      calls.count++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { balance: ledger[userId] ?? 0, version: 1 };
    },
    userId: 'alice',
    cache: [memoryCache()],
    logger: false,
  });
  syncs.push(sync);
  return { sync, calls };
}

const rendered: { userId: string | null; balance: number | null }[] = [];
function Balance({ suspense = false }: { suspense?: boolean }) {
  const { balance, userId } = useBalance({ suspense });
  rendered.push({ userId, balance });
  return <span data-testid="balance">{`${userId}:${balance}`}</span>;
}

let userRenders = 0;
function UserOnly() {
  const userId = useBalanceSelector((state) => state.userId);
  userRenders++;
  return <span>{userId}</span>;
}

const text = () => screen.getByTestId('balance').textContent;

describe(`React bindings on React ${version}`, () => {
  it('runs on React 18', () => {
    expect(version.startsWith('18.')).toBe(true);
  });

  it('StrictMode: one request; selectors re-render only on their slice; switches never leak', async () => {
    const { sync, calls } = newSync();
    rendered.length = 0;
    userRenders = 0;
    render(
      <StrictMode>
        <BalanceSyncProvider sync={sync}>
          <Balance />
          <UserOnly />
        </BalanceSyncProvider>
      </StrictMode>,
    );
    await expect.poll(text).toBe('alice:1000');
    expect(calls.count).toBe(1);
    const userRendersBefore = userRenders;
    await act(async () => {
      sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'alice', balance: 990, version: 2 });
    });
    expect(text()).toBe('alice:990');
    expect(userRenders).toBe(userRendersBefore);
    await act(async () => sync.setUser('bob'));
    await expect.poll(text).toBe('bob:250');
    expect(
      rendered.filter((r) => r.userId === 'bob' && r.balance !== null && r.balance !== 250),
    ).toEqual([]);
  });

  it('Suspense shows the fallback until the first value', async () => {
    const { sync } = newSync();
    render(
      <BalanceSyncProvider sync={sync}>
        <Suspense fallback={<span data-testid="fallback">loading</span>}>
          <Balance suspense />
        </Suspense>
      </BalanceSyncProvider>,
    );
    expect(screen.getByTestId('fallback')).toBeTruthy();
    await expect.poll(text).toBe('alice:1000');
  });
});
