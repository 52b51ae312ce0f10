/**
 * Renders the extracted API as GitHub Markdown: `docs/api/README.md` (entry points and an A–Z
 * index) and one page per entry point, a section per export. Deterministic: no dates, no
 * absolute paths, symbols sorted by name.
 */
import {
  type ApiItem,
  ApiOptionalMixin,
  ApiPropertyItem,
  ApiReadonlyMixin,
  ApiReturnTypeMixin,
} from '@microsoft/api-extractor-model';
import type { ExtractedEntry } from './extract.js';
import { describeEntry, generatedNote, renderIndex } from './index-page.js';
import { linkResolver, type Page, type PageSymbol, planPage } from './plan.js';
import {
  blocksTagged,
  declarationText,
  defaultTags,
  docOf,
  examplesInSourceFile,
  kindTitles,
  namespaceSummary,
  parametersOf,
  sameText,
  sourceFileOf,
} from './symbols.js';
import {
  cell,
  code,
  fenced,
  type LinkResolver,
  renderSection,
  sourceText,
} from './tsdoc-markdown.js';

/** Longer declarations (the machine's inferred type runs to hundreds of lines) are cut here. */
const maxDeclarationLines = 30;

function cutLong(text: string): string {
  const lines = text.split('\n');
  if (lines.length <= maxDeclarationLines) return text;
  const more = lines.length - maxDeclarationLines;
  return `${lines.slice(0, maxDeclarationLines).join('\n')}\n// … ${more} more lines: see the source`;
}

class PageRenderer {
  constructor(
    private readonly page: Page,
    private readonly resolve: LinkResolver,
    private readonly root: string,
  ) {}

  render(): string {
    const { entry } = this.page;
    const out = [
      `# ${entry.name}`,
      generatedNote,
      `[API reference](README.md) · ${describeEntry(entry, this.root)}`,
    ];
    out.push(`Import from ${code(`'${entry.name}'`)}.`);
    out.push(this.contents());
    for (const [kind, title] of kindTitles) {
      const ofKind = this.page.symbols.filter((symbol) => symbol.kind === kind);
      if (ofKind.length === 0) continue;
      out.push(`## ${title}`);
      for (const symbol of ofKind) out.push(...this.symbol(symbol, '###'));
    }
    return `${out.join('\n\n')}\n`;
  }

  private contents(): string {
    return kindTitles
      .map(([kind, title]) => {
        const links = this.page.symbols
          .filter((symbol) => symbol.kind === kind)
          .map((symbol) => `[${symbol.name}](#${symbol.anchor})`);
        return links.length === 0 ? '' : `- **${title}**: ${links.join(', ')}`;
      })
      .filter((line) => line !== '')
      .join('\n');
  }

  private symbol(symbol: PageSymbol, level: string): string[] {
    const out = [`${level} ${symbol.name}`];
    const [first] = symbol.items;
    if (first === undefined) return out;
    const summary =
      renderSection(docOf(first)?.summarySection, this.resolve) ||
      namespaceSummary(first, this.root);
    out.push(summary === '' ? '_No description yet._' : summary);
    if (symbol.kind === 'Namespace') {
      out.push(symbol.members.map((member) => `- [${member.name}](#${member.anchor})`).join('\n'));
      for (const member of symbol.members) out.push(...this.symbol(member, '####'));
      return out;
    }
    for (const item of symbol.items) {
      out.push(fenced(cutLong(this.declaration(item))));
      out.push(...this.details(item, item === first ? '' : summaryOf(item, this.resolve)));
    }
    const source = sourceFileOf(first, this.root);
    if (source !== undefined) out.push(`Source: [${source}](../../${source})`);
    return out.filter((part) => part !== '');
  }

  /** A class or interface with its members, so the block reads like the declaration. */
  private declaration(item: ApiItem): string {
    const head = declarationText(item);
    if (item.kind !== 'Interface' && item.kind !== 'Class') return head;
    // Four spaces, as in the .d.ts the member texts come from (their inner lines keep theirs).
    const body = item.members.map((member) => `    ${declarationText(member)}`);
    return `${head} {\n${body.join('\n')}\n}`;
  }

