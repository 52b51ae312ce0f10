/**
 * Plans the pages before rendering them: which symbol goes where and under which anchor, so
 * that links between pages can be written while rendering.
 */
import GithubSlugger from 'github-slugger';
import type { ExtractedEntry } from './extract.js';
import { entrySymbols, kindTitles, type PublicSymbol, symbolsOf } from './symbols.js';
import type { LinkResolver } from './tsdoc-markdown.js';

export interface PageSymbol extends PublicSymbol {
  anchor: string;
  members: PageSymbol[];
}

export interface Page {
  entry: ExtractedEntry;
  title: string;
  symbols: PageSymbol[];
}

/** Plans every page's headings in document order, so anchors follow GitHub's slug rules. */
export function planPage(entry: ExtractedEntry): Page {
  const slugger = new GithubSlugger();
  slugger.slug(entry.name);
  const symbols: PageSymbol[] = [];
  const all = entrySymbols(entry.apiPackage);
  for (const [kind, title] of kindTitles) {
    const ofKind = all.filter((symbol) => symbol.kind === kind);
    if (ofKind.length > 0) slugger.slug(title);
    for (const symbol of ofKind) {
      const planned: PageSymbol = { ...symbol, anchor: slugger.slug(symbol.name), members: [] };
      if (kind === 'Namespace') {
        const [item] = symbol.items;
        for (const member of item ? symbolsOf(item, `${symbol.name}.`) : []) {
          planned.members.push({ ...member, anchor: slugger.slug(member.name), members: [] });
        }
      }
      symbols.push(planned);
    }
  }
  return { entry, title: entry.name, symbols };
}

/** `{@link Name}` → the page and anchor of Name (this page first), or undefined. */
export function linkResolver(pages: Page[], current: Page): LinkResolver {
  return (name) => {
    const candidates = [name, name.split('.')[0] ?? name];
    for (const candidate of candidates) {
      for (const page of [current, ...pages]) {
        const found = page.symbols
          .flatMap((symbol) => [symbol, ...symbol.members])
          .find((symbol) => symbol.name === candidate);
        if (found)
          return page === current ? `#${found.anchor}` : `${page.entry.page}#${found.anchor}`;
      }
    }
    return undefined;
  };
}
