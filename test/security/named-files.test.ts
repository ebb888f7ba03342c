// Files rt-plan is pointed at by name (a plan under check, verify, review and --same-as, its
// contract and AsyncAPI sidecars, a review's --input) are read like every other project input:
// bounded, regular files only, and a link committed in the project never leads out of it (its
// content would otherwise reach a JSON parse error on the terminal).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, DATE, cleanEnv, run } from '../cli/helpers.js';
import { SESSION, makeProject, put, tempDir } from './project.js';

const PRIVATE = 'aws_secret = "PRIVATE-CONTENT-5c4b3a"\n';

/** A project with one plan written by rt-plan, and a private file outside it. */
function planned(): { project: string; plan: string; outside: string } {
  const project = makeProject({ [SESSION]: '# Board\n\nCards move live.\n' });
  const r = run(['sync-board', '--cwd', project, '--date', DATE, '--offline', '--stable-name']);
  expect(r.status, r.stderr).toBe(0);
  const plan = `.claude/doc/${readdirSync(path.join(project, '.claude/doc')).find((n) => n.endsWith('.md'))}`;
  const outside = put(tempDir(), 'private.txt', PRIVATE);
  return { project, plan, outside };
}

const linkOut = (project: string, rel: string, target: string) => {
  rmSync(path.join(project, rel), { force: true });
  symlinkSync(target, path.join(project, rel));
};

describe('a contract sidecar linked out of the project', () => {
  it('verify refuses it without reading it, also when the plan records no digest', () => {
    const { project, plan, outside } = planned();
    // The hostile plan drops its contract_digest line, so no digest comparison comes first.
    const stripped = spawnSync('sed', ['-i', '/^contract_digest:/d', path.join(project, plan)]);
    expect(stripped.status).toBe(0);
    linkOut(project, plan.replace(/\.md$/, '.contract.json'), outside);
    const r = run(['verify', plan, '--cwd', project]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('cannot read .claude/doc/websocket-realtime-sync-board.contract.json (symbolic link to a file outside the project)');
    expect(r.stdout + r.stderr).not.toContain('PRIVATE-CONTENT');
    expect(r.stdout + r.stderr).not.toContain('aws_secret');
  });

  it('check names it as unreadable instead of comparing its digest', () => {
    const { project, plan, outside } = planned();
    linkOut(project, plan.replace(/\.md$/, '.contract.json'), outside);
    const r = run(['check', '--cwd', project]);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain(
      'contract websocket-realtime-sync-board.contract.json cannot be read (symbolic link to a file outside the project): `rt-plan verify` needs it; regenerate the plan',
    );
  });
});

describe('a plan linked out of the project', () => {
  it('check, verify, review and --same-as refuse it', () => {
    const { project, plan, outside } = planned();
    linkOut(project, plan, outside);
    const refused = 'symbolic link to a file outside the project';
    // The default listing already skips links; a CI glob (`check .claude/doc/*.md`) names it.
    const check = run(['check', plan, '--cwd', project]);
    expect(check.status).toBe(1);
    expect(check.stdout + check.stderr).toContain(`${plan}: cannot read: ${refused}`);
    const verify = run(['verify', plan, '--cwd', project]);
    expect([verify.status, verify.stderr]).toEqual([3, expect.stringContaining(`cannot read ${plan}: ${refused}`)]);
    const review = run(['review', plan, '--input', 'none.json', '--cwd', project]);
    expect([review.status, review.stderr]).toEqual([3, expect.stringContaining(`cannot read plan ${plan}: ${refused}`)]);
    const same = run(['plan', '--same-as', plan], { cwd: project });
    expect([same.status, same.stderr]).toEqual([3, expect.stringContaining(`cannot read ${plan}: ${refused}`)]);
    for (const r of [check, verify, review, same]) expect(r.stdout + r.stderr).not.toContain('PRIVATE-CONTENT');
  });
});

describe('review --input is bounded', () => {
  it('more than 1 MB on stdin is an input error, the plan untouched', () => {
    const { project, plan } = planned();
    const huge = JSON.stringify({ summary: 'x'.repeat(2 * 1024 * 1024), items: [] });
    const r = spawnSync(process.execPath, [BIN, 'review', plan, '--input', '-', '--cwd', project], { env: cleanEnv(), encoding: 'utf8', input: huge });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('cannot read --input -: larger than 1 MB');
  });
});

describe('review rewrites plans in .claude/doc only', () => {
  it('a session file dressed as a plan is refused before anything is read or written', () => {
    const session = '---\ngenerator: "rt-plan 0.1.0"\n---\n# Board\n\n## Summary\n\nCards move live.\n\n## More\n';
    const project = makeProject({ [SESSION]: session });
    put(project, 'review.json', JSON.stringify({ summary: 'S', items: [] }));
    const r = run(['review', SESSION, '--input', 'review.json', '--cwd', project]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`rt-plan review rewrites the plans rt-plan writes, in .claude/doc/: ${SESSION} is not one`);
    expect(readFileSync(path.join(project, SESSION), 'utf8')).toBe(session);
  });
});

describe('--same-as takes only data from the plan', () => {
  it('a recorded task that reads as an option is refused, nothing is written elsewhere', () => {
    const { project, plan } = planned();
    const elsewhere = tempDir();
    const text = readFileSync(path.join(project, plan), 'utf8');
    put(project, plan, text.replace('task: "sync-board"', `task: "--cwd=${elsewhere}"`));
    const r = run(['plan', '--same-as', plan], { cwd: project });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`${plan}: task ${JSON.stringify(`--cwd=${elsewhere}`)} in its frontmatter is not a task name`);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
