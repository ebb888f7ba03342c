// Connection management with numbers: handshake auth, heartbeat (the project's own values
// when the analysis found them, else the library's documented defaults), reconnection with
// the policy of the client that actually retries (one policy per plan, used by every
// section), and resume after a drop.
import { stateDiagram } from '../diagrams/builders.js';
import { streamPath, type DesignCtx } from './context.js';
import type { Plan, Row } from './types.js';
import type { Transport } from '../types.js';
import type { ResumeSpec } from './scenarios/kit.js';
import { stickySessions } from './architecture.js';
import { providersOf } from './scenarios/voice.js';
import { PROVIDER_LABEL, TOKEN_LIFETIME_MD, type VoiceProvider } from './scenarios/voice-providers.js';
import { code, fmt, list, round, text } from './md.js';

export const BACKOFF = { baseMs: 500, factor: 2, capMs: 30_000, attempts: 8 };

/** y-websocket's WebsocketProvider: 100 ms × 2^n, capped by maxBackoffTime (default 2,500 ms), no jitter. */
export const Y_WEBSOCKET_BACKOFF = { baseMs: 100, factor: 2, capMs: 2_500 };
/** EventSource waits the server's `retry:` before every attempt; the server draws it per client. */
export const SSE_RETRY = { minMs: 1_000, maxMs: 2_000 };

export type PolicyKind = 'socket.io' | 'full-jitter' | 'sse-retry' | 'y-websocket';

export interface ReconnectPolicy {
  kind: PolicyKind;
  /** One attempt's delay, Markdown. */
  formulaMd: string;
  /** The same, plain text for the state diagram. */
  diagramLabel: string;
  table: { attempt: number; minMs: number; ceilingMs: number; expectedMs: number }[];
}

/** Which client retries after a drop: Socket.IO's Manager, EventSource, y-websocket's provider, or our own full-jitter loop. */
export function policyKind(ctx: Pick<DesignCtx, 'transport' | 'library' | 'providerDirect' | 'scenarios'>): PolicyKind {
  if (ctx.providerDirect) return 'full-jitter';
  if (ctx.transport === 'socket.io') return 'socket.io';
  if (ctx.library === 'y-websocket') return 'y-websocket';
  // An AI stream is read with fetch (EventSource cannot POST), so the app owns its retries.
  if (ctx.transport === 'sse' && !ctx.scenarios.includes('ai-streaming')) return 'sse-retry';
  return 'full-jitter';
}

/** E[min(cap, U(lo, hi))]: the cap clips the upper part of Socket.IO's randomized delay. */
function clippedMean(lo: number, hi: number, cap: number): number {
  if (cap >= hi) return (lo + hi) / 2;
  if (cap <= lo) return cap;
  return ((cap - lo) * (cap + lo) / 2 + (hi - cap) * cap) / (hi - lo);
}

export function reconnectPolicy(ctx: Pick<DesignCtx, 'transport' | 'library' | 'providerDirect' | 'scenarios'>): ReconnectPolicy {
  const kind = policyKind(ctx);
  const { baseMs, capMs, attempts } = BACKOFF;
  const rows = Array.from({ length: attempts }, (_, attempt) => attempt);
  if (kind === 'socket.io') {
    // socket.io-client's Backoff: base × 2^n, then ±randomizationFactor, then min(…, reconnectionDelayMax).
    return {
      kind,
      formulaMd: `min(${fmt(capMs)} ms, ${fmt(baseMs)} ms × 2^n × (1 ± 0.5))`,
      diagramLabel: `delay min(${capMs / 1000} s, ${baseMs} ms × 2^n × (1 ± 0.5))`,
      table: rows.map((attempt) => {
        const m = baseMs * 2 ** attempt;
        return { attempt, minMs: Math.min(capMs, m / 2), ceilingMs: Math.min(capMs, m * 1.5), expectedMs: round(clippedMean(m / 2, m * 1.5, capMs), 1) };
      }),
    };
  }
  if (kind === 'y-websocket') {
    const y = Y_WEBSOCKET_BACKOFF;
    return {
      kind,
      formulaMd: `min(${fmt(y.capMs)} ms, ${fmt(y.baseMs)} ms × 2^n), no jitter`,
      diagramLabel: `delay min(${fmt(y.capMs)} ms, ${y.baseMs} ms × 2^n)`,
      table: rows.map((attempt) => {
        const d = Math.min(y.capMs, y.baseMs * 2 ** attempt);
        return { attempt, minMs: d, ceilingMs: d, expectedMs: d };
      }),
    };
  }
  if (kind === 'sse-retry') {
    const { minMs, maxMs } = SSE_RETRY;
    return {
      kind,
      formulaMd: `the \`retry:\` value, ${fmt(minMs)}–${fmt(maxMs)} ms per client, the same on every attempt (no backoff)`,
      diagramLabel: `retry: ${fmt(minMs)}–${fmt(maxMs)} ms`,
      table: rows.map((attempt) => ({ attempt, minMs, ceilingMs: maxMs, expectedMs: (minMs + maxMs) / 2 })),
    };
  }
  return {
    kind,
    formulaMd: `uniform in [0, min(${fmt(capMs)} ms, ${fmt(baseMs)} ms × 2^n)] (full jitter)`,
    diagramLabel: `delay random(0, min(${capMs / 1000} s, ${baseMs} ms × 2^n))`,
    table: rows.map((attempt) => {
      const ceilingMs = Math.min(capMs, baseMs * 2 ** attempt);
      return { attempt, minMs: 0, ceilingMs, expectedMs: ceilingMs / 2 };
    }),
  };
}

