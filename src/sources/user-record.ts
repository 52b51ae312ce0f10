/**
 * The browser's last user change, kept in localStorage beside the BroadcastChannel message.
 * A message reaches only the pages that are running: a page in the back/forward cache hears
 * nothing, and once restored it would go on showing (and storing) the user another tab signed
 * out. Restored, it reads this record and follows a change made after what it knew.
 * Only the user id (or null) and the change's stamp are kept: no balance.
 */

import type { StorageLike } from '../cache/local-storage.js';
import { isFiniteNumber, isRecord, isUserId } from '../core/shared.js';
import { globalValue } from './global-value.js';
import type { UserStamp } from './tab-message.js';

export interface RecordedUserChange extends UserStamp {
  userId: string | null;
}

const storage = () => globalValue<StorageLike>('localStorage');

export function userRecord(channelName: string) {
  const key = `${channelName}:user`;
  return {
    /** Best effort: without localStorage (disabled, full) a restored page follows nothing. */
    write(change: RecordedUserChange): void {
      try {
        storage()?.setItem(key, JSON.stringify(change));
      } catch {}
    },
    /** The recorded change, or null when there is none or it cannot be read (any script may write it). */
    read(): RecordedUserChange | null {
      try {
        const raw: unknown = JSON.parse(storage()?.getItem(key) ?? 'null');
        if (!isRecord(raw) || !isFiniteNumber(raw.at) || typeof raw.tab !== 'string') return null;
        const { userId } = raw;
        return userId === null || isUserId(userId) ? { userId, at: raw.at, tab: raw.tab } : null;
      } catch {
        return null;
      }
    },
  };
}
