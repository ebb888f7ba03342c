// Helpers escape user data for the Markdown position they render into, so hostile names
// cannot break a table, a code span or a fence.
import { describe, expect, it } from 'vitest';
import { helpers } from '../../src/render/helpers.js';
import { buildPlan } from '../../src/design/index.js';
import { renderPlan } from '../../src/render/engine.js';
import { code, pascal, text } from '../../src/design/md.js';
import { hostileInput } from './inputs.js';

const call = (name: string, ...args: unknown[]): string => String((helpers[name] as (...a: unknown[]) => unknown)(...args));

/** Cells of a GFM table row: pipes split cells unless backslash-escaped, even inside code spans. */
function cells(row: string): number {
  return row.split(/(?<!\\)\|/).length - 2;
}

describe('md building blocks', () => {
  it('code spans outgrow the backtick runs they contain', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('plain')).toBe('`plain`');
  });
  it('text escapes Markdown syntax but leaves intra-word underscores', () => {
    expect(text('a|b *c* <d> _e_ context_session_1')).toBe('a\\|b \\*c\\* \\<d\\> \\_e\\_ context_session_1');
  });
  it('pascal keeps inner capitals', () => {
    expect([pascal('joinRoom'), pascal('chat_message'), pascal('order-shipped')]).toEqual(['JoinRoom', 'ChatMessage', 'OrderShipped']);
  });
});

describe('helpers', () => {
  it('cell and codecell escape pipes and newlines', () => {
    expect(call('cell', 'a|b\nc')).toBe('a\\|b c');
    expect(call('codecell', "'a' | 'b'")).toBe("`'a' \\| 'b'`");
    expect(call('mdcell', 'x `a|b` y')).toBe('x `a\\|b` y');
  });
  it('codeblock cannot be closed by its content', () => {
    const out = call('codeblock', 'ts', 'const a = 1;\n```\nrm -rf /');
    expect(out.split('\n').filter((l) => l.startsWith('```'))).toEqual(['```ts', '```']);
  });
  it('mermaid wraps a builder diagram in one fence', () => {
    expect(call('mermaid', { kind: 'flowchart', title: 't', source: 'flowchart LR\n  n0["a"]\n' })).toBe('```mermaid\nflowchart LR\n  n0["a"]\n```');
  });
});

describe('a project with hostile names', () => {
  const plan = buildPlan(hostileInput());
  const markdown = renderPlan(plan, { frontmatter: '---\ntask: "t"\n---\n' });

  it('keeps every table row at its header width', () => {
    const lines = markdown.split('\n');
    let width = -1;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        width = -1;
        continue;
      }
      if (width < 0) width = cells(line);
      else expect(cells(line), line).toBe(width);
    }
  });

  it('keeps fences balanced and the hostile strings inert', () => {
    expect(markdown.split('\n').filter((l) => l.startsWith('```')).length % 2).toBe(0);
    // Outside code spans and fences no raw HTML survives; inside them it is literal text.
    const prose = markdown
      .replace(/```[\s\S]*?```/g, '')
      .replace(/\\./g, '')
      .replace(/(`+)[\s\S]*?\1/g, '');
    expect(prose).not.toContain('<script>');
    expect(markdown).toContain('| ``evil\\|event`end`` |');
  });

  it('still has all 17 sections', () => {
    expect(markdown.split('\n').filter((l) => /^## \d+\. /.test(l))).toHaveLength(17);
  });
});
