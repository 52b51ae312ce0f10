/** What the chart's actors are started with, and the parameters of its named effects. */
import type { InvalidationReport } from './events.js';

/** The cache read of hydration: whose entry. */
export interface ReadCacheInput {
  /** The user whose entry to read from each layer. */
  userId: string;
}
/** One request: whose balance, and whether to bypass HTTP caches. */
export interface FetchBalanceInput {
  /** The user whose balance to fetch. */
  userId: string;
  /** True for `refresh({ skipCache: true })`: bypass HTTP caches too. */
  skipCache: boolean;
}
/** What the `invalidation` child actor is started with: one invalidation's scope and subject. */
export interface InvalidationInput {
  /** The child actor's id, echoed in the events it sends back. */
  id: string;
  /** The `requestId` of the `sync.invalidate()` call it answers, if any. */
  requestId: number | null;
  /** The user whose entries to clear; `null` when signed out. */
  userId: string | null;
  /** The reason given to `invalidate()` (`other tab` for a relayed one), or `null`. */
  reason: string | null;
  /**
   * `all`: every layer, legacy keys and every target (`sync.invalidate()`); `local`: this tab's
   * own layers only (another tab already cleared the shared ones); `targets`: foreign caches
   * only (a push told of a server change).
   */
  scope: 'all' | 'local' | 'targets';
}
/** Why an input was rejected, for the log and the metrics. */
export interface RejectionParams {
  /** Why it was rejected, e.g. `message for another user`. */
  reason: string;
  /** What was rejected, e.g. the event type `SOCKET.BALANCE_UPDATED`. */
  input: string;
}

/** A report for an event that carries none (never emitted in practice). */
export const emptyReport = (): InvalidationReport => ({
  userId: null,
  reason: null,
  ok: true,
  layers: [],
  targets: [],
  startedAt: 0,
  finishedAt: 0,
});
