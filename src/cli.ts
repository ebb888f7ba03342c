// commander wiring. Each command is imported only when it runs, so `--help` and `--version`
// load nothing else. This is the only module that decides the process's exit code.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { misspelledCommand } from './commands/misspelled.js';
import { describeFailure, failureJson } from './io/failure.js';
import { createLogger, shouldUseColor, type Logger, type Verbosity } from './io/log.js';
import type { Scenario } from './design/types.js';
import { toolVersion } from './version.js';
import { inert } from './shared/inert.js';

// Kept here rather than imported so that --help loads no design code; a test checks that
// --help lists exactly the SCENARIOS of src/design/types.ts.
const SCENARIO_NAMES = ['state-sync', 'ai-streaming', 'subscriptions', 'chat-collab', 'voice', 'notifications', 'collab-editing'];

interface CommonFlags {
  cwd: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
  context: string[];
  date?: string;
  dryRun?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

// Kept here rather than imported from src/llm so that --help loads none of it.
const DEFAULT_MODEL_NAME = 'claude-sonnet-4-5';

/** `--llm` alone arrives as `--llm=on` (see main), so a task after it is never taken as its value. */
function llmMode(value: string): 'on' | 'required' {
  if (value === 'on' || value === 'required') return value;
  throw new InvalidArgumentError('--llm takes no value, or =required');
}

// Capacity inputs feed arithmetic and prose: a number past these bounds is a typo or an attack,
// never a real system, and would print as 1e+21 or Infinity in the plan.
const CAPACITY_MAX: Record<string, number> = {
  '--connections': 1e9,
  '--msg-rate': 1e9,
  '--payload-bytes': 1024 ** 3,
  '--fanout': 1e8,
};

function withinBounds(name: string, n: number): number {
  const max = CAPACITY_MAX[name];
  if (max !== undefined && n > max) throw new InvalidArgumentError(`${name} takes a number no larger than ${max.toLocaleString('en-US')}`);
  return n;
}

function positiveInt(name: string) {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError(`${name} takes a positive whole number`);
    return withinBounds(name, Number(value));
  };
}

