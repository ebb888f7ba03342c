// Voice providers: OpenAI Realtime client secrets (GA figures), LiveKit as a first-class
// provider, Gemini Live ephemeral tokens (SDK upgrade, backend, limits by API), and managed
// providers in the transport decision. Scan fixtures go through the real analyzer.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { readSessions } from '../../src/context/read-sessions.js';
import { buildPlan } from '../../src/design/index.js';
import type { Plan } from '../../src/design/types.js';
import { tokenRate, TOKEN_LIFETIME_MD } from '../../src/design/scenarios/voice-providers.js';
import { validateMermaid } from '../../src/diagrams/validate.js';
import { NOW, voiceInput } from './inputs.js';

const ROOT = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));

async function planFor(fixture: string, task: string): Promise<Plan> {
  const root = path.join(ROOT, fixture);
  const sessions = await readSessions(root, { globs: [] });
  const analysis = await analyzeProject(root);
  return buildPlan({ task, now: NOW, toolVersion: '0.1.0', sessions, analysis, docs: { refs: [], notices: [] }, options: {} });
}

const stepFiles = (plan: Plan) => plan.steps.map((s) => [s.title, s.files.map((f) => `${f.action} ${f.path}`)]);

describe('OpenAI Realtime (scan-openai-webrtc)', () => {
  it('uses the GA client secret figures and no Gemini-only behaviour', async () => {
    const plan = await planFor('scan-openai-webrtc', 'voice-agent');
    expect(plan.transport).toBe('webrtc');
    const flow = plan.protocol.flows[0]!;
    expect(flow.title).toBe('Open an OpenAI Realtime session over WebRTC');
    expect(flow.summaryMd).toContain("`expires_after: { anchor: 'created_at', seconds: 60 }` (this plan's choice; the API default is 600 s)");
    expect(flow.summaryMd).toContain('the session continues after it expires');
    expect(flow.diagram.source).toContain('POST /v1/realtime/client_secrets, expires_after 60 s');
    expect(flow.diagram.source).not.toContain('~60 s');
    expect(plan.edgeCases.map((e) => e.title)).toEqual([
      'Client secret expires before the SDP exchange',
      'Leaked client secret starts extra sessions',
      'Session reaches its maximum duration',
      'Tool call applied twice',
    ]);
    // OpenAI Realtime has no resumption handle: a session that ends is followed by a new one.
    const everything = JSON.stringify([
      plan.edgeCases,
      plan.protocol.flows.map((f) => f.summaryMd),
      plan.steps,
      plan.events.map((e) => e.name),
      plan.errors.codes,
    ]);
    expect(everything).not.toMatch(/goAway|resumption handle|with the handle|4001|about a minute|about one minute/);
    const voiceLayer = plan.testing.layers.find((l) => l.kind === 'Voice agent')!;
    expect(voiceLayer.whatMd).toBe(
      'token route returns an ephemeral secret and never the API key (assert on the response body); the token route sends `expires_after.seconds: 60` and a 401 on the SDP request triggers exactly one re-mint; a tool call changes nothing until the user approves its preview, and a rejected one is still answered with its `call_id`.',
    );
    // The audit's webrtc-no-connection-state finding (client/agent.js:3) is fixed first.
    expect(stepFiles(plan).slice(0, 3)).toEqual([
      ['Fix the audit findings in `client/agent.js`', ['change client/agent.js']],
      ['Harden the existing token route', ['change server/session.js']],
      ['Voice client and ActionExecutor', ['change client/agent.js', 'create client/realtime/action-executor.js']],
    ]);
  });
});

