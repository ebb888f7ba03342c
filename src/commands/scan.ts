// `rt-plan scan`: what the analysis found, on stdout. Writes nothing.
import type { Logger } from '../io/log.js';
import { locateRoot, readProject } from '../project.js';
import type { Analysis, SessionContext } from '../types.js';
import { redactDeep } from '../shared/redact.js';
import { scanJson, warningText } from './result.js';
import { describeRequirement } from '../context/facts.js';

export interface ScanOptions {
  cwd: string;
  json: boolean;
  contextGlobs: string[];
  log: Logger;
}

export async function runScan(opts: ScanOptions): Promise<number> {
  const { root, warnings: located } = await locateRoot(opts.cwd);
  for (const w of located) opts.log.warn(warningText(w));
  const { sessions, analysis } = await readProject(root, opts.contextGlobs, opts.log);
  if (opts.json) {
    opts.log.result(JSON.stringify(scanJson(sessions, analysis, located), null, 2));
    return 0;
  }
  for (const w of [...sessions.warnings, ...analysis.warnings]) opts.log.warn(warningText(w));
  // Project text is made safe before it is coloured: the logger cannot tell colours apart later.
  opts.log.result(formatScan(redactDeep(sessions), redactDeep(analysis), opts.log));
  return 0;
}

function formatScan(sessions: SessionContext, analysis: Analysis, log: Logger): string {
  const c = log.color;
  const { stack, events, findings, project } = analysis;
  const lines: string[] = [];
  const head = (title: string) => lines.push('', c.bold(title));
  lines.push(`${c.bold(project.name)}: ${project.packages.length} package.json, ${project.sourceFiles.length} source files`);
  head('Session context');
  if (sessions.files.length === 0) lines.push('  none found (.claude/tasks/context_session_*.md)');
  for (const f of sessions.files) lines.push(`  ${f}`);
  for (const r of sessions.requirements) {
    const what = r.kind === 'feature' ? r.feature : r.kind === 'number' ? `${r.metric} = ${r.value} ${r.unit}` : describeRequirement(r);
    lines.push(`  ${c.cyan(what)}  ${c.dim(r.evidence)}`);
  }
  head('Stack');
  lines.push(`  transports  ${stack.transports.join(', ') || 'none'}`);
  if (stack.providers.length) lines.push(`  providers   ${stack.providers.join(', ')}`);
  for (const l of stack.libraries) {
    lines.push(`  ${l.name}${l.version ? `@${l.version}` : ''} (${l.role})  ${c.dim(l.evidence)}`);
  }
  for (const s of stack.scaling) lines.push(`  scaling: ${s.name}  ${c.dim(s.evidence)}`);
  for (const a of stack.auth) lines.push(`  auth: ${a.kind}  ${c.dim(a.evidence ?? '')}`);
  lines.push(`  heartbeat   ${stack.heartbeat.present ? `yes  ${c.dim(stack.heartbeat.evidence ?? '')}` : 'none found'}`);
  lines.push(`  reconnect   ${stack.reconnect.present ? `yes  ${c.dim(stack.reconnect.evidence ?? '')}` : 'none found'}`);
  for (const e of stack.entrypoints) lines.push(`  ${e.kind}  ${c.dim(`${e.file}:${e.line}`)}`);
  for (const u of analysis.unused ?? []) lines.push(`  unused: ${u.name}  ${c.dim(u.evidence)}`);
  for (const u of analysis.unmodelled ?? []) lines.push(`  not modelled (findings that need it stay silent): ${u.name}  ${c.dim(u.evidence)}`);
  head(`Events (${events.length})`);
  for (const e of events) lines.push(`  ${e.name}  ${e.direction}  ${c.dim(e.evidence ?? '')}`);
  head(`Findings (${findings.length})`);
  for (const f of findings) {
    lines.push(`  ${severityColor(f.severity, c)(f.severity.padEnd(8))} ${f.id}  ${c.dim(f.evidence)}`);
    lines.push(`           ${f.message}`);
  }
  return lines.join('\n');
}

function severityColor(severity: string, c: Logger['color']) {
  return severity === 'critical' || severity === 'high' ? c.red : severity === 'medium' ? c.yellow : c.dim;
}
