// The only console user. stdout carries the result alone (the final line, the JSON, or the
// plan with --dry-run); progress, warnings and summaries go to stderr.
import { Console } from 'node:console';
import { Chalk, type ChalkInstance } from 'chalk';
import { inert, inertKeepingColour } from '../shared/inert.js';
import { redact } from '../shared/redact.js';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface LogOptions {
  verbosity: Verbosity;
  /** false when --no-color, NO_COLOR, or the stream is not a TTY. */
  color: boolean;
  /** With --json, stderr still carries warnings but no progress chatter. */
  json?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export interface Logger {
  readonly color: ChalkInstance;
  /** One progress step ("analyzing project"), shown unless --quiet or --json. */
  step(message: string): void;
  info(message: string): void;
  detail(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A line that belongs with an error (its hint, a stack trace): shown even with --quiet. */
  note(message: string): void;
  /** Write the command's result to stdout. */
  result(text: string): void;
  /** "label i/n", rewritten in place on a terminal; nothing when stderr is not a TTY. */
  progress(label: string, done: number, total: number): void;
}

export function shouldUseColor(env: NodeJS.ProcessEnv, flag: boolean | undefined, stream: { isTTY?: boolean }): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function createLogger(options: LogOptions): Logger {
  const out = options.stdout ?? process.stdout;
  const err = options.stderr ?? process.stderr;
  const color = new Chalk({ level: options.color ? 1 : 0 });
  const chatty = options.verbosity !== 'quiet' && !options.json;
  const line = (text: string) => err.write(`${text}\n`);
  // Messages carry project text: no detected secret and no terminal control reaches a console.
  const safe = (text: string) => inert(redact(text));
  return {
    color,
    step: (message) => {
      if (chatty) line(`${color.cyan('›')} ${safe(message)}`);
    },
    info: (message) => {
      if (chatty) line(safe(message));
    },
    detail: (message) => {
      if (options.verbosity === 'verbose') line(color.dim(safe(message)));
    },
    warn: (message) => {
      if (options.verbosity !== 'quiet') line(`${color.yellow('warning:')} ${safe(message)}`);
    },
    error: (message) => line(`${color.red('error:')} ${safe(message)}`),
    note: (message) => line(color.dim(safe(message))),
    result: (raw) => {
      // Commands colour their result themselves; only rt-plan's own colour codes pass.
      const text = options.color ? inertKeepingColour(redact(raw)) : safe(raw);
      out.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    progress: (label, done, total) => {
      if (!chatty || !(err as { isTTY?: boolean }).isTTY) return;
      err.write(`\r\x1b[K${color.dim(`${label} ${done}/${total}`)}${done === total ? '\n' : ''}`);
    },
  };
}

/** A logger that drops everything, for library callers and tests. */
export const silentLogger: Logger = createLogger({
  verbosity: 'quiet',
  color: false,
  stdout: { write: () => true } as unknown as NodeJS.WritableStream,
  stderr: { write: () => true } as unknown as NodeJS.WritableStream,
});

/**
 * Route the global console to stderr, for `rt-plan mcp`, whose stdout is the protocol
 * stream: Handlebars' {{log}} helper and dependencies print with console.log.
 */
export function consoleToStderr(): void {
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
}
