// What errors, fallbacks, slow-consumer signals and test clients look like on each runtime.
// Sections 12–14 read this instead of branching on transport or provider names: the standard
// codes and fallbacks themselves are in rt-plan's operations note, and a plan keeps only how
// they travel on its own runtime.
import type { RuntimeProfile } from './index.js';
import { code, fmt } from '../md.js';
import { sseServerApi } from './sse-server.js';

/** What a slow-consumer note reads: the thresholds (bufferLimits in ../ops.ts), where the server sends, the framework. */
export type BackpressureArgs = {
  softPackets: number;
  hardPackets: number;
  payloadBytes: number;
  fetchStream: boolean;
  sendsMd: string | null;
  /** The web framework the layout detected: an SSE stream is written with its API. */
  framework?: string | null;
  /** The thresholds in words (bufferLimits): "1 MiB", or sized from a stated per-client bandwidth. */
  softMd?: string;
  hardMd?: string;
  limitsWhyMd?: string;
  /** Some event may be dropped under load (BufferLimits.droppable); false: none is skipped. */
  droppable: boolean;
};

/** UDP blocked on a direct WebRTC call: TURN over 443, and a relay of ours only where the context lets audio pass our side. */
function udpBlockedMd(audioOffOurSideMd: string | null): string {
  return audioOffOurSideMd
    ? `UDP blocked: configure TURN over TCP/TLS 443. No relay through our server is proposed: it would bring the callers' audio onto our side, which conflicts with the context's must-not (${audioOffOurSideMd}).`
    : "UDP blocked: configure TURN over TCP/TLS 443, and as a last resort relay through the provider's WebSocket interface on our server.";
}

const WS_WATCH = (b: BackpressureArgs) =>
  b.droppable
    ? `Watch ${code('ws.bufferedAmount')} per connection${b.sendsMd ? ` where the server sends (today ${b.sendsMd})` : ''}: above ${b.softMd ?? '1 MiB'} (≈ ${fmt(b.softPackets)} messages at the ${fmt(b.payloadBytes)}-byte average) skip droppable events, above ${b.hardMd ?? '4 MiB'} disconnect the slow consumer (it resyncs on reconnect).${b.limitsWhyMd ?? ''}`
    : `Watch ${code('ws.bufferedAmount')} per connection${b.sendsMd ? ` where the server sends (today ${b.sendsMd})` : ''}: above ${b.hardMd ?? '4 MiB'} (≈ ${fmt(b.hardPackets)} messages at the ${fmt(b.payloadBytes)}-byte average) disconnect the slow consumer (it resyncs on reconnect); this plan has no droppable events, so none is skipped before that.${b.limitsWhyMd ?? ''}`;
/** In the project's web framework's own API (sse-server.ts): Node's `res.write()`/'drain', Hono's awaited `stream.writeSSE()`, a ReadableStream's `desiredSize`. */
const SSE_WATCH = (b: { fetchStream: boolean; framework?: string | null; droppable: boolean }) =>
  sseServerApi(b.framework ?? null).slowMd(b.fetchStream ? 'with the explicit resume request from the last chunk index' : 'with Last-Event-ID', b.droppable);

export type OpsKind = RuntimeProfile['id'] | 'supabase' | 'yjs';

