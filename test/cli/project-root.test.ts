// The project is found upward from --cwd, like npm does; a folder with no project marker is
// planned as given, with a warning on stderr and in --json's warnings.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateProject } from '../../src/project-root.js';
import { run } from './helpers.js';

function tree(files: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rtp-root-'));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    if (f.endsWith('/')) mkdirSync(path.join(dir, f), { recursive: true });
    else writeFileSync(path.join(dir, f), '{}\n');
  }
  return dir;
}

describe('locateProject', () => {
  it('takes the nearest package.json inside the git work tree', () => {
    const dir = tree(['repo/.git/', 'repo/package.json', 'repo/packages/web/package.json', 'repo/packages/web/src/x.js']);
    expect(locateProject(path.join(dir, 'repo/packages/web/src'))).toEqual({ root: path.join(dir, 'repo/packages/web'), marker: 'package.json' });
    expect(locateProject(path.join(dir, 'repo/packages'))).toEqual({ root: path.join(dir, 'repo'), marker: 'package.json' });
  });

  it('stops at the git root: a package.json above it is another project', () => {
    const dir = tree(['package.json', 'repo/.git/', 'repo/src/x.js']);
    expect(locateProject(path.join(dir, 'repo/src'))).toEqual({ root: path.join(dir, 'repo'), marker: '.git' });
  });

  it('takes the nearest package.json with no git, and the folder itself with neither', () => {
    const dir = tree(['app/package.json', 'app/src/x.js', 'loose/a.txt']);
    expect(locateProject(path.join(dir, 'app/src'))).toEqual({ root: path.join(dir, 'app'), marker: 'package.json' });
    expect(locateProject(path.join(dir, 'loose'))).toEqual({ root: path.join(dir, 'loose'), marker: 'none' });
  });
});

describe('the home folder', () => {
  it('is never climbed to: a package.json or a dotfiles .git there belongs to no project below it', () => {
    const dir = tree(['home/package.json', 'home/.git/', 'home/.claude/', 'home/work/proj/src/x.js', 'home/app/package.json']);
    const home = path.join(dir, 'home');
    expect(locateProject(path.join(home, 'work/proj'), home)).toEqual({ root: path.join(home, 'work/proj'), marker: 'none' });
    expect(locateProject(path.join(home, 'app/src'), home)).toEqual({ root: path.join(home, 'app'), marker: 'package.json' });
    // Named itself, it is what the user asked for.
    expect(locateProject(home, home)).toEqual({ root: home, marker: 'package.json' });
  });

  it('is not where a plan from a folder below it goes', () => {
    const dir = tree(['home/package.json', 'home/work/proj/.keep']);
    const home = path.join(dir, 'home');
    writeFileSync(path.join(home, 'work/proj/server.js'), "const io = require('socket.io')();\n");
    const r = run(['sync-x', '--cwd', path.join(home, 'work/proj'), '--offline', '--stable-name'], { env: { HOME: home } });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(path.join(home, 'work/proj/.claude/doc/websocket-realtime-sync-x.md'))).toBe(true);
    expect(existsSync(path.join(home, '.claude'))).toBe(false);
  });
});

describe('a folder with its own .claude/', () => {
  it('is the project as given, even inside a larger repository', () => {
    const dir = tree([
      'repo/.git/',
      'repo/package.json',
      'repo/apps/split/.claude/tasks/',
      'repo/apps/split/backend/package.json',
      'repo/apps/split/backend/src/x.js',
    ]);
    expect(locateProject(path.join(dir, 'repo/apps/split'))).toEqual({ root: path.join(dir, 'repo/apps/split'), marker: '.claude' });
    // Only the folder given counts: from below it, the usual upward search applies.
    expect(locateProject(path.join(dir, 'repo/apps/split/backend/src'))).toEqual({ root: path.join(dir, 'repo/apps/split/backend'), marker: 'package.json' });
  });
});

describe('a folder with no project marker', () => {
  it('is scanned with a warning on stderr and in --json warnings', () => {
    const dir = tree(['loose/a.txt']);
    const loose = path.join(dir, 'loose');
    const warning = `no package.json or .git in ${loose} or any folder above it: planning this folder as given (pass --cwd <project folder> if it is not the project)`;
    const r = run(['scan', '--json', '--cwd', loose]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { warnings: string[] }).warnings).toEqual([warning]);
    expect(r.stderr).toBe(`warning: ${warning}\n`);
  });
});
