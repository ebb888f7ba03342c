// The plan → contract step: pure. Events keep their direction, sides and payload type; the
// settings come from the design stage (settings.ts); the findings are those the plan asks to
// fix; every item gets an EARS acceptance criterion, and so does each session requirement.
import type { Plan } from '../design/types.js';
import { fmt } from '../design/md.js';
import { formatBytes } from '../design/capacity.js';
import type { Direction, Requirement } from '../types.js';
import {
  CONTRACT_SCHEMA,
  type CheckedBy,
  type Contract,
  type ContractEvent,
  type ContractFinding,
  type ContractSetting,
  type Criterion,
  type DecidedSettings,
  type Side,
} from './types.js';

/** Events the analyzer cannot see: binary y-protocols frames, provider-run channels, media. */
const UNSEEN_LIBRARIES = new Set(['y-websocket', '@supabase/supabase-js', 'centrifuge']);

const SIDES: Record<Direction, { sender: Side[]; handler: Side[] }> = {
  'client-to-server': { sender: ['client'], handler: ['server'] },
  'server-to-client': { sender: ['server'], handler: ['client'] },
  both: { sender: ['client', 'server'], handler: ['client', 'server'] },
};

export function buildContract(plan: Plan, settings: DecidedSettings, requirements: readonly Requirement[]): Contract {
  const eventCheck: CheckedBy = plan.transport === 'webrtc' || UNSEEN_LIBRARIES.has(plan.library ?? '') ? 'manual' : 'analyzer';
  const events: ContractEvent[] = plan.events.map((e) => ({
    name: e.name,
    direction: e.direction,
    origin: e.origin,
    ...SIDES[e.direction],
    payloadType: e.payloadType,
    channel: e.channel,
    ...(e.namespace ? { namespace: e.namespace } : {}),
    // Over SSE the client talks back with ordinary HTTP requests, which the analyzer does not map to events.
    check: plan.transport === 'sse' && e.direction !== 'server-to-client' ? 'manual' : eventCheck,
  }));
  // `client-only` says where the server is not; it is not something to fix.
  const findings: ContractFinding[] = plan.currentState.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => ({ id: f.id, severity: f.severity, evidence: f.evidence, message: f.message }));

  const drafts: Omit<Criterion, 'id'>[] = [
    ...requirements.map(requirementCriterion),
    ...events.map((e) => ({ requirement: 'event protocol', ears: eventEars(e), check: e.check, item: `event:${e.name}` })),
    ...settings.map((s) => ({ requirement: AREA[s.id], ears: settingEars(s), check: s.check, item: `setting:${s.id}` })),
    ...findings.map((f) => ({
      requirement: 'findings to fix',
      ears: `WHEN the project is analyzed THEN the code SHALL no longer show ${f.id} at ${f.evidence}`,
      check: 'analyzer' as const,
      item: `finding:${f.id}@${f.evidence}`,
    })),
  ];
  return {
    schema: CONTRACT_SCHEMA,
    task: plan.task,
    generatedAt: plan.generatedAt,
    transport: plan.transport,
    library: plan.library,
    events,
    settings: [...settings],
    findings,
    criteria: drafts.map((c, i) => ({ id: `AC-${i + 1}`, ...c })),
  };
}

const AREA: Record<ContractSetting['id'], string> = {
  'heartbeat-interval': 'connection management',
  'heartbeat-timeout': 'connection management',
  reconnect: 'connection management',
  'payload-cap': 'security',
  'handshake-auth': 'security',
  'origin-allow-list': 'security',
  adapter: 'scaling',
  provider: 'voice provider',
};

function eventEars(e: ContractEvent): string {
  const payload = `(${e.payloadType})`;
  if (e.direction === 'client-to-server') return `WHEN the client sends ${e.name} ${payload} THEN the server SHALL handle it`;
  if (e.direction === 'server-to-client') return `WHEN the server emits ${e.name} ${payload} THEN the client SHALL handle it`;
  return `WHEN either side sends ${e.name} ${payload} THEN the server SHALL handle it from the client, and the client from the server`;
}

