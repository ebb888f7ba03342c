// Error handling and observability. Codes, degraded modes and metric names are derived
// from the chosen transport and the selected scenarios; SLOs come from the context when it
// states a latency, else from rt-plan's default targets, stated as assumptions.
import { quoteOf, rulesOut } from './constraints.js';
import type { NumberRequirement } from '../types.js';
import type { DesignCtx } from './context.js';
import type { Plan } from './types.js';
import type { ScenarioModule } from './scenarios/kit.js';
import { code, fmt, snake, text } from './md.js';
import { stickySessions } from './architecture.js';
import { policyKind, recoveryMd } from './connection.js';
import { onSupabase } from './connection-supabase.js';
import { scenarioSlos, seqless } from './scenarios/index.js';
import { defaultSource } from './defaults.js';
import { profileOf } from './profiles/index.js';

/** An SSE stream read with fetch (AI answers): no EventSource, no automatic retry, no Last-Event-ID. */
function fetchStream(ctx: DesignCtx): boolean {
  return ctx.transport === 'sse' && !ctx.providerDirect && policyKind(ctx) !== 'sse-retry';
}

const BASE_ERRORS: { code: string; when: string; clientMd: string }[] = [
  { code: 'AUTH_FAILED', when: 'missing, invalid or expired token at the handshake', clientMd: 'refresh the token once, then sign the user out' },
  { code: 'FORBIDDEN', when: 'authenticated but not allowed on this channel', clientMd: 'remove the view; do not retry' },
  { code: 'INVALID_PAYLOAD', when: 'schema validation failed or the frame is not JSON', clientMd: 'bug: report with the `ref`, do not retry' },
  { code: 'UNKNOWN_EVENT', when: 'event name not in the catalog', clientMd: 'client is newer than the server: reload' },
  { code: 'RATE_LIMITED', when: 'per-connection or per-user bucket empty', clientMd: 'retry after the `retryAfterMs` hint' },
  { code: 'PAYLOAD_TOO_LARGE', when: 'frame above the payload cap', clientMd: 'split or upload over HTTP' },
  { code: 'VERSION_UNSUPPORTED', when: 'envelope or namespace version no longer served', clientMd: 'reload the app' },
  { code: 'INTERNAL', when: 'unexpected server failure', clientMd: 'retry with backoff; idempotency keys make it safe' },
];

/** On Supabase Realtime nothing of ours sends errors: joins fail as channel states, writes as PostgREST errors. */
const SUPABASE_SIGNAL: Record<string, string> = {
  AUTH_FAILED: '`CHANNEL_ERROR` on `subscribe()` (expired or missing JWT); PostgREST 401 on writes',
  FORBIDDEN: '`CHANNEL_ERROR` on `subscribe()` (RLS on `realtime.messages` refused the join); RLS error on writes',
  RATE_LIMITED: 'Realtime quota reached: the join or `send()` is refused; PostgREST 429 on writes',
  PAYLOAD_TOO_LARGE: "`send()` refused above the plan's payload quota",
  INTERNAL: '`CHANNEL_ERROR` or `TIMED_OUT`; supabase-js rejoins by itself',
};

/** A y-websocket document endpoint has no error message: refusals are HTTP statuses before the upgrade, the rest close codes. */
const YJS_SIGNAL: Record<string, string> = {
  AUTH_FAILED: 'HTTP 401 before the upgrade',
  FORBIDDEN: "HTTP 403 before the upgrade; a viewer's `sync.update` is dropped without a reply",
  INVALID_PAYLOAD: 'message dropped (unknown type byte or undecodable); close 1008 when repeated',
  RATE_LIMITED: 'close 1008 (policy)',
  PAYLOAD_TOO_LARGE: 'close 1009 (`maxPayload`)',
  INTERNAL: 'close 1011',
  DOC_TOO_LARGE: 'close 1009 from the update hook',
};

