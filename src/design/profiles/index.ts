// One profile per runtime a plan can land on: what it has built in and which advice applies
// to it. Sections read the profile instead of branching on library or provider names, so
// permessage-deflate, payload options, pub/sub between our nodes and overload answers appear
// only where the runtime has them.
import { detectLayout, type DesignCtx } from '../context.js';
import { managedProvider } from '../scenarios/kit.js';
import { policyKind } from '../connection-providers.js';
import { code, fmt, list, text } from '../md.js';
import { instanceFeed } from '../feed.js';
import { notificationAudience } from '../scenarios/notifications.js';
import type { BackpressureArgs } from './ops.js';
import { servedProtocol } from './served-protocols.js';

export interface HeartbeatRow {
  label: string;
  valueMd: string;
  sourceMd: string;
}

/** The client keep-alive the plan sets; `bounded` when a context bound on removal sized it (removal.ts). */
export interface KeepAlive {
  keepAliveMs: number;
  silentMs: number;
  sweepMs: number;
  /** A connection silent this long is closed; before that only what it owned is removed (a hidden tab's throttled timers). */
  closeMs: number;
  bounded: boolean;
}

export interface RuntimeProfile {
  id: 'socket.io' | 'ws' | 'sse-eventsource' | 'sse-fetch' | 'webrtc' | 'provider-direct' | 'managed' | 'edge' | 'http';
  /** We run the socket server, so permessage-deflate is ours to configure. */
  deflate: boolean;
  /** The server option that caps one inbound message; null when a provider or HTTP sets it. */
  payloadCap: { option: string; defaultMd: string } | null;
  /** Cross-node fan-out runs through our own pub/sub (and so needs its lag watched). */
  ownFanout: boolean;
  /** How an overloaded node turns new connections away, in a form the client honours. */
  refuseMd: string;
  /** What to say about compression when deflate does not apply. */
  compressionMd?: string;
  /**
   * The server library rt-plan's per-process figures (a Socket.IO benchmark) were not measured for
   * and likely understate: its name, said wherever the figures decide a verdict (instances needed,
   * a conflict with a cap, a capacity alert), so a team does not buy machines on a figure of another library.
   */
  unmeasured?: { library: string; whyMd: string };
  /** Where the inbound size check goes when no server option caps it (null: HTTP body limit). */
  capWhereMd?: string;
  /** How the handshake is authenticated on this runtime, when it differs from the transport's own advice. */
  handshakeAuthMd?: string;
  /**
   * The protocol the server speaks admits connections with no credential (Pusher's): what the code
   * shows today, said as that protocol's design rather than a gap, and no token on the connection to expire.
   */
  anonymousHandshakeMd?: (at: string | undefined) => string;
  /**
   * Heartbeat rows when the runtime has its own liveness mechanism instead of server ping frames;
   * a function of the client keep-alive interval when the plan sets it (removal.ts: a context bound
   * on how soon a gone user's cursor disappears shortens it).
   */
  heartbeatRows?: HeartbeatRow[] | ((l: KeepAlive) => HeartbeatRow[]);
  /**
   * How a silent connection is closed and its live state removed on this runtime, when a context
   * bound asks for it (removal.ts); null-able: the generic sentence names a timer of ours.
   */
  sweepMd?: (l: KeepAlive) => string;
  /**
   * What the credential route of ours mints on this runtime, where it is no short-lived token (a
   * Pusher channel authorization is a signature bound to one connection, with no expiry).
   */
  mintedCredentialMd?: string;
  /** What happens when a token expires, when the runtime (not a server of ours) holds the connection. */
  tokenExpiryMd?: string;
  /** The same where the credential is the site's session cookie: the browser carries the current one on every reconnect, and there is no token for the client to fetch. */
  cookieExpiryMd?: string;
  /** Why no pub/sub runs between our nodes, when the runtime fans out for us. */
  fanoutMd?: string;
  /** What sits in front of the sockets instead of our load balancer, and what holds them instead of our instances. */
  front?: { entryLabel: string; holderLabel: string; storeLabel: string };
  /** The provider that holds the sockets; our server only authorizes and publishes over HTTP. */
  socketHost?: { label: string; authMd: string };
  /** Where the Origin check belongs when no handshake of ours exists. */
  originMd?: string;
  /** Where a room's membership is checked when opening the room is the join (no join event of ours). */
  roomRuleMd?: string;
  /** What a deploy does to live connections, when we hold none to drain. */
  drainMd?: string;
  /** The server library's call that closes every connection at once, where it is not the transport's. */
  closeAllMd?: string;
  /** How one server process uses the cores of a machine the context states ("one 4-vCPU VM"). */
  coresMd?: (cores: number) => string;
  /** The client → server edge in the architecture diagram, when not the transport's name. */
  wireLabel?: string;
  /** The same edge where the web client only reads the stream (no client action to POST). */
  streamOnlyWireLabel?: string;
  /** Where TLS ends; the default is our load balancer. */
  tlsMd?: string;
  /**
   * A real-time server product the project runs and configures itself (its image or binary and a
   * config file) but whose code is not the project's: the settings to check are in its config, and
   * no vendor plan or quota bounds it.
   */
  selfHostedServer?: { label: string; settingsMd: string };
  /** The server is not in this repository: its settings are its owner's, and the plan says what to ask. */
  external?: { askMd: string };
  /**
   * A managed provider the browser reaches directly, and no server of ours in the repository: the
   * provider's own database, under its row policies, takes the writes, so there is no route,
   * handler or instance of ours to draw, test or load.
   */
  noServer?: { storeLabel: string; writesMd: string; changesMd: string; componentMd: string };
  /** What the presence module holds, when a timer of its own would cost (a hibernating object). */
  presenceWhyMd?: string;
  /**
   * How the provider's presence already groups a user's connections under one key, replacing a
   * connection count and a grace timer of ours: the mitigation, and the test that checks it.
   */
  presenceKey?: { mitigationMd: string; testMd: string };
  /** How the presence grace period is timed on this runtime, when not by a timer in our process. */
  presenceGraceMd?: (graceMd: string) => string;
  /** How a server-initiated close gets its random initial delay here, when not as the transport usually does (a fetch reader ignores `retry:`). */
  stormDelayMd?: string;
  /** Where per-socket state (a rate bucket) survives the room sleeping and waking: the runtime's own per-socket storage. */
  socketStateMd?: string;
  /** EventSource: the client only receives on the stream, so inbound validation and rate limits apply to POST routes and stream opens. */
  receiveOnly?: true;
  /** Functions on a serverless host serve the streams: no load balancer, instance count or sticky sessions of ours. */
  serverless?: { host: string };
  /** What the platform holding the sockets caps per room, and the setting that raises it. */
  roomLimit?: { plain: number; raised: number; settingMd: string; sourceMd: string };
  /** Why no send buffer is ours to watch, and what bounds a slow room instead (the socket's runtime exposes none). */
  noBufferMd?: string;
  /**
   * What keeps the largest room from holding up smaller ones, when each room has a holder of its
   * own: the largest room's size, a smaller room's size and the largest room's deliveries per second.
   */
  isolationMd?: (largest: number, smaller: number | null, deliveriesPerSecond: number) => string;
  /**
   * Where one single-threaded holder sends every message of its room to each member: what a room
   * that publishes more messages than frames it can batch into must do (one frame per window, typing
   * in the frame). The arithmetic is the caller's: the room's size and inbound rate, its sends per
   * second unbatched and batched at the longest and shortest window.
   */
  batchMd?: (b: {
    size: number;
    inPerSecond: number;
    ratePerUser: number;
    sends: number;
    windowsMs: readonly [number, number];
    batched: readonly [number, number];
    typing: boolean;
  }) => string;
  /** What the platform bills a room for while it holds sockets, what in the design keeps that down, and where to read it against the budget (quoted). */
  billingMd?: (budgetMd: string) => string;
  /** A failure between our own front and the socket holder, and how to answer it. */
  frontFailureMd?: string;
  /** How to notice and shed a slow consumer, where the server library's own API differs from the runtime's. */
  backpressureMd?: (b: BackpressureArgs) => string;
  /** What the send-buffer metric reads, where the server library's own API differs. */
  bufferWhyMd?: string;
  /**
   * The send buffer the server library itself caps per socket (uWebSockets.js `maxBackpressure`):
   * past it the library drops or closes, so a buffer reading can never be seen above it and any
   * slow-consumer threshold of ours sits below it.
   */
  sendBufferCap?: { bytes: number; optionMd: string };
  /** Where the metrics of Observability go when no process of ours serves a scrape endpoint. */
  metricsSinkMd?: string;
  /** What the delivery-latency histogram measures from, when no server of ours stamps a send time. */
  deliveryLatencyMd?: string;
  /**
   * How many reconnects per second the holder of one room's sockets accepts, as its runtime
   * documents it; sizes the first reconnect window after a deploy drops every socket at once.
   */
  acceptRate?: { perSecond: number; holderMd: string; sourceMd: string };
  /**
   * Where a load test connects when the platform, not a fleet of ours, holds the sockets: the URL
   * it enters by, and what one room's connections all reach (the unit whose limit a test can find).
   */
  loadTarget?: { entryMd: string; holderMd: string; limitMd: string };
  /** What runs the real server locally for integration tests, when not a Node process of ours. */
  localServerMd?: string;
  /**
   * The fix of an audit finding in this runtime's own API, by finding id, replacing the rule's
   * general text (which names several libraries) in the Findings table.
   */
  findingFixMd?: Partial<Record<string, string>>;
}

