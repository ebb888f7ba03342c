// Seed 000: voice agents. OpenAI Realtime over WebRTC (browser connects directly with a
// short-lived client secret) and Gemini Live over WebSocket (session limits, GoAway,
// resumption handles). The API key never reaches the browser, and model tool calls only
// change user data after the user approves a preview.
import type { EventSpec } from '../../types.js';
import type { DesignCtx } from '../context.js';
import type { Flow } from '../types.js';
import { sequenceDiagram } from '../../diagrams/builders.js';
import { code } from '../md.js';
import { ev, f, serverFile, clientFile, type ScenarioModule } from './kit.js';

export function providersOf(ctx: DesignCtx): string[] {
  return ctx.voiceProviders.length > 0 ? ctx.voiceProviders : ['openai-realtime'];
}

function providerEvents(provider: string): EventSpec[] {
  if (provider === 'openai-realtime') {
    const ch = 'oai-events';
    return [
      ev('session.update', 'client-to-server', ch, 'Configure voice, tools and turn detection (OpenAI data channel)', 'OaiSessionUpdate',
        [f('type', "'session.update'"), f('session', 'Record<string, unknown>')]),
      ev('response.function_call_arguments.done', 'server-to-client', ch, 'The model wants a tool run (OpenAI)', 'OaiFunctionCallDone',
        [f('type', "'response.function_call_arguments.done'"), f('call_id', 'string'), f('name', 'string'), f('arguments', 'string', 'JSON text; validate before use')]),
      ev('conversation.item.create', 'client-to-server', ch, 'Return a tool result to the model (function_call_output item)', 'OaiConversationItemCreate',
        [f('type', "'conversation.item.create'"), f('item', 'Record<string, unknown>', '{ type: function_call_output, call_id, output }')]),
    ];
  }
  const ch = 'gemini-live';
  return [
    ev('toolCall', 'server-to-client', ch, 'The model wants one or more functions run (Gemini Live)', 'GeminiToolCall',
      [f('functionCalls', 'Record<string, unknown>[]', 'id, name, args')]),
    ev('toolResponse', 'client-to-server', ch, 'Results of the function calls (Gemini Live)', 'GeminiToolResponse',
      [f('functionResponses', 'Record<string, unknown>[]', 'id, name, response')]),
    ev('goAway', 'server-to-client', ch, 'The connection will close soon; reconnect with the resumption handle', 'GeminiGoAway',
      [f('timeLeft', 'string')]),
    ev('sessionResumptionUpdate', 'server-to-client', ch, 'New handle to resume the session on another connection', 'GeminiSessionResumptionUpdate',
      [f('newHandle', 'string'), f('resumable', 'boolean')]),
  ];
}

