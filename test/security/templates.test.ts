// Project templates cannot write to stdout and cannot expand without bound.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATE, REPO, run } from '../cli/helpers.js';
import { SESSION, makeProject } from './project.js';

const OVERRIDES = '.claude/templates/rt-plan';
const BOARD = { [SESSION]: '# Board\n\nCards move live.\n' };

describe('project templates', () => {
  it('{{log}} in an override does not reach stdout: --json stays one object', () => {
    const summary = readFileSync(path.join(REPO, 'templates/partials/summary.hbs'), 'utf8');
    const project = makeProject({ ...BOARD, [`${OVERRIDES}/summary.hbs`]: `{{log "FORGED-OUTPUT" level="error"}}{{log "FORGED-INFO"}}${summary}` });
    const r = run(['sync-architecture', '--cwd', project, '--date', DATE, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('FORGED');
    expect((JSON.parse(r.stdout) as { plan: string }).plan).toMatch(/^\.claude\/doc\/websocket-realtime-sync-architecture-/);
  });

  it('partials that expand exponentially stop at the render budget with a clear error', () => {
    const names = readdirSync(path.join(REPO, 'templates/partials'))
      .map((f) => f.replace(/\.hbs$/, ''))
      .sort();
    const files: Record<string, string> = { ...BOARD };
    names.forEach((name, i) => {
      const next = names[i + 1];
      files[`${OVERRIDES}/${name}.hbs`] = next ? `{{> ${next}}}`.repeat(10) : 'x'.repeat(10_000);
    });
    const project = makeProject(files);
    const r = run(['sync-architecture', '--cwd', project, '--date', DATE]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`template ${OVERRIDES}/architecture.hbs: rendering produced more than 20 MB`);
  });
});
