// Review fixes in scenario selection and scenario content: ambiguous task words, the Yjs
// document channel (binary y-protocols, state vectors, routing by docId), explicit resume of
// a fetch stream, per-input default reasons, fan-out across scenarios, managed providers.
import { describe, expect, it } from 'vitest';
import type { Transport } from '../../src/types.js';
import type { DesignCtx } from '../../src/design/context.js';
import type { PlanInput, Scenario } from '../../src/design/types.js';
import { detectEntity, detectLayout } from '../../src/design/context.js';
import { Citer } from '../../src/design/cite.js';
import { MODULES, affinityNotes, capacityDefaults, defaultsReason, scenarioSlos, selectScenarios, seqless } from '../../src/design/scenarios/index.js';
import { managedProvider } from '../../src/design/scenarios/kit.js';
import { buildPlan } from '../../src/design/index.js';
import { firstTokenTarget } from '../../src/design/scenarios/ai-streaming.js';
import { docChannel } from '../../src/design/scenarios/collab-editing.js';
import { aiInput, analysis, chatInput, collabInput, feature, input, sessions, subscriptionsInput } from './inputs.js';

const CTX_FILE = '.claude/tasks/context_session_1.md';

function ctxFor(p: PlanInput, scenarios: Scenario[], transport: Transport, library: string | null): DesignCtx {
  return {
    input: p,
    scenarios,
    transport,
    library,
    docLibrary: library ?? transport,
    libraryUse: null,
    layout: detectLayout(p),
    entity: detectEntity(p),
    voiceProviders: [],
    capacity: {} as DesignCtx['capacity'],
    hasRealtime: false,
    providerDirect: false,
    labels: { client: 'Web client', server: 'server' },
    cite: new Citer(p.docs),
    assume: () => {},
  };
}

const ids = (p: PlanInput) => selectScenarios(p).map((c) => c.id);

describe('task words', () => {
  const chat = 'We are building team chat with rooms, presence and typing indicators.';
  const withChat = (task: string) =>
    input({ task, sessions: sessions(CTX_FILE, chat, [feature('chat', chat, `${CTX_FILE}:1`)]), analysis: analysis({ name: 'app', sourceFiles: [] }) });
  const bare = (task: string) => input({ task, sessions: sessions(CTX_FILE, '', []), analysis: analysis({ name: 'app', sourceFiles: [] }) });

  it('an ambiguous word adds no scenario once requirements selected one', () => {
    expect(ids(withChat('chat-collab'))).toEqual(['chat-collab']);
    expect(ids(withChat('collaborative-sync'))).toEqual(['chat-collab']);
  });

  it('an ambiguous word still decides when nothing else selected a scenario', () => {
    const choices = selectScenarios(bare('collab'));
    expect(choices.map((c) => c.id)).toEqual(['collab-editing']);
    expect(choices[0]!.reasonMd).toBe('task name `collab`');
  });

  it('an unambiguous word adds its scenario next to the requirements', () => {
    expect(ids(withChat('yjs-notes'))).toEqual(['chat-collab', 'collab-editing']);
    expect(ids(withChat('chat-notifications'))).toEqual(['chat-collab', 'notifications']);
  });

  it('presence:sync is presence, not state synchronization', () => {
    const p = input({
      task: 'x',
      sessions: sessions(CTX_FILE, '', []),
      analysis: analysis({
        name: 'app',
        sourceFiles: [],
        events: [{ name: 'presence:sync', direction: 'server-to-client', origin: 'existing', evidence: 'src/Presence.tsx:7' }],
      }),
    });
    expect(ids(p)).toEqual(['chat-collab']);
  });
});

