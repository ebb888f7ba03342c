// Liveness, auth, limits and scaling signals of one file. The audit rules read these; the stack
// summary is built from them. Every signal is a line in the file, so every claim has evidence.
import type { AuthKind } from '../../types.js';
import type { ArgInfo } from './ast.js';
import { addAdapterSignals } from '../model/adapters/index.js';
import type { PresenceGuard } from '../model/imported-auth.js';
import { entryOptions, type EntryHit, type Side } from './entrypoints.js';
import type { CallFact, FileFacts } from './facts.js';
import { type FileContext, findProp, firstString, moduleOf, optionsArg, stringsIn } from './file-context.js';

export interface FileSignals {
  heartbeat: { line: number; intervalMs?: number; timeoutMs?: number; pingTimeoutMs?: number; side: Side }[];
  /** A server message sent on a timer that is not a ping (`{ type: 'pong' }` every 30 s, unasked): it keeps a connection busy, but detects nothing. */
  timedSends?: { line: number; name: string; intervalMs?: number }[];
  /** `builtin`: the API reconnects by itself (EventSource), at a delay the server sets with `retry:`. */
  reconnect: { line: number; backoff: boolean; jitter: boolean; builtin?: true }[];
  /** `file`: the hit is cited in another module than this one (model/route-auth.ts). */
  /** `key`: the handshake field the hit reads (`handshake.auth.hostToken` → `hostToken`). */
  auth: { kind: AuthKind; line: number; side: Side; file?: string; key?: string }[];
  /** SSE routes the model shows are open to anyone (model/route-auth.ts): registration lines. */
  openRoutes?: number[];
  /** Route or upgrade guards that only test a cookie or header is present (model/imported-auth.ts). */
  presenceAuth?: PresenceGuard[];
  /** A handshake check whose token kind is unknown: `io.use(fn)`, `verifyClient`. */
  authGate: number[];
  /**
   * A gate made by a factory of an imported package (`io.use(socketioJwt.authorize({ … }))`): its
   * line and the package it is imported from, so what that package documents can be said of it;
   * `property`: the `decodedPropertyName` its options set (a string literal), or null where the
   * option is set to a value rt-plan cannot read.
   */
  authGateFrom?: { line: number; source: string; property?: string | null }[];
  /**
   * `io.use(name)` with a middleware whose name says nothing: a gate only if the module it is
   * imported from verifies a token, which the companion pass (companions.ts) decides.
   */
  gateIdents: { name: string; line: number }[];
  scaling: { name: string; line: number }[];
  multiNode: number[];
  sticky: number[];
  websocketOnly: number[];
  originCheck: number[];
  corsWildcard: number[];
  payloadLimit: number[];
  compression: number[];
  errorHandler: number[];
  shutdown: number[];
  /** Of those, the lines that only switch on a framework's shutdown hooks (Nest's `app.enableShutdownHooks()`): no handler to edit. */
  shutdownHooks: number[];
  bufferedAmount: number[];
  loopSends: number[];
  sseKeepAlive: number[];
  sseIds: number[];
  iceServersMissing: number[];
  /**
   * A user id the server reads from what the client sends (`req.query.userId`,
   * `socket.handshake.query.userId`, `url.searchParams.get('userId')`): server-side files only.
   * `fnAt`: the function the request belongs to (the member fact's `fnAt`; a call's enclosing function).
   */
  clientIdentity?: { line: number; expr: string; request: string; fnAt?: number }[];
  /**
   * Reads of a signature the request itself carries in its query or headers (`req.query.auth_signature`,
   * `url.searchParams.get('signature')`), with the request read (`req`, `url.searchParams`) and the
   * function it belongs to (`fnAt`): an identity read from that same request (same name, same
   * function) is signed by the caller's secret. A check in a named helper counts where a function
   * calls it with its request (`signatureIsValid(req, secret)`) or a route runs it before the handler
   * (`app.get(path, verifySignature, handler)`): each such place is one more entry, at the call, with
   * the caller's request and function; `all` where the file runs it before every route
   * (`router.use(verifySignature)`). Another handler of the file that names its request `req` too
   * is not signed by it. A body field (an e-signature image) or a bare `timingSafeEqual` (a password
   * compare) is no such read.
   */
  signedRequest?: { line: number; request: string; fnAt?: number; all?: true }[];
  /**
   * A Map that files one connection per user id (`streams.set(userId, res)`) and deletes the
   * user's entry on close (`streams.delete(userId)`) without checking it is still this connection.
   */
  oneSlotPerUser?: { line: number; map: string; key: string; deleteLine: number }[];
}

