// `rt-plan plan --same-as <plan.md>`: run again with the task, date and options recorded in a
// plan's frontmatter, so CI can regenerate a committed plan exactly as it was made and diff
// it. Only the options rt-plan itself records are accepted from the file: a plan is project
// content, and must not be able to point the run somewhere else (--cwd) or add flags.
import path from 'node:path';
import { parse } from 'yaml';
import { InputError, UsageError } from '../errors.js';
import { readNamedText } from '../shared/read-limited.js';

const MAX_PLAN_BYTES = 5 * 1024 * 1024;

const WITH_VALUE = ['--pattern', '--connections', '--msg-rate', '--payload-bytes', '--fanout', '--context', '--docs', '--docs-budget', '--render', '--model'];
const FLAGS = ['--offline', '--stable-name', '--asyncapi', '--check', '--llm', '--llm=required'];

/** argv with `--same-as <file>` replaced by `plan <task> <recorded options> --date <generated>`. */
export async function expandSameAs(argv: string[], cwd = process.cwd()): Promise<string[]> {
  const at = argv.indexOf('--same-as');
  if (at === -1) return argv;
  const file = argv[at + 1];
  if (file === undefined || file.startsWith('-')) throw new UsageError('--same-as needs the path of a plan');
  const rest = [...argv.slice(0, at), ...argv.slice(at + 2)].filter((a, i) => !(i === 0 && a === 'plan'));
  const recorded = await readRecorded(cwd, file);
  requireConsent(file, recorded.options, rest);
  return ['plan', recorded.task, ...recorded.options, '--date', recorded.generated, ...rest];
}

/**
 * Recorded options that send project text off the machine are replayed only when the command
 * line asks for them too: a plan is project content, and a pull request that edits its
 * frontmatter must not be able to make CI call the Anthropic API with CI's key, or Context7.
 */
function requireConsent(file: string, recorded: string[], rest: string[]): void {
  const reaching: { recorded: (o: string[]) => boolean; given: (a: string[]) => boolean; flag: string; what: string }[] = [
    {
      recorded: (o) => o.some((x) => x.startsWith('--llm')),
      given: (a) => a.some((x) => x.startsWith('--llm')),
      flag: '--llm',
      what: 'sends project excerpts to the Anthropic API',
    },
    {
      recorded: (o) => docsMode(o) === 'context7',
      given: (a) => docsMode(a) === 'context7',
      flag: '--docs context7',
      what: 'queries Context7 over the network',
    },
  ];
  for (const r of reaching) {
    if (r.recorded(recorded) && !r.given(rest)) {
      throw new UsageError(`${file} was made with ${r.flag}, which ${r.what}; a plan file alone cannot turn that on`, {
        hint: `pass ${r.flag} on the command line too to regenerate it as it was made`,
      });
    }
  }
}

function docsMode(args: string[]): string | undefined {
  const at = args.lastIndexOf('--docs');
  return at === -1 ? args.find((a) => a.startsWith('--docs='))?.slice(7) : args[at + 1];
}

async function readRecorded(cwd: string, file: string): Promise<{ task: string; generated: string; options: string[] }> {
  // Bounded and regular-file only: a FIFO, /dev/zero or a link out of the folder never reaches the parser.
  const read = await readNamedText(cwd, path.resolve(cwd, file), MAX_PLAN_BYTES);
  if (!read.ok) throw new InputError(`cannot read ${file}: ${read.reason}`);
  const text = read.text;
  const block = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  const data = (block ? parse(block[1]!, { maxAliasCount: 0 }) : null) as Record<string, unknown> | null;
  const { task, generated, options } = data ?? {};
  if (typeof task !== 'string' || typeof generated !== 'string' || !Array.isArray(options) || !options.every((o) => typeof o === 'string')) {
    throw new InputError(`${file} records no task, generated date and options in its frontmatter`, {
      hint: 'plans written by rt-plan 0.1.0 or later record them; regenerate the plan once without --same-as',
    });
  }
  // The task goes where commander reads a positional: one that starts with a dash would be
  // parsed as an option (`--cwd=…`) instead.
  if (task.startsWith('-')) throw new InputError(`${file}: task ${JSON.stringify(task)} in its frontmatter is not a task name`);
  for (let i = 0; i < options.length; i++) {
    if (WITH_VALUE.includes(options[i]!) && i + 1 < options.length) i++;
    else if (!FLAGS.includes(options[i]!)) throw new InputError(`${file}: option ${JSON.stringify(options[i])} in its frontmatter is not one rt-plan records`);
  }
  return { task, generated, options: options as string[] };
}
