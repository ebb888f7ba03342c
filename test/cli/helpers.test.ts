// The e2e tests' project copies hold what git knows about, never generated output: a plan
// left in the example by `npm run example` (git-ignored) once broke twenty tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyProject, treeState } from './helpers.js';

describe('copyProject', () => {
  it('copies tracked and new files, not ignored output', () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'rtp-copy-'));
    spawnSync('git', ['init', '-q'], { cwd: repo });
    mkdirSync(path.join(repo, 'app/.claude/doc'), { recursive: true });
    mkdirSync(path.join(repo, 'app/src'), { recursive: true });
    writeFileSync(path.join(repo, '.gitignore'), '/app/.claude/doc/\n');
    writeFileSync(path.join(repo, 'app/package.json'), '{}\n');
    writeFileSync(path.join(repo, 'app/src/server.js'), 'x\n');
    writeFileSync(path.join(repo, 'app/.claude/doc/plan.md'), '# old plan\n');
    spawnSync('git', ['add', 'app/package.json'], { cwd: repo });

    const copy = copyProject(path.join(repo, 'app'));
    expect(Object.keys(treeState(copy)).sort()).toEqual(['package.json', 'src/server.js']);
  });
});
