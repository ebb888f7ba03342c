// What each wire and each server library brings with it, as data the Connection, Security,
// Architecture and Transport sections read: the handshake and how it is authenticated, the
// liveness mechanism, which client retries, what several nodes need. Sections look a trait up
// here instead of comparing transport or library names.
import type { Transport } from '../../types.js';
import type { PolicyKind } from '../connection-providers.js';
import { code } from '../md.js';

/** How a client catches up after a drop: the library's own recovery, EventSource's header, or our replay. */
export type Resume = 'socket-io-recovery' | 'last-event-id' | 'app-replay';

/** How a dead peer is noticed: the mechanism, not the library (several libraries share one). */
export type Liveness = 'engine-io-ping' | 'sse-keepalive' | 'ice-consent' | 'server-ping-frame' | 'yjs-provider' | 'graphql-ws-keepalive' | 'uws-idle-timeout';

export interface TransportTraits {
  /** What to log on both sides to reproduce a reported symptom the code does not explain. */
  traceMd: string;
  /** The lifecycle's connecting and authenticating phases. */
  phases: [string, string];
  /** The lifecycle's connecting → authenticating edge. */
  handshakeLabel: string;
  /** How the handshake is authenticated. */
  authMd: string;
  /**
   * The auth sentence where the client's own reconnect loop stops only on some close codes (the
   * first of them, and where the code tests it): a refusal it can see and stop on. Absent where a
   * refused handshake reaches the client some other way.
   */
  authStopMd?: (codeMd: string, atMd: string) => string;
  /** What happens when a token expires on a live connection. */
  tokenExpiryMd: string;
  /** The event that carries a fresh token on the open connection, when tokenExpiryMd names one: the catalog lists it. */
  refreshEvent?: string;
  /** Where a token found in the connection URL moves to, when the wire has a better carrier than a single-use ticket. */
  queryTokenFixMd?: string;
  /**
   * The credential a load test's virtual users present where the plan moves a token out of the
   * connection URL: the place the plan's handshake check reads it after the steps, not today's.
   */
  queryTokenLoadMd?: string;
  /** The Origin check at the handshake; `existing` when the audit found one. */
  /** `posts`: on a receive-only wire, the POST routes the plan names (null when none). */
  originMd: (existing: boolean, posts?: string | null) => string;
  /** The URL scheme the client must use. */
  scheme: string;
  liveness: Liveness;
  resume: Resume;
  /** Which client retries after a drop, before the AI-stream and managed-provider overrides. */
  policy: PolicyKind;
  /** Several nodes need the load balancer to pin each client (Socket.IO's polling fallback needs one node per session). */
  stickyWhenScaled: boolean;
  /** The pub/sub a new multi-node deployment adds. */
  busName: string;
  /** What a draining node stops accepting. */
  drainStops: string;
  /** The library's call that closes every connection at once, for the shutdown handler's words (absent: none named). */
  closeAllMd?: string;
  /** The compression option and its default, when the server negotiates permessage-deflate. */
  deflateNameMd?: string;
  /** Rooms are a server feature (Socket.IO rooms) rather than a map we keep. */
  nativeRooms: boolean;
  /** Partial credit a project already on this wire gives other options in the transport matrix. */
  credits?: Partial<Record<Transport, number>>;
  /** An edge runtime (Workers, Durable Objects) serves this wire with its own API: no server library. */
  platformSockets?: boolean;
  /** No library to pick: plain HTTP requests. */
  noLibrary?: boolean;
  /** The browser opens this wire to the provider itself (RTCPeerConnection): a server-side SDK cannot carry it. */
  browserOpens?: boolean;
  /** Why this wire fits the needs, one clause per need it meets. */
  reasonsMd: { rooms?: string; push?: string; pushFetch?: string; media?: string; always?: string };
}

