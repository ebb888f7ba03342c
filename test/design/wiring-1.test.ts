// Review fixes wired into connection, architecture, ops and testing: provider facts come from
// the voice-provider table, scenario content (affinity, SLOs, catch-up) replaces the generic
// text, and the load sketches never send JSON frames for binary Yjs messages.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { readSessions } from '../../src/context/read-sessions.js';
import { buildPlan } from '../../src/design/index.js';
import type { Plan } from '../../src/design/types.js';
import { TOKEN_LIFETIME_MD, concurrencyMd } from '../../src/design/scenarios/voice-providers.js';
import { NOW } from './inputs.js';

const ROOT = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));

async function planFor(fixture: string, task: string, options: { patterns?: ('chat-collab' | 'collab-editing')[] } = {}): Promise<Plan> {
  const root = path.join(ROOT, fixture);
  const sessions = await readSessions(root, { globs: [] });
  const analysis = await analyzeProject(root);
  return buildPlan({ task, now: NOW, toolVersion: '0.1.0', sessions, analysis, docs: { refs: [], notices: [] }, options });
}

const row = (plan: Plan, label: string) => plan.connection.heartbeat.find((r) => r.label === label);

describe('OpenAI Realtime (scan-openai-webrtc)', () => {
  it('states the client secret lifetime from the provider table and no server-side expiry check', async () => {
    const plan = await planFor('scan-openai-webrtc', 'voice-agent');
    expect(row(plan, 'OpenAI client secret')).toEqual({
      label: 'OpenAI client secret',
      valueMd: 'minted per session start, right before the SDP offer; a new session after a drop mints a new one',
      sourceMd: TOKEN_LIFETIME_MD['openai-realtime'],
    });
    expect(plan.connection.authMd.at(-1)).toBe(`Token lifetimes: OpenAI Realtime: ${TOKEN_LIFETIME_MD['openai-realtime']}.`);
    const text = JSON.stringify([plan.connection, plan.architecture, plan.performance.scalingMd]);
    expect(text).not.toMatch(/about a minute|about one minute|scoped to one session|closes connections whose token expired|Gemini|resumption handle/);
    expect(plan.performance.scalingMd).toContain(`${concurrencyMd('openai-realtime', 200)}.`);
  });

  it('sizes the token load per minute with tokenRate()', async () => {
    const plan = await planFor('scan-openai-webrtc', 'voice-agent');
    expect(plan.testing.load.code).toContain("steady: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1m', duration: '10m', preAllocatedVUs: 2 },");
    expect(plan.testing.load.numbersMd).toContain(
      '200 concurrent sessions, each a 10-minute conversation that needs one token, is 0.33 tokens/s (20 per minute) steady',
    );
    expect(plan.testing.load.numbersMd).not.toContain('1 tokens/s');
  });
});

describe('LiveKit (scan-livekit)', () => {
  it('gets LiveKit rows, nodes and resume text, never Gemini or OpenAI ones', async () => {
    const plan = await planFor('scan-livekit', 'voice-agent');
    expect(plan.connection.heartbeat.map((r) => r.label)).toEqual(['LiveKit room connection', 'After Disconnected', 'LiveKit join token']);
    expect(row(plan, 'LiveKit join token')?.sourceMd).toBe(TOKEN_LIFETIME_MD.livekit);
    expect(plan.architecture.diagram.source).toContain('LiveKit server (SFU)');
    expect(plan.architecture.diagram.source).toContain('Agent worker (LiveKit Agents)');
    expect(plan.architecture.diagram.source).not.toMatch(/Gemini Live|OpenAI Realtime|ActionExecutor/);
    expect(plan.connection.resumeMd[0]).toBe(
      'Conversation state lives at the provider. LiveKit: the SDK resumes the room by itself; after Disconnected, fetch a new join token and rejoin the same room, where the agent worker still holds the conversation.',
    );
    expect(JSON.stringify(plan.connection)).not.toMatch(/resumption handle|closes connections whose token expired/);
    expect(plan.performance.scalingMd).toContain(`${concurrencyMd('livekit', 200)}.`);
  });
});

describe('Gemini Live (plan-voice)', () => {
  it('uses concurrencyMd for the quota sentence', async () => {
    const plan = await planFor('plan-voice', 'voice-assistant');
    expect(plan.performance.scalingMd).toContain(`${concurrencyMd('gemini-live', 200)}.`);
    expect(plan.performance.scalingMd.join(' ')).not.toContain('allows up to 1,000 concurrent sessions');
    expect(row(plan, 'Gemini ephemeral token')?.sourceMd).toBe(TOKEN_LIFETIME_MD['gemini-live']);
    expect(plan.connection.resumeMd[0]).toBe(
      'Conversation state lives at the provider. Gemini Live: reconnect with the latest resumption handle (a fresh token only when the old one is past its expireTime), which keeps the conversation.',
    );
  });
});

