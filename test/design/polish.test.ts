// The last inconsistencies: a managed provider's own connection mechanisms (Supabase), the
// fetch-read AI stream's explicit resume, Yjs-only plans' close codes and risks, LiveKit's
// unit tests and lifecycle label, the capacity-defaults sentence, and the connection split.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { readSessions } from '../../src/context/read-sessions.js';
import { buildPlan } from '../../src/design/index.js';
import type { Plan } from '../../src/design/types.js';
import { MODULES, defaultsReason } from '../../src/design/scenarios/index.js';
import { SSE_KEEPALIVE_MS, reconnectPolicy } from '../../src/design/connection.js';
import { reconnectPolicy as movedPolicy } from '../../src/design/connection-providers.js';
import { NOW } from './inputs.js';

const ROOT = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));

async function planFor(fixture: string, task: string): Promise<Plan> {
  const root = path.join(ROOT, fixture);
  const sessions = await readSessions(root, { globs: [] });
  const analysis = await analyzeProject(root);
  return buildPlan({ task, now: NOW, toolVersion: '0.1.0', sessions, analysis, docs: { refs: [], notices: [] }, options: {} });
}

const label = (plan: Plan, key: string) => plan.summary.decisionsMd.find((d) => d.startsWith(key)) ?? '';

describe('Supabase Realtime (scan-supabase): the provider runs the connection', async () => {
  const plan = await planFor('scan-supabase', 'live-presence');

  it('describes realtime-js heartbeat, channel states and reconnect, not a server ping or a jitter loop', () => {
    expect(plan.connection.heartbeat.map((r) => r.label)).toEqual(['realtime-js heartbeat', 'Channel states', 'Reconnect and rejoin', 'Message size']);
    expect(plan.connection.heartbeat[0]!.valueMd).toBe('every 25,000 ms on the `phoenix` topic; one still unanswered when the next is due closes the socket');
    expect(plan.connection.heartbeat[1]!.valueMd).toBe(
      '`channel.subscribe((status, err) => …)` reports `SUBSCRIBED`, `CHANNEL_ERROR`, `TIMED_OUT` and `CLOSED`',
    );
    expect(plan.connection.backoffTable.map((r) => r.ceilingMs)).toEqual([1_000, 2_000, 5_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
    expect(
      plan.connection.backoffMd.startsWith(
        "supabase-js retries by itself: attempt *n* waits realtime-js's own schedule: 1,000, 2,000, 5,000, 10,000 ms, then every 10,000 ms, no jitter",
      ),
    ).toBe(true);
    expect(plan.connection.backoffMd).toContain(
      'a silently dead peer only after up to 50,000 ms (an unanswered realtime-js heartbeat, noticed when the next one is due)',
    );
    expect(plan.connection.clientConfig.code).toContain("if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') setConnectionStatus('reconnecting', err);");
    expect(plan.connection.clientConfig.code).not.toContain('reconnectDelay');
    expect(label(plan, 'Connections:')).toBe(
      'Connections: realtime-js heartbeat every 25,000 ms on the `phoenix` topic; one still unanswered when the next is due closes the socket, supabase-js reconnects and rejoins channels itself (1, 2, 5, 10 s, then every 10 s, no jitter), payload size capped by the Supabase plan quota.',
    );
  });

  it('draws the channel lifecycle with Supabase states', () => {
    const src = plan.connection.lifecycle.source;
    expect(src).toContain('state "Joining private channel (RLS on realtime.messages)" as n2');
    expect(src).toContain('state "Catching up (refetch missed rows from Postgres)" as n3');
    expect(src).toContain('n2 --> n3 : SUBSCRIBED');
    expect(src).toContain('n2 --> n6 : CHANNEL_ERROR (join refused)');
    expect(src).not.toContain('upgrade');
  });

  it('authorizes with RLS on realtime.messages and refreshes with setAuth', () => {
    expect(plan.connection.authMd).toHaveLength(2);
    expect(plan.connection.authMd[0]).toContain('RLS policies on `realtime.messages` (`select` to receive Broadcast and Presence, `insert` to send)');
    expect(plan.connection.authMd[1]).toContain('`supabase.realtime.setAuth()`');
    expect(plan.connection.resumeMd).toEqual([
      'Broadcast and Presence are not replayed: on every `SUBSCRIBED` (the first join and each rejoin after a drop) the client reads the rows it missed from Postgres (newer than the last one it shows) before marking the view live; Presence re-sends a full `sync` by itself.',
    ]);
  });

  it('invents no sys:* events and states the provider ack rules', () => {
    expect(plan.events.filter((e) => e.name.startsWith('sys:')).map((e) => e.name)).toEqual([]);
    expect(plan.protocol.acksMd[1]).toBe(
      "Broadcast is fire-and-forget unless the channel sets `config: { broadcast: { ack: true } }`: then `channel.send()` resolves `'ok'` once the Realtime server received the message (not once other clients did); `self: true` echoes a sender's own broadcasts back to it.",
    );
    expect(plan.protocol.acksMd[2]).toBe(
      'Presence: `channel.track()` after `SUBSCRIBED`, `channel.untrack()` on leave; presence and typing are never acked or retried: they are superseded by the next one.',
    );
    expect(plan.protocol.acksMd.join(' ')).not.toContain('sys:ack');
  });

  it('has no payload-cap setting of ours, and errors arrive as channel states', () => {
    const controls = plan.security.controls.map((r) => r.label);
    expect(controls).toEqual(['Channel authorization', 'Writes', 'Schema validation', 'Payload cap', 'Rate limits', 'Secrets']);
    expect(plan.security.controls[3]!.valueMd.startsWith('no setting of ours: Supabase caps Broadcast and Presence payloads by plan quota')).toBe(true);
    expect(plan.errors.codes.map((c) => c.code)).toEqual(['AUTH_FAILED', 'FORBIDDEN', 'RATE_LIMITED', 'PAYLOAD_TOO_LARGE', 'INTERNAL']);
    // No server of ours runs, so nothing could check room membership and send NOT_A_MEMBER: RLS refuses (FORBIDDEN).
    expect(plan.errors.codes[1]!.signalMd).toBe('`CHANNEL_ERROR` on `subscribe()` (RLS on `realtime.messages` refused the join); RLS error on writes');
    expect(plan.errors.codes.map((c) => c.signalMd).join(' ')).not.toContain('sys:error');
  });
});

describe('AI streaming read with fetch (plan-ai-streaming)', async () => {
  const plan = await planFor('plan-ai-streaming', 'ai-answers');

  it('the transport reason names the explicit GET resume, not EventSource reconnection', () => {
    const reason = plan.transportDecision.reasonsMd.find((r) => r.startsWith('Traffic is server → client')) ?? '';
    expect(reason).toBe(
      'Traffic is server → client; the answer is a `text/event-stream` response to the POST that carries the prompt, read with `fetch` (EventSource cannot POST), so the app resumes explicitly with a GET from the last chunk index instead of relying on EventSource reconnection and `Last-Event-ID`; client actions stay ordinary POST requests.',
    );
  });

  it('the SSE helpers step sends comment keep-alives and serves the resume GET, with no retry:', () => {
    const why = plan.steps.flatMap((s) => s.files).find((f) => f.why.startsWith('SSE helpers'))?.why ?? '';
    expect(why).toBe(
      'SSE helpers: headers, `: keep-alive` comment every 15 s (the fetch reader sees comment lines), the chunk index as `id:` on every event, a per-request chunk buffer for the resume `GET /api/answer?requestId=…&fromIndex=…`, body cap 16 KiB on POSTs',
    );
    expect(SSE_KEEPALIVE_MS).toBe(15_000);
  });
});

describe('Yjs-only plan (plan-collab-editing)', async () => {
  const plan = await planFor('plan-collab-editing', 'shared-notes');

  it('signals errors with HTTP statuses and close codes, with no sys:error', () => {
    expect(plan.events.some((e) => e.name === 'sys:error')).toBe(false);
    expect(plan.errors.codes.map((c) => [c.code, c.signalMd])).toEqual([
      ['AUTH_FAILED', 'HTTP 401 before the upgrade'],
      ['FORBIDDEN', 'HTTP 403 before the upgrade (the user may not open this document)'],
      ['INVALID_PAYLOAD', 'message dropped (unknown type byte or undecodable); close 1008 when repeated'],
      ['RATE_LIMITED', 'no close: awareness frames over the limit are dropped, sync frames delayed'],
      ['PAYLOAD_TOO_LARGE', 'close 1009 (`maxPayload`)'],
      ['INTERNAL', 'close 1011'],
      ['DOC_TOO_LARGE', 'close 1009 from the update hook'],
    ]);
  });

  it('lists Yjs risks instead of seq ordering', () => {
    const titles = plan.edgeCases.map((e) => e.title);
    expect(titles).not.toContain('Out-of-order delivery');
    expect(titles).toContain('Awareness storms');
    expect(plan.edgeCases.find((e) => e.title === 'Document growth')?.mitigationMd.startsWith('Keep `gc: true` (the default)')).toBe(true);
  });

  it('tells one scaling story: route by docId, no pub/sub bus next to y-websocket', () => {
    expect(plan.performance.scalingMd[0]).toBe(
      'Several nodes: every editor of a document connects to the process that holds it (routed by docId, below), so no message crosses nodes and no pub/sub bus is added next to the document server.',
    );
    expect(plan.performance.scalingMd.join(' ')).not.toContain('Redis pub/sub');
    expect(plan.architecture.components.map((c) => c.name)).not.toContain('Redis pub/sub');
    expect(label(plan, 'Capacity:')).toBe(
      "Capacity: 2,000 connections → 2 instances (N+1) at ~1,000 each, 16 Mbit/s egress (egress from rt-plan's default rate, an assumption: the context states none).",
    );
  });
});

describe('LiveKit (scan-livekit)', async () => {
  const plan = await planFor('scan-livekit', 'voice-agent');

  it('unit-tests the token route and the tool-approval RPC, not a document endpoint', () => {
    const unit = plan.testing.layers.find((l) => l.kind === 'Unit')?.whatMd ?? '';
    expect(unit).not.toContain('document endpoint');
    expect(
      unit.startsWith(
        "the token route, with `livekit-server-sdk`'s `AccessToken` decoded: it is issued only to a signed-in user, its `identity` is that user's id (never a request parameter), and its only grant is `roomJoin` for the requested room",
      ),
    ).toBe(true);
    expect(unit).toContain(
      'a tool runs only after its `confirmAction` RPC answers approved, and a declined answer, an RPC error or the 60 s timeout leaves the data unchanged',
    );
  });

  it('labels the catch-up state readably', () => {
    expect(plan.connection.lifecycle.source).toContain('state "Rejoining the LiveKit room (new join token)" as n3');
    expect(plan.connection.lifecycle.source).not.toContain('with roomName');
  });
});

describe('capacity defaults sentence', () => {
  it('names the scenario once', () => {
    expect(defaultsReason([MODULES['chat-collab']], ['connections', 'msgRate'])).toBe(
      'chat rooms, presence and typing defaults: 10,000 users online at peak; one message every 20 s per user',
    );
    expect(defaultsReason([MODULES['chat-collab']], ['fanout'])).toBe('chat rooms, presence and typing default: 20 members per room');
  });

  it('keeps one group per scenario when fan-out comes from a wider one', () => {
    expect(defaultsReason([MODULES['ai-streaming'], MODULES['chat-collab']], ['msgRate', 'fanout'])).toBe(
      `${MODULES['ai-streaming'].title.toLowerCase()} default: ${MODULES['ai-streaming'].defaults.whyBy?.msgRate}; chat rooms, presence and typing default: 20 members per room`,
    );
  });
});

describe('connection split', () => {
  it('re-exports the moved reconnect policy unchanged', () => {
    const ctx = { transport: 'websocket' as const, library: null, providerDirect: false, scenarios: [] };
    expect(reconnectPolicy).toBe(movedPolicy);
    expect(
      reconnectPolicy(ctx)
        .table.slice(0, 3)
        .map((r) => r.ceilingMs),
    ).toEqual([500, 1_000, 2_000]);
  });
});
