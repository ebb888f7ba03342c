// `rt-plan review <plan.md> --input <file|->`: the route for an agent that is itself Claude.
// It reads the plan and the cited files, writes a review in the schema, and pipes it here;
// rt-plan verifies every item against the project and rewrites the plan in place (the
// section between its markers), through the guarded writer.
import path from 'node:path';
import { CheckError, InputError, UsageError, describeError } from '../errors.js';
import type { Logger } from '../io/log.js';
import { ProjectWriter } from '../io/safe-write.js';
import { placeReviewSection } from '../llm/plan-section.js';
import { verifyAgainstProject } from '../llm/review-plan.js';
import { REVIEW_JSON_SCHEMA, validateReview } from '../llm/schema.js';
import { projectRoot, readProject } from '../project.js';
import { loadTemplates, renderPlan } from '../render/engine.js';
import { readNamedText } from '../shared/read-limited.js';
import { checkSections } from '../verify/sections.js';
import { AGENT_LINE } from './result.js';

export const REVIEW_INPUT_SOURCE = 'review input';

export interface ReviewCommandOptions {
  cwd: string;
  plan?: string;
  input?: string;
  schema: boolean;
  json: boolean;
  contextGlobs: string[];
  stdin: NodeJS.ReadableStream;
  log: Logger;
}

// The schema caps a review at about 0.5 MB of text; twice that with JSON's whitespace.
const MAX_INPUT_BYTES = 1024 * 1024;
const MAX_PLAN_BYTES = 5 * 1024 * 1024;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    length += bytes.length;
    if (length > MAX_INPUT_BYTES) throw new InputError(`cannot read --input -: larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readInput(root: string, input: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (input === '-') return readAll(stdin);
  const read = await readNamedText(root, path.resolve(root, input), MAX_INPUT_BYTES);
  if (!read.ok) throw new InputError(`cannot read --input ${input}: ${read.reason}`);
  return read.text;
}

export async function runReview(opts: ReviewCommandOptions): Promise<number> {
  const { log } = opts;
  if (opts.schema) {
    log.result(JSON.stringify(REVIEW_JSON_SCHEMA, null, 2));
    return 0;
  }
  if (!opts.plan || !opts.input)
    throw new UsageError('rt-plan review needs a plan and --input <file|->', {
      hint: 'rt-plan review .claude/doc/<plan>.md --input review.json, or rt-plan review --schema',
    });
  const root = await projectRoot(opts.cwd);
  const planAbs = path.resolve(root, opts.plan);
  const planRel = path.relative(root, planAbs).split(path.sep).join('/');
  // A session file or a note that merely looks like a plan is project input: rewriting it
  // would change what `check --stale` digests. Only rt-plan's own plan files are reviewed.
  if (!/^\.claude\/doc\/[^/]+\.md$/.test(planRel)) {
    throw new UsageError(`rt-plan review rewrites the plans rt-plan writes, in .claude/doc/: ${opts.plan} is not one`, {
      hint: 'rt-plan review .claude/doc/<plan>.md --input review.json',
    });
  }
  const read = await readNamedText(root, planAbs, MAX_PLAN_BYTES);
  if (!read.ok) throw new InputError(`cannot read plan ${opts.plan}: ${read.reason}`);
  const original = read.text;
  if (!/^---\n[\s\S]*?^generator: "rt-plan /m.test(original)) throw new InputError(`${planRel} is not a plan written by rt-plan`);

  const name = opts.input === '-' ? 'stdin' : opts.input;
  let data: unknown;
  try {
    data = JSON.parse(await readInput(root, opts.input, opts.stdin));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`--input ${name}: invalid JSON: ${describeError(error)}`);
  }
  const checked = validateReview(data);
  if (!checked.ok) {
    throw new InputError(`--input ${name} does not match the review schema: ${checked.problems.slice(0, 5).join('; ')}`, {
      hint: 'rt-plan review --schema prints the JSON Schema',
    });
  }

  const { analysis } = await readProject(root, opts.contextGlobs, log);
  const review = await verifyAgainstProject(root, analysis, checked.review, REVIEW_INPUT_SOURCE);
  const loaded = await loadTemplates(root);
  loaded.templates.set('plan.md', '{{> design-review}}');
  const section = renderPlan({ review }, { templates: loaded.templates, overridden: loaded.overridden, frontmatter: '' });
  const updated = placeReviewSection(original, section);
  if (updated === null) throw new InputError(`${planRel} has no Summary section to put the design review after`);
  const problems = checkSections(updated);
  if (problems.length) throw new CheckError(`the reviewed plan would fail its checks: ${problems.map((p) => p.message).join('; ')}`);

  const writer = await ProjectWriter.open(root);
  const written = await writer.writeReplace(planRel, updated);
  if (opts.json) {
    log.result(JSON.stringify({ plan: written.relPath, kept: review.items.length, dropped: review.dropped, review }, null, 2));
  } else {
    log.info(`design review: ${review.items.length} kept, ${review.dropped.length} dropped`);
    for (const d of review.dropped) log.info(`  dropped "${d.title}": ${d.reason}`);
    log.result(AGENT_LINE(written.relPath));
  }
  return 0;
}
