import type { BalanceSync } from '../types.js';

interface Holder {
  count: number;
  stopPending: boolean;
  /** The app had started the sync itself before any provider held it: the app stops it. */
  startedByApp: boolean;
}

const holders = new WeakMap<BalanceSync, Holder>();

/**
 * Ref-counted start/stop: the first holder starts the sync, the last one to let go stops it,
 * unless the app had started it itself (as TanStack Query's provider mounts and unmounts a
 * client the app may also run). The stop waits a microtask because StrictMode unmounts and
 * remounts effects at once in development: stopping on the spot would abort the first request
 * and start a second.
 */
export function retainSync(sync: BalanceSync): () => void {
  let holder = holders.get(sync);
  if (holder === undefined) {
    holder = { count: 0, stopPending: false, startedByApp: false };
    holders.set(sync, holder);
  }
  const current = holder;
  // Stopped (never started, or the app stopped it while held): this hold starts it, so the last
  // one to let go stops it. Running at a first hold: the app started it, unless our own stop is
  // still pending (StrictMode's remount).
  if (sync.actor.getSnapshot().matches('stopped')) current.startedByApp = false;
  else if (current.count === 0 && !current.stopPending) current.startedByApp = true;
  current.count++;
  current.stopPending = false;
  sync.start(); // idempotent
  let released = false;
  return () => {
    if (released) return;
    released = true;
    current.count--;
    if (current.count > 0 || current.startedByApp) return;
    current.stopPending = true;
    queueMicrotask(() => {
      if (current.stopPending && current.count === 0) {
        current.stopPending = false;
        sync.stop();
      }
    });
  };
}
