/**
 * Foreign caches as invalidation targets, without depending on them: they are passed in.
 * Register them with `sync.addInvalidationTarget(name, target)`.
 */
import type { InvalidationTarget } from '../types.js';

/** SWR: `swrTarget(mutate, '/api/auth/token-balance')` revalidates that key (global `mutate`). */
export function swrTarget(mutate: (key: unknown) => unknown, key: unknown): InvalidationTarget {
  return () => mutate(key);
}

/** The part of a TanStack Query `QueryClient` this needs. */
export interface QueryClientLike {
  invalidateQueries(filters: { queryKey: readonly unknown[] }): Promise<unknown>;
}

/** TanStack Query: invalidates (and so refetches active) queries under `queryKey`. */
export function queryClientTarget(
  queryClient: QueryClientLike,
  queryKey: readonly unknown[],
): InvalidationTarget {
  return () => queryClient.invalidateQueries({ queryKey });
}
