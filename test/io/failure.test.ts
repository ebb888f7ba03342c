import { describe, expect, it } from 'vitest';
import { CheckError, InputError, UsageError } from '../../src/errors.js';
import { describeFailure, failureJson } from '../../src/io/failure.js';

const quiet = { verbose: false, version: '9.9.9' };

describe('describeFailure', () => {
  it.each([
    [new CheckError('a check failed'), 1],
    [new UsageError('bad option'), 2],
    [new InputError('bad file', { hint: 'fix it' }), 3],
  ])('typed errors keep their exit code, message and hint', (error, code) => {
    const f = describeFailure(error, quiet);
    expect(f.code).toBe(code);
    expect(f.message).toBe(error.message);
    expect(f.hint).toBe(error.hint);
    expect(f.stack).toBeUndefined();
  });

  it('anything else is an internal error (4): short message, how to report, no stack unless --verbose', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    const f = describeFailure(bug, quiet);
    expect(f).toEqual({
      code: 4,
      message: "internal error: Cannot read properties of undefined (reading 'x')",
      hint: 'this is a bug in rt-plan 9.9.9; please report it to the rt-plan maintainers with the command you ran (add --verbose for the stack trace)',
    });
    expect(describeFailure(bug, { verbose: true, version: '9.9.9' }).stack).toContain('TypeError');
  });

  it('non-Error throws are described too', () => {
    expect(describeFailure('boom', quiet).message).toBe('internal error: boom');
  });

  it('--json callers get the failure as one error object, the hint only when there is one', () => {
    expect(failureJson(describeFailure(new InputError('bad file', { hint: 'fix it' }), quiet))).toEqual({
      error: { code: 3, message: 'bad file', hint: 'fix it' },
    });
    expect(failureJson({ code: 2, message: 'bad option' })).toEqual({ error: { code: 2, message: 'bad option' } });
  });
});