const WS_AUTH = `Authenticate in the HTTP ${code('upgrade')} handler (${code('noServer: true')} + ${code('handleUpgrade')}) from the session cookie, or from a single-use 30 s ticket obtained over HTTPS; reject with 401 before the upgrade completes.`;
// The expiry checked is the session's or token's the handshake accepted: a single-use ticket is spent at the
// handshake, and checking its 30 s would close every connection half a minute after it opened.
const CLOSE_ON_EXPIRY =
  "Credentials expire: the server keeps the expiry of the session or token it accepted at the handshake (never a spent single-use ticket's, whose 30 s would close every connection half a minute after it opened), closes a connection once that expiry has passed (checked every heartbeat), and the client reconnects with a fresh credential.";
/** `posts`: the POST routes named (null: none; undefined: not known on this wire, the general rule). */
const SAME_ORIGIN = (posts?: string | null): string =>
  posts === null
    ? `same-origin stream with ${code('SameSite=Lax')} session cookie`
    : `same-origin stream with ${code('SameSite=Lax')} session cookie; reject cross-origin ${code('Origin')} on ${posts ?? 'POST routes'}`;

export const TRANSPORTS: Record<Transport, TransportTraits> = {
  'socket.io': {
    queryTokenFixMd: `move it to the handshake payload (${code('auth')}) or a single-use ticket`,
    queryTokenLoadMd: `Each virtual user sends a staging JWT as ${code('auth: { token }')}, where the plan moves the token (Security): the plan's handshake check reads it there, not from the query string the client puts it in today.`,
    traceMd: 'log the event names and socket ids on both sides',
    phases: ['Connecting (Engine.IO handshake)', 'Authenticating (io.use middleware)'],
    handshakeLabel: 'handshake',
    authMd: `The client sends ${code('auth: { token }')}; an ${code('io.use()')} middleware verifies it before ${code('connection')} fires and puts ${code('userId')} on ${code('socket.data')}. It refuses with ${code("next(Object.assign(new Error('unauthorized'), { data: { code: 'AUTH_FAILED' } }))")}: the client gets ${code('connect_error')} with ${code('err.data.code')} and, after a middleware refusal, does not retry by itself.`,
    // Short-lived tokens (15 minutes is common) would drop every client on each expiry if the server
    // disconnected at the heartbeat: the token is replaced on the open socket instead.
    refreshEvent: 'auth:refresh',
    tokenExpiryMd: `Tokens expire: before its token runs out the client fetches a new one over HTTP and sends it on the open socket (${code('auth:refresh')} with an ack); the server verifies it and moves the expiry kept on ${code('socket.data')}, so a session outlives any number of short-lived tokens without a reconnect, and ${code('auth')} is a function so every reconnect sends the current token. The server checks that expiry when a message arrives: only a socket whose token ran out unrefreshed gets ${code('sys:error')} with ${code('AUTH_FAILED')} and ${code('socket.disconnect(true)')} (Socket.IO does not retry after ${code('io server disconnect')}: the client refreshes and calls ${code('socket.connect()')} after a random 0–5 s delay).`,
    originMd: () =>
      `${code('cors: { origin: [APP_ORIGIN] }')} plus ${code('allowRequest')} that rejects a foreign ${code('Origin')}: CORS alone does not protect the WebSocket upgrade; a missing Origin is let through, since same-origin polling requests and non-browser clients send none, and a browser always sends it on another site's behalf`,
    scheme: 'wss://',
    liveness: 'engine-io-ping',
    resume: 'socket-io-recovery',
    policy: 'socket.io',
    stickyWhenScaled: true,
    busName: '@socket.io/redis-adapter',
    drainStops: 'upgrades',
    closeAllMd: code('io.close()'),
    deflateNameMd: `${code('perMessageDeflate')} (off by default in Socket.IO v4)`,
    nativeRooms: true,
    credits: { websocket: 1 },
    reasonsMd: { rooms: 'Rooms, acks and reconnection come built in, and `@socket.io/redis-adapter` covers several nodes.' },
  },
  websocket: {
    traceMd: 'log the message types, a per-connection id and the close codes on both sides',
    phases: ['Connecting (HTTP upgrade)', 'Authenticating (upgrade handler)'],
    handshakeLabel: 'handshake',
    authMd: WS_AUTH,
    authStopMd: (c, at) =>
      `Check the session cookie, or a single-use 30 s ticket obtained over HTTPS, on the upgrade; refuse a bad one by completing the upgrade and closing the socket at once with ${c}, the close code the client's reconnect loop stops on (${at}). A browser cannot read the HTTP status of a refused upgrade: a 401 before the upgrade reaches it as close 1006, which that loop retries, so a bad credential would be retried forever.`,
    tokenExpiryMd: CLOSE_ON_EXPIRY,
    originMd: (existing) =>
      existing
        ? `keep the existing Origin allow-list at the handshake (the audit found one; no ${code('no-origin-check')} finding) and extend it to every new endpoint`
        : `check the handshake's Origin against an allow-list where ws accepts the handshake (${code('info.origin')} in the ${code('verifyClient')} option of a server created with ${code('server')} or ${code('port')}, ${code('req.headers.origin')} in the HTTP ${code('upgrade')} handler of a ${code('noServer: true')} one) and answer 403 to a foreign one; browsers send Origin on every WebSocket handshake, so a missing one is a non-browser client (a CLI, a service), which authenticates with its token`,
    closeAllMd: `a loop closing every socket in ${code('wss.clients')}`,
    scheme: 'wss://',
    liveness: 'server-ping-frame',
    resume: 'app-replay',
    policy: 'full-jitter',
    stickyWhenScaled: false,
    busName: 'Redis pub/sub',
    drainStops: 'upgrades',
    deflateNameMd: `${code('perMessageDeflate')} (off by default in ws)`,
    nativeRooms: false,
    platformSockets: true,
    reasonsMd: { rooms: 'Rooms and acks are implemented in a small protocol layer (message `type`, `id`, `ack`), documented in the Event protocol section.' },
  },
  sse: {
    traceMd: 'log each stream open and close with its `Last-Event-ID` on the server, and the event ids the browser receives',
    phases: ['Connecting (GET event stream)', 'Authenticating (session cookie)'],
    handshakeLabel: 'GET stream with cookie',
    authMd: `${code('EventSource')} cannot set headers: authenticate the stream with the session cookie (same origin) and check it on every request, including reconnects.`,
    tokenExpiryMd: CLOSE_ON_EXPIRY,
    originMd: (_existing, posts) => SAME_ORIGIN(posts),
    scheme: 'HTTPS',
    liveness: 'sse-keepalive',
    resume: 'last-event-id',
    policy: 'sse-retry',
    stickyWhenScaled: false,
    busName: 'Redis pub/sub',
    drainStops: 'new streams',
    nativeRooms: false,
    reasonsMd: {
      push: 'Traffic is server → client; SSE is plain HTTP with built-in reconnection and `Last-Event-ID` resume, and client actions stay ordinary POST requests.',
      pushFetch:
        'Traffic is server → client; the answer is a `text/event-stream` response to the POST that carries the prompt, read with `fetch` (EventSource cannot POST), so the app resumes explicitly with a GET from the last chunk index instead of relying on EventSource reconnection and `Last-Event-ID`; client actions stay ordinary POST requests.',
    },
  },
  webrtc: {
    traceMd:
      'log the peer connection\u2019s `iceConnectionState` and `connectionState` changes and the data-channel events on the client, and each token mint on the server',
    phases: ['Connecting (SDP offer and answer)', 'Authenticating (ephemeral secret)'],
    handshakeLabel: 'handshake',
    authMd: 'The browser never sees the provider key: an authenticated server route mints the ephemeral secret per session start.',
    tokenExpiryMd: CLOSE_ON_EXPIRY,
    originMd: (_existing, posts) => SAME_ORIGIN(posts),
    scheme: 'HTTPS',
    liveness: 'ice-consent',
    resume: 'app-replay',
    policy: 'full-jitter',
    stickyWhenScaled: false,
    busName: 'Redis pub/sub',
    drainStops: 'upgrades',
    nativeRooms: false,
    browserOpens: true,
    reasonsMd: {
      media:
        'Live audio needs media transport without TCP head-of-line blocking: WebRTC carries it to the provider, our server only issues tokens and handles tool events.',
    },
  },
  'long-polling': {
    traceMd: 'log each poll with its client id and the ids of the events it returned',
    phases: ['Connecting (first poll)', 'Authenticating (session cookie)'],
    handshakeLabel: 'handshake',
    authMd: 'Each poll is an ordinary authenticated HTTP request.',
    tokenExpiryMd: CLOSE_ON_EXPIRY,
    originMd: (_existing, posts) => SAME_ORIGIN(posts),
    scheme: 'HTTPS',
    liveness: 'server-ping-frame',
    resume: 'app-replay',
    policy: 'full-jitter',
    stickyWhenScaled: false,
    busName: 'Redis pub/sub',
    drainStops: 'new polls',
    nativeRooms: false,
    noLibrary: true,
    reasonsMd: { always: 'Long-polling only because every persistent transport is blocked in this environment.' },
  },
};

