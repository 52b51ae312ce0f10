import type { Observable } from 'rxjs';
import type { BalanceValue } from '../../machines/context.js';
import type { BalanceEvent } from '../../machines/events.js';
import type { BalanceLogger } from '../types.js';

/** Something this tab did itself, which other tabs may want to hear about. */
export type LocalHappening =
  /** `observedAt`: since when the value is known current (its request started, or it arrived). */
  | { type: 'value'; value: BalanceValue; source: 'network' | 'socket'; observedAt: number }
  | { type: 'fetch-started'; userId: string }
  | { type: 'invalidated'; userId: string | null }
  | { type: 'user'; userId: string | null };

/** What a source created by a function receives from the sync that subscribes it. */
export interface SourceContext {
  /** The signed-in user: the current one on subscribe, then every change (`null` = signed out). */
  user$: Observable<string | null>;
  /** This tab's own values, fetch starts, invalidations and user changes (never echoes of others). */
  local$: Observable<LocalHappening>;
  /** Prefix of the cache keys; names shared resources (channels, locks) per app. */
  keyPrefix: string;
  /** The sync's logger: a source logs through it (never throws into the app). */
  logger: BalanceLogger;
  /** The sync's clock (its `now` option): times told to other tabs are on it. */
  now: () => number;
}

/**
 * An event source: an Observable of events, or a function of the sync's context that returns
 * one (for sources that follow the signed-in user or talk back, such as the cross-tab source).
 */
export type BalanceSource =
  | Observable<BalanceEvent>
  | ((context: SourceContext) => Observable<BalanceEvent>);
