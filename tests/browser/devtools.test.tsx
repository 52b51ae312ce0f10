/**
 * The devtools panel in real Chromium, next to a small demo widget. `npm run screenshot` saves
 * the picture the README shows (docs/devtools.png); in `npm test` it is taken but not saved.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { BalanceDevtools } from '../../src/devtools/index.js';
import { BalanceSyncProvider, useBalance } from '../../src/react/index.js';
import type { BalanceSync } from '../../src/types.js';

declare const __SAVE_SCREENSHOTS__: boolean;

let sync: BalanceSync | null = null;
afterEach(() => {
  cleanup();
  sync?.stop();
});

function Widget() {
  const { balance, isStale, isFetching } = useBalance();
  return (
    <p style={{ font: '16px system-ui', margin: '0 0 12px' }}>
      Tokens: <strong data-testid="widget">{balance ?? '…'}</strong>
      {isStale ? ' (stale)' : ''}
      {isFetching ? ' (updating)' : ''}
    </p>
  );
}

it('renders the devtools panel in Chromium (screenshot for the README)', async () => {
  let version = 1;
  sync = createBalanceSync({
    fetchBalance: async () => ({ balance: 1_250, version: version++ }),
    userId: 'alice',
    cache: [memoryCache()],
    logger: false,
    ttlMs: 30_000,
  });
  const current = sync;
  await page.viewport(520, 900);
  render(
    <div
      style={{ padding: 16, background: '#f3f4f6', display: 'inline-block' }}
      data-testid="frame"
    >
      <BalanceSyncProvider sync={current}>
        <Widget />
        <BalanceDevtools limit={6} />
      </BalanceSyncProvider>
    </div>,
  );
  await expect.poll(() => screen.getByTestId('widget').textContent).toBe('1250');
  current.send({ type: 'SOCKET.CONNECTED' });
  await expect.poll(() => current.getSnapshot().version).toBe(2);
  current.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'alice', balance: 1_180, version: 3 });
  current.send({ type: 'FOCUS' });
  current.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'mallory', balance: 99_999, version: 9 });
  await expect.poll(() => screen.getByTestId('widget').textContent).toBe('1180');
  const shot = await page.screenshot({
    element: screen.getByTestId('frame'),
    path: '../../docs/devtools.png',
    save: __SAVE_SCREENSHOTS__,
    base64: true,
  });
  // Saved, it answers { path, base64 }; not saved, the base64 string itself.
  const image = typeof shot === 'string' ? shot : shot.base64;
  expect(image.length).toBeGreaterThan(1_000);
});

it('works under StrictMode: no console error, no duplicated log entry, across stop and start', async () => {
  const errors: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => {
    errors.push(args);
    original(...args);
  };
  try {
    let version = 1;
    sync = createBalanceSync({
      fetchBalance: async () => ({ balance: 700, version: version++ }),
      userId: 'alice',
      cache: [memoryCache()],
      logger: false,
    });
    const current = sync;
    const view = render(
      <StrictMode>
        <BalanceSyncProvider sync={current}>
          <Widget />
          <BalanceDevtools limit={50} />
        </BalanceSyncProvider>
      </StrictMode>,
    );
    await expect.poll(() => screen.getByTestId('widget').textContent).toBe('700');
    for (let i = 0; i < 3; i++) {
      current.send({
        type: 'SOCKET.BALANCE_UPDATED',
        userId: 'alice',
        balance: 690 - i,
        version: 10 + i,
      });
    }
    await expect.poll(() => screen.getByTestId('widget').textContent).toBe('688');
    current.stop();
    current.start();
    // A new limit re-runs the panel's effect while its log is kept: ids must not restart.
    view.rerender(
      <StrictMode>
        <BalanceSyncProvider sync={current}>
          <Widget />
          <BalanceDevtools limit={49} />
        </BalanceSyncProvider>
      </StrictMode>,
    );
    current.send({ type: 'FOCUS' });
    await expect.poll(() => screen.getByTestId('events').textContent).toContain('FOCUS');
    const entries = [...screen.getByTestId('events').querySelectorAll('li')].map(
      (item) => item.textContent ?? '',
    );
    // Each push is logged once: StrictMode's second effect run must not double the subscription.
    const pushes = entries.filter((entry) => entry.includes('SOCKET.BALANCE_UPDATED'));
    expect(pushes).toHaveLength(3);
    expect(errors).toEqual([]);
    view.unmount();
  } finally {
    console.error = original;
  }
});