const ADAPTERS: Record<string, string> = {
  '@socket.io/redis-adapter': '@socket.io/redis-adapter',
  '@socket.io/redis-streams-adapter': '@socket.io/redis-streams-adapter',
  '@socket.io/cluster-adapter': '@socket.io/cluster-adapter',
  'socket.io-redis': 'socket.io-redis',
  '@socket.io/postgres-adapter': '@socket.io/postgres-adapter',
  '@socket.io/mongo-adapter': '@socket.io/mongo-adapter',
};
export const VERIFY_CALL = /^(verify\w*|jwtVerify|decodeToken|getUser|validate\w*|authenticate\w*|checkAuth)$/;
const CLIENT_ENV = /^(?:import\.meta\.env|process\.env)\.((?:VITE|NEXT_PUBLIC|REACT_APP|PUBLIC|EXPO_PUBLIC)_\w+)$/;
const SECRET_ENV = /KEY|SECRET|TOKEN|PASSWORD/;
const PUBLIC_ENV = /ANON|PUBLISHABLE|PUBLIC_KEY|SITE_KEY|PUSHER_(APP_)?KEY|VAPID|_URL$|_HOST$|CLIENT_ID|CLIENT_TOKEN|DSN|FIREBASE_API_KEY/;
/** Middleware names that state an authentication purpose: `io.use(authenticate)`. */
export const GATE_NAME = /auth|verify|jwt|token|session|guard/i;
/** The message names a timed send is a heartbeat by (`{ type: 'ping' }`, `send('heartbeat')`); any other timed send is a message of its own (timedSends). */
const HEARTBEAT_NAME = /^(ping|heartbeat|keepalive)$/i;

/** Libraries that verify tokens: a file importing one runs on the server. */
const JWT_LIBS = ['jsonwebtoken', 'jose', 'hono/jwt', '@nestjs/jwt', 'jwt-decode', 'fast-jwt', '@fastify/jwt'];
const SESSION_FN = /session|auth|verify|user|member|jwt|token/i;
const QUERY_TOKEN = /[?&](token|access_token|jwt|auth|authorization)=/i;

const isStr = (a: ArgInfo | undefined, re: RegExp): boolean => {
  const s = firstString(a);
  return s !== null && re.test(s);
};

function heartbeats(ctx: FileContext, entries: EntryHit[], serverContext = false): FileSignals['heartbeat'] {
  const out: FileSignals['heartbeat'] = [];
  for (const e of entries) {
    const opts = entryOptions(e);
    if (e.kind === 'socket-server') {
      const p = opts?.props?.pingInterval;
      // https://socket.io/docs/v4/server-options/#pingtimeout: read with the interval, since the two
      // together say when a silent peer is dropped.
      const t = opts?.props?.pingTimeout;
      out.push({
        line: p?.line ?? e.line,
        ...(p?.num === undefined ? {} : { intervalMs: p.num }),
        ...(t?.num === undefined ? {} : { pingTimeoutMs: t.num }),
        side: 'server',
      });
    }
    const hb = opts?.props?.heartbeat;
    if (e.kind === 'ws-client' && hb && hb.bool !== false) {
      const iv = hb.props?.interval;
      // react-use-websocket closes the socket when no message at all arrived for `timeout` ms.
      const to = hb.props?.timeout;
      out.push({
        line: hb.line,
        ...(iv?.num !== undefined ? { intervalMs: iv.num } : {}),
        ...(to?.num !== undefined ? { timeoutMs: to.num } : {}),
        side: 'client',
      });
    }
    if (e.kind === 'ws-server' && e.call?.method === 'ws' && e.call.args[1]?.props?.sendPingsAutomatically?.bool !== false) {
      // uWS pings idle sockets itself before idleTimeout; it has no fixed interval to report.
      const idle = e.call.args[1]?.props?.idleTimeout;
      out.push({ line: idle?.line ?? e.line, side: 'server' });
    }
  }
  // An SSE comment line written in the stream's loop keeps proxies from closing an idle stream.
  // https://html.spec.whatwg.org/multipage/server-sent-events.html#authoring-notes
  if (entries.some((e) => e.kind === 'sse-endpoint')) {
    for (const c of ctx.facts.calls) {
      if (c.inLoop && /^(write|writeSSE|enqueue)$/.test(c.method) && stringsIn(c.args).some((s) => /^:/.test(s))) out.push({ line: c.line, side: 'server' });
    }
  }
  // A helper module a server imports (companions.ts) pings on that server's connections.
  const serverish = serverContext || entries.some((e) => e.side === 'server');
  for (const c of ctx.facts.calls) {
    if (!c.interval) continue;
    const ping =
      c.method === 'ping' ||
      (c.path === 'JSON.stringify' && isStr(c.args[0]?.props?.type, HEARTBEAT_NAME)) ||
      (c.method === 'send' && isStr(c.args[0], HEARTBEAT_NAME));
    const comment = stringsIn(c.args).some((s) => /^:[^\n]*\n/.test(s) || s === ':');
    if (ping || comment)
      out.push({ line: c.interval.line, ...(c.interval.ms !== null ? { intervalMs: c.interval.ms } : {}), side: serverish ? 'server' : 'client' });
  }
  return out;
}

/**
 * A typed frame a socket sends on a timer: `ws.send(JSON.stringify({ type: 'pong' }))` in a
 * setInterval, or `c.send(frame)` there with `const frame = JSON.stringify({ type })`. A stringify
 * logged, written to a file or published to Redis reaches no socket and is none.
 */
