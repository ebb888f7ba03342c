// The contracts between pipeline stages. Every stage reads and writes only these shapes,
// so stages can change inside without touching each other. Field names and vocabularies
// that reach `--json` are fixed by PRODUCT.md; add optional fields freely, never rename.

/** "path/relative/to/project.ts:LINE" (1-based line). */
export type Evidence = string;

export type Transport = 'websocket' | 'socket.io' | 'sse' | 'webrtc' | 'long-polling';
export type Role = 'server' | 'client' | 'both';
export type Direction = 'client-to-server' | 'server-to-client' | 'both';
export type Origin = 'existing' | 'proposed';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
/** 'first-message': credentials in the first event, the other listeners registered only once it succeeds (analyze/code/first-message-auth.ts). */
export type AuthKind = 'jwt-query' | 'jwt-cookie' | 'jwt-header' | 'session-cookie' | 'ephemeral-token' | 'api-key-in-client' | 'first-message' | 'none';

/** A problem found in an input file that the run could skip. */
export interface Warning {
  file: string | null;
  message: string;
  /** What the warning says as data, where a later stage acts on it: `skipped-generated` is a file skipped as minified, bundled or generated code. */
  kind?: 'skipped-generated';
}

// ─── context stage ──────────────────────────────────────────────────────────

export type Feature =
  | 'chat'
  | 'presence'
  | 'typing'
  | 'notifications'
  | 'live-updates'
  | 'ai-streaming'
  | 'state-sync'
  | 'collaborative-editing'
  | 'voice'
  | 'subscriptions'
  | 'file-transfer'
  | 'video';

export type Metric =
  | 'concurrent-users'
  | 'message-rate'
  | 'latency'
  | 'first-token'
  | 'room-size'
  | 'payload-size'
  | 'instances'
  /** Users in total (not stated as concurrent): an upper bound on connections. */
  | 'users'
  /** How long a session, call or game lasts, in seconds. */
  | 'duration'
  /** A quota or budget: messages per month, requests per user per hour, Redis memory. */
  | 'budget'
  /** Entities one connection follows (a watchlist's symbols); `bound: 'max'` for the stated maximum. */
  | 'subscriptions'
  /** How many of the followed entity exist ("across 8,000 symbols"). */
  | 'entities'
  /** How many rooms the per-room figures apply to ("300 stores with 2-4 screens each"); `entity` names the room, singular. */
  | 'rooms';

export interface FeatureRequirement {
  kind: 'feature';
  feature: Feature;
  sentence: string;
  evidence: Evidence;
  /** Named by an ambiguous word only ("the agent's output" without any word for a model): selects its scenario only when the code corroborates it. */
  tentative?: true;
}

export interface NumberRequirement {
  kind: 'number';
  metric: Metric;
  value: number;
  /** Normalised unit: 'users' | 'msg/s' | 'ms' | 'users/room' | 'bytes' | 'instances'. */
  unit: string;
  sentence: string;
  evidence: Evidence;
  /** For a latency: the percentile it is stated at (95 for "p95"), when stated. */
  percentile?: number;
  /**
   * For subscriptions: the stated maximum per connection ("50 max"), not the typical count.
   * For a payload size: 'max' when stated as a ceiling ("notes are up to 200 KB", "frames can
   * reach 4 KB"). The largest message sizes the payload cap; it is not the average that egress uses.
   */
  bound?: 'max';
  /**
   * For an instance count the team will not exceed ("2 Node processes … We are not planning more
   * instances this year"): the sentence that caps it. The capacity model sizes at most to it and
   * says so when the load needs more, instead of sizing above it.
   */
  ceiling?: { sentence: string; evidence: Evidence };
  /**
   * For an instance count: the context states one host by its nature ("runs on a Raspberry Pi", "a
   * single Node process"): one instance with no spare is the deployment, not a conflict with N+1.
   */
  singleHost?: true;
  /** For a message rate: the kind of traffic named next to it ('typing', 'positions', 'moves'…), when named. */
  stream?: string;
  /**
   * The figure is a provider plan's limit ("Startup plan: 500 concurrent connections", "the
   * Supabase Pro plan (500 concurrent Realtime connections)"), not the load: the plan's name as
   * written. The capacity model compares the load with it instead of sizing for it.
   */
  quota?: string;
  /** For subscriptions and entities: the entity followed, as the context names it ("symbols"). */
  entity?: string;
  /** For a message rate: stated per room ("5 a second per room"), not per user or for the whole system. */
  perRoom?: boolean;
  /**
   * For a message rate: stated as a burst ("bursts of 30 per minute when a major incident opens
   * tickets"), the peak of its kind of traffic, not the rate it runs at; an average of the same
   * kind, where one is stated, is the steady rate.
   */
  burst?: true;
  /**
   * For a message rate: a lower rate, in msg/s, the same sentence states for the rest of the time
   * ("2 moves/s per active user during triage, 0.1/s otherwise"), with the phase the higher rate
   * is stated for where the sentence names it ("triage"). Both are traffic: the capacity model keeps them.
   */
  otherwise?: { value: number; phase?: string };
  /**
   * For a message rate: stated per entity that is neither a room nor a connection ("50 updates
   * per second per symbol"): the entity as written, singular. The total is that rate × the count
   * of the entity the context states (an `entities` requirement with `entity` its plural), or
   * unknown when it states none.
   */
  perEntity?: string;
  /** For a count of machines ("one 4-vCPU VM"): the cores of each, where stated. */
  cores?: number;
  /**
   * For a user count: a larger figure the same sentence states right after it for a later time
   * or the peak ("1,200 agents online at peak, 2,500 at the end of the quarter", "800 on average,
   * 3,000 at peak"): the value, the words that scope it, and the words that scope this one.
   */
  later?: { value: number; when: string; scope: string };
  /**
   * A figure written in a way rt-plan cannot read ("5.000.000 users", "-500 users", digits of
   * another script): the text as written, with `value` NaN. Planning refuses it (exit 2) rather
   * than sizing from a default while the context states a figure.
   */
  unreadable?: string;
}