/** What a Yjs client does on each: WebsocketProvider reconnects on any close, and the state-vector exchange resends lost edits. */
const YJS_CLIENT: Record<string, { when?: string; clientMd: string }> = {
  AUTH_FAILED: { clientMd: "fetch a fresh ticket for the provider's `params` once, then sign the user out" },
  INVALID_PAYLOAD: {
    when: 'a frame whose type byte is not 0 (sync) or 1 (awareness), or that does not decode',
    clientMd: 'bug: report the close code; the provider reconnects and resyncs',
  },
  RATE_LIMITED: { clientMd: 'the provider reconnects after its backoff; local edits are kept and sync then' },
  INTERNAL: { clientMd: 'the provider reconnects; the state-vector exchange resends what was lost' },
  DOC_TOO_LARGE: { clientMd: 'block further edits and ask to split the document' },
};

/** True for a Yjs-only plan on the y-websocket document endpoint (no JSON channel). */
function yjsOnly(ctx: DesignCtx): boolean {
  return seqless(ctx) && ctx.transport === 'websocket';
}

/** How the client learns about each error on this transport. */
function signal(ctx: DesignCtx, c: string): string {
  if (yjsOnly(ctx)) return YJS_SIGNAL[c] ?? 'close 1008 (policy)';
  if (onSupabase(ctx)) return SUPABASE_SIGNAL[c] ?? 'PostgREST error on the write; the channel stays subscribed';
  if (ctx.providerDirect)
    return c === 'AUTH_FAILED' || c === 'TOKEN_EXPIRED' ? 'token route 401 / provider closes the session' : 'ActionExecutor result or token route status';
  switch (ctx.transport) {
    case 'socket.io':
      // Socket.IO gives the app no close codes: refusals are middleware errors, the rest are events.
      return c === 'AUTH_FAILED'
        ? 'handshake: `next(err)` in `io.use` with `err.data.code` → client `connect_error`; later (expired token): `sys:error`, then `socket.disconnect(true)`'
        : c === 'PAYLOAD_TOO_LARGE'
          ? 'server closes the connection (maxHttpBufferSize); the client reconnects'
          : c === 'RATE_LIMITED'
            ? 'ack `{ error: { code, retryAfterMs } }`, else `sys:error`; `socket.disconnect(true)` when repeated'
            : 'ack `{ error: { code } }`, else `sys:error`';
    case 'websocket':
      return (
        (
          {
            AUTH_FAILED: 'HTTP 401 before the upgrade; close 4001 later',
            PAYLOAD_TOO_LARGE: 'close 1009',
            INTERNAL: 'close 1011 or `sys:error`',
            RATE_LIMITED: '`sys:error`; close 1008 when repeated',
          } as Record<string, string>
        )[c] ?? '`sys:error` with `replyTo`'
      );
    case 'sse':
      return c === 'AUTH_FAILED'
        ? fetchStream(ctx)
          ? 'HTTP 401 on the POST or the resume request: the client stops retrying'
          : 'HTTP 401 on the stream: EventSource stops retrying'
        : c === 'INTERNAL'
          ? 'HTTP 500, or the stream ends'
          : 'HTTP 4xx on the POST; `event: sys:error` on the stream';
    default:
      return '`sys:error`';
  }
}

