/**
 * The provider's user under concurrent React: a switch made inside `startTransition` with a
 * suspending `useBalance({ suspense: true })` below (router navigations do this), a transition
 * abandoned half-way, and a nested provider of the same sync that leaves the user to its parent.
 * Real timers: React's transition scheduling is what is under test.
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { StrictMode, Suspense, startTransition, useEffect, useState } from 'react';
import { afterEach, expect, it } from 'vitest';
import { createBalanceSync, memoryCache } from '../../src/index.js';
import { BalanceSyncProvider, useBalance } from '../../src/react/index.js';
import type { BalanceSync } from '../../src/types.js';

afterEach(() => cleanup());

const balances: Record<string, number> = { A: 100, B: 200, C: 300 };

function makeSync(delayMs = 0): { sync: BalanceSync; asked: string[] } {
  const asked: string[] = [];
  const sync = createBalanceSync({
    fetchBalance: async ({ userId }) => {
      asked.push(userId);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { balance: balances[userId] ?? 0 };
    },
    logger: false,
    cache: [memoryCache()],
    refreshIntervalMs: 0,
  });
  return { sync, asked };
}

const wait = (ms: number) =>
  act(async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
  });

function Suspended({ log }: { log: string[] }) {
  const { balance, userId } = useBalance({ suspense: true });
  log.push(`${userId}:${balance}`);
  return <p data-testid="b">{`${userId}:${balance}`}</p>;
}

let setSession: (userId: string | null) => void = () => {};
function App({ sync, initial, log }: { sync: BalanceSync; initial: string | null; log: string[] }) {
  const [user, set] = useState<string | null>(initial);
  setSession = set;
  return (
    <BalanceSyncProvider sync={sync} userId={user}>
      <Suspense fallback={<p data-testid="b">loading</p>}>
        <Suspended log={log} />
      </Suspense>
    </BalanceSyncProvider>
  );
}

const transitionTo = (userId: string | null) =>
  act(async () => {
    startTransition(() => setSession(userId));
  });

it.each([
  ['sign-in', null, 'A', ['A']],
  ['switch', 'A', 'B', ['A', 'B']],
] as const)(
  'a %s inside a transition with suspense settles on the new user',
  async (_, from, to, asked) => {
    const { sync, asked: seen } = makeSync();
    const log: string[] = [];
    render(
      <StrictMode>
        <App sync={sync} initial={from} log={log} />
      </StrictMode>,
    );
    await wait(50);
    await transitionTo(to);
    await wait(200);
    expect(screen.getByTestId('b').textContent).toBe(`${to}:${balances[to]}`);
    expect(seen).toEqual(asked);
    // No render showed a balance with another user's name, and suspense never rendered "no value".
    for (const line of log) {
      const [user, balance] = line.split(':');
      if (user !== 'null') expect(Number(balance)).toBe(balances[user as string]);
    }
  },
);

it('a transition abandoned for the user already shown sets the sync back to that user', async () => {
  const { sync, asked } = makeSync(100);
  const log: string[] = [];
  render(<App sync={sync} initial="A" log={log} />);
  await wait(200);
  expect(screen.getByTestId('b').textContent).toBe('A:100');
  await transitionTo('B'); // suspends on B, whose request takes 100 ms
  await act(async () => setSession('A')); // an urgent update back to A before B lands
  await wait(400);
  expect(asked.slice(0, 2)).toEqual(['A', 'B']);
  expect(sync.getSnapshot().userId).toBe('A');
  expect(screen.getByTestId('b').textContent).toBe('A:100');
});

const rendered: string[] = [];
const effects: string[] = [];
function Shown({ session, where }: { session: string; where: string }) {
  const { balance } = useBalance();
  rendered.push(`${where} ${session}:${balance}`);
  useEffect(() => {
    effects.push(`${where} ${session}:${balance}`);
  });
  return null;
}

function Nested({ sync, user }: { sync: BalanceSync; user: string }) {
  return (
    <BalanceSyncProvider sync={sync} userId={user}>
      <Shown session={user} where="outer" />
      <BalanceSyncProvider sync={sync}>
        <Shown session={user} where="nested" />
      </BalanceSyncProvider>
    </BalanceSyncProvider>
  );
}

it('a nested provider of the same sync keeps the outer provider user protection', async () => {
  const { sync } = makeSync();
  const view = render(<Nested sync={sync} user="A" />);
  await wait(30);
  expect(rendered.at(-1)).toBe('nested A:100');
  view.rerender(<Nested sync={sync} user="B" />);
  await wait(30);
  const leaks = (lines: string[]) => lines.filter((line) => line.includes('B:100'));
  expect(leaks(rendered)).toEqual([]);
  expect(leaks(effects)).toEqual([]);
  expect(rendered.at(-1)).toBe('nested B:200');
});

function Inner() {
  const { balance, userId } = useBalance();
  return <p data-testid="inner">{`${userId}:${balance}`}</p>;
}

it('a nested provider of another sync does not take the outer provider user', async () => {
  const outer = makeSync().sync;
  const inner = makeSync().sync;
  inner.setUser('C');
  render(
    <BalanceSyncProvider sync={outer} userId="A">
      <BalanceSyncProvider sync={inner}>
        <Inner />
      </BalanceSyncProvider>
    </BalanceSyncProvider>,
  );
  await wait(30);
  expect(screen.getByTestId('inner').textContent).toBe('C:300');
  expect(outer.getSnapshot().userId).toBe('A');
});

function Controlled({ sync, user }: { sync: BalanceSync; user: string | undefined }) {
  return user === undefined ? (
    <BalanceSyncProvider sync={sync}>
      <Inner />
    </BalanceSyncProvider>
  ) : (
    <BalanceSyncProvider sync={sync} userId={user}>
      <Inner />
    </BalanceSyncProvider>
  );
}

it('a user given, left to the app (which sets another), then given again: applied again', async () => {
  const { sync } = makeSync();
  const view = render(<Controlled sync={sync} user="A" />);
  await wait(30);
  view.rerender(<Controlled sync={sync} user={undefined} />);
  sync.setUser('B');
  await wait(30);
  expect(screen.getByTestId('inner').textContent).toBe('B:200');
  view.rerender(<Controlled sync={sync} user="A" />);
  await wait(30);
  expect(sync.getSnapshot().userId).toBe('A');
  expect(screen.getByTestId('inner').textContent).toBe('A:100');
});
