/**
 * IndexedDB removals not known to have landed, marked in sessionStorage. A page that navigates
 * away right after a sign-out (the usual "sign out, go to the login page") aborts the IndexedDB
 * transaction that would have deleted the user's entry, and nothing else would ever delete it:
 * the next person at a shared computer would find the balance on disk. sessionStorage is written
 * synchronously and survives a navigation or a reload of the tab, so the next page of the tab
 * that opens the same store deletes what was marked first. Best effort: where sessionStorage is
 * unavailable (some sandboxed frames) nothing is marked, and the tab closing loses the marks.
 */
const PREFIX = 'balance-sync:unremoved:';

function session(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // access denied (storage disabled, an opaque origin)
  }
}

const markName = (store: string, key: string): string => `${PREFIX}${JSON.stringify([store, key])}`;

let counter = 0;

/** Marks `key` of `store` as to be removed; the returned token unmarks that mark only. */
export function markRemoval(store: string, key: string): string | null {
  const token = `${Date.now()}.${++counter}`;
  try {
    session()?.setItem(markName(store, key), token);
    return token;
  } catch {
    return null; // a full sessionStorage: the removal is still made, only not marked
  }
}

/** The mark on `key` now (a write unmarks what was marked before it was made, not after). */
export function currentMark(store: string, key: string): string | null {
  try {
    return session()?.getItem(markName(store, key)) ?? null;
  } catch {
    return null;
  }
}

/** Clears the mark on `key` if it is still `token` (a later removal marked it anew). */
export function unmarkRemoval(store: string, key: string, token: string | null): void {
  if (token === null) return;
  try {
    const storage = session();
    if (storage?.getItem(markName(store, key)) === token) storage.removeItem(markName(store, key));
  } catch {
    // storage gone meanwhile: the mark stays, and the next page removes the entry again
  }
}

/** The keys of `store` marked as to be removed, with their tokens. */
export function markedRemovals(store: string): [key: string, token: string][] {
  const storage = session();
  if (storage === null) return [];
  const marked: [string, string][] = [];
  for (let index = 0; index < storage.length; index++) {
    const name = storage.key(index);
    if (name === null || !name.startsWith(PREFIX)) continue;
    try {
      const parsed: unknown = JSON.parse(name.slice(PREFIX.length));
      const token = storage.getItem(name);
      if (
        Array.isArray(parsed) &&
        parsed[0] === store &&
        typeof parsed[1] === 'string' &&
        token !== null
      ) {
        marked.push([parsed[1], token]);
      }
    } catch {
      // a mark this code did not write: skipped
    }
  }
  return marked;
}
