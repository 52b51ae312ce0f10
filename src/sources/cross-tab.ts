import { Observable } from 'rxjs';
import type { BalanceEvent } from '../../machines/events.js';
import { describeError } from '../core/shared.js';
import { checkCrossTabOptions } from './check-options.js';
import { globalValue } from './global-value.js';
import { createLeaderRelay } from './leader-relay.js';
import type { BroadcastChannelCtor, LockManagerLike } from './runtime-types.js';
import { tellsWhileStopped } from './stopped-relay.js';
import { decodeTabMessage, encodeTabMessage, isLater, type UserStamp } from './tab-message.js';
import type { BalanceSource } from './types.js';

/** Options of `crossTabSource`. */
export interface CrossTabSourceOptions {
  /**
   * The BroadcastChannel the tabs talk on; the leader lock is named after it
   * (`${channelName}:leader`). Tabs of apps with different names never hear each other.
   * @default `${keyPrefix}:balance-sync`
   */
  channelName?: string;
  /**
   * The BroadcastChannel constructor, asked on subscribe: a getter, so server rendering and old
   * browsers yield undefined (the tab then acts alone).
   * @default `() => globalThis.BroadcastChannel`
   */
  broadcastChannel?: () => BroadcastChannelCtor | undefined;
  /**
   * Web Locks, for leadership; a getter for the same reason. `null` or `undefined` turns
   * leadership off: every tab polls and holds its own push sources.
   * @default `() => navigator.locks`
   */
  locks?: () => LockManagerLike | null | undefined;
  /**
   * Push sources (`websocketSource`, `sseSource`, `fromSocketEvents`, ...) held by the leader
   * tab only: one connection per browser. The leader relays whether it is live; followers open
   * none. Without BroadcastChannel or Web Locks every tab holds its own. @default []
   */
  push?: BalanceSource | readonly BalanceSource[];
  /**
   * How often the leader restates its connection's state; a follower that hears nothing for
   * three times as long stops trusting it (a frozen or crashed leader). At least 100 ms: below,
   * a busy page would make followers drop and re-hear the connection, fetching each time.
   * @default 5_000
   */
  connectionHeartbeatMs?: number;
}

const defaultChannel = (): BroadcastChannelCtor | undefined =>
  globalValue<BroadcastChannelCtor>('BroadcastChannel');

const defaultLocks = (): LockManagerLike | undefined =>
  globalValue<{ locks?: LockManagerLike }>('navigator')?.locks;

/**
 * Tabs of one browser as one: values fetched or pushed in a tab reach the others
 * (`TAB.BALANCE`), as do invalidations, sign-in, switch and sign-out. Leadership through the
 * Web Locks API (`navigator.locks.request`), not a home-made election: exactly one tab holds the
 * lock, polls for all and holds the `push` sources (one connection per browser); when it
 * closes, the next waiting tab gets the lock and connects. Without BroadcastChannel every tab
 * acts alone; without Web Locks there is no leader, every tab polls and connects.
 *
 * @example
 * ```ts
 * import { createBalanceSync, crossTabSource, websocketSource, windowSource } from 'balance-sync';
 *
 * const sync = createBalanceSync({
 *   fetchBalance,
 *   sources: [
 *     windowSource(),
 *     crossTabSource({ push: websocketSource({ url: 'wss://api.example.com/ws', hello: true }) }),
 *   ],
 * });
 * ```
 */
export function crossTabSource(options: CrossTabSourceOptions = {}): BalanceSource {
  checkCrossTabOptions(options);
  const push = options.push === undefined ? [] : [options.push].flat();
  const channelOf = (keyPrefix: string) => {
    const Channel = (options.broadcastChannel ?? defaultChannel)();
    return Channel === undefined
      ? undefined
      : new Channel(options.channelName ?? `${keyPrefix}:balance-sync`);
  };
  const source: BalanceSource = (context) =>
    new Observable<BalanceEvent>((subscriber) => {
      const { local$, keyPrefix, logger } = context;
      const name = options.channelName ?? `${keyPrefix}:balance-sync`;
      const channel = channelOf(keyPrefix);
      const relay = createLeaderRelay({
        push,
        context,
        events: subscriber,
        post: channel === undefined ? undefined : (message) => channel.postMessage(message),
        heartbeatMs: options.connectionHeartbeatMs ?? 5_000,
      });
      if (channel === undefined) {
        logger.info('no BroadcastChannel: this tab acts alone');
        relay.alone();
        return () => relay.stop();
      }
      // The last user change this tab made or followed (see `UserStamp`).
      const tab = Math.random().toString(36).slice(2);
      let lastUserChange: UserStamp | null = null;
      channel.onmessage = (message: { data: unknown }) => {
        const decoded = decodeTabMessage(message.data);
        if ('event' in decoded) {
          const { stamp } = decoded;
          if (stamp !== undefined && lastUserChange !== null && !isLater(stamp, lastUserChange)) {
            logger.info("ignored another tab's user change: this tab changed the user after it");
            return;
          }
          if (stamp !== undefined) lastUserChange = stamp;
          subscriber.next(decoded.event);
        } else if ('connection' in decoded) relay.heard(decoded.connection);
        else if ('query' in decoded) relay.asked();
        else logger.warn(`rejected cross-tab message: ${decoded.rejected}`);
      };
      channel.onmessageerror = () => logger.warn('rejected cross-tab message: not deserializable');
      const outgoing = local$.subscribe((happening) => {
        const message = encodeTabMessage(happening);
        if (happening.type !== 'user') return channel.postMessage(message);
        // Later than any change this tab followed, should the wall clock have gone back since.
        lastUserChange = { at: Math.max(Date.now(), (lastUserChange?.at ?? 0) + 1), tab };
        channel.postMessage({ ...message, ...lastUserChange });
      });

      const locks = (options.locks ?? defaultLocks)();
      const abort = new AbortController();
      let release = (): void => {};
      if (locks) {
        subscriber.next({ type: 'TAB.FOLLOWER' });
        relay.follow();
        locks
          .request(`${name}:leader`, { signal: abort.signal }, () => {
            if (abort.signal.aborted) return undefined;
            logger.info('this tab leads: it holds the push connection and polls for all tabs');
            subscriber.next({ type: 'TAB.LEADER' });
            relay.lead();
            // Hold the lock until this source is unsubscribed (sync.stop() or the tab closes).
            return new Promise<void>((resolve) => {
              release = resolve;
            });
          })
          .catch((error: unknown) => {
            if (!abort.signal.aborted)
              logger.warn('leadership lock failed', { error: describeError(error) });
          });
      } else {
        relay.alone();
      }

      return () => {
        abort.abort();
        relay.stop();
        release();
        outgoing.unsubscribe();
        channel.onmessage = null;
        channel.close();
      };
    });
  // Stopped, the tab still tells the others its user changes and invalidations: one message on
  // a channel opened for it and closed at once (nothing listens while stopped, invariant 7).
  return tellsWhileStopped(source, (happening, { keyPrefix }) => {
    if (happening.type !== 'user' && happening.type !== 'invalidated') return;
    const channel = channelOf(keyPrefix);
    if (channel === undefined) return;
    try {
      const message = encodeTabMessage(happening);
      const stamp: UserStamp = { at: Date.now(), tab: Math.random().toString(36).slice(2) };
      channel.postMessage(happening.type === 'user' ? { ...message, ...stamp } : message);
    } finally {
      channel.close();
    }
  });
}
