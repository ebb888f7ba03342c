// CI's loop (docs/ci.md): regenerate a committed plan with the options recorded in it, diff,
// and check that one plan for staleness.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATE, EXAMPLE, copyProject, run } from './helpers.js';

const PLAN = '.claude/doc/websocket-realtime-sync-architecture.md';

describe('plan --same-as', () => {
  it('records the options, redoes the same bytes from them, and refuses options it did not record', () => {
    const project = copyProject(EXAMPLE);
    const made = run(['sync-architecture', '--cwd', project, '--date', DATE, '--stable-name', '--pattern', 'voice', '--connections', '5000', '-q']);
    expect(made.status).toBe(0);
    const file = path.join(project, PLAN);
    const first = readFileSync(file, 'utf8');
    expect(first.split('\n').slice(1, 7)).toEqual([
      'generator: "rt-plan 0.1.0"',
      'task: "sync-architecture"',
      'generated: "2026-11-21T10:15:00.000Z"',
      expect.stringMatching(/^inputs_digest: "sha256:[0-9a-f]{64}"$/),
      'sessions: [".claude/tasks/context_session_1.md"]',
      'options: ["--pattern", "voice", "--connections", "5000", "--stable-name"]',
    ]);
    writeFileSync(file, first + '\nchanged by hand\n');
    expect(run(['--same-as', file, '--cwd', project, '-q']).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(first);

    expect(run(['check', '--stale', '--cwd', project, file]).status).toBe(0);
    appendFileSync(path.join(project, '.claude/tasks/context_session_1.md'), '\n- Typing indicators must expire after 5 seconds.\n');
    const stale = run(['check', '--stale', '--cwd', project, file]);
    expect(stale.status).toBe(1);
    expect(stale.stdout.split('\n')[0]).toBe(
      '.claude/doc/websocket-realtime-sync-architecture.md:5: inputs changed since the plan was written: regenerate with `rt-plan plan --same-as .claude/doc/websocket-realtime-sync-architecture.md` (the task, date and options it recorded)',
    );
    // The command it names, run in the project, makes the plan current again.
    expect(run(['plan', '--same-as', PLAN, '-q'], { cwd: project }).status).toBe(0);
    expect(run(['check', '--stale', '--cwd', project, file]).status).toBe(0);
    const redone = readFileSync(file, 'utf8');

    expect(
      redone
        .split('\n')
        .slice(3, 7)
        .filter((l) => !l.startsWith('inputs_digest')),
    ).toEqual(
      first
        .split('\n')
        .slice(3, 7)
        .filter((l) => !l.startsWith('inputs_digest')),
    );

    writeFileSync(file, first.replace('options: [', 'options: ["--cwd", "/", '));
    const tampered = run(['--same-as', file, '--cwd', project]);
    expect(tampered.status).toBe(3);
    expect(tampered.stderr).toContain('option "--cwd" in its frontmatter is not one rt-plan records');
  });

  it.each([
    ['"--llm"', [], ['--llm']],
    ['"--docs", "context7"', ['--offline'], ['--docs', 'context7', '--offline']],
  ])('replays a recorded %s that reaches the network only when the command line asks for it too', (recorded, without, withIt) => {
    const project = copyProject(EXAMPLE);
    expect(run(['sync-architecture', '--cwd', project, '--date', DATE, '--stable-name', '-q']).status).toBe(0);
    const file = path.join(project, PLAN);
    writeFileSync(file, readFileSync(file, 'utf8').replace('options: [', `options: [${recorded}, `));
    const refused = run(['--same-as', file, '--cwd', project, ...without]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('a plan file alone cannot turn that on');
    // Asked for on the command line: the run goes ahead (and fails later for want of a key, or
    // is kept offline), which proves the consent check let it through.
    const allowed = run(['--same-as', file, '--cwd', project, ...withIt], { env: { ANTHROPIC_API_KEY: '', ANTHROPIC_BASE_URL: '' } });
    expect(allowed.stderr).not.toContain('a plan file alone cannot turn that on');
  });
});
