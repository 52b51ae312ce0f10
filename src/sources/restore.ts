/**
 * Calls `check` when the page comes back from a suspension in which it heard nothing: restored
 * from the back/forward cache (`pageshow` with `persisted`) or resumed after the browser froze
 * it (`resume`, Page Lifecycle). Returns the function that stops listening (invariant 7).
 */
import { globalValue } from './global-value.js';
import type { WindowLike } from './runtime-types.js';

export function catchUpOnRestore(check: () => void): () => void {
  const win = globalValue<WindowLike>('window');
  if (win === undefined) return () => {};
  const onShow = (event: unknown) => {
    if ((event as { persisted?: unknown } | null)?.persisted === true) check();
  };
  win.addEventListener('pageshow', onShow);
  win.document.addEventListener('resume', check);
  return () => {
    win.removeEventListener('pageshow', onShow);
    win.document.removeEventListener('resume', check);
  };
}
