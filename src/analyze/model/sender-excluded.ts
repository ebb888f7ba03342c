// Broadcasts that leave the sender out: each message reaches the room size − 1 recipients, not
// the room size. Socket.IO `socket.to(room).emit(…)` and `socket.broadcast.emit(…)` send to every
// socket of the room but the one they are called on (https://socket.io/docs/v4/rooms/,
// https://socket.io/docs/v4/broadcasting-events/); PartyKit `room.broadcast(msg, [sender.id])`
// skips the connection ids it is given (https://docs.partykit.io/reference/partyserver-api/). A
// plain `ws` loop over the server's sockets that tests its element against the socket whose
// message it handles (`if (c !== ws && c.readyState === WebSocket.OPEN) c.send(…)`, `if (c === ws)
// continue;`) leaves that sender out too (code/guards.ts `senderSkip`). Pusher Channels
// `pusher.trigger(channel, event, data, { socket_id })` does not send the event to the connection
// with that socket id (https://pusher.com/docs/channels/server_api/excluding-event-recipients/).
// A helper whose loop skips the socket a parameter names (`function broadcast(frame, except)` with
// `c !== except`, or `c.id !== exceptId`), here or imported, leaves out the sender where the call
// passes it there: in its own message listener, or through a handler every caller gives its sender.
import type { ModelFact } from '../../types.js';
import type { ArgInfo } from '../code/ast.js';
import type { CallFact, FileFacts } from '../code/facts.js';
import type { ModuleModel } from './index.js';

/** Lifecycle events a server registers on: `io.on('connection', …)` is the server, not a socket. */
const SERVER_EVENTS = /^(connection|connect|new_namespace)$/;

/** Roots the file calls as a Socket.IO socket: it listens for an event of its own (`socket.on('card:move')`) or joins a room. */
function socketRoots(f: FileFacts): Set<string> {
  const out = new Set<string>();
  for (const c of f.calls) {
    if (c.path !== `${c.root}.${c.method}`) continue;
    if (c.method === 'join' && c.args.length > 0) out.add(c.root);
    if ((c.method === 'on' || c.method === 'once') && c.args[0]?.kind === 'string' && !SERVER_EVENTS.test(c.args[0].str ?? '')) out.add(c.root);
  }
  return out;
}

/** The `type` of a frame sent as `JSON.stringify({ type: 'cursor', … })` (or an object literal). */
function frameType(arg: ArgInfo | undefined): string | null {
  const obj = arg?.kind === 'call' && arg.path === 'JSON.stringify' ? arg.args?.[0] : arg;
  const t = obj?.kind === 'object' ? obj.props?.type : undefined;
  return t?.kind === 'string' && t.str ? t.str : null;
}

function socketIo(c: CallFact, sockets: ReadonlySet<string>): string | null {
  if (c.method !== 'emit') return null;
  if (/\.broadcast\.(?:[\w$]+\.)*emit$/.test(c.path) && sockets.has(c.root)) return `${c.root}.broadcast`;
  const room = c.chain.find((l) => l.method === 'to' || l.method === 'in');
  return room && sockets.has(c.root) ? `${c.root}.${room.method}(room)` : null;
}

function partykit(c: CallFact): string | null {
  if (c.method !== 'broadcast' || c.args.length < 2) return null;
  const skip = c.args[1];
  const ids = skip?.kind === 'array' ? (skip.items ?? []).filter((x) => (x.path ?? '').endsWith('.id')) : [];
  return ids.length > 0 ? `${c.path}(…, [${ids.map((x) => x.path).join(', ')}])` : null;
}

/**
 * The frame a loop's send carries: `c.send(JSON.stringify({ type: 'cursor', … }))`, or a name bound
 * once in the file to such a frame (`const out = JSON.stringify({ type: 'cursor', … })`).
 */
function loopFrameType(c: CallFact, f: FileFacts): string | null {
  const direct = frameType(c.args[0]);
  if (direct || c.args[0]?.kind !== 'ident') return direct;
  const bound = f.vars.filter((v) => v.name === c.args[0]!.path);
  return bound.length === 1 ? frameType(bound[0]!.arg) : null;
}

/** Pusher's server `trigger(channel, event, data, { socket_id })`: the connection with that id is left out. */
function pusherTrigger(c: CallFact): string | null {
  if (c.method !== 'trigger' || c.args[1]?.kind !== 'string' || c.args[3]?.props?.socket_id === undefined) return null;
  return `${c.path}(…, { socket_id })`;
}

/** A send in a loop whose test leaves the sender out (of all the sockets, or of those it picks: a room's). */
function plainLoop(c: CallFact): string | null {
  return c.inLoop && c.loopSkipsSender && c.method === 'send' ? c.loopSkipsSender : null;
}

const LOCAL_SOURCE = /^(\.|@\/|~\/)/;
type ExceptFn = NonNullable<FileFacts['exceptFns']>[number];

/**
 * The broadcast helper a call names: `broadcast(frame, ws)` of a function declared in this module, or
 * exported by the local module it is imported from (by name, or whole: `hub.broadcast`), whose loop
 * leaves out the socket one parameter names (code/facts.ts `exceptFns`); with the file it is in.
 */