/**
 * Libraries that change what the wire does: y-websocket's provider pings and reconnects itself;
 * graphql-ws runs its own protocol over ws (connection_init with connectionParams, checked in
 * onConnect; the server pings every `keepAlive`, 12 s by default; the client re-subscribes after
 * a reconnect and nothing is replayed). `rides` is the wire the library runs on.
 */
/** uWebSockets.js: its own upgrade handler, idle timeout and pings (its WebSocketBehavior reference, and rt-plan's uWebSockets.js note). */
const UWS_TRAITS: Partial<TransportTraits> = {
  liveness: 'uws-idle-timeout',
  authMd: `Authenticate in the route's ${code('upgrade')} handler: read the cookie or ticket with ${code('req.getHeader')} before any ${code('await')} (the request object is valid only synchronously), register ${code('res.onAborted')}, then ${code('res.upgrade({ userId, expiresAt }, …)')} or answer ${code('401')}.`,
  originMd: (existing) =>
    existing
      ? `keep the existing Origin allow-list at the handshake (the audit found one; no ${code('no-origin-check')} finding) and extend it to every new endpoint`
      : `check ${code("req.getHeader('origin')")} against an allow-list in the route's ${code('upgrade')} handler, before any ${code('await')}, and answer 403 to a foreign one instead of calling ${code('res.upgrade')}; browsers send Origin on every WebSocket handshake, so a missing one is a non-browser client (a CLI, a service), which authenticates with its token`,
  tokenExpiryMd: `Tokens expire: keep the expiry in the user data given to ${code('res.upgrade')}, check it in ${code('message')} with ${code('ws.getUserData()')}, and close an expired socket with ${code('ws.end(4001)')}; the client reconnects with a refreshed token.`,
};