/** The summary's reconnection clause (index.ts should use it instead of its Socket.IO/full-jitter switch). */
export function reconnectSummaryMd(ctx: Pick<DesignCtx, 'transport' | 'library' | 'providerDirect' | 'scenarios'>): string {
  switch (policyKind(ctx)) {
    case 'socket.io': return `Socket.IO reconnection ${fmt(BACKOFF.baseMs)} ms × 2^n ±50%, capped at ${fmt(BACKOFF.capMs / 1000)} s`;
    case 'y-websocket': return `y-websocket reconnection ${fmt(Y_WEBSOCKET_BACKOFF.baseMs)} ms × 2^n, capped at ${fmt(Y_WEBSOCKET_BACKOFF.capMs)} ms, no jitter`;
    case 'sse-retry': return `EventSource retry ${fmt(SSE_RETRY.minMs)}–${fmt(SSE_RETRY.maxMs)} ms, no backoff`;
    default: return `reconnect with full jitter (base ${fmt(BACKOFF.baseMs)} ms, cap ${fmt(BACKOFF.capMs / 1000)} s)`;
  }
}

/** Kept for callers that want the plain full-jitter ceilings. */
export function backoffTable(): { attempt: number; ceilingMs: number; expectedMs: number }[] {
  return reconnectPolicy({ transport: 'websocket', library: null, providerDirect: false, scenarios: [] }).table.map(({ attempt, ceilingMs, expectedMs }) => ({ attempt, ceilingMs, expectedMs }));
}

/** How long a silently vanished peer goes unnoticed before the reconnect clock even starts. */
export function detectionMs(ctx: DesignCtx): { ms: number; how: string } | null {
  const hb = ctx.input.analysis.stack.heartbeat;
  if (ctx.providerDirect || ctx.transport === 'webrtc') return null;
  if (ctx.transport === 'socket.io') {
    const interval = hb.intervalMs ?? 25_000;
    return { ms: interval + SOCKET_IO_PING_TIMEOUT, how: 'pingInterval + pingTimeout' };
  }
  if (ctx.transport === 'sse') return { ms: SSE_WATCHDOG_MS, how: 'the client watchdog' };
  if (ctx.library === 'y-websocket') {
    const interval = hb.intervalMs ?? 30_000;
    return { ms: interval * 2, how: 'two server ping intervals' };
  }
  return { ms: 25_000 + 10_000, how: `the client ${code('sys:ping')} interval + pong timeout` };
}

const SOCKET_IO_PING_TIMEOUT = 20_000;
const SSE_KEEPALIVE_MS = 15_000;
const SSE_WATCHDOG_MS = 35_000;

