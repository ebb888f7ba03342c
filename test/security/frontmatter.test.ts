// Frontmatter is data only: no JS engine behind `---js`, no alias expansion.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSession } from '../../src/context/parse-session.js';
import { parseFrontmatter } from '../../src/shared/frontmatter.js';
import { run } from '../cli/helpers.js';
import { makeProject, tempDir } from './project.js';

/** The `&.a` anchor names slipped past the old alias regex: 9 levels of 9 aliases. */
export const ALIAS_BOMB = [
  '---',
  'l0: &.a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ...Array.from({ length: 9 }, (_, i) => `l${i + 1}: &.a${i + 1} [${Array(9).fill(`*.a${i}`).join(', ')}]`),
  '---',
  '# Chat',
  '',
].join('\n');

describe('frontmatter is data only', () => {
  it('a ---js plan under check --stale runs no code', () => {
    const marker = path.join(tempDir(), 'pwned');
    const js = `---js\n{ task: process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(marker)}, 'x') || 'chat', inputs_digest: 'sha256:0' }\n---\n# Plan\n`;
    const project = makeProject({ '.claude/doc/websocket-realtime-chat.md': js });
    const r = run(['check', '--cwd', project, '--stale']);
    expect(existsSync(marker)).toBe(false);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('no `task` and `inputs_digest` in the frontmatter');
  });

  it('the &.a alias bomb is a clear error, not an expansion', () => {
    expect(() => parseSession('s.md', ALIAS_BOMB)).toThrow('YAML anchors and aliases are not supported in session frontmatter (line 2)');
  });

  it('the &.a alias bomb in a plan fails that plan under check --stale', () => {
    const project = makeProject({ '.claude/doc/websocket-realtime-chat.md': ALIAS_BOMB });
    const r = run(['check', '--cwd', project, '--stale', '--json']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { errors: { message: string }[] }[] };
    expect(report.files[0]!.errors.map((e) => e.message)).toContain(
      'cannot read the frontmatter: YAML anchors and aliases are not supported in plan frontmatter (line 2)',
    );
  });

  it('refuses custom tags and duplicate keys as data, never as code', () => {
    expect(parseFrontmatter('---\nx: !!js/function "function () {}"\n---\n').data).toEqual({ x: 'function () {}' });
    expect(() => parseFrontmatter('---\na: 1\na: 2\n---\n')).toThrow(/invalid YAML frontmatter: .*\(line 3\)/);
  });
});
