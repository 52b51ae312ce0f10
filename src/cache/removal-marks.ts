/**
 * IndexedDB removals not known to have landed, marked in localStorage. A page that navigates
 * away right after a sign-out (the usual "sign out, go to the login page") aborts the IndexedDB
 * transaction that would have deleted the user's entry, and nothing else would ever delete it:
 * the next person at a shared computer would find the balance on disk. localStorage is written
 * synchronously and outlives the page, so the next page of any tab that opens the same store
 * deletes what was marked first. A mark names neither the user nor the key, only their hashes
 * (`balance-sync:unremoved:<store>:<key>`): the sweep matches them against the store's keys.
 * Best effort: where localStorage is unavailable or full, nothing is marked.
 */
const PREFIX = 'balance-sync:unremoved:';

function shared(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // access denied (storage disabled, an opaque origin)
  }
}

/** FNV-1a, 32 bits: a collision only deletes an entry more, which is a cache miss. */
export function keyHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

const storePrefix = (store: string): string => `${PREFIX}${keyHash(store)}:`;
const markName = (store: string, hashOfKey: string): string => storePrefix(store) + hashOfKey;

let counter = 0;

/** Marks `key` of `store` as to be removed; the returned token unmarks that mark only. */
export function markRemoval(store: string, key: string): string | null {
  const token = `${Date.now()}.${++counter}`;
  try {
    shared()?.setItem(markName(store, keyHash(key)), token);
    return token;
  } catch {
    return null; // a full localStorage: the removal is still made, only not marked
  }
}

/** The mark on `key` now (a write unmarks what was marked before it was made, not after). */
export function currentMark(store: string, key: string): string | null {
  try {
    return shared()?.getItem(markName(store, keyHash(key))) ?? null;
  } catch {
    return null;
  }
}

/** Clears the mark on the key hashed `hashOfKey` if it is still `token` (not marked anew). */
export function unmarkHash(store: string, hashOfKey: string, token: string | null): void {
  if (token === null) return;
  try {
    const storage = shared();
    const name = markName(store, hashOfKey);
    if (storage?.getItem(name) === token) storage.removeItem(name);
  } catch {
    // storage gone meanwhile: the mark stays, and a later page removes the entry again
  }
}

export const unmarkRemoval = (store: string, key: string, token: string | null): void =>
  unmarkHash(store, keyHash(key), token);

/** The marks of `store`: the hash of each marked key, with its token. */
export function markedRemovals(store: string): Map<string, string> {
  const marked = new Map<string, string>();
  const storage = shared();
  if (storage === null) return marked;
  const prefix = storePrefix(store);
  try {
    for (let index = 0; index < storage.length; index++) {
      const name = storage.key(index);
      const token = name?.startsWith(prefix) ? storage.getItem(name) : null;
      if (name && token !== null) marked.set(name.slice(prefix.length), token);
    }
  } catch {
    // storage gone meanwhile: the rest is swept by a later page
  }
  return marked;
}
