// The design-stage wiring of the review fixes: the summary, protocol, state sync, security,
// library table and steps call the shared helpers, so no section contradicts another (no seq
// on a Yjs document, no own server on a managed provider, one reconnect policy per plan).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { readSessions } from '../../src/context/read-sessions.js';
import { buildPlan } from '../../src/design/index.js';
import type { Plan, PlanInput } from '../../src/design/types.js';
import { MANAGED_PROVIDERS } from '../../src/design/scenarios/kit.js';
import { MANAGED } from '../../src/design/transport.js';
import { NOW, chatInput, collabInput, notificationsInput, stateSyncInput } from './inputs.js';

const ROOT = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));

async function fixturePlan(fixture: string, task: string): Promise<Plan> {
  const root = path.join(ROOT, fixture);
  const sessions = await readSessions(root, { globs: [] });
  const analysis = await analyzeProject(root);
  return buildPlan({ task, now: NOW, toolVersion: '0.1.0', sessions, analysis, docs: { refs: [], notices: [] }, options: {} });
}

const decision = (plan: Plan, prefix: string) => plan.summary.decisionsMd.find((d) => d.startsWith(prefix)) ?? '';
const control = (plan: Plan, label: string) => plan.security.controls.find((c) => c.label === label)?.valueMd ?? '';

