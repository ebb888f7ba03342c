import { describe, expect, it } from 'vitest';
import { checkSections, parseHeadings, REQUIRED_SECTIONS } from '../../src/verify/sections.js';

const plan = (titles: string[]): string => titles.map((t) => `## ${t}\n\ntext\n`).join('\n');

describe('required sections', () => {
  it('lists the 17 sections of PRODUCT.md in order', () => {
    expect(REQUIRED_SECTIONS).toHaveLength(17);
    expect(REQUIRED_SECTIONS[0]).toBe('Summary');
    expect(REQUIRED_SECTIONS[16]).toBe('References');
  });

  it('accepts numbered and unnumbered titles, and extra sections', () => {
    const titles = REQUIRED_SECTIONS.map((t, i) => (i % 2 === 0 ? `${i + 1}. ${t}` : t));
    expect(checkSections(plan([...titles.slice(0, 3), 'Appendix: glossary', ...titles.slice(3)]))).toEqual([]);
  });

  it('ignores headings inside code fences', () => {
    expect(parseHeadings('```md\n## Summary\n```\n## Context ##\n')).toEqual([{ title: 'Context', line: 4 }]);
  });

  it('reports a missing last section at the end and an out-of-order section at its heading', () => {
    const titles = [...REQUIRED_SECTIONS.slice(0, 16)];
    expect(checkSections(plan(titles))).toEqual([{ line: 63, message: 'missing required section "## References" (expected at the end)' }]);
    const swapped = [...REQUIRED_SECTIONS];
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    expect(checkSections(plan(swapped))).toEqual([{ line: 5, message: 'section "Current state" must come after "Context"' }]);
  });
});