function positiveNumber(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} takes a positive number`);
    return withinBounds(name, n);
  };
}

function collectChoice(choices: string[]) {
  return (value: string, previous: string[]) => {
    if (!choices.includes(value)) throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
    return [...previous, value];
  };
}

function common(cmd: Command, opts: { context?: boolean; date?: boolean; dryRun?: boolean } = {}): Command {
  cmd
    .option('-C, --cwd <dir>', 'a folder of the project (its root is the nearest package.json, or .git, above)', '.')
    .option('--json', 'print one JSON object on stdout and nothing else')
    .option('-q, --quiet', 'no progress or summary on stderr')
    .option('--verbose', 'more detail on stderr; stack traces for internal errors')
    .option('--no-color', 'no colours (also NO_COLOR=1; off anyway when not on a TTY)');
  if (opts.context !== false) {
    cmd.option('--context <glob>', 'session context files (repeatable; default .claude/tasks/context_session_*.md)', collect, []);
  }
  if (opts.date) cmd.option('--date <iso>', 'the clock for the plan: ISO date or epoch seconds (also SOURCE_DATE_EPOCH)');
  if (opts.dryRun) cmd.option('--dry-run', 'print the plan on stdout and write nothing');
  return cmd;
}

function logger(flags: CommonFlags): Logger {
  const verbosity: Verbosity = flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal';
  const color = shouldUseColor(process.env, flags.color, process.stderr) && shouldUseColor(process.env, flags.color, process.stdout);
  return createLogger({ verbosity, color, json: Boolean(flags.json) });
}

/** Run a command body; turn what it throws into a message and an exit code. */
async function run(flags: CommonFlags, body: (log: Logger) => Promise<number>): Promise<void> {
  const log = logger(flags);
  try {
    process.exitCode = await body(log);
  } catch (error) {
    process.exitCode = report(error, flags, log);
  }
}

function report(error: unknown, flags: CommonFlags, log: Logger): number {
  const f = describeFailure(error, { verbose: Boolean(flags.verbose), version: toolVersion() });
  if (flags.json) log.result(JSON.stringify(failureJson(f)));
  log.error(f.message);
  if (f.hint) log.note(`hint: ${f.hint}`);
  if (f.stack) log.note(f.stack);
  return f.code;
}

function buildProgram(): Command {
  const program = new Command('rt-plan')
    .description(
      'Plan real-time features (WebSocket, Socket.IO, SSE, WebRTC, voice agents) for this project.\nReads .claude/tasks/context_session_*.md, studies the code, and writes a plan to .claude/doc/. Never writes project code.',
    )
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  common(program.command('plan', { isDefault: true }), { date: true, dryRun: true })
    .description('write an implementation plan: .claude/doc/websocket-realtime-<task>-<YYYYMMDD-HHMMSS>.md')
    .argument('<task>', 'short task name, e.g. sync-architecture (becomes a kebab-case slug)')
    .option('--pattern <scenario>', `force a scenario (repeatable): ${SCENARIO_NAMES.join(', ')}`, collectChoice(SCENARIO_NAMES), [])
    .option('--connections <n>', 'peak concurrent connections for the capacity model', positiveInt('--connections'))
    .option('--msg-rate <n>', 'messages published per second, whole system, before fan-out', positiveNumber('--msg-rate'))
    .option('--payload-bytes <n>', 'typical message size in bytes', positiveInt('--payload-bytes'))
    .option('--fanout <n>', 'recipients per message (room size)', positiveInt('--fanout'))
    .addOption(new Option('--docs <mode>', 'documentation sources (default local, or "docs" in .claude/rt-plan.json)').choices(['local', 'context7']))
    .option('--offline', 'no network access at all (Context7 is skipped)')
    .option('--docs-budget <chars>', 'characters of documentation excerpts to keep', positiveInt('--docs-budget'))
    .option('--stable-name', 'name the plan websocket-realtime-<task>.md (replaced on each run), for diffs in CI')
    .option('--same-as <plan>', 'redo a plan: the task, date and options recorded in its frontmatter (the <task> argument comes from it)')
    .addOption(new Option('--render <format>', 'also render every diagram to images in one headless Chromium session (system browser)').choices(['svg', 'png']))
    .option('--asyncapi', 'also write the event protocol as an AsyncAPI 3.0 document next to the plan')
    .option('--check', "parse every diagram with mermaid's own parser before reporting (slower)")
    .addOption(
      new Option(
        '--llm [mode]',
        '--llm or --llm=required: ask Claude for a design review of the plan, verified against the code (ANTHROPIC_API_KEY); =required: exit 3 when none could be had',
      ).argParser(llmMode),
    )
    .option('--model <id>', `model for --llm (default RT_PLAN_MODEL, else ${DEFAULT_MODEL_NAME})`)
    .option('--llm-refresh', 'with --llm: ask again instead of reading .claude/cache/rt-plan/')
    .option('--llm-dry-run', 'write the --llm request to .claude/cache/rt-plan/ without sending it')
    .action(async (task: string, flags: CommonFlags & Record<string, unknown>) => {
      await run(flags, async (log) => {
        const { runPlan } = await import('./commands/plan.js');
        const { resolveClock } = await import('./task.js');
        return runPlan({
          cwd: flags.cwd,
          task,
          now: resolveClock(flags.date, process.env, () => new Date()),
          json: Boolean(flags.json),
          dryRun: Boolean(flags.dryRun),
          contextGlobs: flags.context,
          patterns: flags.pattern as Scenario[],
          capacity: {
            ...(flags.connections ? { connections: flags.connections as number } : {}),
            ...(flags.msgRate ? { msgRate: flags.msgRate as number } : {}),
            ...(flags.payloadBytes ? { payloadBytes: flags.payloadBytes as number } : {}),
            ...(flags.fanout ? { fanout: flags.fanout as number } : {}),
          },
          ...(flags.docs ? { docs: flags.docs as 'local' | 'context7' } : {}),
          ...(flags.offline ? { offline: true } : {}),
          ...(flags.docsBudget ? { docsBudget: flags.docsBudget as number } : {}),
          stableName: Boolean(flags.stableName),
          ...(flags.render ? { render: flags.render as 'svg' | 'png' } : {}),
          asyncapi: Boolean(flags.asyncapi),
          check: Boolean(flags.check),
          llm: {
            enabled: Boolean(flags.llm || flags.llmRefresh || flags.llmDryRun),
            required: flags.llm === 'required',
            ...(flags.model ? { model: flags.model as string } : {}),
            refresh: Boolean(flags.llmRefresh),
            requestOnly: Boolean(flags.llmDryRun),
          },
          env: process.env,
          log,
        });
      });
    });

  common(program.command('scan'))
    .description('print what the analysis found (stack, events, findings); writes nothing')
    .action(async (flags: CommonFlags) => {
      await run(flags, async (log) => {
        const { runScan } = await import('./commands/scan.js');
        return runScan({ cwd: flags.cwd, json: Boolean(flags.json), contextGlobs: flags.context, log });
      });
    });

  common(program.command('check'))
    .description('validate plans: diagrams parse, required sections present, AsyncAPI valid, contract intact; exit 1 on failure')
    .argument('[plans...]', 'plan files (default: the plans in .claude/doc/)')
    .option('--stale', 'also fail plans whose inputs changed since they were written')
    .action(async (files: string[], flags: CommonFlags & { stale?: boolean }) => {
      await run(flags, async (log) => {
        const { runCheckCommand } = await import('./commands/check.js');
        return runCheckCommand({ cwd: flags.cwd, files, stale: Boolean(flags.stale), json: Boolean(flags.json), contextGlobs: flags.context, log });
      });
    });

  common(program.command('verify'), { context: false })
    .description("compare the code with a plan's contract: events, settings, findings; exit 1 when a required item is missing or a listed finding remains")
    .argument('[plan]', 'plan file (default: the newest plan in .claude/doc/)')
    .action(async (plan: string | undefined, flags: CommonFlags) => {
      await run(flags, async (log) => {
        const { runVerifyCommand } = await import('./commands/verify.js');
        return runVerifyCommand({ cwd: flags.cwd, ...(plan ? { plan } : {}), json: Boolean(flags.json), log });
      });
    });

  common(program.command('review'))
    .description('verify a design review (JSON, see --schema) against the project and put it into a plan')
    .argument('[plan]', 'the plan to review, e.g. .claude/doc/websocket-realtime-<task>-<stamp>.md')
    .option('--input <file>', 'the review as JSON; "-" reads stdin')
    .option('--schema', 'print the JSON Schema of a review')
    .action(async (plan: string | undefined, flags: CommonFlags & { input?: string; schema?: boolean }) => {
      await run(flags, async (log) => {
        const { runReview } = await import('./commands/review.js');
        return runReview({
          cwd: flags.cwd,
          ...(plan ? { plan } : {}),
          ...(flags.input ? { input: flags.input } : {}),
          schema: Boolean(flags.schema),
          json: Boolean(flags.json),
          contextGlobs: flags.context,
          stdin: process.stdin,
          log,
        });
      });
    });

  common(program.command('init'), { context: false })
    .description('install the subagent definition .claude/agents/websocket-realtime-engineer.md')
    .option('--force', 'replace a copy that differs from the shipped one')
    .action(async (flags: CommonFlags & { force?: boolean }) => {
      await run(flags, async (log) => {
        const { runInit } = await import('./commands/init.js');
        return runInit({ cwd: flags.cwd, force: Boolean(flags.force), json: Boolean(flags.json), log });
      });
    });

  program
    .command('mcp')
    .description('serve the planner as Model Context Protocol tools over stdio (plan_realtime, scan_realtime, verify_realtime)')
    .option('-C, --cwd <dir>', 'project folder for calls that pass no cwd and come from a client that shares no roots')
    .action(async (flags: { cwd?: string }) => {
      await run({ cwd: flags.cwd ?? '.', context: [], quiet: true }, async () => {
        const { runMcp } = await import('./commands/mcp.js');
        return runMcp({ ...(flags.cwd !== undefined ? { cwd: flags.cwd } : {}), env: process.env });
      });
    });

  program.addHelpText('after', sharedOptionsHelp() + HELP_EXAMPLES);
  return program;
}

/** The options every command takes, listed in the top-level help from their real definitions. */
function sharedOptionsHelp(): string {
  const sample = common(new Command('shared'), { date: true, dryRun: true });
  const help = sample.createHelp();
  const rows = sample.options.map((o) => [help.optionTerm(o), help.optionDescription(o)] as const);
  const width = Math.max(...rows.map(([term]) => term.length));
  return `\nOptions shared by the commands (all but mcp; --context: plan, scan, check, review; --date, --dry-run: plan):\n${rows.map(([term, text]) => `  ${term.padEnd(width)}  ${text}`).join('\n')}\n`;
}

const HELP_EXAMPLES = `
Examples:
  In a terminal, inside the project:
    $ rt-plan sync-architecture
    $ rt-plan chat-presence --pattern chat-collab --connections 20000
    $ rt-plan scan                       # what rt-plan sees, writes nothing

  From a parent AI agent (one JSON object on stdout):
    $ rt-plan sync-architecture --json
    $ rt-plan init                       # installs .claude/agents/websocket-realtime-engineer.md
    $ rt-plan mcp                        # or as MCP tools over stdio
    $ rt-plan review <plan.md> --input -  # the subagent's own review, verified and put in the plan

  With a design review by Claude (ANTHROPIC_API_KEY; cached in .claude/cache/rt-plan/):
    $ rt-plan sync-architecture --llm

  In CI (same inputs, same bytes; see docs/ci.md):
    $ rt-plan sync-architecture --date "$(git log -1 --format=%cI)" --stable-name
    $ rt-plan check --stale .claude/doc/websocket-realtime-sync-architecture.md
    $ rt-plan plan --same-as .claude/doc/websocket-realtime-sync-architecture.md
    $ rt-plan verify                     # after implementing: does the code match the plan?