function timedSends(ctx: FileContext, entries: EntryHit[], serverContext: boolean): NonNullable<FileSignals['timedSends']> {
  if (!serverContext && !entries.some((e) => e.side === 'server')) return [];
  const frames = new Map(ctx.facts.vars.filter((v) => v.init === 'JSON.stringify()').map((v) => [v.name, v.arg] as const));
  return ctx.facts.calls.flatMap((c) => {
    if (!c.interval || c.method !== 'send' || c.path === 'send') return [];
    const arg = c.args[0];
    const frame = arg?.kind === 'call' && arg.path === 'JSON.stringify' ? arg : arg?.kind === 'ident' ? frames.get(arg.path ?? '') : undefined;
    const name = firstString(frame?.args?.[0]?.props?.type);
    if (name === null || HEARTBEAT_NAME.test(name)) return [];
    return [{ line: c.interval.line, name, ...(c.interval.ms !== null ? { intervalMs: c.interval.ms } : {}) }];
  });
}

function reconnects(ctx: FileContext, entries: EntryHit[]): FileSignals['reconnect'] {
  const out: FileSignals['reconnect'] = [];
  const jitter = ctx.facts.jitter.length > 0;
  const backoff = ctx.facts.backoff.length > 0;
  for (const e of entries) {
    const opts = entryOptions(e);
    if (e.kind === 'socket-client' && opts?.props?.reconnection?.bool !== false) {
      out.push({ line: e.line, backoff: true, jitter: opts?.props?.randomizationFactor?.num !== 0 });
    }
    // https://html.spec.whatwg.org/multipage/server-sent-events.html#reestablish-the-connection
    if (e.kind === 'sse-client' && e.call?.isNew && e.call.path === 'EventSource') out.push({ line: e.line, backoff: false, jitter: false, builtin: true });
    if (e.kind === 'ws-client' && e.call && ['reconnecting-websocket', 'partysocket'].includes(moduleOf(ctx, e.call.path) ?? '')) {
      out.push({ line: e.line, backoff: true, jitter: true });
    }
    const should = opts?.props?.shouldReconnect ?? opts?.props?.retryOnError;
    if (e.kind === 'ws-client' && should && should.bool !== false) {
      const interval = opts?.props?.reconnectInterval;
      out.push({ line: should.line, backoff: interval?.kind === 'function', jitter: jitter || interval?.random === true });
    }
  }
  // A timer in a close handler or reconnect function, or one that re-runs the function that opens
  // a client connection (`setTimeout(open, delay)` from an EventSource's error listener).
  const openers = new Set(entries.flatMap((e) => ((e.side === 'client' || e.kind === 'ws-client') && e.call?.inFn ? [e.call.inFn] : [])));
  const reopens = (c: CallFact): boolean => c.args[0]?.kind === 'ident' && openers.has(c.args[0].path ?? '');
  const timer = ctx.facts.calls.find((c) => (c.path === 'setTimeout' || c.path === 'window.setTimeout') && (c.inClose || c.inReconnect || reopens(c)));
  const retryCall = ctx.facts.calls.find((c) => c.inClose && /^(re)?connect|reconnect/i.test(c.method));
  const own = timer ?? retryCall;
  if (own && entries.some((e) => e.side === 'client' || e.kind === 'ws-client'))
    out.push({ line: own.line, backoff: backoff || own.delay?.backoff === true, jitter: jitter || own.delay?.jitter === true });
  return out;
}

export interface SignalOptions {
  /** The file is a module imported by a server's real-time code: read it as server side. */
  serverContext?: boolean;
}

