// The stages in order: context → analyze → docs → design → render → verify. Writing is the
// caller's (commands/plan.ts), so `--dry-run` and tests run everything but the write.
import { buildPlan } from './design/index.js';
import type { Plan, PlanInput } from './design/types.js';
import { DEFAULT_DOCS_BUDGET, gatherDocs } from './docs/index.js';
import { CheckError } from './errors.js';
import type { Logger } from './io/log.js';
import { loadTemplates, renderPlan, templateHashes, type TemplateSet } from './render/engine.js';
import type { Analysis, DocsContext, SessionContext, Warning } from './types.js';
import { verifyPlanText } from './verify/self-check.js';
import { inputsDigest } from './verify/digest.js';
import { projectRoot, readProject } from './project.js';
import { inert } from './shared/inert.js';
import { quotableDocs, quotableSessions } from './shared/quoted.js';
import { redact, redactDeep } from './shared/redact.js';
import { toolVersion } from './version.js';

export interface PlanRequest {
  cwd: string;
  task: string;
  now: Date;
  contextGlobs: string[];
  docs: { mode: 'local' | 'context7'; offline: boolean; budget?: number };
  options: PlanInput['options'];
  env: NodeJS.ProcessEnv;
  log: Logger;
}

export interface PreparedPlan {
  root: string;
  plan: Plan;
  markdown: string;
  sessions: SessionContext;
  analysis: Analysis;
  docs: DocsContext;
  digest: string;
  warnings: Warning[];
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
  const root = await projectRoot(req.cwd);
  const read = await readInputs(root, req.contextGlobs, req.log);
  const { loaded, digest } = read;
  // Project text is redacted before any stage can quote it (the digest covers the raw inputs).
  const sessions = quotableSessions(redactDeep(read.sessions));
  const analysis = redactDeep(read.analysis);
  req.log.step(req.docs.mode === 'context7' && !req.docs.offline ? 'gathering documentation (Context7)' : 'gathering documentation');
  const docs = quotableDocs(redactDeep(await gatherDocs({
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
  })));
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
  const markdown = inert(redact(render(plan, loaded.templates, loaded.overridden, {
    task: req.task,
    generated: plan.generatedAt,
    digest,
    sessions: sessions.files,
  })));
  const problems = verifyPlanText(markdown, plan);
  if (problems.length > 0) {
    throw new CheckError(`the plan failed its own validation: ${problems.join('; ')}`, {
      ...(loaded.overridden.length ? { hint: `check the overridden templates: ${loaded.overridden.join(', ')}` } : {}),
    });
  }
  // Documentation notices (Context7 unreachable, no node_modules) are warnings like the others:
  // shown once on stderr by the command and listed in --json's warnings.
  const notices: Warning[] = docs.notices.map((message) => ({ file: null, message }));
  const warnings = [...sessions.warnings, ...analysis.warnings, ...loaded.warnings, ...notices];
  return { root, plan, markdown, sessions, analysis, docs, digest, warnings };
}

function render(
  plan: Plan,
  templates: TemplateSet,
  overridden: string[],
  meta: { task: string; generated: string; digest: string; sessions: string[] },
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
    '---',
    '',
  ].join('\n');
  return renderPlan(plan, { templates, overridden, frontmatter });
}
