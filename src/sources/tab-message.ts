/**
 * The cross-tab wire format. Versioned, because tabs of an older app version may still be open;
 * validated like any untrusted input, because any script on the origin can post to the channel.
 */
import type { BalanceEvent } from '../../machines/events.js';
import { isFiniteNumber, isRecord, isUserId } from '../core/shared.js';
import type { LocalHappening } from './types.js';

/**
 * The version of the cross-tab wire format, carried by every `TabMessage`: a tab ignores (and
 * logs) messages of another protocol, such as those of a newer or older app version.
 */
export const TAB_PROTOCOL = 'balance-sync/1';

/**
 * A message `crossTabSource` posts on its BroadcastChannel, by `kind`: `balance` (a value this
 * tab fetched or was pushed), `fetch-started`, `invalidated` and `user` (this tab's request,
 * invalidation or user change), `connection` (the leader's push connection) and
 * `connection-query` (a new follower asking for it). Received messages are validated
 * (`decodeTabMessage`), since any script on the origin can post to the channel.
 */
export type TabMessage =
  | {
      protocol: typeof TAB_PROTOCOL;
      kind: 'balance';
      userId: string;
      balance: number;
      version: number | null;
      /** Optional on the wire: tabs of an older app version do not send it. */
      epoch?: string | null;
      updatedAt: number | null;
      /** Since when the sender knew it current (see `TAB.BALANCE`); optional on the wire. */
      observedAt?: number;
    }
  | { protocol: typeof TAB_PROTOCOL; kind: 'fetch-started'; userId: string }
  | { protocol: typeof TAB_PROTOCOL; kind: 'invalidated'; userId: string | null }
  | ({ protocol: typeof TAB_PROTOCOL; kind: 'user'; userId: string | null } & Partial<UserStamp>)
  /**
   * The leader's push connection: live or not, for which user (followers open none).
   * `caughtUp`: it opened with the server's hello or a resume, which the leader posted before
   * this message, so it owes no catch-up request (optional on the wire: older tabs omit it).
   */
  | {
      protocol: typeof TAB_PROTOCOL;
      kind: 'connection';
      live: boolean;
      userId: string | null;
      caughtUp?: boolean;
      /** When the connection opened (optional on the wire). */
      connectedAt?: number;
    }
  /** A tab that just became a follower asks the leader for its connection's state. */
  | { protocol: typeof TAB_PROTOCOL; kind: 'connection-query' };

/**
 * When and where a user change was made (optional on the wire: older tabs omit it). Two tabs that
 * change the user at the same moment get each other's message: each keeps the later change
 * (the tab id breaks a tie), so both end on the same user instead of trading users for good.
 */
export interface UserStamp {
  /** `Date.now()` of the change: the tabs of one browser share its clock. */
  at: number;
  tab: string;
}

/** Whether change `a` was made after change `b` (the tab id breaks a tie). */
export const isLater = (a: UserStamp, b: UserStamp): boolean =>
  a.at > b.at || (a.at === b.at && a.tab > b.tab);

/** The leader's connection, as a follower hears it. */
export interface RelayedConnection {
  live: boolean;
  userId: string | null;
  /** The connection opened with a hello or a resume: no catch-up request follows. */
  caughtUp?: boolean;
  /** When it opened, on the sync's clock: only values observed since are its catch-up. */
  connectedAt?: number;
}

/** A decoded message: an event for the machine, a relay for the cross-tab source, or a reason. */
export type DecodedTabMessage =
  | { event: BalanceEvent; stamp?: UserStamp }
  | { connection: RelayedConnection }
  | { query: true }
  | { rejected: string };

export const connectionMessage = (connection: RelayedConnection): TabMessage => ({
  protocol: TAB_PROTOCOL,
  kind: 'connection',
  ...connection,
});

export const connectionQuery: TabMessage = { protocol: TAB_PROTOCOL, kind: 'connection-query' };

export function encodeTabMessage(happening: LocalHappening): TabMessage {
  switch (happening.type) {
    case 'value': {
      const { userId, balance, version, epoch, updatedAt } = happening.value;
      return {
        protocol: TAB_PROTOCOL,
        kind: 'balance',
        userId,
        balance,
        version,
        epoch,
        updatedAt,
        observedAt: happening.observedAt,
      };
    }
    case 'fetch-started':
      return { protocol: TAB_PROTOCOL, kind: 'fetch-started', userId: happening.userId };
    case 'invalidated':
      return { protocol: TAB_PROTOCOL, kind: 'invalidated', userId: happening.userId };
    case 'user':
      return { protocol: TAB_PROTOCOL, kind: 'user', userId: happening.userId };
  }
}

/** A message from another tab as an event (or a relay), or the reason it is rejected. */
export function decodeTabMessage(raw: unknown): DecodedTabMessage {
  if (!isRecord(raw)) return { rejected: 'not an object' };
  if (raw.protocol !== TAB_PROTOCOL)
    return { rejected: `unknown protocol ${String(raw.protocol)}` };
  const userId = raw.userId;
  switch (raw.kind) {
    case 'balance':
      if (!isUserId(userId)) return { rejected: 'balance without a user' };
      // Values are checked again by the core (finite, schema) and the machine (user, version).
      return {
        event: {
          type: 'TAB.BALANCE',
          userId,
          balance: raw.balance as number,
          version: (raw.version ?? null) as number | null,
          epoch: (raw.epoch ?? null) as string | null,
          updatedAt: (raw.updatedAt ?? null) as number | null,
          ...(isFiniteNumber(raw.observedAt) ? { observedAt: raw.observedAt } : {}),
        },
      };
    case 'fetch-started':
      return isUserId(userId)
        ? { event: { type: 'TAB.FETCH_STARTED', userId } }
        : { rejected: 'fetch notice without a user' };
    case 'invalidated':
      return userId === null || isUserId(userId)
        ? { event: { type: 'TAB.INVALIDATED', userId } }
        : { rejected: 'invalidation with a malformed user' };
    case 'user':
      if (userId !== null && !isUserId(userId)) {
        return { rejected: 'user change with a malformed user' };
      }
      return {
        event: { type: 'TAB.USER_CHANGED', userId },
        ...(isFiniteNumber(raw.at) && typeof raw.tab === 'string'
          ? { stamp: { at: raw.at, tab: raw.tab } }
          : {}),
      };
    case 'connection':
      return typeof raw.live === 'boolean' && (userId === null || isUserId(userId))
        ? {
            connection: {
              live: raw.live,
              userId,
              caughtUp: raw.caughtUp === true,
              ...(isFiniteNumber(raw.connectedAt) ? { connectedAt: raw.connectedAt } : {}),
            },
          }
        : { rejected: 'connection state with a malformed state or user' };
    case 'connection-query':
      return { query: true };
    default:
      return { rejected: `unknown kind ${String(raw.kind)}` };
  }
}