describe('Yjs document channel', () => {
  const p = collabInput();
  const ws = ctxFor(p, ['collab-editing'], 'websocket', 'y-websocket');
  const m = MODULES['collab-editing'];

  it('catalogs binary y-protocols messages, not domain:action events with acks', () => {
    const events = m.events(ws);
    expect(events.map((e) => e.name)).toEqual(['sync.step1', 'sync.step2', 'sync.update', 'awareness.update']);
    expect(events.some((e) => e.ack !== undefined)).toBe(false);
    expect(events.map((e) => e.payload[0]?.type)).toEqual(['0', '0', '0', '1']);
  });

  it('resumes by state vector with no seq, log or rollback', () => {
    const r = m.resume(ws);
    expect(r.seq).toBe(false);
    expect(r.cursor).toBe('state vector');
    expect(r.catchUpMd).toContain('no log and no seq');
    expect(r.optimisticMd).toContain('never rolled back');
    expect(seqless(ws)).toBe(true);
    expect(seqless(ctxFor(p, ['collab-editing', 'chat-collab'], 'websocket', 'y-websocket'))).toBe(false);
  });

  it('names the separate server package and the routing it needs', () => {
    expect(m.summaryMd(ws)).toContain('`@y/websocket-server`');
    const steps = m.steps(ws);
    expect(steps[0]!.detailMd).toContain('`y-websocket` 3.x ships only the client provider');
    const notes = affinityNotes(ws);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('route by docId');
    expect(notes[0]).toContain('`y-redis`');
    expect(m.risks(ws).find((r) => r.title === 'Editors of one document on different instances')?.mitigationMd).toBe(notes[0]);
  });

  it('over SSE asks for a WebSocket channel instead of claiming y-websocket over SSE', () => {
    const sse = ctxFor(p, ['collab-editing'], 'sse', null);
    expect(docChannel(sse)).toBe('separate-websocket');
    expect(m.summaryMd(sse)).toContain('a separate WebSocket endpoint');
    expect(m.steps(sse)[0]!.title).toBe('WebSocket endpoint for the documents');
  });

  it('over Socket.IO carries the document as binary events, not y-websocket', () => {
    const sio = ctxFor(p, ['collab-editing'], 'socket.io', 'socket.io');
    expect(m.summaryMd(sio)).not.toContain('y-websocket');
    expect(m.summaryMd(sio)).toContain('binary Socket.IO events');
  });
});

describe('AI streaming over a fetch stream', () => {
  const body = 'Stream the assistant answers token by token to the browser.\nFirst tokens should appear within 300 ms.\n';
  const p = input({
    ...aiInput(),
    sessions: sessions(CTX_FILE, body, [
      feature('ai-streaming', 'Stream the assistant answers token by token to the browser.', `${CTX_FILE}:1`),
      { kind: 'number', metric: 'first-token', value: 300, unit: 'ms', sentence: 'First tokens should appear within 300 ms.', evidence: `${CTX_FILE}:2` },
    ]),
  });
  const sse = ctxFor(p, ['ai-streaming'], 'sse', null);
  const m = MODULES['ai-streaming'];

  it('resumes with an explicit request, not EventSource reconnection', () => {
    const r = m.resume(sse);
    expect(r.event).toBe('ai:resume');
    expect(r.cursor).toBe('fromIndex');
    expect(r.catchUpMd).toContain('no automatic reconnection, `Last-Event-ID` or `retry:`');
    const flow = m.flows(sse)[1]!;
    expect(flow.diagram.source).not.toContain('Last-Event-ID');
    expect(flow.diagram.source).toContain('fromIndex=18');
  });

  it('reads the time-to-first-token target from the context and models it apart', () => {
    expect(firstTokenTarget(sse)).toEqual({ ms: 300, sentence: 'First tokens should appear within 300 ms.', evidence: `${CTX_FILE}:2` });
    expect(scenarioSlos(sse)).toEqual([
      {
        name: 'Time to first token p95',
        target: '< 300 ms',
        sourceMd: `context: "First tokens should appear within 300 ms." (\`${CTX_FILE}:2\`); measured as \`ai_stream_first_chunk_seconds\`, apart from delivery latency`,
      },
    ]);
    expect(m.summaryMd(sse)).toContain('first token within 300 ms (context)');
  });

  it('says how a resume finds the per-instance buffer', () => {
    expect(affinityNotes(sse)[0]).toContain('route `ai:resume` by `requestId`');
  });
});

describe('capacity defaults', () => {
  it('fan-out is the widest selected scenario, with its own reason', () => {
    const d = capacityDefaults([MODULES['ai-streaming'], MODULES.subscriptions]);
    expect(d.fanout).toBe(10);
    expect(d.why.fanout).toBe('per-entity subscriptions default: ten watchers per entity: every update goes to everyone watching it');
    expect(d.connections).toBe(1_000);
  });

  it('the reason names only the defaulted inputs (no room size when the context gave it)', () => {
    expect(defaultsReason([MODULES['chat-collab']], ['msgRate', 'payloadBytes'])).toBe(
      'chat rooms, presence and typing defaults: one message every 20 s per user; short text messages of about 512 bytes',
    );
  });

  it('the subscriptions fixture keeps its scenarios', () => {
    expect(ids(subscriptionsInput())).toEqual(['subscriptions']);
    expect(ids(chatInput())).toEqual(['chat-collab']);
  });
});

