// Voice agents. OpenAI Realtime over WebRTC (browser connects directly with a
// client secret minted per session start), Gemini Live over WebSocket (session limits, GoAway,
// resumption handles) and LiveKit rooms (SFU, a LiveKit Agents worker as the AI participant,
// join tokens from our server). Provider keys never reach the browser, and model tool calls
// only change user data after the user approves a preview.
import type { EventSpec } from '../../types.js';
import { type DesignCtx, tokenRequestMd } from '../context.js';
import type { EdgeCase, Flow } from '../types.js';
import { sequenceDiagram, type SeqStep } from '../../diagrams/builders.js';
import { code, list } from '../md.js';
import { ev, f, type ScenarioModule } from './kit.js';
import { OPENAI_SECRET_SECONDS, PROVIDER_WIRE, concurrencyMd, existingTokenRoute, genaiUpgrade, providersOf, type VoiceProvider } from './voice-providers.js';
import { voiceSteps } from './voice-steps.js';
import { toolPolicy, toolPolicyMd } from './voice-tools.js';

export { providersOf } from './voice-providers.js';
import { agentOnly, VOICE } from '../profiles/voice.js';

/** The provider's own protocol events, marked as such: the app neither renames nor wraps them. */
function providerEvents(provider: VoiceProvider): EventSpec[] {
  return providerProtocolEvents(provider).map((e) => ({ ...e, protocol: provider }));
}

const PROVIDER_EVENTS: Record<VoiceProvider, () => EventSpec[]> = {
  'openai-realtime': () => {
    const ch = 'oai-events';
    return [
      ev('session.update', 'client-to-server', ch, 'Configure voice, tools and turn detection (OpenAI data channel)', 'OaiSessionUpdate', [
        f('type', "'session.update'"),
        f('session', 'Record<string, unknown>'),
      ]),
      ev('response.function_call_arguments.done', 'server-to-client', ch, 'The model wants a tool run (OpenAI)', 'OaiFunctionCallDone', [
        f('type', "'response.function_call_arguments.done'"),
        f('call_id', 'string'),
        f('name', 'string'),
        f('arguments', 'string', 'JSON text; validate before use'),
      ]),
      ev('conversation.item.create', 'client-to-server', ch, 'Return a tool result to the model (function_call_output item)', 'OaiConversationItemCreate', [
        f('type', "'conversation.item.create'"),
        f('item', 'Record<string, unknown>', '{ type: function_call_output, call_id, output }'),
      ]),
    ];
  },
  livekit: () => {
    const ch = 'livekit-room';
    return [
      ev(
        'ParticipantConnected',
        'server-to-client',
        ch,
        'A participant joined the room; the agent is the one whose kind is agent (LiveKit room event)',
        'LkParticipantConnected',
        [f('identity', 'string'), f('kind', "'standard' | 'agent'", 'ParticipantKind')],
      ),
      ev(
        'confirmAction',
        'server-to-client',
        ch,
        "LiveKit RPC the agent performs on the user's participant before a tool changes data; the browser answers with the decision",
        'LkConfirmActionRpc',
        [f('callId', 'string'), f('name', 'string'), f('args', 'Record<string, unknown>'), f('preview', 'Record<string, unknown>')],
        [f('approved', 'boolean')],
      ),
    ];
  },
  'gemini-live': () => {
    const ch = 'gemini-live';
    return [
      ev('toolCall', 'server-to-client', ch, 'The model wants one or more functions run (Gemini Live)', 'GeminiToolCall', [
        f('functionCalls', 'Record<string, unknown>[]', 'id, name, args'),
      ]),
      ev('toolResponse', 'client-to-server', ch, 'Results of the function calls (Gemini Live)', 'GeminiToolResponse', [
        f('functionResponses', 'Record<string, unknown>[]', 'id, name, response'),
      ]),
      ev(
        'toolCallCancellation',
        'server-to-client',
        ch,
        'Function calls the model no longer wants (the user interrupted the turn): drop their previews',
        'GeminiToolCallCancellation',
        [f('ids', 'string[]')],
      ),
      ev('goAway', 'server-to-client', ch, 'The connection will close soon; reconnect with the resumption handle', 'GeminiGoAway', [f('timeLeft', 'string')]),
      ev('sessionResumptionUpdate', 'server-to-client', ch, 'New handle to resume the session on another connection', 'GeminiSessionResumptionUpdate', [
        f('newHandle', 'string'),
        f('resumable', 'boolean'),
      ]),
    ];
  },
};