/** The recovery sentence, computed from the policy in use. */
export function recoveryMd(ctx: DesignCtx, policy: ReconnectPolicy = reconnectPolicy(ctx)): string {
  const [a0, a1] = policy.table;
  if (!a0 || !a1) return '';
  const expected = a0.expectedMs + a1.expectedMs;
  const worst = a0.ceilingMs + a1.ceilingMs;
  const first = a0.minMs === a0.ceilingMs ? `${fmt(a0.ceilingMs)} ms` : `${fmt(a0.minMs)}–${fmt(a0.ceilingMs)} ms (expected ${fmt(a0.expectedMs)} ms)`;
  const two = expected === worst ? `${fmt(expected)} ms` : `${fmt(expected)} ms expected, ${fmt(worst)} ms at worst`;
  const fits = worst <= 2_000
    ? 'both fit inside the 2 s recovery target'
    : a0.ceilingMs <= 2_000 ? 'so the 2 s recovery target holds when the first attempt succeeds, not always when a second one is needed' : 'so a 2 s recovery target cannot hold with this policy';
  const det = detectionMs(ctx);
  const detection = det ? `; these count from the moment the drop is noticed: a close or network error is seen at once, a silently dead peer only after up to ${fmt(det.ms)} ms (${det.how})` : '';
  return `First attempt after ${first}; the first two attempts together wait ${two}, ${fits}${detection}.`;
}

function heartbeat(ctx: DesignCtx): Row[] {
  const hb = ctx.input.analysis.stack.heartbeat;
  const found = hb.evidence ? ` (found at ${text(hb.evidence)})` : '';
  const cite = ctx.cite.cite(['heartbeat'], ctx.docLibrary);
  if (ctx.transport === 'socket.io') {
    const interval = hb.intervalMs ?? 25_000;
    const src = hb.intervalMs ? `project value${found}` : `Socket.IO v4 default${cite}`;
    return [
      { label: 'pingInterval', valueMd: `${fmt(interval)} ms`, sourceMd: src },
      { label: 'pingTimeout', valueMd: `${fmt(SOCKET_IO_PING_TIMEOUT)} ms`, sourceMd: `Socket.IO v4 default${cite}` },
      { label: 'Dead peer detected after', valueMd: `≤ ${fmt(interval + SOCKET_IO_PING_TIMEOUT)} ms`, sourceMd: 'pingInterval + pingTimeout, on the server and in the client' },
      { label: 'Proxy idle timeout', valueMd: `> ${fmt(interval + SOCKET_IO_PING_TIMEOUT)} ms (nginx ${code('proxy_read_timeout')}: set it explicitly, e.g. ${code(`${Math.ceil((interval + SOCKET_IO_PING_TIMEOUT) / 1000) + 15}s`)})`, sourceMd: 'above pingInterval + pingTimeout, so the proxy never closes a healthy idle connection first' },
    ];
  }
  if (ctx.transport === 'sse') {
    // An AI stream is read with fetch: it sees comment lines and retries with the app's own policy.
    const viaFetch = policyKind(ctx) !== 'sse-retry';
    return [
      viaFetch
        ? { label: 'Keep-alive', valueMd: `${code(': keep-alive')} comment every ${fmt(SSE_KEEPALIVE_MS)} ms`, sourceMd: `proxies close idle streams after 30–60 s${ctx.cite.cite(['sse', 'keep-alive', 'heartbeat'])}; the fetch reader sees comment lines` }
        : { label: 'Keep-alive', valueMd: `${code('event: sys:ping')} with ${code('data: {}')} every ${fmt(SSE_KEEPALIVE_MS)} ms`, sourceMd: `proxies close idle streams after 30–60 s${ctx.cite.cite(['sse', 'keep-alive', 'heartbeat'])}; a named event, because EventSource listeners never see ${code(': comment')} lines` },
      viaFetch
        ? { label: 'Client retry', valueMd: `full jitter, then the explicit resume request ${code(`GET ${streamPath(ctx.layout)}?requestId=…&fromIndex=…`)}, see Reconnection`, sourceMd: `fetch does not reconnect by itself and sends no ${code('Last-Event-ID')}` }
        : { label: 'retry:', valueMd: `${fmt(SSE_RETRY.minMs)} ms plus up to ${fmt(SSE_RETRY.maxMs - SSE_RETRY.minMs)} ms random per client`, sourceMd: 'averages 1.5 s; spreads a reconnect storm over one second' },
      { label: 'Dead server, seen by the client', valueMd: `nothing read for ${fmt(SSE_WATCHDOG_MS)} ms → ${viaFetch ? `abort the fetch and reconnect` : `${code('close()')} and reopen`}`, sourceMd: viaFetch ? 'a stalled reader never errors by itself' : 'EventSource itself never times out a silent stream' },
      { label: 'Dead client, seen by the server', valueMd: 'late: writes to a half-open TCP connection succeed into the kernel buffer until retransmission gives up (about 15 minutes with Linux\'s default tcp_retries2 = 15)', sourceMd: 'a failed write only reports a connection the peer closed properly' },
      { label: 'Bound on dead streams', valueMd: `end every stream after 10 minutes (${viaFetch ? `the client resumes with ${code('fromIndex')}` : 'the browser reconnects with Last-Event-ID'}) and count a user\'s streams by last activity, so a dead one never holds a live one out of the per-user cap`, sourceMd: 'accepts that the server learns late, and caps what it costs' },
    ];
  }
  if (ctx.providerDirect) return providerRows(ctx);
  if (ctx.transport === 'webrtc') {
    return [
      { label: 'ICE connection state', valueMd: `${code('disconnected')} → wait 5,000 ms → ICE restart`, sourceMd: 'WebRTC has its own consent freshness checks' },
      // Token rows only where a voice provider issues the token; a peer-to-peer call has none.
      ...(ctx.scenarios.includes('voice') ? providersOf(ctx).map((p) => tokenRow(ctx, p)) : []),
    ];
  }
  const interval = hb.intervalMs ?? 30_000;
  if (ctx.library === 'y-websocket') {
    return [
      { label: 'Server ping', valueMd: `every ${fmt(interval)} ms from ${code('setupWSConnection')}; no pong by the next ping closes the socket`, sourceMd: `y-websocket server utilities${ctx.cite.cite(['heartbeat', 'state-sync'], ctx.docLibrary)}` },
      { label: 'Client reconnect', valueMd: `${code('WebsocketProvider')} reconnects by itself with exponential backoff capped by ${code('maxBackoffTime')}`, sourceMd: 'no app-level ping needed' },
      { label: 'Awareness timeout', valueMd: '30,000 ms without an update removes a user\'s cursor', sourceMd: 'y-protocols awareness' },
    ];
  }
  return [
    { label: 'Server ping frame', valueMd: `every ${fmt(interval)} ms`, sourceMd: hb.intervalMs ? `project value${found}` : `ws has no built-in heartbeat; documented isAlive pattern${cite}` },
    { label: 'Terminate when', valueMd: 'no pong since the previous ping', sourceMd: `dead peer gone within ≤ ${fmt(interval * 2)} ms` },
    { label: 'Client sys:ping', valueMd: 'every 25,000 ms, reconnect if no sys:pong within 10,000 ms', sourceMd: 'browsers answer ping frames but cannot send them' },
    { label: 'maxPayload', valueMd: 'set explicitly (see Security)', sourceMd: `ws default is 100 MiB${ctx.cite.cite(['payload-limit'], ctx.docLibrary)}` },
  ];
}

