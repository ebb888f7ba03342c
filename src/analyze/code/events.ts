// Event extraction with direction. A file's side (server or client) decides direction: what a
// server handles travels client-to-server, what it emits travels server-to-client.
import type { Transport } from '../../types.js';
import { adapterEvents } from '../model/adapters/index.js';
import type { EntryHit, Side } from './entrypoints.js';
import { builtinModules } from 'node:module';
import { BROWSER_GLOBALS } from './fact-types.js';
import type { CallFact } from './facts.js';
import { type FileContext, firstString, moduleOf, receiverOf } from './file-context.js';
import { type PayloadSite, sioPayload } from './payloads.js';

export interface RawEvent {
  name: string;
  /** `emit`: this side sends it; `handle`: this side listens for it. */
  act: 'emit' | 'handle';
  side: Side;
  transport: Transport;
  file: string;
  line: number;
  namespace?: string;
  room?: string;
  /** What this site says about the payload's fields, when it says anything (payloads.ts). */
  payload?: PayloadSite;
  /** A registry dispatch (`handlers[msg.type]`): this side may handle any name; never an event itself. */
  wildcard?: true;
  /** Relayed by the provider from one client to the others (Pusher `client-` events): no server side. */
  peer?: true;
  /** A provider's protocol event (model/provider-protocols.ts), with the direction that protocol fixes. */
  protocol?: string;
  /** The provider SDK call this event stands for (RtEvent.sdk): the project chose no name for it. */
  sdk?: string;
  /** How the provider delivers it, as the sending call sets it (RtEvent.delivery). */
  delivery?: 'reliable' | 'lossy';
  /** The project's own name for what a provider message carries (RtEvent.topic). */
  topic?: string;
  fixed?: 'client-to-server' | 'server-to-client';
  /**
   * Request and answer (Socket.IO's acknowledgement): the listener calls its last parameter, or the
   * sender passes a function as its last argument or calls `emitWithAck` (RtEvent.acked).
   */
  acked?: true;
  /** An emit inside a client event's listener after that listener awaits something (RtEvent.afterAwait). */
  afterAwait?: { event: string; line: number };
}

const SCALAR_TYPE: Partial<Record<string, string>> = { string: 'string', template: 'string', number: 'number', bool: 'boolean' };

/** Socket.IO and EventSource lifecycle events: not part of an application protocol. */
export const RESERVED_EVENTS = new Set([
  'connect',
  'connection',
  'disconnect',
  'disconnecting',
  'error',
  'connect_error',
  'connect_timeout',
  'reconnect',
  'reconnect_attempt',
  'reconnect_error',
  'reconnect_failed',
  'reconnecting',
  'newListener',
  'removeListener',
  'open',
  'close',
  'ping',
  'pong',
  'upgrade',
  'headers',
  'listening',
]);
/**
 * What a Socket.IO server socket itself emits (https://socket.io/docs/v4/emit-cheatsheet/#reserved-events),
 * with the namespace's `connection` and the `error` a `socket.use` middleware raises: on the server
 * every other name, `open` and `close` included, is the application's own event.
 */
