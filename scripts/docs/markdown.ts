/** The Markdown the docs checks read: which files, parsed once by markdown-it (GFM tables on). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import MarkdownIt, { type Token } from 'markdown-it';

/** README.md, SECURITY.md and every docs/**\/*.md, as repo-relative paths with `/`. */
export function markdownFiles(root: string): string[] {
  const files = ['README.md', 'SECURITY.md'].filter((file) => existsSync(join(root, file)));
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(join(root, 'docs'));
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const parser = new MarkdownIt({ html: true });

export function parseMarkdown(text: string): Token[] {
  return parser.parse(text, {});
}

export function readMarkdown(root: string, file: string): Token[] {
  return parseMarkdown(readFileSync(join(root, file), 'utf8'));
}
