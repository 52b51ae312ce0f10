import type { BalanceSync } from '../types.js';

interface Holder {
  count: number;
  stopPending: boolean;
}

const holders = new WeakMap<BalanceSync, Holder>();

/**
 * Ref-counted start/stop: the first holder starts the sync, the last one to let go stops it.
 * The stop waits a microtask because StrictMode unmounts and remounts effects at once in
 * development: stopping on the spot would abort the first request and start a second.
 */
export function retainSync(sync: BalanceSync): () => void {
  let holder = holders.get(sync);
  if (holder === undefined) {
    holder = { count: 0, stopPending: false };
    holders.set(sync, holder);
  }
  const current = holder;
  current.count++;
  current.stopPending = false;
  sync.start(); // idempotent
  let released = false;
  return () => {
    if (released) return;
    released = true;
    current.count--;
    if (current.count > 0) return;
    current.stopPending = true;
    queueMicrotask(() => {
      if (current.stopPending && current.count === 0) {
        current.stopPending = false;
        sync.stop();
      }
    });
  };
}