/** One row per provider: how its token lives, from the provider table (never a stale figure). */
function tokenRow(ctx: DesignCtx, p: VoiceProvider): Row {
  const value: Record<VoiceProvider, string> = {
    'openai-realtime': 'minted per session start, right before the SDP offer; a new session after a drop mints a new one',
    'gemini-live': `minted per conversation; a resumption within ${code('expireTime')} reuses it, a new conversation mints a new one`,
    livekit: 'signed per room join by our token route; reconnects reuse tokens the LiveKit server refreshes',
  };
  const label: Record<VoiceProvider, string> = { 'openai-realtime': 'OpenAI client secret', 'gemini-live': 'Gemini ephemeral token', livekit: 'LiveKit join token' };
  return { label: label[p], valueMd: value[p], sourceMd: `${TOKEN_LIFETIME_MD[p]}${ctx.cite.cite(['ephemeral-token'], p)}` };
}

function providerRows(ctx: DesignCtx): Row[] {
  const rows: Row[] = [];
  const ps = providersOf(ctx);
  if (ps.includes('gemini-live')) {
    const c = ctx.cite.cite(['session-limits', 'resume'], 'gemini-live');
    rows.push(
      { label: 'Gemini Live connection', valueMd: 'about 10 minutes, announced by `goAway` with `timeLeft`', sourceMd: `Vertex AI / Firebase Live API session docs${c}` },
      { label: 'Gemini Live session', valueMd: '15 minutes audio-only (2 minutes with video) without context-window compression', sourceMd: `enable compression and resumption${c}` },
      { label: 'Resumption handle', valueMd: 'store the latest `sessionResumptionUpdate.newHandle`; reconnect with it on `goAway` or a drop', sourceMd: 'keeps the conversation across connections' },
      tokenRow(ctx, 'gemini-live'),
    );
  }
  if (ps.includes('openai-realtime')) {
    rows.push(
      { label: 'ICE connection state', valueMd: '`disconnected` → wait 5,000 ms → ICE restart; `failed` → new session', sourceMd: 'WebRTC consent checks replace a heartbeat' },
      tokenRow(ctx, 'openai-realtime'),
    );
  }
  if (ps.includes('livekit')) {
    rows.push(
      { label: 'LiveKit room connection', valueMd: `${code('Reconnecting')} → ${code('Reconnected')}, resumed by the SDK`, sourceMd: `the client SDK resumes signalling and restarts ICE by itself${ctx.cite.cite(['reconnect', 'resume'], 'livekit')}` },
      { label: 'After Disconnected', valueMd: 'fetch a new join token and rejoin the same room, with full-jitter backoff', sourceMd: 'the SDK gave up resuming' },
      tokenRow(ctx, 'livekit'),
    );
  }
  return rows;
}

