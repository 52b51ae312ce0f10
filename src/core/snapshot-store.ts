/**
 * `getSnapshot()` and `subscribe()` over the actor: the public state is always a selection of
 * the actor's snapshot as of now, memoised so that reads return the same object until something
 * visible changed. Each `subscribe()` call is a subscription of its own; a listener that throws
 * is reported and does not stop the others.
 *
 * A call made while the actor is busy (from a listener, or from `fetchBalance`, a logger or a
 * target the sync is running) is queued by XState until the current event is processed. For
 * `setUser` and `stop` the store records what was asked and reads show it at once, so that
 * "when `setUser('B')` returns, the snapshot belongs to B" holds there too (SPEC, invariant 1).
 */
import type { Actor } from 'xstate';
import type { BalanceMachine } from '../../machines/balance.machine.js';
import type { BalanceListener, BalanceLogger, BalanceState } from '../types.js';
import { noValueState } from './no-value-state.js';
import { type BalanceSnapshot, sameState, selectState } from './select-state.js';
import { describeError } from './shared.js';

export function createSnapshotStore(
  actor: Actor<BalanceMachine>,
  now: () => number,
  logger: BalanceLogger,
) {
  let state = selectState(actor.getSnapshot(), now());
  /** `last`: the state the listener was last called with, or told of when it subscribed. */
  const listeners = new Set<{ listener: BalanceListener; last: BalanceState }>();
  /** The state the last publish told its listeners: a new subscription starts from it. */
  let published = state;
  /** Snapshots the actor has published: unchanged across a `send`, the event was queued. */
  let processed = 0;
  /** A user asked for while the actor was busy, until a snapshot of that user is published. */
  let queuedUser: { userId: string | null } | null = null;
  /** A stop asked for while the actor was busy, until a stopped snapshot is published. */
  let queuedStop = false;
  /** Callbacks of `sendThen` whose event is still queued; all run if the machine fails. */
  const awaitingEvents = new Set<() => void>();

  /** The public state of `snapshot` as of now, with what queued calls asked for. */
  function select(snapshot: BalanceSnapshot): BalanceState {
    const stopped = queuedStop || snapshot.matches('stopped');
    if (queuedUser !== null && snapshot.context.userId !== queuedUser.userId) {
      const { userId } = queuedUser;
      return noValueState(userId, stopped || userId === null ? 'idle' : 'hydrating');
    }
    const selected = selectState(snapshot, now());
    return stopped && selected.status !== 'idle'
      ? { ...selected, status: 'idle', isFetching: false }
      : selected;
  }

  /** The memoised public state of `snapshot` as of now. */
  function read(snapshot: BalanceSnapshot = actor.getSnapshot()): BalanceState {
    const next = select(snapshot);
    if (!sameState(state, next)) state = next;
    return state;
  }

  function publish(snapshot: BalanceSnapshot): void {
    processed++;
    if (queuedUser !== null && snapshot.context.userId === queuedUser.userId) queuedUser = null;
    if (queuedStop && snapshot.matches('stopped')) queuedStop = false;
    for (const entry of [...listeners]) {
      if (!listeners.has(entry)) continue; // unsubscribed by an earlier listener
      // An earlier listener may have switched the user or stopped the sync: the later ones get
      // what getSnapshot() says now, never the previous user's state (invariant 1), and each
      // listener hears of a state once, whichever publish tells it first.
      const current = read();
      published = current;
      if (entry.last === current) continue;
      entry.last = current;
      try {
        entry.listener(current);
      } catch (error) {
        logger.error('a balance subscriber threw', { error: describeError(error) });
      }
    }
  }

  actor.subscribe({
    next: publish,
    error: (error) => {
      logger.error('balance machine failed', { error: describeError(error) });
      // A failed machine processes nothing more: no caller may wait for it for ever.
      for (const then of [...awaitingEvents]) then();
    },
  });

  /** Sends `event`; true when the actor processed it before returning, false when it was queued. */
  function sendNow(event: Parameters<typeof actor.send>[0]): boolean {
    const before = processed;
    actor.send(event);
    return processed !== before;
  }

  /**
   * Sends `event` and calls `then` once the actor processed it: before returning, or, when the
   * actor was busy (a call from a listener), once the events queued before it are processed.
   * XState reports each processed event to the system's inspectors, the same object as sent.
   */
  function sendThen(event: Parameters<typeof actor.send>[0], then: () => void): void {
    const done = () => {
      if (!awaitingEvents.delete(done)) return;
      inspection.unsubscribe();
      then();
    };
    awaitingEvents.add(done);
    const inspection = actor.system.inspect((inspected) => {
      if (inspected.type === '@xstate.snapshot' && inspected.event === event) done();
    });
    actor.send(event);
  }

  return {
    read: () => read(),
    sendThen,
    /** The user as of the last `setUser`, processed or queued. */
    currentUser: (): string | null =>
      queuedUser !== null ? queuedUser.userId : actor.getSnapshot().context.userId,
    /** Whether the sync is stopped, or a stop is queued. */
    isStopped: () => queuedStop || actor.getSnapshot().matches('stopped'),
    /** Changes the user; reads show the new user at once, even when the event is queued. */
    changeUser(event: Extract<Parameters<typeof actor.send>[0], { type: 'USER.CHANGED' }>) {
      queuedUser = sendNow(event) ? null : { userId: event.userId };
    },
    stop() {
      queuedStop = !sendNow({ type: 'STOP' });
    },
    start(forget = false) {
      // A queued stop is followed by this start: reads show the actor's own state again.
      queuedStop = false;
      actor.send({ type: 'START', forget });
    },
    subscribe(listener: BalanceListener): () => void {
      // An object per call: the same function subscribed twice is two subscriptions. It starts
      // where the others stand, so the next publish calls it exactly when it calls them (a state
      // gone stale by time alone, read meanwhile, is still news to every one of them).
      const entry = { listener, last: published };
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
  };
}
