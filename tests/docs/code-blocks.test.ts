// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCodeBlocks, formatFailures } from '../../scripts/docs/code-blocks.js';
import { assertBuilt, placeholders, root, scratch } from './paths.js';

describe('ts/tsx code blocks in README.md and docs/', () => {
  beforeAll(assertBuilt);

  it('type-check against the built package, as a strict app compiles them', () => {
    const report = checkCodeBlocks({ root, workDir: scratch('code-blocks'), placeholders });
    expect(formatFailures(report), 'a code block in the docs does not compile').toBe('');
    expect(report.checked.filter((block) => block.file === 'README.md').length).toBe(2);
    // The package resolves to dist/ through its own exports, never to the sources.
    expect(report.programFiles).toContain('dist/src/index.d.ts');
    expect(report.programFiles).toContain('dist/src/react/index.d.ts');
    expect(report.programFiles.filter((file) => /^(src|machines)\//.test(file))).toEqual([]);
  }, 60_000);

  it('reports a block that does not compile with its file and line, and only that block', () => {
    const report = checkCodeBlocks({
      root,
      workDir: scratch('code-blocks-fixture'),
      placeholders,
      files: ['tests/docs/fixtures/code-blocks.md'],
    });
    expect(report.checked.map((block) => block.line)).toEqual([5, 10]);
    expect(report.skipped).toBe(1);
    expect(report.unmapped).toEqual([]);
    expect(report.failures).toEqual([
      {
        block: 'tests/docs/fixtures/code-blocks.md:10',
        message: expect.stringMatching(
          /^tests\/docs\/fixtures\/code-blocks\.md:11:7 TS2322: Type 'string' is not assignable to type 'number'\./,
        ),
      },
    ]);
  }, 60_000);
});
