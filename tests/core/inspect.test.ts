// @vitest-environment node
// (@statelyai/inspect defers delivery to requestIdleCallback in a window, setTimeout in node.)
import { createInspector } from '@statelyai/inspect';
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/memory.js';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';

describe('inspect option', () => {
  it('shows the actor, its events and snapshots to a Stately inspector', async () => {
    const received: { type: string; event?: { type: string }; snapshot?: { value?: unknown } }[] =
      [];
    const inspector = createInspector({ send: (event) => received.push(event as never) });
    const sync = createBalanceSync({
      fetchBalance: async () => ({ balance: 5, version: 1 }),
      userId: 'u1',
      cache: [memoryCache()],
      logger: false,
      inspect: inspector.inspect,
    });
    sync.start();
    sync.send({ type: 'FOCUS' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    sync.stop();
    const types = new Set(received.map((event) => event.type));
    expect(types).toEqual(new Set(['@xstate.actor', '@xstate.event', '@xstate.snapshot']));
    const events = received
      .filter((event) => event.type === '@xstate.event')
      .map((event) => event.event?.type);
    expect(events).toEqual(expect.arrayContaining(['FOCUS', 'xstate.done.actor.fetchBalance']));
    const values = received
      .filter((event) => event.type === '@xstate.snapshot')
      .map((event) => JSON.stringify(event.snapshot?.value));
    expect(values).toEqual(expect.arrayContaining([expect.stringContaining('"data":"cached"')]));
  });

  it.each([
    [
      'a function',
      () => (): void => {
        throw new Error('devtool bug');
      },
    ],
    [
      'an observer',
      () => ({
        next(): void {
          throw new Error('devtool bug');
        },
      }),
    ],
  ])(
    'an inspector that throws (%s) is logged once and never throws into the app',
    async (_, make) => {
      const errors: string[] = [];
      const sync = createBalanceSync({
        fetchBalance: async ({ userId }) => ({ balance: userId === 'A' ? 1 : 2 }),
        userId: 'A',
        cache: [memoryCache()],
        logger: { debug() {}, info() {}, warn() {}, error: (message) => errors.push(message) },
        inspect: make(),
      });
      expect(() => sync.start()).not.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(() => sync.setUser('B')).not.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(sync.getSnapshot()).toMatchObject({ userId: 'B', balance: 2 });
      sync.stop();
      expect(errors).toEqual(['inspect observer threw (further errors not logged)']);
    },
  );
});
