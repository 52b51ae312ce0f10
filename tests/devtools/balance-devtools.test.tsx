import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryCache } from '../../src/cache/memory.js';
import { BalanceDevtools, describeStateValue } from '../../src/devtools/index.js';
import { BalanceSyncProvider } from '../../src/react/index.js';
import { createHarness, settleIO, startSettled, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const click = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

describe('<BalanceDevtools/>', () => {
  it('shows every region, the value with its expiry countdown, events and metrics', async () => {
    const h = createHarness({ ttlMs: 30_000 });
    await startSettled(h);
    render(
      <BalanceSyncProvider sync={h.sync}>
        <BalanceDevtools />
      </BalanceSyncProvider>,
    );
    const regions = screen.getAllByTestId('region').map((node) => node.textContent);
    expect(regions).toEqual([
      'data.cached',
      'socket.offline',
      'network.online',
      'tab.alone',
      'visibility.visible',
    ]);
    expect(screen.getByTestId('balance').textContent).toBe('1000100');
    expect(screen.getByText('30.0 s')).toBeTruthy();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10_000);
    });
    expect(screen.getByText('20.0 s')).toBeTruthy();
    expect(screen.getByText(/requests/).nextSibling?.textContent).toMatch(/^1 \(0 failed/);
  });

  it('its buttons send events, and the log shows each event with the state it led to', async () => {
    const h = createHarness();
    await startSettled(h);
    render(<BalanceDevtools sync={h.sync} />);
    await act(async () => {
      click('offline');
    });
    expect(screen.getAllByTestId('region').map((n) => n.textContent)).toContain('network.offline');
    await act(async () => {
      click('online');
      fireEvent.change(screen.getByLabelText('balance to push'), { target: { value: '42' } });
      click('push');
    });
    expect(screen.getByTestId('balance').textContent).toBe('42');
    expect(h.sync.getSnapshot()).toMatchObject({ balance: 42, version: 2, source: 'socket' });
    const events = screen.getByTestId('events').textContent ?? '';
    expect(events).toContain('SOCKET.BALANCE_UPDATED → data.cached');
    expect(events).toContain('OFFLINE → data.cached · socket.offline · network.offline');
    await act(async () => {
      click('invalidate');
      await settleIO();
    });
    expect(h.sync.metrics().invalidations).toBe(1);
    await act(async () => {
      fireEvent.change(screen.getByLabelText('user id'), { target: { value: 'u2' } });
      click('switch user');
    });
    expect(h.sync.getSnapshot().userId).toBe('u2');
    await act(async () => {
      click('focus');
      click('refresh');
    });
    expect(h.server.inFlight('u2')).toHaveLength(1);
  });

  it('follows the actor across stop and start', async () => {
    const h = createHarness();
    await startSettled(h);
    render(<BalanceDevtools sync={h.sync} />);
    await act(async () => h.sync.stop());
    expect(screen.getAllByTestId('region').map((n) => n.textContent)).toEqual(['stopped']);
    await act(async () => {
      h.sync.start();
      await settleIO();
    });
    expect(screen.getAllByTestId('region')[0]?.textContent).toBe('data.cached');
  });

  it('binds to the actor the provider starts after it (child effects run first), signed out too', async () => {
    const h = createHarness();
    render(
      <BalanceSyncProvider sync={h.sync}>
        <BalanceDevtools />
      </BalanceSyncProvider>,
    );
    await act(async () => settleIO());
    expect(screen.getAllByTestId('region')[0]?.textContent).toBe('data.idle');
    await act(async () => h.sync.send({ type: 'TAB.LEADER' }));
    expect(screen.getAllByTestId('region').map((n) => n.textContent)).toContain('tab.leader');
  });

  it('given its own sync inside a provider of another, shows that sync: its user and balance', async () => {
    const app = createHarness();
    const other = createHarness();
    await startSettled(other, 'u7');
    render(
      <BalanceSyncProvider sync={app.sync} userId="u1">
        <BalanceDevtools sync={other.sync} />
      </BalanceSyncProvider>,
    );
    await act(async () => settleIO());
    // The provider's user guard is for the provider's sync: not "user u1, balance —" here.
    const user = screen.getByText('user').nextSibling?.textContent;
    expect(user).toBe('u7');
    expect(screen.getByTestId('balance').textContent).toBe('7000100');
    expect(app.sync.getSnapshot().userId).toBe('u1'); // the provider still set its own sync's
  });

  it('below a provider whose user the sync has left, shows the user and balance the sync holds', async () => {
    const h = createHarness();
    await startSettled(h, 'u1');
    render(
      <BalanceSyncProvider sync={h.sync} userId="u1">
        <BalanceDevtools />
      </BalanceSyncProvider>,
    );
    await act(async () => {
      h.sync.setUser('u9'); // as another tab's sign-in would
      await settleIO();
      h.server.respondNext();
      await settleIO();
    });
    expect(screen.getByText('user').nextSibling?.textContent).toBe('u9');
    expect(screen.getByTestId('balance').textContent).toBe('9000100');
  });

  it('keeps exactly `limit` recent events, 1 and 0 included; a limit that is no count throws', async () => {
    const h = createHarness();
    await startSettled(h);
    const push = (balance: number, version: number) =>
      act(async () => {
        h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance, version });
      });
    const entries = () => screen.getByTestId('events').querySelectorAll('li');
    const { rerender } = render(<BalanceDevtools sync={h.sync} limit={1} />);
    for (let version = 2; version <= 5; version++) await push(version, version);
    expect(entries()).toHaveLength(1);
    expect(entries()[0]?.textContent).toContain('SOCKET.BALANCE_UPDATED');
    rerender(<BalanceDevtools sync={h.sync} limit={3} />);
    for (let version = 6; version <= 9; version++) await push(version, version);
    expect(entries()).toHaveLength(3);
    rerender(<BalanceDevtools sync={h.sync} limit={0} />);
    await push(10, 10);
    expect(entries()).toHaveLength(0);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const limit of [-1, 2.5, Number.NaN]) {
      expect(() => render(<BalanceDevtools sync={h.sync} limit={limit} />)).toThrow(TypeError);
    }
  });

  it("counts the expiry down and stamps events on the sync's own clock (a simulated one)", async () => {
    let simulated = Date.UTC(2030, 0, 1, 8);
    const h = createHarness({ ttlMs: 30_000, now: () => simulated });
    await startSettled(h);
    render(<BalanceDevtools sync={h.sync} />);
    expect(screen.getByText('30.0 s')).toBeTruthy();
    simulated += 12_000;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(250);
    });
    expect(screen.getByText('18.0 s')).toBeTruthy();
    await act(async () => {
      h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 5, version: 2 });
    });
    expect(screen.getByTestId('events').textContent).toContain('08:00:12.000');
  });

  it('describes nested state values', () => {
    expect(describeStateValue({ data: { fetching: 'valueFresh' }, socket: 'live' })).toBe(
      'data.fetching.valueFresh · socket.live',
    );
  });
});

