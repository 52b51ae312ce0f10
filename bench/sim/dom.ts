/**
 * A browser per workload: one global jsdom (React DOM and the libraries look for `window` at
 * import) and one jsdom window per tab, whose visibility, focus and reachability the script
 * changes. localStorage and IndexedDB are shared by the tabs, as in one browser profile.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { JSDOM } from 'jsdom';

const ORIGIN = 'http://127.0.0.1:4173/';

export function installGlobalDom(): void {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', {
    url: ORIGIN,
    pretendToBeVisual: true,
  });
  const globals = globalThis as Record<string, unknown>;
  globals.window = dom.window;
  globals.document = dom.window.document;
  globals.navigator = dom.window.navigator;
  globals.localStorage = dom.window.localStorage;
  globals.HTMLElement = dom.window.HTMLElement;
  globals.Node = dom.window.Node;
  globals.IS_REACT_ACT_ENVIRONMENT = false;
}

/** A clean browser profile: no stored entries left by the previous contender. */
export function resetBrowserStorage(): void {
  globalThis.localStorage.clear();
  globalThis.indexedDB = new IDBFactory();
}

export interface SimTab {
  readonly index: number;
  readonly window: Window;
  readonly container: HTMLElement;
  readonly visible: boolean;
  setVisible(visible: boolean): void;
  /** The user comes back to the tab: `visibilitychange`, then the window's `focus`. */
  focus(): void;
  close(): void;
}

export function createTab(index: number, visible: boolean): SimTab {
  const dom = new JSDOM('<!doctype html><html><body><div id="root"></div></body></html>', {
    url: ORIGIN,
    pretendToBeVisual: true,
  });
  const win = dom.window as unknown as Window;
  const doc = win.document;
  let isVisible = visible;
  Object.defineProperty(doc, 'visibilityState', { get: () => (isVisible ? 'visible' : 'hidden') });
  Object.defineProperty(doc, 'hidden', { get: () => !isVisible });
  const tab: SimTab = {
    index,
    window: win,
    container: doc.getElementById('root') as HTMLElement,
    get visible() {
      return isVisible;
    },
    setVisible(next) {
      if (next === isVisible) return;
      isVisible = next;
      doc.dispatchEvent(new dom.window.Event('visibilitychange', { bubbles: true }));
    },
    focus() {
      tab.setVisible(true);
      win.dispatchEvent(new dom.window.FocusEvent('focus'));
    },
    close: () => dom.window.close(),
  };
  return tab;
}
