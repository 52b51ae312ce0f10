/**
 * Foreign caches as invalidation targets, without depending on them: they are passed in.
 * Register them with `sync.addInvalidationTarget(name, target)`.
 */
import type { InvalidationTarget } from '../types.js';

/**
 * SWR: `swrTarget(mutate, '/api/profile')` revalidates that key with SWR's global `mutate` (its
 * key type is taken from `mutate`, so SWR's own typings fit without a cast).
 */
export function swrTarget<Key>(mutate: (key: Key) => unknown, key: Key): InvalidationTarget {
  return () => mutate(key);
}

/** The part of a TanStack Query `QueryClient` this needs. */
export interface QueryClientLike {
  /** Marks the queries under `queryKey` stale and refetches the active ones. */
  invalidateQueries(filters: { queryKey: readonly unknown[] }): Promise<unknown>;
}

/** TanStack Query: invalidates (and so refetches active) queries under `queryKey`. */
export function queryClientTarget(
  queryClient: QueryClientLike,
  queryKey: readonly unknown[],
): InvalidationTarget {
  return () => queryClient.invalidateQueries({ queryKey });
}