function auth(ctx: DesignCtx): string[] {
  const existing = ctx.input.analysis.stack.auth.filter((a) => a.kind !== 'none');
  const out: string[] = [];
  if (existing.length > 0) {
    out.push(`Today: ${list(existing.map((a) => `${code(a.kind)}${a.evidence ? ` at ${text(a.evidence)}` : ''}`))}.`);
  } else {
    out.push('No handshake authentication was detected: every connection is anonymous today (assumption: the app has a session or JWT for its HTTP routes to reuse).');
  }
  if (existing.some((a) => a.kind === 'jwt-query')) out.push('A JWT in the query string ends up in proxy and access logs: move it to the handshake payload (Socket.IO `auth`) or a single-use ticket.');
  if (existing.some((a) => a.kind === 'api-key-in-client')) out.push('A provider API key is reachable from client code: replace it with server-minted ephemeral tokens and rotate the key.');
  const how: Record<string, string> = {
    'socket.io': `The client sends ${code('auth: { token }')}; an ${code('io.use()')} middleware verifies it before ${code('connection')} fires and puts ${code('userId')} on ${code('socket.data')}. It refuses with ${code("next(Object.assign(new Error('unauthorized'), { data: { code: 'AUTH_FAILED' } }))")}: the client gets ${code('connect_error')} with ${code('err.data.code')} and, after a middleware refusal, does not retry by itself.`,
    websocket: `Authenticate in the HTTP ${code('upgrade')} handler (${code('noServer: true')} + ${code('handleUpgrade')}) from the session cookie, or from a single-use 30 s ticket obtained over HTTPS; reject with 401 before the upgrade completes.`,
    sse: `${code('EventSource')} cannot set headers: authenticate the stream with the session cookie (same origin) and check it on every request, including reconnects.`,
    webrtc: 'The browser never sees the provider key: an authenticated server route mints the ephemeral secret per session start.',
    'long-polling': 'Each poll is an ordinary authenticated HTTP request.',
  };
  const ps = providersOf(ctx);
  const livekitOnly = ps.every((p) => p === 'livekit');
  out.push(ctx.providerDirect
    ? `The browser connects to the provider with ${livekitOnly ? 'a join token signed by' : 'an ephemeral token from'} an authenticated route on our server (session cookie, per-user rate limit); the provider ${livekitOnly ? 'API secret' : 'API key'} never leaves the server${ctx.cite.cite(['ephemeral-token'], ps[0] ?? 'openai-realtime')}.`
    : how[ctx.transport] ?? '');
  // Our server holds no connection to the provider: token expiry is the provider's rule, per provider.
  if (ctx.providerDirect) {
    out.push(`Token lifetimes: ${ps.map((p) => `${PROVIDER_LABEL[p]}: ${TOKEN_LIFETIME_MD[p]}`).join('; ')}.`);
    return out;
  }
  // An AI answer read with fetch is a POST plus explicit resume GETs: no EventSource, no long-lived socket to close.
  if (ctx.transport === 'sse' && policyKind(ctx) !== 'sse-retry') {
    out[out.length - 1] = `The answer stream is a ${code('fetch')} POST, which can send headers: authenticate it and every resume ${code('GET')} with the session cookie (same origin) or an ${code('Authorization')} header, checked on each request.`;
    out.push('Tokens expire: each request (the POST and every resume) is checked; a running stream is not cut for an expiring token, since it ends with its generation, and the client refreshes the token before the next request.');
    return out;
  }
  out.push(ctx.transport === 'socket.io'
    ? `Tokens expire: the server checks expiry every heartbeat, emits ${code('sys:error')} with ${code('AUTH_FAILED')} and calls ${code('socket.disconnect(true)')}. The client sees the reason ${code('io server disconnect')}, after which Socket.IO does not retry by itself: it refreshes the token and calls ${code('socket.connect()')} after a random 0–5 s delay.`
    : 'Tokens expire: the server closes connections whose token expired (checked every heartbeat) and the client reconnects with a refreshed one.');
  return out;
}

