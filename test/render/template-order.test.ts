// templateHashes orders names without ICU when it can: that order feeds the inputs digest
// recorded in every plan, so it must be exactly localeCompare's.
import { describe, expect, it } from 'vitest';
import { byTemplateName, loadTemplates, templateHashes } from '../../src/render/engine.js';

const CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789.-';

describe('template name order', () => {
  it('is localeCompare order for names of lower-case letters, digits, dots and hyphens', () => {
    const names: string[] = [];
    for (const a of CHARS) for (const b of CHARS) names.push(`${a}${b}`, `${a}-${b}`);
    const mismatches: string[] = [];
    for (const x of names) {
      for (let j = 0; j < names.length; j += 13) {
        const y = names[j]!;
        if (Math.sign(byTemplateName(x, y)) !== Math.sign(x.localeCompare(y))) mismatches.push(`${x} ${y}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('falls back to localeCompare for other names', () => {
    expect(byTemplateName('B', 'a')).toBe('B'.localeCompare('a'));
    expect(byTemplateName('a_b', 'a-b')).toBe('a_b'.localeCompare('a-b'));
  });

  it('keeps the shipped templates in localeCompare order', async () => {
    const { templates } = await loadTemplates(process.cwd());
    expect(Object.keys(templateHashes(templates))).toEqual([...templates.keys()].sort((a, b) => a.localeCompare(b)));
  });
});