export function errorsSection(ctx: DesignCtx, modules: ScenarioModule[]): Plan['errors'] {
  const base = ctx.providerDirect
    ? BASE_ERRORS.filter((e) => ['AUTH_FAILED', 'INVALID_PAYLOAD', 'RATE_LIMITED', 'INTERNAL'].includes(e.code))
    : onSupabase(ctx)
      ? BASE_ERRORS.filter((e) => e.code in SUPABASE_SIGNAL)
      : yjsOnly(ctx)
        ? BASE_ERRORS.filter((e) => e.code in YJS_SIGNAL)
        : BASE_ERRORS;
  const codes = [...base, ...modules.flatMap((m) => m.errors)].map((e) => ({
    ...e,
    ...(yjsOnly(ctx) ? YJS_CLIENT[e.code] : {}),
    signalMd: signal(ctx, e.code),
  }));
  const resume = modules[0]?.resume(ctx);
  const catchUp = resume ? `${code(resume.event)} (${code(resume.cursor)})` : 'its last seq';
  const noPolling = rulesOut(ctx, 'polling');
  const degraded: string[] = [
    noPolling
      ? `Real-time down, HTTP up: after 2 failed reconnects the UI shows "live updates paused" and keeps what it has, without polling, which the context rules out: ${quoteOf(noPolling)}; on recovery it catches up with ${catchUp}.`
      : `Real-time down, HTTP up: after 2 failed reconnects the UI shows "live updates paused" and refreshes over HTTP every 30 s; on recovery it catches up with ${catchUp}.`,
  ];
  if (ctx.capacity.result.pubsubPublishedPerSecond > 0) {
    const bus = ctx.input.analysis.stack.scaling[0]?.name ?? (ctx.transport === 'socket.io' ? '@socket.io/redis-adapter' : 'Redis pub/sub');
    degraded.push(
      `${code(bus)} down: nodes keep serving their local sockets; about ${fmt(ctx.capacity.result.pubsubReceivedPerSecond)} cross-node messages/s are lost, so clients resync on recovery (PubSubLag alert).`,
    );
  }
  if (ctx.scenarios.includes('ai-streaming'))
    degraded.push('LLM provider slow or down: `ai:end` with `finishReason: error` after 30 s without a chunk; the partial answer stays visible.');
  if (ctx.scenarios.includes('voice')) degraded.push('Voice provider unavailable: fall back to text input with the same tool-approval flow.');
  const fallback: Record<string, string[]> = {
    'socket.io': [
      stickySessions(ctx)
        ? 'Socket.IO starts on HTTP long-polling and upgrades to WebSocket; where WebSocket is blocked it stays on polling. Clients keep the default transports, and the load balancer pins each client to one node (see Performance and scaling), so the fallback works on every instance.'
        : 'Socket.IO starts on HTTP long-polling and upgrades to WebSocket; where WebSocket is blocked it stays on polling. Keep the default transports: with one instance no sticky sessions are needed; add them (IP hash or cookie) before a second instance.',
      'Socket.IO has no application close codes: refuse a handshake with `next(new Error(…))` in `io.use` (the client gets `connect_error` with `err.data`), and end a live connection with `sys:error` followed by `socket.disconnect(true)`. After either, Socket.IO does not retry by itself, so the client code reconnects after a random 0–5 s delay.',
    ],
    websocket: [
      `WebSocket close codes: 1008 policy (auth, abuse), 1009 too big, 1011 internal, 1013 try later (overload; client backs off), 4001 token expired (client refreshes, then reconnects).`,
      'Networks that block WebSocket: fall back to SSE for server → client plus POST for client → server, same envelope and seq.',
    ],
    sse: [
      fetchStream(ctx)
        ? 'If the stream and 3 resume requests in a row fail, keep the partial answer on screen with a retry button and load the final message over HTTP once the generation has ended; the chunk index keeps both paths consistent.'
        : 'If EventSource fails 3 times in a row, poll the replay endpoint with `after=<last id>` every 10 s; the same seq keeps both paths consistent.',
    ],
    webrtc: ['UDP blocked: configure TURN over TCP/TLS 443; as a last resort use the provider WebSocket interface through a server relay.'],
    'long-polling': ['Long-polling is already the fallback; add `retry-after` on 503.'],
  };
  const direct = [
    ctx.voiceProviders.includes('gemini-live')
      ? 'WebSocket to Gemini blocked by a proxy: relay the Live session through a server-side WebSocket on our domain (the key stays server side there too).'
      : "UDP blocked: configure TURN over TCP/TLS 443, and as a last resort relay through the provider's WebSocket interface on our server.",
  ];
  const supabase = [
    'Supabase Realtime unreachable or blocked: supabase-js keeps retrying; the views read Postgres over HTTP (supabase-js queries) every 30 s until a channel reports `SUBSCRIBED` again.',
  ];
  return { codes, degradedMd: degraded, fallbackMd: ctx.providerDirect ? direct : onSupabase(ctx) ? supabase : (fallback[ctx.transport] ?? []) };
}