export interface OpsProfile {
  /** How the standard codes reach the client here, in one sentence; null when rows say it per code. */
  signalsMd: string | null;
  /**
   * The same sentence where the client's own reconnect loop stops only on some close codes: the
   * auth refusal is the first of them (`codeMd`, tested at `atMd`), a close it can see and stop on.
   */
  signalsStopMd?: (codeMd: string, atMd: string) => string;
  /** The same sentence where no credential expires on an open connection (one shared secret): no expired-token close. */
  signalsNoExpiryMd?: string;
  /** The same sentence where the plan names no POST route (none in the code, none proposed): no answer to a POST to speak of. */
  signalsNoPostMd?: string;
  /** Per-code signals where the runtime has no error message of ours (Supabase, y-websocket, provider-direct). */
  rows?: Record<string, string>;
  /** What the client does instead of the note's default, where the runtime changes it. */
  client?: Record<string, { when?: string; clientMd: string }>;
  /** How a scenario's own codes travel. */
  moduleSignal: string;
  /** How an error that arises on the stream itself reaches the client, where that differs from moduleSignal. */
  streamSignal?: string;
  /** Runtime fallbacks that are not the note's standard ones. */
  fallbackMd: (opts: {
    sticky: boolean;
    websocketOnly: boolean;
    fetchStream: boolean;
    proxiedVoice: boolean;
    /** The context's sentence that keeps audio off our side (no recording, no storing): no relay of ours is proposed. */
    audioOffOurSideMd: string | null;
    logOrdered?: boolean;
    /** The replay route a polling fallback reads, proposed (the code has none): its method, path and file. */
    replayRouteMd?: string;
  }) => string[];
  /** The pub/sub between our nodes, when the analysis names none. */
  busLabel: string;
  /** The fallback polls a replay route, which the steps propose next to the stream's route. */
  pollsReplay?: true;
  /** The per-connection send buffer we can watch, or null where no socket of ours holds one. */
  buffer: { metric: 'send_buffer_packets' | 'send_buffer_bytes'; whyMd: string; packets: boolean } | null;
  /** What to watch on a slow consumer and when to drop or disconnect; absent where no socket of ours buffers. */
  backpressureMd?: (b: BackpressureArgs) => string;
  /**
   * The per-connection rate limit where the library's own frame rate and reconnect behaviour set
   * it, instead of rt-plan's 20× the modelled rate with a disconnect after repeated violations.
   */
  rateLimit?: { valueMd: string; sourceMd: string };
  /** The client the integration test connects with. */
  testClientMd: string;
  /** Which load-test skeleton of rt-plan's operations note fits; null where our side is only HTTP routes. */
  loadTool: 'artillery-socketio' | 'k6-ws' | 'k6-sse' | null;
}

const socketIoSignals = (ends: string) =>
  `a refused handshake is ${code('next(err)')} in ${code('io.use')} with ${code('err.data.code')} (client ${code('connect_error')}); every other code is the ack ${code('{ error: { code } }')}, else ${code('sys:error')}; ${ends} with ${code('socket.disconnect(true)')}, and a packet above ${code('maxHttpBufferSize')} closes the connection. Socket.IO retries neither a refused handshake nor a server-side disconnect: the client reconnects after a random 0–5 s delay.`;
const SOCKET_IO_SIGNALS = socketIoSignals(`an expired token and a repeated ${code('RATE_LIMITED')} end`);

const wsSignals = (auth: string) =>
  `${code('AUTH_FAILED')} is ${auth}, ${code('PAYLOAD_TOO_LARGE')} close 1009, ${code('INTERNAL')} close 1011, a repeated ${code('RATE_LIMITED')} close 1008, the rest ${code('sys:error')}, with ${code('replyTo')} when the message's ${code('id')} could be read (a frame that is not JSON, or carries no ${code('id')}, gets ${code('INVALID_PAYLOAD')} without it).`;
const WS_SIGNALS = wsSignals('HTTP 401 before the upgrade (close 4001 later)');

const SUPABASE_ROWS: Record<string, string> = {
  AUTH_FAILED: '`CHANNEL_ERROR` on `subscribe()` (expired or missing JWT); PostgREST 401 on writes',
  FORBIDDEN: '`CHANNEL_ERROR` on `subscribe()` (RLS on `realtime.messages` refused the join); RLS error on writes',
  RATE_LIMITED: 'Realtime quota reached: the join or `send()` is refused; PostgREST 429 on writes',
  PAYLOAD_TOO_LARGE: "`send()` refused above the plan's payload quota",
  INTERNAL: '`CHANNEL_ERROR` or `TIMED_OUT`; supabase-js rejoins by itself',
};

/** When each code happens on Supabase: a channel join or a write, not a handshake or a bucket of ours. */
const SUPABASE_CLIENT: Record<string, { when?: string; clientMd: string }> = {
  AUTH_FAILED: {
    when: 'missing, invalid or expired JWT when a channel joins or a write is sent',
    clientMd: 'refresh the session once, then sign the user out',
  },
  RATE_LIMITED: {
    when: 'a quota of the Supabase plan reached (messages per second, presence messages per second, channel joins, concurrent connections)',
    clientMd: 'back off before the next join or send, and drop typing and presence updates until then',
  },
  PAYLOAD_TOO_LARGE: {
    when: "a Broadcast or Presence payload above the plan's message size quota",
    clientMd: 'store the content as a row or a Storage object and send its id',
  },
  INTERNAL: { when: 'a failure inside Supabase Realtime or PostgREST', clientMd: 'retry with backoff; idempotency keys make it safe' },
};