/**
 * y-websocket: `WebsocketProvider` reconnects by itself to the URL built from its server URL,
 * document name and `params`, with no hook before a retry (y-websocket src/y-websocket.js), so a
 * credential in the URL must outlive the reconnects: a single-use ticket is spent on the first
 * connect and every later reconnect is refused. Same-origin cookies ride on every upgrade.
 */
const Y_WEBSOCKET_TRAITS: Partial<TransportTraits> = {
  liveness: 'yjs-provider',
  policy: 'y-websocket',
  authMd: `Authenticate in the HTTP ${code('upgrade')} handler, before ${code('setupWSConnection')} runs, and answer 401 before the upgrade completes. ${code('WebsocketProvider')} reconnects by itself to the same URL and ${code('params')}, with no hook before a retry: a single-use or seconds-long ticket in ${code('params')} is spent on the first connect, every reconnect after a drop is refused and offline edits never reach the server. Use the same-origin session cookie (nothing in the URL; the browser sends it on every upgrade), or, for a server on another origin, a reusable token bound to the document that stays valid across reconnects and is renewed before it expires by assigning ${code('provider.params')} (y-websocket 2.x and later rebuild the URL from ${code('params')} on every reconnect; on older versions create a new provider on the same Y.Doc and destroy the old one).`,
  tokenExpiryMd: `Tokens expire: the cookie or token is checked at every upgrade, and the client renews a URL token before it expires (a refused reconnect is retried by the provider with the same URL, forever), so an expired credential never strands a document's offline edits.`,
  queryTokenFixMd: `authenticate the upgrade with the same-origin session cookie, or a reusable token renewed in ${code('provider.params')}; never a single-use ticket, because ${code('WebsocketProvider')} reconnects with the same URL`,
};

