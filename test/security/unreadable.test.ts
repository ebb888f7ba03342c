// An unreadable session file is an input problem (exit 3 when it was the only one named), not a bug.
import { promises } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSessions } from '../../src/context/read-sessions.js';
import { InputError } from '../../src/errors.js';
import { SESSION, makeProject } from './project.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Root ignores permission bits, so EACCES is simulated where a file is opened or read. */
function denyReads(): void {
  const denied = () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
  vi.spyOn(promises, 'open').mockImplementation(denied);
  vi.spyOn(promises, 'readFile').mockImplementation(denied);
}

describe('unreadable session file', () => {
  it('explicitly named: an InputError (exit 3) naming the file and the errno', async () => {
    const project = makeProject({ [SESSION]: '# Board\n' });
    denyReads();
    const error = await readSessions(project, { globs: [SESSION] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(3);
    expect((error as InputError).message).toBe(`no usable session context: ${SESSION}: cannot read (EACCES)`);
  });

  it('found by default: skipped with a warning', async () => {
    const project = makeProject({ [SESSION]: '# Board\n' });
    denyReads();
    const ctx = await readSessions(project);
    expect(ctx.warnings).toEqual([{ file: SESSION, message: 'cannot read (EACCES); skipped' }]);
  });
});
