// `rt-plan check`: every Mermaid block parses, the required sections are present in
// order, an AsyncAPI file next to the plan is valid, and (with --stale) the plan's
// recorded inputs digest still matches the project. Problems are returned as data;
// the command decides the exit code.

import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, RtPlanError, describeError } from '../errors.js';
import { extractMermaidBlocks } from '../diagrams/extract.js';
import { parseFrontmatter } from '../shared/frontmatter.js';
import { readNamedText } from '../shared/read-limited.js';
import { checkSections } from './sections.js';
import { diagramType } from './diagram-type.js';
import { contractDigest, contractPathOf, parseContract, recordedContractDigest } from '../contract/file.js';

export interface CheckProblem {
  line: number | null;
  message: string;
}

export interface FileCheck {
  /** Path relative to cwd, with forward slashes. */
  file: string;
  kind: 'plan' | 'asyncapi';
  ok: boolean;
  errors: CheckProblem[];
  /** Mermaid blocks found (plans only). */
  diagrams?: number;
}

export interface CheckReport {
  ok: boolean;
  files: FileCheck[];
}

export interface CheckOptions {
  cwd: string;
  files: string[];
  stale: boolean;
  /**
   * Recomputes the inputs digest from the project as it is now, reading the session files
   * `sessions` names (exact paths), or the default ones when null. Required when `stale`.
   */
  recompute?: (sessions: string[] | null) => Promise<string>;
}

export const STALE_MESSAGE = 'inputs changed since the plan was written: regenerate with `rt-plan %s` (and the options it was made with)';
export const SAME_AS_MESSAGE =
  'inputs changed since the plan was written: regenerate with `rt-plan plan --same-as %s` (the task, date and options it recorded)';

function display(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative).split(path.sep).join('/');
}

async function defaultPlans(cwd: string): Promise<string[]> {
  const dir = path.join(cwd, '.claude', 'doc');
  let names: string[];
  try {
    // rt-plan's own plans only: other notes in .claude/doc are not plans and are not checked.
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && /^websocket-realtime-.+\.md$/.test(e.name)).map((e) => e.name);
  } catch (cause) {
    throw new InputError(`no plans to check: cannot read ${display(cwd, dir)} (${describeError(cause)})`, {
      hint: 'run `rt-plan <task>` first, or name the plan files: rt-plan check <plan.md>',
      cause,
    });
  }
  if (names.length === 0) {
    throw new InputError(`no plans to check in ${display(cwd, dir)}`, { hint: 'run `rt-plan <task>` first' });
  }
  return names.sort().map((name) => path.join(dir, name));
}

async function checkDiagrams(markdown: string): Promise<{ count: number; errors: CheckProblem[] }> {
  const blocks = extractMermaidBlocks(markdown);
  if (blocks.length === 0) return { count: 0, errors: [] };
  const { validateMermaid } = await import('../diagrams/validate.js');
  const errors: CheckProblem[] = [];
  for (const block of blocks) {
    const result = await validateMermaid(block.source);
    if (result.valid) continue;
    const type = diagramType(block.source);
    const toFile = (line: number): number => block.startLine + line - 1;
    if (result.message.startsWith('No diagram type detected')) {
      const message = block.source.trim() === '' ? 'empty mermaid block' : `unknown diagram type "${type.name}"`;
      errors.push({ line: toFile(type.line), message });
      continue;
    }
    errors.push({ line: toFile(result.line ?? type.line), message: `${type.name}: ${result.message}` });
  }
  return { count: blocks.length, errors };
}

async function checkStale(markdown: string, shown: string, recompute: (sessions: string[] | null) => Promise<string>): Promise<CheckProblem[]> {
  let data: Record<string, unknown>;
  try {
    data = parseFrontmatter(markdown, 'plan').data;
  } catch (cause) {
    return [{ line: 1, message: `cannot read the frontmatter: ${describeError(cause)}` }];
  }
  const task = data['task'];
  const recorded = data['inputs_digest'];
  if (typeof task !== 'string' || typeof recorded !== 'string') {
    return [{ line: 1, message: 'no `task` and `inputs_digest` in the frontmatter: cannot tell whether the plan is stale' }];
  }
  // The default session files first; a plan made with --context recorded the files it used.
  // A problem recomputing one plan's inputs (a session file it names is gone) is that plan's.
  try {
    if ((await recompute(null)) === recorded) return [];
    const sessions = Array.isArray(data['sessions']) ? data['sessions'].filter((f): f is string => typeof f === 'string') : [];
    if (sessions.length > 0 && (await recompute(sessions)) === recorded) return [];
  } catch (cause) {
    if (!(cause instanceof RtPlanError)) throw cause;
    return [{ line: 1, message: `cannot recompute the plan's inputs: ${cause.message}` }];
  }
  const line = markdown.split(/\r?\n/).findIndex((text) => /^inputs_digest\s*:/.test(text));
  return [{ line: line === -1 ? 1 : line + 1, message: staleMessage(task, data, shown) }];
}

/**
 * The frontmatter is the plan's, not ours: only a task name rt-plan itself could have written
 * goes into a command, and a plan that records what `--same-as` needs is pointed to it (the
 * option values stay in the file, read and checked by --same-as; the path goes in only when
 * it is plain text).
 */
function staleMessage(task: string, data: Record<string, unknown>, shown: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(task)) return STALE_MESSAGE.replace('`rt-plan %s`', 'the task it was made for');
  const options = data['options'];
  if (typeof data['generated'] === 'string' && Array.isArray(options) && options.every((o) => typeof o === 'string')) {
    return SAME_AS_MESSAGE.replace('%s', /^[A-Za-z0-9_.][A-Za-z0-9_./-]*$/.test(shown) ? shown : '<this plan>');
  }
  return STALE_MESSAGE.replace('%s', task);
}

