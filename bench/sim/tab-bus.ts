/**
 * BroadcastChannel and Web Locks between the simulated tabs, delivering on the simulated clock
 * (a real BroadcastChannel would deliver on the real event loop, outside simulated time).
 * Only what the Web Locks API promises for exclusive locks: one holder per name, waiters
 * granted in request order, a waiting request withdrawn by its AbortSignal.
 */

interface ChannelLike {
  onmessage: ((message: MessageEvent) => void) | null;
}

export function createTabBus() {
  const channels = new Map<string, Set<ChannelLike>>();

  class SimBroadcastChannel implements ChannelLike {
    onmessage: ((message: MessageEvent) => void) | null = null;
    onmessageerror: (() => void) | null = null;
    constructor(readonly name: string) {
      const peers = channels.get(name) ?? new Set();
      peers.add(this);
      channels.set(name, peers);
    }
    postMessage(data: unknown): void {
      for (const peer of channels.get(this.name) ?? []) {
        if (peer === this) continue;
        const copy = structuredClone(data);
        setTimeout(() => peer.onmessage?.({ data: copy } as MessageEvent), 0);
      }
    }
    close(): void {
      channels.get(this.name)?.delete(this);
    }
  }

  type Grant = () => void;
  const holders = new Set<string>();
  const queues = new Map<string, Grant[]>();

  const release = (name: string): void => {
    holders.delete(name);
    const next = queues.get(name)?.shift();
    if (next) next();
  };

  const locks = {
    request<T>(
      name: string,
      options: { signal?: AbortSignal },
      callback: (lock: { name: string; mode: 'exclusive' }) => T | Promise<T>,
    ): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const grant: Grant = () => {
          holders.add(name);
          Promise.resolve()
            .then(() => callback({ name, mode: 'exclusive' }))
            .then(resolve, reject)
            .finally(() => release(name));
        };
        if (options.signal?.aborted) return reject(options.signal.reason);
        if (!holders.has(name)) return grant();
        queues.set(name, [...(queues.get(name) ?? []), grant]);
        options.signal?.addEventListener('abort', () => {
          const queue = queues.get(name) ?? [];
          if (!queue.includes(grant)) return;
          queues.set(
            name,
            queue.filter((waiting) => waiting !== grant),
          );
          reject(options.signal?.reason);
        });
      });
    },
  };

  return {
    BroadcastChannel: SimBroadcastChannel as unknown as new (name: string) => BroadcastChannel,
    locks: locks as unknown as LockManager,
    /** Open channels plus locks held or waited for: what a clean stop leaves at zero. */
    openHandles: () =>
      [...channels.values()].reduce((sum, set) => sum + set.size, 0) +
      holders.size +
      [...queues.values()].reduce((sum, queue) => sum + queue.length, 0),
  };
}