/** A y-websocket document endpoint has no error message: refusals are HTTP statuses before the upgrade, the rest close codes. */
const YJS_ROWS: Record<string, string> = {
  AUTH_FAILED: 'HTTP 401 before the upgrade',
  FORBIDDEN: 'HTTP 403 before the upgrade (the user may not open this document)',
  INVALID_PAYLOAD: 'message dropped (unknown type byte or undecodable); close 1008 when repeated',
  // A close makes WebsocketProvider reconnect and resync the whole document: rate is never a close.
  RATE_LIMITED: 'no close: awareness frames over the limit are dropped, sync frames delayed',
  PAYLOAD_TOO_LARGE: 'close 1009 (`maxPayload`)',
  INTERNAL: 'close 1011',
  DOC_TOO_LARGE: 'close 1009 from the update hook',
};

/** What a Yjs client does on each: WebsocketProvider reconnects on any close, and the state-vector exchange resends lost edits. */
const YJS_CLIENT: Record<string, { when?: string; clientMd: string }> = {
  AUTH_FAILED: {
    clientMd:
      'the provider retries the same URL forever and a browser cannot read the 401: when attempts keep failing (`connection-close` without reaching `connected`), check the session over HTTP, then renew the credential (sign in again, or assign a fresh token to `provider.params`) or call `provider.disconnect()` and sign the user out',
  },
  INVALID_PAYLOAD: {
    when: 'a frame whose type byte is not 0 (sync) or 1 (awareness), or that does not decode',
    clientMd: 'bug: report the close code; the provider reconnects and resyncs',
  },
  RATE_LIMITED: { clientMd: 'nothing to handle: remote cursors lag and edits arrive late; the connection stays open' },
  INTERNAL: { clientMd: 'the provider reconnects; the state-vector exchange resends what was lost' },
  DOC_TOO_LARGE: { clientMd: 'block further edits and ask to split the document' },
};

const PROVIDER_ROWS: Record<string, string> = {
  AUTH_FAILED: 'token route 401 / provider closes the session',
  INVALID_PAYLOAD: 'ActionExecutor result or token route status',
  RATE_LIMITED: 'ActionExecutor result or token route status',
  INTERNAL: 'ActionExecutor result or token route status',
};

const BYTES_WHY = (what: string) => `${what} per connection: slow consumers`;

const none = () => [];

const WS_OPS: OpsProfile = {
  signalsMd: WS_SIGNALS,
  signalsStopMd: (c, at) =>
    wsSignals(
      `close ${c} right after the upgrade, the code the client's reconnect loop stops on (${at}; a browser sees a 401 before the upgrade only as close 1006, which it retries)`,
    ),
  moduleSignal: '`sys:error` with `replyTo`',
  busLabel: 'Redis pub/sub',
  fallbackMd: none,
  buffer: { metric: 'send_buffer_bytes', whyMd: BYTES_WHY(code('ws.bufferedAmount')), packets: false },
  backpressureMd: WS_WATCH,
  testClientMd: code('ws'),
  loadTool: 'k6-ws',
};