function providerProtocolEvents(provider: VoiceProvider): EventSpec[] {
  return PROVIDER_EVENTS[provider]();
}

/** Where tokens are minted: the project's existing route, its server, or a server still to add. */
export function tokenRouteLabel(ctx: DesignCtx): string {
  const route = existingTokenRoute(ctx);
  if (route) return `Token route (${route.file})`;
  return ctx.layout.serverEntry ? `Token route (${ctx.layout.serverEntry})` : 'Token route (backend to add)';
}

const SESSION_FLOWS: Record<VoiceProvider, (ctx: DesignCtx) => Flow> = {
  'openai-realtime': (ctx: DesignCtx) => {
    const server = { key: 'server', label: tokenRouteLabel(ctx) };
    const user = { key: 'user', label: 'User', actor: true };
    const client = { key: 'client', label: ctx.labels.client };
    return {
      title: 'Open an OpenAI Realtime session over WebRTC',
      summaryMd: `The browser asks our server for a client secret, minted per session start with ${code(`expires_after: { anchor: 'created_at', seconds: ${OPENAI_SECRET_SECONDS} }`)} (this plan's choice; the API default is 600 s), then negotiates WebRTC directly with OpenAI; audio flows as media tracks and events on the ${code('oai-events')} data channel. The secret only gates starting a session: the session continues after it expires.`,
      diagram: sequenceDiagram('Open an OpenAI Realtime session over WebRTC', {
        participants: [user, client, server, { key: 'model', label: 'OpenAI Realtime' }],
        autonumber: true,
        steps: [
          { kind: 'message', from: 'user', to: 'client', text: 'start talking' },
          { kind: 'message', from: 'client', to: 'server', text: tokenRequestMd(ctx, 'POST') },
          { kind: 'message', from: 'server', to: 'model', text: `POST /v1/realtime/client_secrets, expires_after ${OPENAI_SECRET_SECONDS} s` },
          { kind: 'message', from: 'server', to: 'client', text: 'client secret value (API key stays server side)', style: 'reply' },
          { kind: 'message', from: 'client', to: 'model', text: 'SDP offer: POST /v1/realtime/calls (Bearer client secret)' },
          { kind: 'message', from: 'model', to: 'client', text: 'SDP answer', style: 'reply' },
          {
            kind: 'block',
            type: 'par',
            label: 'audio',
            steps: [{ kind: 'message', from: 'client', to: 'model', text: 'microphone track', style: 'async' }],
            else: [
              { label: 'events', steps: [{ kind: 'message', from: 'model', to: 'client', text: 'oai-events: audio transcript, tool calls', style: 'async' }] },
            ],
          },
        ],
      }),
    };
  },
  livekit: (ctx: DesignCtx) => {
    const server = { key: 'server', label: tokenRouteLabel(ctx) };
    const user = { key: 'user', label: 'User', actor: true };
    const client = { key: 'client', label: ctx.labels.client };
    return {
      title: 'Join a LiveKit voice room with an agent',
      summaryMd: `The browser gets a join token from our server (identity = the signed-in user, a grant for that room only), connects to the LiveKit server, and a LiveKit Agents worker joins the same room as the AI participant; audio flows as tracks through the SFU. The token is checked only at the first connect: LiveKit refreshes it for reconnects.`,
      diagram: sequenceDiagram('Join a LiveKit voice room with an agent', {
        participants: [user, client, server, { key: 'sfu', label: 'LiveKit server (SFU)' }, { key: 'agent', label: 'Agent worker (LiveKit Agents)' }],
        autonumber: true,
        steps: [
          { kind: 'message', from: 'user', to: 'client', text: 'join voice room' },
          { kind: 'message', from: 'client', to: 'server', text: tokenRequestMd(ctx, 'GET') },
          { kind: 'message', from: 'server', to: 'client', text: 'AccessToken JWT: identity from session, roomJoin grant, TTL', style: 'reply' },
          { kind: 'message', from: 'client', to: 'sfu', text: 'room.connect(url, token)' },
          { kind: 'message', from: 'sfu', to: 'agent', text: 'dispatch agent job for the room', style: 'async' },
          { kind: 'message', from: 'agent', to: 'sfu', text: 'join as agent participant' },
          { kind: 'message', from: 'sfu', to: 'client', text: 'ParticipantConnected (kind agent)', style: 'async' },
          {
            kind: 'block',
            type: 'par',
            label: 'user audio',
            steps: [
              { kind: 'message', from: 'client', to: 'sfu', text: 'microphone track', style: 'async' },
              { kind: 'message', from: 'sfu', to: 'agent', text: 'subscribed track', style: 'async' },
            ],
            else: [
              {
                label: 'agent audio',
                steps: [
                  { kind: 'message', from: 'agent', to: 'sfu', text: 'speech track', style: 'async' },
                  { kind: 'message', from: 'sfu', to: 'client', text: 'TrackSubscribed', style: 'async' },
                ],
              },
            ],
          },
        ],
      }),
    };
  },
  'gemini-live': (ctx: DesignCtx) => {
    const server = { key: 'server', label: tokenRouteLabel(ctx) };
    const user = { key: 'user', label: 'User', actor: true };
    const client = { key: 'client', label: ctx.labels.client };
    return {
      title: 'Gemini Live session with resumption',
      summaryMd: `A Gemini Live connection lasts about 10 minutes and audio-only sessions end after 15 minutes without context-window compression; the client stores each ${code('sessionResumptionUpdate')} handle and reconnects with it when ${code('goAway')} arrives. The token comes from ${code('ai.authTokens.create')} on our server (defaults: 1 use, new sessions within 1 minute, expiry after 30 minutes).`,
      diagram: sequenceDiagram('Gemini Live session with resumption', {
        participants: [user, client, server, { key: 'model', label: 'Gemini Live' }],
        autonumber: true,
        steps: [
          { kind: 'message', from: 'client', to: 'server', text: tokenRequestMd(ctx, 'POST') },
          { kind: 'message', from: 'server', to: 'client', text: 'ephemeral token name (key stays server side)', style: 'reply' },
          { kind: 'message', from: 'client', to: 'model', text: 'WebSocket setup, apiKey = token, v1alpha, resumption on' },
          {
            kind: 'block',
            type: 'loop',
            label: 'conversation',
            steps: [
              { kind: 'message', from: 'client', to: 'model', text: 'realtimeInput audio chunks', style: 'async' },
              { kind: 'message', from: 'model', to: 'client', text: 'serverContent audio, sessionResumptionUpdate', style: 'async' },
            ],
          },
          { kind: 'message', from: 'model', to: 'client', text: 'goAway timeLeft', style: 'async' },
          { kind: 'message', from: 'client', to: 'model', text: 'new WebSocket, setup with last handle' },
        ],
      }),
    };
  },
};

