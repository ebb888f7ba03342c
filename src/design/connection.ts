// Connection management with numbers: handshake auth, heartbeat (the project's own values
// when the analysis found them, else the library's documented defaults), reconnection with
// capped exponential backoff and full jitter, and resume after a drop.
import { stateDiagram } from '../diagrams/builders.js';
import { streamPath, type DesignCtx } from './context.js';
import type { Plan, Row } from './types.js';
import type { Transport } from '../types.js';
import type { ResumeSpec } from './scenarios/kit.js';
import { code, fmt, list, text } from './md.js';

export const BACKOFF = { baseMs: 500, factor: 2, capMs: 30_000, attempts: 8 };

export function backoffTable(): { attempt: number; ceilingMs: number; expectedMs: number }[] {
  return Array.from({ length: BACKOFF.attempts }, (_, attempt) => {
    const ceilingMs = Math.min(BACKOFF.capMs, BACKOFF.baseMs * BACKOFF.factor ** attempt);
    return { attempt, ceilingMs, expectedMs: ceilingMs / 2 };
  });
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
      { label: 'pingTimeout', valueMd: '20,000 ms', sourceMd: `Socket.IO v4 default${cite}` },
      { label: 'Dead peer detected after', valueMd: `≤ ${fmt(interval + 20_000)} ms`, sourceMd: 'pingInterval + pingTimeout' },
      { label: 'Proxy idle timeout', valueMd: `> ${fmt(interval)} ms (nginx ${code('proxy_read_timeout')} default 60 s is enough)`, sourceMd: 'a ping every interval keeps the stream busy' },
    ];
  }
  if (ctx.transport === 'sse') {
    return [
      { label: 'Keep-alive comment', valueMd: `${code(': keep-alive')} every 15,000 ms`, sourceMd: `proxies close idle streams after 30–60 s${ctx.cite.cite(['sse', 'keep-alive', 'heartbeat'])}` },
      { label: 'retry:', valueMd: '1,000 ms plus up to 1,000 ms random per client', sourceMd: 'averages 1.5 s, inside the < 2 s recovery SLO, and spreads reconnect storms over a second' },
      { label: 'Dead client detected', valueMd: 'on the next failed write (≤ 15,000 ms)', sourceMd: 'the keep-alive write fails on a closed socket' },
    ];
  }
  if (ctx.providerDirect) return providerRows(ctx);
  if (ctx.transport === 'webrtc') {
    return [
      { label: 'ICE connection state', valueMd: `${code('disconnected')} → wait 5,000 ms → ICE restart`, sourceMd: 'WebRTC has its own consent freshness checks' },
      { label: 'Token route', valueMd: 'fetch a fresh ephemeral secret per (re)connection', sourceMd: `secrets expire in about a minute${ctx.cite.cite(['ephemeral-token'])}` },
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

function providerRows(ctx: DesignCtx): Row[] {
  const rows: Row[] = [];
  if (ctx.voiceProviders.includes('gemini-live')) {
    const c = ctx.cite.cite(['session-limits', 'resume'], 'gemini-live');
    rows.push(
      { label: 'Gemini Live connection', valueMd: 'about 10 minutes, announced by `goAway` with `timeLeft`', sourceMd: `Vertex AI / Firebase Live API session docs${c}` },
      { label: 'Gemini Live session', valueMd: '15 minutes audio-only (2 minutes with video) without context-window compression', sourceMd: `enable compression and resumption${c}` },
      { label: 'Resumption handle', valueMd: 'store the latest `sessionResumptionUpdate.newHandle`; reconnect with it on `goAway` or a drop', sourceMd: 'keeps the conversation across connections' },
    );
  }
  if (ctx.voiceProviders.includes('openai-realtime') || ctx.voiceProviders.length === 0) {
    rows.push(
      { label: 'ICE connection state', valueMd: '`disconnected` → wait 5,000 ms → ICE restart; `failed` → new session', sourceMd: 'WebRTC consent checks replace a heartbeat' },
      { label: 'Client secret', valueMd: 'fetch a fresh one per (re)connection, right before the SDP offer', sourceMd: `expires after about one minute${ctx.cite.cite(['ephemeral-token'], 'openai-realtime')}` },
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
    'socket.io': `The client sends ${code('auth: { token }')}; an ${code('io.use()')} middleware verifies it before ${code('connection')} fires and puts ${code('userId')} on ${code('socket.data')}. Rejections become ${code('connect_error')} with ${code('AUTH_FAILED')}.`,
    websocket: `Authenticate in the HTTP ${code('upgrade')} handler (${code('noServer: true')} + ${code('handleUpgrade')}) from the session cookie, or from a single-use 30 s ticket obtained over HTTPS; reject with 401 before the upgrade completes.`,
    sse: `${code('EventSource')} cannot set headers: authenticate the stream with the session cookie (same origin) and check it on every request, including reconnects.`,
    webrtc: 'The browser never sees the provider key: an authenticated server route mints the ephemeral secret, scoped to one session.',
    'long-polling': 'Each poll is an ordinary authenticated HTTP request.',
  };
  out.push(ctx.providerDirect
    ? `The browser connects to the provider with an ephemeral token from an authenticated route on our server (session cookie, per-user rate limit); the provider API key never leaves the server${ctx.cite.cite(['ephemeral-token'], ctx.voiceProviders[0] ?? 'openai-realtime')}.`
    : how[ctx.transport] ?? '');
  out.push('Tokens expire: the server closes connections whose token expired (checked every heartbeat) and the client reconnects with a refreshed one.');
  return out;
}

function clientConfig(ctx: DesignCtx): { lang: string; code: string } {
  const lang = ctx.layout.ext === 'ts' ? 'ts' : 'js';
  if (ctx.transport === 'socket.io') {
    const sticky = ctx.capacity.result.instances > 1;
    return { lang, code: `const socket = io(URL, {\n  auth: (cb) => cb({ token: getToken() }),\n  reconnectionDelay: ${BACKOFF.baseMs},\n  reconnectionDelayMax: ${BACKOFF.capMs},\n  randomizationFactor: 0.5, // Socket.IO jitter is ±50%, not full jitter\n${sticky ? "  transports: ['websocket'], // no long-polling: no sticky sessions needed\n" : ''}});` };
  }
  if (ctx.library === 'y-websocket') {
    return { lang, code: `import * as Y from 'yjs';\nimport { WebsocketProvider } from 'y-websocket';\n\nconst doc = new Y.Doc();\n// the token travels as a query parameter of the upgrade: keep it short-lived (60 s) and single-use\nconst provider = new WebsocketProvider(WS_URL, docId, doc, { params: { token: await getTicket(docId) } });\nprovider.on('status', ({ status }) => setConnectionStatus(status));` };
  }
  if (ctx.transport === 'sse' && ctx.scenarios.includes('ai-streaming')) {
    return { lang, code: `// EventSource cannot POST a prompt: read the text/event-stream response of the POST with fetch\nconst res = await fetch('${streamPath(ctx.layout)}', {\n  method: 'POST',\n  headers: { 'content-type': 'application/json', ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },\n  body: JSON.stringify({ requestId, conversationId, prompt }),\n});\nconst reader = res.body${lang === 'ts' ? '!' : ''}.pipeThrough(new TextDecoderStream()).getReader();\n// split on blank lines; keep the last id: as lastEventId for a resume after a drop` };
  }
  if (ctx.transport === 'sse') {
    return { lang, code: `// server: first line of every stream\nres.write('retry: ' + (1000 + Math.floor(Math.random() * 1000)) + '\\n\\n');\n// client: EventSource reconnects by itself and sends Last-Event-ID\nconst source = new EventSource('${streamPath(ctx.layout)}', { withCredentials: true });` };
  }
  return { lang, code: `// full jitter: uniform in [0, min(cap, base * 2^attempt)]\nfunction reconnectDelay(attempt${lang === 'ts' ? ': number' : ''}) {\n  return Math.random() * Math.min(${BACKOFF.capMs}, ${BACKOFF.baseMs} * 2 ** attempt);\n}\n// reset attempt to 0 after the connection stayed open for 10 s` };
}

function resumeNotes(ctx: DesignCtx, r: ResumeSpec): string[] {
  if (ctx.providerDirect) {
    return [
      'Conversation state lives at the provider: after a drop, reconnect with a fresh token (and the Gemini resumption handle when there is one) instead of starting a new conversation.',
      'Pending tool actions live in the app: on reconnect, re-render proposals still awaiting approval and drop those whose 60 s approval window expired.',
    ];
  }
  const redis = ctx.input.analysis.stack.scaling.some((s) => s.name === '@socket.io/redis-adapter');
  if (ctx.transport === 'socket.io') {
    return [
      redis || ctx.capacity.result.instances > 1
        ? `Socket.IO's ${code('connectionStateRecovery')} does not work with the classic Redis adapter${ctx.cite.cite(['resume', 'scaling'], '@socket.io/redis-adapter')}: resume with the application's sequence numbers (below), or switch to ${code('@socket.io/redis-streams-adapter')}, which supports it.`
        : `Enable ${code('connectionStateRecovery: { maxDisconnectionDuration: 120000 }')} (Socket.IO ≥ 4.6) for short drops${ctx.cite.cite(['resume'], 'socket.io')}; longer drops fall back to sequence-number replay.`,
      `After every reconnect the client re-sends ${code(r.event)} with ${code(r.cursor)} for each channel; the server replays from its log or sends a snapshot.`,
    ];
  }
  if (ctx.transport === 'sse') {
    return [`Every event carries \`id:\` (the per-channel seq); on reconnect the browser sends \`Last-Event-ID\` and the server replays later events before going live${r.event === 'Last-Event-ID' ? '' : `; other clients send ${code(r.event)} with ${code(r.cursor)}`}.`];
  }
  return [`On reconnect the client sends ${code(r.event)} with ${code(r.cursor)} for every channel it follows; the server replays from a bounded log (last 10 minutes) or answers with a snapshot, and only then marks the connection *open*.`];
}

function backoffText(ctx: DesignCtx, firstTwoMs: number): string {
  const formula = `min(${fmt(BACKOFF.capMs)} ms, ${fmt(BACKOFF.baseMs)} ms × ${BACKOFF.factor}^n)`;
  const target = `expected wait over the first two attempts ${fmt(firstTwoMs)} ms, inside the 2 s recovery target`;
  if (ctx.providerDirect) return `A dropped provider session is re-created after a delay uniform in [0, ${formula}] (full jitter) with a fresh token each time; ${target}. Stop after 5 failures and offer a retry button, since every attempt mints a billable session.`;
  if (ctx.transport === 'socket.io') return `Socket.IO's client Manager retries by itself: delay ${formula} with ±50% randomization (\`randomizationFactor: 0.5\`), not full jitter, so keep the cap high to spread a fleet; ${target}. The defaults (1,000 ms base, 5,000 ms cap) reconnect a dropped fleet within 5 s of each other: raise the cap as below.`;
  if (ctx.transport === 'sse') return `EventSource retries at a fixed \`retry:\` delay with no backoff; the server randomizes \`retry:\` per client, and after 3 consecutive errors the client closes the EventSource and reopens it after a delay uniform in [0, ${formula}]; ${target}.`;
  return `Delay before attempt *n* (from 0) is uniform in [0, ${formula}] (full jitter), so clients dropped together spread their reconnects instead of stampeding; the attempt counter resets after 10 s connected; ${target}.`;
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
  const [connecting, authenticating] = ctx.providerDirect ? ['Fetching ephemeral token', 'Opening provider session'] : PHASES[ctx.transport];
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
      { from: 'reconnecting', to: 'connecting', label: `delay random(0, min(${BACKOFF.capMs / 1000} s, ${BACKOFF.baseMs} ms × 2^n))` },
      { from: 'open', to: 'closed', label: 'logout or token revoked' },
    ],
    final: ['closed'],
  });
  const table = backoffTable();
  return {
    lifecycle,
    authMd: auth(ctx),
    heartbeat: hb,
    backoffMd: backoffText(ctx, (table[0]?.expectedMs ?? 0) + (table[1]?.expectedMs ?? 0)),
    backoffTable: table,
    clientConfig: clientConfig(ctx),
    resumeMd: resumeNotes(ctx, resume),
  };
}
