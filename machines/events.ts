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
   * spares the catch-up request.
   */
  | { type: 'SOCKET.CONNECTED'; hello?: PushedBalance; resumed?: boolean }
  | { type: 'SOCKET.DISCONNECTED' }
  | ({ type: 'SOCKET.BALANCE_UPDATED' } & PushedBalance)
  | { type: 'SOCKET.INVALIDATE'; userId: string }
  | { type: 'REFRESH'; skipCache?: boolean }
  | { type: 'INVALIDATE'; reason?: string }
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

/** Optimistic updates: sent by `sync.applyOptimistic()`, never by sources. */
export type InternalEvent =
  | { type: 'OPTIMISTIC.APPLY'; id: number; delta: number }
  /** `userId`: whose debit it was; `answer`: what a resolved commit said (rules 1 and 3). */
  | {
      type: 'OPTIMISTIC.SETTLE';
      id: number;
      ok: boolean;
      userId: string | null;
      answer?: CommitPayload;
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
