/**
 * Events the balance machine understands. `BalanceEvent` is the public union: sources emit
 * it and `sync.send()` accepts it. `InternalEvent`s are sent only by the core.
 */

import type { HydratedValue } from './context.js';

/** A value pushed by the server (`token-balance-updated`) or relayed by another tab. */
export interface PushedBalance {
  /** Whose balance it is: a value for another user than the signed-in one is rejected. */
  userId: string;
  /** The balance: a finite number within the safe integer range. */
  balance: number;
  /** A number the server increases with every change; a lower one than shown is discarded. */
  version?: number | null;
  /** Changes when the server restarts its version counter (SPEC "Versions and epochs"). */
  epoch?: string | null;
  /** When the balance last changed on the server: ms since epoch, or an ISO 8601 string. */
  updatedAt?: number | string | null;
}

/**
 * Everything that can happen to the balance from outside, as events discriminated on `type`:
 * sources emit them and `sync.send()` accepts them (checked first; bad input is logged, never
 * thrown).
 * - `FOCUS` / `VISIBLE` / `HIDDEN`: page visibility; raw window focus only when opted in.
 * - `ONLINE` / `OFFLINE`: network reachability.
 * - `SOCKET.CONNECTED` / `SOCKET.DISCONNECTED`: the push channel's state; `hello`, `resumed`
 * and `relayed` as commented below.
 * - `SOCKET.BALANCE_UPDATED`: a pushed value (a `PushedBalance`).
 * - `SOCKET.INVALIDATE`: the server says `userId`'s balance changed, without the value.
 * - `REFRESH` / `INVALIDATE`: as `sync.refresh({ skipCache })` / `sync.invalidate({ reason })`.
 * - `USER.CHANGED`: sign-in, switch or sign-out (`userId: null`), as `sync.setUser()`.
 * - `TAB.*`: from other tabs (`crossTabSource`): a value, an invalidation, a user change, a
 * request started, and this tab's leadership.
 */
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
   * value arrives within the leader grace. When the leader's connection opened with a hello or a
   * resume, the follower is told `resumed` instead: what it brought was relayed before.
   * `userId`, with `resumed`: whose events the server replayed (its marker's); a resume of
   * another user's events spares nothing: it is rejected (logged) and the catch-up is made.
   * `connectedAt`, with `relayed`: when the leader's connection opened (the sync's clock): only
   * a value another tab observed since then is its catch-up.
   */
  | {
      type: 'SOCKET.CONNECTED';
      hello?: PushedBalance;
      resumed?: boolean;
      relayed?: boolean;
      userId?: string;
      connectedAt?: number;
    }
  | { type: 'SOCKET.DISCONNECTED' }
  | ({ type: 'SOCKET.BALANCE_UPDATED' } & PushedBalance)
  | { type: 'SOCKET.INVALIDATE'; userId: string }
  | { type: 'REFRESH'; skipCache?: boolean }
  /** `requestId`: set by `sync.invalidate()` to find its report among the machine's. */
  | { type: 'INVALIDATE'; reason?: string; requestId?: number }
  /** `preloaded`: a fresh cached value of that user the core read synchronously. */
  | { type: 'USER.CHANGED'; userId: string | null; preloaded?: HydratedValue | null }
  /**
   * Another tab's value. `observedAt`: since when that tab knew it current (the sync's clock):
   * when its request started, or when the push arrived. Only a value observed after a
   * connection opened is the catch-up that connection owes; none given (an older app version's
   * tab): it settles no catch-up.
   */
  | ({ type: 'TAB.BALANCE'; observedAt?: number } & PushedBalance)
  | { type: 'TAB.INVALIDATED'; userId: string | null }
  | { type: 'TAB.USER_CHANGED'; userId: string | null }
  /** Another tab started a request for this user: focus here is deduped against it. */
  | { type: 'TAB.FETCH_STARTED'; userId: string }
  /** Leadership (Web Locks): the leader polls and revalidates for all tabs. */
  | { type: 'TAB.LEADER' }
  | { type: 'TAB.FOLLOWER' };

/** The `type` of a `BalanceEvent`, e.g. `'SOCKET.BALANCE_UPDATED'` (all: `balanceEventTypes`). */
export type BalanceEventType = BalanceEvent['type'];

/** What an optimistic debit's commit resolved with, as far as the core could read it. */
export interface CommitPayload {
  /** The version the debit produced, if the answer carried one: it settles the debit (SPEC rule 1). */
  version: number | null;
  /** The epoch that version belongs to, if the answer carried one. */
  epoch: string | null;
  /** The balance after the debit, when the commit's answer carried a valid one. */
  balance?: number;
  /** When the server applied the debit, as the answer said (epoch ms or a date string). */
  updatedAt?: number | string | null;
}

/** How one layer or target fared in an invalidation. */
export interface InvalidationOutcome {
  /** The layer's name, or the name the target was registered under. */
  name: string;
  /** True when it was cleared (settled without an error within `targetTimeoutMs`). */
  ok: boolean;
  /** Why it failed (`DeadlineError: ...` when it did not settle in time); null when ok. */
  error: string | null;
}

/** What `invalidate()` resolves with: every layer and target, and how each fared. */
export interface InvalidationReport {
  /** Whose entries were cleared; `null` when signed out (legacy keys and targets only). */
  userId: string | null;
  /** The `reason` given to `invalidate()`, or `null`. */
  reason: string | null;
  /** True when every layer and target was cleared. */
  ok: boolean;
  /** One outcome per cache layer, in the order of the `cache` option. */
  layers: InvalidationOutcome[];
  /** One outcome per registered invalidation target. */
  targets: InvalidationOutcome[];
  /** When the invalidation started, ms since epoch (the sync's clock). */
  startedAt: number;
  /** When its last layer or target settled, ms since epoch. */
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
  /**
   * `forget`: what this actor knew before it was stopped is gone from the storage the tabs
   * share (another tab signed out, switched or invalidated meanwhile): not shown again.
   */
  | { type: 'START'; forget?: boolean }
  | { type: 'STOP' }
  | { type: 'OPTIMISTIC.APPLY'; id: number; delta: number }
  /**
   * `answer`: what a resolved commit said (rules 1 and 3). Whose debit it was is the machine's
   * to say (`sessionDebitsFrom`): a `setUser()` queued before the debit makes it the new user's.
   */
  | { type: 'OPTIMISTIC.SETTLE'; id: number; ok: boolean; answer?: CommitPayload }
  /** The layers of invalidation `id` are cleared (each answered or timed out): refetch now. */
  | { type: 'INVALIDATION.LAYERS_CLEARED'; id: string }
  /** Invalidation `id` settled: its layers and targets, each answered, failed or aborted. */
  | {
      type: 'INVALIDATION.SETTLED';
      id: string;
      requestId: number | null;
      report: InvalidationReport;
    };

/** Every event the machine handles: the public `BalanceEvent`s and the core's `InternalEvent`s. */
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
