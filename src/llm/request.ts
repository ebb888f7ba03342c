// The Messages API request for a design review: pure, from the deterministic plan and what it
// rests on. Nothing clock-dependent goes in (no generation time, no retrieval dates), so the
// same inputs make the same request, byte for byte, and the cache key holds across runs.
import type { Plan } from '../design/types.js';
import type { Analysis, DocsContext, SessionContext } from '../types.js';
import type { Excerpt } from './project-files.js';
import { redactForModel } from './redact.js';
import { REVIEW_JSON_SCHEMA } from './schema.js';

export const DEFAULT_MODEL = 'claude-sonnet-4-5';
export const REVIEW_TOOL = 'submit_design_review';
const MAX_TOKENS = 4096;
const MAX_SESSION_CHARS = 8000;

export const SYSTEM_PROMPT = `You review real-time designs (WebSocket, Socket.IO, SSE, WebRTC, voice agents) that rt-plan, a deterministic planner, wrote for a project.
rt-plan's decisions, numbers and findings come from detectors and arithmetic: take them as given unless the code shown contradicts them.
Your job is what detectors miss: where a change belongs in the existing code, what the code actually does on reconnect, ordering, duplicates, room membership, authorization, what breaks when the plan is applied to this code.

Rules:
- Answer only by calling the ${REVIEW_TOOL} tool, once.
- Every item cites evidence as "path:line" using the line numbers printed in the code excerpts (or in the session files). An item without evidence, or citing a line that does not exist, is discarded.
- Say only what the excerpts show. Do not name libraries or events the project does not have as if it had them; when an item says the project already uses a package or already has an event, list it in "libraries" or "events" so rt-plan can check it.
- kind: "change" (a concrete change to the plan or the code), "diagnosis" (why an observed problem happens), "finding" (a defect in the existing code), "risk" (what could go wrong with the plan as written).
- At most 8 items, most important first. No restating of the plan. Values shown as «redacted: …» were removed on purpose: never ask for them.`;

export interface ReviewRequestInput {
  model: string;
  plan: Plan;
  sessions: SessionContext;
  analysis: Analysis;
  docs: DocsContext;
  excerpts: Excerpt[];
}

/** The request body (Messages API), and the project files whose text it carries. */
export interface ReviewRequest {
  body: Record<string, unknown>;
  files: { path: string; bytes: number }[];
}

const { $schema: _ignored, title: _title, ...TOOL_SCHEMA } = REVIEW_JSON_SCHEMA;

function knowledge(docs: DocsContext): string {
  const notes = docs.refs.filter((r) => r.source === 'knowledge');
  if (notes.length === 0) return '';
  return ['Knowledge notes shipped with rt-plan (versioned, sourced):', ...notes.map((n) => `\n## ${n.id} ${n.title} (${n.reference})\n${n.excerpt}`)].join(
    '\n',
  );
}

function planPart(plan: Plan): string {
  const lines = [
    `Title: ${plan.title}`,
    `Transport: ${plan.transport}${plan.library ? ` with ${plan.library}` : ''}`,
    `Scenarios: ${plan.scenarios.map((s) => s.id).join(', ')}`,
    'Key decisions:',
    ...plan.summary.decisionsMd.map((d) => `- ${d}`),
    'Capacity model:',
    ...plan.performance.capacity.map((r) => `- ${r.quantity}: ${r.formula} = ${r.value} (${r.source})`),
    'Events (name, direction, origin, evidence):',
    ...plan.events.map((e) => `- ${e.name}, ${e.direction}, ${e.origin}${e.evidence ? `, ${e.evidence}` : ''}`),
    'Implementation steps:',
    ...plan.steps.map((s) => `${s.n}. ${s.title} (${s.files.map((f) => `${f.action} ${f.path}`).join(', ')})`),
  ];
  return lines.join('\n');
}

function analysisPart(analysis: Analysis): string {
  const { stack } = analysis;
  const lines = [
    `Libraries: ${stack.libraries.map((l) => `${l.name}@${l.version ?? '?'} (${l.role}, ${l.evidence})`).join('; ') || 'none'}`,
    `Frameworks: ${stack.frameworks.map((f) => `${f.name} (${f.evidence})`).join('; ') || 'none'}`,
    `Entrypoints: ${stack.entrypoints.map((e) => `${e.kind} ${e.file}:${e.line}`).join('; ') || 'none'}`,
    `Heartbeat: ${stack.heartbeat.present ? stack.heartbeat.evidence : 'none found'}; reconnect: ${stack.reconnect.present ? stack.reconnect.evidence : 'none found'}`,
    'Events found in the code:',
    ...analysis.events.map((e) => `- ${e.name}, ${e.direction}${e.evidence ? `, ${e.evidence}` : ''}`),
    'Findings:',
    ...analysis.findings.map((f) => `- ${f.severity} ${f.id}: ${f.message} (${f.evidence})`),
  ];
  return lines.join('\n');
}

export function buildReviewRequest(input: ReviewRequestInput): ReviewRequest {
  const files: ReviewRequest['files'] = [];
  const sessionText = input.sessions.docs.map((d) => {
    const body = redactForModel(d.body.slice(0, MAX_SESSION_CHARS)).text;
    files.push({ path: d.path, bytes: Buffer.byteLength(body) });
    return `## ${d.path}\n${body}`;
  });
  for (const e of input.excerpts) files.push({ path: e.path, bytes: Buffer.byteLength(e.text) });
  const user = [
    `# Task: ${input.plan.task}`,
    `\n# rt-plan's plan\n${planPart(input.plan)}`,
    `\n# Session context\n${sessionText.join('\n\n') || 'none'}`,
    `\n# Analysis\n${analysisPart(input.analysis)}`,
    `\n# Code excerpts (line-numbered)\n${input.excerpts.map((e) => `## ${e.path}\n${e.text}`).join('\n') || 'none'}`,
    `\nReview this plan against the code and call ${REVIEW_TOOL}.`,
  ].join('\n');
  const notes = knowledge(input.docs);
  const cached = { cache_control: { type: 'ephemeral' } };
  const system = notes
    ? [
        { type: 'text', text: SYSTEM_PROMPT },
        { type: 'text', text: notes, ...cached },
      ]
    : [{ type: 'text', text: SYSTEM_PROMPT, ...cached }];
  const body = {
    model: input.model,
    max_tokens: MAX_TOKENS,
    temperature: 0,
    system,
    tools: [{ name: REVIEW_TOOL, description: 'Submit the design review of the plan.', input_schema: TOOL_SCHEMA }],
    tool_choice: { type: 'tool', name: REVIEW_TOOL },
    // A second line of defence: the excerpts are redacted already; this catches anything
    // the plan or analysis text might carry.
    messages: [{ role: 'user', content: [{ type: 'text', text: redactForModel(user).text }] }],
  };
  return { body, files };
}
