import {
  defer,
  distinctUntilChanged,
  EMPTY,
  fromEvent,
  map,
  merge,
  type Observable,
  startWith,
} from 'rxjs';
import type { BalanceEvent } from '../../machines/events.js';
import { need } from '../core/errors.js';
import { isRecord } from '../core/shared.js';
import { globalValue } from './global-value.js';
import type { WindowLike } from './runtime-types.js';

/** Options of `windowSource`. */
export interface WindowSourceOptions {
  /**
   * Where the DOM comes from, asked on subscribe: a getter, so server rendering (no window)
   * yields an empty source.
   * @default `() => globalThis.window`
   */
  window?: () => WindowLike | undefined;
  /**
   * Also treat raw window `focus` as a revalidation trigger. Off unless set: iframes, alerts
   * and devtools fire it; `visibilitychange` is the signal that the user came back.
   * @default false
   */
  focus?: boolean;
}

const defaultWindow = (): WindowLike | undefined => globalValue<WindowLike>('window');

/**
 * Page visibility (`VISIBLE` / `HIDDEN`), network reachability (`ONLINE` / `OFFLINE`) and, when
 * opted in, raw `FOCUS`. The current visibility and reachability are emitted on subscribe, so
 * the machine starts from the truth; listeners are removed on unsubscribe.
 */
export function windowSource(options: WindowSourceOptions = {}): Observable<BalanceEvent> {
  need(isRecord(options), 'windowSource', 'options must be an object');
  need(
    options.window === undefined || typeof options.window === 'function',
    'windowSource window',
    'must be () => Window | undefined (a getter, read on subscribe)',
  );
  need(
    options.focus === undefined || typeof options.focus === 'boolean',
    'windowSource focus',
    'must be a boolean',
  );
  return defer(() => {
    const win = (options.window ?? defaultWindow)();
    if (win === undefined) return EMPTY;
    const doc = win.document;
    const visibility = fromEvent(doc, 'visibilitychange').pipe(
      startWith(null),
      map((): BalanceEvent => ({ type: doc.visibilityState === 'hidden' ? 'HIDDEN' : 'VISIBLE' })),
    );
    const network = merge(
      fromEvent(win, 'online').pipe(map((): BalanceEvent => ({ type: 'ONLINE' }))),
      fromEvent(win, 'offline').pipe(map((): BalanceEvent => ({ type: 'OFFLINE' }))),
    ).pipe(
      startWith<BalanceEvent>({ type: win.navigator.onLine === false ? 'OFFLINE' : 'ONLINE' }),
    );
    const focus = options.focus
      ? fromEvent(win, 'focus').pipe(map((): BalanceEvent => ({ type: 'FOCUS' })))
      : EMPTY;
    return merge(
      visibility.pipe(distinctUntilChanged((a, b) => a.type === b.type)),
      network.pipe(distinctUntilChanged((a, b) => a.type === b.type)),
      focus,
    );
  });
}
