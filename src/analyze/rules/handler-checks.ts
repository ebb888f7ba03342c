// What a connection's handlers check before they act (facts from code/handler-checks.ts): a shared
// secret that lets everyone in when its variable is unset, a verifier that throws inside a
// Socket.IO middleware, presence removed by user when one of the user's sockets closes, and a
// room joined by the name the client sent with nothing checked first.
import { rootSegment } from '../code/ast.js';
import type { FileFacts } from '../code/facts.js';
import type { AuditContext, AuditRule, RuleHit } from './types.js';
import { allModules } from './types.js';

/**
 * Calls that throw (or reject) on a bad token, by package and export. jsonwebtoken's `verify`
 * is synchronous and throws unless given a callback (its 4th argument, or 3rd without options):
 * https://github.com/auth0/node-jsonwebtoken#jwtverifytoken-secretorpublickey-options-callback
 * jose's `jwtVerify` returns a promise that rejects: https://github.com/panva/jose/blob/main/docs/jwt/verify/functions/jwtVerify.md
 */
const THROWERS: readonly { pkg: string; name: string; async: boolean; callbackFrom?: number; say: string }[] = [
  {
    pkg: 'jsonwebtoken',
    name: 'verify',
    async: false,
    callbackFrom: 3,
    say: 'jsonwebtoken’s `verify` without a callback throws on an invalid or expired token',
  },
  { pkg: 'jose', name: 'jwtVerify', async: true, say: 'jose’s `jwtVerify` rejects on an invalid or expired token' },
];

/** The package export a call path names in this module: `jwt.verify` (default import) → jsonwebtoken verify. */
function imported(f: FileFacts, path: string): { source: string; name: string } | null {
  const root = rootSegment(path);
  const rest = path.slice(root.length + 1);
  for (const imp of f.imports) {
    const l = imp.locals.find((x) => x.local === root);
    if (!l) continue;
    if (rest === '') return { source: imp.source, name: l.imported };
    if ((l.imported === 'default' || l.imported === '*') && !rest.includes('.')) return { source: imp.source, name: rest };
  }
  return null;
}

function thrower(f: FileFacts, path: string, argc: number): (typeof THROWERS)[number] | null {
  const imp = imported(f, path);
  const t = imp ? THROWERS.find((x) => x.pkg === imp.source && x.name === imp.name) : undefined;
  if (!t || (t.callbackFrom !== undefined && argc >= t.callbackFrom)) return null;
  return t;
}

/** The module a local function name comes from: this file, or the relative import it names. */
function moduleOfFn(ctx: AuditContext, f: FileFacts, name: string): { facts: FileFacts; name: string } | null {
  const imp = f.imports.find((i) => i.locals.some((l) => l.local === name));
  if (!imp) return { facts: f, name };
  if (!ctx.resolve || !ctx.modules || !/^(\.|@\/|~\/)/.test(imp.source)) return null;
  const file = ctx.resolve(f.file, imp.source);
  const target = file === null ? undefined : ctx.modules.get(file);
  const local = imp.locals.find((l) => l.local === name)!;
  return target && local.imported !== 'default' && local.imported !== '*' ? { facts: target, name: local.imported } : null;
}

interface Throw {
  async: boolean;
  say: string;
  /** Where the throwing call is, when it is inside a helper. */
  at?: string;
}

/** Does calling `path` from module `f` throw (or reject) on a bad token? Direct, or one helper deep. */
function throwsOnBadToken(ctx: AuditContext, f: FileFacts, path: string, argc: number): Throw | null {
  const direct = thrower(f, path, argc);
  if (direct) return { async: direct.async, say: direct.say };
  if (path.includes('.')) return null;
  const m = moduleOfFn(ctx, f, path);
  if (!m) return null;
  for (const c of m.facts.calls) {
    if (c.inFn !== m.name || c.inTry) continue;
    // A throw inside a callback of the helper is not the helper's own throw.
    if (c.listener !== undefined || c.inLoop || c.interval) continue;
    const t = thrower(m.facts, c.path, c.args.length);
    if (t && !t.async) return { async: c.asyncFn === m.name, say: t.say, at: `${m.facts.file}:${c.line}` };
  }
  return null;
}

