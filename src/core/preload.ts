import type { HydratedValue } from '../../machines/context.js';
import { checkStoredEntry } from '../cache/entry.js';
import { type LayerAccess, pendingRemoval } from './layer-access.js';

const isPromiseLike = (raw: unknown): raw is PromiseLike<unknown> =>
  typeof raw === 'object' && raw !== null && typeof (raw as { then?: unknown }).then === 'function';

/**
 * A fresh value from the layers that answer synchronously (memory, localStorage, or any custom
 * layer whose `read` returns a value rather than a promise), so the first render after a reload
 * or a switch back shows the cached balance instead of a spinner. A layer is told by the value
 * it returns, never by its name. Only fresh entries: a preloaded value is never shown as fresh
 * past its TTL (invariant 3). The asynchronous hydration still runs and logs, counts and removes
 * what it rejects.
 */
export function preloadFresh(access: LayerAccess, userId: string | null): HydratedValue | null {
  if (userId === null) return null;
  for (const layer of access.layers) {
    // Being removed: not a value to show; the hydration reads it once the removal is done.
    if (pendingRemoval(access, layer, userId) !== undefined) continue;
    let raw: unknown;
    try {
      raw = layer.read(userId, access.scope);
    } catch {
      continue;
    }
    if (isPromiseLike(raw)) {
      // An asynchronous layer: its answer comes through the hydration; a rejection here must
      // not become an unhandled one.
      raw.then(undefined, () => {});
      continue;
    }
    if (raw === null || raw === undefined) continue;
    const checked = checkStoredEntry(raw, userId, access.ttlMs, access.now());
    if (checked.ok && access.now() < checked.value.expiresAt) {
      return { value: checked.value, source: layer.name };
    }
  }
  return null;
}
