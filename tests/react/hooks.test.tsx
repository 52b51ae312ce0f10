import { act, cleanup, render, screen } from '@testing-library/react';
import { StrictMode, Suspense, useRef } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BalanceSyncProvider,
  useBalance,
  useBalanceSelector,
  useInvalidateBalance,
} from '../../src/react/index.js';
import type { BalanceSync } from '../../src/types.js';
import { FakeServer } from '../helpers/fake-server.js';
import { createHarness, settleIO, useFakeClock } from '../helpers/harness.js';

beforeEach(() => useFakeClock());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const flushAll = () => act(async () => settleIO());

/** A provider of `sync` showing the balance, under StrictMode (effects run twice). */
const mountStrict = (sync: BalanceSync) =>
  render(
    <StrictMode>
      <BalanceSyncProvider sync={sync}>
        <BalanceText />
      </BalanceSyncProvider>
    </StrictMode>,
  );

type Rendered = { userId: string | null; balance: number | null };

/** Shows the balance; reports every render to `onRender` so tests can check each one. */
function BalanceText({
  suspense = false,
  onRender,
}: {
  suspense?: boolean;
  onRender?: (r: Rendered) => void;
}) {
  const { balance, userId } = useBalance({ suspense });
  onRender?.({ userId, balance });
  return <span data-testid="balance">{`${userId}:${balance}`}</span>;
}

function InvalidateButton({
  expose,
}: {
  expose: (fn: ReturnType<typeof useInvalidateBalance>) => void;
}) {
  expose(useInvalidateBalance());
  return null;
}

function Orphan() {
  useBalance();
  return null;
}

function RenderCounter({
  name,
  select,
  log,
}: {
  name: string;
  select: (s: never) => unknown;
  log: string[];
}) {
  const value = useBalanceSelector(select as never);
  const renders = useRef(0);
  renders.current++;
  log.push(`${name}:${String(value)}`);
  return <span data-testid={name}>{String(value)}</span>;
}

/** Reads only the balance: must not re-render for fetch status changes. */
function BalanceOnly({ log }: { log: string[] }) {
  const { balance } = useBalance();
  log.push(`balance:${balance}`);
  return null;
}

/** Reads isFetching too: re-renders for it. */
function FetchingToo({ log }: { log: string[] }) {
  const { balance, isFetching } = useBalance();
  log.push(`fetching:${balance}:${isFetching}`);
  return null;
}

/** Reads status only when told to, as a component whose props change would. */
function Status({ withStatus, seen }: { withStatus: boolean; seen: string[] }) {
  const result = useBalance();
  seen.push(withStatus ? `${result.balance}:${result.status}` : `${result.balance}`);
  return null;
}

