// What a failed run tells its user: the exit code, one message, a hint, and the stack only
// when asked for. Pure, so the wording of every exit path is tested without a process.
import { RtPlanError, describeError } from '../errors.js';

export interface Failure {
  code: number;
  message: string;
  hint?: string;
  stack?: string;
}

export function describeFailure(error: unknown, opts: { verbose: boolean; version: string }): Failure {
  if (error instanceof RtPlanError) {
    return {
      code: error.exitCode,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(opts.verbose && error.stack ? { stack: error.stack } : {}),
    };
  }
  return {
    code: 4,
    message: `internal error: ${describeError(error)}`,
    hint: `this is a bug in rt-plan ${opts.version}; please report it to the rt-plan maintainers with the command you ran${opts.verbose ? ' and the stack trace below' : ' (add --verbose for the stack trace)'}`,
    ...(opts.verbose && error instanceof Error && error.stack ? { stack: error.stack } : {}),
  };
}

/** The `--json` form of a failure: the one object a caller reads from stdout. */
export function failureJson(f: Pick<Failure, 'code' | 'message' | 'hint'>): { error: { code: number; message: string; hint?: string } } {
  return { error: { code: f.code, message: f.message, ...(f.hint ? { hint: f.hint } : {}) } };
}