const OPS: Record<OpsKind, OpsProfile> = {
  'socket.io': {
    signalsMd: SOCKET_IO_SIGNALS,
    signalsNoExpiryMd: socketIoSignals(`a repeated ${code('RATE_LIMITED')} ends`),
    moduleSignal: 'ack `{ error: { code } }`, else `sys:error`',
    busLabel: '@socket.io/redis-adapter',
    fallbackMd: ({ sticky, websocketOnly }) => [
      websocketOnly
        ? "Clients and server use `transports: ['websocket']` (see Performance and scaling): where a proxy blocks WebSocket the client gets `connect_error` and no polling fallback, so the UI says live updates are unavailable on that network."
        : sticky
          ? 'Socket.IO starts on HTTP long-polling and upgrades to WebSocket; where WebSocket is blocked it stays on polling. Clients keep the default transports, and the load balancer pins each client to one node (see Performance and scaling), so the fallback works on every instance.'
          : 'Socket.IO starts on HTTP long-polling and upgrades to WebSocket; where WebSocket is blocked it stays on polling. Keep the default transports: with one instance no sticky sessions are needed; add them (IP hash or cookie) before a second instance.',
    ],
    buffer: {
      metric: 'send_buffer_packets',
      whyMd: `${code('socket.conn.writeBuffer.length')} per socket, sampled every 10 s: Engine.IO packets waiting for the transport (a count, not bytes)`,
      packets: true,
    },
    backpressureMd: (b) =>
      `Watch ${code('socket.conn.writeBuffer.length')}${b.sendsMd ? ` on the sockets the server emits to (today ${b.sendsMd})` : ''}, the Engine.IO packets queued for a socket (a count, not bytes; Socket.IO exposes no per-socket ${code('bufferedAmount')}): ${b.droppable ? `above ${fmt(b.softPackets)} packets (≈ ${b.softMd ?? '1 MiB'} at the ${fmt(b.payloadBytes)}-byte average) send droppable events with ${code('socket.volatile.emit')} or skip them, above ${fmt(b.hardPackets)} (≈ ${b.hardMd ?? '4 MiB'}) disconnect the slow consumer (it resyncs on reconnect)` : `above ${fmt(b.hardPackets)} packets (≈ ${b.hardMd ?? '4 MiB'} at the ${fmt(b.payloadBytes)}-byte average) disconnect the slow consumer (it resyncs on reconnect); this plan has no droppable events, so none is sent volatile before that`}. For an approximate byte count, add each packet's data length in an Engine.IO ${code('packetCreate')} listener and reset it on ${code('drain')}.`,
    testClientMd: code('socket.io-client'),
    loadTool: 'artillery-socketio',
  },
  ws: WS_OPS,
  // The same wire and close codes as ws, but the Workers runtime's WebSocket has no bufferedAmount:
  // no send-buffer metric or slow-consumer threshold (the runtime profile says what bounds a room instead).
  edge: { ...WS_OPS, buffer: null, backpressureMd: undefined },
  'sse-eventsource': {
    signalsMd: `${code('AUTH_FAILED')} is HTTP 401 on the stream (EventSource stops retrying), ${code('INTERNAL')} HTTP 500 or the stream ends, the rest HTTP 4xx on the POST and ${code('event: sys:error')} on the stream.`,
    signalsNoPostMd: `${code('AUTH_FAILED')} is HTTP 401 on the stream (EventSource stops retrying), ${code('INTERNAL')} HTTP 500 or the stream ends, the rest ${code('event: sys:error')} on the stream.`,
    moduleSignal: 'HTTP 4xx on the POST; `event: sys:error` on the stream',
    // Any status but 200 closes an EventSource for good: a reconnect the server refuses still answers 200.
    streamSignal: '`event: sys:error` on the stream, in a 200 answer (any other status closes an EventSource for good)',
    busLabel: 'Redis pub/sub',
    pollsReplay: true,
    fallbackMd: ({ logOrdered, replayRouteMd }) => [
      `If EventSource fails 3 times in a row, poll ${replayRouteMd ? `a replay route this plan adds (proposed, not a route rt-plan found in the code: ${replayRouteMd}), which answers the events after that id, guarded like the stream and limited to what the stream would send this client,` : 'a replay route with `after=<last id>`'} every 10 s; ${logOrdered ? "the log's entry ids are the ids of both paths, which keeps them consistent" : 'the same seq keeps both paths consistent'}.`,
    ],
    buffer: { metric: 'send_buffer_bytes', whyMd: BYTES_WHY('response bytes not yet flushed'), packets: false },
    backpressureMd: SSE_WATCH,
    testClientMd: `${code('fetch')} reading the event stream (Node 20 has no global EventSource)`,
    loadTool: 'k6-sse',
  },
  'sse-fetch': {
    signalsMd: `${code('AUTH_FAILED')} is HTTP 401 on the POST or the resume request (the client stops retrying), ${code('INTERNAL')} HTTP 500 or the stream ends, the rest HTTP 4xx on the POST and ${code('event: sys:error')} on the stream.`,
    moduleSignal: 'HTTP 4xx on the POST; `event: sys:error` on the stream',
    busLabel: 'Redis pub/sub',
    fallbackMd: () => [
      'If the stream and 3 resume requests in a row fail, keep the partial answer on screen with a retry button and load the final message over HTTP once the generation has ended; the chunk index keeps both paths consistent.',
    ],
    buffer: { metric: 'send_buffer_bytes', whyMd: BYTES_WHY('response bytes not yet flushed'), packets: false },
    backpressureMd: SSE_WATCH,
    testClientMd: `${code('fetch')} reading the event stream (Node 20 has no global EventSource)`,
    loadTool: 'k6-sse',
  },
  webrtc: {
    signalsMd: null,
    rows: PROVIDER_ROWS,
    moduleSignal: 'ActionExecutor result or token route status',
    busLabel: 'Redis pub/sub',
    fallbackMd: ({ audioOffOurSideMd }) => [udpBlockedMd(audioOffOurSideMd)],
    buffer: null,
    testClientMd: 'a provider stub on 127.0.0.1 standing in for the voice API',
    loadTool: null,
  },
  'provider-direct': {
    signalsMd: null,
    rows: PROVIDER_ROWS,
    // No socket of ours: codes come from the token route or the page's own tool executor, and nothing is retried by an idempotency key.
    client: {
      AUTH_FAILED: {
        when: 'the token route refuses the request, or the provider closes the session for a missing, invalid or expired token',
        clientMd: 'fetch a new token once, then show the error',
      },
      INVALID_PAYLOAD: {
        when: "a tool call's arguments fail that tool's schema, or the token route refuses a malformed request",
        clientMd: 'answer the tool call to the model with an error result; a refused request is a bug: report it, do not retry',
      },
      RATE_LIMITED: { when: "the token route's limit or the provider's rate limit reached", clientMd: 'retry after the hint the response gives' },
      INTERNAL: { when: 'the token route failed', clientMd: 'retry with backoff' },
    },
    moduleSignal: 'ActionExecutor result or token route status',
    busLabel: 'Redis pub/sub',
    fallbackMd: ({ proxiedVoice, audioOffOurSideMd }) => [
      proxiedVoice
        ? audioOffOurSideMd
          ? `WebSocket to Gemini blocked by a proxy: no relay through our server is proposed, since it would bring the audio onto our side, which conflicts with the context's must-not (${audioOffOurSideMd}); the page says the session cannot start on this network.`
          : // A relay would put every session's audio on our server: it is a component of its own, not a fallback line.
            "WebSocket to Gemini blocked by a proxy: the page says the session cannot start on this network. A relay through a WebSocket on our domain would pass such proxies, but it carries every relayed session's audio through our server, which this plan keeps off it: it would need its own authentication, sizing and capacity rows, and is not part of this plan."
        : udpBlockedMd(audioOffOurSideMd),
    ],
    buffer: null,
    testClientMd: 'a provider stub on 127.0.0.1 standing in for the voice API',
    loadTool: null,
  },
  managed: {
    signalsMd: `the provider's SDK reports refused subscriptions and quota errors as its own connection and channel events; our authorization and publish routes answer ${code('AUTH_FAILED')} and ${code('FORBIDDEN')} as HTTP 401/403 and the rest as HTTP 4xx/5xx.`,
    moduleSignal: 'HTTP status of our publish route',
    busLabel: 'Redis pub/sub',
    fallbackMd: none,
    buffer: null,
    testClientMd: "the provider's client SDK against a test app (or its local emulator)",
    loadTool: null,
  },
  supabase: {
    signalsMd: null,
    rows: SUPABASE_ROWS,
    client: SUPABASE_CLIENT,
    moduleSignal: 'PostgREST error on the write; the channel stays subscribed',
    busLabel: 'Redis pub/sub',
    fallbackMd: () => [
      'Supabase Realtime unreachable or blocked: supabase-js keeps retrying; the views read Postgres over HTTP (supabase-js queries) every 30 s until a channel reports `SUBSCRIBED` again.',
    ],
    buffer: null,
    testClientMd: code('@supabase/supabase-js'),
    loadTool: null,
  },
  yjs: {
    signalsMd: null,
    rows: YJS_ROWS,
    client: YJS_CLIENT,
    moduleSignal: 'close 1008 (policy)',
    busLabel: 'Redis pub/sub',
    fallbackMd: none,
    buffer: { metric: 'send_buffer_bytes', whyMd: BYTES_WHY(code('ws.bufferedAmount')), packets: false },
    backpressureMd: WS_WATCH,
    rateLimit: {
      valueMd: `count frames, not edits: a ${code('WebsocketProvider')} sends one ${code('sync.update')} frame per Yjs transaction (about one per keystroke in a bound editor) and one ${code('awareness.update')} frame per cursor or selection change, so a typist sends a frame or two per keystroke, about 10–20 frames/s at speed (estimate); token bucket 50 frames/s, burst 200 per connection (assumption: measure the real per-editor rate). Over it, drop ${code('awareness.update')} frames (the next one carries the whole state) and delay reading ${code('sync.update')} frames (pause the socket until the bucket refills); never close a Yjs client for rate: the provider reconnects on any close and resyncs the whole document (sync step 1 and 2), which adds load instead of removing it`,
      sourceMd: `y-websocket's provider sends on every ${code("doc.on('update')")} and awareness ${code("'update'")} event and reconnects on close (y-websocket src/y-websocket.js); per-user and per-IP limits, TLS only and secrets as in rt-plan's baseline`,
    },
    testClientMd: `two ${code('y-websocket')} providers`,
    loadTool: 'k6-ws',
  },
  http: {
    signalsMd: 'every code is the HTTP status of the request that failed, with the code in the JSON body.',
    moduleSignal: 'HTTP status with the code in the body',
    busLabel: 'Redis pub/sub',
    fallbackMd: () => ['Long-polling is already the fallback; add `retry-after` on 503.'],
    buffer: null,
    testClientMd: code('fetch'),
    loadTool: null,
  },
};

