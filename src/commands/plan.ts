// `rt-plan <task>`: run the pipeline, write the plan (and its optional artifacts) through
// the guarded writer, and report it: the agent line, or one JSON object.
import path from 'node:path';
import type { CapacityInputs, Scenario } from '../design/types.js';
import { InputError, describeError, type RtPlanError } from '../errors.js';
import type { Logger } from '../io/log.js';
import { ProjectWriter } from '../io/safe-write.js';
import { readConfig } from '../config.js';
import { preparePlan, type PreparedPlan } from '../pipeline.js';
import { projectRoot } from '../project.js';
import { planFileName, taskSlug } from '../task.js';
import type { Transport } from '../types.js';
import { failureJson } from '../io/failure.js';
import { diagramType } from '../verify/diagram-type.js';
import { AGENT_LINE, planJson, warningText, type DiagramStatus } from './result.js';
import { contractPathOf } from '../contract/file.js';

export interface PlanCommandOptions {
  cwd: string;
  task: string;
  now: Date;
  json: boolean;
  dryRun: boolean;
  contextGlobs: string[];
  patterns: Scenario[];
  capacity: Partial<CapacityInputs>;
  /** Unset: .claude/rt-plan.json decides, else 'local'. */
  docs?: 'local' | 'context7';
  offline?: boolean;
  docsBudget?: number;
  stableName: boolean;
  render?: 'svg' | 'png';
  asyncapi: boolean;
  check: boolean;
  /** --llm and its options; unset: .claude/rt-plan.json's "llm" decides. */
  llm?: { enabled: boolean; required: boolean; model?: string; refresh: boolean; requestOnly: boolean };
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Aborted (an MCP client cancelled the call): stop before writing anything. */
  signal?: AbortSignal;
}

export async function runPlan(opts: PlanCommandOptions): Promise<number> {
  const slug = taskSlug(opts.task);
  const { log } = opts;
  const config = await readConfig(await projectRoot(opts.cwd));
  const budget = opts.docsBudget ?? config.docsBudget;
  const llm = opts.llm?.enabled || config.llm ? { required: false, refresh: false, requestOnly: false, ...opts.llm } : null;
  let llmFailure: RtPlanError | null = null;
  const prepared = await preparePlan({
    cwd: opts.cwd,
    task: slug,
    now: opts.now,
    contextGlobs: opts.contextGlobs,
    docs: {
      mode: opts.docs ?? config.docs ?? 'local',
      offline: opts.offline ?? config.offline ?? false,
      ...(budget === undefined ? {} : { budget }),
    },
    options: { patterns: opts.patterns, capacity: opts.capacity },
    replay: replayOptions(opts),
    env: opts.env,
    log,
    ...(llm
      ? {
          review: async (designed) => {
            log.step(llm.requestOnly ? 'preparing the design review request' : 'asking Claude for a design review');
            const { reviewPlan } = await import('../llm/review-plan.js');
            const outcome = await reviewPlan(designed, { ...llm, persist: !opts.dryRun, env: opts.env }, log);
            llmFailure = outcome.failure;
            return outcome.review;
          },
        }
      : {}),
  });
  for (const w of prepared.warnings) log.warn(warningText(w));

  let diagrams: DiagramStatus[] = prepared.plan.diagrams.map((d) => ({ kind: d.kind, title: d.title, valid: true }));
  if (opts.check) diagrams = await validateDiagrams(prepared, log);
  const invalid = diagrams.filter((d) => !d.valid);

  if (opts.dryRun) {
    // The plan text rides along: a --json caller of a dry run otherwise gets no plan at all.
    const dryFailure = llmFailure as RtPlanError | null;
    // The failure rides in the one JSON object too, as it does for a written plan: an MCP
    // caller reads only that object, never stderr.
    const error = dryFailure ? failureJson({ code: dryFailure.exitCode, message: dryFailure.message, hint: dryFailure.hint }) : {};
    if (opts.json)
      log.result(JSON.stringify({ ...planJson(prepared, null, diagrams), ...reviewJson(prepared), markdown: prepared.markdown, ...error }, null, 2));
    else log.result(prepared.markdown);
    if (dryFailure) {
      log.error(dryFailure.message);
      if (dryFailure.hint) log.note(`hint: ${dryFailure.hint}`);
      return dryFailure.exitCode;
    }
    return invalid.length ? 1 : 0;
  }

  opts.signal?.throwIfAborted();
  const writer = await ProjectWriter.open(prepared.root);
  const relPath = `.claude/doc/${planFileName(slug, opts.now, opts.stableName)}`;
  log.step('writing the plan');
  const written = opts.stableName ? await writer.writeReplace(relPath, prepared.markdown) : await writer.writeNew(relPath, prepared.markdown);
  const artifacts: string[] = [];
  let failure = llmFailure as RtPlanError | null;
  try {
    if (opts.stableName) await removeStaleArtifacts(writer, written.relPath, opts);
    // The contract travels with every written plan: `rt-plan verify` reads it, `check` guards it.
    if (prepared.contract !== null) artifacts.push((await writer.writeReplace(contractPathOf(written.relPath), prepared.contract)).relPath);
    if (opts.asyncapi) artifacts.push(await writeAsyncApi(writer, prepared, written.relPath, log));
    if (opts.render) artifacts.push(...(await writeImages(writer, prepared, written.relPath, opts, log)));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // The plan is written and stays: report the artifact failure with the result, as one
    // outcome (exit 3), not as a result followed by a second, error-only report.
    failure ??= error;
  }

  if (opts.json) {
    const error = failure ? failureJson({ code: failure.exitCode, message: failure.message, hint: failure.hint }) : {};
    log.result(JSON.stringify({ ...planJson(prepared, written.relPath, diagrams), artifacts, ...reviewJson(prepared), ...error }, null, 2));
  } else {
    summarize(prepared, written.relPath, artifacts, log);
    log.result(AGENT_LINE(written.relPath));
  }
  if (failure) {
    log.error(`${failure.message} (the plan itself was written)`);
    if (failure.hint) log.note(`hint: ${failure.hint}`);
    return failure.exitCode;
  }
  return invalid.length ? 1 : 0;
}

