// The `--json` contract of PRODUCT.md. Field names and vocabularies are fixed; extra fields
// are allowed. Evidence paths are relative to the project root.
import type { PreparedPlan } from '../pipeline.js';
import type { Analysis, DiagramKind, SessionContext, Warning } from '../types.js';

export interface DiagramStatus {
  kind: DiagramKind;
  title: string;
  valid: boolean;
}

/** The last line on stdout: the sentence a parent agent acts on. */
export const AGENT_LINE = (planPath: string) =>
  `I've created a detailed real-time communication plan at ${planPath}, please read that first before you proceed with implementation.`;

export function warningText(w: Warning): string {
  return w.file ? `${w.file}: ${w.message}` : w.message;
}

export function planJson(prepared: PreparedPlan, planPath: string | null, diagrams: DiagramStatus[]) {
  const { plan, analysis, sessions, docs } = prepared;
  return {
    plan: planPath,
    task: plan.task,
    sessions: sessions.files,
    stack: analysis.stack,
    events: plan.events.map((e) => ({
      name: e.name,
      direction: e.direction,
      origin: e.origin,
      evidence: e.evidence,
      ...(e.transport ? { transport: e.transport } : {}),
      ...(e.namespace ? { namespace: e.namespace } : {}),
      ...(e.room ? { room: e.room } : {}),
      channel: e.channel,
      payloadType: e.payloadType,
    })),
    findings: analysis.findings,
    diagrams,
    warnings: prepared.warnings.map(warningText),
    requirements: sessions.requirements,
    decision: { transport: plan.transport, library: plan.library },
    docs: docs.refs.map((r) => ({ id: r.id, source: r.source, library: r.library, version: r.version, reference: r.reference })),
    notices: docs.notices,
  };
}

export function scanJson(sessions: SessionContext, analysis: Analysis) {
  return {
    project: {
      name: analysis.project.name,
      packageManager: analysis.project.packageManager,
      packages: analysis.project.packages.map((p) => ({ dir: p.dir, name: p.name, manifest: p.manifest })),
      sourceFiles: analysis.project.sourceFiles.length,
    },
    sessions: sessions.files,
    requirements: sessions.requirements,
    stack: analysis.stack,
    events: analysis.events,
    findings: analysis.findings,
    unused: analysis.unused ?? [],
    unmodelled: analysis.unmodelled ?? [],
    warnings: [...sessions.warnings, ...analysis.warnings].map(warningText),
  };
}
