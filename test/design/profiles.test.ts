// Runtime, library and provider profiles: which one a plan lands on, what it switches off, and
// feature versions checked with semver against the version the project has.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/design/index.js';
import { profileOf } from '../../src/design/profiles/index.js';
import { sseServerApi } from '../../src/design/profiles/sse-server.js';
import { traitsOf } from '../../src/design/profiles/transports.js';
import { FEATURES, gate, installedVersion } from '../../src/design/profiles/versions.js';
import { agentOnly, VOICE } from '../../src/design/profiles/voice.js';
import type { PlanInput } from '../../src/design/types.js';
import { aiInput, analysis, chatInput, CTX, feature, input, sessions } from './inputs.js';

const serverless = (i: PlanInput): PlanInput => {
  const sentence = 'The app runs on Vercel (functions limited to 60 s).';
  i.sessions.requirements.push({ kind: 'infra', fact: 'serverless', component: 'Vercel', sentence, evidence: `${CTX}:9` });
  return i;
};

describe('feature versions', () => {
  it('reads the installed version, else the lowest the declared range allows', () => {
    expect(installedVersion({ version: '4.7.2', declared: '^4.7.2' })).toBe('4.7.2');
    expect(installedVersion({ version: null, declared: '^4.5.1' })).toBe('4.5.1');
    expect(installedVersion({ version: null, declared: 'workspace:*' })).toBeNull();
    expect(installedVersion(null)).toBeNull();
  });

  it('says which version a proposal needs when the project has an older one', () => {
    expect(gate(FEATURES.connectionStateRecovery, { version: '4.5.4', declared: '^4.5.4' })).toEqual({
      kind: 'too-old',
      version: '4.5.4',
      needMd: '`connectionStateRecovery` needs `socket.io` ≥ 4.6.0; the project has 4.5.4: upgrade first',
    });
    expect(gate(FEATURES.connectionStateRecovery, { version: '4.6.0', declared: null })).toEqual({ kind: 'ok' });
    expect(gate(FEATURES.connectionStateRecovery, { version: null, declared: null })).toEqual({ kind: 'unknown' });
  });

  it('a Socket.IO project known only by its declared 2.x range is still told to upgrade first', () => {
    const i = chatInput();
    i.analysis.stack.libraries[0] = { ...i.analysis.stack.libraries[0]!, version: null, declared: '^2.3.0' };
    expect(buildPlan(i).transportDecision.reasonsMd[1]).toBe(
      '`socket.io` ^2.3.0 is 2.x, which is end-of-life: upgrade the server to 4.x first, with `allowEIO3: true` so 2.x clients keep connecting during the client rollout.',
    );
  });
});

describe('runtime profiles', () => {
  it('a serverless host takes the load balancer, drain and sticky sessions out of the plan', () => {
    const plain = buildPlan(aiInput());
    const plan = buildPlan(serverless(aiInput()));
    expect(plain.performance.scalingMd.some((m) => m.startsWith('Drain on deploy'))).toBe(true);
    expect(plan.performance.scalingMd.filter((m) => /Drain on deploy|sticky sessions? (is|are) required/.test(m))).toEqual([]);
    expect(plan.architecture.diagram.source).toContain('Vercel (routes each request to a function)');
    expect(plan.architecture.diagram.source).not.toMatch(/Load balancer|Reverse proxy/);
    expect(plan.security.controls.find((c) => c.label === 'Transport security')?.valueMd).toBe("HTTPS only; TLS terminates at Vercel's edge");
  });

  it('a client of a server outside the repository gets no server settings of ours', () => {
    const i = chatInput();
    i.analysis.findings.push({ id: 'client-only', severity: 'info', message: 'client only', evidence: 'public/client.js:1', fix: '' });
    const profile = profileOf({ input: i, scenarios: ['chat-collab'], transport: 'websocket', library: 'ws', providerDirect: false });
    expect([profile.payloadCap, profile.deflate, profile.ownFanout, profile.external !== undefined]).toEqual([null, false, false, true]);
  });

  it('graphql-ws rides on the WebSocket wire and brings its own keep-alive and auth', () => {
    const input = { analysis: { stack: { libraries: [{ name: 'graphql-ws' }, { name: 'ws' }] } } };
    expect(traitsOf({ transport: 'websocket', library: 'ws', input }).liveness).toBe('graphql-ws-keepalive');
    expect(traitsOf({ transport: 'websocket', library: 'ws', input }).authMd).toContain('`onConnect`');
    expect(traitsOf({ transport: 'socket.io', library: 'socket.io', input }).liveness).toBe('engine-io-ping');
    expect(traitsOf({ transport: 'websocket', library: 'y-websocket' }).policy).toBe('y-websocket');
  });

  it('voice providers differ by flags, not by name checks', () => {
    expect(agentOnly(['livekit'])).toBe(true);
    expect(agentOnly(['livekit', 'openai-realtime'])).toBe(false);
    expect(Object.entries(VOICE).map(([id, v]) => `${id} ${v.wire} ${v.mediaOverRtc} ${v.resumesConversation}`)).toEqual([
      'openai-realtime webrtc true false',
      'gemini-live websocket false true',
      'livekit webrtc true false',
    ]);
  });

  it('OpenAI Realtime: the calls endpoint, one output per call_id, then response.create, and VAD cutting a pending call', () => {
    const text = 'Add a voice agent with the OpenAI Realtime API.';
    const plan = buildPlan(
      input({
        task: 'voice-agent',
        sessions: sessions(CTX, text, [feature('voice', text, `${CTX}:1`)]),
        analysis: analysis({
          name: 'talkie',
          typescript: true,
          deps: { react: '^18.3.1' },
          sourceFiles: ['src/App.tsx'],
          stack: { providers: ['openai-realtime'], frameworks: [{ name: 'react', version: '18.3.1', evidence: 'package.json:6' }] },
        }),
      }),
    );
    const [session, approval] = plan.protocol.flows;
    expect(session?.diagram.source).toContain('SDP offer#58; POST /v1/realtime/calls (Bearer client secret)');
    expect(approval?.diagram.source).toContain('conversation.item.create (function_call_output per call_id), then response.create');
    expect(approval?.summaryMd).toContain('only then send one `response.create`');
    expect(approval?.summaryMd).toContain('If server VAD cuts the response off');
  });
});

describe('SSE server API per framework', () => {
  it('says backpressure in the framework’s own API: Node res.write/drain, Hono’s awaited writeSSE, a ReadableStream’s desiredSize', () => {
    const slow = (fw: string | null) => sseServerApi(fw).slowMd('with Last-Event-ID', true);
    expect(slow('express')).toMatch(/`res\.write\(\)` returning false: stop writing until `drain`/);
    expect(slow('fastify')).toMatch(/`reply\.raw\.write\(\)` returning false/);
    expect(slow('hono')).toMatch(/^`stream\.writeSSE\(\)` returns a Promise .*`stream\.onAbort\(\)`/);
    expect(slow('hono')).not.toMatch(/res\.write|drain/);
    expect(slow(null)).toMatch(/`controller\.desiredSize`/);
    // Nothing droppable (answer chunks, notifications): nothing is dropped, in any framework's words.
    for (const fw of ['express', 'hono', null]) expect(sseServerApi(fw).slowMd('with Last-Event-ID', false)).not.toMatch(/drop droppable/);
    expect(sseServerApi(null).slowMd('with Last-Event-ID', false)).toContain('merge what arrives meanwhile into fewer, larger enqueues');
  });
});