describe('LiveKit (scan-livekit)', () => {
  it('plans rooms, a LiveKit Agents worker and join tokens, not OpenAI Realtime', async () => {
    const plan = await planFor('scan-livekit', 'voice-agent');
    expect(plan.summary.buildingMd).toBe(
      'Voice agent over LiveKit rooms (WebRTC through the LiveKit SFU, AI side as a LiveKit Agents worker): join tokens minted by our server for the signed-in user, audio through the LiveKit SFU to an agent worker, tool calls run in preview and applied only after the user approves.',
    );
    expect(plan.transport).toBe('webrtc');
    expect(plan.library).toBe('livekit-client');
    expect(plan.transportDecision.reasonsMd[0]).toMatch(
      /^Builds on LiveKit \(`livekit-client` \^2\.1\.5 and `livekit-server-sdk` \^2\.4\.0\): the LiveKit server \(SFU\)/,
    );
    expect(plan.events.filter((e) => e.origin === 'proposed').map((e) => e.name)).toEqual(['ParticipantConnected', 'confirmAction']);
    expect(plan.protocol.flows.map((f) => f.title)).toEqual(['Join a LiveKit voice room with an agent', 'Tool call in preview, applied after approval']);
    expect(plan.protocol.flows[0]!.diagram.source).toContain('participant n2 as Token route (api/token.js)');
    expect(JSON.stringify(plan.protocol.flows)).not.toMatch(/OpenAI|oai-events|client secret/);
    const identity = plan.edgeCases.find((e) => e.title === 'Participant identity chosen by the caller')!;
    expect(identity.mitigationMd).toContain('(review the `AccessToken` call at `api/token.js:7`)');
    expect(plan.edgeCases.find((e) => e.title === 'Network change mid-conversation')!.mitigationMd).toContain('(handled today at `web/room.js:7`)');
    expect(stepFiles(plan).slice(0, 3)).toEqual([
      ['Harden the existing token route', ['change api/token.js']],
      ['Agent worker (LiveKit Agents)', ['create api/realtime/voice-agent.js', 'change package.json']],
      ['Voice room client', ['change web/room.js']],
    ]);
    for (const f of plan.protocol.flows) expect(await validateMermaid(f.diagram.source), f.title).toEqual({ valid: true });
  });

  it('states the LiveKit token rule: expiry checked only at the first connect', () => {
    expect(TOKEN_LIFETIME_MD.livekit).toContain('only the initial connection checks its expiry');
  });
});

describe('Gemini Live (plan-voice)', () => {
  it('upgrades @google/genai below 1.3.0 and adds a backend to the client-only app', () => {
    const plan = buildPlan(voiceInput());
    expect(stepFiles(plan).slice(1, 4)).toEqual([
      ['Upgrade @google/genai for ephemeral tokens', ['change package.json']],
      ['Add a backend for the token route', ['create server/realtime/voice-token.ts']],
      ['Voice client and ActionExecutor', ['change src/services/liveClient.ts', 'create src/services/realtime/action-executor.ts']],
    ]);
    expect(plan.steps[1]!.files[0]!.why).toBe('`@google/genai` ^0.14.0 → ^1.3.0 or later');
    expect(plan.steps[2]!.detailMd).toContain('This project has no server of its own (a client-only app)');
    const quota = plan.edgeCases.find((e) => e.title === 'Project concurrency limit')!;
    expect(quota.riskMd).toBe(
      "Gemini Live concurrency depends on the API: Vertex AI documents 1,000 concurrent sessions per project (200 sessions would be 20% of it), while on the Gemini Developer API, which ephemeral tokens require, the limit depends on the project's usage tier: check it before launch.",
    );
    expect(plan.protocol.flows[0]!.summaryMd).toContain('(defaults: 1 use, new sessions within 1 minute, expiry after 30 minutes)');
  });

  it('does not ask for the upgrade when the SDK is already 1.3.0 or later', () => {
    const input = voiceInput();
    input.analysis.project.packages[0]!.dependencies['@google/genai'] = '^1.4.0';
    const plan = buildPlan(input);
    expect(plan.steps.map((s) => s.title)).not.toContain('Upgrade @google/genai for ephemeral tokens');
  });
});

describe('token rate', () => {
  it('200 sessions renewing every 10 minutes is 0.33 tokens/s, 20 a minute', () => {
    expect(tokenRate(200)).toEqual({ perSecond: 0.33, perMinute: 20 });
  });
});

describe('managed providers in the transport decision', () => {
  it('Supabase Realtime: builds on its channels with the Supabase SDK, no ws server', async () => {
    const plan = await planFor('scan-supabase', 'live-presence');
    expect(plan.transport).toBe('websocket');
    expect(plan.library).toBe('@supabase/supabase-js');
    expect(plan.transportDecision.reasonsMd[0]).toMatch(
      /^Builds on Supabase Realtime \(`@supabase\/supabase-js` \^2\.43\.4\): Supabase runs the WebSocket servers/,
    );
  });
});
