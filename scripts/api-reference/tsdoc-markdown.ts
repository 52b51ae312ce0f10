/** Renders TSDoc nodes (from the API Extractor model) as GitHub Markdown. */
import type {
  DocCodeSpan,
  DocErrorText,
  DocEscapedText,
  DocExcerpt,
  DocFencedCode,
  DocHtmlEndTag,
  DocHtmlStartTag,
  DocInlineTag,
  DocLinkTag,
  DocNode,
  DocPlainText,
  DocSection,
} from '@microsoft/tsdoc';

/** Turns `{@link Name}` / `{@link Name.member}` into a URL, or undefined to leave it as code. */
export type LinkResolver = (name: string) => string | undefined;

function linkTarget(node: DocLinkTag, resolve: LinkResolver): { text: string; href?: string } {
  const text = node.linkText?.trim();
  if (node.urlDestination !== undefined) {
    return { text: text || node.urlDestination, href: node.urlDestination };
  }
  const name = (node.codeDestination?.memberReferences ?? [])
    .map((member) => member.memberIdentifier?.identifier ?? '')
    .join('.');
  const href = resolve(name);
  return href === undefined
    ? { text: text || `\`${name}\`` }
    : { text: text || `\`${name}\``, href };
}

/** Inline content: text, code spans, links, soft breaks (as `\n`, so examples keep their lines). */
export function renderInline(node: DocNode, resolve: LinkResolver): string {
  switch (node.kind) {
    case 'PlainText':
      return (node as DocPlainText).text;
    case 'SoftBreak':
      return '\n';
    case 'CodeSpan':
      return `\`${(node as DocCodeSpan).code}\``;
    case 'EscapedText':
      return (node as DocEscapedText).decodedText;
    case 'ErrorText':
      return (node as DocErrorText).text;
    case 'HtmlStartTag':
      return (node as DocHtmlStartTag).emitAsHtml();
    case 'HtmlEndTag':
      return (node as DocHtmlEndTag).emitAsHtml();
    case 'LinkTag': {
      const { text, href } = linkTarget(node as DocLinkTag, resolve);
      return href === undefined ? text : `[${text}](${href})`;
    }
    case 'InlineTag':
      return (node as DocInlineTag).tagContent;
    default:
      return node
        .getChildNodes()
        .map((child) => renderInline(child, resolve))
        .join('');
  }
}

/** Paragraphs joined by blank lines, fenced code kept as written. */
export function renderSection(section: DocSection | undefined, resolve: LinkResolver): string {
  if (section === undefined) return '';
  const parts: string[] = [];
  for (const node of section.nodes) {
    if (node.kind === 'FencedCode') {
      const code = node as DocFencedCode;
      parts.push(`\`\`\`${code.language}\n${code.code.replace(/\n$/, '')}\n\`\`\``);
    } else {
      const text = tidyLines(renderInline(node, resolve));
      if (text !== '') parts.push(text);
    }
  }
  return parts.join('\n\n');
}

/** Keeps the comment's hard-wrapped lines (GitHub joins them; lists survive), trimmed. */
function tidyLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * The source text of a section exactly as written in the comment (indentation included, which
 * the parsed nodes drop), without the ` * ` margin: for `@example` text that was not fenced.
 */
export function sourceText(section: DocSection): string {
  let from = Number.POSITIVE_INFINITY;
  let to = -1;
  let buffer = '';
  const visit = (node: DocNode) => {
    if (node.kind === 'Excerpt') {
      const range = (node as DocExcerpt).content.getContainingTextRange();
      buffer = range.buffer;
      from = Math.min(from, range.pos);
      to = Math.max(to, range.end);
    }
    for (const child of node.getChildNodes()) visit(child);
  };
  visit(section);
  if (to < 0) return '';
  const lines = buffer
    .slice(from, to)
    .split('\n')
    .map((line, index) => (index === 0 ? line : line.replace(/^\s*\*( |$)/, '')))
    .join('\n');
  return lines.replace(/^\s*\n|\s+$/g, '');
}

/** One line for a table cell: no line breaks, `|` escaped. */
export function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

/** A code span that survives backticks in the code. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${text}${fence.length > 1 ? ' ' : ''}${fence}`;
}

export function fenced(text: string, language = 'ts no-check'): string {
  return `\`\`\`${language}\n${text}\n\`\`\``;
}