/** Infrastructure the app runs behind or on, which constrains connection handling. */
/** `client-silence-close`: the server closes a connection on which the client sent nothing for `valueMs` ("closes idle sockets after 60 s without a frame from the client"). */
export type InfraFact = 'proxy-idle-timeout' | 'load-balancer' | 'tls-termination' | 'serverless' | 'edge' | 'client-silence-close';

export interface InfraRequirement {
  kind: 'infra';
  fact: InfraFact;
  /** The component named: "nginx", "ALB", "Vercel". */
  component: string;
  /** A timeout the component enforces, in ms, when stated. */
  valueMs?: number;
  /** The setting that timeout is, when the sentence names it (HAProxy's `timeout tunnel`). */
  setting?: string;
  /** A shorter timeout the sentence also states that the setting replaces on an upgraded connection. */
  supersedes?: { setting: string; valueMs: number };
  /**
   * The timeout is the maximum age of a WebSocket connection, active or idle, not an idle timeout:
   * a Google Cloud HTTPS load balancer's backend service timeout. Pings do not keep a connection
   * past it; every connection is cut at that age.
   */
  maxLifetime?: true;
  sentence: string;
  evidence: Evidence;
}

/** A must or must-not the context states. */
export interface ConstraintRequirement {
  kind: 'constraint';
  polarity: 'must' | 'must-not';
  sentence: string;
  evidence: Evidence;
  /** The keys of a message framing the sentence names in backticks (`{ event, data }` → ['event', 'data']). */
  framing?: string[];
}

/** A problem the user reports in the running app. */
export interface ProblemRequirement {
  kind: 'problem';
  sentence: string;
  evidence: Evidence;
}

export type Requirement = FeatureRequirement | NumberRequirement | InfraRequirement | ConstraintRequirement | ProblemRequirement;

export interface SessionDoc {
  path: string;
  data: Record<string, unknown>;
  title: string | null;
  body: string;
}

export interface SessionContext {
  files: string[];
  docs: SessionDoc[];
  requirements: Requirement[];
  warnings: Warning[];
}

// ─── analyze stage ──────────────────────────────────────────────────────────

export interface WorkspacePackage {
  /** Directory relative to the project root; '' for the root package. */
  dir: string;
  name: string | null;
  manifest: string;
  /** Every dependency the manifest declares (all kinds), name → declared range. */
  dependencies: Record<string, string>;
  /** name → 1-based line of its declaration in the manifest. */
  dependencyLines: Record<string, number>;
}

export type LibraryKind = 'library' | 'provider' | 'scaling' | 'framework';

export interface LibraryUse {
  name: string;
  /** Resolved version from the lockfile or node_modules; the declared range when nothing resolved. */
  version: string | null;
  declared: string | null;
  role: Role;
  evidence: Evidence;
  kind: LibraryKind;
  workspace: string;
}

export type EntrypointKind =
  | 'socket-server'
  | 'ws-server'
  | 'sse-endpoint'
  | 'webrtc-peer'
  | 'socket-client'
  | 'ws-client'
  | 'sse-client'
  | 'provider-client'
  | 'token-route'
  | (string & {});

export interface Entrypoint {
  file: string;
  line: number;
  kind: EntrypointKind;
}

