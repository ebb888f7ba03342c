// The audit: every rule, run in a fixed order, findings sorted for deterministic output.
import type { Finding, Severity } from '../../types.js';
import { cmp, cmpEvidence } from '../code/merge.js';
import { ADAPTER_WIRING_RULES } from './adapter-wiring.js';
import { CONNECTION_RULES } from './connection.js';
import { EFFECT_CLEANUP_RULES } from './effect-cleanup.js';
import { HANDLER_CHECK_RULES } from './handler-checks.js';
import { HTTP_WRITE_RULES } from './http-writes.js';
import { LAST_MESSAGE_RULES } from './last-message.js';
import { MODEL_RULES } from './model-rules.js';
import { PROTOCOL_RULES } from './protocol.js';
import { ROSTER_RULES } from './roster.js';
import { ROUTE_RULES } from './routes.js';
import { SCALING_RULES } from './scaling.js';
import { SECURITY_RULES } from './security.js';
import { VOICE_RULES } from './voice.js';
import type { AuditContext, AuditRule } from './types.js';

export type { AuditContext, AuditRule } from './types.js';

export const RULES: readonly AuditRule[] = [
  ...SECURITY_RULES,
  ...HANDLER_CHECK_RULES,
  ...CONNECTION_RULES,
  ...SCALING_RULES,
  ...ADAPTER_WIRING_RULES,
  ...PROTOCOL_RULES,
  ...MODEL_RULES,
  ...EFFECT_CLEANUP_RULES,
  ...LAST_MESSAGE_RULES,
  ...ROSTER_RULES,
  ...ROUTE_RULES,
  ...HTTP_WRITE_RULES,
  ...VOICE_RULES,
];

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export function runAudit(ctx: AuditContext, rules: readonly AuditRule[] = RULES): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    for (const hit of rule.detect(ctx)) {
      const key = `${rule.id}\u0000${hit.evidence}\u0000${hit.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({
        id: rule.id,
        severity: hit.severity ?? rule.severity,
        message: hit.message,
        evidence: hit.evidence,
        fix: hit.fix ?? rule.fix,
        why: hit.why ?? rule.why,
        source: hit.source ?? rule.source,
        ...(hit.alsoAt && hit.alsoAt.length > 0 ? { alsoAt: hit.alsoAt } : {}),
        ...(hit.readAt && hit.readAt.length > 0 ? { readAt: hit.readAt } : {}),
        ...(hit.event ? { event: hit.event } : {}),
        ...(hit.route ? { route: hit.route } : {}),
        ...(hit.toolNameAt ? { toolNameAt: hit.toolNameAt } : {}),
      });
    }
  }
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || cmp(a.id, b.id) || cmpEvidence(a.evidence, b.evidence));
}
