import { concat, distinctUntilChanged, EMPTY, type Observable, of, switchMap } from 'rxjs';
import type { BalanceEvent } from '../../machines/events.js';

/** Which connection attempt is the current one, and whether it is open. */
export interface ChannelState {
  latest: { open: boolean } | null;
}

/**
 * One connection per signed-in user, none when signed out. A user change ends the old
 * connection first and says so (`SOCKET.DISCONNECTED`, if it was open): it no longer vouches
 * for anything.
 */
export function followUser(
  users: Observable<string | null>,
  state: ChannelState,
  connect: (userId: string) => Observable<BalanceEvent>,
): Observable<BalanceEvent> {
  return users.pipe(
    distinctUntilChanged(),
    switchMap((userId) => {
      // switchMap has already ended the old attempt; its `open` flag is still as it was.
      const wasOpen = state.latest?.open === true;
      state.latest = null;
      const dropped = wasOpen ? of<BalanceEvent>({ type: 'SOCKET.DISCONNECTED' }) : EMPTY;
      return userId === null ? dropped : concat(dropped, connect(userId));
    }),
  );
}