/** Messages carry their own `type` on a plain WebSocket: no typed event map of a library to share. */
const TYPE_FIELD_MISMATCH_FIX = `Share the message ${code('type')} names and payload types from one module that both sides import (a union of ${code('{ type: … }')} shapes), and make every ${code('type')} one side sends meet a handler on the other: add the missing handler or the missing sender, and remove one only where nothing needs it.`;

const PROFILES: Record<RuntimeProfile['id'], RuntimeProfile> = {
  'socket.io': {
    id: 'socket.io',
    deflate: true,
    payloadCap: { option: 'maxHttpBufferSize', defaultMd: 'default 1e6' },
    ownFanout: true,
    refuseMd: `an overloaded node refuses handshakes in ${code('io.use')} with ${code("next(new Error('overloaded'))")} and ${code('err.data.retryAfterMs')}, and the client waits that long plus jitter before ${code('socket.connect()')}`,
  },
  ws: {
    id: 'ws',
    deflate: true,
    payloadCap: { option: 'maxPayload', defaultMd: 'ws default 100 MiB' },
    ownFanout: true,
    refuseMd: `an overloaded node answers the upgrade with 503 and ${code('Retry-After')}, or closes with ${code('1013')} (try again later)`,
    findingFixMd: { 'event-name-mismatch': TYPE_FIELD_MISMATCH_FIX },
  },
  'sse-eventsource': {
    id: 'sse-eventsource',
    wireLabel: 'HTTPS stream + POST',
    streamOnlyWireLabel: 'HTTPS stream',
    receiveOnly: true,
    deflate: false,
    payloadCap: null,
    ownFanout: true,
    // Any non-200 answer or a wrong Content-Type makes EventSource fail for good: never 503 it.
    refuseMd: `an overloaded node still answers 200 with ${code('text/event-stream')}, sends a larger ${code('retry:')} and ends the stream, because EventSource gives up for good on any non-200 answer`,
    // The plan's own answers for an EventSource stream (Connection management, State synchronization), not the rule's generic ones.
    findingFixMd: {
      'sse-no-keepalive': `Write ${code('event: sys:ping')} every 15 s on each open stream and clear the timer when the request closes: like a comment line it keeps proxies from closing the quiet stream, and unlike one it reaches the client's watchdog (EventSource listeners never see comment lines).`,
      'sse-no-event-id': `Give each event an ${code('id:')} that orders the stream; on reconnect EventSource sends the last one as ${code('Last-Event-ID')} and the server resumes after it from where State synchronization says the events are kept.`,
    },
    compressionMd:
      'gzip on a long-lived SSE response buffers events unless flushed per event: disable compression on the stream route, or flush after every event.',
  },
  'sse-fetch': {
    id: 'sse-fetch',
    wireLabel: 'HTTPS stream + POST',
    deflate: false,
    payloadCap: null,
    ownFanout: true,
    refuseMd: `an overloaded node answers 503 with ${code('Retry-After')}; the fetch reader's own retry policy honours it`,
    stormDelayMd: `(the client draws it itself when a stream ends before its last chunk: ${code('fetch')} ignores ${code('retry:')})`,
    compressionMd:
      'gzip on a long-lived SSE response buffers events unless flushed per event: disable compression on the stream route, or flush after every event.',
  },
  webrtc: {
    id: 'webrtc',
    deflate: false,
    payloadCap: null,
    ownFanout: false,
    refuseMd: 'the token route answers 503 and the client retries with backoff',
    compressionMd: 'Audio and events go to the provider directly; compression is its concern, not ours.',
  },
  'provider-direct': {
    id: 'provider-direct',
    deflate: false,
    payloadCap: null,
    ownFanout: false,
    refuseMd: 'the token route answers 503 and the client retries with backoff',
    compressionMd: 'Audio and events go to the provider directly; compression is its concern, not ours.',
  },
  managed: {
    id: 'managed',
    deflate: false,
    payloadCap: null,
    ownFanout: false,
    refuseMd: 'the provider sheds load itself; the token or auth route answers 503 and the client retries with backoff',
    compressionMd: "The managed provider runs the sockets: compression and message size limits are its settings and its plan's quotas, not ours.",
    fanoutMd:
      'The provider delivers every message to its subscribers: our nodes only authorize channels and publish, so no pub/sub bus runs between them and any load balancer works.',
    // Fetch standard (https://fetch.spec.whatwg.org/#origin-header): only a same-origin GET or HEAD goes without Origin.
    originMd: `the authorization route rejects a foreign ${code('Origin')}, and a missing one on a POST (a browser sends ${code('Origin')} on every POST, same-origin or not; only a same-origin GET or HEAD goes without it, so only there is a missing one let through), and requires the user's session credential (a ${code('SameSite=Lax')} cookie, or an ${code('Authorization')} header, which another site's page cannot add), so another site cannot get channels signed for a signed-in user`,
    drainMd:
      'Deploys of our servers drop no live connection: the provider holds them; only in-flight authorization and publish requests need the usual graceful HTTP shutdown.',
  },
  // Cloudflare Workers and Durable Objects: the runtime terminates the socket and one object per
  // room is the broadcast point, so there is no pub/sub between our nodes and no ws server options.
  edge: {
    id: 'edge',
    deflate: false,
    payloadCap: null,
    ownFanout: false,
    refuseMd: `the Worker answers the upgrade request with 503 and ${code('Retry-After')} when the object throws an overload error; a browser WebSocket only sees a failed connection, so the client backs off with jitter`,
    compressionMd: 'The Workers runtime terminates the WebSocket: there is no ws server option to tune here, and event sizes are kept small instead.',
    capWhereMd: `a length check at the top of ${code('webSocketMessage')}, before ${code('JSON.parse')}, closing with 1009 above`,
    // Hibernation bills duration for every wake-up: an app-level ping would wake each room twice a minute.
    heartbeatRows: [
      {
        label: 'Client keep-alive',
        valueMd: `the text ${code('ping')} every 25,000 ms, answered ${code('pong')} by ${code('setWebSocketAutoResponse')} without waking the object`,
        sourceMd: 'Durable Objects Hibernation API: auto-responses do not wake a hibernated object',
      },
      {
        label: 'Dead server, seen by the client',
        valueMd: `no ${code('pong')} within 10,000 ms → close and reconnect with backoff`,
        sourceMd: 'a browser cannot send ping frames or see them',
      },
      {
        label: 'Dead client, seen by the object',
        valueMd: `${code('getWebSocketAutoResponseTimestamp(ws)')} older than 2 keep-alives → close it the next time the room wakes`,
        sourceMd: 'no alarm only for this: waking idle rooms is what the duration charge bills',
      },
    ],
    front: {
      entryLabel: 'Worker (auth, Origin check, routes by room)',
      holderLabel: 'Durable Object per room (holds its sockets)',
      storeLabel: "Each room object's own storage",
    },
    // developers.cloudflare.com/durable-objects/api/websockets and /workers/runtime-apis/websockets list no bufferedAmount;
    // /durable-objects/reference/faq: each object is single-threaded ("Durable Object is overloaded" past that).
    noBufferMd: `The Workers ${code('WebSocket')} exposes no ${code('bufferedAmount')} to watch, so no slow-consumer threshold of ours applies; what bounds a room is its object: every delivery of a room runs on that one object's single thread, and Cloudflare answers "Durable Object is overloaded" past it. Rooms are separate objects and scale across them, so a busy room's load stays on its own object: keep its per-message work to a ${code('send')} per socket, and coalesce what can be dropped (below).`,
    // developers.cloudflare.com/durable-objects/reference/faq: Durable Objects scale horizontally across many objects; each one is single-threaded.
    isolationMd: (largest, smaller, perSecond) =>
      `The largest room (${fmt(largest)} members) runs its ${fmt(perSecond)} deliveries/s at the peak rate on its own object's single thread; ${smaller !== null ? `a room of ${fmt(smaller)} is` : 'every smaller room is'} another object, and Durable Objects scale across objects, so a smaller room's messages never wait in the largest room's queue: only the event room itself can reach "Durable Object is overloaded", which the first load-test run measures.`,
    // developers.cloudflare.com/durable-objects/reference/faq: one object is single-threaded; every ws.send of a room runs on it.
    batchMd: (b) =>
      `A room of ${fmt(b.size)} on one Durable Object sends every message ${fmt(b.size)} times from that one object: at ${fmt(b.ratePerUser)} msg/s per member the room takes in ${fmt(b.inPerSecond)} msg/s (${fmt(b.size)} × ${fmt(b.ratePerUser)}) and sends ${fmt(b.sends)} frames/s (${fmt(b.inPerSecond)} × ${fmt(b.size)}). Rooms this large need batching: the object collects what arrives and sends each socket one frame every ${fmt(b.windowsMs[0])}–${fmt(b.windowsMs[1])} ms, an array of the messages since the last frame, each with its own ${code('seq')}, so the room sends ${fmt(b.batched[1])}–${fmt(b.batched[0])} frames/s (${fmt(b.size)} × ${fmt(1000 / b.windowsMs[1])}–${fmt(1000 / b.windowsMs[0])} frames/s) whatever its message rate.${b.typing ? ` Typing is capped at the server in these rooms: it rides in the same frame, at most one entry per sender per frame, never a frame of its own.` : ''} Rooms that publish less than one message per window keep sending each message at once.`,
    // developers.cloudflare.com/durable-objects/platform/pricing: duration is billed while an object runs or sits in
    // memory unable to hibernate, not while it can hibernate; changelog 2024-04-01: incoming WebSocket messages bill as requests at 20:1.
    billingMd: (budget) =>
      `Cloudflare bills a Durable Object's duration while it runs or sits in memory unable to hibernate, not while it can hibernate, and bills incoming WebSocket messages as requests at 20:1 (Durable Objects pricing). So the sockets stay on the Hibernation API (${code('ctx.acceptWebSocket')}, never ${code('ws.accept()')}), the keep-alive stays on ${code('setWebSocketAutoResponse')}, which answers without waking the object, and no timer runs in an object (an alarm instead): every other message wakes its room and bills duration while it runs, so fewer messages per room is less duration. rt-plan does not price this budget: its sourced notes hold no Durable Objects price, and the duration part turns on how many seconds each room's object is awake a month, which neither the code nor the context states (the rooms' count and size are not enough). Once this ships, compare the duration per object in Cloudflare's Durable Objects metrics with the budget the context sets, ${budget}, at the prices on Cloudflare's current Durable Objects pricing page.`,
    // developers.cloudflare.com/durable-objects/best-practices/error-handling: .retryable may be retried with backoff, .overloaded must not.
    frontFailureMd: `The Worker's call to the room's object can throw: retry it once with backoff only when the error has ${code('.retryable')} set, never when ${code('.overloaded')} is set (a retry adds to the overload); otherwise the upgrade fails and the client's jittered backoff spreads the retries.`,
    // developers.cloudflare.com/durable-objects/reference/faq ("How much work can a single Durable Object do?").
    // developers.cloudflare.com/workers/wrangler/commands/#dev: local development runs workerd.
    localServerMd: `the Worker and its Durable Objects run locally by ${code('wrangler dev')} (workerd)`,
    loadTarget: {
      entryMd: 'the Worker URL',
      holderMd: "the room's Durable Object",
      limitMd: 'every delivery of that room runs on its single thread, the limit this test looks for',
    },
    acceptRate: {
      perSecond: 1_000,
      holderMd: "room's object",
      sourceMd:
        "a Durable Object's soft limit of 1,000 requests per second in Cloudflare's Durable Objects FAQ; each reconnect is one request the Worker forwards to the room's object",
    },
    metricsSinkMd: `No process of ours serves a metrics endpoint: write these from the Worker and the objects as Workers Analytics Engine data points (${code('writeDataPoint')}) or Workers Logs, and read requests, duration and WebSocket messages per object from Cloudflare's Durable Objects metrics, where the duration charge shows up first.`,
    fanoutMd:
      'One Durable Object per room holds every socket of that room and broadcasts to them itself: no message crosses between our nodes, so no pub/sub bus is added, and Cloudflare places the objects (there is no load balancer or instance count of ours to size).',
    drainMd:
      'A deploy restarts the objects and drops their sockets at once; there is nothing of ours to drain, so the client spreads its reconnects with full jitter (see Reconnection) and the new object rebuilds presence from the sockets that return.',
    // The keep-alive is answered by setWebSocketAutoResponse without waking the object: a check or a
    // timer on it would wake the room and bill its duration, so expiry is read when a real message wakes it.
    // The object knows only what the request that opened the socket carried: a Worker that verifies
    // the token and forwards a user id leaves it no expiry to check unless it forwards that too.
    tokenExpiryMd: `Tokens expire, and the object knows only what the request that opened the socket carried: where a Worker verifies the token before handing the upgrade to the object, it forwards the token's expiry (${code('exp')}) with the user id (a request header), the object keeps it with the socket (${code('serializeAttachment')}), and checks the token's expiry in ${code('webSocketMessage')}, when a real message wakes the object, never on the keep-alive (it is answered by ${code('setWebSocketAutoResponse')} without waking the object); an expired one is closed with 4001 and the client fetches a new token and reconnects. A deadline that must end a silent socket is an alarm (${code('storage.setAlarm')}), not a timer that keeps the object awake; an object has a single alarm, so that deadline shares it with any other the object keeps (a presence grace): store each due time, set the alarm to the earliest, and let ${code('alarm()')} handle every one that is due.`,
    cookieExpiryMd: `Sessions expire, and the object knows only what the request that opened the socket carried: the Worker verifies the session cookie before handing the upgrade to the object and forwards the session's expiry (${code('exp')}) with the user id (a request header), the object keeps it with the socket (${code('serializeAttachment')}), and checks the session's expiry in ${code('webSocketMessage')}, when a real message wakes the object, never on the keep-alive (it is answered by ${code('setWebSocketAutoResponse')} without waking the object); an expired one is closed with 4001 and the client reconnects: the browser sends the site's current session cookie with the new upgrade request, so there is no token for the client to fetch. A browser's WebSocket never sees the HTTP status of a refused upgrade (it gets ${code('error')} and a close with 1006), so a 401 at the upgrade cannot tell the page that the session has ended: the Worker accepts the upgrade of an ended session and closes it at once with 4001, and after a close with 4001 (or a few with 1006 in a row) the page checks the session with a plain ${code('fetch')} that carries the cookie before it reconnects, and sends the user to sign in when that answers 401. A deadline that must end a silent socket is an alarm (${code('storage.setAlarm')}), not a timer that keeps the object awake; an object has a single alarm, so that deadline shares it with any other the object keeps (a presence grace): store each due time, set the alarm to the earliest, and let ${code('alarm()')} handle every one that is due.`,
    presenceWhyMd: 'per-user connection count read from `getWebSockets()`',
    socketStateMd: `each socket's attachment (${code('serializeAttachment')})`,
    // developers.cloudflare.com/durable-objects/api/alarms: each object has one alarm; setAlarm replaces the one set.
    presenceGraceMd: (grace) =>
      `one alarm per object for every user in grace: an object has a single alarm and each ${code('storage.setAlarm')} replaces the last, so in a busy room one alarm per close would keep moving and offline would never be announced. When ${code('webSocketClose')} leaves a user with no socket, store that user's due time (now + ${grace}) in the object's storage and call ${code('setAlarm')} only when ${code('getAlarm()')} is unset or later than it; ${code('alarm()')} handles every entry that is due, announcing offline only for users ${code('getWebSockets()')} still shows without a socket, deletes them and sets the alarm to the earliest due time left, so no timer keeps the object awake`,
    handshakeAuthMd: `Authenticate in the Worker's ${code('fetch')} handler before forwarding the upgrade to the Durable Object (session cookie; answer 401 to a request without one, and accept an ended session's upgrade only to close it with 4001, since a browser never sees the status of a refused upgrade), and pass the verified identity to the object in headers only the Worker can set.`,
    findingFixMd: {
      'event-name-mismatch': TYPE_FIELD_MISMATCH_FIX,
      'no-handshake-auth': `Authenticate in the Worker's ${code('fetch')} handler before forwarding the upgrade to the Durable Object (session cookie; answer 401 to a request without one, and accept an ended session's upgrade only to close it with 4001, since a browser never sees the status of a refused upgrade), and pass the verified identity to the object in headers only the Worker can set.`,
      'no-origin-check': `Check the upgrade request's ${code('Origin')} header against an allow-list in the Worker's ${code('fetch')} handler and answer 403 to a foreign one before forwarding it to the Durable Object.`,
    },
  },
  http: {
    id: 'http',
    deflate: false,
    payloadCap: null,
    ownFanout: true,
    refuseMd: 'an overloaded node answers 503 with `Retry-After`',
    compressionMd: 'Ordinary HTTP compression applies to each response.',
  },
};