function sessionFlow(ctx: DesignCtx, provider: VoiceProvider): Flow {
  return SESSION_FLOWS[provider](ctx);
}

function approvalFlow(ctx: DesignCtx): Flow {
  if (agentOnly(providersOf(ctx))) {
    return {
      title: 'Tool call in preview, applied after approval',
      summaryMd: `The agent worker runs the tool on our side: it computes a preview, asks the user's participant with the ${code('confirmAction')} LiveKit RPC (response timeout 60 s), and applies only on approval; the model gets the result either way.`,
      diagram: sequenceDiagram('Tool call in preview, applied after approval', {
        participants: [
          { key: 'user', label: 'User', actor: true },
          { key: 'client', label: ctx.labels.client },
          { key: 'agent', label: 'Agent worker (function tool)' },
          { key: 'model', label: 'Voice model' },
        ],
        steps: [
          { kind: 'message', from: 'model', to: 'agent', text: 'function call (name, arguments)', style: 'async' },
          { kind: 'message', from: 'agent', to: 'client', text: 'performRpc confirmAction (callId, preview)' },
          { kind: 'message', from: 'client', to: 'user', text: 'show preview' },
          {
            kind: 'block',
            type: 'alt',
            label: 'approved within 60 s',
            steps: [
              { kind: 'message', from: 'client', to: 'agent', text: 'approved: true', style: 'reply' },
              { kind: 'message', from: 'agent', to: 'agent', text: 'apply by callId' },
            ],
            else: [
              {
                label: 'rejected or timed out',
                steps: [{ kind: 'message', from: 'client', to: 'agent', text: 'approved: false or RPC timeout', style: 'reply' }],
              },
            ],
          },
          { kind: 'message', from: 'agent', to: 'model', text: 'tool result (applied or declined)' },
        ],
      }),
    };
  }
  const policy = toolPolicy(ctx.input.analysis);
  const names = (ts: readonly { name: string }[]): string => ts.map((t) => t.name).join(', ');
  const approval: SeqStep[] = [
    {
      kind: 'message',
      from: 'client',
      to: 'exec',
      text: policy?.gated.length ? `validate args, run ${names(policy.gated)} in preview` : 'validate args, run in preview',
    },
    { kind: 'message', from: 'exec', to: 'user', text: `show preview (${idOf(ctx)})`, style: 'reply' },
    {
      kind: 'block',
      type: 'alt',
      label: 'approved',
      steps: [
        { kind: 'message', from: 'user', to: 'exec', text: 'approve' },
        { kind: 'message', from: 'exec', to: 'client', text: 'apply, result', style: 'reply' },
      ],
      // A call nobody answers keeps the model waiting: a rejected or abandoned preview still sends a result.
      else: [
        {
          label: 'rejected or timed out (timeout set by the app)',
          steps: [{ kind: 'message', from: 'exec', to: 'client', text: 'discard preview, error result', style: 'reply' }],
        },
      ],
    },
  ];
  // Read-only tools run at once; the approval branch is for the ones that change something.
  const branches: SeqStep[] = policy?.direct.length
    ? [
        {
          kind: 'block',
          type: 'alt',
          label: `read-only: ${names(policy.direct)}`,
          steps: [
            { kind: 'message', from: 'client', to: 'exec', text: `validate args, run ${names(policy.direct)} (no approval)` },
            { kind: 'message', from: 'exec', to: 'client', text: 'result', style: 'reply' },
          ],
          else: [
            { label: policy.gated.length ? `changes something: ${names(policy.gated)}` : 'a tool that changes something (none declared yet)', steps: approval },
          ],
        },
      ]
    : approval;
  return {
    title: policy?.direct.length
      ? 'Tool call: read-only tools run at once, the others in preview until approved'
      : 'Tool call in preview, applied after approval',
    summaryMd: [
      toolPolicyMd(ctx.input.analysis),
      policy?.direct.length
        ? 'A tool that changes user data never does so directly: the ActionExecutor renders a preview, waits for the user, applies on approval and reports the result to the model either way.'
        : 'The model never changes user data directly: the ActionExecutor renders a preview, waits for the user, applies on approval and reports the result to the model either way.',
      ...providersOf(ctx).map((p) => VOICE[p].toolRulesMd),
    ]
      .filter((t) => t !== '')
      .join(' '),
    diagram: sequenceDiagram('Tool call in preview, applied after approval', {
      participants: [
        { key: 'user', label: 'User', actor: true },
        { key: 'client', label: ctx.labels.client },
        { key: 'exec', label: 'ActionExecutor (preview mode)' },
        { key: 'model', label: 'Voice model' },
      ],
      steps: [
        { kind: 'message', from: 'model', to: 'client', text: callStep(ctx), style: 'async' },
        ...branches,
        { kind: 'message', from: 'client', to: 'model', text: resultStep(ctx) },
      ],
    }),
  };
}

