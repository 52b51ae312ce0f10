// @vitest-environment node
// Server rendering: no window, no storage; the server snapshot is the sync's current state.
import { PassThrough } from 'node:stream';
import { Suspense } from 'react';
import { renderToPipeableStream, renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createBalanceSync } from '../../src/index.js';
import { BalanceSyncProvider, useBalance } from '../../src/react/index.js';

function Balance() {
  const { balance, status, userId } = useBalance();
  return <p>{`${userId} ${status} ${balance ?? '—'}`}</p>;
}

describe('server rendering', () => {
  it('renders without touching window and without starting anything', () => {
    expect(typeof window).toBe('undefined');
    const sync = createBalanceSync({
      fetchBalance: async () => ({ balance: 1 }),
      userId: 'u1',
      logger: false,
    });
    const html = renderToString(
      <BalanceSyncProvider sync={sync}>
        <Balance />
      </BalanceSyncProvider>,
    );
    expect(html).toBe('<p>u1 idle —</p>');
    expect(sync.actor.getSnapshot().matches('stopped')).toBe(true);
  });

  describe('initialData as old as its receivedAt says (invariant 3 on the server render)', () => {
    const DAY = 86_400_000;
    const render = (receivedAt: number | undefined) => {
      const now = Date.UTC(2026, 10, 27, 12);
      const sync = createBalanceSync({
        fetchBalance: () => new Promise(() => {}),
        userId: 'u1',
        logger: false,
        now: () => now,
        initialData: {
          balance: 50,
          ...(receivedAt === undefined ? {} : { receivedAt: now - receivedAt }),
        },
      });
      const html = renderToString(
        <BalanceSyncProvider sync={sync}>
          <Balance />
        </BalanceSyncProvider>,
      );
      return { html, state: sync.getServerSnapshot() };
    };

    it('past maxStaleMs: not shown at all', () => {
      const { html, state } = render(2 * DAY);
      expect(html).toBe('<p>u1 idle —</p>');
      expect(state.balance).toBeNull();
    });

    it('past its TTL: shown stale, with no expiry', () => {
      const { html, state } = render(60_000);
      expect(html).toBe('<p>u1 stale 50</p>');
      expect(state).toMatchObject({ isStale: true, expiresAt: null });
    });

    it('one sync serving several server renders (created at module scope): its value ages', () => {
      let now = Date.UTC(2026, 10, 27, 12);
      const sync = createBalanceSync({
        fetchBalance: () => new Promise(() => {}),
        userId: 'u1',
        logger: false,
        now: () => now,
        initialData: { balance: 50, receivedAt: now },
      });
      const first = sync.getServerSnapshot();
      expect(first).toMatchObject({ status: 'cached', isStale: false, balance: 50 });
      expect(sync.getServerSnapshot()).toBe(first); // the same object while nothing changed
      now += 60_000;
      expect(sync.getServerSnapshot()).toMatchObject({ status: 'stale', isStale: true });
      now += 2 * DAY;
      expect(sync.getServerSnapshot().balance).toBeNull();
    });

    it('within its TTL, or of unknown age: shown fresh', () => {
      expect(render(1_000).state).toMatchObject({ status: 'cached', isStale: false, balance: 50 });
      expect(render(undefined).state).toMatchObject({ isStale: false, expiresAt: null });
    });
  });
});

function SuspenseBalance() {
  const { balance } = useBalance({ suspense: true });
  return <p>{`${balance} tokens`}</p>;
}

describe('useBalance({ suspense: true }) on the server', () => {
  /** Streams the page as Next.js does; resolves when it ended, or with null after 2 s. */
  function stream(initialData?: { balance: number }) {
    const sync = createBalanceSync({
      fetchBalance: () => new Promise(() => {}),
      userId: 'u1',
      logger: false,
      ...(initialData === undefined ? {} : { initialData }),
    });
    const errors: unknown[] = [];
    return new Promise<{ html: string; errors: unknown[] } | null>((resolve) => {
      let html = '';
      const sink = new PassThrough();
      sink.on('data', (chunk) => {
        html += String(chunk);
      });
      sink.on('end', () => resolve({ html, errors }));
      const timer = setTimeout(() => {
        aborter.abort();
        resolve(null);
      }, 2_000);
      const aborter = renderToPipeableStream(
        <BalanceSyncProvider sync={sync}>
          <Suspense fallback={<p>loading</p>}>
            <SuspenseBalance />
          </Suspense>
        </BalanceSyncProvider>,
        {
          onAllReady: () => {
            clearTimeout(timer);
            aborter.pipe(sink);
          },
          onError: (error) => {
            errors.push(error);
          },
        },
      );
    });
  }

  it('with initialData: renders the value, nothing suspends', async () => {
    const result = await stream({ balance: 50 });
    expect(result?.html).toContain('<p>50 tokens</p>');
    expect(result?.errors).toEqual([]);
  });

  it('without a value: the page ends, with the fallback and an error that says why', async () => {
    const result = await stream();
    expect(result, 'the stream never ended').not.toBeNull();
    expect(result?.html).toContain('<p>loading</p>');
    expect(String(result?.errors[0])).toContain(
      'pass the balance your server fetched as initialData',
    );
  });
});