export function observabilitySection(ctx: DesignCtx, modules: ScenarioModule[]): Plan['observability'] {
  const prefix = snake(ctx.input.analysis.project.name || 'app');
  const m = (name: string) => `${prefix}_${name}`;
  // Pub/sub lag is ours to watch only where our own nodes fan out through it.
  const multi = ctx.capacity.result.instances > 1 && profileOf(ctx).ownFanout;
  // The standard counters and alerts are in rt-plan's operations note; the plan lists only what
  // depends on this project's figures and names the rest with its prefix.
  const note = ctx.cite.cite(['observability'], 'rt-plan');
  const metrics = [
    {
      name: m('connections_active'),
      type: 'gauge',
      labels: 'instance',
      whyMd: `against the ${fmt(ctx.capacity.result.usablePerInstance)} usable connections per instance`,
    },
    { name: m('delivery_latency_seconds'), type: 'histogram', labels: 'event', whyMd: 'server send time to client receipt (clients report a sample of 1%)' },
    bufferMetric(ctx, m),
    ...(multi ? [{ name: m('pubsub_lag_seconds'), type: 'histogram', labels: '', whyMd: 'publish to delivery on another node' }] : []),
    ...modules.flatMap((mod) => mod.metrics.map((x) => ({ ...x, name: m(x.name) }))),
  ];
  const standardMd = `Also the standard counters and their alerts${note}: ${['connections_total', 'messages_in_total', 'messages_out_total', 'rejected_messages_total', 'reconnects_total'].map((x) => code(m(x))).join(', ')}.`;
  const latency = ctx.input.sessions.requirements.find((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'latency');
  const slos = [
    latency
      ? {
          name: `Delivery latency p${fmt(latency.percentile ?? 95)}`,
          target: `< ${fmt(latency.value)} ms`,
          sourceMd: `context: "${text(latency.sentence)}" (${code(latency.evidence)})`,
        }
      : { name: 'Delivery latency p95', target: '< 100 ms', sourceMd: `${defaultSource(ctx, false)} (assumption: the context states none)` },
    {
      name: 'Connection recovery',
      target: '< 2 s for 95% of drops, counted from when the drop is noticed',
      sourceMd: `${defaultSource(ctx)}. ${recoveryMd(ctx)}`,
    },
    {
      name: 'Average latency; delivery success; loss across reconnect',
      target: `< 50 ms; > 99.95% of acked messages; 0 (${seqless(ctx) ? 'state-vector sync' : 'seq replay'})`,
      sourceMd: defaultSource(ctx),
    },
    ...scenarioSlos(ctx),
  ];
  const p95 = latency ? latency.value : 100;
  const alerts = [
    {
      name: 'LatencySLOBurn',
      conditionMd: `p${fmt(latency?.percentile ?? 95)} of ${code(m('delivery_latency_seconds'))} > ${fmt(p95)} ms for 10 min`,
      severity: 'page',
    },
    {
      name: 'InstanceNearCapacity',
      conditionMd: `${code(m('connections_active'))} > ${fmt(ctx.capacity.result.usablePerInstance)} on any instance for 5 min`,
      severity: 'ticket',
    },
    {
      name: 'SlowConsumers',
      conditionMd: `more than 1% of sockets with ${code(bufferMetric(ctx, m).name)} > ${ctx.transport === 'socket.io' ? `${fmt(bufferLimits(ctx).softPackets)} packets` : '1 MiB'}`,
      severity: 'ticket',
    },
    ...(multi ? [{ name: 'PubSubLag', conditionMd: `p99 of ${code(m('pubsub_lag_seconds'))} > 100 ms for 5 min`, severity: 'page' }] : []),
  ];
  return { metrics, standardMd, slos, alerts };
}

const MIB = 1024 * 1024;

/**
 * Slow-consumer thresholds. Socket.IO exposes queued packets (`socket.conn.writeBuffer.length`),
 * not bytes, so its thresholds are packet counts: the byte limits divided by the average payload.
 */
export function bufferLimits(ctx: DesignCtx): { softBytes: number; hardBytes: number; softPackets: number; hardPackets: number } {
  const payload = Math.max(1, ctx.capacity.values.payloadBytes);
  return { softBytes: MIB, hardBytes: 4 * MIB, softPackets: Math.ceil(MIB / payload), hardPackets: Math.ceil((4 * MIB) / payload) };
}

function bufferMetric(ctx: DesignCtx, m: (name: string) => string): { name: string; type: string; labels: string; whyMd: string } {
  if (ctx.transport === 'socket.io') {
    return {
      name: m('send_buffer_packets'),
      type: 'histogram',
      labels: '',
      whyMd: `${code('socket.conn.writeBuffer.length')} per socket, sampled every 10 s: Engine.IO packets waiting for the transport (a count, not bytes)`,
    };
  }
  return {
    name: m('send_buffer_bytes'),
    type: 'histogram',
    labels: '',
    whyMd: `${ctx.transport === 'websocket' ? code('ws.bufferedAmount') : 'response bytes not yet flushed'} per connection: slow consumers`,
  };
}

/** Backpressure notes (index.ts should call this instead of its own `backpressure()`). */
export function backpressureNotes(ctx: DesignCtx): string[] {
  // Media and provider events never pass through our server: there is no send buffer of ours to watch.
  if (ctx.providerDirect)
    return [
      "Audio and provider events flow between the browser and the provider; our server only answers token requests and action calls, so backpressure is the provider SDK's concern. Keep the per-user token rate limit as the only inbound bound.",
    ];
  const l = bufferLimits(ctx);
  const first =
    ctx.transport === 'socket.io'
      ? `Watch ${code('socket.conn.writeBuffer.length')}, the Engine.IO packets queued for a socket (a count, not bytes; Socket.IO exposes no per-socket ${code('bufferedAmount')}): above ${fmt(l.softPackets)} packets (≈ 1 MiB at the ${fmt(ctx.capacity.values.payloadBytes)}-byte average) send droppable events with ${code('socket.volatile.emit')} or skip them, above ${fmt(l.hardPackets)} (≈ 4 MiB) disconnect the slow consumer (it resyncs on reconnect). For an approximate byte count, add each packet's data length in an Engine.IO ${code('packetCreate')} listener and reset it on ${code('drain')}.`
      : ctx.transport === 'websocket'
        ? `Watch ${code('ws.bufferedAmount')} per connection: above 1 MiB skip droppable events, above 4 MiB disconnect the slow consumer (it resyncs on reconnect).`
        : `Watch ${code('res.write()')} returning false: stop writing until ${code('drain')}, drop droppable events meanwhile, and end the stream when 4 MiB are pending (the client resumes ${fetchStream(ctx) ? `with the explicit resume request from the last chunk index` : 'with Last-Event-ID'}).`;
  // Coalescing is advice for the droppable streams the context states (cursors, typing, drags), by name.
  const droppable = (ctx.capacity.workload?.streams ?? []).filter((x) => x.droppable);
  const coalesce = droppable.map(
    (x) =>
      `Coalesce ${x.kind} (${fmt(x.published)} msg/s stated, ${code(x.evidence)}) per room into one message every 50 ms, latest value only, and send them as droppable; the seq still increases per change so gaps stay detectable.`,
  );
  return [first, ...coalesce];
}
