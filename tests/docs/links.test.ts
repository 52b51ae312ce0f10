// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { checkLinks } from '../../scripts/docs/links.js';
import { root } from './paths.js';

describe('links in README.md, SECURITY.md and docs/', () => {
  it('point to files that exist and headings that exist', () => {
    const { links, problems } = checkLinks(root);
    expect(problems.join('\n'), 'broken links in the docs').toBe('');
    expect(links.some((link) => link.file === 'SECURITY.md' || link.target === 'SECURITY.md')).toBe(
      true,
    );
    expect(links.filter((link) => link.file === 'README.md').length).toBeGreaterThan(3);
  });

  it('reports a missing file, a missing anchor and an invalid URL with file and line', () => {
    const file = 'tests/docs/fixtures/links.md';
    const { links, problems } = checkLinks(root, [file]);
    expect(links).toHaveLength(12);
    expect(problems).toEqual([
      `${file}:13: ./no-such-file.md: tests/docs/fixtures/no-such-file.md does not exist`,
      `${file}:13: #no-such-heading: no heading with the anchor #no-such-heading in ${file}`,
      `${file}:14: links-target.md#not-there: no heading with the anchor #not-there in tests/docs/fixtures/links-target.md`,
      `${file}:14: https://exa%20mple.com is not a valid URL`,
      `${file}:15: ./missing.png: tests/docs/fixtures/missing.png does not exist`,
    ]);
  });
});
