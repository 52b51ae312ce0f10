/** Counts the DOM listeners registered on a target and not removed (a leak probe). */
export function countListeners(target: EventTarget): () => number {
  const live = new Map<string, Set<unknown>>();
  const key = (type: string, options?: boolean | EventListenerOptions) =>
    `${type}|${typeof options === 'boolean' ? options : options?.capture === true}`;
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  target.addEventListener = (type, listener, options) => {
    const set = live.get(key(type, options)) ?? new Set();
    set.add(listener);
    live.set(key(type, options), set);
    add(type, listener, options);
  };
  target.removeEventListener = (type, listener, options) => {
    live.get(key(type, options))?.delete(listener);
    remove(type, listener, options);
  };
  return () => [...live.values()].reduce((sum, set) => sum + set.size, 0);
}