/**
 * PartyKit runs each room as a Durable Object but gives it its own API: `static onBeforeConnect`
 * in the edge Worker, `onMessage`/`onClose`/`onAlarm` on the room, `room.storage`, and hibernation
 * as an opt-in server option. docs.partykit.io/reference/partyserver-api, /guides/authentication,
 * /guides/scaling-partykit-servers-with-hibernation (100 connections per room, 32,000 hibernating).
 */
// Checked against partykit's own types (packages/partykit/src/server.ts): Connection.setState / .state,
// Party.getConnections, broadcast, storage.setAlarm with onAlarm, static onBeforeConnect(req, lobby, ctx).
const PARTYKIT: Partial<RuntimeProfile> = {
  handshakeAuthMd: `Authenticate in the room class's ${code('static onBeforeConnect(request, lobby)')}, which PartyKit runs in its edge Worker before the socket reaches the room: return a ${code('Response')} with status 401 to refuse, or the request with the verified user id in a header the room reads in ${code('onConnect')} (session cookie or a short-lived token; never a long-lived one in the URL).`,
  tokenExpiryMd: `Tokens expire: keep the expiry the room learned in ${code('onConnect')} on the connection (${code('conn.setState')}), check it in ${code('onMessage')}, close an expired one with 4001, and let partysocket reconnect with a fresh token (its ${code('query')} option can be an async function).`,
  heartbeatRows: (l) => [
    {
      label: 'Client keep-alive',
      valueMd: `the text ${code('ping')} ${l.bounded ? `after ${fmt(l.keepAliveMs)} ms in which the client sent nothing else` : `every ${fmt(l.keepAliveMs)} ms`}, answered ${code('pong')} first thing in ${code('onMessage')}, before the frame reaches any ${code('JSON.parse')} (a bare ${code('ping')} is not JSON and would throw there)`,
      sourceMd: 'partysocket reconnects but sends no heartbeat of its own; a browser cannot send ping frames',
    },
    {
      label: 'Dead server, seen by the client',
      valueMd: `no ${code('pong')} within 10,000 ms → ${code('socket.reconnect()')}`,
      sourceMd: 'a half-open connection raises no error by itself',
    },
    {
      label: 'Dead client, seen by the room',
      valueMd: l.bounded
        ? `the room keeps the time of each connection's last message (in memory, keyed by the ${code('Connection')} object, not ${code('conn.id')}: partysocket keeps one id across its reconnects, so a new connection can share a half-open one's id); ${code('onAlarm')}, re-armed every ${fmt(l.sweepMs)} ms with ${code('room.storage.setAlarm')} while the room has connections, removes what a connection silent for ${fmt(l.silentMs)} ms owned and broadcasts its removal, and closes it only after ${fmt(l.closeMs)} ms of silence (a hidden tab's timers can run about once a minute; its next message puts its cursor back); ${code('onClose')} and the sweep remove an id's state only when no other open connection has that id`
        : `a connection silent for 2 keep-alives is closed from ${code('onAlarm')} (${code('room.storage.setAlarm')}, set while the room has connections); its ${code('onClose')} then clears what it owned`,
      sourceMd: l.bounded
        ? 'a sleeping laptop sends no close: only silence shows it; a room has one alarm at a time (PartyKit alarms guide)'
        : 'a sleeping laptop sends no close: only silence shows it',
    },
  ],
  originMd: `check ${code("request.headers.get('Origin')")} against an allow-list in the room class's ${code('static onBeforeConnect(request, lobby)')}, which PartyKit runs in its edge Worker before the socket reaches the room, and return a ${code('Response')} with status 403 to a foreign one; browsers send Origin on every WebSocket handshake, so a missing one is a non-browser client, which authenticates with its token`,
  roomRuleMd: `the user is a member of the room ${code('lobby.id')} names: opening the room's URL is the join, so ${code('static onBeforeConnect(request, lobby)')} checks it before the socket reaches the room and answers 403 otherwise; the room closes the connections of a member removed later`,
  sweepMd: (l) => `${code('onAlarm')} every ${fmt(l.sweepMs)} ms removes what a connection silent for ${fmt(l.silentMs)} ms owned and broadcasts its removal`,
  front: {
    entryLabel: 'PartyKit edge (onBeforeConnect, routes by room id)',
    holderLabel: 'PartyKit room per room id (holds its connections)',
    storeLabel: "Each room's storage (room.storage)",
  },
  fanoutMd:
    'PartyKit runs one room per room id and that room holds every connection to it, so `room.broadcast` reaches all of them: no message crosses rooms, no pub/sub bus is added, and PartyKit places the rooms (there is no load balancer or instance count of ours to size).',
  roomLimit: {
    plain: 100,
    raised: 32_000,
    settingMd: '`options = { hibernate: true }` on the room class',
    sourceMd: 'PartyKit hibernation guide',
  },
  drainMd:
    "A deploy replaces the rooms' code and their connections drop: partysocket reconnects by itself, and each room rebuilds what it held in memory from the connections that return (only what it wrote to `room.storage` survives).",
  capWhereMd: `a length check at the top of ${code('onMessage')}, before ${code('JSON.parse')}, closing with 1009 above`,
  localServerMd: `the rooms run locally by ${code('partykit dev')}`,
  loadTarget: {
    entryMd: "the PartyKit project's URL",
    holderMd: 'the PartyKit room',
    limitMd: 'every delivery of that room runs on its single thread, the limit this test looks for',
  },
  refuseMd: `${code('onBeforeConnect')} answers 503 when the room is over its connection budget; a browser WebSocket only sees a failed connection, so partysocket's growing, randomised delays space the retries`,
  presenceWhyMd: `per-user connection count read from ${code('room.getConnections()')}`,
  socketStateMd: `each connection's state (${code('connection.setState')})`,
  // docs.partykit.io/reference/partyserver-api: a room has one alarm (Durable Object alarms); setAlarm replaces the one set.
  presenceGraceMd: (grace) =>
    `one alarm per room for every user in grace: a room has a single alarm and each ${code('room.storage.setAlarm')} replaces the last, so one alarm per close would keep moving in a busy room. When ${code('onClose')} leaves a user with no connection, store that user's due time (now + ${grace}) in ${code('room.storage')} and call ${code('setAlarm')} only when ${code('getAlarm()')} is unset or later than it; ${code('onAlarm')} handles every entry that is due, announcing offline only for users ${code('room.getConnections()')} still shows without one, deletes them and sets the alarm to the earliest due time left`,
  noBufferMd: `PartyKit's connections expose no ${code('bufferedAmount')} to watch, so no slow-consumer threshold of ours applies; what bounds a room is the room itself, one single-threaded process per room id: keep its per-message work to one ${code('room.broadcast')}, and coalesce what can be dropped (below).`,
  metricsSinkMd: `No process of ours serves a metrics endpoint: log these as structured lines from the room (${code('console.log')} with the room id) or post them in batches to a collector with ${code('fetch')}, sampled.`,
  frontFailureMd: undefined,
  // The rules' general fixes name Socket.IO and ws; a PartyKit room has neither.
  findingFixMd: {
    'event-name-mismatch': TYPE_FIELD_MISMATCH_FIX,
    'no-handshake-auth': `Authenticate in the room class's ${code('static onBeforeConnect(request, lobby)')}, which PartyKit runs in its edge Worker before the socket reaches the room: return a ${code('Response')} with status 401 to refuse, or the request with the verified user id in a header the room reads in ${code('onConnect')}.`,
    'no-origin-check': `Check ${code("request.headers.get('Origin')")} against an allow-list in ${code('static onBeforeConnect(request, lobby)')} and return a ${code('Response')} with status 403 for a foreign one, before the socket reaches the room.`,
    'no-heartbeat': `partysocket sends no heartbeat of its own and a sleeping laptop sends no close: the client sends the text ${code('ping')} on an interval, the room answers ${code('pong')} first thing in ${code('onMessage')}, before any ${code('JSON.parse')}, and closes connections silent for 2 keep-alives from ${code('onAlarm')} (see Connection management).`,
  },
};

