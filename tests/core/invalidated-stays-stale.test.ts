/**
 * SPEC "Freshness": "`invalidate()` clears every persisted layer and target, then refetches;
 * meanwhile the old value stays on screen marked stale". A live socket vouches for a value past
 * its TTL, but not for one the app just said is out of date (outside review 30, in Chromium).
 */
import { expect, it } from 'vitest';
import { createBalanceSync, memoryCache } from '../../src/index.js';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

it('an invalidated value stays stale until the refetch lands, with a live socket vouching', async () => {
  const answers: ((value: { balance: number; version: number }) => void)[] = [];
  const sync = createBalanceSync({
    userId: 'A',
    fetchBalance: () => new Promise((resolve) => answers.push(resolve)),
    cache: [memoryCache()],
    logger: false,
    revalidateOnFocus: false,
  });
  sync.start();
  sync.send({ type: 'SOCKET.CONNECTED' });
  await tick(5);
  answers.shift()?.({ balance: 100, version: 1 }); // the connection's catch-up
  await tick(5);
  expect(sync.getSnapshot()).toMatchObject({ balance: 100, status: 'cached', isStale: false });

  const report = sync.invalidate();
  await tick(5);
  const during = sync.getSnapshot();
  expect(during.balance).toBe(100);
  expect(during.status).toBe('fetching');
  expect(during.isStale).toBe(true);
  expect(during.expiresAt).not.toBeNull();

  answers.shift()?.({ balance: 90, version: 2 });
  await report;
  await tick(5);
  expect(sync.getSnapshot()).toMatchObject({ balance: 90, status: 'cached', isStale: false });
  sync.stop();
});