/** A NestJS gateway on Socket.IO: the io middleware goes in afterInit; handleConnection runs only after the client saw `connect` (docs.nestjs.com/websockets/gateways). */
const NEST_SOCKET_IO: Partial<TransportTraits> = {
  authMd: `The client sends ${code('auth: { token }')}; the gateway verifies it in ${code('afterInit(server)')} with ${code('server.use((socket, next) => …)')}, before ${code('handleConnection')} runs, and puts the user on ${code('socket.data')}. A check in ${code('handleConnection')} followed by ${code('disconnect(true)')} comes too late: the client has already seen ${code('connect')}, and Socket.IO never retries a server-side disconnect. The middleware refuses with ${code("next(Object.assign(new Error('unauthorized'), { data: { code: 'AUTH_FAILED' } }))")}: the client gets ${code('connect_error')} with ${code('err.data.code')}. Guards (${code('@UseGuards')}) run per message, not at the handshake.`,
};

const LIBRARY_TRAITS: Record<string, { rides: Transport; traits: Partial<TransportTraits> }> = {
  '@nestjs/websockets': { rides: 'socket.io', traits: NEST_SOCKET_IO },
  'uWebSockets.js': { rides: 'websocket', traits: UWS_TRAITS },
  uws: { rides: 'websocket', traits: UWS_TRAITS },
  'y-websocket': { rides: 'websocket', traits: Y_WEBSOCKET_TRAITS },
  // @fastify/websocket owns the ws server and the upgrade (it refuses the ws `noServer` option) and runs
  // the route's hooks before upgrading, so a hook that replies refuses the handshake
  // (https://github.com/fastify/fastify-websocket#using-hooks).
  '@fastify/websocket': {
    rides: 'websocket',
    traits: {
      authMd: `Authenticate in a ${code('preValidation')} hook on the WebSocket route (or its plugin scope): @fastify/websocket runs the route's hooks before the upgrade, so ${code('reply.code(401).send()')} there refuses it; read the session cookie or a single-use 30 s ticket obtained over HTTPS. The plugin owns the upgrade, so no ${code('noServer')} server or ${code('upgrade')} handler of ours sits beside it.`,
      originMd: (existing) =>
        existing
          ? `keep the existing Origin allow-list at the handshake (the audit found one; no ${code('no-origin-check')} finding) and extend it to every new endpoint`
          : `check ${code('request.headers.origin')} against an allow-list in the same ${code('preValidation')} hook and answer 403 to a foreign one; browsers send Origin on every WebSocket handshake, so a missing one is a non-browser client (a CLI, a service), which authenticates with its token`,
    },
  },
  'graphql-ws': {
    rides: 'websocket',
    traits: {
      liveness: 'graphql-ws-keepalive',
      authMd: `The client passes the token in ${code('connectionParams')} (a function, so every reconnect sends a fresh one); the server checks it in ${code('onConnect')} and returns ${code('false')} to refuse, which closes the socket with ${code('4403 Forbidden')}; ${code('context')} reads the same verified identity for every operation.`,
      tokenExpiryMd: `Tokens expire: graphql-ws checks ${code('connectionParams')} only at ${code('connection_init')}, so the server closes a socket whose token expired with ${code('4403')}, and the client's ${code('connectionParams')} function supplies a refreshed token on the reconnect.`,
    },
  },
};

/** The traits of the chosen wire, with the overrides of the chosen library and of libraries in the stack that ride on it. */
export function traitsOf(ctx: {
  transport: Transport;
  library: string | null;
  input?: { analysis: { stack: { libraries: { name: string }[] } } };
}): TransportTraits {
  const names = new Set([...(ctx.library ? [ctx.library] : []), ...(ctx.input?.analysis.stack.libraries.map((l) => l.name) ?? [])]);
  let traits = TRANSPORTS[ctx.transport];
  for (const [name, lib] of Object.entries(LIBRARY_TRAITS)) if (names.has(name) && lib.rides === ctx.transport) traits = { ...traits, ...lib.traits };
  return traits;
}