export interface Stack {
  transports: Transport[];
  providers: string[];
  libraries: LibraryUse[];
  scaling: { name: string; evidence: Evidence }[];
  auth: { kind: AuthKind; evidence: Evidence | null }[];
  /**
   * The first handshake gate the code sets up (an `io.use` middleware, `verifyClient`), where no auth kind says what it checks
   * (it may check only the Origin), or where its middleware comes from a package (`authGateFrom`), whatever the auth kinds say.
   */
  authGate?: Evidence;
  /** The package the authGate's middleware factory is imported from (`socketio-jwt`), where the code shows it. */
  authGateFrom?: string;
  /** The property that package's options say the verified claims go on (`decodedPropertyName: 'user'`); null where the option is set to a value rt-plan cannot read. */
  authGateProperty?: string | null;
  /**
   * Socket.IO handshake auth as the code shows it: the fields the server reads from
   * `handshake.auth` (`hostToken`), and where a client passes an `auth` option (null: no client
   * in the repository passes one). Absent when the server reads no named field.
   */
  handshakeAuth?: { keys: { name: string; evidence: Evidence }[]; client: Evidence | null };
  /**
   * `timeoutMs`: a client keep-alive that closes the socket when nothing arrived for that long (react-use-websocket `heartbeat.timeout`).
   * `pingTimeoutMs`: the Socket.IO server's `pingTimeout` option where the code sets it (a pong not back within it closes the connection).
   * `timedSend`: where none is found, a server message sent on a timer (`{ type: 'pong' }` every 30 s, unasked), which detects no dead peer.
   */
  heartbeat: {
    present: boolean;
    evidence: Evidence | null;
    intervalMs?: number;
    timeoutMs?: number;
    pingTimeoutMs?: number;
    timedSend?: { name: string; evidence: Evidence; intervalMs?: number };
  };
  reconnect: { present: boolean; evidence: Evidence | null; backoff?: boolean; jitter?: boolean };
  entrypoints: Entrypoint[];
  /**
   * Where the process's HTTP server starts listening (`server.listen()`, `app.listen()`, Hono's
   * `serve()`, `Bun.serve()`), outside test files: the server a deploy drains. Absent when no
   * file the analysis read shows it.
   */
  listen?: Evidence;
  /**
   * Where the process handles SIGTERM or SIGINT (`process.on('SIGTERM', …)`, Nest's
   * `enableShutdownHooks()`), outside test files: the handler a drain on deploy replaces.
   */
  shutdown?: Evidence;
  /** That line only switches on a framework's shutdown hooks (Nest's `app.enableShutdownHooks()`): there is no handler to edit. */
  shutdownHooks?: true;
  /**
   * The Socket.IO client's connect call (`io(…)`), where every one the analysis found is written the
   * same way: the URL as written (absent for `io()` / `io({…})`), whether it is the page's own origin,
   * the namespace the URL names where the code spells it (`/support`), and the options it sets to a
   * literal or a name, as written (`autoConnect: false`). Absent when no client call is found or the calls differ.
   */
  socketClient?: {
    evidence: Evidence;
    url?: string;
    urlQueryDropped?: boolean;
    sameOrigin: boolean;
    namespace?: string;
    options: { key: string; value: string }[];
  };
  /** Web frameworks and runtimes next to the real-time code (express, fastify, next, react…). */
  frameworks: { name: string; version: string | null; evidence: Evidence }[];
}

export interface RtEvent {
  name: string;
  direction: Direction;
  origin: Origin;
  evidence: Evidence | null;
  transport?: Transport;
  namespace?: string;
  room?: string;
  /** Payload fields inferred from handlers and emits; absent when the code does not show them. */
  payload?: PayloadField[];
  /**
   * The payload is one bare value, not an object (`emit('joinRoom', roomId)`): its type, the name
   * the handler gives it, and where the code shows it. Extensions never turn it into an object.
   * `room`: the handler names a room with it (`` socket.join(`board:${id}`) ``).
   * `after`: the handler's further positional parameters, in order (`options` of `(port, options)`):
   * argument slots already in use, so a field a plan adds goes after them, never into one.
   * `ack`: the handler's last parameter when it is Socket.IO's acknowledgement callback (the handler
   * calls it, or a sender passes a function last): always the last argument, so a field goes before it.
   */
  bare?: { type: string; name?: string; evidence: Evidence; room?: true; after?: string[]; ack?: string };
  /**
   * A site that lists every key the payload has (an object literal without spread, a closed TS
   * type): where it is and the keys it names. Absent when every site may leave keys out.
   */
  closed?: { evidence: Evidence; fields: string[] };
  /** A managed provider's protocol event (`openai-realtime`, `gemini-live`), not the app's own envelope. */
  protocol?: string;
  /**
   * A GraphQL subscription field (analyze/model/graphql-schema.ts): its return type and arguments
   * as the schema writes them, at the schema's line, and the client's `subscription` document
   * that selects it, where the code has one.
   */
  graphql?: {
    returns?: string;
    args?: { name: string; type: string }[];
    schema?: Evidence;
    document?: { text: string; name?: string; variables: { name: string; type: string }[]; evidence: Evidence };
  };
  /**
   * The provider SDK call this event stands for, as the code writes it (`channel.presence.enter()`,
   * `channel.track()`, `channel.on('postgres_changes')`): rt-plan's label for the SDK's own API,
   * not a name the project chose, so it sets no naming style.
   */
  sdk?: string;
  /**
   * How the provider delivers the message, as the sending call sets it (LiveKit: `publishData`'s
   * `reliable: true`, or `sendData`'s kind): reliable packets are retransmitted and kept in order,
   * lossy ones sent once in no set order. Absent where the call leaves it unset or the value is not a literal.
   */
  delivery?: { mode: 'reliable' | 'lossy'; evidence: Evidence };
  /**
   * The project's own name for what a provider message carries, where the event's name is rt-plan's
   * label around it (`reactions` of `data:reactions`, a LiveKit data topic): the object it moves.
   */
  topic?: string;
  /**
   * The project's own type that declares the payload (`SubmitAnswer` in a shared package), named
   * by a handler's or sender's annotation: where it is declared. A plan extends it, never a copy.
   */
  declaredType?: { name: string; evidence: Evidence };
  /** The payload is another event's, sent on unchanged by that event's handler (`card:moved` echoes `card:move`). */
  echoes?: { event: string; evidence: Evidence };
  /**
   * A request the sender waits to have answered (Socket.IO's acknowledgement): the first site that
   * shows it, a listener calling its last parameter or a sender passing a function last
   * (`emit('getDatabaseSize', (res) => …)`) or calling `emitWithAck`.
   */
  acked?: Evidence;
  /**
   * Sent from a client event's listener after an await in it (`await moveCard(…)` then the emit):
   * the listener's event and where that await is. Two runs of the listener send in the order their
   * awaits settle, which on several instances need not be the order they were stored in.
   */
  afterAwait?: { event: string; at: Evidence };
  /**
   * A both-ways event whose clients send something other than the object the server sends: one
   * bare value (`socket.emit('agent:typing', ticketId)`, a handler's `ticketId: string`) or nothing
   * but the event itself (`{ type: 'typing' }`). `payload` is then what the server sends.
   */
  sent?: { bare?: { type: string; name?: string; evidence: Evidence }; none?: true; evidence: Evidence };
}

