/**
 * One push connection per browser (SPEC "Freshness policy"): the leader tab holds the push
 * sources (WebSocket, SSE) and tells the other tabs whether its connection is live; a follower
 * opens none and derives `SOCKET.CONNECTED` / `SOCKET.DISCONNECTED` from what the leader says,
 * so its value is vouched for exactly while the leader's connection is. Values the leader
 * receives reach the followers like every value a tab shows (`TAB.BALANCE`).
 *
 * A connection that opened with the server's hello or a resume owes no catch-up: the leader
 * lands (and posts) the hello or the replayed events before it announces the connection, so
 * the announcement says `caughtUp` and followers take it as a resumed connection. Otherwise a
 * follower would wait the leader grace for a catch-up value that has already come, then fetch.
 * A plain connection is caught up once a request this tab started after it opened has landed
 * (posted before any later announcement): a tab that starts under it then owes one request at
 * most, not that one and another after the grace.
 */
import type { Subscriber, Subscription } from 'rxjs';
import type { BalanceEvent } from '../../machines/events.js';
import { describeError } from '../core/shared.js';
import {
  connectionMessage,
  connectionQuery,
  type RelayedConnection,
  type TabMessage,
} from './tab-message.js';
import type { BalanceSource, SourceContext } from './types.js';

export interface LeaderRelayOptions {
  push: readonly BalanceSource[];
  context: SourceContext;
  events: Subscriber<BalanceEvent>;
  /** Posts to the other tabs; undefined where there is no channel (each tab on its own). */
  post: ((message: TabMessage) => void) | undefined;
  /** How often the leader restates its connection; a follower trusts it for 3× as long. */
  heartbeatMs: number;
}

/** A hello or a resume of the signed-in user's: what the connection brought is in the sync. */
const caughtUpBy = (
  event: Extract<BalanceEvent, { type: 'SOCKET.CONNECTED' }>,
  user: string | null,
): boolean =>
  user !== null &&
  (event.hello !== undefined
    ? event.hello.userId === user
    : event.resumed === true && (event.userId ?? user) === user);

export function createLeaderRelay(options: LeaderRelayOptions) {
  const { context, events, post, heartbeatMs } = options;
  let role: 'none' | 'leader' | 'follower' = 'none';
  let user: string | null = null;
  let ownLive = false;
  /** The leader's connection opened with a hello or a resume: it owes no catch-up. */
  let ownCaughtUp = false;
  /** When the own connection opened: a follower takes only values observed since as catch-up. */
  let ownConnectedAt = 0;
  let relayedLive = false;
  let held: Subscription[] = [];
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  /** A request started after the own plain connection opened: its value is the catch-up. */
  let catchUpRequested = false;
  const users = context.user$.subscribe((next) => {
    user = next;
    // A relayed connection was for the previous user: it vouches for nothing now.
    if (relayedLive) dropRelayed();
  });
  const caughtUpByRequest = context.local$.subscribe((happening) => {
    if (!ownLive || ownCaughtUp || user === null) return;
    if (happening.type === 'fetch-started' && happening.userId === user) catchUpRequested = true;
    if (happening.type !== 'value' || happening.source !== 'network') return;
    ownCaughtUp = catchUpRequested && happening.value.userId === user;
  });

  const announce = () =>
    post?.(
      connectionMessage({
        live: ownLive,
        userId: user,
        caughtUp: ownLive && ownCaughtUp,
        ...(ownLive ? { connectedAt: ownConnectedAt } : {}),
      }),
    );

  function dropRelayed(): void {
    relayedLive = false;
    clearTimeout(watchdog);
    events.next({ type: 'SOCKET.DISCONNECTED' });
  }

  /** Subscribes the push sources in this tab: as the leader, or on its own without a channel. */
  function hold(relay: boolean): void {
    if (relayedLive) dropRelayed();
    held = options.push.map((source) => {
      const stream = typeof source === 'function' ? source(context) : source;
      let connected = false;
      const next = (event: BalanceEvent): void => {
        const connection =
          event.type === 'SOCKET.CONNECTED' || event.type === 'SOCKET.DISCONNECTED';
        // Noted before the sync hears it: the catch-up request it may start at once counts.
        if (connection) {
          connected = ownLive = event.type === 'SOCKET.CONNECTED';
          catchUpRequested = false;
          ownCaughtUp = event.type === 'SOCKET.CONNECTED' && caughtUpBy(event, user);
          if (ownLive) ownConnectedAt = context.now();
        }
        events.next(event);
        // Announced after: what the connection brought (a hello) is posted first.
        if (connection && relay) announce();
      };
      // A push source that ends (fails or completes) after it said "connected" is heard no
      // more: its connection is gone, here and for the tabs this one relays to, or the socket
      // would vouch for the value forever.
      const ended = (): void => {
        if (connected) next({ type: 'SOCKET.DISCONNECTED' });
      };
      return stream.subscribe({
        next,
        error: (error: unknown) => {
          context.logger.error('push source failed', { error: describeError(error) });
          ended();
        },
        complete: ended,
      });
    });
    if (relay) heartbeat = setInterval(announce, heartbeatMs);
  }

  return {
    /** This tab leads: it holds the connection for all tabs. */
    lead(): void {
      role = 'leader';
      // The lock came free: the last leader is gone, maybe closed or crashed without a word.
      // Until this tab's own connection is up nothing is live, and followers must not wait
      // for the heartbeat watchdog to learn it (pushes in the gap would go unseen).
      ownLive = false;
      ownCaughtUp = false;
      catchUpRequested = false;
      announce();
      hold(post !== undefined);
    },
    /** Without a channel or without leadership every tab holds its own connection. */
    alone(): void {
      role = 'leader';
      hold(false);
    },
    /** This tab follows: it asks the leader how its connection is. */
    follow(): void {
      role = 'follower';
      post?.(connectionQuery);
    },
    /** The leader's connection state, as another tab said it. */
    heard(connection: RelayedConnection): void {
      if (role !== 'follower') return;
      const live = connection.live && connection.userId === user && user !== null;
      clearTimeout(watchdog);
      if (live) {
        // A leader that stops restating it (closed, crashed, frozen) stops vouching.
        watchdog = setTimeout(() => relayedLive && dropRelayed(), 3 * heartbeatMs);
        if (!relayedLive) {
          relayedLive = true;
          // Caught up: what the leader's connection brought came before this message (one
          // channel keeps its order), so nothing is owed. Otherwise the leader catches up for
          // all tabs and this one waits the grace for its value.
          const since = connection.connectedAt;
          events.next(
            connection.caughtUp === true
              ? { type: 'SOCKET.CONNECTED', resumed: true }
              : since === undefined
                ? { type: 'SOCKET.CONNECTED', relayed: true }
                : { type: 'SOCKET.CONNECTED', relayed: true, connectedAt: since },
          );
        }
      } else if (relayedLive) {
        dropRelayed();
      }
    },
    /** A follower asked: the leader answers with its state. */
    asked(): void {
      if (role === 'leader') announce();
    },
    stop(): void {
      const wasLeading = role === 'leader' && ownLive;
      for (const subscription of held) subscription.unsubscribe();
      held = [];
      clearInterval(heartbeat);
      clearTimeout(watchdog);
      users.unsubscribe();
      caughtUpByRequest.unsubscribe();
      if (wasLeading) {
        ownLive = false;
        announce();
      }
      role = 'none';
    },
  };
}
