// Provider protocols spoken over the app's own channels: the OpenAI Realtime events a browser
// sends on the `oai-events` data channel (or a server over a WebSocket) as `{ type }` JSON, and
// the Gemini Live messages, one top-level key each (`{ realtimeInput: … }`, `msg.serverContent`).
// Such events belong to the provider's protocol, not to the app's envelope: they are marked
// with it and take the direction the protocol fixes (client → provider or provider → client),
// whichever side of the app speaks them. Only files that talk to the provider are read.
// https://platform.openai.com/docs/api-reference/realtime-client-events
// https://platform.openai.com/docs/api-reference/realtime-server-events
// https://ai.google.dev/api/live (BidiGenerateContentClientMessage / ServerMessage)
import type { Direction } from '../../types.js';
import type { RawEvent } from '../code/events.js';
import type { FileAnalysis } from '../code/scan.js';

interface Protocol {
  name: string;
  /** The file talks to this provider: its URL, data channel label or SDK. */
  speaks: (a: FileAnalysis) => boolean;
  direction: (event: string) => Exclude<Direction, 'both'> | null;
}

const OPENAI_CLIENT = new Set([
  'session.update',
  'input_audio_buffer.append',
  'input_audio_buffer.commit',
  'input_audio_buffer.clear',
  'conversation.item.create',
  'conversation.item.retrieve',
  'conversation.item.truncate',
  'conversation.item.delete',
  'response.create',
  'response.cancel',
  'output_audio_buffer.clear',
  'transcription_session.update',
]);
const OPENAI_SERVER =
  /^(error|session\.(created|updated)|transcription_session\.(created|updated)|conversation\.(created|item\.[a-z_.]+)|input_audio_buffer\.(committed|cleared|speech_started|speech_stopped|timeout_triggered|dtmf_event_received)|output_audio_buffer\.(started|stopped|cleared)|response\.[a-z_.]+|rate_limits\.updated)$/;

const GEMINI_CLIENT = new Set(['setup', 'clientContent', 'realtimeInput', 'toolResponse']);
const GEMINI_SERVER = new Set(['setupComplete', 'serverContent', 'toolCall', 'toolCallCancellation', 'goAway', 'sessionResumptionUpdate', 'usageMetadata']);

// The livekit-client Room events (RoomEvent members, or their camelCase string values) a browser listens to:
// the SDK's own, delivered by the LiveKit server, never the app's envelope.
// https://docs.livekit.io/reference/client-sdk-js/enums/RoomEvent.html
const LIVEKIT_ROOM =
  /^(connected|reconnecting|signalReconnecting|reconnected|disconnected|connectionStateChanged|participantConnected|participantDisconnected|participantActive|trackPublished|trackSubscribed|trackSubscriptionFailed|trackUnpublished|trackUnsubscribed|trackMuted|trackUnmuted|localTrackPublished|localTrackUnpublished|activeSpeakersChanged|roomMetadataChanged|participantMetadataChanged|participantNameChanged|participantAttributesChanged|connectionQualityChanged|dataReceived|chatMessage|transcriptionReceived|mediaDevicesChanged|mediaDevicesError|audioPlaybackChanged|videoPlaybackChanged|trackStreamStateChanged|participantPermissionsChanged|recordingStatusChanged|encryptionError|dcBufferStatusChanged|activeDeviceChanged|metricsReceived)$/i;

/**
 * Where a provider hands the page one tool call, so that `<x>.name` there is the name of a tool the
 * page declared: the OpenAI Realtime events whose payload is one function call (its `name`, or its
 * `item.name`), and Gemini Live's `toolCall.functionCalls` list, one call per element.
 * https://platform.openai.com/docs/api-reference/realtime-server-events/response/function_call_arguments/done
 * https://ai.google.dev/api/live#BidiGenerateContentToolCall
 */
export const TOOL_CALL_SOURCES = {
  events: new Set([
    'response.function_call_arguments.done',
    'response.output_item.done',
    'conversation.item.added',
    'conversation.item.done',
    'conversation.item.created',
  ]),
  /** A read of the call's name inside such an event's case: `event.name`, `event.item.name`. */
  eventName: /^[\w$]+(\.item)?\.name$/,
  /** A loop over a list of calls (its element's `name`). */
  lists: /(^|\.)toolCall\.functionCalls$/,
  listName: /^[\w$]+\.name$/,
};

const mentions = (a: FileAnalysis, re: RegExp): boolean => a.ctx.facts.strings.some((s) => re.test(s.value));

export const PROVIDER_PROTOCOLS: readonly Protocol[] = [
  {
    name: 'openai-realtime',
    speaks: (a) => a.entries.some((e) => e.provider === 'openai-realtime') || mentions(a, /api\.openai\.com\/v1\/realtime|^oai-events$/),
    direction: (e) => (OPENAI_CLIENT.has(e) ? 'client-to-server' : OPENAI_SERVER.test(e) ? 'server-to-client' : null),
  },
  {
    name: 'gemini-live',
    speaks: (a) => a.entries.some((e) => e.provider === 'gemini-live') || mentions(a, /generativelanguage\.googleapis\.com|BidiGenerateContent/),
    direction: (e) => (GEMINI_CLIENT.has(e) ? 'client-to-server' : GEMINI_SERVER.has(e) ? 'server-to-client' : null),
  },
  {
    name: 'livekit',
    speaks: (a) => a.entries.some((e) => e.provider === 'livekit'),
    direction: (e) => (LIVEKIT_ROOM.test(e) ? 'server-to-client' : null),
  },
];

/** The raw-socket Gemini messages of a file: `JSON.stringify({ realtimeInput: … })` sent, `msg.serverContent` read. */
function geminiMessages(a: FileAnalysis): RawEvent[] {
  const out: RawEvent[] = [];
  const base = { side: 'client' as const, transport: 'websocket' as const, file: a.file };
  for (const c of a.ctx.facts.calls) {
    if (c.path !== 'JSON.stringify') continue;
    for (const key of Object.keys(c.args[0]?.props ?? {})) if (GEMINI_CLIENT.has(key)) out.push({ ...base, name: key, act: 'emit', line: c.line });
  }
  for (const m of a.ctx.facts.members) {
    const key = m.path.split('.')[1];
    if (key && GEMINI_SERVER.has(key)) out.push({ ...base, name: key, act: 'handle', line: m.line });
  }
  return out;
}

/** Mark the events of files that speak a provider's protocol, and add raw-socket Gemini messages. */
export function withProviderProtocols(analyses: readonly FileAnalysis[], raw: readonly RawEvent[]): RawEvent[] {
  const byFile = new Map(analyses.map((a) => [a.file, a]));
  const extra = analyses.filter((a) => PROVIDER_PROTOCOLS[1]?.speaks(a)).flatMap(geminiMessages);
  const seen = new Set(raw.map((e) => `${e.file}\u0000${e.line}\u0000${e.name}`));
  const all: RawEvent[] = [...raw, ...extra.filter((e) => !seen.has(`${e.file}\u0000${e.line}\u0000${e.name}`))];
  return all.map((e) => {
    const a = byFile.get(e.file);
    for (const p of PROVIDER_PROTOCOLS) {
      const dir = a && p.speaks(a) ? p.direction(e.name) : null;
      if (dir) return { ...e, protocol: p.name, fixed: dir };
    }
    return e;
  });
}
