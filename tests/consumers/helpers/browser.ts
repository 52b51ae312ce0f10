/** Debian's Chromium through Playwright, with what the consumer tests watch on a page. */
import { type Browser, chromium, type Page } from 'playwright';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.js';

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: chromiumPath(), args: [...chromiumArgs] });

export interface ConsoleWatch {
  /** Console errors and uncaught exceptions, as printed. */
  errors: string[];
  /** Console warnings, as printed. */
  warnings: string[];
  /** Anything about hydration, at any level (React 19 reports a mismatch as a recoverable error). */
  hydration: () => string[];
}

/** Everything the page prints as an error or warning, from now on (reloads included). */
export function watchConsole(page: Page): ConsoleWatch {
  const errors: string[] = [];
  const warnings: string[] = [];
  const all: string[] = [];
  page.on('console', (message) => {
    const where = message.location().url;
    const text = `${message.type()}: ${message.text()}${where ? ` (${where})` : ''}`;
    all.push(text);
    if (message.type() === 'error') errors.push(text);
    if (message.type() === 'warning') warnings.push(text);
  });
  page.on('pageerror', (error) => {
    const text = `uncaught: ${error.message}`;
    all.push(text);
    errors.push(text);
  });
  // React's production messages are codes: 418 (hydration text/markup mismatch), 423, 425.
  const hydration = /hydrat|did not match|react\.dev\/errors\/(418|423|425)|error #(418|423|425)/i;
  return { errors, warnings, hydration: () => all.filter((text) => hydration.test(text)) };
}

export interface Paint {
  text: string;
  source: string | null;
  /** performance.now() when the DOM changed, and at the next animation frame (its paint). */
  at: number;
  paintedAt: number;
}

/**
 * Records every text the balance element shows, from the HTML parser's first insertion on, with
 * the time of the change and of the next frame. Install before navigating; read with `paints`.
 */
export async function recordPaints(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const paints: Paint[] = [];
    (window as unknown as { paints: Paint[] }).paints = paints;
    let last = '';
    new MutationObserver(() => {
      const element = document.querySelector('[data-testid="balance"]');
      const text = element?.textContent ?? '';
      if (element === null || text === last) return;
      last = text;
      const paint: Paint = {
        text,
        source: element.getAttribute('data-source'),
        at: performance.now(),
        paintedAt: Number.NaN,
      };
      paints.push(paint);
      requestAnimationFrame(() => {
        paint.paintedAt = performance.now();
      });
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

export const paints = (page: Page): Promise<Paint[]> =>
  page.evaluate(() => (window as unknown as { paints: Paint[] }).paints);

export const balanceText = (page: Page): Promise<string | null> =>
  page.getByTestId('balance').textContent();