function exceptFnOf(model: ModuleModel, f: FileFacts, c: CallFact): { fn: ExceptFn; file: string } | null {
  const bare = c.path === c.method;
  const whole = !bare && c.path === `${c.root}.${c.method}` ? c.root : null;
  if (!bare && whole === null) return null;
  if (bare) {
    const own = f.exceptFns?.find((x) => x.name === c.method);
    if (own) return { fn: own, file: f.file };
  }
  const local = whole ?? c.method;
  const imp = f.imports.find((i) => i.locals.some((l) => l.local === local));
  const found = imp?.locals.find((l) => l.local === local)?.imported;
  const imported = whole === null ? found : found === '*' ? c.method : undefined;
  if (!imp || !imported || !LOCAL_SOURCE.test(imp.source)) return null;
  const file = model.resolve(f.file, imp.source);
  const target = file === null ? undefined : model.facts.get(file);
  const exported = target?.module?.exportNames.find((e) => e.exported === imported)?.local ?? imported;
  const fn = target?.exceptFns?.find((x) => x.name === exported);
  return fn && target ? { fn, file: target.file } : null;
}

/** The calls of function `fn` of module `file`: there by name, or in a module that imports it from there. */
function callsOf(model: ModuleModel, file: string, fn: string): CallFact[] {
  const out: CallFact[] = [];
  for (const g of model.facts.values()) {
    const names = new Set<string>(g.file === file ? [fn] : []);
    for (const i of g.imports) {
      if (!LOCAL_SOURCE.test(i.source) || model.resolve(g.file, i.source) !== file) continue;
      for (const l of i.locals) if (l.imported === fn) names.add(l.local);
    }
    for (const c of g.calls) if (c.path === c.method && names.has(c.method)) out.push(c);
  }
  return out;
}

/**
 * The socket a call passes as the sender: its message listener's own (`broadcast(frame, ws)` in
 * `ws.on('message', …)`), or a parameter of the named function it is in that every call of that
 * function fills with its sender (`case 'move': onMove(ws, msg)` → `broadcast(frame, ws)` in onMove).
 */
function senderOf(model: ModuleModel, f: FileFacts, c: CallFact, arg: string): string | null {
  if (c.sender) return c.sender;
  if (!c.inFn) return null;
  const params = f.fnHeads?.filter((x) => x.name === c.inFn) ?? [];
  const at = params.length === 1 ? params[0]!.params.indexOf(arg.split('.')[0] ?? '') : -1;
  if (at < 0) return null;
  const callers = callsOf(model, f.file, c.inFn);
  return callers.length > 0 && callers.every((x) => x.sender !== undefined && x.args[at]?.path === x.sender) ? (params[0]!.params[at] ?? null) : null;
}

/**
 * `broadcast(frame, ws)` where `ws` is the sender (senderOf), and the helper's loop skips the socket
 * passed there: the sender is left out. The frame is the argument the helper sends on.
 */
function helperCall(model: ModuleModel, f: FileFacts, c: CallFact): { how: string; name: string | null; note: string } | null {
  if (!c.sender && !c.inFn) return null;
  const hit = exceptFnOf(model, f, c);
  if (!hit || hit.fn.frameParam === null) return null;
  // The sender itself, or its property the helper compares (`broadcast(frame, ws.id)` for `c.id !== exceptId`).
  const except = c.args[hit.fn.exceptParam];
  const sender = except?.path ? senderOf(model, f, c, except.path) : null;
  const want = sender && (hit.fn.exceptProp ? `${sender}.${hit.fn.exceptProp}` : sender);
  if (!want || except?.path !== want) return null;
  const frame = c.args[hit.fn.frameParam];
  const bound = frame?.kind === 'ident' ? f.vars.filter((v) => v.name === frame.path) : [];
  const name = frameType(frame) ?? (bound.length === 1 ? frameType(bound[0]!.arg) : null);
  const how = `${c.path}(…, ${want})`;
  return { how, name, note: `, whose loop skips that socket (\`${hit.fn.how}\` at ${hit.file}:${hit.fn.line})` };
}

/** One fact per send that leaves its sender out (name: the event; value: the call as written, shortened). */
export function senderExcluded(model: ModuleModel): ModelFact[] {
  const out: ModelFact[] = [];
  for (const [file, f] of model.facts) {
    const sockets = socketRoots(f);
    for (const c of f.calls) {
      const helper = helperCall(model, f, c);
      if (helper) {
        if (helper.name)
          out.push({
            kind: 'sender-excluded',
            name: helper.name,
            value: helper.how,
            evidence: `${file}:${c.line}`,
            note: `\`${helper.name}\` is sent with \`${helper.how}\`${helper.note}, which leaves the sender out: each message reaches the room size − 1 recipients.`,
          });
        continue;
      }
      const io = socketIo(c, sockets);
      const pk = io ? null : partykit(c);
      const pu = io || pk ? null : pusherTrigger(c);
      const loop = io || pk || pu ? null : plainLoop(c);
      const how = io ?? pk ?? pu ?? loop;
      if (!how) continue;
      const name = io
        ? c.args[0]?.kind === 'string'
          ? (c.args[0].str ?? null)
          : null
        : pu
          ? (c.args[1]?.str ?? null)
          : loop
            ? loopFrameType(c, f)
            : frameType(c.args[0]);
      if (!name) continue;
      out.push({
        kind: 'sender-excluded',
        name,
        value: how,
        evidence: `${file}:${c.line}`,
        note: `\`${name}\` is sent with \`${how}\`, which leaves the sender out: each message reaches the room size − 1 recipients.`,
      });
    }
  }
  return out;
}