/** The receiver is a Socket.IO server or namespace made in this module. */
function socketIoServer(f: FileFacts, receiver: string): boolean {
  const root = rootSegment(receiver);
  const v = f.vars.find((x) => x.name === root);
  if (!v) return false;
  const init = v.init.replace(/^new /, '');
  const imp = imported(f, init.replace(/\(\)$/, ''));
  return imp?.source === 'socket.io' || /^require\(\)/.test(init);
}

function importsSocketIo(f: FileFacts): boolean {
  return f.imports.some((i) => i.source === 'socket.io');
}

/**
 * The handler checks of a file whose handlers are Socket.IO's (it imports socket.io, or the project
 * runs a Socket.IO server), or null; null too where a per-packet middleware (`socket.use`) on a
 * socket may check every event before its handler.
 */
function socketIoHandlerChecks(ctx: AuditContext, f: FileFacts): NonNullable<FileFacts['checks']> | null {
  const checks = f.checks;
  const server = ctx.stack.libraries.some((l) => l.name === 'socket.io' && l.role === 'server');
  if (!checks || !(importsSocketIo(f) || server)) return null;
  return checks.uses.some((u) => !socketIoServer(f, u.receiver)) ? null : checks;
}

export const HANDLER_CHECK_RULES: readonly AuditRule[] = [
  {
    id: 'shared-secret-fails-open',
    severity: 'critical',
    title: 'Shared secret that lets everyone in when it is unset',
    why: 'An unset environment variable reads as `undefined`, and so does a credential the client leaves out: `undefined === undefined` is true, so a deploy that forgets the variable accepts every client that sends nothing.',
    fix: 'Check at start-up that the variable is set (exit when it is not), reject a credential that is missing or not a string before comparing, and compare with `crypto.timingSafeEqual` on equal-length buffers.',
    source: 'https://cwe.mitre.org/data/definitions/636.html',
    detect: (ctx) => {
      const modules = allModules(ctx);
      const read = new Set(modules.flatMap((f) => f.checks?.envReads ?? []));
      return ctx.analyses.flatMap((a) =>
        (a.ctx.facts.checks?.envCompares ?? [])
          .filter((c) => !read.has(c.env))
          .map((c) => ({
            evidence: `${a.file}:${c.line}`,
            message: `\`${c.credential}\` is compared with \`process.env.${c.env}\`, and nothing in the code checks that \`${c.env}\` is set: when it is unset, a client that sends no credential compares \`undefined\` with \`undefined\` and is let in`,
          })),
      );
    },
  },
  {
    id: 'throwing-verifier-in-middleware',
    severity: 'high',
    title: 'Token verifier that throws inside a Socket.IO middleware',
    why: 'Socket.IO calls `use` middlewares without a try/catch (`Namespace#run`) and ignores what they return. In Socket.IO 4.8 they run inside the async `Namespace#_add`, whose promise nothing handles, so a synchronous throw there becomes an unhandled rejection, as does a rejection in an async middleware; Node 15 and later stop the process on one by default. The client never gets a `connect_error` with the reason.',
    fix: 'Wrap the verification in try/catch (or `.catch` the promise) and call `next(new Error("unauthorized"))` on failure, so the client gets a `connect_error` and every other connection stays up.',
    source: 'https://socket.io/docs/v4/middlewares/#handling-middleware-error',
    detect: (ctx) => {
      const out: RuleHit[] = [];
      for (const a of ctx.analyses) {
        const f = a.ctx.facts;
        const checks = f.checks;
        if (!checks || !importsSocketIo(f)) continue;
        const servers = new Set(checks.uses.filter((u) => socketIoServer(f, u.receiver)).map((u) => u.line));
        for (const c of checks.middlewareCalls) {
          if (!servers.has(c.use)) continue;
          const t = throwsOnBadToken(ctx, f, c.path, c.argc);
          if (!t) continue;
          // An async throw in a sync middleware that does not await it is a floating promise; leave it.
          if (t.async && !c.asyncMw) continue;
          const where = t.at ? ` (${t.say}, ${t.at})` : ` (${t.say})`;
          const how =
            c.asyncMw || t.async
              ? 'rejects the async middleware’s promise, which Socket.IO ignores'
              : 'makes it throw out of the middleware instead of calling `next(err)`, and Socket.IO 4.8 runs middlewares inside an async function whose promise nothing handles';
          out.push({
            evidence: `${a.file}:${c.line}`,
            message: `\`${c.path}()\` runs in the \`use\` middleware registered at line ${c.use} outside try/catch and throws on a bad token${where}: a bad token ${how}. The result is an unhandled rejection, which stops a Node 15+ process by default (every connection drops), and the client gets no \`connect_error\``,
          });
        }
      }
      return out;
    },
  },
  {
    id: 'presence-removed-by-user',
    severity: 'medium',
    title: 'Presence removed by user when one socket closes',
    why: 'A user with two tabs or devices has two sockets: removing the user when one of them disconnects shows them offline while the other is still connected.',
    fix: 'Key presence by socket (or keep a per-user count of sockets), and remove the user only when their last socket leaves: join each socket to a room named after the user and remove the user when `(await io.in(userRoom).fetchSockets()).length === 0`, or keep a counter decremented on disconnect.',
    source: 'https://socket.io/docs/v4/rooms/#disconnection',
    detect: (ctx) =>
      ctx.analyses.flatMap((a) =>
        (a.ctx.facts.checks?.userRemovals ?? [])
          .filter((r) => !r.counts && !calleeCounts(ctx, a.ctx.facts, r.path))
          .map((r) => ({
            evidence: `${a.file}:${r.line}`,
            message: `The disconnect listener at line ${r.listener} calls \`${r.path}()\` with \`${r.id}\`, the user's id, and nothing there counts the user's other sockets: when one of two tabs closes, the user is removed while still connected`,
          })),
      ),
  },
  {
    id: 'join-without-access-check',
    severity: 'medium',
    title: 'Room joined by name from the client, with no access check',
    why: 'Socket.IO lets a socket join any room name; `socket.join` checks nothing. A handler that joins the room the client names lets any connected client receive that room’s broadcasts, unless something checks first that this user may access it.',
    fix: 'Before `socket.join`, check that the authenticated user (from the handshake, `socket.data`) may access the room (a membership lookup), and answer a refusal through the acknowledgement; joining any room is only right for rooms that are public by design.',
    source: 'https://socket.io/docs/v4/rooms/',
    detect: (ctx) =>
      ctx.analyses.flatMap((a) => {
        const f = a.ctx.facts;
        const checks = socketIoHandlerChecks(ctx, f);
        if (!checks) return [];
        return checks.payloadJoins.map((j) => ({
          evidence: `${a.file}:${j.line}`,
          ...(j.event ? { event: j.event } : {}),
          message: `The${j.event ? ` '${j.event}'` : ''} handler at line ${j.listener} joins ${j.room.includes('`') ? `\`\` ${j.room} \`\`` : `\`${j.room}\``}, a room named by the client, and nothing before the join checks that this user may access it: any connected client can join it and receive its broadcasts`,
        }));
      }),
  },
  {
    id: 'payload-read-unchecked',
    severity: 'medium',
    title: 'Event payload read with no check that it is an object',
    why: 'A Socket.IO client can emit any event with any payload, `null` or none at all. A listener that reads a field of its payload (`msg.room`) with nothing in it that checks the payload first throws a TypeError on such a message, and Socket.IO has no built-in error handling, so what a listener throws is not caught: it is an uncaught exception (an unhandled rejection from an async listener), which ends the Node process by default, taking every connection of that instance with it.',
    fix: 'Parse the payload before reading it (a schema `safeParse`, or a check that it is a non-null object and a type check per field) and answer a failure through the acknowledgement or an error event; optional chaining alone only stops the crash.',
    source: 'https://socket.io/docs/v4/listening-to-events/#error-handling',
    detect: (ctx) =>
      ctx.analyses.flatMap((a) => {
        const f = a.ctx.facts;
        const checks = socketIoHandlerChecks(ctx, f);
        if (!checks) return [];
        return (checks.payloadDerefs ?? []).map((d) => {
          const name = d.read.startsWith('its ') ? null : d.read.split('.')[0]!;
          return {
            evidence: `${a.file}:${d.line}`,
            ...(name
              ? {
                  fix: `Parse \`${name}\` before reading it (a schema \`safeParse\`, or \`typeof ${name} === 'object' && ${name} !== null\` and a type check per field) and answer a failure through the acknowledgement or an error event; \`${d.read.replace('.', '?.')}\` alone only stops the crash.`,
                }
              : {}),
            message: `The${d.event ? ` '${d.event}'` : ''} listener at line ${d.listener} reads ${d.read.startsWith('its ') ? d.read : `\`${d.read}\``} and nothing in it checks the payload first: a client that sends \`null\` or no payload makes it throw${d.async ? ' (a rejection of the async listener, unhandled)' : ''}, which Socket.IO does not catch, so the process ends`,
          };
        });
      }),
  },
  {
    id: 'emit-to-client-named-room',
    severity: 'high',
    title: 'Message sent to a room the client names, with no membership check',
    why: 'Socket.IO delivers `io.to(room).emit` to every socket in that room, whoever sent it: a handler that takes the room from the payload and checks nothing lets any connected client post into any room, joined or not. Spreading the client payload into the broadcast also relays every field the client chose (a forged id or sequence number, or a large blob) to all members.',
    fix: 'Before the emit, check that this socket is in the room (`socket.rooms.has(room)`) and that the authenticated user (`socket.data`) may post there, and answer a refusal through the acknowledgement; build the outgoing object from validated fields only instead of spreading the payload.',
    source: 'https://socket.io/docs/v4/rooms/',
    detect: (ctx) =>
      ctx.analyses.flatMap((a) => {
        const f = a.ctx.facts;
        const checks = socketIoHandlerChecks(ctx, f);
        if (!checks) return [];
        return (checks.payloadEmits ?? []).map((j) => ({
          evidence: `${a.file}:${j.line}`,
          ...(j.event ? { event: j.event } : {}),
          message: `The${j.event ? ` '${j.event}'` : ''} handler at line ${j.listener} emits to ${j.room.includes('`') ? `\`\` ${j.room} \`\`` : `\`${j.room}\``}, a room named by the client, and nothing before it checks that this socket joined that room or may post there: any connected client can send into any room${j.left ? `; the handler first leaves that room (line ${j.left}), so the check goes before that leave` : ''}${j.spread ? `; the emitted object spreads \`${j.spread}\`, so every field the client sent is relayed to the room` : ''}`,
        }));
      }),
  },
  {
    id: 'room-event-unfiltered-on-client',
    severity: 'medium',
    title: 'Room event shown without checking its room, on a socket that never leaves a room',
    why: 'Socket.IO delivers a room’s events to every socket in that room, and a socket stays in each room it joined until it leaves or disconnects. One socket shared by every view, joining a room per view and never leaving, keeps receiving the earlier rooms’ events; a listener that applies each event without comparing its room id with the one on screen shows them in the wrong view (another room’s message, under its author).',
    fix: 'In the listener, ignore an event whose room id is not the one the view shows; and leave the old room when the view changes (a leave event the server answers with `socket.leave(room)`, sent from the effect’s cleanup), so the socket stops receiving it.',
    source: 'https://socket.io/docs/v4/rooms/#disconnection',
    detect: (ctx) => {
      const modules = allModules(ctx);
      // A socket that leaves rooms (a `leave` call anywhere, a client event that leaves) may be in one room at a time.
      if (modules.some((f) => f.calls.some((c) => c.method === 'leave' || c.method === 'leaveAll'))) return [];
      if (ctx.rawEvents.some((e) => /leave|unsubscribe|unwatch|close/i.test(e.name) && e.side === 'client' && e.act === 'emit')) return [];
      const out: RuleHit[] = [];
      for (const a of ctx.analyses) {
        const f = a.ctx.facts;
        for (const l of f.checks?.listenerFilters ?? []) {
          if (l.handedOn) continue;
          const ev = ctx.rawEvents.find((e) => e.file === a.file && e.line === l.line && e.act === 'handle' && e.side === 'client');
          // One socket for the whole app: the receiver is imported from the module that creates it.
          const imp = f.imports.find((i) => i.locals.some((x) => x.local === l.receiver));
          if (!ev || !imp || !/^(\.|@\/|~\/)/.test(imp.source)) continue;
          const shared = ctx.resolve?.(a.file, imp.source) ?? null;
          const room = serverRoomKey(ctx, ev.name);
          if (!room || l.compared.includes(room.key)) continue;
          out.push({
            evidence: `${a.file}:${l.fnLine}`,
            event: ev.name,
            message: `The '${ev.name}' listener (registered at line ${l.line}) applies every event without comparing its \`${room.key}\` with the one this view shows, though the server sends '${ev.name}' to the room \`${room.room}\` (${room.at}); \`${l.receiver}\` is imported from ${shared ? `\`${shared}\`` : `\`${imp.source}\``}, one socket for every view that imports it, and no code rt-plan read leaves a room, so after a switch it still receives, and shows, the events of every room it joined before`,
          });
        }
      }
      return out;
    },
  },
  {
    id: 'unverified-token-identity',
    severity: 'critical',
    title: 'Connection identity taken from a token nothing verifies',
    why: 'A token the client sends proves nothing until the server checks its signature or looks it up: a server that cuts, parses or copies it into the connection’s user lets any client choose the identity it is given by the token it sends.',
    fix: 'Verify the token when the connection opens (a signature check such as `jwt.verify` with the server’s key, or a lookup in the session store), refuse the connection when it fails, and take the user id from the verified claims, never from the token’s text.',
    source: 'https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/',
    detect: (ctx) => {
      // Only where nothing on the server authenticates: a check elsewhere (a handshake middleware,
      // a verifier in another module) may verify the token this module only reads again.
      const authenticated = ctx.analyses.some(
        (a) => a.signals.authGate.length > 0 || a.signals.auth.some((h) => h.side === 'server') || (a.signals.presenceAuth ?? []).length > 0,
      );
      if (authenticated) return [];
      const server = ctx.stack.libraries.some((l) => l.role === 'server');
      return ctx.analyses.flatMap((a) => {
        if (!server && !ctx.entries.some((e) => e.file === a.file && e.side === 'server')) return [];
        return (a.ctx.facts.checks?.tokenIdentity ?? []).map((t) => {
          const ops = t.ops.map((o) => `\`${o}()\``);
          const done =
            ops.length > 0
              ? `the code only applies ${ops.length === 1 ? ops[0] : `${ops.slice(0, -1).join(', ')} and ${ops.at(-1)}`} to it`
              : 'the code uses it as sent';
          return {
            evidence: `${a.file}:${t.line}`,
            message: `\`${t.target}\` is set from \`${t.token}\` (line ${t.tokenLine}), a token the client sends, and nothing on the server verifies it: ${done}, so any client picks the identity it is given by the token it sends`,
          };
        });
      });
    },
  },
  {
    id: 'write-to-client-named-room',
    severity: 'high',
    title: 'State changed for a room the client names, with no membership check',
    why: 'A Socket.IO event handler runs for whatever payload the client sends: one that passes the room, board or document id from the payload to a write, and checks nothing of the connection first, lets any connected client change the state of any room, joined or not.',
    fix: 'Before the write, check that this socket is in that room (`socket.rooms.has(room)`) and that the authenticated user (`socket.data`) may change it, and answer a refusal through the acknowledgement.',
    source: 'https://owasp.org/Top10/A01_2021-Broken_Access_Control/',
    detect: (ctx) =>
      ctx.analyses.flatMap((a) => {
        const f = a.ctx.facts;
        const checks = socketIoHandlerChecks(ctx, f);
        if (!checks) return [];
        // One finding per handler: its first write.
        const seen = new Set<number>();
        return (checks.payloadWrites ?? []).flatMap((w) => {
          // A server's handler of a client event: a client listener's setter changes only its own view.
          const handled = ctx.rawEvents.find((e) => e.file === a.file && e.line === w.listener && e.act === 'handle' && e.side === 'server');
          if (!handled || seen.has(w.listener)) return [];
          seen.add(w.listener);
          const arg = w.arg.includes('`') ? `\`\` ${w.arg} \`\`` : `\`${w.arg}\``;
          return [
            {
              evidence: `${a.file}:${w.line}`,
              ...(w.event ? { event: w.event } : {}),
              message: `The${w.event ? ` '${w.event}'` : ''} handler at line ${w.listener} passes ${arg}, taken from the client's payload, to \`${w.call}()\`, which is given nothing of the connection, and nothing before it checks that this socket joined that room or may change it: any connected client can change the state of any room it names`,
            },
          ];
        });
      }),
  },
];