/** The document channel whose clients speak binary y-protocols (k6 and Artillery cannot). */
export function speaksYProtocols(docChannel: string | null | undefined): boolean {
  return docChannel === Y_WEBSOCKET;
}
const Y_WEBSOCKET = 'y-websocket';

/** Runtimes whose plain WebSocket endpoint y-websocket documents run on. */
const YJS_HOSTS: ReadonlySet<RuntimeProfile['id']> = new Set<RuntimeProfile['id']>(['ws']);

/** Provider-direct voice, Supabase and a Yjs-only document endpoint have conventions of their own. */
export function opsKindOf(id: RuntimeProfile['id'], f: { providerDirect: boolean; supabase: boolean; seqless: boolean }): OpsKind {
  if (f.providerDirect) return 'provider-direct';
  if (f.supabase) return 'supabase';
  if (f.seqless && YJS_HOSTS.has(id)) return 'yjs';
  return id;
}

export function opsProfile(kind: OpsKind): OpsProfile {
  return OPS[kind];
}

/** Client libraries that reconnect by themselves: the app sets no retry loop of its own. */
const SELF_RECONNECTING: Record<string, string> = {
  // partysocket's README: "Reconnects when a connection drops" (a fork of reconnecting-websocket).
  partysocket: 'PartySocket',
  'reconnecting-websocket': 'ReconnectingWebSocket',
};