function authKinds(ctx: FileContext, entries: EntryHit[], serverContext: boolean): FileSignals['auth'] {
  const out: FileSignals['auth'] = [];
  const { facts } = ctx;
  for (const f of facts.firstMessageAuth ?? []) out.push({ kind: 'first-message', line: f.line, side: 'server' });
  for (const e of entries) {
    if (e.kind === 'token-route') out.push({ kind: 'ephemeral-token', line: e.line, side: 'server' });
    if (!e.call || e.side !== 'client') continue;
    const url = e.call.args[0];
    if (url && isStr(url, QUERY_TOKEN)) out.push({ kind: 'jwt-query', line: url.line, side: 'client' });
    const opts = optionsArg(e.call);
    const q = opts?.props?.query;
    if (q?.props && Object.keys(q.props).some((k) => /token|jwt|auth/i.test(k))) out.push({ kind: 'jwt-query', line: q.line, side: 'client' });
    const a = opts?.props?.auth;
    if (a?.kind === 'object' || a?.kind === 'function') out.push({ kind: 'jwt-header', line: a.line, side: 'client' });
    // A provider SDK that asks a function of ours for each connection's token (centrifuge-js `getToken`):
    // a short-lived credential minted per connection and fetched again before it expires.
    const g = e.kind === 'provider-client' ? opts?.props?.getToken : undefined;
    if (g?.kind === 'function') out.push({ kind: 'ephemeral-token', line: g.line, side: 'client' });
  }
  for (const m of facts.members) {
    const env = CLIENT_ENV.exec(m.path);
    if (env?.[1] && SECRET_ENV.test(env[1]) && !PUBLIC_ENV.test(env[1])) out.push({ kind: 'api-key-in-client', line: m.line, side: 'client' });
  }
  const server = serverContext || entries.some((e) => e.side === 'server') || ctx.sources.has('socket.io') || ctx.sources.has('ws');
  const cookieJwt =
    facts.calls.some((c) => c.method === 'jwtVerify') ||
    findProp(
      facts.calls.flatMap((c) => c.args),
      'cookieName',
    ) !== null ||
    JWT_LIBS.some((m) => ctx.sources.has(m));
  // The cookie header handed to a function that names a session or auth purpose, at the
  // upgrade: `sessionFromCookie(req.headers.cookie)` decides whether the socket is accepted.
  for (const c of facts.calls) {
    if (!server || !SESSION_FN.test(c.method)) continue;
    const cookie = c.args.find((a) => /headers\.cookie$|\.cookies$/.test(a.path ?? ''));
    if (cookie) out.push({ kind: cookieJwt && /jwt|token/i.test(c.method) ? 'jwt-cookie' : 'session-cookie', line: c.line, side: 'server' });
  }
  const verifies = facts.calls.some((c) => VERIFY_CALL.test(c.method));
  if (!server || !verifies) return out;
  const readsCookie =
    facts.members.some((m) => /cookie/i.test(m.path)) ||
    facts.calls.some((c) => /cookie/i.test(c.method) || c.args.some((a) => /cookie/i.test(a.path ?? a.str ?? '')));
  const params = new Set(facts.vars.filter((v) => v.init === 'new URLSearchParams()').map((v) => v.name));
  for (const c of facts.calls) {
    if (c.method === 'getCookie' && c.args.length >= 1) out.push({ kind: cookieJwt ? 'jwt-cookie' : 'session-cookie', line: c.line, side: 'server' });
    if (c.method === 'get' && (params.has(c.root) || /URLSearchParams\(\)\.get$/.test(c.path)) && isStr(c.args[0], /^(token|access_token|jwt|auth)$/))
      out.push({ kind: 'jwt-query', line: c.line, side: 'server' });
  }
  for (const m of facts.members) {
    if (/handshake\.query\.\w+$|(^|\.)query\.(token|access_token|jwt)$/.test(m.path)) out.push({ kind: 'jwt-query', line: m.line, side: 'server' });
    else if (/handshake\.auth(\.\w+)?$|headers\.authorization$/i.test(m.path)) {
      const key = /handshake\.auth\.(\w+)$/.exec(m.path)?.[1];
      out.push({ kind: 'jwt-header', line: m.line, side: 'server', ...(key ? { key } : {}) });
    } else if (/headers\.cookie$|\.cookies(\.\w+)?$/.test(m.path))
      out.push({ kind: cookieJwt ? 'jwt-cookie' : 'session-cookie', line: m.line, side: 'server' });
  }
  for (const c of facts.calls) {
    if (c.method === 'get' && c.path.includes('searchParams') && isStr(c.args[0], /^(token|access_token|jwt)$/))
      out.push({ kind: 'jwt-query', line: c.line, side: 'server' });
    if (/^(get|getHeader|header)$/.test(c.method) && isStr(c.args[0], /^authorization$/i)) out.push({ kind: 'jwt-header', line: c.line, side: 'server' });
    // jose's jwtVerify verifies whatever token it is given: a cookie only when the file reads one.
    if (c.method === 'jwtVerify' && cookieJwt && readsCookie) out.push({ kind: 'jwt-cookie', line: c.line, side: 'server' });
  }
  return out;
}

function scaling(ctx: FileContext): Pick<FileSignals, 'scaling' | 'multiNode' | 'sticky'> {
  const out: Pick<FileSignals, 'scaling' | 'multiNode' | 'sticky'> = { scaling: [], multiNode: [], sticky: [] };
  for (const c of ctx.facts.calls) {
    const inner = c.args[0];
    if (c.method === 'adapter' && inner?.kind === 'call' && inner.path) {
      const mod = moduleOf(ctx, inner.path);
      const name = mod ? ADAPTERS[mod] : undefined;
      if (name) {
        out.scaling.push({ name, line: c.line });
        out.multiNode.push(c.line);
      }
    }
    const mod = moduleOf(ctx, c.path);
    if (mod === '@socket.io/sticky' && /^setup(Master|Primary)$/.test(c.method)) {
      out.scaling.push({ name: '@socket.io/sticky', line: c.line });
      out.sticky.push(c.line);
    }
    if ((mod === 'cluster' || mod === 'node:cluster') && c.method === 'fork') out.multiNode.push(c.line);
    if (/^p?(subscribe|publish)$/.test(c.method) && c.args[0]?.kind === 'string') {
      const recvInit = ctx.facts.vars.find((v) => v.name === c.root)?.init ?? '';
      const recvMod = moduleOf(ctx, recvInit.replace(/^new /, '')) ?? (/\.duplicate\(\)$/.test(recvInit) ? 'redis' : null);
      if (recvMod === 'ioredis' || recvMod === 'redis') out.scaling.push({ name: 'redis-pubsub', line: c.line });
      if (recvMod === 'nats') out.scaling.push({ name: 'nats', line: c.line });
    }
    if (/^p?(subscribe|publish)$/.test(c.method) && c.args[0]) {
      // `this.pubClient.publish(channel, data)` on a field the class set to a Redis client: the channel may be any expression.
      const field = /^this\.(\w+)\.p?(?:subscribe|publish)$/.exec(c.path)?.[1];
      const inits = field ? (ctx.facts.fieldInits ?? []).filter((f) => f.field === field) : [];
      if (inits.length > 0 && inits.every((f) => ['ioredis', 'redis'].includes(moduleOf(ctx, f.init.replace(/^new /, '')) ?? '')))
        out.scaling.push({ name: 'redis-pubsub', line: c.line });
    }
  }
  return out;
}