/**
 * The payload key a server names the room of an event's sends by: `to(\`ticket:${dto.ticketId}\`).emit('message:new', { ticketId, … })`
 * → ticketId, where the sent payload carries that key too. Null when no send shows one.
 */
function serverRoomKey(ctx: AuditContext, name: string): { key: string; room: string; at: string } | null {
  for (const e of ctx.rawEvents) {
    if (e.name !== name || e.act !== 'emit' || e.side !== 'server') continue;
    const a = ctx.analyses.find((x) => x.file === e.file);
    const call = a?.ctx.facts.calls.find((c) => c.line === e.line && c.method === 'emit');
    const to = call?.chain.find((k) => (k.method === 'to' || k.method === 'in') && k.arg);
    const arg = to?.arg;
    if (!arg) continue;
    const paths = arg.kind === 'template' ? (arg.exprs ?? []).map((x) => x.path ?? '') : arg.kind === 'ident' || arg.kind === 'member' ? [arg.path ?? ''] : [];
    const fields = new Set((e.payload?.fields ?? []).map((f) => f.name));
    for (const p of paths) {
      const key = p.split('.').at(-1) ?? '';
      if (!key || !fields.has(key)) continue;
      let i = 0;
      const room = arg.kind === 'template' ? (arg.str ?? '').replace(/\$\{\}/g, () => `\${${paths[i++] || '…'}}`) : p;
      return { key, room, at: `${e.file}:${e.line}` };
    }
  }
  return null;
}

/** The removal helper counts the user's sockets itself (a counter or a size check), one module deep. */
function calleeCounts(ctx: AuditContext, f: FileFacts, path: string): boolean {
  if (path.includes('.')) {
    // A method whose body is out of sight counts unless it is a store's own removal: a Redis
    // set/hash/sorted-set removal, or `delete` on a module-level Map or Set.
    const method = path.slice(path.lastIndexOf('.') + 1);
    const receiver = path.slice(0, path.lastIndexOf('.'));
    return !(/^(srem|sRem|hdel|hDel|zrem|zRem|del)$/.test(method) || (method === 'delete' && f.topLevel.some((t) => t.name === receiver)));
  }
  const m = moduleOfFn(ctx, f, path);
  if (!m) return true;
  return m.facts.calls.some(
    (c) => c.inFn === m.name && /(^|\.)(fetchSockets|allSockets|incr|decr|incrBy|decrBy|hincrby|hIncrBy|zincrby|zIncrBy|count)$/i.test(c.path),
  );
}
