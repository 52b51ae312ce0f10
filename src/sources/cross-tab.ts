import { Observable } from 'rxjs';
import type { BalanceEvent } from '../../machines/events.js';
import { globalValue } from './global-value.js';
import type { BroadcastChannelCtor, LockManagerLike } from './runtime-types.js';
import { decodeTabMessage, encodeTabMessage } from './tab-message.js';
import type { BalanceSource } from './types.js';

export interface CrossTabSourceOptions {
  /** @default `${keyPrefix}:balance-sync` */
  channelName?: string;
  /** A getter, so SSR and old browsers yield undefined (the tab then acts alone). */
  broadcastChannel?: () => BroadcastChannelCtor | undefined;
  /** Web Locks; `null` turns leadership off. A getter for the same reason. */
  locks?: () => LockManagerLike | null | undefined;
}

const defaultChannel = (): BroadcastChannelCtor | undefined =>
  globalValue<BroadcastChannelCtor>('BroadcastChannel');

const defaultLocks = (): LockManagerLike | undefined =>
  globalValue<{ locks?: LockManagerLike }>('navigator')?.locks;

/**
 * Tabs of one browser as one: values fetched or pushed in a tab reach the others
 * (`TAB.BALANCE`), as do invalidations, sign-in, switch and sign-out. Leadership through the
 * Web Locks API (`navigator.locks.request`), not a home-made election: exactly one tab holds the
 * lock and polls for all; when it closes, the next waiting tab gets the lock. Without
 * BroadcastChannel every tab acts alone; without Web Locks there is no leader, every tab polls.
 *
 * @example
 * createBalanceSync({ fetchBalance, sources: [windowSource(), crossTabSource()] });
 */
export function crossTabSource(options: CrossTabSourceOptions = {}): BalanceSource {
  return ({ local$, keyPrefix, logger }) =>
    new Observable<BalanceEvent>((subscriber) => {
      const Channel = (options.broadcastChannel ?? defaultChannel)();
      if (Channel === undefined) {
        logger.info('no BroadcastChannel: this tab acts alone');
        return;
      }
      const name = options.channelName ?? `${keyPrefix}:balance-sync`;
      const channel = new Channel(name);
      channel.onmessage = (message: { data: unknown }) => {
        const decoded = decodeTabMessage(message.data);
        if ('event' in decoded) subscriber.next(decoded.event);
        else logger.warn(`rejected cross-tab message: ${decoded.rejected}`);
      };
      channel.onmessageerror = () => logger.warn('rejected cross-tab message: not deserializable');
      const outgoing = local$.subscribe((happening) =>
        channel.postMessage(encodeTabMessage(happening)),
      );

      const locks = (options.locks ?? defaultLocks)();
      const abort = new AbortController();
      let release = (): void => {};
      if (locks) {
        subscriber.next({ type: 'TAB.FOLLOWER' });
        locks
          .request(`${name}:leader`, { signal: abort.signal }, () => {
            if (abort.signal.aborted) return undefined;
            logger.info('this tab leads: it polls and revalidates for all tabs');
            subscriber.next({ type: 'TAB.LEADER' });
            // Hold the lock until this source is unsubscribed (sync.stop() or the tab closes).
            return new Promise<void>((resolve) => {
              release = resolve;
            });
          })
          .catch((error: unknown) => {
            if (!abort.signal.aborted)
              logger.warn('leadership lock failed', { error: String(error) });
          });
      }

      return () => {
        abort.abort();
        release();
        outgoing.unsubscribe();
        channel.onmessage = null;
        channel.close();
      };
    });
}
