// The stages in order: context → analyze → docs → design → render → verify. Writing is the
// caller's (commands/plan.ts), so `--dry-run` and tests run everything but the write.
import { buildPlan } from './design/index.js';
import type { Plan, PlanInput } from './design/types.js';
import { DEFAULT_DOCS_BUDGET, gatherDocs } from './docs/index.js';
import { CheckError } from './errors.js';
import type { Logger } from './io/log.js';
import { loadTemplates, renderPlan, templateHashes, type TemplateSet } from './render/engine.js';
import type { Analysis, DocsContext, SessionContext, Warning } from './types.js';
import type { DesignReview } from './llm/verify-review.js';
import { verifyPlanText } from './verify/self-check.js';
import { inputsDigest } from './verify/digest.js';
import { locateRoot, readProject } from './project.js';
import { inert } from './shared/inert.js';
import { quotableDocs, quotableSessions } from './shared/quoted.js';
import { redact, redactDeep } from './shared/redact.js';
import { toolVersion } from './version.js';
import { contractDigest, contractText } from './contract/file.js';

export interface PlanRequest {
  cwd: string;
  task: string;
  now: Date;
  contextGlobs: string[];
  docs: { mode: 'local' | 'context7'; offline: boolean; budget?: number };
  options: PlanInput['options'];
  /** The command-line options that made this plan, recorded so `--same-as` can redo it. */
  replay?: string[];
  env: NodeJS.ProcessEnv;
  log: Logger;
  /**
   * Runs between design and render (the --llm design review): the design stage stays pure,
   * and render receives the review as data.
   */
  review?: (designed: { root: string; plan: Plan; sessions: SessionContext; analysis: Analysis; docs: DocsContext }) => Promise<DesignReview | null>;
}

export interface PreparedPlan {
  root: string;
  plan: Plan;
  markdown: string;
  sessions: SessionContext;
  analysis: Analysis;
  docs: DocsContext;
  digest: string;
  /** The sidecar's exact bytes (`<plan>.contract.json`); its digest is in the frontmatter. */
  contract: string | null;
  warnings: Warning[];
  review?: DesignReview | null;
}

/** Read what the digest covers: sessions, analysis and templates. `check --stale` repeats it. */
export async function readInputs(root: string, contextGlobs: string[], log: Logger) {
  const { sessions, analysis } = await readProject(root, contextGlobs, log);
  const loaded = await loadTemplates(root);
  const digest = inputsDigest({
    sessions: sessions.docs.map((d) => ({ path: d.path, text: d.body, data: d.data })),
    analysis,
    toolVersion: toolVersion(),
    templates: templateHashes(loaded.templates),
  });
  return { sessions, analysis, loaded, digest };
}

export async function preparePlan(req: PlanRequest): Promise<PreparedPlan> {
  const { root, warnings: located } = await locateRoot(req.cwd);
  const read = await readInputs(root, req.contextGlobs, req.log);
  const { loaded, digest } = read;
  // Project text is redacted before any stage can quote it (the digest covers the raw inputs).
  const sessions = quotableSessions(redactDeep(read.sessions));
  const analysis = redactDeep(read.analysis);
  req.log.step(req.docs.mode === 'context7' && !req.docs.offline ? 'gathering documentation (Context7)' : 'gathering documentation');
  const docs = quotableDocs(
    redactDeep(
      await gatherDocs({
        root,
        task: req.task,
        requirements: sessions.requirements,
        analysis,
        options: {
          mode: req.docs.mode,
          offline: req.docs.offline,
          budget: req.docs.budget ?? DEFAULT_DOCS_BUDGET,
          date: req.now,
          env: req.env,
        },
      }),
    ),
  );
  req.log.step('designing the plan');
  const plan = buildPlan({
    task: req.task,
    now: req.now,
    toolVersion: toolVersion(),
    sessions,
    analysis,
    docs,
    options: req.options,
  });
  const contract = plan.contract ? contractText(plan.contract) : null;
  const review = req.review ? await req.review({ root, plan, sessions, analysis, docs }) : null;
  const markdown = inert(
    redact(
      render(review ? { ...plan, review } : plan, loaded.templates, loaded.overridden, {
        task: req.task,
        generated: plan.generatedAt,
        digest,
        sessions: sessions.files,
        contract: contract === null ? null : contractDigest(contract),
        options: req.replay ?? [],
      }),
    ),
  );
  const problems = verifyPlanText(markdown, plan);
  if (problems.length > 0) {
    throw new CheckError(`the plan failed its own validation: ${problems.join('; ')}`, {
      ...(loaded.overridden.length ? { hint: `check the overridden templates: ${loaded.overridden.join(', ')}` } : {}),
    });
  }
  // Documentation notices (Context7 unreachable, no node_modules) are warnings like the others:
  // shown once on stderr by the command and listed in --json's warnings.
  const notices: Warning[] = docs.notices.map((message) => ({ file: null, message }));
  const warnings = [...located, ...sessions.warnings, ...analysis.warnings, ...loaded.warnings, ...notices];
  return { root, plan, markdown, sessions, analysis, docs, digest, contract, warnings, ...(req.review ? { review } : {}) };
}

function render(
  plan: Plan & { review?: DesignReview },
  templates: TemplateSet,
  overridden: string[],
  meta: { task: string; generated: string; digest: string; sessions: string[]; contract: string | null; options: string[] },
): string {
  // JSON strings are valid YAML scalars, so no YAML library is needed on this path.
  const q = (s: string) => JSON.stringify(s);
  const frontmatter = [
    '---',
    `generator: ${q(`rt-plan ${toolVersion()}`)}`,
    `task: ${q(meta.task)}`,
    `generated: ${q(meta.generated)}`,
    `inputs_digest: ${q(meta.digest)}`,
    `sessions: [${meta.sessions.map(q).join(', ')}]`,
    `options: [${meta.options.map(q).join(', ')}]`,
    ...(meta.contract ? [`contract_digest: ${q(meta.contract)}`] : []),
    '---',
    '',
  ].join('\n');
  return renderPlan(plan, { templates, overridden, frontmatter });
}
