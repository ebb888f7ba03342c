// One profile per voice provider: the wire the browser uses, who runs the tools, whether a
// dropped connection resumes the conversation, and the labels the Architecture, Connection and
// Security sections draw. Sections read these flags instead of comparing provider names.
// Sources: templates/knowledge/{openai-realtime,gemini-live,livekit}.md.
import type { Transport } from '../../types.js';
import type { VoiceProvider } from '../scenarios/voice-providers.js';
import { code, fmt } from '../md.js';

/** The client secret lifetime this plan chooses for OpenAI; the API default is 600 s. */
export const OPENAI_SECRET_SECONDS = 60;

export interface VoiceProfile {
  /** How the browser reaches the provider. */
  wire: Transport;
  /** Audio travels as WebRTC media (no TCP head-of-line blocking), not inside WebSocket messages. */
  mediaOverRtc: boolean;
  /** An agent worker joins the room as the AI participant and runs tools; the browser runs none. */
  agentRunsTools: boolean;
  /** The browser gets a join token our server signs locally, not an ephemeral secret minted by an API call. */
  signedJoinToken: boolean;
  /** A dropped connection continues the same conversation (a resumption handle). */
  resumesConversation: boolean;
  /** Every new session is billed, so retries are capped. */
  billedPerSession: boolean;
  /** The provider's node in the architecture diagram, and the browser's edge to it. */
  nodeLabel: string;
  edgeLabel: string;
  /** The channel name its events travel on in the catalog, and who may use it. */
  channel: string;
  channelRuleMd: string;
  /** What the browser does after a drop, for the client's component line. */
  clientDutyMd: string;
  /** How a tool result goes back to the model, approved or declined (the approval flow's last step). */
  toolResultStep: string;
  /** The provider's message that asks for a tool run, with its fields (the approval flow's first step). */
  toolCallStep: string;
  /** What happens to a call still awaiting the user when the connection drops or is renewed. */
  pendingOnReconnectMd: string;
  /**
   * WebRTC to the provider with no renegotiation: how long the plan waits in ICE `disconnected` for it to
   * recover by itself before it starts a new session (a `failed` state starts one at once).
   */
  iceWaitMs?: number;
  /** The field that identifies one tool call on this provider, and the provider events that move one (core design). */
  toolCallId: string;
  toolCallEvents: string[];
  /** How a dropped voice session catches up: the provider's own mechanism, never a seq replay of ours. */
  catchUpMd: string;
  /** What the approval flow must handle on this provider: several calls per turn, interruptions, ids. */
  toolRulesMd: string;
  /** What the browser's voice client does on this provider, for its implementation step. */
  clientWhyMd: string;
  /** The provider's SDK must be at least this version for ephemeral tokens (the plan upgrades it first). */
  minSdk?: string;
  /** Detected from the stack's providers or named in the context, not only from voice SDK imports. */
  namedInContext?: RegExp;
  /** Concurrency limits, stated with their scope. */
  concurrencyMd: (sessions: number) => string;
  /**
   * The browser talks to a model: every turn waits for its answer, so the voice-turn budget applies.
   * False for a media room, which may hold people only (an agent joins it only when one is built).
   */
  modelSession: boolean;
  /** The provider's default turn-detection silence wait, part of every voice turn (openai-realtime.md). */
  turnSilenceMs?: { ms: number; setting: string };
  /**
   * The provider events that bound a voice turn as the browser sees it: the end of the user's
   * speech (null where the page marks it itself, as endOfSpeechMd says), and the first audio of the reply on each wire the provider offers. Absent where the
   * provider documents no such events; the plan then keeps the generic latency metric.
   */
  turnEvents?: { endOfSpeech: string | null; endOfSpeechMd: string; firstAudio: Partial<Record<Transport, string>> };
  /** A close the provider announces ahead: the client moves at once, without the failure backoff. */
  plannedCloseMd?: string;
  /** How a minted token is kept narrow, so a token taken from an unauthenticated route buys little. */
  narrowTokenMd: string;
  /**
   * What a reconnect storm asks of the token route, where the provider lets a resumed session keep its
   * token: most reconnects ask for none (absent: every reconnect is a new session with a new token).
   */
  stormTokensMd?: (sessions: string) => string;
  /** Tests of the token route specific to this provider, and of its resumption. */
  tokenTestsMd?: string[];
  resumeTestsMd?: string[];
}