/** The field that identifies a tool call: the provider's own when the plan has one provider. */
export function idOf(ctx: DesignCtx): string {
  const ps = providersOf(ctx);
  return ps.length === 1 ? VOICE[ps[0]!].toolCallId : 'callId';
}

/** The provider's own message for a tool call when the plan has one provider, else a generic step. */
function callStep(ctx: DesignCtx): string {
  const ps = providersOf(ctx);
  return ps.length === 1 ? VOICE[ps[0]!].toolCallStep : 'tool call (call id, name, arguments)';
}

/** The provider's own message for a tool result when the plan has one provider, else a generic step. */
function resultStep(ctx: DesignCtx): string {
  const ps = providersOf(ctx);
  return ps.length === 1 ? VOICE[ps[0]!].toolResultStep : 'tool result (applied or declined)';
}

const PROVIDER_RISKS: Record<VoiceProvider, (ctx: DesignCtx) => EdgeCase[]> = {
  'openai-realtime': (ctx: DesignCtx) => {
    return [
      {
        title: 'Client secret expires before the SDP exchange',
        riskMd: `With ${code(`expires_after.seconds: ${OPENAI_SECRET_SECONDS}`)} (this plan's choice; the API default is 600 s), a slow microphone prompt or SDP exchange can outlast the secret.`,
        mitigationMd:
          'Mint the secret after the microphone permission, right before `createOffer`; on a 401 from the SDP request mint once more and retry. A session that already started is not affected by the expiry.',
      },
      {
        title: 'Leaked client secret starts extra sessions',
        riskMd: 'A client secret can start several sessions until it expires, so a copied secret is usable by someone else for its whole lifetime.',
        mitigationMd:
          'Keep the expiry short, mint only for an authenticated user with a per-user limit, never log the secret, and count sessions per user in the metrics.',
      },
      {
        title: 'Session reaches its maximum duration',
        riskMd: `An OpenAI Realtime session has a maximum duration, after which the provider ends it with an ${code('error')} event; there is no handle to resume it.`,
        mitigationMd: `Time each session from ${code('session.created')}; before the limit, or on that error, mint a new client secret, start a new session and re-send the conversation context: the instructions plus a short summary of the conversation so far (${code('session.update')} or ${code('conversation.item.create')} text items), and any tool call still awaiting the user.`,
      },
    ];
  },
  livekit: (ctx: DesignCtx) => {
    const disconnected = ctx.input.analysis.events.find((e) => e.name === 'Disconnected' && e.evidence);
    const route = existingTokenRoute(ctx);
    return [
      {
        title: 'Participant identity chosen by the caller',
        riskMd:
          'LiveKit trusts the identity inside the join token; if the token route takes it from a query parameter or request body, anyone can join as anyone and receive their audio.',
        mitigationMd: `Authenticate the token request and set ${code('identity')} to the signed-in user's id; grant ${code('roomJoin')} only for rooms that user may enter${route ? ` (review the ${code('AccessToken')} call at ${code(`${route.file}:${route.line}`)})` : ''}.`,
      },
      {
        title: 'User speaks before the agent joined',
        riskMd: 'The room connects before the agent worker is dispatched, so the first words go nowhere.',
        mitigationMd: `Show "connecting the assistant" until ${code('ParticipantConnected')} with kind agent, and time out after 10 s with a retry; use explicit agent dispatch so every room gets exactly one agent.`,
      },
      {
        title: 'Network change mid-conversation',
        riskMd: 'Wi-Fi to mobile switches drop the media path.',
        mitigationMd: `The SDK resumes signalling and restarts ICE by itself; handle ${code('Reconnecting')}/${code('Reconnected')} in the UI and, on ${code('Disconnected')}${disconnected ? ` (handled today at ${code(disconnected.evidence!)})` : ''}, fetch a new token and rejoin with full-jitter backoff.`,
      },
    ];
  },
  'gemini-live': (ctx: DesignCtx) => {
    return [
      {
        title: 'Session limit reached mid-conversation',
        riskMd: 'Gemini Live ends audio-only sessions after 15 minutes and connections after about 10 unless resumed.',
        mitigationMd: 'Enable context-window compression and session resumption; reconnect on `goAway` with the last handle.',
      },
      {
        title: 'Resumption rejected for the ephemeral token',
        riskMd:
          'The documentation says resuming within `expireTime` does not count as a use, but a `uses: 1` token has been reported to fail on resume ("Token has been used too many times").',
        mitigationMd: 'On that close, mint a new token and resume with the same handle; never widen `uses` beyond what one conversation needs.',
      },
      {
        title: 'Project concurrency limit',
        riskMd: `${concurrencyMd('gemini-live', ctx.capacity.values.connections)}.`,
        mitigationMd: 'Jittered reconnects, close sessions after 2 minutes of silence, and alert at 80% of the limit that applies to this project.',
      },
    ];
  },
};

