import type { HydratedValue } from '../../machines/context.js';
import { checkStoredEntry } from '../cache/entry.js';
import type { CacheLayer } from '../cache/layer.js';
import { type LayerAccess, pendingOperation } from './layer-access.js';

export const isPromiseLike = (raw: unknown): raw is PromiseLike<unknown> =>
  typeof raw === 'object' && raw !== null && typeof (raw as { then?: unknown }).then === 'function';

/**
 * A layer's answer when it gives one synchronously; null when it throws or answers with a
 * promise (an asynchronous layer answers through the hydration; its rejection here must not
 * become an unhandled one).
 */
function readNow(access: LayerAccess, layer: CacheLayer, userId: string): { raw: unknown } | null {
  try {
    const raw = layer.read(userId, access.scope);
    if (!isPromiseLike(raw)) return { raw };
    raw.then(undefined, () => {});
  } catch {
    // A layer that throws has nothing to say now; the hydration logs it.
  }
  return null;
}

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
    // Being written or removed: the hydration reads it once that is done.
    if (pendingOperation(access, layer, userId) !== undefined) continue;
    const answer = readNow(access, layer, userId);
    if (answer === null) continue;
    const { raw } = answer;
    if (raw === null || raw === undefined) continue;
    if (layer.perTab === true && sharedStorageDisowns(access, userId, markOf(raw)) === true)
      continue;
    const checked = checkStoredEntry(raw, userId, access.ttlMs, access.now());
    if (checked.ok && access.now() < checked.value.expiresAt) {
      return { value: checked.value, source: layer.name };
    }
  }
  return null;
}

/** What identifies one stored value: its balance and when it was received. */
export interface ValueMark {
  balance: number;
  timestamp: number;
}

export const markOf = (raw: unknown): ValueMark | null => {
  const entry = raw as { data?: { balance?: unknown }; timestamp?: unknown } | null;
  const balance = entry?.data?.balance;
  const timestamp = entry?.timestamp;
  return typeof balance === 'number' && typeof timestamp === 'number'
    ? { balance, timestamp }
    : null;
};

/**
 * Whether the storage the tabs share no longer holds `known` for this user: the first shared
 * layer that answers synchronously has no entry, or another one (`undefined` when no shared
 * layer answers synchronously). What this tab alone kept (its memory layer, the actor's value
 * while stopped) and the shared storage lost was removed or replaced by another tab while this
 * sync was not listening: a sign-out, a switch, an invalidation. It is not shown again.
 */
export function sharedStorageDisowns(
  access: LayerAccess,
  userId: string,
  known: ValueMark | null,
): boolean | undefined {
  for (const layer of access.layers) {
    if (layer.perTab === true) continue;
    const answer = readNow(access, layer, userId);
    if (answer === null) continue;
    const shared = markOf(answer.raw);
    return (
      shared === null ||
      known === null ||
      shared.balance !== known.balance ||
      shared.timestamp !== known.timestamp
    );
  }
  return undefined;
}