/** Names of a user's identity: `userId`, `user_id`, `accountId`, `uid`. */
const ID_NAME = /^(?:(?:user|account|customer|member|player|viewer|shopper)_?id|uid)$/i;

/** Where a server file takes a user id from the request the client controls. */
function clientIdentity(ctx: FileContext, entries: EntryHit[], serverContext: boolean): NonNullable<FileSignals['clientIdentity']> {
  if (!serverContext && !entries.some((e) => e.side === 'server')) return [];
  const out: NonNullable<FileSignals['clientIdentity']> = [];
  for (const m of ctx.facts.members) {
    const hit = /^(?:(.*)\.)?(?:query|params|handshake\.query|handshake\.auth)\.(\w+)$/.exec(m.path);
    if (hit?.[2] && ID_NAME.test(hit[2])) out.push({ line: m.line, expr: m.path, request: hit[1] ?? '', ...fnAtOf(m) });
  }
  for (const c of ctx.facts.calls) {
    const key = c.args[0]?.kind === 'string' ? (c.args[0].str ?? '') : '';
    if (c.method === 'get' && /searchParams|URLSearchParams/.test(c.path) && ID_NAME.test(key))
      out.push({ line: c.line, expr: `${c.path}('${key}')`, request: c.path.slice(0, -'.get'.length), ...fnAtOf(c) });
  }
  return out.sort((a, b) => a.line - b.line);
}

function fnAtOf(x: { fnAt?: number }): { fnAt?: number } {
  return x.fnAt !== undefined ? { fnAt: x.fnAt } : {};
}

/** The methods that add a route to an Express-style app or router. */
const ROUTE_VERB = /^(?:get|post|put|patch|delete|head|options|all)$/;

/** A signature the request carries over itself (HMAC-signed HTTP APIs: Pusher's `auth_signature`): in its query or a header. */
const SIGNATURE_FIELD = /^(?:(.*)\.)?(?:query|headers)\.\w*signature$/i;

