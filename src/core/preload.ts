import type { BalanceValue, HydratedValue } from '../../machines/context.js';
import { checkStoredEntry } from '../cache/entry.js';
import type { CacheLayer } from '../cache/layer.js';
import { type LayerAccess, pendingOperation } from './layer-access.js';
import { isPromiseLike, isRecord, readPlain } from './shared.js';

/**
 * A layer's answer when it gives one synchronously, as a plain copy (an entry whose getters or
 * proxy traps throw is no answer); null when it throws or answers with a promise (an
 * asynchronous layer answers through the hydration; its rejection here must not become an
 * unhandled one).
 */
function readNow(access: LayerAccess, layer: CacheLayer, userId: string): { raw: unknown } | null {
  try {
    const raw = layer.read(userId, access.scope);
    if (!isPromiseLike(raw)) return { raw: readPlain(raw) };
    Promise.resolve(raw).then(undefined, () => {});
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
    const value = freshIn(access, layer, userId);
    if (value !== null) return { value, source: layer.name };
  }
  return null;
}

function freshIn(access: LayerAccess, layer: CacheLayer, userId: string): BalanceValue | null {
  const answer = readNow(access, layer, userId);
  if (answer === null || answer.raw === null || answer.raw === undefined) return null;
  try {
    if (layer.perTab === true && sharedStorageDisowns(access, userId, markOf(answer.raw)) === true)
      return null;
    const checked = checkStoredEntry(answer.raw, userId, access.ttlMs, access.now());
    return checked.ok && access.now() < checked.value.expiresAt ? checked.value : null;
  } catch {
    // An entry that cannot be read (a getter of a class instance throws) is no answer now; the
    // hydration reads it again and logs why it is rejected.
    return null;
  }
}

/** What identifies one stored value: its balance and, when it has one, its version. */
export interface ValueMark {
  balance: number;
  version: number | null;
  epoch: string | null;
}

export const markOf = (raw: unknown): ValueMark | null => {
  const data = isRecord(raw) ? raw.data : null;
  if (!isRecord(data) || typeof data.balance !== 'number') return null;
  const { balance, version, epoch } = data;
  return {
    balance,
    version: typeof version === 'number' ? version : null,
    epoch: typeof epoch === 'string' ? epoch : null,
  };
};

/**
 * Another tab that received the same value stores it again with its own receive time: the same
 * balance at the same version (and epoch) is the same value, whoever wrote it.
 */
const sameValue = (a: ValueMark, b: ValueMark): boolean =>
  a.balance === b.balance && a.version === b.version && a.epoch === b.epoch;

/**
 * Whether the storage the tabs share no longer holds `known` for this user: the first shared
 * layer that answers synchronously has no entry, or another value (`undefined` when no shared
 * layer answers synchronously). What this tab alone kept (its memory layer, the actor's value
 * while stopped) and the shared storage lost was removed or replaced by another tab while this
 * sync was not listening: a sign-out, a switch, an invalidation. It is not shown again. A layer
 * this tab's last write to failed (a full localStorage) tells nothing: it never held the value.
 */
export function sharedStorageDisowns(
  access: LayerAccess,
  userId: string,
  known: ValueMark | null,
): boolean | undefined {
  for (const layer of access.layers) {
    if (layer.perTab === true || access.unwritten.get(layer)?.has(userId) === true) continue;
    const answer = readNow(access, layer, userId);
    if (answer === null) continue;
    const shared = markOf(answer.raw);
    return shared === null || known === null || !sameValue(shared, known);
  }
  return undefined;
}