describe('AI streaming read with fetch (plan-ai-streaming)', () => {
  it('resumes with the explicit GET, never Last-Event-ID or retry:', async () => {
    const plan = await planFor('plan-ai-streaming', 'ai-answers');
    expect(plan.transport).toBe('sse');
    expect(plan.connection.resumeMd).toEqual([
      'AI response streaming: the answer is read with `fetch` from the POST, which has no automatic reconnection, `Last-Event-ID` or `retry:`; after a drop the client waits a full-jitter backoff delay and sends `GET /api/answer?requestId=<requestId>&fromIndex=<last index + 1>`, which replays the buffered chunks and continues live; past the 30 s buffer it answers `STREAM_EXPIRED` and the client loads the final message over HTTP.',
    ]);
    const client = plan.connection.clientConfig.code;
    expect(client).toContain('const resumed = await fetch(`/api/answer?requestId=${encodeURIComponent(requestId)}&fromIndex=${lastIndex + 1}`);');
    expect(client).not.toMatch(/Last-Event-ID|lastEventId|retry:/);
    expect(row(plan, 'Client retry')?.valueMd).toBe(
      'full jitter, then the explicit resume request `GET /api/answer?requestId=…&fromIndex=…`, see Reconnection',
    );
    expect(plan.errors.fallbackMd).toEqual([
      'If the stream and 3 resume requests in a row fail, keep the partial answer on screen with a retry button and load the final message over HTTP once the generation has ended; the chunk index keeps both paths consistent.',
    ]);
    expect(plan.errors.standardMd).toContain('Here `AUTH_FAILED` is HTTP 401 on the POST or the resume request (the client stops retrying)');
  });

  it('adds the time-to-first-token SLO and routes resumes to the instance holding the buffer', async () => {
    const plan = await planFor('plan-ai-streaming', 'ai-answers');
    expect(plan.observability.slos.at(-1)).toEqual({
      name: 'Time to first token p95',
      target: '< 300 ms',
      sourceMd:
        'context: "First tokens should appear within 300 ms." (`.claude/tasks/context_session_1.md:2`); measured as `ai_stream_first_chunk_seconds`, apart from delivery latency',
    });
    expect(plan.performance.scalingMd.slice(0, 2)).toEqual([
      'Several nodes: no message crosses nodes (each one has a single recipient, served by the instance that produces it), so no pub/sub bus is needed.',
      'The resume buffer lives in the memory of the instance running the generation: route `ai:resume` by `requestId` to that instance (put `requestId` in the query string of both the POST and the resume request and hash on it at the load balancer), or keep chunks in a shared store (a Redis stream per request with a 30 s TTL) so any instance can serve a resume.',
    ]);
    for (const source of [plan.architecture.diagram.source, plan.performance.topology.source]) {
      expect(source).toContain('Load balancer (hash on requestId)');
      expect(source).not.toMatch(/Redis pub\/sub|any node|least connections/);
    }
    expect(plan.architecture.components.map((c) => c.name)).not.toContain('Redis pub/sub');
  });
});

describe('Yjs document channel (plan-collab-editing)', () => {
  it('load-tests with y-websocket providers, not JSON frames', async () => {
    const plan = await planFor('plan-collab-editing', 'shared-notes');
    expect(plan.testing.load.tool).toBe('Node script with y-websocket (one WebsocketProvider per virtual editor)');
    expect(plan.testing.load.code).toContain("const provider = new WebsocketProvider(process.env.BASE + '/yjs', 'load-doc-' + (1 + (i % DOCS)), doc, {");
    // 2,000 editors on 2 instances: run 1 holds the 2,000 one instance has after a failover, 10 per document.
    expect(plan.testing.load.code).toContain('const DOCS = 200; // 10 editors per document');
    expect(plan.testing.load.code).not.toMatch(/JSON\.stringify|k6/);
    expect(plan.observability.slos.map((s) => s.name)).not.toContain('Average latency; delivery success; loss across reconnect');
    expect(plan.testing.chaosMd[0]).toBe(
      "Kill one of 2 instances under load: every client of the killed one reconnects, the survivor then holds 2,000 connections, and no persisted edit is lost (compare the documents' state vectors before and after).",
    );
    expect(plan.testing.layers[0]?.whatMd.startsWith("the document endpoint's message filter")).toBe(true);
  });

  it('routes editors of one document to one instance', async () => {
    const plan = await planFor('plan-collab-editing', 'shared-notes');
    expect(plan.architecture.diagram.source).toContain('Load balancer (hash on docId)');
    expect(plan.performance.scalingMd.join(' ')).not.toContain('No sticky sessions are needed');
    expect(plan.connection.resumeMd[0]).toMatch(/^Collaborative editing \(CRDT\): no log and no seq\./);
  });
});

describe('Yjs over Socket.IO (plan-chat-collab with --pattern collab-editing)', () => {
  it('keeps the binary Yjs messages out of the Artillery sketch', async () => {
    const plan = await planFor('plan-chat-collab', 'team-chat', { patterns: ['chat-collab', 'collab-editing'] });
    expect(plan.transport).toBe('socket.io');
    expect(plan.events.map((e) => e.name)).toContain('sync.update');
    expect(plan.testing.load.tool).toBe('Artillery (socketio engine)');
    expect(plan.testing.load.code).not.toMatch(/sync\.(step1|step2|update)|awareness\.update|Uint8Array/);
  });
});

describe('provider-direct backpressure (scan-livekit)', () => {
  it('does not talk about our send buffers', async () => {
    const plan = await planFor('scan-livekit', 'voice-agent');
    expect(plan.performance.backpressureMd).toEqual([
      "Audio and provider events flow between the browser and the provider; our server only answers token requests and action calls, so backpressure is the provider SDK's concern. Keep the per-user token rate limit as the only inbound bound.",
    ]);
  });
});