function clientConfig(ctx: DesignCtx): { lang: string; code: string } {
  const lang = ctx.layout.ext === 'ts' ? 'ts' : 'js';
  if (ctx.transport === 'socket.io') {
    const transports = stickySessions(ctx) ? '  // default transports (polling, then upgrade): the load balancer pins each client, see Performance and scaling\n' : '';
    return { lang, code: `const socket = io(URL, {\n  auth: (cb) => cb({ token: getToken() }), // called again before every reconnect\n  reconnectionDelay: ${BACKOFF.baseMs}, // attempt n waits min(${BACKOFF.capMs}, ${BACKOFF.baseMs} * 2^n) * (1 ± 0.5)\n  reconnectionDelayMax: ${BACKOFF.capMs},\n  randomizationFactor: 0.5, // ±50% around the exponential delay, not full jitter\n${transports}});\n// a server-initiated close (drain, expired token) is not retried by Socket.IO: spread those clients over 5 s\nsocket.on('disconnect', (reason) => {\n  if (reason === 'io server disconnect') setTimeout(() => socket.connect(), Math.random() * 5000);\n});` };
  }
  if (ctx.library === 'y-websocket') {
    return { lang, code: `import * as Y from 'yjs';\nimport { WebsocketProvider } from 'y-websocket';\n\nconst doc = new Y.Doc();\n// the token travels as a query parameter of the upgrade: keep it short-lived (60 s) and single-use\nconst provider = new WebsocketProvider(WS_URL, docId, doc, { params: { token: await getTicket(docId) } });\nprovider.on('status', ({ status }) => setConnectionStatus(status));` };
  }
  if (ctx.transport === 'sse' && ctx.scenarios.includes('ai-streaming')) {
    const path = streamPath(ctx.layout);
    const n = lang === 'ts' ? ': number' : '';
    return { lang, code: `// EventSource cannot POST a prompt: read the text/event-stream response of the POST with fetch.\n// fetch has no automatic reconnection: the app retries and resumes from the last chunk index.\nconst res = await fetch('${path}', {\n  method: 'POST',\n  headers: { 'content-type': 'application/json' },\n  body: JSON.stringify({ requestId, conversationId, prompt }),\n});\nlet lastIndex = await readChunks(res); // split on blank lines, append ai:chunk by index, return the last index\n\n// after a drop: full jitter, uniform in [0, min(cap, base * 2^attempt)], then the explicit resume request\nfunction reconnectDelay(attempt${n}) {\n  return Math.random() * Math.min(${BACKOFF.capMs}, ${BACKOFF.baseMs} * 2 ** attempt);\n}\nconst resumed = await fetch(\`${path}?requestId=\${encodeURIComponent(requestId)}&fromIndex=\${lastIndex + 1}\`);\n// 200: buffered chunks from fromIndex, then live; STREAM_EXPIRED: load the final message over HTTP` };
  }
  if (ctx.transport === 'sse') {
    return { lang, code: `// server: first line of every stream\nres.write('retry: ' + (1000 + Math.floor(Math.random() * 1000)) + '\\n\\n');\n// client: EventSource reconnects by itself and sends Last-Event-ID\nconst source = new EventSource('${streamPath(ctx.layout)}', { withCredentials: true });` };
  }
  const n = lang === 'ts' ? ': number' : '';
  return { lang, code: `// full jitter: uniform in [0, min(cap, base * 2^attempt)]\nfunction reconnectDelay(attempt${n}, closeCode${n}) {\n  // 1001 going away / 1012 restart: a drain closed the whole instance, so spread the first attempt over 5 s\n  if (attempt === 0 && (closeCode === 1001 || closeCode === 1012)) return Math.random() * 5000;\n  return Math.random() * Math.min(${BACKOFF.capMs}, ${BACKOFF.baseMs} * 2 ** attempt);\n}\n// reset attempt to 0 after the connection stayed open for 10 s` };
}