describe('<BalanceDevtools/> rendered on the server', () => {
  it('hydrates with no mismatch: the countdown starts after mount, not from the render clock', async () => {
    const { renderToString } = await import('react-dom/server');
    const { hydrateRoot } = await import('react-dom/client');
    const h = createHarness({
      userId: 'u1',
      ttlMs: 30_000,
      initialData: { balance: 5, receivedAt: Date.now() },
    });
    const tree = (
      <BalanceSyncProvider sync={h.sync}>
        <BalanceDevtools />
      </BalanceSyncProvider>
    );
    const container = document.createElement('div');
    container.innerHTML = renderToString(tree);
    document.body.append(container);
    await vi.advanceTimersByTimeAsync(400); // the client hydrates later than the server rendered
    const errors: unknown[] = [];
    const root = await act(async () =>
      hydrateRoot(container, tree, { onRecoverableError: (error) => errors.push(error) }),
    );
    expect(errors).toEqual([]);
    expect(container.textContent).toMatch(/expires in\d+\.\d s/);
    act(() => root.unmount());
    container.remove();
  });

  it('hydrates with no mismatch where server and browser differ: cache layers, a sync already running', async () => {
    const { renderToString } = await import('react-dom/server');
    const { hydrateRoot } = await import('react-dom/client');
    const panel = (sync: ReturnType<typeof createHarness>['sync']) => (
      <BalanceSyncProvider sync={sync}>
        <BalanceDevtools />
      </BalanceSyncProvider>
    );
    // The server has no IndexedDB (its default layers are fewer) and never starts the sync.
    const server = createHarness({ userId: 'u1', cache: [memoryCache()] });
    const container = document.createElement('div');
    container.innerHTML = renderToString(panel(server.sync));
    document.body.append(container);
    const browser = createHarness({ userId: 'u1' });
    await startSettled(browser);
    const errors: unknown[] = [];
    const root = await act(async () =>
      hydrateRoot(container, panel(browser.sync), {
        onRecoverableError: (error) => errors.push(error),
      }),
    );
    expect(errors).toEqual([]);
    // Once mounted, the panel shows this browser's sync.
    expect(container.textContent).toContain('indexedDB');
    expect(screen.getAllByTestId('region')[0]?.textContent).toBe('data.cached');
    act(() => root.unmount());
    container.remove();
  });
});
