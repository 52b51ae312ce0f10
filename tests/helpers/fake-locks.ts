/**
 * Web Locks for Node tests (Node 20 has none): exclusive locks by name, granted in request
 * order, released when the holder's promise settles; a request can be aborted while waiting.
 */
import type { LockManagerLike } from '../../src/sources/runtime-types.js';

export function fakeLocks(): LockManagerLike & { holder(name: string): number | null } {
  const queues = new Map<string, { id: number; grant: () => void }[]>();
  const held = new Map<string, number>();
  let ids = 0;
  const next = (name: string) => {
    const waiting = queues.get(name);
    if (held.has(name) || !waiting || waiting.length === 0) return;
    waiting.shift()?.grant();
  };
  return {
    holder: (name) => held.get(name) ?? null,
    request(name, { signal }, callback) {
      const id = ++ids;
      return new Promise((resolve, reject) => {
        const entry = {
          id,
          grant: () => {
            held.set(name, id);
            Promise.resolve(callback({ name }))
              .then(resolve, reject)
              .finally(() => {
                held.delete(name);
                next(name);
              });
          },
        };
        signal.addEventListener('abort', () => {
          const waiting = queues.get(name) ?? [];
          const index = waiting.indexOf(entry);
          if (index >= 0) {
            waiting.splice(index, 1);
            reject(signal.reason);
          }
        });
        queues.set(name, [...(queues.get(name) ?? []), entry]);
        next(name);
      });
    },
  };
}
