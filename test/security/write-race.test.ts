// The write boundary holds against a race, and temporary files of killed runs do not pile up.
import { existsSync, promises, readdirSync, renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProjectWriter } from '../../src/io/safe-write.js';
import { put, tempDir } from './project.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Swap .claude/doc for a link to `outside` after the checks, before the file is created, as a racing process would. */
function swapBeforeCreate(project: string, outside: string): void {
  const real = promises.open.bind(promises);
  vi.spyOn(promises, 'open').mockImplementationOnce(async (file, flags, mode) => {
    renameSync(path.join(project, '.claude/doc'), path.join(project, '.claude/doc-was'));
    symlinkSync(outside, path.join(project, '.claude/doc'));
    return real(file, flags, mode);
  });
}

describe('write boundary under a race', () => {
  it.each(['writeReplace', 'writeNew'] as const)('a folder swapped for a link during %s: the plan is never left outside', async (method) => {
    const project = tempDir();
    const outside = tempDir();
    put(project, '.claude/doc/.keep', '');
    const writer = await ProjectWriter.open(project);
    swapBeforeCreate(project, outside);
    const write = writer[method]('.claude/doc/plan.md', '# plan\n');
    await expect(write).rejects.toThrow('refusing .claude/doc/plan.md: its folder was replaced by a link outside .claude/ while it was written; removed');
    expect(readdirSync(outside)).toEqual([]);
  });

  it("removes temporary files left by a killed run, and keeps a live run's", async () => {
    const project = tempDir();
    const dead = '.plan.md.2147483646.deadbeef.tmp';
    const live = `.plan.md.${process.ppid}.cafebabe.tmp`;
    put(project, `.claude/doc/${dead}`, 'half');
    put(project, `.claude/doc/${live}`, 'half');
    const writer = await ProjectWriter.open(project);
    await writer.writeReplace('.claude/doc/plan.md', '# plan\n');
    expect(existsSync(path.join(project, '.claude/doc', dead))).toBe(false);
    expect(readdirSync(path.join(project, '.claude/doc')).sort()).toEqual([live, 'plan.md']);
  });
});