/** With --llm, --json also carries the verified review (null when there is none). */
function reviewJson(prepared: PreparedPlan) {
  return prepared.review === undefined ? {} : { review: prepared.review };
}

/**
 * The options that shape the plan's bytes and artifacts, as command-line arguments, for the
 * frontmatter: `rt-plan plan --same-as <plan>` regenerates with them (CI diffs the result).
 * The date is recorded apart (`generated`); --cwd, --json and --quiet change no output.
 */
export function replayOptions(opts: PlanCommandOptions): string[] {
  const out: string[] = [];
  for (const p of opts.patterns) out.push('--pattern', p);
  const { connections, msgRate, payloadBytes, fanout } = opts.capacity;
  if (connections !== undefined) out.push('--connections', String(connections));
  if (msgRate !== undefined) out.push('--msg-rate', String(msgRate));
  if (payloadBytes !== undefined) out.push('--payload-bytes', String(payloadBytes));
  if (fanout !== undefined) out.push('--fanout', String(fanout));
  for (const g of opts.contextGlobs) out.push('--context', g);
  if (opts.docs) out.push('--docs', opts.docs);
  if (opts.offline) out.push('--offline');
  if (opts.docsBudget !== undefined) out.push('--docs-budget', String(opts.docsBudget));
  if (opts.stableName) out.push('--stable-name');
  if (opts.render) out.push('--render', opts.render);
  if (opts.asyncapi) out.push('--asyncapi');
  if (opts.check) out.push('--check');
  if (opts.llm?.enabled) out.push(opts.llm.required ? '--llm=required' : '--llm');
  if (opts.llm?.model) out.push('--model', opts.llm.model);
  return out;
}

/**
 * A stable-name plan is rewritten in place: images or an AsyncAPI file from an earlier run
 * that this run does not produce again would otherwise sit next to it, looking current.
 */
async function removeStaleArtifacts(writer: ProjectWriter, planPath: string, opts: PlanCommandOptions): Promise<void> {
  const base = planPath.replace(/\.md$/, '');
  if (!opts.asyncapi) await writer.remove(`${base}.asyncapi.yaml`);
  await writer.removeMatching(base, /^diagram-\d+\.(svg|png)$/);
}

