/** Walks an entry point's public symbols and reads their TSDoc, for the pages and the report. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApiDeclaredItem,
  ApiDocumentedItem,
  type ApiItem,
  type ApiPackage,
  ApiParameterListMixin,
  ApiVariable,
} from '@microsoft/api-extractor-model';
import type { DocBlock, DocComment } from '@microsoft/tsdoc';
import { renderSection } from './tsdoc-markdown.js';

/** A top-level export, or a member of an exported namespace (`policy.backoffDelay`). */
export interface PublicSymbol {
  /** `createBalanceSync`, or `policy.backoffDelay` inside a namespace. */
  name: string;
  kind: string;
  /** Overloads share one name: every declaration of it, in source order. */
  items: ApiItem[];
}

/** Kind → section title, in the order the pages show them. */
export const kindTitles: ReadonlyArray<readonly [string, string]> = [
  ['Function', 'Functions'],
  ['Class', 'Classes'],
  ['Interface', 'Interfaces'],
  ['TypeAlias', 'Types'],
  ['Variable', 'Variables'],
  ['Enum', 'Enums'],
  ['Namespace', 'Namespaces'],
];

const byName = (a: { name: string }, b: { name: string }) =>
  a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || (a.name < b.name ? -1 : 1);

/** The exports of a container (entry point or namespace), overloads grouped, sorted by name. */
export function symbolsOf(container: ApiItem, prefix = ''): PublicSymbol[] {
  const groups = new Map<string, PublicSymbol>();
  for (const item of container.members) {
    const key = `${item.kind}:${item.displayName}`;
    const group = groups.get(key);
    if (group) group.items.push(item);
    else groups.set(key, { name: prefix + item.displayName, kind: item.kind, items: [item] });
  }
  return [...groups.values()].sort(byName);
}

export function entrySymbols(apiPackage: ApiPackage): PublicSymbol[] {
  const entry = apiPackage.entryPoints[0];
  return entry === undefined ? [] : symbolsOf(entry);
}

export function docOf(item: ApiItem): DocComment | undefined {
  return item instanceof ApiDocumentedItem ? item.tsdocComment : undefined;
}

/** Whether the summary says anything (a comment with only `@default` has none). */
export function hasSummary(item: ApiItem): boolean {
  return /\S/.test(renderSection(docOf(item)?.summarySection, () => undefined));
}

/**
 * The summary of a namespace made by `export * as name from './module.js'`. API Extractor keeps
 * no doc comment for one (microsoft/rushstack#5446): it is the module's opening doc comment, the
 * one before its imports, as Markdown; '' when the members come from several files or there is
 * no such comment.
 */
export function namespaceSummary(item: ApiItem, root: string): string {
  if (item.kind !== 'Namespace') return '';
  const files = new Set(item.members.map((member) => sourceFileOf(member, root)));
  const [file] = files;
  if (files.size !== 1 || file === undefined) return '';
  const opening = /^\s*\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\n\s*import\b/.exec(
    readFileSync(join(root, file), 'utf8'),
  );
  return (opening?.[1] ?? '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*( |$)/, '').trim())
    .filter((line) => line !== '')
    .join('\n');
}

export function blocksTagged(item: ApiItem, ...tags: string[]): DocBlock[] {
  const doc = docOf(item);
  if (doc === undefined) return [];
  return doc.customBlocks.filter((block) =>
    tags.includes(block.blockTag.tagNameWithUpperCase.toLowerCase()),
  );
}

export const defaultTags = ['@default', '@defaultvalue'];

/** `export declare function f(...)` → `function f(...)`: the import line says where it comes from. */
export function declarationText(item: ApiItem): string {
  if (!(item instanceof ApiDeclaredItem)) return '';
  const text = item.excerpt.text
    .replace(/^export\s+(declare\s+)?/, '')
    // `import("xstate").StateMachine` → `StateMachine`: inferred types read better without it.
    .replace(/import\("[^"]+"\)\./g, '')
    .trim();
  // A variable's excerpt starts at its name; the keyword sits on the statement.
  if (item instanceof ApiVariable) return `${item.isReadonly ? 'const' : 'let'} ${text}`;
  return text;
}

/**
 * The source file a declaration was built from, relative to the repo root, when it exists (API
 * Extractor follows the declaration maps from dist/ back to src/ and machines/).
 */
export function sourceFileOf(item: ApiItem, root: string): string | undefined {
  if (!(item instanceof ApiDeclaredItem) || item.fileUrlPath === undefined) return undefined;
  return existsSync(join(root, item.fileUrlPath)) ? item.fileUrlPath : undefined;
}

export function parametersOf(item: ApiItem) {
  return ApiParameterListMixin.isBaseClassOf(item) ? item.parameters : [];
}

/**
 * The `@example` texts of the doc comments in an item's source file, indentation intact (API
 * Extractor's model re-emits comments with it flattened). Callers match one by content.
 */
export function examplesInSourceFile(item: ApiItem, root: string): string[] {
  const file = sourceFileOf(item, root);
  if (file === undefined) return [];
  const source = readFileSync(join(root, file), 'utf8');
  const examples: string[] = [];
  for (const [comment] of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const lines = comment
      .replace(/^\/\*\*|\*\/$/g, '')
      .split('\n')
      .map((line) => line.replace(/^\s*\*( |$)/, ''));
    let current: string[] | undefined;
    for (const line of lines) {
      if (/^\s*@\w+/.test(line)) {
        if (current) examples.push(current.join('\n').trim());
        current = /^\s*@example\b/.test(line) ? [line.replace(/^\s*@example\s*/, '')] : undefined;
      } else current?.push(line);
    }
    if (current) examples.push(current.join('\n').trim());
  }
  return examples;
}

export const sameText = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