export interface Finding {
  id: string;
  severity: Severity;
  message: string;
  evidence: Evidence;
  fix: string;
  why?: string;
  source?: string;
  /** Other places the fix changes (`file:line`): a caller that must now await what the fix makes async. */
  alsoAt?: Evidence[];
  /**
   * Where clients read what the finding's message carries (`topic === 'headcount'` in the component
   * that shows it, `file:line`): a fix that moves the work to each client changes these places.
   */
  readAt?: Evidence[];
  /** The event the finding is about, where the rule knows it: the client event whose handler it is in, or the event it emits. */
  event?: string;
  /** The HTTP request the finding is about, as the client writes it (`POST /api/tools/…`, `…` for an interpolated part). */
  route?: string;
  /** `file:line` where the route's one interpolated part is given the name of a provider's tool call (`runTool(event.name, …)`): the route takes one value per declared tool. */
  toolNameAt?: Evidence;
}

export interface ProjectInfo {
  name: string;
  packageManager: 'npm' | 'pnpm' | 'yarn' | null;
  packages: WorkspacePackage[];
  /** Source files scanned, relative paths, sorted. Used to name real files in implementation steps. */
  sourceFiles: string[];
  typescript: boolean;
}

/** A dependency or import the model names, with where it is declared or used. */
export interface ModelNote {
  name: string;
  evidence: Evidence;
  /** Why it is listed: what the code shows (or does not show) about it. */
  reason?: string;
}

/** Something the project model shows that a plan should name where it is (Current state). */
/**
 * The delay before reconnect attempt n (from 0) as the project's code computes it: e = base ×
 * factor^n, capped at `capMs` before the jitter (`before-jitter`) or after it; jitter `full` is
 * e × U(0, 1), `band` e × (bandLo + bandWidth × U(0, 1)), `add` e + addMaxMs × U(0, 1).
 */
export interface ReconnectDelay {
  baseMs: number;
  factor: number;
  capMs: number | null;
  capAt: 'before-jitter' | 'after-jitter';
  jitter: 'none' | 'full' | 'band' | 'add';
  bandLo?: number;
  bandWidth?: number;
  addMaxMs?: number;
}

