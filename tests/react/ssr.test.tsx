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
});
