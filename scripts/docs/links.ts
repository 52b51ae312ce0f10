/**
 * Checks the links and images of the docs: a relative target must exist, and an `#anchor`
 * (same page or `page.md#anchor`) must match a heading of that page by GitHub's slug rules
 * (github-slugger, duplicates numbered `-1`, `-2`) or an explicit `id`/`name`. External
 * http(s) links are not fetched (no network in CI) but must parse as URLs.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import GithubSlugger from 'github-slugger';
import type { Token } from 'markdown-it';
import { markdownFiles, readMarkdown } from './markdown.js';

export interface Link {
  file: string;
  line: number;
  target: string;
}

interface Page {
  links: Link[];
  anchors: Set<string>;
}

const htmlTargets = /<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']+)["']/gi;
const htmlAnchors = /<[a-z][^>]*?\b(?:id|name)\s*=\s*["']([^"']+)["']/gi;

/** A heading's text as GitHub reads it for the slug: text and code, no markup. */
function headingText(inline: Token | undefined): string {
  return (inline?.children ?? [])
    .filter((child) => child.type === 'text' || child.type === 'code_inline')
    .map((child) => child.content)
    .join('');
}

function readPage(root: string, file: string): Page {
  const tokens = readMarkdown(root, file);
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  const links: Link[] = [];
  tokens.forEach((token, index) => {
    const line = (token.map?.[0] ?? 0) + 1;
    if (token.type === 'heading_open') anchors.add(slugger.slug(headingText(tokens[index + 1])));
    if (token.type === 'html_block') {
      for (const [, id] of token.content.matchAll(htmlAnchors)) if (id) anchors.add(id);
      for (const [, target] of token.content.matchAll(htmlTargets)) {
        if (target) links.push({ file, line, target });
      }
    }
    if (token.type !== 'inline') return;
    let offset = 0;
    for (const child of token.children ?? []) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') offset += 1;
      const target =
        child.type === 'link_open'
          ? child.attrGet('href')
          : child.type === 'image'
            ? child.attrGet('src')
            : null;
      if (target !== null) links.push({ file, line: line + offset, target: String(target) });
      if (child.type === 'html_inline') {
        for (const [, id] of child.content.matchAll(htmlAnchors)) if (id) anchors.add(id);
        for (const [, found] of child.content.matchAll(htmlTargets)) {
          if (found) links.push({ file, line: line + offset, target: found });
        }
      }
    }
  });
  return { links, anchors };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `README.md:12: ...` for every broken link or anchor of `files` (default: all the docs). */
export function checkLinks(
  root: string,
  files = markdownFiles(root),
): { links: Link[]; problems: string[] } {
  const pages = new Map<string, Page>();
  const pageOf = (file: string) => {
    let page = pages.get(file);
    if (page === undefined) {
      page = readPage(root, file);
      pages.set(file, page);
    }
    return page;
  };
  const problems: string[] = [];
  const links = files.flatMap((file) => pageOf(file).links);
  for (const link of links) {
    const where = `${link.file}:${link.line}`;
    const { target } = link;
    if (/^https?:/i.test(target)) {
      try {
        new URL(target);
      } catch {
        problems.push(`${where}: ${target} is not a valid URL`);
      }
      continue;
    }
    if (/^mailto:/i.test(target)) continue;
    if (/^[a-z][a-z\d+.-]*:/i.test(target)) {
      problems.push(`${where}: ${target}: only http(s), mailto and relative links are checked`);
      continue;
    }
    const hash = target.indexOf('#');
    const path = decode(hash === -1 ? target : target.slice(0, hash));
    const anchor = hash === -1 ? undefined : decode(target.slice(hash + 1));
    // GitHub resolves `/x` from the repository root, anything else from the page's folder.
    const resolved =
      path === ''
        ? link.file
        : normalize(path.startsWith('/') ? path.slice(1) : join(dirname(link.file), path));
    const inside = !relative(root, join(root, resolved)).startsWith('..');
    if (!inside || !existsSync(join(root, resolved))) {
      problems.push(`${where}: ${target}: ${resolved} does not exist`);
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (!resolved.endsWith('.md') || statSync(join(root, resolved)).isDirectory()) continue;
    const page = pageOf(resolved.split('\\').join('/'));
    if (!page.anchors.has(anchor)) {
      problems.push(`${where}: ${target}: no heading with the anchor #${anchor} in ${resolved}`);
    }
  }
  return { links, problems };
}