function sessionFlow(ctx: DesignCtx, provider: string): Flow {
  const parts = [
    { key: 'user', label: 'User', actor: true },
    { key: 'client', label: ctx.labels.client },
    { key: 'server', label: `Token route (${ctx.layout.serverEntry ?? 'new server route'})` },
    { key: 'model', label: provider === 'openai-realtime' ? 'OpenAI Realtime' : 'Gemini Live' },
  ];
  if (provider === 'openai-realtime') {
    return {
      title: 'Open an OpenAI Realtime session over WebRTC',
      summaryMd: `The browser asks our server for a client secret (valid about one minute), then negotiates WebRTC directly with OpenAI; audio flows as media tracks and events on the ${code('oai-events')} data channel.`,
      diagram: sequenceDiagram('Open an OpenAI Realtime session over WebRTC', {
        participants: parts,
        autonumber: true,
        steps: [
          { kind: 'message', from: 'user', to: 'client', text: 'start talking' },
          { kind: 'message', from: 'client', to: 'server', text: 'POST /api/realtime/token (session cookie)' },
          { kind: 'message', from: 'server', to: 'model', text: 'create client secret (API key stays here)' },
          { kind: 'message', from: 'server', to: 'client', text: 'ephemeral secret, expires in ~60 s', style: 'reply' },
          { kind: 'message', from: 'client', to: 'model', text: 'SDP offer (Bearer ephemeral secret)' },
          { kind: 'message', from: 'model', to: 'client', text: 'SDP answer', style: 'reply' },
          { kind: 'block', type: 'par', label: 'audio', steps: [
            { kind: 'message', from: 'client', to: 'model', text: 'microphone track', style: 'async' },
          ], else: [{ label: 'events', steps: [
            { kind: 'message', from: 'model', to: 'client', text: 'oai-events: audio transcript, tool calls', style: 'async' },
          ] }] },
        ],
      }),
    };
  }
  return {
    title: 'Gemini Live session with resumption',
    summaryMd: `A Gemini Live connection lasts about 10 minutes and audio-only sessions end after 15 minutes without context-window compression; the client stores each ${code('sessionResumptionUpdate')} handle and reconnects with it when ${code('goAway')} arrives.`,
    diagram: sequenceDiagram('Gemini Live session with resumption', {
      participants: parts,
      autonumber: true,
      steps: [
        { kind: 'message', from: 'client', to: 'server', text: 'POST /api/live/token' },
        { kind: 'message', from: 'server', to: 'client', text: 'ephemeral token (key stays server side)', style: 'reply' },
        { kind: 'message', from: 'client', to: 'model', text: 'WebSocket setup (resumption enabled)' },
        { kind: 'block', type: 'loop', label: 'conversation', steps: [
          { kind: 'message', from: 'client', to: 'model', text: 'realtimeInput audio chunks', style: 'async' },
          { kind: 'message', from: 'model', to: 'client', text: 'serverContent audio, sessionResumptionUpdate', style: 'async' },
        ] },
        { kind: 'message', from: 'model', to: 'client', text: 'goAway timeLeft', style: 'async' },
        { kind: 'message', from: 'client', to: 'model', text: 'new WebSocket, setup with last handle' },
      ],
    }),
  };
}

