// `--llm`: the designed plan → a verified design review, or the reason there is none. Runs
// between design and render. Every failure comes back as data (the plan is written either
// way); only the command turns it into an exit code.
import { fmt } from '../design/md.js';
import type { Plan } from '../design/types.js';
import { InputError, UsageError, type RtPlanError } from '../errors.js';
import type { Logger } from '../io/log.js';
import { ProjectWriter } from '../io/safe-write.js';
import { markSecret } from '../shared/redact.js';
import type { Analysis, DocsContext, SessionContext } from '../types.js';
import { readCachedReview, requestKey, writeCachedReview, writeRequest } from './cache.js';
import { LlmCallError, requestReview, type Usage } from './client.js';
import { lineCounts, projectModel, readExcerpts } from './project-files.js';
import { buildReviewRequest, DEFAULT_MODEL } from './request.js';
import type { ReviewInput } from './schema.js';
import { parseEvidence, verifyReview, type DesignReview } from './verify-review.js';

export interface LlmOptions {
  required: boolean;
  model?: string;
  refresh: boolean;
  /** Write the request to the cache folder instead of sending it. */
  requestOnly: boolean;
  /** false under --dry-run: nothing is written, the cache included. */
  persist: boolean;
  env: NodeJS.ProcessEnv;
}

export interface Designed {
  root: string;
  plan: Plan;
  sessions: SessionContext;
  analysis: Analysis;
  docs: DocsContext;
}

export interface ReviewOutcome {
  review: DesignReview | null;
  /** Set when the run must end with this error's exit code (the plan is still written). */
  failure: RtPlanError | null;
}

const DEFAULT_TIMEOUT_MS = 180_000;

export function resolveModel(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag || env.RT_PLAN_MODEL || DEFAULT_MODEL;
}

/** Verify a review against the project: file line counts read here, the rest is pure. */
export async function verifyAgainstProject(root: string, analysis: Analysis, review: ReviewInput, source: string): Promise<DesignReview> {
  const files = review.items.flatMap((i) => i.evidence.map(parseEvidence)).flatMap((p) => ('path' in p ? [p.path] : []));
  const counts = await lineCounts(root, files);
  return verifyReview(review, { lineCount: (p) => counts.get(p) ?? null, model: projectModel(analysis), source });
}

export async function reviewPlan(designed: Designed, opts: LlmOptions, log: Logger): Promise<ReviewOutcome> {
  const model = resolveModel(opts.model, opts.env);
  const excerpts = await readExcerpts(designed.root, designed.analysis, designed.sessions);
  const request = buildReviewRequest({ model, ...designed, excerpts });
  const key = requestKey(request.body);
  const writer = await ProjectWriter.open(designed.root);
  const verified = (review: ReviewInput, source: string) => verifyAgainstProject(designed.root, designed.analysis, review, source);

  if (opts.requestOnly) {
    const where = opts.persist ? await writeRequest(writer, key, request.body) : '(not written: --dry-run)';
    log.info(`design review request, not sent: ${where} (${fmt(Buffer.byteLength(JSON.stringify(request.body)))} bytes)`);
    return { review: null, failure: null };
  }
  if (!opts.refresh) {
    const cached = await readCachedReview(writer, key);
    if (cached) {
      log.info(`design review from the cache (${model}); no request sent`);
      return { review: await verified(cached.review, cached.model), failure: null };
    }
  }
  const apiKey = opts.env.ANTHROPIC_API_KEY;
  if (!apiKey) {
    return {
      review: null,
      failure: new UsageError('--llm needs ANTHROPIC_API_KEY for a design review', {
        hint: 'export ANTHROPIC_API_KEY=…, or drop --llm; from Claude Code, have the subagent write the review and pipe it to `rt-plan review <plan> --input -`',
      }),
    };
  }
  // The key is a secret whatever its format: an error body (a proxy's, say) may echo it, and
  // every output goes through redact(), which removes the values marked here.
  markSecret(apiKey);
  const baseURL = opts.env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com';
  const bytes = Buffer.byteLength(JSON.stringify(request.body));
  log.note(`sending the plan and ${request.files.length} files (${fmt(bytes)} bytes in all) to ${new URL(baseURL).host} for a design review by ${model}:`);
  for (const f of request.files) log.note(`  ${f.path} (${fmt(f.bytes)} bytes)`);
  const timeout = Number(opts.env.RT_PLAN_LLM_TIMEOUT_MS);
  try {
    const result = await requestReview(request.body, { apiKey, baseURL, timeoutMs: timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS });
    log.note(tokens(result.usage));
    if (!result.ok) return skipped(`the model's review did not match the schema after one repair (${result.problems.slice(0, 3).join('; ')})`, opts, log);
    if (opts.persist) await writeCachedReview(writer, { key, model: result.model, review: result.review, usage: result.usage });
    return { review: await verified(result.review, result.model), failure: null };
  } catch (error) {
    if (!(error instanceof LlmCallError)) throw error;
    if (error.kind === 'unavailable') return skipped(`the Anthropic API is unavailable (${error.message}) after retries`, opts, log);
    const hint = error.kind === 'auth' ? 'check ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL)' : `check --model (${model})`;
    return { review: null, failure: new InputError(`the Anthropic API refused the design review request: ${error.message}`, { hint }) };
  }
}

function tokens(u: Usage): string {
  return `design review tokens: ${fmt(u.input)} input, ${fmt(u.output)} output, ${fmt(u.cacheRead)} cached (read), ${fmt(u.cacheWrite)} cached (written)`;
}

function skipped(reason: string, opts: LlmOptions, log: Logger): ReviewOutcome {
  if (opts.required) return { review: null, failure: new InputError(`--llm=required: ${reason}, so the plan has no design review`) };
  log.warn(`${reason}; the plan was written without a design review`);
  return { review: null, failure: null };
}