function settingEars(s: ContractSetting): string {
  if (s.ears) return s.ears;
  const v = typeof s.value === 'number' ? fmt(s.value) : String(s.value);
  switch (s.id) {
    case 'heartbeat-interval':
      return `WHEN a connection is open THEN the server SHALL send a heartbeat every ${v} ms`;
    case 'heartbeat-timeout':
      return `WHEN a peer stops answering heartbeats THEN the server SHALL close its connection within ${v} ms`;
    case 'reconnect':
      return `WHEN the connection drops THEN the client SHALL reconnect with the planned policy: ${s.planned}`;
    case 'payload-cap':
      return typeof s.value === 'number'
        ? `WHEN a message larger than ${formatBytes(s.value)} arrives THEN the server SHALL reject it`
        : `WHEN an oversized message arrives THEN the server SHALL reject it (${s.planned})`;
    case 'handshake-auth':
      return `WHEN a client connects THEN the server SHALL authenticate it at the handshake (${v}) before accepting it`;
    case 'origin-allow-list':
      return 'WHEN a handshake comes from an Origin outside the allow-list THEN the server SHALL refuse it';
    case 'adapter':
      return `WHEN one instance broadcasts THEN the server SHALL relay it to the other instances through ${v}`;
    case 'provider':
      return `WHEN a voice session starts THEN the client SHALL connect to ${v} with a token minted by the server`;
  }
}

const METRIC_EARS: Record<string, (v: string) => string> = {
  'concurrent-users': (v) => `WHEN ${v} users are connected THEN the server SHALL keep serving all of them`,
  'message-rate': (v) => `WHEN clients publish ${v} messages per second THEN the server SHALL deliver them within the latency target`,
  latency: (v) => `WHEN a message is sent THEN the server SHALL deliver it within ${v} ms`,
  'first-token': (v) => `WHEN a prompt is sent THEN the server SHALL stream the first token within ${v} ms`,
  'room-size': (v) => `WHEN a room holds ${v} users THEN the server SHALL deliver each message to all of them`,
  'payload-size': (v) => `WHEN a ${v}-byte message is sent THEN the server SHALL accept and deliver it`,
  instances: (v) => `WHEN ${v} instances run THEN the server SHALL deliver messages across all of them`,
  rooms: (v) => `WHEN ${v} rooms are active at once THEN the server SHALL serve every one of them`,
};

/** A session requirement becomes a manual criterion: a load test or a review decides it, not the analyzer. */
function requirementCriterion(r: Requirement): Omit<Criterion, 'id'> {
  if (r.kind === 'number') {
    const ears = METRIC_EARS[r.metric]?.(fmt(r.value)) ?? `WHEN the system runs THEN the server SHALL meet ${r.metric} = ${fmt(r.value)} ${r.unit}`;
    return { requirement: `${r.metric}: ${fmt(r.value)} ${r.unit} (${r.evidence})`, ears, check: 'manual' };
  }
  switch (r.kind) {
    case 'feature':
      return {
        requirement: `feature: ${r.feature} (${r.evidence})`,
        ears: `WHEN a user uses ${r.feature.replace(/-/g, ' ')} THEN the client SHALL show it live, as the session asks: "${clip(r.sentence)}"`,
        check: 'manual',
      };
    case 'infra': {
      const idle = r.valueMs === undefined ? '' : ` with less than ${fmt(r.valueMs / 1000)} s between frames`;
      return {
        requirement: `infrastructure: ${r.component} (${r.evidence})`,
        ears: `WHEN a connection passes through ${r.component} THEN the server SHALL keep it open${idle}: "${clip(r.sentence)}"`,
        check: 'manual',
      };
    }
    case 'constraint':
      return {
        requirement: `${r.polarity} (${r.evidence})`,
        ears: `WHEN the change ships THEN the system ${r.polarity === 'must' ? 'SHALL' : 'SHALL NOT'} do what the session states: "${clip(r.sentence)}"`,
        check: 'manual',
      };
    case 'problem':
      return {
        requirement: `reported problem (${r.evidence})`,
        ears: `WHEN the conditions of the reported problem recur THEN the system SHALL no longer show it: "${clip(r.sentence)}"`,
        check: 'manual',
      };
  }
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= 120 ? one : `${one.slice(0, 119)}…`;
}
