'use client';
import { useSelector } from '@xstate/react';
import { useEffect, useRef, useState } from 'react';
import type { SnapshotFrom } from 'xstate';
import type { BalanceMachine } from '../../machines/balance.machine.js';
import type { BalanceSync } from '../types.js';

/** One line of the devtools event log (`useMachineView`'s `log`): an event and where it led. */
export interface LogEntry {
  /** Unique for the panel's whole life (StrictMode re-runs effects; keys must not repeat). */
  id: number;
  /** When the event was seen, ms since epoch, on the sync's clock (its `now` option). */
  at: number;
  /** The event's type, readable (`describeEventType`): `SOCKET.CONNECTED`, `after ttl`. */
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

/**
 * `{ running: { data: 'cached', socket: 'live' } }` → `data.cached · socket.live` (every region
 * lives inside `running`, so the prefix says nothing); `stopped` stays `stopped`.
 */
export function describeStateValue(value: unknown, prefix = ''): string {
  if (typeof value === 'string') return `${prefix}${value}`;
  if (value === null || typeof value !== 'object') return prefix.replace(/\.$/, '');
  return Object.entries(value)
    .map(([key, child]) =>
      describeStateValue(child, prefix === '' && key === 'running' ? '' : `${prefix}${key}.`),
    )
    .join(' · ');
}

/**
 * The sync's actor snapshot (through `@xstate/react`'s `useSelector`: the actor is the same for
 * the sync's whole life) and its recent events with the state each led to, from XState's
 * inspection API.
 */
export function useMachineView(sync: BalanceSync, limit: number) {
  const snapshot = useSelector(sync.actor, (next: Snapshot) => next);
  const [log, setLog] = useState<LogEntry[]>([]);
  // Survives StrictMode's effect re-runs, so ids never restart while the log is kept.
  const nextId = useRef(0);

  useEffect(() => {
    const actor = sync.actor;
    const inspection = actor.system.inspect((event) => {
      if (event.type !== '@xstate.snapshot' || event.actorRef !== actor) return;
      const entry: LogEntry = {
        id: nextId.current++,
        at: (event.snapshot as Snapshot).context.now(),
        event: describeEventType(event.event.type),
        to: describeStateValue((event.snapshot as Snapshot).value),
      };
      // `slice(-0)` would keep everything: a limit of 0 keeps nothing.
      setLog((previous) => (limit === 0 ? [] : [...previous, entry].slice(-limit)));
    });
    return () => inspection.unsubscribe();
  }, [sync, limit]);

  return { snapshot, log };
}
