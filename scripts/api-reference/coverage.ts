/**
 * What the TSDoc does not say yet: public exports without a summary, members of exported
 * interfaces and classes without one, optional options without `@default`, properties whose
 * default is written in prose instead of `@default`, and the parser's complaints.
 * `tests/docs/api-reference.test.ts` fails on an undocumented export that is not on the
 * committed allow-list, on any undocumented member, and on an option without `@default` that
 * its list of options without a default does not name.
 */
import { type ApiItem, ApiOptionalMixin, ApiPropertyItem } from '@microsoft/api-extractor-model';
import { type ExtractedEntry, type ExtractorNote, repoRoot } from './extract.js';
import {
  blocksTagged,
  defaultTags,
  docOf,
  entrySymbols,
  hasSummary,
  namespaceSummary,
  type PublicSymbol,
  symbolsOf,
} from './symbols.js';
import { renderSection } from './tsdoc-markdown.js';

/**
 * The interfaces whose optional properties are options with a default to state: the options
 * of `createBalanceSync`, of the sources and cache layers (`...Options`), and component props.
 */
export const isOptionsInterface = (name: string): boolean => /(Options|Props)$/.test(name);

export interface DocCoverage {
  /** `balance-sync: BalanceSyncOptions`, one per public symbol with no TSDoc summary. */
  undocumented: string[];
  /** `balance-sync: BalanceState.balance`, one per interface or class member with no summary. */
  undocumentedMembers: string[];
  /** `balance-sync: BalanceSyncOptions.schema`, one per optional option without `@default`. */
  withoutDefault: string[];
  /** `balance-sync: WindowSourceOptions.focus — "...Off by default..."`. */
  proseDefaults: string[];
  /** `src/core/create-balance-sync.ts:33 tsdoc-escape-right-brace: ...`, deduplicated. */
  tsdocNotes: string[];
  /** `balance-sync: SocketLike` is referenced by the public API but not exported. */
  unexported: string[];
}

const mentionsDefault = /\bdefault(s|ed)?\b/i;

function withNamespaceMembers(symbols: PublicSymbol[]): PublicSymbol[] {
  return symbols.flatMap((symbol) => {
    const [item] = symbol.items;
    if (symbol.kind !== 'Namespace' || item === undefined) return [symbol];
    return [symbol, ...symbolsOf(item, `${symbol.name}.`)];
  });
}

/** Members of an interface or class (properties, methods, constructors) without a summary. */
function undocumentedMembersOf(owner: string, item: ApiItem): string[] {
  if (item.kind !== 'Interface' && item.kind !== 'Class') return [];
  return item.members
    .filter((member) => !hasSummary(member))
    .map((member) => `${owner}.${member.displayName}`);
}

/** Optional properties of an options interface (`isOptionsInterface`) without `@default`. */
function withoutDefaultOf(owner: string, item: ApiItem): string[] {
  if (item.kind !== 'Interface' || !isOptionsInterface(item.displayName)) return [];
  return item.members
    .filter(
      (member) =>
        member instanceof ApiPropertyItem &&
        ApiOptionalMixin.isBaseClassOf(member) &&
        member.isOptional &&
        blocksTagged(member, ...defaultTags).length === 0,
    )
    .map((member) => `${owner}.${member.displayName}`);
}

function proseDefaultsOf(owner: string, item: ApiItem): string[] {
  if (item.kind !== 'Interface' && item.kind !== 'Class') return [];
  return item.members.flatMap((member) => {
    if (!(member instanceof ApiPropertyItem)) return [];
    if (blocksTagged(member, ...defaultTags).length > 0) return [];
    const doc = docOf(member);
    const prose = [doc?.summarySection, doc?.remarksBlock?.content]
      .map((section) => renderSection(section, () => undefined))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    return mentionsDefault.test(prose) ? [`${owner}.${member.displayName} — "${prose}"`] : [];
  });
}

export function docCoverage(
  entries: ExtractedEntry[],
  notes: ExtractorNote[],
  root = repoRoot,
): DocCoverage {
  const undocumented: string[] = [];
  const undocumentedMembers: string[] = [];
  const withoutDefault: string[] = [];
  const proseDefaults: string[] = [];
  const exported = new Set<string>();
  for (const entry of entries) {
    for (const symbol of withNamespaceMembers(entrySymbols(entry.apiPackage))) {
      exported.add(symbol.name);
      const [item] = symbol.items;
      if (item === undefined) continue;
      const owner = `${entry.name}: ${symbol.name}`;
      const summarised = symbol.items.some(hasSummary) || namespaceSummary(item, root) !== '';
      if (!summarised) undocumented.push(owner);
      undocumentedMembers.push(...undocumentedMembersOf(owner, item));
      withoutDefault.push(...withoutDefaultOf(owner, item));
      proseDefaults.push(...proseDefaultsOf(owner, item));
    }
  }
  const tsdocNotes = new Set<string>();
  const unexported = new Set<string>();
  for (const note of notes) {
    if (note.id.startsWith('tsdoc-')) tsdocNotes.add(`${note.where} ${note.id}: ${note.text}`);
    if (note.id === 'ae-forgotten-export') {
      // Exported by another entry point is exported: only names no entry exports count.
      const name = /"([^"]+)"/.exec(note.text)?.[1] ?? note.text;
      if (!exported.has(name)) unexported.add(`${note.entry}: ${name}`);
    }
  }
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  return {
    undocumented: sorted(undocumented),
    undocumentedMembers: sorted(undocumentedMembers),
    withoutDefault: sorted(withoutDefault),
    proseDefaults: sorted(proseDefaults),
    tsdocNotes: sorted(tsdocNotes),
    unexported: sorted(unexported),
  };
}

/** Allow-list file lines: `entry: Symbol`; blank lines and `#` comments are ignored. */
export function parseAllowList(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter((line) => line !== ''),
  );
}

/** Undocumented exports that the allow-list does not name: the test fails on these. */
export function newlyUndocumented(coverage: DocCoverage, allowList: Set<string>): string[] {
  return coverage.undocumented.filter((name) => !allowList.has(name));
}

/** Options without `@default` that are not known to have none: the test fails on these. */
export function missingDefaults(coverage: DocCoverage, noDefault: ReadonlySet<string>): string[] {
  return coverage.withoutDefault.filter((name) => !noDefault.has(name));
}

export function formatReport(coverage: DocCoverage): string {
  const section = (title: string, lines: string[]) =>
    lines.length === 0 ? `${title}: none` : `${title} (${lines.length}):\n  ${lines.join('\n  ')}`;
  return [
    section('Public symbols without a TSDoc summary', coverage.undocumented),
    section(
      'Members of exported interfaces and classes without a summary',
      coverage.undocumentedMembers,
    ),
    section('Optional options without a @default tag', coverage.withoutDefault),
    section('Properties with a default in prose but no @default tag', coverage.proseDefaults),
    section('Types the public API uses but no entry point exports', coverage.unexported),
    section('TSDoc syntax warnings (fence @example code to avoid most)', coverage.tsdocNotes),
  ].join('\n\n');
}