  private details(item: ApiItem, overloadSummary: string): string[] {
    const doc = docOf(item);
    const out = [overloadSummary];
    out.push(this.parameterTable(item));
    if (ApiReturnTypeMixin.isBaseClassOf(item) && item.kind !== 'MethodSignature') {
      const returns = renderSection(doc?.returnsBlock?.content, this.resolve);
      if (returns !== '')
        out.push(`**Returns** ${code(item.returnTypeExcerpt.text.trim())}: ${returns}`);
    }
    out.push(this.memberTables(item));
    out.push(renderSection(doc?.remarksBlock?.content, this.resolve));
    if (doc?.deprecatedBlock) {
      out.push(`**Deprecated**: ${renderSection(doc.deprecatedBlock.content, this.resolve)}`);
    }
    for (const block of blocksTagged(item, ...defaultTags)) {
      out.push(`**Default**: ${renderSection(block.content, this.resolve)}`);
    }
    for (const block of blocksTagged(item, '@throws')) {
      out.push(`**Throws**: ${renderSection(block.content, this.resolve)}`);
    }
    for (const block of doc?.seeBlocks ?? []) {
      out.push(`**See also**: ${renderSection(block.content, this.resolve)}`);
    }
    for (const block of blocksTagged(item, '@example')) {
      const fencedInComment = block.content.nodes.some((node) => node.kind === 'FencedCode');
      // A fenced example is shown as written, and so type-checked by tests/docs/code-blocks;
      // plain example text (no imports, often a fragment) is shown but not checked.
      const parsed = sourceText(block.content);
      const source =
        examplesInSourceFile(item, this.root).find((raw) => sameText(raw, parsed)) ?? parsed;
      const text = fencedInComment
        ? renderSection(block.content, this.resolve)
        : fenced(source, /<[A-Z]/.test(source) ? 'tsx no-check' : 'ts no-check');
      out.push(`**Example**\n\n${text}`);
    }
    return out;
  }

  private parameterTable(item: ApiItem): string {
    // The declaration above shows names and types; a table only adds `@param` text.
    const parameters = parametersOf(item);
    if (parameters.every((parameter) => parameter.tsdocParamBlock === undefined)) return '';
    const rows = parameters.map((parameter) => {
      const name = `${parameter.name}${parameter.isOptional ? '?' : ''}`;
      const text = renderSection(parameter.tsdocParamBlock?.content, this.resolve);
      return `| ${code(name)} | ${cell(code(parameter.parameterTypeExcerpt.text.trim()))} | ${cell(text)} |`;
    });
    return ['| parameter | type | description |', '| --- | --- | --- |', ...rows].join('\n');
  }

  private memberTables(item: ApiItem): string {
    if (item.kind !== 'Interface' && item.kind !== 'Class') return '';
    const properties: string[] = [];
    const methods: string[] = [];
    for (const member of item.members) {
      const description = cell(summaryOf(member, this.resolve));
      if (member instanceof ApiPropertyItem) {
        const optional = ApiOptionalMixin.isBaseClassOf(member) && member.isOptional ? '?' : '';
        const readonly =
          ApiReadonlyMixin.isBaseClassOf(member) && member.isReadonly ? 'readonly ' : '';
        const fallback = blocksTagged(member, ...defaultTags)
          .map((block) => renderSection(block.content, this.resolve))
          .join(' ');
        properties.push(
          `| ${code(`${readonly}${member.displayName}${optional}`)} | ${cell(code(member.propertyTypeExcerpt.text.trim()))} | ${cell(fallback)} | ${description} |`,
        );
      } else {
        const signature = declarationText(member).replace(/;$/, '');
        methods.push(`| ${cell(code(signature))} | ${description} |`);
      }
    }
    const tables: string[] = [];
    if (properties.length > 0) {
      tables.push(
        [
          '| property | type | default | description |',
          '| --- | --- | --- | --- |',
          ...properties,
        ].join('\n'),
      );
    }
    if (methods.length > 0) {
      tables.push(['| member | description |', '| --- | --- |', ...methods].join('\n'));
    }
    return tables.join('\n\n');
  }
}

function summaryOf(item: ApiItem, resolve: LinkResolver): string {
  const doc = docOf(item);
  return [
    renderSection(doc?.summarySection, resolve),
    renderSection(doc?.remarksBlock?.content, resolve),
  ]
    .filter((part) => part !== '')
    .join(' ');
}

/** File name under docs/api → Markdown. */
export function renderApiReference(entries: ExtractedEntry[], root: string): Map<string, string> {
  const pages = entries.map(planPage);
  const files = new Map<string, string>([['README.md', renderIndex(pages, root)]]);
  for (const page of pages) {
    files.set(page.entry.page, new PageRenderer(page, linkResolver(pages, page), root).render());
  }
  return files;
}