function providerRisks(ctx: DesignCtx, p: VoiceProvider): EdgeCase[] {
  return PROVIDER_RISKS[p](ctx);
}

export const voice: ScenarioModule = {
  id: 'voice',
  title: 'Voice agent',
  features: ['voice'],
  words: ['voice', 'audio', 'speech', 'call', 'calls'],
  // A model session (OpenAI Realtime, Gemini Live) is a voice agent by itself; a room platform that may hold people only selects it with other voice evidence.
  providers: (Object.keys(VOICE) as VoiceProvider[]).filter((p) => VOICE[p].modelSession),
  sharedProviders: (Object.keys(VOICE) as VoiceProvider[]).filter((p) => !VOICE[p].modelSession),
  // The LiveKit Agents framework exists only to run a voice agent.
  libraries: ['@livekit/agents'],
  needs: { bidirectional: true, binary: true, media: true, rooms: false },
  defaults: {
    connections: 200,
    msgRate: 100,
    payloadBytes: 256,
    fanout: 1,
    why: 'voice sessions are 1:1 with the provider, which carries the audio',
  },
  resume: (ctx) => {
    const ps = providersOf(ctx);
    // A voice session catches up by its provider's own mechanism (a resumption handle, a new session, the SDK's rejoin), never by a seq replay of ours.
    const catchUpMd = ps.map((p) => VOICE[p].catchUpMd).join(' ');
    const optimisticMd = `Nothing is applied optimistically: a tool call's preview stays a preview until the user approves it, and nothing is rolled back because nothing was applied.`;
    const offlineMd = `Nothing is queued offline: a voice session needs its provider connection, and a tool call still pending when the session drops is handled as Connection management says.`;
    if (ps.some((p) => VOICE[p].resumesConversation))
      return { event: 'setup with the resumption handle', cursor: 'newHandle', mutation: null, key: null, catchUpMd, optimisticMd, offlineMd };
    // The LiveKit SDK resumes by itself; a full rejoin only needs the room. The agent, not the browser, changes data.
    if (ps.some((p) => VOICE[p].signedJoinToken))
      return {
        event: 'room.connect (new join token)',
        cursor: 'roomName',
        mutation: null,
        key: null,
        catchUpLabel: 'Rejoining the LiveKit room (new join token)',
        catchUpMd,
        optimisticMd,
        offlineMd,
      };
    return {
      event: 'a new session',
      cursor: 'conversation items replayed from the app',
      recoverWithMd:
        "a new session on a newly minted token, to which the page re-sends the instructions and what it kept of the conversation, since the new session starts without the old one's",
      mutation: null,
      key: null,
      catchUpMd,
      optimisticMd,
      offlineMd,
    };
  },
  summaryMd: (ctx) => {
    const ps = providersOf(ctx);
    const tokens = agentOnly(ps)
      ? 'join tokens minted by our server for the signed-in user, audio through the LiveKit SFU to an agent worker'
      : 'server-issued ephemeral tokens, audio streamed directly to the provider';
    const policy = agentOnly(ps) ? null : toolPolicy(ctx.input.analysis);
    const tools = !policy
      ? 'tool calls run in preview and applied only after the user approves'
      : [
          policy.gated.length > 0
            ? `calls of ${list(policy.gated.map((t) => code(t.name)))} run in preview and apply only after the user approves`
            : 'a tool that changes something would run in preview and apply only after the user approves',
          ...(policy.direct.length > 0
            ? [`read-only ${list(policy.direct.map((t) => code(t.name)))} run${policy.direct.length === 1 ? 's' : ''} at once, without approval`]
            : []),
        ].join('; ');
    return `Voice agent over ${list(ps.map((p) => PROVIDER_WIRE[p]))}: ${tokens}, ${tools}.`;
  },
  // Tool calls arrive on the provider connection and are answered on it: the approval between
  // them is page state keyed by the provider's call id (or the agent worker's RPC), no event of ours.
  // One the code already reads stays in the list: the catalog keeps its evidence and types it by the provider's schema.
  events: (ctx) => providersOf(ctx).flatMap(providerEvents),
  flows: (ctx) => [...providersOf(ctx).map((p) => sessionFlow(ctx, p)), approvalFlow(ctx)],
  sync: (ctx) => [
    {
      data: 'pending tool actions',
      strategy: agentOnly(providersOf(ctx))
        ? 'Agent-owned state machine (proposed → applied/rejected/expired)'
        : `Page-local state per provider call ${code(idOf(ctx))} (pending → approved or rejected → output sent)`,
      whyMd: agentOnly(providersOf(ctx))
        ? 'An action must apply at most once; the agent worker owns it and keys it by `callId`.'
        : `The call arrives on the provider connection and its answer goes back on it: the page is its only owner, the first decision wins, so an action applies at most once.`,
    },
  ],
  risks: (ctx) => [
    ...providersOf(ctx).flatMap((p) => providerRisks(ctx, p)),
    {
      title: 'Tool call applied twice',
      riskMd:
        'The model asks again for a call the user already approved: its answer was lost with a dropped connection, or the conversation went on from a point before it.',
      mitigationMd: `Key applied actions by the call's ${code(idOf(ctx))} and ignore repeats; a call asked again after a reconnect may carry a new ${code(idOf(ctx))}, so one with the same name and arguments as an action applied just before the drop is shown as already applied, not applied again.`,
    },
    ...(ctx.input.analysis.stack.auth.some((a) => a.kind === 'api-key-in-client')
      ? [
          {
            title: 'API key shipped to the browser',
            riskMd: 'The project exposes a provider key in client code (see findings).',
            mitigationMd: 'Move it to the server token route and rotate the exposed key.',
          },
        ]
      : []),
  ],
  tests: (ctx) => {
    const ps = providersOf(ctx);
    return [
      ...(ps.some((p) => VOICE[p].signedJoinToken)
        ? ["the token route sets the JWT `sub` (identity) from the authenticated session, whatever the query string says, and grants only that user's room"]
        : []),
      ...(ps.some((p) => !VOICE[p].signedJoinToken) ? ['token route returns an ephemeral secret and never the API key (assert on the response body)'] : []),
      ...ps.flatMap((p) => VOICE[p].tokenTestsMd ?? []),
      agentOnly(ps)
        ? 'a tool whose confirmAction RPC answers approved: false or times out changes nothing (agent tested against a stubbed room)'
        : `a tool call changes nothing until the user approves its preview, and a rejected one is still answered with its ${code(idOf(ctx))}`,
      ...(agentOnly(ps)
        ? []
        : (toolPolicy(ctx.input.analysis)?.direct ?? []).map((t) => `a call of \`${t.name}\` runs at once and sends its output with no preview`)),
      ...ps.flatMap((p) => VOICE[p].resumeTestsMd ?? []),
    ];
  },
  steps: (ctx) => voiceSteps(ctx, providersOf(ctx), { genaiUpgrade: genaiUpgrade(ctx), route: existingTokenRoute(ctx) }),
  errors: [
    {
      code: 'TOKEN_EXPIRED',
      when: 'the provider token our token route minted expired before the session opened',
      clientMd: 'fetch a new one once, then show an error',
    },
    {
      code: 'SESSION_LIMIT',
      when: 'provider session or concurrency limit reached',
      clientMd:
        'at the session limit, continue the conversation on a new connection as the edge cases say for this provider; at the concurrency limit, ask the user to retry later',
    },
  ],
  metrics: [
    { name: 'voice_sessions_active', type: 'gauge', labels: 'provider', whyMd: 'against the provider concurrency limit' },
    { name: 'voice_tool_actions_total', type: 'counter', labels: 'name,decision', whyMd: 'approval rate per tool' },
  ],
};
