/**
 * Hydration of a server-rendered `initialData` when the browser's clock and the server's
 * disagree on its age (a late hydration, or a device clock ahead or behind): whatever the server
 * rendered, the page ends showing this browser's judgement, with no hydration error in the
 * common case. The server side of the rule is in ssr.test.tsx (node environment).
 */
import { act } from '@testing-library/react';
import { hydrateRoot, type Root } from 'react-dom/client';
import { afterEach, expect, it, vi } from 'vitest';
import { createBalanceSync, memoryCache } from '../../src/index.js';
import { BalanceSyncProvider, useBalance } from '../../src/react/index.js';
import type { BalanceSync } from '../../src/types.js';

function Balance() {
  const { balance, isStale } = useBalance();
  return (
    <span className={isStale ? 'stale' : 'fresh'}>
      {balance === null ? 'loading' : `${balance} tokens`}
    </span>
  );
}

const T = 1_800_000_000_000;
const mounted: { root: Root; sync: BalanceSync; container: HTMLElement }[] = [];
afterEach(() => {
  for (const { root, sync, container } of mounted.splice(0)) {
    act(() => root.unmount());
    sync.stop();
    container.remove();
  }
  vi.restoreAllMocks();
});

/**
 * Hydrates `serverHtml` (what the server rendered) with a browser clock at `clock`: the app's
 * own clock, or (`'browser'`) the browser's, with `initialData` received `receivedAgo` ms before
 * now and the page asked for `requestedAgo` ms before now (`performance.timeOrigin`).
 */
async function hydrate(
  serverHtml: string,
  clock: number | { receivedAgo: number; requestedAgo: number },
) {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  if (typeof clock === 'object') {
    const requestedAt = Date.now() - clock.requestedAgo;
    vi.spyOn(performance, 'timeOrigin', 'get').mockReturnValue(requestedAt);
  }
  const container = document.createElement('div');
  container.innerHTML = serverHtml;
  document.body.appendChild(container);
  const sync = createBalanceSync({
    // The request never answers: only the hydration and the render after it can fix the page.
    fetchBalance: () => new Promise<never>(() => {}),
    userId: 'A',
    logger: false,
    cache: [memoryCache()],
    ...(typeof clock === 'number'
      ? { initialData: { balance: 100, receivedAt: T }, now: () => clock }
      : { initialData: { balance: 100, receivedAt: Date.now() - clock.receivedAgo } }),
  });
  let root: Root | undefined;
  await act(async () => {
    root = hydrateRoot(
      container,
      <BalanceSyncProvider sync={sync} userId="A">
        <Balance />
      </BalanceSyncProvider>,
    );
  });
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
  mounted.push({ root: root as Root, sync, container });
  return { dom: container.innerHTML, errors: errors.mock.calls.length };
}

const fresh = '<span class="fresh">100 tokens</span>';
const stale = '<span class="stale">100 tokens</span>';

it('fresh on the server, within the TTL here: hydrates without an error and stays fresh', async () => {
  expect(await hydrate(fresh, T + 5_000)).toEqual({ dom: fresh, errors: 0 });
});

it('fresh on the server, past the TTL by this clock (late hydration, clock ahead): marked stale', async () => {
  expect(await hydrate(fresh, T + 40_000)).toEqual({ dom: stale, errors: 0 });
});

it('stale on the server and by this clock: marked stale', async () => {
  expect((await hydrate(stale, T + 40_000)).dom).toBe(stale);
});

it('past maxStaleMs on both sides: not shown, and no hydration error', async () => {
  const gone = '<span class="fresh">loading</span>';
  expect(await hydrate(gone, T + 2 * 86_400_000)).toEqual({ dom: gone, errors: 0 });
});

// The browser's own clock: the server rendered just after the page was asked for, so the
// hydration judges as of that moment (`performance.timeOrigin`) and reaches the server's verdict.
it('stale on the server (old initialData), browser clock: hydrates stale, without an error', async () => {
  const page = { receivedAgo: 60_000, requestedAgo: 20_000 };
  expect(await hydrate(stale, page)).toEqual({ dom: stale, errors: 0 });
});

it('fresh on the server, browser clock, hydrated after the TTL ran out: no error, then stale', async () => {
  const page = { receivedAgo: 40_000, requestedAgo: 39_900 };
  expect(await hydrate(fresh, page)).toEqual({ dom: stale, errors: 0 });
});

it('fresh on the server and here, browser clock: hydrates fresh, without an error', async () => {
  const page = { receivedAgo: 5_000, requestedAgo: 4_900 };
  expect(await hydrate(fresh, page)).toEqual({ dom: fresh, errors: 0 });
});