function resumeNotes(ctx: DesignCtx, r: ResumeSpec): string[] {
  if (ctx.providerDirect) return providerResume(ctx);
  const redis = ctx.input.analysis.stack.scaling.some((s) => s.name === '@socket.io/redis-adapter');
  if (ctx.transport === 'socket.io') {
    return [
      redis || ctx.capacity.result.instances > 1
        ? `Socket.IO's ${code('connectionStateRecovery')} does not work with the classic Redis adapter${ctx.cite.cite(['resume', 'scaling'], '@socket.io/redis-adapter')}: resume with the application's sequence numbers (below), or switch to ${code('@socket.io/redis-streams-adapter')}, which supports it.`
        : `Enable ${code('connectionStateRecovery: { maxDisconnectionDuration: 120000 }')} (Socket.IO ≥ 4.6) for short drops${ctx.cite.cite(['resume'], 'socket.io')}; longer drops fall back to sequence-number replay.`,
      r.catchUpMd ?? `After every reconnect the client re-sends ${code(r.event)} with ${code(r.cursor)} for each channel; the server replays from its log or sends a snapshot.`,
    ];
  }
  if (ctx.transport === 'sse') {
    // A fetch-read stream (AI answers) has no Last-Event-ID: the scenario's explicit resume is the whole story.
    if (policyKind(ctx) !== 'sse-retry' && r.catchUpMd) return [r.catchUpMd];
    return [`Every event carries \`id:\` (the per-channel seq); on reconnect the browser sends \`Last-Event-ID\` and the server replays later events before going live${r.event === 'Last-Event-ID' ? '' : `; other clients send ${code(r.event)} with ${code(r.cursor)}`}.`];
  }
  if (r.catchUpMd) return [r.catchUpMd];
  return [`On reconnect the client sends ${code(r.event)} with ${code(r.cursor)} for every channel it follows; the server replays from a bounded log (last 10 minutes) or answers with a snapshot, and only then marks the connection *open*.`];
}

function providerResume(ctx: DesignCtx): string[] {
  const ps = providersOf(ctx);
  const how: Record<VoiceProvider, string> = {
    'gemini-live': 'Gemini Live: reconnect with the latest resumption handle (a fresh token only when the old one is past its expireTime), which keeps the conversation',
    'openai-realtime': 'OpenAI Realtime: a dropped session cannot be resumed; start a new session with a fresh client secret and re-send the context the conversation needs',
    livekit: 'LiveKit: the SDK resumes the room by itself; after Disconnected, fetch a new join token and rejoin the same room, where the agent worker still holds the conversation',
  };
  const out = [`Conversation state lives at the provider. ${ps.map((p) => `${how[p]}.`).join(' ')}`];
  out.push(ps.every((p) => p === 'livekit')
    ? 'Pending tool actions live in the agent worker: a confirmAction RPC that times out during the drop counts as declined, and the agent asks again after the rejoin.'
    : 'Pending tool actions live in the app: on reconnect, re-render proposals still awaiting approval and drop those whose 60 s approval window expired.');
  return out;
}

/** Per provider: what a retry re-creates and which token it needs (a resumption reuses Gemini's token). */
function providerBackoff(ctx: DesignCtx, policy: ReconnectPolicy, recovery: string): string {
  const what: Record<VoiceProvider, string> = {
    'openai-realtime': 'a new OpenAI Realtime session with a freshly minted client secret',
    'gemini-live': `a new Gemini Live connection with the latest resumption handle (a new token only once the old one is past its ${code('expireTime')})`,
    livekit: `a new LiveKit room join with a new join token (only after ${code('Disconnected')}: the SDK handles shorter drops itself)`,
  };
  const ps = providersOf(ctx);
  return `A dropped provider session is retried after a delay ${policy.formulaMd}; each attempt opens ${ps.map((p) => what[p]).join('; or ')}. ${recovery} Stop after 5 failures and offer a retry button${ps.some((p) => p !== 'livekit') ? ', since every new session is billed' : ''}.`;
}