function signedRequest(ctx: FileContext, identity: NonNullable<FileSignals['clientIdentity']>): NonNullable<FileSignals['signedRequest']> {
  const out: NonNullable<FileSignals['signedRequest']> = [];
  for (const m of ctx.facts.members) {
    const hit = SIGNATURE_FIELD.exec(m.path);
    if (hit) out.push({ line: m.line, request: hit[1] ?? '', ...fnAtOf(m) });
  }
  for (const c of ctx.facts.calls) {
    const key = c.args[0]?.kind === 'string' ? (c.args[0].str ?? '') : '';
    if (c.method === 'get' && /searchParams|URLSearchParams/.test(c.path) && /signature$/i.test(key))
      out.push({ line: c.line, request: c.path.slice(0, -'.get'.length), ...fnAtOf(c) });
  }
  // A named helper that reads the signature off its parameter signs the request its caller passes in that place.
  const heads = ctx.facts.fnHeads ?? [];
  const tree = new Map((ctx.facts.fnTree ?? []).map((f) => [f.line, f]));
  /** `verify` or `this.verify` (a method of the same class) names the function `verify`. */
  const names = (path: string | undefined, name: string): boolean => path === name || path === `this.${name}`;
  // The checkers: a named function that reads the signature off one of its parameters (which one), and
  // a named function that passes its own parameter on to a checker in that place
  // (`authMiddleware(res, next) { this.signatureIsValid(res).then(…) }`).
  const checkers = new Map<string, number>();
  for (const s of out) {
    const head = heads.find((h) => h.name && h.line === s.fnAt);
    const at = head ? head.params.indexOf(s.request) : -1;
    if (head?.name && at >= 0 && !checkers.has(head.name)) checkers.set(head.name, at);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of ctx.facts.calls) {
      const hit = [...checkers].find(([name]) => names(c.path, name));
      const passed = hit ? c.args[hit[1]] : undefined;
      if (passed?.kind !== 'ident' || !passed.path) continue;
      // The function whose parameter is passed: the innermost around the call that takes that name.
      const owner = enclosing(tree, c.fnAt)
        .map((line) => heads.find((h) => h.line === line))
        .find((h) => h?.params.includes(passed.path!));
      if (!owner?.name || checkers.has(owner.name)) continue;
      checkers.set(owner.name, owner.params.indexOf(passed.path));
      grew = true;
    }
  }
  // The reads themselves only: an entry added at a call is not followed again.
  const direct = out.slice();
  /** Where a checker is named as a value (`app.get(p, verify, h)`, `[cors, this.authMiddleware]`), its place and the function it is written in. */
  const refs: { line: number; fnAt?: number; arg: number; at: number }[] = [];
  for (const c of ctx.facts.calls)
    c.args.forEach((a, i) => {
      for (const x of a.kind === 'array' ? (a.items ?? []) : [a])
        for (const [name, at] of checkers)
          if ((x.kind === 'ident' || x.kind === 'member') && names(x.path, name)) refs.push({ line: c.line, ...fnAtOf(c), arg: i, at });
    });
  for (const [name, at] of checkers) {
    const first = direct.find((s) => heads.some((h) => h.name === name && h.line === s.fnAt));
    const request = first?.request ?? heads.find((h) => h.name === name)?.params[at] ?? '';
    for (const c of ctx.facts.calls) {
      // `signatureIsValid(req, secret)` in a handler: that handler's `req`.
      const passed = names(c.path, name) ? c.args[at] : undefined;
      if (passed?.kind === 'ident' && passed.path) out.push({ line: c.line, request: passed.path, ...fnAtOf(c) });
      // `app.get(path, verifySignature, (req, res) => …)` (or in a list, `[verifySignature]`): the route runs it before each handler after it.
      const mw = c.args.findIndex((x) =>
        (x.kind === 'array' ? (x.items ?? []) : [x]).some((y) => (y.kind === 'ident' || y.kind === 'member') && names(y.path, name)),
      );
      if (mw < 0) continue;
      if (c.method === 'use' && !c.args.some((x) => x.kind === 'function')) {
        // `app.use(verify)` (or at `/`) runs before every route; `app.use('/webhooks', verify)` only before the routes under its path.
        const mount = c.args[0]?.kind === 'string' ? (c.args[0].str ?? '').replace(/\/+$/, '') : '';
        if (!mount) out.push({ line: c.line, request, all: true });
        else {
          const under = (p: string | null): p is string => p !== null && (p === mount || p.startsWith(`${mount}/`));
          // Routers it covers: those passed after it in this call (`app.use('/webhooks', verify, hooks)`) and
          // those the same app mounts under that path from this line on (`app.use('/webhooks', hooks)`).
          const routers = new Set<string>();
          for (const x of c.args.slice(mw + 1)) if (x.kind === 'ident' && x.path) routers.add(x.path);
          for (const u of ctx.facts.calls) {
            const p = u.args[0]?.kind === 'string' ? (u.args[0].str ?? '') : null;
            if (u.method !== 'use' || u.path !== c.path || u.line < c.line || !under(p?.replace(/\/+$/, '') ?? null)) continue;
            for (const x of u.args.slice(1)) if (x.kind === 'ident' && x.path) routers.add(x.path);
          }
          for (const r of ctx.facts.calls) {
            const p = r.args[0]?.kind === 'string' ? (r.args[0].str ?? '') : null;
            const onRouter = routers.has(r.path.slice(0, -(r.method.length + 1))) && ROUTE_VERB.test(r.method);
            const onApp = r.method !== 'use' && r.path === c.path.replace(/use$/, r.method) && under(p);
            if (!onRouter && !onApp) continue;
            for (const h of r.args) if (h.kind === 'function' && h.params?.[at]) out.push({ line: c.line, request: h.params[at]!, fnAt: h.line });
          }
        }
      }
      for (const h of c.args.slice(mw + 1)) if (h.kind === 'function' && h.params?.[at]) out.push({ line: c.line, request: h.params[at]!, fnAt: h.line });
    }
  }
  // A read in a function that names a checker, or in a promise callback of one
  // (`this.attachMiddleware(res, [this.authMiddleware]).then((res) => … res.params.userId)`): the
  // function runs the check on its request before that read. Up to the named function or the
  // route or listener callback around the read, no further: a sibling method or route is not signed by it.
  for (const h of identity) {
    const around = readScope(tree, h.fnAt);
    const ref = refs.find((r) => r.fnAt !== undefined && around.includes(r.fnAt));
    if (ref) out.push({ line: ref.line, request: h.request, ...fnAtOf(h) });
  }
  return out.sort((a, b) => a.line - b.line);
}

type FnTree = Map<number, NonNullable<FileFacts['fnTree']>[number]>;

/** The functions around a place, innermost first, from the function it is written in (its first line). */
function enclosing(tree: FnTree, fnAt: number | undefined): number[] {
  const out: number[] = [];
  for (let f = fnAt !== undefined ? tree.get(fnAt) : undefined; f && !out.includes(f.line); f = f.parent !== undefined ? tree.get(f.parent) : undefined)
    out.push(f.line);
  return out;
}

/** Promise callbacks continue the function they are written in: `p.then((res) => …)`. */
const CONTINUATION = /^(?:then|catch|finally)$/;