describe('React bindings', () => {
  it('re-renders a component only when its selected slice changes', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    const log: string[] = [];
    render(
      <BalanceSyncProvider sync={h.sync}>
        <RenderCounter
          name="balance"
          select={(s: { balance: number | null }) => s.balance}
          log={log}
        />
        <RenderCounter name="user" select={(s: { userId: string | null }) => s.userId} log={log} />
      </BalanceSyncProvider>,
    );
    await flushAll();
    await act(async () => {
      h.server.respondNext();
      await settleIO();
    });
    await act(async () => {
      h.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 1_000_001, version: 5 });
    });
    expect(screen.getByTestId('balance').textContent).toBe('1000001');
    expect(log.filter((line) => line.startsWith('user:'))).toEqual(['user:u1']);
    expect(log.filter((line) => line.startsWith('balance:'))).toEqual([
      'balance:null',
      'balance:1000100',
      'balance:1000001',
    ]);
  });

  it('useBalance re-renders only for the fields a component reads (tracked)', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    const log: string[] = [];
    render(
      <BalanceSyncProvider sync={h.sync}>
        <BalanceOnly log={log} />
        <FetchingToo log={log} />
      </BalanceSyncProvider>,
    );
    await flushAll();
    await act(async () => {
      h.server.respondNext();
      await settleIO();
    });
    // A refresh that brings the same balance changes status and isFetching twice.
    await act(async () => {
      void h.sync.refresh({ skipCache: true });
      await settleIO();
      h.server.respondNext();
      await settleIO();
    });
    expect(h.server.count).toBe(2);
    expect(log.filter((line) => line.startsWith('balance:'))).toEqual([
      'balance:null',
      'balance:1000100',
    ]);
    expect(log.filter((line) => line.startsWith('fetching:'))).toEqual([
      'fetching:null:false',
      'fetching:null:true',
      'fetching:1000100:false',
      'fetching:1000100:true',
      'fetching:1000100:false',
    ]);
  });

  it('useBalance gives the current value of a field first read after a parent re-render', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    const seen: string[] = [];
    const view = render(
      <BalanceSyncProvider sync={h.sync}>
        <Status withStatus={false} seen={seen} />
      </BalanceSyncProvider>,
    );
    await flushAll();
    await act(async () => {
      h.server.respondNext();
      await settleIO();
    });
    // Status went fetching -> cached without a render here (not read); now it is read.
    view.rerender(
      <BalanceSyncProvider sync={h.sync}>
        <Status withStatus seen={seen} />
      </BalanceSyncProvider>,
    );
    expect(seen.at(-1)).toBe(`1000100:${h.sync.getSnapshot().status}`);
    expect(h.sync.getSnapshot().status).toBe('cached');
  });

  it('StrictMode double mount: one start, one request; unmount stops the sync', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    const view = mountStrict(h.sync);
    await flushAll();
    expect(h.server.count).toBe(1);
    expect(h.server.last()?.signal.aborted).toBe(false);
    view.unmount();
    await flushAll();
    expect(h.sync.actor.getSnapshot().matches('stopped')).toBe(true);
  });

  it('a sync the app started itself keeps running when the provider unmounts (StrictMode too)', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    h.sync.start();
    for (let mount = 0; mount < 2; mount++) {
      const view = mountStrict(h.sync);
      await flushAll();
      view.unmount();
      await flushAll();
      expect(h.sync.actor.getSnapshot().matches('stopped')).toBe(false);
    }
    expect(h.server.count).toBe(1);
    expect(h.server.last()?.signal.aborted).toBe(false);
    // Stopped by the app, a provider mounted later runs it, and stops it when it unmounts.
    h.sync.stop();
    const view = mountStrict(h.sync);
    await flushAll();
    expect(h.sync.actor.getSnapshot().matches('stopped')).toBe(false);
    view.unmount();
    await flushAll();
    expect(h.sync.actor.getSnapshot().matches('stopped')).toBe(true);
  });

  it('a sync the app started, then stopped while held, is restarted by a provider: stopped when the last lets go', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    h.sync.start();
    const first = render(
      <BalanceSyncProvider sync={h.sync}>
        <BalanceText />
      </BalanceSyncProvider>,
    );
    await flushAll();
    h.sync.stop();
    const second = render(
      <BalanceSyncProvider sync={h.sync}>
        <BalanceText />
      </BalanceSyncProvider>,
    );
    await flushAll();
    expect(h.sync.actor.getSnapshot().matches('stopped')).toBe(false);
    first.unmount();
    second.unmount();
    await flushAll();
    expect(h.sync.actor.getSnapshot().matches('stopped')).toBe(true);
  });

  it.each([
    ['leaving its user to the app', undefined],
    ['controlling its own user', 'u7'],
  ])(
    "a provider of another sync in between (A > B > A), %s: a switch never renders the previous user's balance",
    async (_, bUser) => {
      const a = createHarness();
      const b = createHarness();
      const rendered: Rendered[] = [];
      const tree = (userId: string) => (
        <BalanceSyncProvider sync={a.sync} userId={userId}>
          <BalanceSyncProvider sync={b.sync} {...(bUser === undefined ? {} : { userId: bUser })}>
            <BalanceSyncProvider sync={a.sync}>
              <BalanceText onRender={(r) => rendered.push(r)} />
            </BalanceSyncProvider>
          </BalanceSyncProvider>
        </BalanceSyncProvider>
      );
      const view = render(tree('u1'));
      await flushAll();
      await act(async () => {
        a.server.respondNext();
        await settleIO();
      });
      expect(rendered.at(-1)).toEqual({ userId: 'u1', balance: 1_000_100 });
      rendered.length = 0;
      view.rerender(tree('u2'));
      await flushAll();
      expect(rendered.length).toBeGreaterThan(0);
      expect(rendered.filter((r) => r.balance === 1_000_100)).toEqual([]);
    },
  );

  it("a user switch never renders the previous user's balance, not for one render", async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    const rendered: Rendered[] = [];
    render(
      <BalanceSyncProvider sync={h.sync}>
        <BalanceText onRender={(r) => rendered.push(r)} />
      </BalanceSyncProvider>,
    );
    await flushAll();
    await act(async () => {
      h.server.respondNext();
      await settleIO();
    });
    for (const user of ['u2', 'u1', 'u2', 'u3', 'u1']) {
      await act(async () => {
        // Switch while the previous user's request is in flight; its answer lands anyway.
        void h.sync.refresh({ skipCache: true });
        const previousUsersRequest = h.server.last();
        h.sync.setUser(user);
        previousUsersRequest?.resolve();
        await settleIO();
        h.server.respondNext();
        await settleIO();
      });
    }
    const belongs = (r: (typeof rendered)[number]) =>
      r.balance === null ||
      (r.userId !== null && Math.floor(r.balance / 1e6) * 1e6 === FakeServer.baseFor(r.userId));
    // The first render, the first value, then at least one render per switch (useBalance
    // re-renders only for the fields read here: balance and userId).
    expect(rendered.length).toBeGreaterThanOrEqual(2 + 5);
    expect(rendered.filter((r) => !belongs(r))).toEqual([]);
    expect(rendered.at(-1)).toEqual({ userId: 'u1', balance: 1_000_100 });
    // Each user's value was shown at some point: the test does exercise switches with values.
    expect(
      new Set(rendered.filter((r) => r.balance !== null).map((r) => r.userId)).size,
    ).toBeGreaterThan(1);
  });

  it('suspense mode shows the fallback until the first value', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    render(
      <BalanceSyncProvider sync={h.sync}>
        <Suspense fallback={<span data-testid="fallback">loading</span>}>
          <BalanceText suspense />
        </Suspense>
      </BalanceSyncProvider>,
    );
    await flushAll();
    expect(screen.getByTestId('fallback')).toBeTruthy();
    await act(async () => {
      h.server.respondNext();
      await settleIO();
    });
    expect(screen.getByTestId('balance').textContent).toBe('u1:1000100');
  });

  it('options mode creates and owns a sync and applies userId changes', async () => {
    const server = new FakeServer();
    const options = (userId: string) => ({
      fetchBalance: server.fetchBalance,
      userId,
      logger: false as const,
    });
    const view = render(
      <BalanceSyncProvider options={options('u1')}>
        <BalanceText />
      </BalanceSyncProvider>,
    );
    await flushAll();
    await act(async () => {
      server.respondNext();
      await settleIO();
    });
    expect(screen.getByTestId('balance').textContent).toBe('u1:1000100');
    view.rerender(
      <BalanceSyncProvider options={options('u2')}>
        <BalanceText />
      </BalanceSyncProvider>,
    );
    expect(screen.getByTestId('balance').textContent).toBe('u2:null');
    await act(async () => {
      await settleIO();
      server.respondNext();
      await settleIO();
    });
    expect(screen.getByTestId('balance').textContent).toBe('u2:2000100');
    view.unmount();
  });

  it('useInvalidateBalance invalidates; hooks outside a provider throw a clear error', async () => {
    const h = createHarness();
    h.sync.setUser('u1');
    let invalidate: ReturnType<typeof useInvalidateBalance> | undefined;
    render(
      <BalanceSyncProvider sync={h.sync}>
        <InvalidateButton
          expose={(fn) => {
            invalidate = fn;
          }}
        />
      </BalanceSyncProvider>,
    );
    await flushAll();
    const report = await act(async () => invalidate?.({ reason: 'test' }));
    expect(report?.reason).toBe('test');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<Orphan />)).toThrow(/BalanceSyncProvider/);
  });
});
