/**
 * The React provider at the public surface: sign-out through `session?.userId`, no render of
 * another user's value, selectors honoured on the render that passes them, and `sync.actor`
 * with `@xstate/react`.
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { useSelector } from '@xstate/react';
import { useLayoutEffect } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBalanceSync } from '../../src/index.js';
import { BalanceSyncProvider, useBalance, useBalanceSelector } from '../../src/react/index.js';
import type { BalanceSync, BalanceSyncOptions } from '../../src/types.js';
import { FakeServer } from '../helpers/fake-server.js';
import { createHarness, settleIO, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const flushAll = () => act(async () => settleIO());

/** Every render a component committed, with the user it was rendered for. */
function Recorder({
  log,
  user,
}: {
  log: { user: string | null; balance: number | null; of: string | null }[];
  user: string | null;
}) {
  const { balance, userId } = useBalance();
  useLayoutEffect(() => {
    log.push({ user, balance, of: userId });
  });
  return <span data-testid="balance">{`${userId}:${balance}`}</span>;
}

function Converted({ rate }: { rate: number }) {
  const value = useBalanceSelector((state) => (state.balance ?? 0) * rate);
  return <span data-testid="converted">{value}</span>;
}

function Rounded({ step, renders }: { step: number; renders: (number | null)[] }) {
  const balance = useBalanceSelector(
    (state) => state.balance,
    (a, b) => Math.floor((a ?? 0) / step) === Math.floor((b ?? 0) / step),
  );
  renders.push(balance);
  return null;
}

/** Only `@xstate/react` on `sync.actor`: nothing of balance-sync/react. */
function Lifecycle({ sync }: { sync: BalanceSync }) {
  const running = useSelector(sync.actor, (snapshot) => snapshot.matches('running'));
  const user = useSelector(sync.actor, (snapshot) => snapshot.context.userId);
  return <span data-testid="lifecycle">{`${running ? 'running' : 'stopped'}:${user}`}</span>;
}