/** The function a read belongs to and, through anonymous promise callbacks, the one that wrote them: up to a named function or a callback of anything else (a route, a listener). */
function readScope(tree: FnTree, fnAt: number | undefined): number[] {
  const out: number[] = [];
  for (const line of enclosing(tree, fnAt)) {
    out.push(line);
    const f = tree.get(line);
    if (f?.name || !CONTINUATION.test(f?.via ?? '')) break;
  }
  return out;
}

/** A key naming a user, not a connection: `userId`, `req.query.userId`, `socket.data.userId`, `user.id`. */
const USER_KEY = /(?:^|\.)(?:(?:user|account|customer|member|player|viewer|shopper)_?id|uid)$|(?:^|\.)user\.id$/i;
/** Names of a connection object a Map could hold. */
const CONN_NAME = /^(?:res|reply|response|stream|socket|ws|conn|connection|client|peer|controller|writer)$/i;

function oneSlotPerUser(ctx: FileContext, entries: EntryHit[], serverContext: boolean): NonNullable<FileSignals['oneSlotPerUser']> {
  if (!serverContext && !entries.some((e) => e.side === 'server')) return [];
  const out: NonNullable<FileSignals['oneSlotPerUser']> = [];
  const { calls } = ctx.facts;
  for (const set of calls) {
    const [k, v] = set.args;
    if (
      set.method !== 'set' ||
      !set.root ||
      set.path !== `${set.root}.set` ||
      !k?.path ||
      !USER_KEY.test(k.path) ||
      v?.kind !== 'ident' ||
      !CONN_NAME.test(v.path ?? '')
    )
      continue;
    const del = calls.find((c) => c.path === `${set.root}.delete` && c.args[0]?.path === k.path);
    if (!del) continue;
    // `if (map.get(userId) === res) map.delete(userId)`: the delete checks the entry is this connection.
    const checked = calls.some((c) => c.path === `${set.root}.get` && c.args[0]?.path === k.path && c.line <= del.line && c.line >= del.line - 2);
    if (!checked) out.push({ line: set.line, map: set.root, key: k.path, deleteLine: del.line });
  }
  return out;
}

const lines = (calls: CallFact[], pred: (c: CallFact) => boolean): number[] => calls.filter(pred).map((c) => c.line);
const propLines = (calls: CallFact[], key: string, pred: (a: ArgInfo) => boolean = () => true): number[] =>
  calls.flatMap((c) => {
    const p = findProp(c.args, key);
    return p && pred(p) ? [p.line] : [];
  });

const HTTP_CORS = /^(cors|enableCors)$/;

const isIoUse = (c: CallFact): boolean => c.method === 'use' && /^(io|this\.io|nsp|namespace)$/.test(c.path.slice(0, -'.use'.length));

