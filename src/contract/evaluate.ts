// Contract + a fresh Analysis → the verify report. Pure. Only the public Analysis is read
// (stack, events with evidence, findings with id and evidence), and a status is claimed only
// with the evidence behind it: what the analyzer cannot see is reported as manual, never done.
import type { Analysis, Finding, RtEvent } from '../types.js';
import { fmt } from '../design/md.js';
import { repeatFindingsNow } from '../design/once-per.js';
import type { Contract, ContractEvent, ContractSetting } from './types.js';

export type ItemStatus = 'done' | 'partial' | 'missing' | 'manual';
export type FindingStatus = 'fixed' | 'still-present';

export interface VerifyItem {
  kind: 'event' | 'setting';
  id: string;
  planned: string;
  status: ItemStatus;
  /** file:line behind the status; null for missing and manual items. */
  evidence: string | null;
  detail: string | null;
  /** A missing required item fails verify. */
  required: boolean;
}

export interface VerifyFinding {
  id: string;
  /** Where the plan saw it. */
  planned: string;
  status: FindingStatus;
  /** Where it is now, when still present. */
  evidence: string | null;
}

export interface VerifyCounts {
  done: number;
  partial: number;
  missing: number;
  manual: number;
  fixed: number;
  stillPresent: number;
}

export interface Evaluation {
  ok: boolean;
  items: VerifyItem[];
  findings: VerifyFinding[];
  criteria: { id: string; ears: string; check: string; status: ItemStatus | FindingStatus }[];
  counts: VerifyCounts;
}

const ARROW = { 'client-to-server': 'client → server', 'server-to-client': 'server → client', both: 'both ways' } as const;

export function evaluateContract(contract: Contract, analysis: Analysis): Evaluation {
  const items: VerifyItem[] = [...contract.events.map((e) => eventItem(e, analysis)), ...contract.settings.map((s) => settingItem(s, contract, analysis))];
  // One current finding answers for at most one listed finding: the same place first, then the
  // same message in the same file (lines moved), then the same rule in the same file.
  // A plan's `repeat-counted-again` (design/once-per.ts) is still present while the analyzer's fact behind it is.
  const unused: Pick<Finding, 'id' | 'evidence' | 'message'>[] = [...analysis.findings, ...repeatFindingsNow(analysis)];
  const findings = contract.findings.map((f): VerifyFinding => {
    const file = fileOf(f.evidence);
    const same = unused.filter((g) => g.id === f.id && fileOf(g.evidence) === file);
    const now = same.find((g) => g.evidence === f.evidence) ?? same.find((g) => g.message === f.message) ?? same[0];
    if (now) unused.splice(unused.indexOf(now), 1);
    return { id: f.id, planned: f.evidence, status: now ? 'still-present' : 'fixed', evidence: now?.evidence ?? null };
  });
  const byItem = new Map<string, ItemStatus | FindingStatus>([
    ...items.map((i) => [`${i.kind}:${i.id}`, i.status] as const),
    ...findings.map((f) => [`finding:${f.id}@${f.planned}`, f.status] as const),
  ]);
  const criteria = contract.criteria.map((c) => ({ id: c.id, ears: c.ears, check: c.check, status: (c.item ? byItem.get(c.item) : undefined) ?? 'manual' }));
  const count = (s: ItemStatus) => items.filter((i) => i.status === s).length;
  const counts: VerifyCounts = {
    done: count('done'),
    partial: count('partial'),
    missing: count('missing'),
    manual: count('manual'),
    fixed: findings.filter((f) => f.status === 'fixed').length,
    stillPresent: findings.filter((f) => f.status === 'still-present').length,
  };
  const ok = !items.some((i) => i.required && i.status === 'missing') && counts.stillPresent === 0;
  return { ok, items, findings, criteria, counts };
}

function fileOf(evidence: string): string {
  const i = evidence.lastIndexOf(':');
  return i < 0 ? evidence : evidence.slice(0, i);
}

function eventItem(e: ContractEvent, analysis: Analysis): VerifyItem {
  const base = { kind: 'event' as const, id: e.name, planned: `${ARROW[e.direction]}, ${e.payloadType}` };
  if (e.check === 'manual') return { ...base, status: 'manual', evidence: null, detail: 'not visible to the analyzer', required: false };
  const found = pick(
    analysis.events.filter((f) => f.name === e.name),
    e,
  );
  if (!found) return { ...base, status: 'missing', evidence: null, detail: null, required: true };
  const evidence = found.evidence;
  if (e.direction !== 'both' && found.direction !== 'both' && found.direction !== e.direction) {
    return { ...base, status: 'partial', evidence, detail: `found ${ARROW[found.direction]} only`, required: true };
  }
  if (e.direction === 'both' && found.direction !== 'both') {
    return { ...base, status: 'partial', evidence, detail: `found ${ARROW[found.direction]} only`, required: true };
  }
  // The audit names an event one side sends and no other side handles: only one side is built.
  const oneSided = analysis.findings.find((f) => f.id === 'event-name-mismatch' && f.message.includes(`'${e.name}'`));
  if (oneSided) return { ...base, status: 'partial', evidence: oneSided.evidence, detail: oneSided.message.replace(/ \([^)]*\)/, ''), required: true };
  return { ...base, status: 'done', evidence, detail: null, required: true };
}

/** Same namespace first, when the plan names one. */
function pick(found: RtEvent[], e: ContractEvent): RtEvent | undefined {
  return found.find((f) => (f.namespace ?? '') === (e.namespace ?? '')) ?? found[0];
}