export interface ModelFact {
  kind:
    | 'process-state'
    /** A client listener on its connection object parses what it receives with JSON.parse outside try/catch (name: the event). */
    | 'unguarded-listener-parse'
    /** A React effect registers a listener on a connection object made outside it that its cleanup does not take off (name: the event). */
    | 'listener-kept'
    /** An async Express 4 route handler that awaits outside any try/catch (name: the route; value: the awaits' lines): Express 4 does not catch its rejection. */
    | 'unguarded-async-route'
    /** A process-level collection of live sockets (`Map<string, Set<WebSocket>>`): each instance's index of its own connections, never shared state. */
    | 'socket-index'
    /** A process-level collection of callbacks registered in this process (`const listeners: (() => void)[] = []`): kept per process, fed by the fan-out. */
    | 'callback-registry'
    /** A package only browser code imports (name: the package): a store client there is the browser's, not the server's (browser-packages.ts). */
    | 'browser-only-package'
    | 'connection-identity'
    | 'query-token'
    | 'options-object'
    | 'per-connection-client'
    | 'auth-route'
    | 'stream-hook'
    /** A chat-completions call that asks for no stream (name: the call path, `openai.chat.completions.create`): it waits for the whole answer. */
    | 'unstreamed-completion'
    | 'websocket-only'
    /** An SSE stream writes `id:` on its events (name: `id`) or reads the id to resume from (name: `Last-Event-ID`, followed by ` <param>:<line>` when a query parameter is read too, or the query parameter's name alone). */
    | 'sse-resume'
    /** A client opening an EventSource carries the last id it saw in the URL (name: the query parameter). */
    | 'sse-client-resume'
    /** An SSE stream writes a comment line as its keep-alive (name: the comment's text). */
    | 'sse-keepalive-comment'
    /** The path an SSE stream is registered at in its own module (name: the path). */
    | 'sse-route'
    /** A stream reads its events from a shared log every instance can read (name: the read call, e.g. `reader.xread`). */
    | 'stream-source'
    /** Events are appended to a capped log (name: the cap, e.g. `2000`, or `uncapped`). */
    | 'stream-log'
    /** A WebSocket server behaviour option the code sets (name: the option, value: what it is set to), read through spreads and imported constants. */
    | 'server-option'
    /** A client's limit on reconnect attempts, set in its options (name: the option, e.g. `reconnectAttempts`; value: the number as written). */
    | 'reconnect-attempts'
    /** A client's reconnect delay, a function of the attempt number set in its options and read into `delay` (name: the option, e.g. `reconnectInterval`). */
    | 'reconnect-delay'
    /**
     * A client's close handler returns before it reconnects when the close code is one of some
     * codes (value: those codes, comma-separated, as written in the test): the only closes it stops on.
     */
    | 'close-code-stop'
    /** A delay option of a self-reconnecting client set in its options (name: the option, e.g. `minReconnectionDelay`; value: as written, when a literal or a folded constant). */
    | 'reconnect-option'
    /** An exported enum or constant object whose values are the real-time event names the code uses (name: its exported name, e.g. `ClientEvent`). */
    | 'protocol-names'
    /** A per-message guard (a Nest `canActivate` on `@SubscribeMessage` handlers) that verifies the handshake's token again on every message (name: the guard's class). */
    | 'message-guard-handshake-token'
    /**
     * A Nest `@SubscribeMessage` handler that returns `{ event, data }` (a `WsResponse`): Nest emits
     * that event to the sender instead of calling the client's ack callback (name: the handled
     * event; value: the returned event, as resolved or written).
     */
    | 'ws-response-return'
    /**
     * A client `fetch(url, { method: 'PUT', body })`: an HTTP PUT replaces the whole resource with
     * what it sends (RFC 9110 §9.3.4), so it is a writer of the whole document (name: the URL as
     * written; value: the body's keys when it is `JSON.stringify({ … })`; answeredAt: where the
     * server route that answers it is registered, file:line, when the project has one).
     */
    | 'http-put'
    /** A function tool declared to a voice provider (name: the tool's name, value: its description when it has one). */
    | 'tool-declaration'
    /** The microphone opened with `getUserMedia` (value: the `sampleRate` asked for, when the code sets one). */
    | 'audio-capture'
    /** An `AudioContext` created (value: its `sampleRate`, when the code sets one). */
    | 'audio-context'
    /** How Socket.IO rooms are named (name: the pattern, `board:{boardId}`; value: as written, `` `board:${boardId}` `` or `roomFor()`). */
    | 'room-name'
    /** A handler that joins a room, then emits to it (name: the event, as written; value: `room` with the joiner, `others` without; store: the room). */
    | 'join-broadcast'
    /** An emit to a room (name: the event, as written; store: the room; value: the emitter's root): the whole room receives it at once. */
    | 'room-broadcast'
    /**
     * A send looks the user's connection up in a process-level Map and returns when there is none,
     * before anything stores the event (name: the function; store: the Map). Shown only where the
     * context asks that offline users get events later.
     */
    | 'send-drops-offline'
    /** A provider channel opened under a constant topic in code that reads a room id (name: the topic): every room shares one channel. */
    | 'constant-topic'
    /**
     * A function that sends to the sockets of a socket index (name: the function; store: the
     * index; value: `client` when a socket, connection or request handler reaches it, else the
     * functions that call it, a source outside the connections such as a feed consumer).
     */
    | 'broadcast-source'
    /** A send in a loop over every socket the process holds, with no test that picks some (name: the collection walked; store: the socket index when it is one; value: `only` when no loop in the code sends to picked sockets). */
    | 'broadcast-all'
    /**
     * A message handler whose only write adds to a member (`player.score += …`) and whose calls
     * only read: it keeps no record of what it already counted, so a repeat counts again (name:
     * the function; store: the member; value: the listener registration's file:line).
     */
    | 'repeat-accumulates'
    /** A client send that queues a message while the socket is not open and sends it on the next open (name: the send call). */
    | 'queued-send'
    /** An element disabled unless the chat status is 'ready', with nothing that clears an error (name: the status binding). */
    | 'locked-on-error'
    /**
     * A typing indicator set from each typing event and never set back (no empty value, no timer):
     * it shows the last sender until another typing event arrives (name: the setter; value: the event).
     */
    | 'typing-never-cleared'
    /**
     * A counter raised by one on every database change a listener receives, inserts, updates and
     * deletes alike (name: the setter; value: the table).
     */
    | 'counts-every-change'
    /**
     * A presence member list mapped to the client id (name: the map call; value: the id field) with
     * nothing that makes it unique, from an SDK call that returns one member per connection.
     */
    | 'presence-per-connection'
    /** A client sends its subscribe message (name) only when asked, with no open/connect listener to send it again on a new connection. */
    | 'resubscribe-missing'
    /** A server's subscribe handler (name) subscribes the socket and sends nothing: no current value on subscribe. */
    | 'subscribe-sends-nothing'
    /**
     * A client sends its subscribe message (name) again on every new connection, and every server
     * event it handles is a change (value: those events, comma-separated), none the current state;
     * no server code here sends state on subscribe: a change sent during a drop is never applied.
     */
    | 'resubscribe-no-state'
    /** A server send guarded by the socket's queued bytes (name: the read, `ws.bufferedAmount`). */
    | 'buffer-check'
    /** A message handler that lets through only frames up to a size (name: the measured value; value: the limit). */
    | 'message-size-check'
    /**
     * A write to the storage a platform keeps with the room's own object (a Durable Object's or a
     * PartyKit room's `storage.sql.exec('INSERT INTO messages …')`, `storage.put(…)`): name: the
     * call; store: the table, or the key as written; value: the SQL verb or `put`. It outlives the process.
     */
    | 'storage-write'
    /**
     * A table the code creates in that storage (`storage.sql.exec('CREATE TABLE IF NOT EXISTS messages
     * (id TEXT PRIMARY KEY, …)')`): name: the call; store: the table; value: its columns, comma-separated;
     * ifNotExists when the statement never alters a table that already exists.
     */
    | 'storage-table'
    /** An `INSERT INTO t VALUES (…)` without a column list: store: the table. It breaks once columns are added. */
    | 'positional-insert'
    /**
     * A write through a Redis client the project creates (`store.hSet(…)`, ioredis `redis.hset(…)`):
     * name: the call; store: the key as written (`board:{boardId}:cards`), `''` when not followed;
     * value: the command (`HSET`). Every instance shares it, and it outlives the process.
     */
    | 'redis-write'
    /**
     * A broadcast that leaves its sender out (`socket.to(room).emit(E)`, `socket.broadcast.emit(E)`,
     * PartyKit `room.broadcast(frame, [sender.id])`): name: the event; value: the call, shortened.
     * Each message reaches the room size − 1 recipients.
     */
    | 'sender-excluded'
    /** Where the client sends an event (name: the event): the send site, which a rate or a throttle is about. */
    | 'client-send'
    /**
     * A client send that runs on every key pressed: called with no condition before it from an inline
     * input handler (name: the event; evidence: the call in the handler; value: the attribute,
     * `onChange`; store: the function that wraps the send, `sendTyping`, or empty for the send itself).
     */
    | 'keystroke-send'
    /**
     * What a credential-minting route grants (name: the channel or room as written, value: the
     * operations, comma-separated, empty when the credential names none; `condition`: the test it
     * is signed under; `fromRequest`: the name comes from what the client sent; `checked`: a 403
     * or a check call in the same route may refuse it).
     */
    | 'channel-grant'
    /** A client module of a managed provider leaves its channel or room (name: the call as written, `supabase.removeChannel`). */
    | 'channel-cleanup'
    /** A credential-minting route refuses (name: the test as written, empty when it refuses whatever reaches its last return; value: `401` or `403`). */
    | 'access-refusal'
    /** A connection's handler sends an event only when a field of it matches the connection's (name: the test as written). */
    | 'delivery-filter'
    /**
     * A setting of the config file of a real-time server the project runs (Centrifugo): name: the
     * key (`history_ttl`), or `file` for the file itself (value: the engine keys it sets), or
     * `namespace` for a namespace's name; store: the namespace (`''` at the top level); value: as written.
     */
    | 'server-config'
    /** A call of ours that publishes an object to a channel of a configured namespace (name: the channel, `parcel:{id}`; value: the object's keys). */
    | 'channel-publish'
    /** The access check a subscription-token route calls before it signs a token for a channel (name: the check, `ownsParcel`; store: the route path). */
    | 'channel-auth-check'
    /**
     * An HTTP route the code registers (name: the method and path, `POST /admin/x`, prefixed by
     * the path a parsed module mounts its router at; value: the auth middleware in front of it,
     * when the code shows one, with `guardAt` where it is applied).
     */
    | 'http-route'
    /**
     * A route module of a file-system router exports a handler named for an HTTP method (Next.js
     * App Router `app/api/answer/route.ts`: `export async function POST`): name: the method and
     * the path the file serves (`POST /api/answer`); evidence: the export's line.
     */
    | 'route-handler'
    /**
     * The fields an HTTP route's handler reads of the request body (`const { body, mentions } =
     * req.body`, `req.body.text`): name: the route as served (`POST /api/x`); value: the fields,
     * comma-separated, in the order read; evidence: the registration; handlerEnd: the handler's last
     * line. A plan that extends the route keeps these names, so the clients that send them keep working.
     */
    | 'route-body'
    /**
     * A server handler checks the connection itself before it acts (name: the event, empty for a
     * route's check; route: that route; value: the test or the guard call as written; store:
     * `only` the handler runs only when it holds, `refuse` it stops when it holds, `filter` it
     * keeps only the items for which it holds, `assert` the guard call refuses inside itself,
     * `guard` a guard class in front of the handler (value: as written, `WsRolesGuard`; empty when
     * only `decorator` metadata is there; items `refuses` when it refuses rather than returns);
     * `connect` the server's handshake middleware (`io.use`) refuses every connection of the namespace when it holds;
     * condition and checkedAt: the comparison a guard function makes, and where).
     */
    | 'connection-check'
    /**
     * A guard registered for the whole Nest app (`app.useGlobalGuards(new X())`, a module's `{ provide: APP_GUARD, useClass: X }`),
     * said only where the app has a gateway (name: the guard; value: `useGlobalGuards` or `APP_GUARD`): not read as a check in
     * front of any `@SubscribeMessage` handler (role-checks.ts).
     */
    | 'global-guard'
    /**
     * A server handler sends to the sockets picked by an attribute of the sender's connection
     * (name: the handler's event; value: the attribute, `ws.classId`; store: the event sent, or empty).
     */
    | 'scoped-send'
    /**
     * A send whose payload carries the whole of a module-level collection (`{ type: 'state', builds:
     * builds.all() }` where `all()` returns `[...all.values()]`): one message is a snapshot of every
     * item (name: the event; value: the payload field; store: the collection; storeAt: where it is defined).
     */
    | 'whole-collection-send'
    /**
     * An event the server sends carries another system's answer whose type names a version field
     * (name: the field, `version`; store: the event; value: the function that returns the answer;
     * evidence: where the handler binds it; answeredAt: the return of that answer, file:line). The
     * system of record numbers it where the record is written, not this code.
     */
    | 'record-version'
    /**
     * An async `message` listener that awaits (`ws.on('message', async …)`): the emitter does not
     * wait for it, so one connection's messages are handled concurrently (name: `message`; value:
     * the line of its first `await`).
     */
    | 'overlapping-messages'
    /** SQL of the project that sets a change-time column from the database's clock (name: the column; value: the clock, e.g. `now()`): model/change-time.ts. */
    | 'change-time'
    /**
     * A GraphQL `Query` or `Mutation` resolver that never reads its context argument, so no identity
     * the server builds for the request is checked before it runs (name: `Mutation.setOrderStatus`;
     * store: where the server builds that context, file:line list, empty when not found). A field
     * the schema marks with a directive is not reported.
     */
    | 'resolver-no-context'
    /**
     * A subscription callback refetches a whole query on every result (`useSubscription(E, { onData:
     * () => refetch() })`): name: the subscription document; value: the query document; store: where
     * the query is run, file:line; evidence: the refetch call.
     */
    | 'refetch-per-event';
  name: string;
  evidence: Evidence;
  /** One sentence on what the code does there, true of this project only. */
  note: string;
  /** The state the fact is about (`game.players` for a connection-identity fact), when it names one. */
  store?: string;
  /** tool-declaration: the parameters the tool's schema declares (`parameters.properties`), in order. */
  params?: string[];
  /** http-put: where the server route that answers the PUT is registered (file:line); record-version: where the answer is returned. */
  answeredAt?: string;
  /** The value set, as written (`65536`, `uWS.SHARED_COMPRESSOR`), for a server-option fact. */
  value?: string;
  /** Process state that only the callers of a broadcast from outside the connections change (a feed consumer's `onTrade`): those callers. */
  feed?: string;
  /** channel-grant: the test the grant is signed under, as written. */
  condition?: string;
  /** channel-grant: the channel or room name comes from what the client sent. */
  fromRequest?: boolean;
  /** channel-grant: something in the same route may refuse it (a 403, or a check call taking the name). */
  checked?: boolean;
  /** connection-check with store `filter`: the collection filtered, as written (`msg.payload.symbols`). */
  items?: string;
  /** connection-check: where the guard function it calls makes its comparison. */
  checkedAt?: Evidence;
  /** connection-check with store `guard`: the role metadata the handler carries, as written (`@Roles('admin')`), and where. */
  decorator?: string;
  decoratorAt?: Evidence;
  /** channel-grant, access-refusal, delivery-filter: the route path the function serves, when the code registers one. */
  route?: string;
  /** http-route: where the auth middleware named in `value` is applied. */
  guardAt?: Evidence;
  /** http-route: that middleware checks the `Authorization` header (which a browser never adds to another site's request). */
  guardHeader?: true;
  /** route-body, unguarded-async-route: the last line of the route's handler (its first is after the registration line). */
  handlerEnd?: number;
  /** unguarded-async-route: where the route's handler function starts. */
  handlerAt?: Evidence;
  /** unguarded-async-route: the lines in the handler of calls that write to a store (an SQL INSERT/UPDATE/DELETE, `insert`, `save`, `create`, `update`…). */
  writesAt?: number[];
  /** unguarded-async-route: the process-level `unhandledRejection` listener, where the project has one. */
  rejectionListenerAt?: Evidence;
  /**
   * http-route: registered on a router (`Router()`) that no module rt-plan read mounts, so the
   * path in `name` is as the router writes it and the prefix it is mounted at is unknown.
   */
  mountUnknown?: true;
  /** A `reconnect-delay` fact's schedule, its constants folded across modules. */
  delay?: ReconnectDelay;
  /** process-state: an array trimmed to its last entries (`if (recent.length > 500) recent.shift()`): how many it keeps, and where it trims. */
  keeps?: number;
  keepsAt?: Evidence;
  /** whole-collection-send: where the collection is defined (file:line). */
  storeAt?: Evidence;
  /** whole-collection-send: sent in a connection handler, outside any listener or loop: to each client as it connects. */
  onConnect?: true;
  /** storage-table: created with `IF NOT EXISTS`, so a table an object already has keeps its columns. */
  ifNotExists?: true;
  /**
   * client-send: the other client events the same function sends on every run with this one, each
   * as `event@file:line` (one keystroke that sends an edit and a cursor move): they count together.
   */
  together?: string[];
}

