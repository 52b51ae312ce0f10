// @vitest-environment node
// Server rendering: no window, no storage; the server snapshot is the sync's current state.
import { renderToString } from 'react-dom/server';
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

    it('within its TTL, or of unknown age: shown fresh', () => {
      expect(render(1_000).state).toMatchObject({ status: 'cached', isStale: false, balance: 50 });
      expect(render(undefined).state).toMatchObject({ isStale: false, expiresAt: null });
    });
  });
});