/**
 * uWebSockets.js on our own servers: its option names and defaults, not ws's
 * (unetworking.github.io/uWebSockets.js/generated/interfaces/WebSocketBehavior.html).
 */
function uwsProfile(input: DesignCtx['input']): Partial<RuntimeProfile> {
  const compression = projectServerOption(input, 'compression');
  const maxBackpressure = projectServerOption(input, 'maxBackpressure');
  const capMd = maxBackpressure && Number.isFinite(Number(maxBackpressure.value)) ? bytesMd(Number(maxBackpressure.value)) : null;
  // uWS's adapter gives a send its topic only where it is an `app.publish(topic, …)`; a send with none is a `ws.send()`.
  const sends = input.analysis.events.filter((e) => e.origin === 'existing' && e.direction === 'server-to-client' && !e.protocol);
  const topicOnly = sends.length > 0 && sends.every((e) => e.room !== undefined);
  return {
    payloadCap: { option: 'maxPayloadLength', defaultMd: 'uWebSockets.js default 16 KiB; a larger message closes the connection' },
    // Its HttpRequest has no `headers` object: one header is read by lower-case name, and only before the handler's first `await`.
    // App.close(): "Closes all sockets including listen sockets. This will forcefully terminate all connections." (index.d.ts)
    closeAllMd: code('app.close()'),
    unmeasured: {
      library: 'uWebSockets.js',
      whyMd: `uWebSockets.js runs its sockets and ${code('publish')} fan-out in native code, so a Node.js figure measured for Socket.IO likely understates what one of its processes carries; Run 1 of the load test measures its own`,
    },
    deflate: false,
    compressionMd: compression
      ? `The project sets ${code(`compression: ${compression.value}`)} (${code(compression.evidence)}): keep it; ${code('uWS.SHARED_COMPRESSOR')} uses less memory than a dedicated compressor per socket, and its CPU cost is what to measure under load.`
      : `${code('compression')} is ${code('uWS.DISABLED')} unless the behaviour sets it; where bandwidth matters, ${code('uWS.SHARED_COMPRESSOR')} uses less memory than a dedicated compressor per socket; measure CPU before keeping it.`,
    backpressureMd: (b) =>
      topicOnly
        ? `Every message the server sends today goes through ${code('publish()')} to a topic${b.sendsMd ? ` (${b.sendsMd})` : ''}: uWebSockets.js fans it out in native code, so there is no per-socket send of ours to skip, and it already skips a subscriber whose buffer is over ${capMd ? `the project's ${code(`maxBackpressure: ${maxBackpressure?.value}`)} (${capMd}, ${code(maxBackpressure?.evidence ?? '')})` : code('maxBackpressure')} until it catches up (with ${code('closeOnBackpressureLimit')} it closes that socket instead, which then resyncs on reconnect). Keep ${code('publish()')}: a loop of ${code('ws.send()')} over every subscriber would move the fan-out into JavaScript; read ${code('ws.getBufferedAmount()')} only for the slow-consumer metric.`
        : `${code('ws.send()')} returns 1 (sent), 0 (buffered) or 2 (dropped)${b.sendsMd ? ` where the server sends (today ${b.sendsMd})` : ''}: ${b.droppable ? 'skip droppable events' : 'stop sending to (this plan has no droppable events, so none is skipped: set closeOnBackpressureLimit so a socket past the cap is closed and resyncs)'} for a socket whose ${code('ws.getBufferedAmount()')} is above ${capMd ? `half the project's ${code('maxBackpressure')} (${bytesMd(Number(maxBackpressure?.value) / 2)})` : '1 MiB'} and resume in the ${code('drain')} handler; ${capMd ? `the project's ${code(`maxBackpressure: ${maxBackpressure?.value}`)} (${capMd}, ${code(maxBackpressure?.evidence ?? '')}) caps the buffer` : `${code('maxBackpressure')} caps the buffer`} (messages past it are dropped unless ${code('closeOnBackpressureLimit')} closes the socket, which then resyncs on reconnect).`,
    bufferWhyMd: `${code('ws.getBufferedAmount()')} per socket: slow consumers`,
    coresMd: (cores) =>
      `One ${code('uWS.App()')} runs on one thread, so one process uses one of the ${fmt(cores)} vCPUs: to use the others, run one App per worker thread (the listening App hands each connection to one with ${code('addChildAppDescriptor')}); ${code('app.publish()')} reaches only its own App's subscribers, so every publish must be made in every App.`,
    ...(capMd ? { sendBufferCap: { bytes: Number(maxBackpressure!.value), optionMd: `the project's ${code('maxBackpressure')}` } } : {}),
  };
}