export interface Analysis {
  project: ProjectInfo;
  stack: Stack;
  events: RtEvent[];
  findings: Finding[];
  warnings: Warning[];
  /** Real-time dependencies a manifest declares that no source file imports: not the project's stack. */
  unused?: ModelNote[];
  /** Real-time-looking dependencies or imports no adapter models: rules that would need facts about them stay silent. */
  unmodelled?: ModelNote[];
  /** Facts of the project model the plan names in Current state (model/plan-facts.ts). */
  modelFacts?: ModelFact[];
  /** The keys the server reads from graphql-ws's `connectionParams` (the `connection_init` payload), each where it is read. */
  connectionParams?: { name: string; evidence: Evidence }[];
  /** Files whose code handles the clients' events on the server (a listener per event), sorted; absent when none was found. */
  handlerFiles?: string[];
}

// ─── docs stage ─────────────────────────────────────────────────────────────

export type DocSource = 'project' | 'package' | 'knowledge' | 'context7';

export interface DocRef {
  /** Stable id for inline citations, e.g. "K3" or "D1". */
  id: string;
  source: DocSource;
  library: string | null;
  version: string | null;
  /** Path relative to the project, path inside rt-plan, or a URL. */
  reference: string;
  title: string;
  excerpt: string;
  topics: string[];
  /** Public source URLs (knowledge notes). */
  links?: string[];
  retrieved?: string;
}

