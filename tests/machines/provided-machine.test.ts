// @vitest-environment node
/**
 * The machine as docs/statechart.md shows it ("Testing your flows with the machine"): provided
 * with `fetchBalance` only, it drives every flow, `INVALIDATE` included (the default
 * invalidation actor has nothing to clear and says so at once; it used to say nothing, and the
 * chart stayed in `invalidated.clearing` for ever).
 */
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise } from 'xstate';
import {
  balanceMachine,
  defaultConfig,
  type FetchBalanceInput,
  type FetchedBalance,
} from '../../machines/index.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('balanceMachine provided with fetchBalance only', () => {
  it('INVALIDATE refetches, reports, and takes pushes again', async () => {
    let fetches = 0;
    const machine = balanceMachine.provide({
      actors: {
        fetchBalance: fromPromise<FetchedBalance, FetchBalanceInput>(async () => {
          fetches++;
          return {
            balance: fetches === 1 ? 100 : 90,
            version: fetches,
            epoch: null,
            updatedAt: null,
          };
        }),
      },
    });
    const actor = createActor(machine, { input: { config: defaultConfig, userId: 'u1' } });
    const reports: unknown[] = [];
    actor.on('invalidated', (emitted) => reports.push(emitted));
    actor.start();
    actor.send({ type: 'START' });
    await tick();
    expect(actor.getSnapshot().context.value?.balance).toBe(100);
    actor.send({ type: 'INVALIDATE', requestId: 7 });
    await tick();
    expect(fetches).toBe(2);
    expect(actor.getSnapshot().context.value?.balance).toBe(90);
    expect(reports).toEqual([
      expect.objectContaining({ requestId: 7, report: expect.objectContaining({ ok: true }) }),
    ]);
    actor.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'u1', balance: 80, version: 5 });
    expect(actor.getSnapshot().context.value?.balance).toBe(80);
    actor.stop();
  });
});