Exit codes: 0 ok, 1 check failed, 2 usage error, 3 input error, 4 internal error.
Environment: NO_COLOR, SOURCE_DATE_EPOCH, CONTEXT7_API_KEY, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, RT_PLAN_MODEL, PUPPETEER_EXECUTABLE_PATH or CHROME_PATH.`;

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  if (argv.length === 0) {
    process.stderr.write(program.helpInformation());
    process.exitCode = 2;
    return;
  }
  // A reader that closes the pipe early (`| head`) has all it wanted: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  if (argv.includes('--same-as')) {
    try {
      const { expandSameAs } = await import('./commands/same-as.js');
      argv = await expandSameAs(argv);
    } catch (error) {
      process.exitCode = report(
        error,
        { cwd: '.', context: [], json: argv.includes('--json') },
        logger({ cwd: '.', context: [], json: argv.includes('--json') }),
      );
      return;
    }
  }
  // An optional option-argument would swallow the next word (`--llm my-task`): give the bare
  // flag its value explicitly.
  argv = argv.map((a) => (a === '--llm' ? '--llm=on' : a));
  const mistyped = misspelledCommand(
    argv[0],
    program.commands.map((c) => c.name()),
  );
  if (mistyped) {
    usageFailure(argv, `unknown command '${argv[0]}'; did you mean '${mistyped}'? To plan a task of that name, run: rt-plan plan ${argv[0]}`);
    return;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are not errors; every other commander complaint is a usage error,
      // which a --json caller gets as the one JSON object it reads (commander wrote the text).
      if (error.exitCode === 0) process.exitCode = 0;
      else usageFailure(argv, error.message.replace(/^error: /, ''), false);
      return;
    }
    throw error;
  }
}

function usageFailure(argv: string[], raw: string, printText = true): void {
  // The message quotes the command line, which may come from a script fed project text.
  const message = inert(raw);
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(failureJson({ code: 2, message }))}\n`);
  if (printText) process.stderr.write(`error: ${message}\n`);
  process.exitCode = 2;
}

// Exported rather than awaited here: the CLI also runs as one CommonJS bundle with V8's code
// cache (bin/load-bundle.cjs), where a top-level await cannot be; bin/rt-plan.js awaits it.
export const done = main(process.argv.slice(2));