/** 1048576 → "1 MiB", 524288 → "512 KiB". */
function bytesMd(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** A server behaviour option the project's code sets (read through spreads and imported constants), if any. */
export function projectServerOption(input: DesignCtx['input'], option: string | undefined): { value: string; evidence: string } | null {
  if (!option) return null;
  const f = (input.analysis.modelFacts ?? []).find((x) => x.kind === 'server-option' && x.name === option && x.value !== undefined);
  return f?.value !== undefined ? { value: f.value, evidence: f.evidence } : null;
}

/** The WebSocket server library that replaces ws's options with its own, if any. */
function wsServerLibrary(input: DesignCtx['input']): Partial<RuntimeProfile> | null {
  return input.analysis.stack.libraries.some((l) => l.name === 'uWebSockets.js' || l.name === 'uws') ? uwsProfile(input) : null;
}

/** The server library that gives an edge room its own API, if any. */
function edgeFramework(input: DesignCtx['input']): Partial<RuntimeProfile> | null {
  return input.analysis.stack.libraries.some((l) => l.name === 'partykit') ? PARTYKIT : null;
}

/** How each managed provider's SDK signs a subscription, and what its client-sent events need. */
/** Token expiry where the provider holds the connection; our servers cannot close it. */
const MANAGED_TOKEN_EXPIRY: Record<string, string> = {
  // ably.com/docs/auth/token: the SDK renews through authUrl/authCallback before expiry.
  ably: `Tokens expire: ably-js asks the authorization route (${code('authUrl')} or ${code('authCallback')}) for a new token before the current one runs out, so the route must keep answering for a signed-in user; to revoke access, stop issuing tokens for that user or for the channels they may no longer use.`,
  // pusher.com/docs/channels/server_api/authorizing-users: a channel authorization is checked at subscribe time.
  pusher:
    'Channel authorizations are checked when a client subscribes and carry no expiry of their own: to keep a user out, stop authorizing their channels, and end their current connections from the server.',
  // docs.livekit.io/home/get-started/authentication: the expiry applies to the initial connection only; the server refreshes
  // the token of a connected participant. RoomService.RemoveParticipant disconnects one (DisconnectReason PARTICIPANT_REMOVED).
  livekit: `A join token's expiry is checked only when the participant connects: LiveKit refreshes the token of a connected participant itself, so the TTL bounds how long a minted token can start a join, not how long a user stays. To take someone out now, stop minting tokens for them and call ${code('RoomServiceClient.removeParticipant(room, identity)')} from our server.`,
};

/**
 * What our credential route mints, where "short-lived tokens" would be false. Pusher: `authorizeChannel`
 * returns `key:HMAC-SHA256(secret, socket_id:channel_name[:channel_data])`, valid only for that socket_id
 * and carrying no expiry (pusher.com/docs/channels/library_auth_reference/auth-signatures).
 */
const MANAGED_CREDENTIAL: Record<string, string> = {
  pusher: `a signature per channel subscription made by our server (${code('authorizeChannel')}: an HMAC of the connection's ${code('socket_id')} and the channel name, good only for that connection and with no expiry)`,
};

const MANAGED_AUTH: Record<string, string> = {
  // pusher.com/docs/channels/server_api/authorizing-users; client events: pusher.com/docs/channels/using_channels/events
  pusher: `The route answers ${code('pusher.authorizeChannel(socketId, channelName)')} for ${code('private-')} channels and adds ${code('{ user_id, user_info }')} as presence data for ${code('presence-')} channels (older releases of the ${code('pusher')} package call it ${code('authenticate')}). Client events (names starting ${code('client-')}) work only on private or presence channels with client events enabled in the app settings, are never delivered back to their sender, and carry no server check: treat them as untrusted hints and send anything that changes data through our server.`,
};

/**
 * A subscription left open, in the provider SDK's own calls. supabase-js: `supabase.channel(topic)`
 * returns the channel already made for that topic, `channel.untrack()` removes this client's
 * presence entry and `supabase.removeChannel(channel)` unsubscribes and drops the channel
 * (supabase.com/docs/reference/javascript/removechannel, /docs/guides/realtime/presence).
 */
const SUPABASE_CLEANUP_FIX = `Keep the channel the effect creates and return a cleanup that removes it: ${code('() => { void supabase.removeChannel(channel); }')}, after ${code('channel.untrack()')} where the channel tracked presence, so a remount or a room switch leaves the old topic (and its presence entry) before joining the new one.`;
const MANAGED_FINDING_FIXES: Record<string, Partial<Record<string, string>>> = {
  'supabase-realtime': { 'subscription-without-cleanup': SUPABASE_CLEANUP_FIX, 'listener-not-cleaned-up': SUPABASE_CLEANUP_FIX },
};

/**
 * Presence the provider keys itself. Supabase Presence: `config: { presence: { key } }` names the
 * key, `presenceState()` maps each key to the entries (one per tracking client) under it, and an
 * entry leaves when its channel is left or its socket closes (supabase.com/docs/guides/realtime/presence).
 */
const MANAGED_PRESENCE_KEY: Record<string, NonNullable<RuntimeProfile['presenceKey']>> = {
  'supabase-realtime': {
    mitigationMd:
      "Key presence by user id (`config: { presence: { key: userId } }`): Supabase Presence keeps every tab's entry under that one key and removes an entry when its channel is left or its socket closes, so the online list shows the keys of `presenceState()`, not its entries: a user stays listed while any of their tabs is in the room and drops off when the last one leaves (`channel.untrack()` and `supabase.removeChannel()` on a room switch, the socket's close on a closed tab). No connection count or grace timer of ours.",
    testMd: 'a user with two tabs in one room is listed once, and drops off the list when the last of them leaves the room or closes',
  },
  // pusher.com/docs/channels/using_channels/presence-channels: members are unique by the `user_id` the
  // authorization signs; with several connections of one user, `pusher:member_added` fires for the first
  // and `pusher:member_removed` only when the last one leaves, and `channel.members` lists the user once.
  pusher: {
    mitigationMd:
      'Pusher keys presence members by the `user_id` the authorization route signs: a user with several tabs, or one back from a reconnect before Pusher noticed the old connection gone, is one member; `pusher:member_added` fires for their first connection and `pusher:member_removed` only when the last one leaves, so `channel.members` lists each user once. The route must sign the same `user_id` for every connection of one user (the account id, never a per-tab or random value). No connection count or grace timer of ours: no server of ours sees the connections.',
    testMd: 'a user with two tabs on one page is one member of the presence channel, and `pusher:member_removed` comes only when the last of them leaves',
  },
  // docs.livekit.io/home/server/managing-participants: identity is unique per room; a later join with the same identity
  // disconnects the earlier one (DisconnectReason DUPLICATE_IDENTITY).
  livekit: {
    mitigationMd:
      "LiveKit keys participants by the join token's `identity`, unique per room: a second join with the same identity (another tab, a rejoin before the old connection timed out) disconnects the older one with `DisconnectReason.DUPLICATE_IDENTITY`, so nobody is in the room twice; a tab disconnected for that reason must not rejoin by itself, or two tabs take turns. A count of the room is read in each browser from LiveKit on each change (`room.remoteParticipants.size + 1`, the local participant included, on `ParticipantConnected`, `ParticipantDisconnected` and `Reconnected`), never kept by adding and subtracting, so a drop and a rejoin land on the right number. A count our server pushes from webhooks does not: two webhook requests handled at once (a join and a leave) can finish in either order, so an older `RoomServiceClient.listParticipants` result can be sent last.",
    testMd:
      'a user who joins from two tabs is in the room once (the first tab is disconnected with DUPLICATE_IDENTITY and does not rejoin); after a participant leaves or drops, the count every member sees goes down',
  },
};

/**
 * Providers whose SDK lets the browser write to the provider's own database under row policies,
 * so an app may run with no server at all. supabase-js: PostgREST under RLS for tables,
 * `realtime.messages` policies for private channels (supabase.com/docs/guides/realtime/authorization);
 * the Supabase CLI's `supabase start` runs Postgres, Realtime and Auth locally (supabase.com/docs/guides/local-development).
 */
const MANAGED_NO_SERVER: Record<
  string,
  Pick<RuntimeProfile, 'fanoutMd' | 'drainMd' | 'localServerMd' | 'metricsSinkMd' | 'deliveryLatencyMd'> & { noServer: NonNullable<RuntimeProfile['noServer']> }
> = {
  'supabase-realtime': {
    noServer: {
      storeLabel: 'Supabase Postgres (RLS)',
      writesMd: 'reads and writes (HTTPS, supabase-js, RLS)',
      changesMd: 'row changes (Postgres Changes)',
      componentMd:
        'no server of ours: the repository has none, and the browser reads and writes Postgres through supabase-js, where row-level security (RLS) on each table decides what each user may read and write, and RLS policies on `realtime.messages` decide who may join and send on a private channel',
    },
    fanoutMd:
      "No server of ours runs: Supabase Realtime holds every connection and delivers each broadcast, presence change and Postgres change to the channel's subscribers, so there is no pub/sub, load balancer or instance count of ours to size; the Supabase plan's quotas (above) are the limits.",
    drainMd:
      'A deploy of this app drops no live connection: Supabase holds them; a tab reloaded onto a new build opens a new connection and joins its channels again.',
    localServerMd: "the Supabase CLI's local stack (`supabase start`: Postgres, Realtime and Auth in Docker)",
    // supabase.com/docs/guides/realtime/postgres-changes: each change payload carries `commit_timestamp`.
    deliveryLatencyMd:
      "a row's `commit_timestamp` (every Postgres Changes payload carries it) to client receipt, clock skew included; a Broadcast carries no send time, so the sender adds one to the payload (clients report a sample of 1%)",
    metricsSinkMd:
      "No process of ours serves a metrics endpoint: the browser measures these and sends a 1% sample to the client monitoring the team uses; connections and messages against the plan's quotas are read from the Supabase project's usage reports.",
  },
};

/** Runtimes whose platform, not a server of ours, terminates the sockets. */
const EDGE_RUNTIMES = new Set(['cloudflare-durable-objects', 'cloudflare-workers']);

/** The platform's own WebSocket API serves the sockets: there is no server library to pick or install. */
export function platformServesSockets(input: DesignCtx['input']): boolean {
  return input.analysis.stack.providers.some((p) => EDGE_RUNTIMES.has(p));
}

export type ProfileCtx = Pick<DesignCtx, 'providerDirect' | 'transport' | 'library' | 'scenarios' | 'input'>;

/** The serverless host the context names (Vercel, Lambda, Netlify…), unless an edge runtime holds the sockets. */
function serverlessHost(input: DesignCtx['input']): string | null {
  const r = input.sessions.requirements.find((q) => q.kind === 'infra' && q.fact === 'serverless');
  return r && r.kind === 'infra' ? r.component : null;
}

export function profileOf(ctx: ProfileCtx): RuntimeProfile {
  const base = transportProfile(ctx);
  const framework = base.id === 'edge' ? edgeFramework(ctx.input) : base.id === 'ws' ? wsServerLibrary(ctx.input) : null;
  // A provider protocol our server speaks (Pusher's) admits connections anonymously: its own handshake rule.
  const served = base.id === 'ws' ? servedProtocol(ctx.input) : null;
  if (served) return { ...base, ...framework, handshakeAuthMd: served.handshakeAuthMd, anonymousHandshakeMd: served.todayMd };
  if (framework) return { ...base, ...framework };
  // A client-only app talks to a server outside this repository: how that service fans out
  // between its own nodes, its size caps and its handshake are not ours to set, so the plan
  // says what to ask its owner instead of proposing server settings.
  if (base.ownFanout && ctx.input.analysis.findings.some((f) => f.id === 'client-only')) {
    return {
      ...base,
      ownFanout: false,
      deflate: false,
      payloadCap: null,
      external: {
        askMd: 'the server is not in this repository: ask its owner, and keep what the client sends within what its documentation states',
      },
      fanoutMd:
        "The server this client connects to is not in this repository: how it fans messages out between its own nodes is that service's design, not part of this plan.",
      drainMd: "Deploys of that server are its owner's: the client treats a close during one like any drop (backoff, resubscribe).",
      tlsMd: "whatever the server's owner terminates; the client connects with `wss://` only",
    };
  }
  // Every stream already reads a shared log (a Redis Stream every instance reads): events cross
  // instances through it, so no pub/sub of ours runs between nodes and none is proposed or watched.
  const source = base.ownFanout ? (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'stream-source') : undefined;
  if (source)
    return {
      ...base,
      ownFanout: false,
      fanoutMd: `Several nodes: every stream reads its events from the Redis Stream the code already reads (${code(source.evidence)}), so an event appended on any instance reaches the streams of all of them; no pub/sub runs between our nodes, and any load balancer works, since no state lives in one instance.`,
    };
  // Every instance consumes the whole source its broadcasts come from (context and code): each
  // sends that data to its own sockets, so no pub/sub of ours carries it between nodes.
  const feed = base.ownFanout ? instanceFeed(ctx.input) : null;
  if (feed)
    return {
      ...base,
      ownFanout: false,
      fanoutMd: `Several nodes: the context says "${text(feed.sentence)}" (${code(feed.evidence)}), and what the server broadcasts comes from that source (${list(feed.broadcasts.map((b) => `${code(b.name)} at ${code(b.evidence)}`))}), not from a client: each instance sends it to the sockets it holds, so no pub/sub carries it between nodes and any load balancer works.${ctx.scenarios.includes('notifications') ? ` ${notificationsExceptionMd(ctx)}` : ''}`,
    };
  // Route handlers on a serverless host: the platform routes each request, so there is no
  // load balancer to configure, no instance to pin a client to and no connection to drain.
  const host = base.id === 'sse-fetch' || base.id === 'sse-eventsource' || base.id === 'http' ? serverlessHost(ctx.input) : null;
  if (host)
    return {
      ...base,
      serverless: { host },
      front: { entryLabel: `${host} (routes each request to a function)`, holderLabel: 'route handler (one invocation per stream)', storeLabel: 'Database' },
      drainMd: `A deploy on ${host} sends new requests to the new version while running invocations finish on the old one: there is no connection of ours to drain, and ${
        ctx.scenarios.includes('ai-streaming')
          ? 'a stream cut by the function time limit is not a drop to resume: the invocation ends and the generation with it, before the answer is finished or saved, so keep answers well under the limit (see Connection management).'
          : 'a stream cut by the function time limit resumes like any drop (see Connection management).'
      }`,
      tlsMd: `TLS terminates at ${host}'s edge`,
    };
  // The provider's own authorization flow replaces auth at a WebSocket handshake we do not run.
  const provider = base.id === 'managed' ? managedProvider(ctx.input) : null;
  if (provider)
    return {
      ...base,
      socketHost: { label: provider.label, authMd: provider.authMd },
      ...(MANAGED_FINDING_FIXES[provider.id] ? { findingFixMd: MANAGED_FINDING_FIXES[provider.id] } : {}),
      ...(MANAGED_PRESENCE_KEY[provider.id] ? { presenceKey: MANAGED_PRESENCE_KEY[provider.id] } : {}),
      ...(MANAGED_CREDENTIAL[provider.id] ? { mintedCredentialMd: MANAGED_CREDENTIAL[provider.id] } : {}),
      // The provider holds the connection: our servers cannot close it, and the SDK asks the auth route for a new token before the old one expires.
      tokenExpiryMd:
        MANAGED_TOKEN_EXPIRY[provider.id] ??
        `Tokens expire on ${provider.label}'s terms, not ours: our servers hold no connection to close; the authorization route signs new credentials only for users still allowed.`,
      // The provider's SDK holds the socket: it sends its own heartbeats and reconnects, so a ping of ours would be a second, useless one.
      heartbeatRows: [
        {
          label: 'Heartbeat',
          valueMd: `kept by the ${provider.label} SDK on the connection it holds; no ping of our own`,
          sourceMd: "the provider's client library",
        },
        {
          label: 'Noticing a drop',
          valueMd: provider.recoveryMd
            ? `the SDK's connection state events (disconnected, then connected again); show them in the UI, and catch up where the provider's recovery does not cover the drop (see Resume and replay)`
            : `the SDK's connection state events (disconnected, then connected again); show them in the UI and refetch what the screen shows after a reconnect`,
          sourceMd: "the provider's client library",
        },
      ],
      handshakeAuthMd: `No WebSocket handshake runs on our servers: ${provider.authMd}; it authenticates the user's session (the cookie or header the app already uses) and refuses channels the user may not join.${MANAGED_AUTH[provider.id] ? ` ${MANAGED_AUTH[provider.id]}` : ''}`,
      // A server product the project runs itself: its nodes and settings are the project's, not a vendor's plan.
      ...(provider.selfHosted ? selfHostedMd(provider.label, provider.selfHosted) : {}),
      // No server entry in the repository and a provider the browser writes to directly: nothing of ours runs.
      ...(MANAGED_NO_SERVER[provider.id] && detectLayout(ctx.input).serverEntry === null ? MANAGED_NO_SERVER[provider.id] : {}),
    };
  return base;
}

/** A real-time server product the project runs and configures (Centrifugo): no vendor plan or quota, and no Node fleet of ours to size. */
function selfHostedMd(label: string, h: { settingsMd: string; sizingMd: string }): Partial<RuntimeProfile> {
  return {
    selfHostedServer: { label, settingsMd: h.settingsMd },
    compressionMd: `${label} runs the sockets: compression, message size limits and per-client queues are settings in ${h.settingsMd}, not code of ours.`,
    fanoutMd: `${label} delivers every message to its subscribers: our API only signs tokens and publishes, so no pub/sub bus of ours runs between API instances and any load balancer works in front of them. ${h.sizingMd}`,
    drainMd: `Deploys of our API drop no live connection: ${label} holds them; only in-flight token and publish requests need the usual graceful HTTP shutdown. Restarting a ${label} node drops its connections: the SDK reconnects them with backoff and recovers from history where the channel keeps one.`,
    localServerMd: `${label} itself, started locally with the project's own config (its Docker image)`,
  };
}

function transportProfile(ctx: ProfileCtx): RuntimeProfile {
  if (ctx.providerDirect) return PROFILES['provider-direct'];
  if (managedProvider(ctx.input)) return PROFILES.managed;
  if (platformServesSockets(ctx.input)) return PROFILES.edge;
  if (ctx.transport === 'socket.io') return PROFILES['socket.io'];
  if (ctx.transport === 'websocket') return PROFILES.ws;
  if (ctx.transport === 'sse') return PROFILES[policyKind(ctx) === 'sse-retry' ? 'sse-eventsource' : 'sse-fetch'];
  if (ctx.transport === 'webrtc') return PROFILES.webrtc;
  return PROFILES.http;
}

/** True when Supabase Realtime carries the channel: supabase-js manages the connection (heartbeat, rejoin, auth). */
export function onSupabase(ctx: Pick<DesignCtx, 'providerDirect'> & { input?: DesignCtx['input'] }): boolean {
  return !ctx.providerDirect && ctx.input !== undefined && managedProvider(ctx.input)?.id === 'supabase-realtime';
}

/** Notifications cross nodes even where a feed's broadcasts do not: the instance that fires one may not hold its recipients' connections. */
function notificationsExceptionMd(ctx: Pick<DesignCtx, 'input'>): string {
  const a = notificationAudience(ctx);
  const who =
    a.unit === 'user'
      ? "that user's connections (a user may have several, on different instances)"
      : `the connections of that ${a.unit}'s members (they are spread over the instances)`;
  return `Per-${a.unit} notifications are the exception: the one instance that fires a notification may not hold ${who}, so after writing ${a.written} it publishes it on the ${a.unit}'s channel (${code(a.channel)}) through a pub/sub every instance subscribes to for the ${a.unit}s it holds (Redis pub/sub, for example); that carries the notifications fired, not the broadcast stream.`;
}
