// What a tool call returns: structuredContent with the facts an agent acts on (the plan path,
// the stack, the findings), and a few lines of text. The full JSON stays in `rt-plan --json`.
import { countsLine } from '../contract/format.js';
import type { VerifyReport } from '../commands/verify.js';
import type { DesignReview } from '../llm/verify-review.js';
import type { Finding, Stack } from '../types.js';

export interface PlanJson {
  plan: string | null;
  task: string;
  stack: Stack;
  events: unknown[];
  findings: Finding[];
  warnings: string[];
  decision: { transport: string; library: string | null };
  markdown?: string;
  review?: DesignReview | null;
  /** A failure reported with the result (--llm=required without a review, an artifact that failed). */
  error?: { code: number; message: string; hint?: string };
}

export interface ScanJson {
  stack: Stack;
  events: { name: string }[];
  findings: Finding[];
  warnings: string[];
}

const libraries = (stack: Stack) => stack.libraries.map((l) => ({ ...l }));

function findingLine(findings: { severity: string }[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return `${findings.length} findings${counts.size ? ` (${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')})` : ''}`;
}

function stackLine(libs: { name: string; version?: string | null }[]): string {
  return libs.map((l) => `${l.name}${l.version ? `@${l.version}` : ''}`).join(', ') || 'no real-time library detected';
}

function planStructured(json: PlanJson, project: string) {
  return {
    plan: json.plan,
    task: json.task,
    project,
    transport: json.decision.transport,
    library: json.decision.library,
    libraries: libraries(json.stack),
    events: json.events.length,
    findings: json.findings,
    warnings: json.warnings,
    ...(json.markdown !== undefined && json.plan === null ? { markdown: json.markdown } : {}),
    ...(json.review !== undefined ? { review: json.review } : {}),
  };
}

function planText(s: ReturnType<typeof planStructured>): string {
  return [
    `Stack: ${stackLine(s.libraries)}. Design: ${s.transport}${s.library ? ` with ${s.library}` : ''}, ${s.events} events; ${findingLine(s.findings)}.`,
    ...(s.warnings.length ? [`Warnings: ${s.warnings.join('; ')}`] : []),
    ...(s.review ? [reviewLine(s.review)] : []),
  ].join('\n');
}

function reviewLine(r: DesignReview): string {
  const kept = `${r.items.length} item${r.items.length === 1 ? '' : 's'} kept`;
  return `Design review by ${r.source}: ${kept}, ${r.dropped.length} dropped for evidence that did not check out.`;
}

function scanStructured(json: ScanJson, project: string) {
  return { project, libraries: libraries(json.stack), events: json.events, findings: json.findings, warnings: json.warnings };
}

function scanText(s: ReturnType<typeof scanStructured>): string {
  return [
    `Project ${s.project}: ${stackLine(s.libraries)}; ${s.events.length} events; ${findingLine(s.findings)}.`,
    ...(s.warnings.length ? [`Warnings: ${s.warnings.join('; ')}`] : []),
    'structuredContent holds the events and findings with file:line evidence.',
  ].join('\n');
}

function verifyText(r: VerifyReport): string {
  return [
    `Verify ${r.plan} (${r.library ?? r.transport}): ${countsLine(r)}.`,
    `${r.ok ? 'Everything required that the analyzer can see is in the code (ok: true).' : 'Not done yet (ok: false).'} structuredContent lists every item with its file:line evidence.`,
  ].join('\n');
}

export const planSummary = { structured: planStructured, text: planText };
export const scanSummary = { structured: scanStructured, text: scanText };
export const verifySummary = { text: verifyText };
