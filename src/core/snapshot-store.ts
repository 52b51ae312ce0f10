/**
 * `getSnapshot()` and `subscribe()` over the actor: the public state is always a selection of
 * the actor's snapshot as of now, memoised so that reads return the same object until something
 * visible changed. Each `subscribe()` call is a subscription of its own; a listener that throws
 * is reported and does not stop the others.
 */
import type { Actor } from 'xstate';
import type { BalanceMachine } from '../../machines/balance.machine.js';
import type { BalanceListener, BalanceLogger, BalanceState } from '../types.js';
import { type BalanceSnapshot, sameState, selectState } from './select-state.js';
import { describeError } from './shared.js';

export function createSnapshotStore(
  actor: Actor<BalanceMachine>,
  now: () => number,
  logger: BalanceLogger,
) {
  let state = selectState(actor.getSnapshot(), now());
  let published = state;
  const listeners = new Set<{ listener: BalanceListener }>();

  /** The memoised public state of `snapshot` as of now. */
  function read(snapshot: BalanceSnapshot = actor.getSnapshot()): BalanceState {
    const next = selectState(snapshot, now());
    if (!sameState(state, next)) state = next;
    return state;
  }

  function publish(snapshot: BalanceSnapshot): void {
    const next = read(snapshot);
    if (next === published) return;
    published = next;
    for (const entry of [...listeners]) {
      if (!listeners.has(entry)) continue; // unsubscribed by an earlier listener
      try {
        entry.listener(next);
      } catch (error) {
        logger.error('a balance subscriber threw', { error: describeError(error) });
      }
    }
  }

  actor.subscribe({
    next: publish,
    error: (error) => logger.error('balance machine failed', { error: describeError(error) }),
  });

  return {
    read: () => read(),
    subscribe(listener: BalanceListener): () => void {
      // An object per call: the same function subscribed twice is two subscriptions.
      const entry = { listener };
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
  };
}