function settingItem(s: ContractSetting, contract: Contract, analysis: Analysis): VerifyItem {
  const base = { kind: 'setting' as const, id: s.id, planned: s.planned };
  if (s.check === 'manual') return { ...base, status: 'manual', evidence: null, detail: null, required: false };
  const r = checkSetting(s, contract, analysis);
  return { ...base, ...r, required: true };
}

type Outcome = { status: ItemStatus; evidence: string | null; detail: string | null };
const missing = (detail: string | null = null, evidence: string | null = null): Outcome => ({ status: 'missing', evidence, detail });

function checkSetting(s: ContractSetting, contract: Contract, a: Analysis): Outcome {
  const { stack } = a;
  const finding = (id: string): Finding | undefined => a.findings.find((f) => f.id === id);
  switch (s.id) {
    case 'heartbeat-interval': {
      const hb = stack.heartbeat;
      if (!hb.present || !hb.evidence) return missing();
      // Socket.IO pings by itself: no pingInterval in the code means its 25 s default.
      const found = hb.intervalMs ?? (contract.transport === 'socket.io' ? 25_000 : undefined);
      if (found === undefined) return { status: 'partial', evidence: hb.evidence, detail: 'heartbeat found, its interval not stated in the code' };
      if (found !== s.value) return { status: 'partial', evidence: hb.evidence, detail: `planned ${seconds(Number(s.value))}, found ${seconds(found)}` };
      return { status: 'done', evidence: hb.evidence, detail: hb.intervalMs === undefined ? 'Socket.IO default' : null };
    }
    case 'reconnect': {
      const rc = stack.reconnect;
      if (!clientSide(a)) return { status: 'manual', evidence: null, detail: 'no client code in this project' };
      if (!rc.present || !rc.evidence) return missing();
      const lacks = [s.expect?.backoff && !rc.backoff ? 'backoff' : null, s.expect?.jitter && !rc.jitter ? 'jitter' : null].filter(
        (x): x is string => x !== null,
      );
      if (lacks.length > 0) return { status: 'partial', evidence: rc.evidence, detail: `reconnects without ${lacks.join(' or ')}` };
      return { status: 'done', evidence: rc.evidence, detail: null };
    }
    case 'payload-cap': {
      const f = finding('no-payload-limit');
      if (f) return missing('no maxPayload', f.evidence);
      const server = stack.entrypoints.find((e) => e.kind === 'ws-server');
      return server
        ? { status: 'done', evidence: `${server.file}:${server.line}`, detail: 'maxPayload set; its value is not read' }
        : missing('no WebSocket server');
    }
    case 'handshake-auth': {
      const f = finding('no-handshake-auth');
      if (f) return missing('connections accepted without authentication', f.evidence);
      const query = stack.auth.find((x) => x.kind === 'jwt-query');
      if (query) return { status: 'partial', evidence: query.evidence, detail: 'the token travels in the URL query string' };
      const leaked = stack.auth.find((x) => x.kind === 'api-key-in-client');
      if (leaked) return { status: 'partial', evidence: leaked.evidence, detail: 'a provider API key is reachable from client code' };
      const planned = stack.auth.find((x) => x.kind === s.value && x.evidence);
      if (planned) return { status: 'done', evidence: planned.evidence, detail: null };
      // Another sound scheme still authenticates the handshake; a provider session needs the ephemeral token itself.
      const other = stack.auth.find((x) => x.kind !== 'none' && x.evidence);
      if (!other) return missing();
      return {
        status: s.value === 'ephemeral-token' ? 'partial' : 'done',
        evidence: other.evidence,
        detail: `planned ${String(s.value)}, found ${other.kind}`,
      };
    }
    case 'origin-allow-list': {
      const f = finding('no-origin-check');
      if (f) return missing(f.message, f.evidence);
      const server = stack.entrypoints.find((e) => e.kind === 'socket-server' || e.kind === 'ws-server');
      return server
        ? { status: 'done', evidence: `${server.file}:${server.line}`, detail: 'the audit finds an Origin check for this server' }
        : missing('no handshake server');
    }
    case 'adapter': {
      const exact = stack.scaling.find((x) => x.name === s.value);
      // A generic "Redis pub/sub" plan is met by any cross-node bus the analyzer recognises.
      const any = s.value === 'Redis pub/sub' ? stack.scaling[0] : undefined;
      const hit = exact ?? any;
      return hit ? { status: 'done', evidence: hit.evidence, detail: null } : missing();
    }
    case 'provider': {
      const planned = String(s.value).split(', ');
      const found = planned.filter((p) => stack.providers.includes(p));
      const entry = stack.entrypoints.find((e) => e.kind === 'provider-client' || e.kind === 'token-route');
      const at = stack.libraries.find((l) => l.kind === 'provider')?.evidence ?? (entry ? `${entry.file}:${entry.line}` : null);
      if (found.length === 0) return missing();
      // Without a place to point at, "done" would be a claim without evidence.
      if (at === null) return { status: 'manual', evidence: null, detail: `${found.join(', ')} detected without a file:line` };
      if (found.length < planned.length) return { status: 'partial', evidence: at, detail: `found ${found.join(', ')} only` };
      return { status: 'done', evidence: at, detail: null };
    }
    default:
      return { status: 'manual', evidence: null, detail: null };
  }
}

function clientSide(a: Analysis): boolean {
  return a.stack.entrypoints.some((e) => ['socket-client', 'ws-client', 'sse-client', 'provider-client'].includes(e.kind));
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${fmt(ms / 1000)} s` : `${fmt(ms)} ms`;
}