export const voice: ScenarioModule = {
  id: 'voice',
  title: 'Voice agent',
  features: ['voice'],
  words: ['voice', 'audio', 'speech', 'call', 'calls'],
  providers: ['openai-realtime', 'gemini-live', 'livekit'],
  needs: { bidirectional: true, binary: true, media: true, rooms: false },
  defaults: { connections: 200, msgRate: 100, payloadBytes: 256, fanout: 1, why: 'voice sessions are 1:1 with the provider; our server only sees token requests and tool events' },
  resume: (ctx) => ({ event: providersOf(ctx).includes('gemini-live') ? 'setup with the resumption handle' : 'a new session', cursor: providersOf(ctx).includes('gemini-live') ? 'newHandle' : 'conversation items replayed from the app', mutation: 'action:decision', key: 'callId' }),
  summaryMd: (ctx) =>
    `Voice agent over ${providersOf(ctx).map((p) => (p === 'openai-realtime' ? 'OpenAI Realtime (WebRTC)' : 'Gemini Live (WebSocket)')).join(' and ')}: server-issued ephemeral tokens, audio streamed directly to the provider, tool calls run in preview and applied only after the user approves.`,
  events: (ctx) => [
    ...providersOf(ctx).flatMap(providerEvents),
    ev('action:proposed', 'server-to-client', 'app/actions', 'A tool call turned into a previewable action (preview mode, nothing applied)', 'ActionProposedPayload',
      [f('callId', 'string'), f('name', 'string'), f('args', 'Record<string, unknown>'), f('preview', 'Record<string, unknown>')]),
    ev('action:decision', 'client-to-server', 'app/actions', 'The user approves or rejects a proposed action', 'ActionDecisionPayload',
      [f('callId', 'string'), f('approved', 'boolean')], [f('callId', 'string'), f('status', "'applied' | 'rejected' | 'expired'")]),
  ],
  flows: (ctx) => [
    ...providersOf(ctx).map((p) => sessionFlow(ctx, p)),
    {
      title: 'Tool call in preview, applied after approval',
      summaryMd: 'The model never changes user data directly: the ActionExecutor renders a preview, waits for the user, applies on approval and reports the result to the model either way.',
      diagram: sequenceDiagram('Tool call in preview, applied after approval', {
        participants: [
          { key: 'user', label: 'User', actor: true },
          { key: 'client', label: ctx.labels.client },
          { key: 'exec', label: 'ActionExecutor (preview mode)' },
          { key: 'model', label: 'Voice model' },
        ],
        steps: [
          { kind: 'message', from: 'model', to: 'client', text: 'tool call (call_id, name, arguments)', style: 'async' },
          { kind: 'message', from: 'client', to: 'exec', text: 'validate args, run in preview' },
          { kind: 'message', from: 'exec', to: 'user', text: 'action:proposed with preview', style: 'reply' },
          { kind: 'block', type: 'alt', label: 'approved within 60 s', steps: [
            { kind: 'message', from: 'user', to: 'exec', text: 'action:decision approved' },
            { kind: 'message', from: 'exec', to: 'client', text: 'apply, result', style: 'reply' },
          ], else: [{ label: 'rejected or timed out', steps: [
            { kind: 'message', from: 'exec', to: 'client', text: 'discard preview', style: 'reply' },
          ] }] },
          { kind: 'message', from: 'client', to: 'model', text: 'tool result (applied or declined)' },
        ],
      }),
    },
  ],
  sync: () => [
    { data: 'pending tool actions', strategy: 'Server-authoritative state machine (proposed → applied/rejected/expired)', whyMd: 'An action must apply at most once; a single owner with idempotent `callId` guarantees it.' },
  ],
  risks: (ctx) => [
    ...(providersOf(ctx).includes('openai-realtime')
      ? [{ title: 'Ephemeral secret expires before use', riskMd: 'OpenAI client secrets last about a minute; a slow SDP exchange fails.', mitigationMd: 'Fetch the secret right before `createOffer`, retry once with a fresh one on 401.' }]
      : []),
    ...(providersOf(ctx).includes('gemini-live')
      ? [
          { title: 'Session limit reached mid-conversation', riskMd: 'Gemini Live ends audio-only sessions after 15 minutes and connections after about 10 unless resumed.', mitigationMd: 'Enable context-window compression and session resumption; reconnect on `goAway` with the last handle.' },
          { title: 'Project concurrency quota', riskMd: 'Gemini Live allows up to 1,000 concurrent sessions per project; a reconnect storm can hit it.', mitigationMd: 'Jittered reconnects, close idle sessions after 2 minutes of silence, and alert at 80% of the quota.' },
        ]
      : []),
    { title: 'Tool call applied twice', riskMd: 'A reconnect replays a tool call the user already approved.', mitigationMd: `Key applied actions by ${code('callId')} and ignore repeats.` },
    ...(ctx.input.analysis.stack.auth.some((a) => a.kind === 'api-key-in-client')
      ? [{ title: 'API key shipped to the browser', riskMd: 'The project exposes a provider key in client code (see findings).', mitigationMd: 'Move it to the server token route and rotate the exposed key.' }]
      : []),
  ],
  tests: () => [
    'token route returns an ephemeral secret and never the API key (assert on the response body)',
    'a proposed action changes nothing until action:decision approved',
    'goAway → reconnect with the stored handle (provider stubbed on 127.0.0.1)',
  ],
  steps: (ctx) => [
    { title: 'Ephemeral token route', files: [{ path: serverFile(ctx, 'voice-token'), action: 'create', why: 'mint short-lived provider secrets for the signed-in user' }], detailMd: 'Rate-limit per user (e.g. 10 per minute); the provider key comes from the server environment only.' },
    { title: 'Voice client and ActionExecutor', files: [
      { path: clientFile(ctx, 'voice-client'), action: 'create', why: 'WebRTC/WebSocket session, reconnection, resumption handle' },
      { path: clientFile(ctx, 'action-executor'), action: 'create', why: 'preview mode, approval, apply by callId' },
    ], detailMd: 'Tool arguments are validated with the same schemas as the rest of the protocol.' },
  ],
  errors: [
    { code: 'TOKEN_EXPIRED', when: 'the ephemeral secret expired before the session opened', clientMd: 'fetch a new secret once, then show an error' },
    { code: 'SESSION_LIMIT', when: 'provider session or concurrency limit reached', clientMd: 'resume with the handle or ask the user to retry' },
  ],
  metrics: [
    { name: 'voice_sessions_active', type: 'gauge', labels: 'provider', whyMd: 'against the provider concurrency quota' },
    { name: 'voice_tool_actions_total', type: 'counter', labels: 'name,decision', whyMd: 'approval rate per tool' },
  ],
};