function backoffText(ctx: DesignCtx, policy: ReconnectPolicy): string {
  const recovery = recoveryMd(ctx, policy);
  if (ctx.providerDirect) return providerBackoff(ctx, policy, recovery);
  switch (policy.kind) {
    case 'socket.io':
      return `Socket.IO's client Manager retries by itself: attempt *n* (from 0) waits ${policy.formulaMd}, roughly uniform in that ±50% band (\`randomizationFactor: 0.5\`); this is not full jitter, so a fleet dropped together returns within the first band. ${recovery} The defaults (1,000 ms base, 5,000 ms cap) are raised to the values below. After a server-initiated close (\`io server disconnect\`) Socket.IO does not retry at all: the client reconnects itself after a random 0–5 s delay.`;
    case 'y-websocket':
      return `${code('WebsocketProvider')} retries by itself: attempt *n* waits ${policy.formulaMd} (${code('maxBackoffTime')} defaults to 2,500 ms), so clients dropped together retry in lockstep. ${recovery}`;
    case 'sse-retry':
      return `EventSource retries by itself: every attempt waits ${policy.formulaMd}; the server can raise \`retry:\` under load. ${recovery}`;
    default:
      return `Delay before attempt *n* (from 0) is ${policy.formulaMd}, so clients dropped together spread their reconnects instead of stampeding; the attempt counter resets after 10 s connected. ${recovery}`;
  }
}

const PHASES: Record<Transport, [string, string]> = {
  'socket.io': ['Connecting (Engine.IO handshake)', 'Authenticating (io.use middleware)'],
  websocket: ['Connecting (HTTP upgrade)', 'Authenticating (upgrade handler)'],
  sse: ['Connecting (GET event stream)', 'Authenticating (session cookie)'],
  webrtc: ['Connecting (SDP offer and answer)', 'Authenticating (ephemeral secret)'],
  'long-polling': ['Connecting (first poll)', 'Authenticating (session cookie)'],
};

export function connectionSection(ctx: DesignCtx, resume: ResumeSpec): Plan['connection'] {
  const hb = heartbeat(ctx);
  const policy = reconnectPolicy(ctx);
  const livekitOnly = providersOf(ctx).every((p) => p === 'livekit');
  const [connecting, authenticating] = ctx.providerDirect ? (livekitOnly ? ['Fetching join token', 'Joining the LiveKit room'] : ['Fetching ephemeral token', 'Opening provider session']) : PHASES[ctx.transport];
  const lifecycle = stateDiagram('Connection lifecycle', {
    states: [
      { key: 'idle', label: 'Idle' },
      { key: 'connecting', label: connecting },
      { key: 'auth', label: authenticating },
      { key: 'syncing', label: `Catching up (${resume.event} with ${resume.cursor})` },
      { key: 'open', label: 'Open' },
      { key: 'reconnecting', label: 'Reconnecting (backoff)' },
      { key: 'closed', label: 'Closed' },
    ],
    initial: 'idle',
    transitions: [
      { from: 'idle', to: 'connecting', label: 'connect()' },
      { from: 'connecting', to: 'auth', label: ctx.transport === 'sse' ? 'GET stream with cookie' : 'handshake' },
      { from: 'auth', to: 'syncing', label: 'token valid' },
      { from: 'auth', to: 'closed', label: 'AUTH_FAILED' },
      { from: 'syncing', to: 'open', label: 'state at head seq' },
      { from: 'open', to: 'reconnecting', label: `heartbeat missed or close (${hb[0]?.valueMd.replace(/`/g, '') ?? ''})` },
      { from: 'connecting', to: 'reconnecting', label: 'network error' },
      { from: 'reconnecting', to: 'connecting', label: policy.diagramLabel },
      { from: 'open', to: 'closed', label: 'logout or token revoked' },
    ],
    final: ['closed'],
  });
  return {
    lifecycle,
    authMd: auth(ctx),
    heartbeat: hb,
    backoffMd: backoffText(ctx, policy),
    backoffTable: policy.table.map(({ attempt, ceilingMs, expectedMs }) => ({ attempt, ceilingMs, expectedMs })),
    clientConfig: clientConfig(ctx),
    resumeMd: resumeNotes(ctx, resume),
  };
}