export function detectSignals(ctx: FileContext, entries: EntryHit[], opts: SignalOptions = {}): FileSignals {
  const { calls, members, assigns, strings } = ctx.facts;
  const identUses = calls.filter((c) => isIoUse(c) && c.args[0]?.kind === 'ident');
  const named = (c: CallFact): boolean => GATE_NAME.test(c.args[0]?.path ?? '');
  const isEvent = (c: CallFact, name: string): boolean => ['on', 'once', 'addEventListener'].includes(c.method) && firstString(c.args[0]) === name;
  const wsServerFile = entries.some((e) => e.kind === 'ws-server');
  // The HTTP CORS middleware (`cors({ origin })`, Nest's `app.enableCors`) answers HTTP requests
  // only: a WebSocket upgrade never passes through it (CORS does not cover WebSockets), so its
  // allow-list checks no handshake. A server's own `cors.origin` option still counts.
  const httpCors = new Set(
    propLines(
      calls.filter((c) => HTTP_CORS.test(c.method)),
      'origin',
    ),
  );
  // `origin: ['*']` lists no site: what it lets in depends on who reads it (joined into a header it
  // is any site; the cors package matches each entry literally), so it is not an allow-list either way.
  const listsWildcard = (a: ArgInfo): boolean => a.kind === 'array' && (a.items ?? []).some((i) => i.kind === 'string' && i.str === '*');
  const allowList = (a: ArgInfo): boolean => !(a.kind === 'string' && a.str === '*') && !(a.kind === 'bool' && a.bool) && !listsWildcard(a);
  // A Nest gateway's options (`@WebSocketGateway({ cors: { origin } })`) are its Socket.IO server's.
  const gatewayCors = (ctx.facts.module?.classes ?? []).flatMap((k) =>
    k.decorators.flatMap((d) => {
      const p = d.name === 'WebSocketGateway' ? findProp(d.args, 'origin') : null;
      return p && allowList(p) ? [p.line] : [];
    }),
  );
  // `log.error({ err, origin })`: a logged value named origin configures nothing.
  const configCalls = calls.filter((c) => !/^(?:log|error|warn|info|debug|trace)$/.test(c.method));
  const cors = [...propLines(configCalls, 'origin', allowList).filter((l) => !httpCors.has(l)), ...gatewayCors];
  const serverContext = opts.serverContext === true;
  const identity = clientIdentity(ctx, entries, serverContext);
  return addAdapterSignals(ctx, entries, serverContext, {
    heartbeat: heartbeats(ctx, entries, serverContext),
    timedSends: timedSends(ctx, entries, serverContext),
    reconnect: reconnects(ctx, entries),
    auth: authKinds(ctx, entries, serverContext),
    ...scaling(ctx),
    authGate: [
      ...lines(calls, (c) => isIoUse(c) && c.args[0]?.kind === 'function'),
      // `io.use(socketioJwt.authorize({ secret, handshake: true }))`: a middleware factory named for authentication.
      ...lines(calls, (c) => isIoUse(c) && c.args[0]?.kind === 'call' && GATE_NAME.test(c.args[0].path ?? '')),
      ...identUses.filter(named).map((c) => c.line),
      ...propLines(calls, 'verifyClient'),
      ...lines(
        calls,
        (c) => c.method === 'addHook' && isStr(c.args[0], /^(preValidation|onRequest)$/) && ctx.facts.calls.some((v) => VERIFY_CALL.test(v.method)),
      ),
    ],
    gateIdents: identUses.filter((c) => !named(c)).map((c) => ({ name: c.args[0]?.path ?? '', line: c.line })),
    authGateFrom: calls.flatMap((c) => {
      if (!(isIoUse(c) && c.args[0]?.kind === 'call' && GATE_NAME.test(c.args[0].path ?? ''))) return [];
      const root = (c.args[0].path ?? '').split('.')[0];
      const imp = ctx.facts.imports.find((i) => i.locals.some((l) => l.local === root));
      if (!imp || /^[./]/.test(imp.source)) return [];
      // Where the factory's options name the property the verified claims go on (`decodedPropertyName: 'user'`).
      const named = c.args[0].args?.[0]?.props?.decodedPropertyName;
      const property = named ? (named.kind === 'string' && named.str ? named.str : null) : undefined;
      return [{ line: c.line, source: imp.source, ...(property !== undefined ? { property } : {}) }];
    }),
    websocketOnly: propLines(calls, 'transports', (a) => a.kind === 'array' && a.items?.length === 1 && a.items[0]?.str === 'websocket'),
    originCheck: [
      ...cors,
      ...propLines(calls, 'allowRequest'),
      // verifyClient(({ origin }) => …): the documented way to check Origin in ws.
      ...propLines(calls, 'verifyClient', (a) => a.kind === 'function' && (a.destructured ?? []).includes('origin')),
      ...members.filter((m) => /(headers|info|req|request)\.origin$/.test(m.path)).map((m) => m.line),
      ...lines(calls, (c) => /^(getHeader|get|header)$/.test(c.method) && isStr(c.args[0], /^origin$/i)),
    ],
    corsWildcard: propLines(calls, 'origin', (a) => (a.kind === 'string' && a.str === '*') || (a.kind === 'bool' && a.bool === true)),
    payloadLimit: [...propLines(calls, 'maxPayload'), ...propLines(calls, 'maxPayloadLength'), ...propLines(calls, 'maxHttpBufferSize')],
    compression: [
      ...propLines(calls, 'perMessageDeflate', (a) => a.kind === 'object' || a.bool === true),
      ...propLines(calls, 'compression', (a) => (a.kind === 'member' || a.kind === 'ident') && /COMPRESSOR/.test(a.path ?? '')),
    ],
    errorHandler: [...lines(calls, (c) => isEvent(c, 'error')), ...assigns.filter((a) => a.target.endsWith('.onerror')).map((a) => a.line)],
    shutdown: lines(calls, (c) => (/^process\.(on|once)$/.test(c.path) && isStr(c.args[0], /^SIG(TERM|INT)$/)) || c.method === 'enableShutdownHooks'),
    shutdownHooks: lines(calls, (c) => c.method === 'enableShutdownHooks'),
    bufferedAmount: [...members.filter((m) => m.path.endsWith('.bufferedAmount')).map((m) => m.line), ...lines(calls, (c) => c.method === 'getBufferedAmount')],
    // A rooms module a ws server imports (companions.ts) broadcasts to that server's sockets.
    loopSends: wsServerFile || (serverContext && ctx.sources.has('ws')) ? lines(calls, (c) => c.method === 'send' && c.inLoop) : [],
    sseKeepAlive: entries.some((e) => e.kind === 'sse-endpoint') ? heartbeats(ctx, entries, serverContext).map((h) => h.line) : [],
    sseIds: [
      ...strings.filter((s) => /(?:^|\n)id: ?/.test(s.value)).map((s) => s.line),
      ...lines(calls, (c) => c.method === 'writeSSE' && c.args[0]?.props?.id !== undefined),
    ],
    clientIdentity: identity,
    signedRequest: signedRequest(ctx, identity),
    oneSlotPerUser: oneSlotPerUser(ctx, entries, serverContext),
    iceServersMissing: lines(
      calls,
      (c) => c.isNew && c.path === 'RTCPeerConnection' && (c.args.length === 0 || (c.args[0]?.kind === 'object' && !c.args[0].props?.iceServers)),
    ),
  });
}