export const VOICE: Record<VoiceProvider, VoiceProfile> = {
  'openai-realtime': {
    wire: 'webrtc',
    mediaOverRtc: true,
    agentRunsTools: false,
    modelSession: true,
    signedJoinToken: false,
    resumesConversation: false,
    billedPerSession: true,
    nodeLabel: 'OpenAI Realtime',
    edgeLabel: 'WebRTC audio + oai-events',
    channel: 'oai-events',
    channelRuleMd: 'provider connection, authorized by the ephemeral token',
    clientDutyMd: 'a new session with a fresh client secret after a drop',
    toolResultStep: 'conversation.item.create (function_call_output per call_id), then response.create',
    toolCallStep: 'response.function_call_arguments.done (call_id, name, arguments)',
    pendingOnReconnectMd:
      'On reconnect, re-render proposals still awaiting approval: the new session does not know their `call_id`s, so what the user decides reaches the model as context in that session, not as a `function_call_output`.',
    iceWaitMs: 5_000,
    toolCallId: 'call_id',
    toolCallEvents: ['response.function_call_arguments.done', 'conversation.item.create', 'response.create'],
    catchUpMd:
      'OpenAI Realtime: a dropped session cannot be resumed; the client starts a new session with a fresh client secret and re-sends the context the conversation needs (instructions, a short summary, and any tool call still awaiting the user). There is no seq of ours to replay.',
    clientWhyMd: 'fetch a client secret per session start, WebRTC session, one re-mint on 401',
    narrowTokenMd: `${code(`expires_after.seconds: ${OPENAI_SECRET_SECONDS}`)} and the session (model, instructions, tools) fixed by the server in the secret request`,
    tokenTestsMd: [
      `the token route sends ${code(`expires_after.seconds: ${OPENAI_SECRET_SECONDS}`)} and a 401 on the SDP request triggers exactly one re-mint`,
    ],
    concurrencyMd: () => "OpenAI Realtime limits depend on the organisation's usage tier (rate limits page of the account): check them before launch",
    turnSilenceMs: { ms: 500, setting: '`turn_detection.silence_duration_ms` (server VAD)' },
    // https://platform.openai.com/docs/api-reference/realtime-server-events: speech_stopped's
    // audio_end_ms includes the silence wait; output_audio_buffer.started is WebRTC/SIP only.
    turnEvents: {
      endOfSpeech: 'input_audio_buffer.speech_stopped',
      endOfSpeechMd: 'server VAD sends it once the silence wait has passed, so the wait is not inside the measured time',
      firstAudio: { webrtc: 'output_audio_buffer.started', websocket: 'response.output_audio.delta' },
    },
    // https://platform.openai.com/docs/guides/realtime-conversations#function-calling: the calls are the
    // `function_call` items of `response.done`'s `output`; a `response.create` sent while a response is still
    // active is refused with the error `conversation_already_has_active_response`.
    toolRulesMd:
      'OpenAI Realtime: one response can carry several function calls, and `response.function_call_arguments.done` arrives for each before that response ends; wait for its `response.done` (whose `output` lists every `function_call` item), answer every `call_id` with a `function_call_output` item (the result, or `{"declined": true}`) and only then send one `response.create`, since the model does not continue by itself and a `response.create` sent while a response is still active is refused (`conversation_already_has_active_response`). If server VAD cuts the response off because the user spoke while a call awaits approval, the call stays open: keep the preview, and still send its output once the user decides.',
  },
  'gemini-live': {
    wire: 'websocket',
    mediaOverRtc: false,
    agentRunsTools: false,
    modelSession: true,
    signedJoinToken: false,
    resumesConversation: true,
    billedPerSession: true,
    nodeLabel: 'Gemini Live',
    edgeLabel: 'WebSocket audio + tool calls',
    channel: 'gemini-live',
    channelRuleMd: 'provider connection, authorized by the ephemeral token',
    clientDutyMd: 'reconnection with the Gemini resumption handle',
    toolResultStep: 'toolResponse (functionResponses, one per call id)',
    toolCallStep: 'toolCall functionCalls (id, name, args)',
    // https://ai.google.dev/api/live#sessionresumptionupdate: no resumable handle while the model executes function calls.
    pendingOnReconnectMd:
      'A call still pending when the connection closes (`goAway` or a drop) is not carried over: Gemini sends no resumable handle while the model is executing function calls (`sessionResumptionUpdate` with `resumable: false`), so the latest handle predates the call and the resumed session has no call with that `id` to answer. Discard its preview (nothing was applied), never send that `id` on the new connection, and let the model ask again; on `goAway`, send the `toolResponse` of calls the user has already decided before the connection closes.',
    toolCallId: 'id',
    toolCallEvents: ['toolCall', 'toolResponse', 'toolCallCancellation'],
    catchUpMd:
      'Gemini Live: the client reconnects with the latest `sessionResumptionUpdate` handle (on `goAway` or a drop), and the provider continues the same conversation; there is no seq of ours to replay.',
    // https://ai.google.dev/gemini-api/docs/live-guide (audio formats): 16-bit PCM; output always 24 kHz; input resampled when its mimeType names its rate.
    clientWhyMd:
      "connect with the ephemeral token as `apiKey` and `apiVersion: 'v1alpha'`, store resumption handles, reconnect on `goAway`; send the microphone as 16-bit PCM mono chunks whose `mimeType` names the rate actually captured (`audio/pcm;rate=16000`, Gemini's native input rate; it resamples others), play the replies as the 24 kHz 16-bit PCM they always are, and on disconnect stop the microphone tracks and close the `AudioContext`",
    minSdk: '1.3.0',
    // The page marks the end of speech itself; the reply's audio arrives as `serverContent.modelTurn` parts (https://ai.google.dev/api/live).
    turnEvents: {
      endOfSpeech: null,
      endOfSpeechMd: "the page's own mark of the end of the user's speech (its microphone level staying below a threshold)",
      firstAudio: { websocket: 'serverContent.modelTurn' },
    },
    plannedCloseMd:
      '`goAway` announces a planned close: open the next connection at once with the latest resumption handle, with no delay; the backoff that follows is for failures only.',
    narrowTokenMd: '`uses: 1`, a short `expireTime` and `liveConnectConstraints` that fix the model and the session config',
    stormTokensMd: (sessions) =>
      `a reconnect storm asks for none while the tokens are within their \`expireTime\` (resuming a session does not count as a use), and for up to ${sessions} at once when they are past it or the provider rejects a resumption`,
    resumeTestsMd: ['goAway → reconnect with the stored handle (provider stubbed on 127.0.0.1)'],
    concurrencyMd: (sessions) =>
      `Gemini Live concurrency depends on the API: Vertex AI documents 1,000 concurrent sessions per project (${fmt(sessions)} sessions would be ${fmt(Math.round((sessions / 1000) * 100))}% of it), while on the Gemini Developer API, which ephemeral tokens require, the limit depends on the project's usage tier: check it before launch`,
    toolRulesMd:
      'Gemini Live: a `toolCall` message can list several function calls; answer them with `session.sendToolResponse({ functionResponses })`, each entry carrying its call `id` and `name` (a declined one with an error response), and drop a pending preview when `toolCallCancellation` names its id (the provider sends it when the user interrupts the turn).',
  },
  livekit: {
    wire: 'webrtc',
    mediaOverRtc: true,
    agentRunsTools: true,
    modelSession: false,
    signedJoinToken: true,
    resumesConversation: false,
    billedPerSession: false,
    nodeLabel: 'LiveKit server (SFU)',
    edgeLabel: 'WebRTC audio via the SFU + confirmAction RPC',
    channel: 'livekit-room',
    channelRuleMd: 'provider connection (LiveKit room), authorized by the join token our authenticated route mints for this user and one room',
    clientDutyMd: 'room reconnection (the LiveKit SDK resumes by itself)',
    toolResultStep: 'tool result (applied or declined)',
    toolCallStep: 'function call (name, arguments)',
    pendingOnReconnectMd:
      'Pending tool actions live in the agent worker: a confirmAction RPC that times out during the drop counts as declined, and the agent asks again after the rejoin.',
    toolCallId: 'callId',
    toolCallEvents: [],
    catchUpMd:
      'LiveKit: the client SDK resumes the room by itself; after `Disconnected` the client fetches a new join token and rejoins the same room, where the agent worker still holds the conversation. There is no seq of ours to replay.',
    toolRulesMd: '',
    clientWhyMd: 'fetch the join token, `room.connect`, register the `confirmAction` RPC, handle `Reconnecting`/`Reconnected`/`Disconnected`',
    namedInContext: /\blivekit\b/i,
    narrowTokenMd: 'a short `ttl` and a `roomJoin` grant for one room',
    concurrencyMd: () => 'LiveKit Cloud limits depend on the plan; a self-hosted server is bounded by its nodes (one room lives on one node)',
  },
};

/** The provider buildPlan assumes when none is named or detected. */
export const DEFAULT_VOICE_PROVIDER: VoiceProvider = 'openai-realtime';

export function isVoiceProvider(id: string): id is VoiceProvider {
  return Object.hasOwn(VOICE, id);
}

/** Every provider of the plan leaves tools to an agent worker (LiveKit Agents): no browser-side executor. */
export function agentOnly(ps: readonly VoiceProvider[]): boolean {
  return ps.every((p) => VOICE[p].agentRunsTools);
}

/** The provider whose events travel on `channel`, if any. */
export function voiceByChannel(channel: string): VoiceProfile | null {
  return Object.values(VOICE).find((v) => v.channel === channel) ?? null;
}

/** The order provider duties are listed in a client step that covers several providers. */
export const CLIENT_ORDER: readonly VoiceProvider[] = ['openai-realtime', 'gemini-live', 'livekit'];
