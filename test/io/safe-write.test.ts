import { mkdtempSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { ProjectWriter } from '../../src/io/safe-write.js';

let root: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'rtp-sw-'));
  outside = mkdtempSync(path.join(tmpdir(), 'rtp-out-'));
});
afterEach(() => {
  for (const dir of [root, outside]) chmodRecursive(dir);
});
function chmodRecursive(dir: string) {
  try {
    chmodSync(path.join(dir, '.claude', 'doc'), 0o755);
  } catch {
    /* not there */
  }
}

describe('ProjectWriter', () => {
  it('creates .claude/doc and writes the file whole', async () => {
    const w = await ProjectWriter.open(root);
    const r = await w.writeNew('.claude/doc/plan.md', 'hello');
    expect(r.relPath).toBe('.claude/doc/plan.md');
    expect(readFileSync(path.join(root, '.claude/doc/plan.md'), 'utf8')).toBe('hello');
    expect(readdirSync(path.join(root, '.claude/doc'))).toEqual(['plan.md']);
  });

  it('never overwrites: the second and third get -2 and -3', async () => {
    const w = await ProjectWriter.open(root);
    const names = [];
    for (const text of ['a', 'b', 'c']) names.push((await w.writeNew('.claude/doc/plan.md', text)).relPath);
    expect(names).toEqual(['.claude/doc/plan.md', '.claude/doc/plan-2.md', '.claude/doc/plan-3.md']);
    expect(readFileSync(path.join(root, '.claude/doc/plan.md'), 'utf8')).toBe('a');
  });

  it('gives concurrent writers distinct complete files', async () => {
    const w = await ProjectWriter.open(root);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => w.writeNew('.claude/doc/p.md', `content ${i}`.repeat(1000))));
    expect(new Set(results.map((r) => r.relPath)).size).toBe(8);
    for (const [i, r] of results.entries()) expect(readFileSync(r.absPath, 'utf8')).toBe(`content ${i}`.repeat(1000));
    expect(readdirSync(path.join(root, '.claude/doc')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each(['src/index.ts', '../x.md', '.claude/../x.md', '/etc/passwd', '.claude'])('refuses %s', async (rel) => {
    const w = await ProjectWriter.open(root);
    await expect(w.writeNew(rel, 'x')).rejects.toThrow(InputError);
    expect(readdirSync(root)).not.toContain('x.md');
  });

  it('refuses .claude as a symlink out of the project', async () => {
    symlinkSync(outside, path.join(root, '.claude'));
    const w = await ProjectWriter.open(root);
    await expect(w.writeNew('.claude/doc/plan.md', 'x')).rejects.toThrow(/outside \.claude\/ of the project/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses .claude/doc as a symlink out of the project', async () => {
    mkdirSync(path.join(root, '.claude'));
    symlinkSync(outside, path.join(root, '.claude', 'doc'));
    const w = await ProjectWriter.open(root);
    await expect(w.writeNew('.claude/doc/plan.md', 'x')).rejects.toThrow(InputError);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses to replace a symlinked file', async () => {
    mkdirSync(path.join(root, '.claude', 'agents'), { recursive: true });
    writeFileSync(path.join(outside, 'target.md'), 'keep');
    symlinkSync(path.join(outside, 'target.md'), path.join(root, '.claude', 'agents', 'a.md'));
    const w = await ProjectWriter.open(root);
    await expect(w.writeReplace('.claude/agents/a.md', 'x')).rejects.toThrow(/symbolic link/);
    expect(readFileSync(path.join(outside, 'target.md'), 'utf8')).toBe('keep');
  });

  it('refuses a read-only .claude/doc with an input error and leaves nothing behind', async () => {
    mkdirSync(path.join(root, '.claude', 'doc'), { recursive: true });
    chmodSync(path.join(root, '.claude', 'doc'), 0o555);
    const w = await ProjectWriter.open(root);
    const error = await w.writeNew('.claude/doc/plan.md', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(/read-only/);
    expect(readdirSync(path.join(root, '.claude', 'doc'))).toEqual([]);
  });

  it('replaces atomically with writeReplace', async () => {
    const w = await ProjectWriter.open(root);
    await w.writeReplace('.claude/doc/stable.md', 'one');
    await w.writeReplace('.claude/doc/stable.md', 'two');
    expect(readFileSync(path.join(root, '.claude/doc/stable.md'), 'utf8')).toBe('two');
    expect(await w.readIfExists('.claude/doc/missing.md')).toBeNull();
    expect(existsSync(path.join(root, '.claude/doc/missing.md'))).toBe(false);
  });
});