export interface DocsContext {
  refs: DocRef[];
  notices: string[];
}

// ─── diagrams ───────────────────────────────────────────────────────────────

export type DiagramKind = 'flowchart' | 'state' | 'sequence';

export interface Diagram {
  kind: DiagramKind;
  title: string;
  /** Mermaid source, produced only by src/diagrams builders. */
  source: string;
}

// ─── design stage (the parts other stages read) ─────────────────────────────

/**
 * A payload field. `type` is a small TypeScript type expression: 'string', 'number',
 * 'integer', 'boolean', 'string[]', 'number[]', a literal union like "'a' | 'b'",
 * 'Record<string, unknown>' or 'unknown'. Both the plan's TypeScript types and the
 * AsyncAPI schemas are derived from it.
 */
export interface PayloadField {
  name: string;
  type: string;
  optional?: boolean;
  description?: string;
  /** An object value the code spells out in full (an object literal without spread): its keys, for sizing the message. */
  fields?: Pick<PayloadField, 'name' | 'type' | 'fields'>[];
  /**
   * The server fills it from the connection the message came in on, naming who sent it
   * (`sender.id`, `socket.data.userId`): that expression, with where the code shows it.
   */
  sender?: { value: string; at: Evidence };
}

export interface EventSpec extends RtEvent {
  /** A bare payload the plan grows into an object (`{ ticketId, afterSeq }`) that the handler accepts beside today's bare value, and why not another argument. */
  bareGrows?: string;
  summary: string;
  /** TypeScript interface name of the payload, e.g. "JoinRoomPayload". */
  payloadType: string;
  payload: PayloadField[];
  /** Present when the event is acknowledged; fields of the ack. */
  ack?: PayloadField[];
  /** Room, topic or namespace the event travels on (AsyncAPI channel). */
  channel: string;
  /**
   * Sent as an HTTP request (a route of ours, or a row written to a managed provider's database),
   * not on the channel: the channel is where its result is delivered, so it is no inbound message there.
   */
  overHttp?: true;
  /** With overHttp: the existing route of ours it is (`POST /api/x`), extended rather than proposed anew. */
  route?: string;
}

/** What render, verify and the CLI read from a plan. The design stage's Plan extends it. */
export interface PlanCore {
  task: string;
  title: string;
  /** ISO timestamp of the run's clock (the --date value in deterministic runs). */
  generatedAt: string;
  transport: Transport;
  /** Chosen primary library, e.g. "socket.io", or null for the platform API. */
  library: string | null;
  diagrams: Diagram[];
  events: EventSpec[];
  channels: { name: string; description: string }[];
}
