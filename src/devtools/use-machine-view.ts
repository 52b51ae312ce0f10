'use client';
import { useEffect, useState } from 'react';
import type { SnapshotFrom } from 'xstate';
import type { BalanceMachine } from '../../machines/balance.machine.js';
import type { BalanceSync } from '../types.js';

export interface LogEntry {
  /** Increasing per hook instance: a stable React key. */
  id: number;
  at: number;
  event: string;
  /** The state of every region after the event, e.g. `data.cached · socket.live`. */
  to: string;
}

type Snapshot = SnapshotFrom<BalanceMachine>;

/** XState's internal event names, readable: `after ttl`, `fetchBalance done`. */
export function describeEventType(type: string): string {
  const after = /^xstate\.after\.([^.]+)\./.exec(type);
  if (after) return `after ${after[1]}`;
  const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(type);
  if (actor) return `${actor[2]} ${actor[1]}`;
  return type;
}

/** `{ data: { fetching: 'valueFresh' }, socket: 'live' }` → `data.fetching.valueFresh · socket.live`. */
export function describeStateValue(value: unknown, prefix = ''): string {
  if (typeof value === 'string') return `${prefix}${value}`;
  if (value === null || typeof value !== 'object') return prefix.replace(/\.$/, '');
  return Object.entries(value)
    .map(([key, child]) => describeStateValue(child, `${prefix}${key}.`))
    .join(' · ');
}

/**
 * The running actor's snapshots and its recent events with the state each led to. Follows the
 * actor across stop/start (a new actor each time) through XState's system inspection.
 */
export function useMachineView(sync: BalanceSync, limit: number) {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(
    () => sync.actor?.getSnapshot() ?? null,
  );
  const [log, setLog] = useState<LogEntry[]>([]);

  useEffect(() => {
    let bound: BalanceSync['actor'] = null;
    let nextId = 0;
    let unbind = (): void => {};
    const bind = (): void => {
      if (sync.actor === bound) return;
      unbind();
      bound = sync.actor;
      const actor = bound;
      setSnapshot(actor?.getSnapshot() ?? null);
      if (actor === null) {
        unbind = () => {};
        return;
      }
      const snapshots = actor.subscribe((next) => setSnapshot(next));
      const inspection = actor.system.inspect((event) => {
        if (event.type !== '@xstate.snapshot' || event.actorRef !== actor) return;
        const entry: LogEntry = {
          id: nextId++,
          at: Date.now(),
          event: describeEventType(event.event.type),
          to: describeStateValue((event.snapshot as Snapshot).value),
        };
        setLog((previous) => [...previous.slice(-(limit - 1)), entry]);
      });
      unbind = () => {
        snapshots.unsubscribe();
        inspection.unsubscribe();
      };
    };
    bind();
    const unsubscribe = sync.subscribe(bind);
    return () => {
      unsubscribe();
      unbind();
    };
  }, [sync, limit]);

  return { snapshot, log };
}