describe('Yjs-only plan (seqless)', () => {
  const plan = buildPlan(collabInput());
  const all = JSON.stringify(plan);

  it('claims no seq, acks or idempotency keys for the document channel', () => {
    expect(decision(plan, 'Protocol:')).toBe(
      'Protocol: 4 events (0 existing kept), binary y-protocols sync and awareness messages on the document endpoint: no JSON envelope, no acks or idempotency keys (Yjs updates are idempotent), errors on that channel as close codes, not `sys:error`.',
    );
    expect(decision(plan, 'Consistency:')).toBe(
      'Consistency: document text and structure: CRDT (Yjs); cursors and selections: ephemeral awareness state; state vectors, not seq numbers, bring a reconnecting client up to date.',
    );
    expect(all).not.toContain('every ordered stream carries a server-assigned seq');
    expect(all).not.toContain('seq still increases per change');
    expect(plan.communication.rows.map((r) => r.label)).not.toContain('Ordering');
    expect(plan.stateSync.snapshotMd.some((s) => s.startsWith('Every ordered stream carries a seq'))).toBe(false);
    expect(plan.protocol.acksMd[0]).toBe(
      'Acknowledged: none. The document channel has no acks and no idempotency keys: applying a Yjs update twice changes nothing, and an update lost in a drop is resent in the state-vector exchange on reconnect.',
    );
  });

  it('uses the scenario own catch-up, optimistic and offline sentences', () => {
    expect(plan.stateSync.snapshotMd).toEqual([expect.stringMatching(/^Collaborative editing \(CRDT\): no log and no seq\. /)]);
    expect(plan.stateSync.optimisticMd).toEqual([
      expect.stringMatching(/^Collaborative editing \(CRDT\): every edit applies to the local Y\.Doc at once and is never rolled back/),
    ]);
    expect(plan.stateSync.offlineMd).toEqual([expect.stringMatching(/^Collaborative editing \(CRDT\): nothing is queued: /)]);
  });

  it('treats the dotted names as y-protocols messages, outside the JSON envelopes', () => {
    expect(plan.protocol.conventionsMd.some((c) => c.includes('provider connection'))).toBe(false);
    expect(plan.protocol.conventionsMd).toContain(
      '`sync.step1`, `sync.step2`, `sync.update` and `awareness.update` are y-protocols messages (sync and awareness), named here after their message types: they travel as binary frames on our own document endpoint, encoded by `y-protocols` (lib0), never in a JSON envelope and never renamed; `yjs` and `y-protocols` versions move together on client and server.',
    );
    expect(plan.protocol.typescript).not.toMatch(/type: "(sync|awareness)\./);
    // No JSON channel at all: no envelope types and no sys:error next to the document endpoint.
    expect(plan.protocol.typescript).not.toContain('ClientMessage');
    expect(plan.events.filter((e) => e.channel === 'doc/{docId}').map((e) => e.name)).toEqual(['sync.step1', 'sync.step2', 'sync.update', 'awareness.update']);
  });

  it('validates binary messages by type and size and authorizes per document', () => {
    expect(control(plan, 'Schema validation')).toBe(
      'The document channel carries binary y-protocols messages (`sync.step1`, `sync.step2`, `sync.update` and `awareness.update`), not JSON: check the message type byte (0 sync, 1 awareness) and the size before decoding, drop any other type, and authorize per document at the handshake',
    );
  });

  it('names the y-websocket reconnection, and builds no connection manager or pub/sub adapter', () => {
    expect(decision(plan, 'Connections:')).toContain('y-websocket reconnection 100 ms × 2^n, capped at 2,500 ms, no jitter, payload cap 1 MiB.');
    const titles = plan.steps.map((s) => s.title);
    expect(titles).not.toContain('Client connection manager');
    expect(titles).not.toContain('Cross-node adapter');
    expect(plan.steps.flatMap((s) => s.files.map((f) => f.path))).toContain('load/yjs-editors.mjs');
  });
});

describe('summary and performance wiring', () => {
  it('takes the reconnect clause from the policy in use', () => {
    expect(decision(buildPlan(chatInput()), 'Connections:')).toContain('Socket.IO reconnection 500 ms × 2^n ±50%, capped at 30 s');
    expect(decision(buildPlan(notificationsInput()), 'Connections:')).toContain('EventSource retry 500–1,500 ms, no backoff');
    expect(decision(buildPlan(stateSyncInput()), 'Connections:')).toContain('reconnect with full jitter (base 500 ms, cap 30 s)');
  });

  it('keeps an existing payload cap instead of proposing 16 KiB', () => {
    // ws server, audited, no no-payload-limit finding.
    const plan = buildPlan(stateSyncInput());
    expect(decision(plan, 'Connections:')).toMatch(/the existing `maxPayload` cap kept\.$/);
    expect(plan.steps.find((s) => s.title === 'Harden the existing server setup')?.files[0]?.why).toBe(
      '`ws` setup: the existing `maxPayload` kept, heartbeat, handler registry',
    );
  });

  it('uses the shared backpressure and compression notes', () => {
    const plan = buildPlan(chatInput());
    expect(plan.performance.backpressureMd[0]).toMatch(
      /^Watch `socket\.conn\.writeBuffer\.length` on the sockets the server emits to \(today `chatMessage` at `server\.js:27`\), the Engine\.IO packets queued/,
    );
    expect(plan.performance.compressionMd[0]).toMatch(
      /^Keep `perMessageDeflate` \(off by default in Socket\.IO v4\) off: at the default 15-bit windows and memLevel 8/,
    );
  });

  it('states only the defaulted inputs with their own reasons', () => {
    const plan = buildPlan(notificationsInput());
    const line = plan.context.assumptionsMd.find((a) => a.startsWith('Messages per second')) ?? '';
    expect(line).not.toContain('Concurrent connections');
    expect(line).toMatch(
      /^Messages per second \(published\) 80, average payload \(bytes\) 400 and fan-out \(recipients per message\) 1: notifications fan-out defaults: /,
    );
  });

  it('does not say the context states no latency when it states a time to first token', () => {
    const input: PlanInput = stateSyncInput();
    input.sessions.requirements = [
      ...input.sessions.requirements.filter((r) => r.kind !== 'number' || r.metric !== 'latency'),
      {
        kind: 'number',
        metric: 'first-token',
        value: 800,
        unit: 'ms',
        sentence: 'The first token must appear within 800 ms.',
        evidence: '.claude/tasks/context_session_1.md:1',
      },
    ];
    input.sessions.docs = [
      { path: '.claude/tasks/context_session_1.md', data: {}, body: 'The first token must appear within 800 ms.\n' } as PlanInput['sessions']['docs'][number],
    ];
    const plan = buildPlan(input);
    const latency = plan.context.assumptionsMd.find((a) => a.includes('defaults (p95 < 100 ms')) ?? '';
    expect(latency).toBe(
      "Delivery latency targets are rt-plan's defaults (p95 < 100 ms, average < 50 ms): the context states only a time-to-first-token target (800 ms, `.claude/tasks/context_session_1.md:1`), which is kept as its own SLO.",
    );
  });
});

describe('SSE and Socket.IO steps and rooms', () => {
  it('the SSE server step sends the named sys:ping of §7, not comments', () => {
    const why =
      buildPlan(notificationsInput())
        .steps.flatMap((s) => s.files)
        .find((f) => f.path.endsWith('/server.js'))?.why ?? '';
    expect(why).toContain('`event: sys:ping` every 15 s (a named event: EventSource listeners never see comment lines)');
    expect(why).not.toContain('keep-alive comments');
  });

  it('the client connection manager names the Socket.IO policy, not full jitter', () => {
    const step = buildPlan(chatInput()).steps.find((s) => s.title === 'Client connection manager');
    expect(step?.files[0]?.why).toBe('connect, Socket.IO reconnection 500 ms × 2^n ±50%, capped at 30 s, resume, typed emit/on');
  });

  it('rooms come from roomNamingMd: `/` is a namespace, not a room', () => {
    const acks = buildPlan(chatInput()).protocol.acksMd;
    expect(acks.some((a) => a.startsWith('Rooms: one room per channel'))).toBe(false);
    expect(acks.find((a) => a.startsWith('Rooms:'))).toContain('`/` is a namespace, not a room');
  });
});

describe('managed and provider plans (real fixtures)', () => {
  it('Supabase: no server, bootstrap, adapter or connection manager of ours', async () => {
    const plan = await fixturePlan('scan-supabase', 'live-updates');
    const titles = plan.steps.map((s) => s.title);
    for (const t of [
      'Real-time server bootstrap',
      'Harden the existing server setup',
      'Handshake auth, Origin check, rate limits',
      'Cross-node adapter',
      'Client connection manager',
    ])
      expect(titles).not.toContain(t);
    expect(titles.filter((t) => t.endsWith(' on Supabase Realtime')).length).toBeGreaterThan(0);
    expect(plan.steps.flatMap((s) => s.files.map((f) => f.path)).some((p) => /\/(server|adapter|connection)\.ts$/.test(p))).toBe(false);
  });

  it('LiveKit voice: the room channel is a provider channel and livekit-client is listed once', async () => {
    const plan = await fixturePlan('scan-livekit', 'voice-assistant');
    expect(plan.security.authz.find((a) => a.target === 'livekit-room')?.ruleMd).toMatch(
      /^provider connection \(LiveKit room\), authorized by the join token our authenticated route mints for this user and one room/,
    );
    expect(plan.transportDecision.libraries.filter((l) => l.name === 'livekit-client')).toHaveLength(1);
    expect(control(plan, 'Schema validation')).not.toContain('all 0 inbound');
  });

  it('transport.ts and kit.ts list the managed providers in the same order', () => {
    expect(MANAGED.map((m) => m.id)).toEqual(MANAGED_PROVIDERS.map((p) => p.id));
    expect(MANAGED.map((m) => m.label)).toEqual(MANAGED_PROVIDERS.map((p) => p.label));
  });
});