describe('<BalanceSyncProvider>', () => {
  it('options with userId: session?.userId — undefined at sign-out signs out and purges storage', async () => {
    const server = new FakeServer();
    const options = (session: { userId: string } | null): BalanceSyncOptions => ({
      fetchBalance: server.fetchBalance,
      userId: session?.userId,
      logger: false,
    });
    const view = render(
      <BalanceSyncProvider options={options({ userId: 'u1' })}>
        <Recorder log={[]} user="u1" />
      </BalanceSyncProvider>,
    );
    await flushAll();
    await act(async () => {
      server.respondNext();
      await settleIO();
    });
    expect(screen.getByTestId('balance').textContent).toBe('u1:1000100');
    expect(localStorage.getItem('tokenBalanceCache_u1')).not.toBeNull();
    view.rerender(
      <BalanceSyncProvider options={options(null)}>
        <Recorder log={[]} user={null} />
      </BalanceSyncProvider>,
    );
    expect(screen.getByTestId('balance').textContent).toBe('null:null');
    await flushAll();
    expect(localStorage.getItem('tokenBalanceCache_u1')).toBeNull();
  });

  it('switched from `sync` to `options` while mounted: it creates and runs its own sync, and back', async () => {
    const h = createHarness();
    const server = new FakeServer();
    const view = render(
      <BalanceSyncProvider sync={h.sync} userId="u1">
        <Recorder log={[]} user="u1" />
      </BalanceSyncProvider>,
    );
    await flushAll();
    expect(h.sync.actor.getSnapshot().matches('running')).toBe(true);
    view.rerender(
      <BalanceSyncProvider
        options={{ fetchBalance: server.fetchBalance, userId: 'u2', logger: false }}
      >
        <Recorder log={[]} user="u2" />
      </BalanceSyncProvider>,
    );
    await flushAll();
    await act(async () => {
      server.respondNext();
      await settleIO();
    });
    expect(screen.getByTestId('balance').textContent).toBe('u2:2000100');
    // The shared sync is no longer held by the provider: it stopped.
    expect(h.sync.actor.getSnapshot().matches('stopped')).toBe(true);
    view.rerender(
      <BalanceSyncProvider sync={h.sync} userId="u1">
        <Recorder log={[]} user="u1" />
      </BalanceSyncProvider>,
    );
    await flushAll();
    expect(h.sync.actor.getSnapshot().matches('running')).toBe(true);
  });

  it('sync with a userId prop: the provider applies it, undefined signs out', async () => {
    const h = createHarness();
    const view = render(
      <BalanceSyncProvider sync={h.sync} userId="u1">
        <Recorder log={[]} user="u1" />
      </BalanceSyncProvider>,
    );
    await flushAll();
    await act(async () => {
      h.server.respondNext();
      await settleIO();
    });
    expect(h.sync.getSnapshot()).toMatchObject({ userId: 'u1', balance: 1_000_100 });
    view.rerender(
      <BalanceSyncProvider sync={h.sync} userId={undefined}>
        <Recorder log={[]} user={null} />
      </BalanceSyncProvider>,
    );
    expect(h.sync.getSnapshot().userId).toBeNull();
  });

  it("no committed render shows the previous user's balance after userId changes, not for one render", async () => {
    const server = new FakeServer();
    const log: { user: string | null; balance: number | null; of: string | null }[] = [];
    const tree = (userId: string) => (
      <BalanceSyncProvider options={{ fetchBalance: server.fetchBalance, userId, logger: false }}>
        <Recorder log={log} user={userId} />
      </BalanceSyncProvider>
    );
    const view = render(tree('u1'));
    await flushAll();
    await act(async () => {
      server.respondNext();
      await settleIO();
    });
    view.rerender(tree('u2'));
    await flushAll();
    await act(async () => {
      server.respondNext();
      await settleIO();
    });
    view.rerender(tree('u1'));
    await flushAll();
    expect(log.length).toBeGreaterThan(3);
    for (const entry of log) {
      // Rendered for u2: never u1's balance (1_000_100), and the other way round.
      expect(entry.of).toBe(entry.user);
      if (entry.balance !== null) {
        expect(Math.floor(entry.balance / 1_000_000)).toBe(Number(entry.user?.slice(1)));
      }
    }
  });

  it('options without a userId sign out (session ? { ...base, userId } : base)', async () => {
    const server = new FakeServer();
    const base = { fetchBalance: server.fetchBalance, logger: false as const };
    const log: { user: string | null; balance: number | null; of: string | null }[] = [];
    const tree = (userId: string | null) => (
      <BalanceSyncProvider options={userId === null ? base : { ...base, userId }}>
        <Recorder log={log} user={userId} />
      </BalanceSyncProvider>
    );
    const view = render(tree('u1'));
    await flushAll();
    await act(async () => {
      server.respondNext();
      await settleIO();
    });
    expect(log.at(-1)?.balance).toBe(1_000_100);
    view.rerender(tree(null));
    await flushAll();
    expect(log.at(-1)).toMatchObject({ of: null, balance: null });
    expect(localStorage.getItem('tokenBalanceCache_u1')).toBeNull();
  });

  it('a new selector takes effect on the render that passes it', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    const view = render(
      <BalanceSyncProvider sync={h.sync}>
        <Converted rate={1} />
      </BalanceSyncProvider>,
    );
    await flushAll();
    await act(async () => {
      h.server.respondNext();
      await settleIO();
    });
    expect(screen.getByTestId('converted').textContent).toBe('1000100');
    view.rerender(
      <BalanceSyncProvider sync={h.sync}>
        <Converted rate={2} />
      </BalanceSyncProvider>,
    );
    expect(screen.getByTestId('converted').textContent).toBe('2000200');
  });

  it('a new compare function takes effect on the render that passes it', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    const renders: (number | null)[] = [];
    const view = render(
      <BalanceSyncProvider sync={h.sync}>
        <Rounded step={1_000_000_000} renders={renders} />
      </BalanceSyncProvider>,
    );
    await flushAll();
    await act(async () => {
      h.server.respondNext();
      await settleIO();
    });
    view.rerender(
      <BalanceSyncProvider sync={h.sync}>
        <Rounded step={1} renders={renders} />
      </BalanceSyncProvider>,
    );
    act(() => {
      h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 1_000_099, version: 2 });
    });
    expect(renders.at(-1)).toBe(1_000_099);
  });
});

describe('sync.actor', () => {
  it('is one actor for the whole life of the sync: across start, stop, start and user changes', () => {
    const sync = createBalanceSync({
      fetchBalance: () => new Promise(() => {}),
      logger: false,
      cache: [],
    });
    const actor = sync.actor;
    sync.start();
    sync.setUser('u1');
    sync.stop();
    sync.setUser('u2');
    sync.start();
    expect(sync.actor).toBe(actor);
    expect(actor.getSnapshot().context.userId).toBe('u2');
    sync.stop();
  });

  it("works with @xstate/react's useSelector in a component that uses nothing else, across stop/start", async () => {
    const sync = createBalanceSync({
      fetchBalance: async () => ({ balance: 5, version: 1 }),
      userId: 'u1',
      logger: false,
      cache: [],
    });
    render(<Lifecycle sync={sync} />);
    expect(screen.getByTestId('lifecycle').textContent).toBe('stopped:u1');
    act(() => sync.start());
    expect(screen.getByTestId('lifecycle').textContent).toBe('running:u1');
    act(() => sync.stop());
    expect(screen.getByTestId('lifecycle').textContent).toBe('stopped:u1');
    act(() => {
      sync.setUser('u2');
      sync.start();
    });
    expect(screen.getByTestId('lifecycle').textContent).toBe('running:u2');
    act(() => sync.stop());
  });
});