const SIO_SERVER_RESERVED = new Set(['connect', 'connection', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener', 'error']);
/** Members that lead from a socket to its Engine.IO connection, the server's engine or the client's Manager: their events are not the socket's. */
const NOT_THE_SOCKET = new Set(['conn', 'engine', 'io', 'request', 'httpServer']);
const SIO_RECEIVER = /^(io|socket|sock|nsp|namespace|ioServer|socketServer)$|Socket$/;
/** Receivers a namespace's `connection` listener is registered on, where the file itself imports no Socket.IO package. */
const SIO_SERVER_RECEIVER = /^(io|ioServer|socketServer|nsp|namespace)$/;
/** Raw WebSocket servers share the `connection` event name: a file that imports one is not read as Socket.IO by it. */
const OTHER_WS_SERVERS = new Set(['ws', 'uWebSockets.js', '@fastify/websocket', 'express-ws', 'sockjs', 'faye-websocket', 'websocket']);
const SIO_CREATORS = new Set(['socket.io', 'socket.io-client']);

function socketNames(ctx: FileContext): Set<string> {
  const names = new Set<string>();
  for (const v of ctx.facts.vars) {
    const mod = moduleOf(ctx, v.init.replace(/^new /, ''));
    if ((mod && SIO_CREATORS.has(mod)) || /\.of\(\)$|\.socket\(\)$/.test(v.init)) names.add(v.name);
  }
  for (const c of ctx.facts.calls) {
    const ev = firstString(c.args[0]);
    if (c.method === 'on' && (ev === 'connection' || ev === 'connect')) {
      const p = c.args.find((a) => a.kind === 'function')?.params?.[0];
      if (p) names.add(p);
    }
  }
  return names;
}

/** Node's own modules: a file that imports one runs in Node, whatever globals it names. */
const NODE_BUILTINS: ReadonlySet<string> = new Set(builtinModules);

/**
 * Node modules whose name is also an npm package a browser bundle imports by that very name (the
 * same-named polyfills webpack 4 and browserify resolve: `events`, `buffer`, `util`…): a bare import
 * of one says nothing of where the file runs. `node:events` still does.
 */
const BROWSER_POLYFILLS: ReadonlySet<string> = new Set(['assert', 'buffer', 'events', 'process', 'punycode', 'string_decoder', 'url', 'util']);

/**
 * A page script: it reads a browser global (`window.`, `document.`, `localStorage.`) the file
 * does not bind itself, and imports no Node module (a same-named browser polyfill is none). A
 * handler module's own `const document = …` or a Mongoose `document` parameter is a local, not the page.
 */
function readsPage(ctx: FileContext): boolean {
  if ([...ctx.sources].some((s) => s.startsWith('node:') || (NODE_BUILTINS.has(s) && !BROWSER_POLYFILLS.has(s)))) return false;
  const local = new Set(ctx.facts.boundGlobals ?? []);
  return ctx.facts.members.some((m) => {
    const root = m.path.split('.')[0] ?? '';
    return m.path.includes('.') && BROWSER_GLOBALS.has(root) && !local.has(root);
  });
}

/**
 * `io.on('connection', (socket) => …)` in a module that imports no Socket.IO package (the server was
 * made in another module and handed over, `const io = await server(app)`), in a workspace that
 * declares `socket.io`: `connection` is the server namespace's event, the client's is `connect`.
 */
export function servesSioConnection(ctx: FileContext): boolean {
  if ([...ctx.sources].some((s) => OTHER_WS_SERVERS.has(s))) return false;
  return ctx.facts.calls.some((c) => {
    if (c.method !== 'on' || firstString(c.args[0]) !== 'connection' || c.args[1]?.kind !== 'function') return false;
    const recv = (c.path.startsWith('this.') ? c.path.slice(5) : c.path).slice(0, -'.on'.length);
    return SIO_SERVER_RECEIVER.test(recv) || /^(io|ioServer|socketServer)\.(sockets|of\(\))$/.test(recv);
  });
}

/** The Socket.IO side of a file: its own import or entry point first, else the workspace's (`fallback`). */
export function socketIoSide(ctx: FileContext, entries: EntryHit[], fallback: Side | null): Side | null {
  if (entries.some((e) => e.kind === 'socket-server') || ctx.sources.has('socket.io')) return 'server';
  if (entries.some((e) => e.kind === 'socket-client') || ctx.sources.has('socket.io-client')) return 'client';
  // A package that declares only `socket.io` still serves its pages the client bundle
  // (/socket.io/socket.io.js, a global `io`): its browser scripts talk from the client side.
  if (fallback === 'server' && readsPage(ctx)) return 'client';
  return fallback;
}

/** The names that hold a Socket.IO socket or server in this file: made here, a connection listener's parameter, or handed in (`handed`). */
export function sioSocketNames(ctx: FileContext, handed?: ReadonlySet<string>): Set<string> {
  const names = socketNames(ctx);
  for (const n of handed ?? []) names.add(n);
  return names;
}

/** `socket.on`, `io.to(room).emit`, `socket.broadcast.emit`: not `socket.conn.on` or `socket.io.on`, whose events are the engine's or the Manager's. */
function throughSocket(c: CallFact): boolean {
  const p = c.path.startsWith('this.') ? c.path.slice(5) : c.path;
  const middle = p.split('.').slice(1, -1);
  return !middle.some((m) => NOT_THE_SOCKET.has(m));
}

function socketIoEvents(ctx: FileContext, side: Side, handed?: ReadonlySet<string>): RawEvent[] {
  const names = sioSocketNames(ctx, handed);
  const out: RawEvent[] = [];
  for (const c of ctx.facts.calls) {
    const recv = receiverOf(c);
    if (!names.has(recv) && !SIO_RECEIVER.test(recv)) continue;
    if (!throughSocket(c)) continue;
    const name = firstString(c.args[0]);
    const act = c.method === 'on' || c.method === 'once' ? 'handle' : c.method === 'emit' || c.method === 'emitWithAck' ? 'emit' : null;
    if (act === null || name === null || c.args[0]?.kind !== 'string') continue;
    // A client's Socket and its Manager emit more lifecycle names (v2: `reconnect`, `ping`…) than a
    // server socket does; what either side emits by name is the application's, but for the names Socket.IO reserves.
    if ((side === 'server' || act === 'emit' ? SIO_SERVER_RESERVED : RESERVED_EVENTS).has(name)) continue;
    const ev: RawEvent = { name, act, side, transport: 'socket.io', file: ctx.file, line: c.line };
    const payload = sioPayload(c, act);
    if (payload) ev.payload = payload;
    if (answered(ctx, c, act)) ev.acked = true;
    if (act === 'emit') {
      const waited = awaitedBefore(ctx, c, names);
      if (waited) ev.afterAwait = waited;
    }
    const ns = nsOf(c);
    if (ns) ev.namespace = ns;
    const room = c.chain.find((k) => k.method === 'to' || k.method === 'in');
    if (room?.arg?.kind === 'string' && room.arg.str) ev.room = room.arg.str;
    out.push(ev);
  }
  return out;
}

/**
 * A Socket.IO request and answer: a listener that calls its last parameter (the acknowledgement
 * callback Socket.IO passes when the sender asked for one), or a sender whose last argument after
 * the name is a function, or `emitWithAck` (Socket.IO 4.5+ lets a broadcast wait for every answer too).
 */
function answered(ctx: FileContext, c: CallFact, act: 'emit' | 'handle'): boolean {
  if (act === 'emit') {
    if (c.method === 'emitWithAck') return true;
    const last = c.args.length > 1 ? c.args[c.args.length - 1] : undefined;
    return last?.kind === 'function';
  }
  const fn = c.args[1];
  const cb = fn?.kind === 'function' ? fn.params?.at(-1) : undefined;
  if (!fn || !cb) return false;
  const end = fn.endLine ?? fn.line;
  return ctx.facts.calls.some((k) => k.path === cb && k.line >= fn.line && k.line <= end);
}

/**
 * The listener this emit runs in (`socket.on('card:move', async (…) => { await …; emit })`) and the
 * last await before it there: the emit goes out only once that await settles, so two runs of the
 * listener send in the order their awaits settle, not in the order the listener was called.
 */
function awaitedBefore(ctx: FileContext, c: CallFact, names: ReadonlySet<string>): { event: string; line: number } | undefined {
  for (const h of ctx.facts.calls) {
    if (h.method !== 'on' || h.args[0]?.kind !== 'string' || !h.args[0].str) continue;
    const recv = receiverOf(h);
    if (!names.has(recv) && !SIO_RECEIVER.test(recv)) continue;
    const fn = h.args[1];
    if (fn?.kind !== 'function' || !fn.async || fn.line > c.line || (fn.endLine ?? fn.line) < c.line) continue;
    const before = (fn.awaits ?? []).filter((l) => l < c.line);
    if (before.length > 0) return { event: h.args[0].str, line: Math.max(...before) };
  }
  return undefined;
}

function nsOf(c: CallFact): string | null {
  const of = c.chain.find((k) => k.method === 'of');
  if (of?.arg?.kind === 'string' && of.arg.str) return of.arg.str;
  return c.namespace;
}

const ENTRY_TRANSPORT: Record<string, Transport> = { 'ws-server': 'websocket', 'ws-client': 'websocket', 'webrtc-peer': 'webrtc' };

/** `switch (msg.type)` cases and `{ type: 'x' }` messages sent as JSON, in files that own a socket. */
function typedMessageEvents(ctx: FileContext, entries: EntryHit[], fallback: Side | null): RawEvent[] {
  const own = entries.filter((e) => ENTRY_TRANSPORT[e.kind] !== undefined || (e.provider === 'openai-realtime' && e.side === 'client'));
  const first = own.find((e) => e.side === 'server') ?? own[0];
  if (!first && fallback === null) return [];
  const side = first?.side ?? (fallback as Side);
  const transport = (first ? (ENTRY_TRANSPORT[first.kind] ?? first.transport) : null) ?? 'websocket';
  const out: RawEvent[] = [];
  for (const t of ctx.facts.typeCases) {
    const ev: RawEvent = { name: t.name, act: 'handle', side, transport, file: ctx.file, line: t.line };
    if (t.fields) ev.payload = { fields: t.fields, complete: false };
    out.push(ev);
  }
  for (const c of ctx.facts.calls) {
    if (c.path !== 'JSON.stringify' && !/^send(Json|JSON)(Message)?$/.test(c.method)) continue;
    const arg = c.args[0];
    // `{ type: 'x', … }`, or the `{ event: 'x', data }` envelope some protocols use instead.
    const type = arg?.props?.type ?? (arg?.props?.data !== undefined ? arg.props.event : undefined);
    if (type?.kind !== 'string' || !type.str) continue;
    const ev: RawEvent = { name: type.str, act: 'emit', side, transport, file: ctx.file, line: c.line };
    // The `type` key names the message; the other keys are its payload. In the `{ event, data }`
    // envelope the payload is `data` itself: its keys when it is an object literal, else unknown.
    if (arg?.props?.type === undefined) {
      const data = arg?.props?.data;
      if (data?.kind === 'object' && data.props)
        ev.payload = {
          fields: Object.entries(data.props).map(([name, v]) => ({ name, type: SCALAR_TYPE[v.kind] ?? 'unknown', optional: false, line: v.line })),
          complete: false,
        };
    } else if (arg?.kind === 'object' && arg.payload)
      ev.payload = { ...arg.payload, fields: arg.payload.fields.filter((f) => f.name !== 'type' && f.name !== 'event') };
    out.push(ev);
  }
  for (const line of ctx.facts.dynamicDispatch.slice(0, 1)) out.push({ name: '*', act: 'handle', side, transport, file: ctx.file, line, wildcard: true });
  // `this._send(MessageType.Subscribe, …)`, `broadcast({ type: 'chat.new', … })`: wrappers (facts.ts).
  for (const c of ctx.facts.calls) {
    const recv = c.path.slice(0, -c.method.length - 1);
    if (recv !== '' && recv !== 'this') continue;
    for (const w of ctx.facts.wrappers.filter((x) => x.name === c.method && (!x.handle || (x.linked && recv === '')))) {
      const arg = w.typeParam !== undefined ? c.args[w.typeParam] : c.args[w.envelopeParam ?? -1]?.props?.type;
      if (!(arg?.kind === 'string' && arg.str)) continue;
      const ev: RawEvent = { name: arg.str, act: w.handle ? 'handle' : 'emit', side, transport, file: ctx.file, line: c.line };
      // What the wrapper sends: the argument after the type (`emit('note:edit', { noteId, … })`), or
      // the envelope's other keys (`broadcast({ type: 'chat.new', text })`).
      // A listener's callback (`subscribe('note:patched', (p: { version: number }) => …)`) says
      // what it receives through its parameter's declared type or destructuring.
      const data = w.typeParam !== undefined ? c.args[w.dataParam ?? w.typeParam + 1] : w.handle ? undefined : c.args[w.envelopeParam ?? -1];
      if (w.handle) {
        if (data?.kind === 'function' && data.payload) ev.payload = data.payload;
      } else if (w.typeParam !== undefined && data?.kind !== 'function' && data?.payload?.ref) ev.payload = data.payload;
      else if (data?.kind === 'object' && data.payload)
        ev.payload =
          w.typeParam !== undefined ? data.payload : { ...data.payload, fields: data.payload.fields.filter((f) => f.name !== 'type' && f.name !== 'event') };
      if (ev.payload && w.dataKey && !w.handle) ev.payload = { ...ev.payload, envelopeKey: w.dataKey };
      out.push(ev);
    }
  }
  return out;
}

const SSE_EVENT_LINE = /(?:^|\n)event: ?([A-Za-z0-9_.:-]+)/;

/**
 * `streamWriter`: the file is a module an SSE route imports (companions.ts), so the `event:`
 * lines it writes go out on that route's streams: `res.write('event: order-shipped\n')` in a
 * notify module the route hands its responses to.
 */
export function sseEvents(ctx: FileContext, entries: EntryHit[], streamWriter = false): RawEvent[] {
  const out: RawEvent[] = [];
  if (streamWriter || entries.some((e) => e.kind === 'sse-endpoint')) {
    let named = false;
    let dataLine: number | null = null;
    for (const s of ctx.facts.strings) {
      const m = SSE_EVENT_LINE.exec(s.value);
      if (m?.[1]) {
        // The same template's `data:` line says what the event carries (`data: ${JSON.stringify(n)}`).
        out.push({ name: m[1], act: 'emit', side: 'server', transport: 'sse', file: ctx.file, line: s.line, ...(s.payload ? { payload: s.payload } : {}) });
        named = true;
      } else if (/^event: ?/.test(s.value) || /\nevent: ?$/.test(s.value)) named = true;
      if (/(?:^|\n)data: ?/.test(s.value) && dataLine === null) dataLine = s.line;
    }
    for (const c of ctx.facts.calls) {
      const ev = c.args[0]?.props?.event;
      if (/^(writeSSE|sse|push)$/.test(c.method) && ev?.kind === 'string' && ev.str) {
        out.push({ name: ev.str, act: 'emit', side: 'server', transport: 'sse', file: ctx.file, line: c.line });
        named = true;
      }
    }
    if (!named && dataLine !== null) out.push({ name: 'message', act: 'emit', side: 'server', transport: 'sse', file: ctx.file, line: dataLine });
  }
  const sources = new Set(ctx.facts.vars.filter((v) => v.init === 'new EventSource()').map((v) => v.name));
  if (sources.size === 0) return out;
  for (const c of ctx.facts.calls) {
    if (c.method !== 'addEventListener' || !sources.has(receiverOf(c))) continue;
    const name = firstString(c.args[0]);
    if (name && name !== 'open' && name !== 'error') out.push({ name, act: 'handle', side: 'client', transport: 'sse', file: ctx.file, line: c.line });
  }
  for (const a of ctx.facts.assigns) {
    if (a.target.endsWith('.onmessage') && sources.has(a.target.split('.')[0] ?? '')) {
      out.push({ name: 'message', act: 'handle', side: 'client', transport: 'sse', file: ctx.file, line: a.line });
    }
  }
  return out;
}

/** `typedFallback`: the side of a module on a server's connection path (companions.ts), for envelopes it handles without owning a socket. */
export function detectEvents(
  ctx: FileContext,
  entries: EntryHit[],
  sioFallback: Side | null,
  typedFallback: Side | null = null,
  handed?: ReadonlySet<string>,
): RawEvent[] {
  const out: RawEvent[] = [];
  const sio = socketIoSide(ctx, entries, sioFallback);
  if (sio) out.push(...socketIoEvents(ctx, sio, handed));
  out.push(...typedMessageEvents(ctx, entries, typedFallback));
  out.push(...sseEvents(ctx, entries), ...adapterEvents(ctx, entries));
  return out;
}