/** The self-reconnecting client the project depends on, if any. */
export function selfReconnectingClient(dependencies: Iterable<string>): { pkg: string; label: string } | null {
  for (const d of dependencies) if (SELF_RECONNECTING[d]) return { pkg: d, label: SELF_RECONNECTING[d] };
  return null;
}

/** Client libraries that reconnect only when told to: the plan gives their settings, not a loop of its own. */
const RECONNECT_SETTINGS: Record<string, { md: string; code: (baseMs: number, capMs: number) => string }> = {
  // react-use-websocket's options: shouldReconnect (off by default), reconnectAttempts, reconnectInterval as a number or a function of the attempt.
  'react-use-websocket': {
    md: '`react-use-websocket` reconnects only when `shouldReconnect` returns true, which is off by default, so today a drop is final; its `reconnectInterval` accepts a function of the attempt number, which is where the delay below goes.',
    code: (baseMs, capMs) =>
      `useWebSocket(URL, {\n  shouldReconnect: () => true, // off by default: without it a dropped connection stays closed\n  reconnectAttempts: 1000,\n  // full jitter: uniform in [0, min(cap, base * 2^attempt)]\n  reconnectInterval: (attempt) => Math.random() * Math.min(${capMs}, ${baseMs} * 2 ** attempt),\n});`,
  },
};

/** Settings for a client library that reconnects when configured, if the project depends on one. */
export function reconnectSettings(dependencies: Iterable<string>): { md: string; code: (baseMs: number, capMs: number) => string } | null {
  for (const d of dependencies) if (RECONNECT_SETTINGS[d]) return RECONNECT_SETTINGS[d];
  return null;
}