async function validateDiagrams(prepared: PreparedPlan, log: Logger): Promise<DiagramStatus[]> {
  log.step('parsing diagrams with mermaid');
  const { validateMermaid } = await import('../diagrams/validate.js');
  const { extractMermaidBlocks } = await import('../diagrams/extract.js');
  // Every block in the rendered plan, including any an overridden template wrote by hand.
  const byDesign = new Map(prepared.plan.diagrams.map((d) => [d.source.trimEnd(), d]));
  const out: DiagramStatus[] = [];
  for (const block of extractMermaidBlocks(prepared.markdown)) {
    const result = await validateMermaid(block.source);
    const known = byDesign.get(block.source.trimEnd());
    const title = known?.title ?? `diagram at line ${block.startLine}`;
    if (!result.valid) log.error(`diagram "${title}" (plan line ${block.startLine}): ${result.message}`);
    out.push({ kind: known?.kind ?? diagramKind(block.source), title, valid: result.valid });
  }
  return out;
}

function diagramKind(source: string): DiagramStatus['kind'] {
  const { name } = diagramType(source);
  return name.startsWith('sequenceDiagram') ? 'sequence' : name.startsWith('stateDiagram') ? 'state' : 'flowchart';
}

async function writeAsyncApi(writer: ProjectWriter, prepared: PreparedPlan, planPath: string, log: Logger): Promise<string> {
  log.step('writing the AsyncAPI document');
  const { buildAsyncApi, validateAsyncApi } = await import('../render/asyncapi.js');
  const yaml = buildAsyncApi(prepared.plan, { projectName: prepared.analysis.project.name });
  const result = await validateAsyncApi(yaml);
  if (!result.valid) {
    throw new InputError(`the AsyncAPI document is invalid: ${result.errors.slice(0, 3).join('; ')}`);
  }
  return (await writer.writeReplace(planPath.replace(/\.md$/, '.asyncapi.yaml'), yaml)).relPath;
}

async function writeImages(writer: ProjectWriter, prepared: PreparedPlan, planPath: string, opts: PlanCommandOptions, log: Logger): Promise<string[]> {
  const format = opts.render ?? 'svg';
  const { renderDiagrams, linkImages } = await import('../diagrams/render-svg.js');
  const { extractMermaidBlocks } = await import('../diagrams/extract.js');
  const blocks = extractMermaidBlocks(prepared.markdown);
  log.step(`rendering ${blocks.length} diagrams to ${format.toUpperCase()}`);
  let images: Buffer[];
  try {
    images = await renderDiagrams(blocks, {
      format,
      env: opts.env,
      onProgress: (i, n) => {
        log.progress('rendered diagram', i, n);
        log.detail(`rendered diagram ${i}/${n}`);
      },
    });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`rendering diagrams failed: ${describeError(error)}`, { cause: error });
  }
  const base = path.posix.basename(planPath, '.md');
  const dir = path.posix.dirname(planPath);
  const names = images.map((_, i) => `${base}/diagram-${i + 1}.${format}`);
  const written: string[] = [];
  for (const [i, image] of images.entries()) {
    written.push((await writer.writeReplace(`${dir}/${names[i]}`, image)).relPath);
  }
  await writer.writeReplace(planPath, linkImages(prepared.markdown, names));
  return written;
}

function summarize(prepared: PreparedPlan, planPath: string, artifacts: string[], log: Logger): void {
  const { stack, findings } = prepared.analysis;
  const c = log.color;
  const libs = stack.libraries.map((l) => `${l.name}${l.version ? `@${l.version}` : ''}`).join(', ') || 'none detected';
  log.info('');
  log.info(`${c.bold('Plan')}      ${planPath}`);
  log.info(`${c.bold('Sessions')}  ${prepared.sessions.files.join(', ') || 'none (assumptions stated in the plan)'}`);
  log.info(`${c.bold('Stack')}     ${libs}`);
  log.info(`${c.bold('Findings')}  ${findings.length} (${countBy(findings.map((f) => f.severity))})`);
  const { transport, library } = prepared.plan;
  log.info(
    `${c.bold('Design')}    ${TRANSPORT_NAMES[transport]}${library ? ` with ${library}` : ''}, ${prepared.plan.events.length} events, ${prepared.plan.diagrams.length} diagrams`,
  );
  for (const a of artifacts) log.info(`${c.bold('Wrote')}     ${a}`);
  log.info('');
}

const TRANSPORT_NAMES: Record<Transport, string> = {
  websocket: 'WebSocket',
  'socket.io': 'Socket.IO',
  sse: 'SSE',
  webrtc: 'WebRTC',
  'long-polling': 'long-polling',
};

function countBy(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
}