describe('managed providers', () => {
  // Typing is designed only where the context (or the code) asks for it.
  const p = input({
    task: 'rooms',
    sessions: sessions(CTX_FILE, '', [{ kind: 'feature', feature: 'typing', sentence: 'Show who is typing in each room.', evidence: `${CTX_FILE}:1` }]),
    analysis: analysis({
      name: 'supabase-chat',
      typescript: true,
      sourceFiles: ['src/Room.tsx'],
      stack: { providers: ['supabase-realtime'], frameworks: [{ name: 'next', version: '14.2.3', evidence: 'package.json:6' }] },
    }),
  });
  const ctx = ctxFor(p, ['chat-collab'], 'websocket', null);

  it('builds chat on Supabase channels instead of a server of our own', () => {
    expect(managedProvider(p)?.id).toBe('supabase-realtime');
    const steps = MODULES['chat-collab'].steps(ctx);
    expect(steps.map((s) => s.title)).toEqual(['Rooms, presence and typing on Supabase Realtime']);
    expect(steps[0]!.files.map((f) => f.path)).toEqual(['supabase/migrations/<timestamp>_realtime_policies.sql', 'src/lib/realtime/client/room-channel.ts']);
    expect(MODULES['chat-collab'].summaryMd(ctx)).toContain('No WebSocket server of our own.');
  });

  it('drops the acks a managed provider cannot give, and picks the provider transport.ts picks', () => {
    const events = MODULES['chat-collab'].events(ctx);
    expect(events.find((e) => e.name === 'room:join')?.ack).toBeUndefined();
    expect(events.find((e) => e.name === 'typing:update')?.payload[1]?.description).toBe(
      'set by the sending client: display only, never used for authorization',
    );
    const both = input({
      task: 'rooms',
      sessions: sessions(CTX_FILE, '', []),
      analysis: analysis({ name: 'board', sourceFiles: [], stack: { providers: ['ably', 'pusher'] } }),
    });
    expect(managedProvider(both)?.id).toBe('pusher');
  });

  it("a room's events travel on the channel the code already uses, else on a new one under the provider's naming rule", () => {
    const pusher = (events: PlanInput['analysis']['events']) =>
      ctxFor(
        input({
          task: 'rooms',
          sessions: sessions(CTX_FILE, '', []),
          analysis: analysis({ name: 'specs', sourceFiles: ['web/src/room.ts'], stack: { providers: ['pusher'] }, events }),
        }),
        ['chat-collab'],
        'websocket',
        null,
      );
    const channels = (ctx: DesignCtx) => MODULES['chat-collab'].events(ctx).map((e) => [e.name, e.channel, e.overHttp ?? false]);
    // Typing only where the context or the code asks for it: here neither does.
    // No channel in the code: Pusher's rule, a presence- channel (members and client events need one), with no `/` or braces of rt-plan's form.
    expect(channels(pusher([]))).toEqual([
      ['message:send', 'presence-room-{roomId}', true],
      ['message:new', 'presence-room-{roomId}', false],
    ]);
    // The code's own message channel: the send is an HTTP request whose result arrives there.
    const own = pusher([
      { name: 'comment-added', direction: 'server-to-client', origin: 'existing', evidence: 'server/comments.js:17', room: 'presence-project-{projectId}' },
    ]);
    expect(channels(own)).toEqual([
      ['comment-send', 'presence-project-{projectId}', true],
      ['comment-added', 'presence-project-{projectId}', false],
    ]);
    expect(managedProvider(own.input)?.seqShortMd).toBe('our route, in the database write before it publishes');
    // The Ordering row names a channel the code does not use as proposed, with the provider's rule, and says who assigns the seq.
    const chat = 'Team chat in rooms.';
    const plan = buildPlan(
      input({
        task: 'rooms',
        sessions: sessions(CTX_FILE, chat, [feature('chat', chat, `${CTX_FILE}:1`)]),
        analysis: analysis({ name: 'specs', sourceFiles: ['web/src/room.ts'], stack: { providers: ['pusher'] } }),
      }),
    );
    expect(plan.communication.rows.find((r) => r.label === 'Ordering')?.valueMd).toBe(
      'per channel (`presence-room-{roomId}` (proposed: Pusher channel names allow only letters, digits and `_ - = @ , . ;`, and only a `presence-` channel carries members and client events)), by a seq assigned at write by our route, in the database write before it publishes; no global order',
    );
  });

  it('no provider, no change', () => {
    expect(managedProvider(chatInput())).toBeNull();
  });
});
