/**
 * Events the balance machine understands. `BalanceEvent` is the public union: sources emit
 * it and `sync.send()` accepts it. `InternalEvent`s are sent only by the core.
 */

import type { HydratedValue } from './context.js';

/** A value pushed by the server (`token-balance-updated`) or relayed by another tab. */
export interface PushedBalance {
  userId: string;
  balance: number;
  version?: number | null;
  /** Changes when the server restarts its version counter (SPEC "Versions and epochs"). */
  epoch?: string | null;
  updatedAt?: number | string | null;
}

export type BalanceEvent =
  | { type: 'FOCUS' }
  | { type: 'VISIBLE' }
  | { type: 'HIDDEN' }
  | { type: 'ONLINE' }
  | { type: 'OFFLINE' }
  /**
   * The push channel is live. `hello`: the current value the server sent as the connection
   * opened; `resumed`: the server replayed every event missed since the last one seen. Either
   * spares the catch-up request. `relayed`: the leader tab's connection, told to a follower
   * (which opens none): the leader catches up and broadcasts; the follower fetches only if no
   * value arrives within the leader grace.
   */
  | { type: 'SOCKET.CONNECTED'; hello?: PushedBalance; resumed?: boolean; relayed?: boolean }
  | { type: 'SOCKET.DISCONNECTED' }
  | ({ type: 'SOCKET.BALANCE_UPDATED' } & PushedBalance)
  | { type: 'SOCKET.INVALIDATE'; userId: string }
  | { type: 'REFRESH'; skipCache?: boolean }
  /** `requestId`: set by `sync.invalidate()` to find its report among the machine's. */
  | { type: 'INVALIDATE'; reason?: string; requestId?: number }
  /** `preloaded`: a fresh cached value of that user the core read synchronously. */
  | { type: 'USER.CHANGED'; userId: string | null; preloaded?: HydratedValue | null }
  | ({ type: 'TAB.BALANCE' } & PushedBalance)
  | { type: 'TAB.INVALIDATED'; userId: string | null }
  | { type: 'TAB.USER_CHANGED'; userId: string | null }
  /** Another tab started a request for this user: focus here is deduped against it. */
  | { type: 'TAB.FETCH_STARTED'; userId: string }
  /** Leadership (Web Locks): the leader polls and revalidates for all tabs. */
  | { type: 'TAB.LEADER' }
  | { type: 'TAB.FOLLOWER' };

export type BalanceEventType = BalanceEvent['type'];

/** What an optimistic debit's commit resolved with, as far as the core could read it. */
export interface CommitPayload {
  version: number | null;
  epoch: string | null;
  /** The balance after the debit, when the commit's answer carried a valid one. */
  balance?: number;
  updatedAt?: number | string | null;
}

/** How one layer or target fared in an invalidation. */
export interface InvalidationOutcome {
  name: string;
  ok: boolean;
  /** Why it failed (`DeadlineError: ...` when it did not settle in time); null when ok. */
  error: string | null;
}

/** What `invalidate()` resolves with: every layer and target, and how each fared. */
export interface InvalidationReport {
  userId: string | null;
  reason: string | null;
  /** True when every layer and target was cleared. */
  ok: boolean;
  layers: InvalidationOutcome[];
  targets: InvalidationOutcome[];
  startedAt: number;
  finishedAt: number;
}

/** What the machine tells its observers (`actor.on(type, ...)`). */
export type BalanceEmitted = {
  type: 'invalidated';
  /** The `requestId` of the `INVALIDATE` that started it; null for another tab's or a push's. */
  requestId: number | null;
  report: InvalidationReport;
};

/**
 * Events only the core sends: the lifecycle (`sync.start()` / `sync.stop()`), optimistic
 * updates (`sync.applyOptimistic()`) and the invalidation actors' progress.
 */
export type InternalEvent =
  | { type: 'START' }
  | { type: 'STOP' }
  | { type: 'OPTIMISTIC.APPLY'; id: number; delta: number }
  /** `userId`: whose debit it was; `answer`: what a resolved commit said (rules 1 and 3). */
  | {
      type: 'OPTIMISTIC.SETTLE';
      id: number;
      ok: boolean;
      userId: string | null;
      answer?: CommitPayload;
    }
  /** The layers of invalidation `id` are cleared (each answered or timed out): refetch now. */
  | { type: 'INVALIDATION.LAYERS_CLEARED'; id: string }
  /** Invalidation `id` settled: its layers and targets, each answered, failed or aborted. */
  | {
      type: 'INVALIDATION.SETTLED';
      id: string;
      requestId: number | null;
      report: InvalidationReport;
    };

export type MachineEvent = BalanceEvent | InternalEvent;

/** Every `type` of the public union, for validation and model tests. */
export const balanceEventTypes = [
  'FOCUS',
  'VISIBLE',
  'HIDDEN',
  'ONLINE',
  'OFFLINE',
  'SOCKET.CONNECTED',
  'SOCKET.DISCONNECTED',
  'SOCKET.BALANCE_UPDATED',
  'SOCKET.INVALIDATE',
  'REFRESH',
  'INVALIDATE',
  'USER.CHANGED',
  'TAB.BALANCE',
  'TAB.INVALIDATED',
  'TAB.USER_CHANGED',
  'TAB.FETCH_STARTED',
  'TAB.LEADER',
  'TAB.FOLLOWER',
] as const satisfies readonly BalanceEventType[];
