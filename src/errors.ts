// Typed errors carry their exit code and a hint. Only src/cli.ts turns them into an exit.
// Exit codes are the contract in PRODUCT.md: 1 check failed, 2 usage, 3 input, 4 internal.

export interface ErrorDetails {
  exitCode?: number;
  hint?: string;
  cause?: unknown;
}

export class RtPlanError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.exitCode = details.exitCode ?? 4;
    this.hint = details.hint;
  }
}

/** A check failed: `rt-plan check`, or a plan that fails its own validation. */
export class CheckError extends RtPlanError {
  constructor(message: string, details: Omit<ErrorDetails, 'exitCode'> = {}) {
    super(message, { ...details, exitCode: 1 });
  }
}

/** Bad command line: unknown option, bad task name, bad option value. */
export class UsageError extends RtPlanError {
  constructor(message: string, details: Omit<ErrorDetails, 'exitCode'> = {}) {
    super(message, { ...details, exitCode: 2 });
  }
}

/** An input the run cannot do without: unreadable project, unwritable output, refused path. */
export class InputError extends RtPlanError {
  constructor(message: string, details: Omit<ErrorDetails, 'exitCode'> = {}) {
    super(message, { ...details, exitCode: 3 });
  }
}

/** Short text of any thrown value, for messages that must not carry a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