async function checkAsyncApi(file: string, cwd: string): Promise<FileCheck | null> {
  // A sidecar lives next to its plan: a link out of that folder, a device or a huge file is a
  // failed check, never read.
  const read = await readNamedText(path.dirname(file), file, MAX_PLAN_BYTES);
  if (!read.ok) {
    if (read.missing) return null;
    return { file: display(cwd, file), kind: 'asyncapi', ok: false, errors: [{ line: null, message: `cannot read: ${read.reason}` }] };
  }
  const text = read.text;
  const { validateAsyncApi } = await import('../render/asyncapi.js');
  const result = await validateAsyncApi(text);
  const errors = result.errors.map((message) => ({ line: lineOf(message), message: message.replace(/^line \d+: /, '') }));
  return { file: display(cwd, file), kind: 'asyncapi', ok: result.valid, errors };
}

function lineOf(message: string): number | null {
  const match = /^line (\d+): /.exec(message);
  return match ? Number(match[1]) : null;
}

async function checkPlan(file: string, opts: CheckOptions): Promise<FileCheck[]> {
  const shown = display(opts.cwd, file);
  const read = await readNamedText(opts.cwd, file, MAX_PLAN_BYTES);
  if (!read.ok) return [{ file: shown, kind: 'plan', ok: false, errors: [{ line: null, message: `cannot read: ${read.reason}` }] }];
  const markdown = read.text;
  const diagrams = await checkDiagrams(markdown);
  const errors = [...diagrams.errors, ...checkSections(markdown), ...(await checkContract(markdown, file))];
  if (opts.stale) {
    if (!opts.recompute) throw new Error('runCheck: stale checking needs a recompute callback');
    errors.push(...(await checkStale(markdown, shown, opts.recompute)));
  }
  errors.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  const results: FileCheck[] = [{ file: shown, kind: 'plan', ok: errors.length === 0, errors, diagrams: diagrams.count }];
  const asyncapi = await checkAsyncApi(file.replace(/\.md$/i, '') + '.asyncapi.yaml', opts.cwd);
  if (asyncapi) results.push(asyncapi);
  return results;
}

/** The plan names its contract by digest: the sidecar must exist, parse and be the one written with it. */
async function checkContract(markdown: string, planFile: string): Promise<CheckProblem[]> {
  const recorded = recordedContractDigest(markdown);
  if (!recorded) return [];
  const name = path.basename(contractPathOf(planFile));
  const read = await readNamedText(path.dirname(planFile), contractPathOf(planFile), MAX_PLAN_BYTES);
  if (!read.ok) {
    const why = read.missing ? 'is missing' : `cannot be read (${read.reason})`;
    return [{ line: recorded.line, message: `contract ${name} ${why}: \`rt-plan verify\` needs it; regenerate the plan` }];
  }
  const text = read.text;
  if (contractDigest(text) !== recorded.digest)
    return [{ line: recorded.line, message: `contract ${name} was modified after the plan was written (digest differs)` }];
  const parsed = parseContract(text);
  return typeof parsed === 'string' ? [{ line: recorded.line, message: `contract ${name}: ${parsed}` }] : [];
}

const MAX_PLAN_BYTES = 5 * 1024 * 1024;

export async function runCheck(opts: CheckOptions): Promise<CheckReport> {
  const files = opts.files.length > 0 ? opts.files.map((f) => path.resolve(opts.cwd, f)) : await defaultPlans(opts.cwd);
  const results: FileCheck[] = [];
  for (const file of files) {
    await assertReadable(opts.cwd, file);
    if (/\.asyncapi\.ya?ml$/i.test(file)) {
      const asyncapi = await checkAsyncApi(file, opts.cwd);
      if (asyncapi) results.push(asyncapi);
    } else {
      results.push(...(await checkPlan(file, opts)));
    }
  }
  return { ok: results.every((r) => r.ok), files: results };
}

/** A named file that is missing, not a file, or huge is an input error (exit 3), not a failed check. */
async function assertReadable(cwd: string, file: string): Promise<void> {
  const st = await stat(file).catch((cause: unknown) => {
    throw new InputError(`cannot check ${display(cwd, file)}: ${describeError(cause)}`, { cause });
  });
  if (!st.isFile()) throw new InputError(`cannot check ${display(cwd, file)}: not a regular file`);
  if (st.size > MAX_PLAN_BYTES) throw new InputError(`cannot check ${display(cwd, file)}: larger than 5 MB (${st.size} bytes)`);
}

/** Human output: one `file:line: message` per problem, then a summary line. */
export function formatCheckReport(report: CheckReport): string {
  const out: string[] = [];
  for (const result of report.files) {
    for (const error of result.errors) {
      out.push(error.line === null ? `${result.file}: ${error.message}` : `${result.file}:${error.line}: ${error.message}`);
    }
    if (result.ok) {
      const detail = result.kind === 'plan' ? ` (${result.diagrams ?? 0} diagrams)` : ' (AsyncAPI)';
      out.push(`${result.file}: ok${detail}`);
    }
  }
  const failed = report.files.filter((r) => !r.ok).length;
  const plans = report.files.filter((r) => r.kind === 'plan').length;
  out.push(
    failed === 0
      ? `${plans} plan${plans === 1 ? '' : 's'} checked: all valid`
      : `${plans} plan${plans === 1 ? '' : 's'} checked: ${failed} file${failed === 1 ? '' : 's'} failed`,
  );
  return out.join('\n');
}
