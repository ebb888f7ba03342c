// Facts about what a connection's handlers check before they act, for the security rules in
// rules/handler-checks.ts: a shared secret compared with an environment variable, calls in a
// Socket.IO `use` middleware, removals keyed by the user on a socket's close, and rooms joined
// by a name the client sent. One walk over the parsed file; plain records out.
import { type AstNode, type LineIndex, pathOf, rootSegment, unwrap } from './ast.js';
import { SKIP_KEYS } from './fact-types.js';

export interface HandlerChecks {
  /** `<client credential> === process.env.X` (or !==, ==, !=). */
  envCompares: { line: number; credential: string; env: string }[];
  /** Names of `process.env.X` read anywhere other than in such a comparison: X may be checked there. */
  envReads: string[];
  /** `x.use((a, next) => …)` registrations: the receiver's path and the line. */
  uses: { line: number; receiver: string }[];
  /** A call made directly (not in a nested callback) in a `use((socket, next) => …)` middleware, outside try. */
  middlewareCalls: { line: number; path: string; argc: number; awaited: boolean; asyncMw: boolean; use: number }[];
  /** A call in a socket's disconnect/close listener that passes a user id read from that socket and removes something. */
  userRemovals: { line: number; path: string; id: string; listener: number; counts: boolean }[];
  /** `socket.join(<room from the listener's payload>)` with nothing but plain statements before it in that listener. */
  payloadJoins: { line: number; room: string; listener: number; event: string | null }[];
  /**
   * `io.to(<room from the listener's payload>).emit(…)` with nothing but plain statements before
   * it in that listener; `spread`: the payload variable spread into the emitted object (`{ ...msg }`).
   * `left`: the line of a `socket.leave(<that payload value>)` before it, which checks nothing and
   * takes this socket out of the room (a membership check has to come before it).
   */
  payloadEmits: { line: number; room: string; listener: number; event: string | null; spread: string | null; left?: number }[];
  /**
   * A call named as a write (`moveCard(boardId, …)`, `store.hSet(key, …)`) that takes a value of
   * the listener's payload and nothing of the connection, with nothing but plain statements or such
   * writes before it: the state of whatever the client names changes, and no check of the socket
   * could have run. `call`: the callee as written; `arg`: the payload value it is given.
   */
  payloadWrites?: { line: number; call: string; arg: string; listener: number; event: string | null }[];
  /**
   * The connection's user set from a token the client sent (`socket.data.user = { id:
   * String(token).slice(0, 8) }`) where nothing in the module does more with that token than
   * parse, coerce or cut it: no call could verify it. `token`: the read as written, at `tokenLine`;
   * `ops`: what the module does to it (`String`, `.slice`, `jwt.decode`), empty when it is used as sent.
   */
  tokenIdentity?: { line: number; target: string; token: string; tokenLine: number; ops: string[] }[];
  /**
   * `x.on(event, fn)` with a function (inline, or a local one passed by name) whose first parameter
   * is the payload: the payload keys it compares (`m.ticketId === ticketId`), and whether the whole
   * payload is handed to a call that may check it (`handle(m)`; a React state setter does not).
   * `fnLine`: where the function is written. Absent when its payload is not one plain parameter.
   */
  listenerFilters?: { line: number; receiver: string; fnLine: number; compared: string[]; handedOn: boolean }[];
  /**
   * A Socket.IO event listener on a connection's socket that reads a field of its payload
   * (`msg.room`, or a destructured first parameter) with nothing in the listener that could
   * guard it: no optional chaining on it, no test of the payload, no call it is passed to
   * (a schema parse), no try, no default value.
   */
  payloadDerefs: { line: number; listener: number; event: string | null; read: string; async: boolean }[];
}

/** Calls a whole payload may be passed to without checking it: sending it on, logging it. */
const PASS_ON = /(^|\.)(emit|send|broadcast|volatile|log|info|warn|error|debug)$/;

/**
 * The first field read of a listener's payload that nothing in the listener guards, or null.
 * Conservative: any other use of the payload as a whole (a test, a call that takes it, typeof,
 * a comparison), a try statement or a default value counts as a guard.
 */
function unguardedRead(fn: AstNode, line: (n: AstNode) => number): { line: number; read: string } | null {
  const p = fn.params?.[0];
  // `({ room }) => …` throws on a null payload at the call itself.
  if (p?.type === 'ObjectPattern') return { line: line(p), read: 'its destructured payload' };
  if (p?.type !== 'Identifier') return null;
  const name = p.name as string;
  let first: { line: number; read: string } | null = null;
  let guarded = false;
  const walk = (n: AstNode, parent: AstNode | null, key: string): void => {
    if (guarded || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach((x) => walk(x, parent, key));
    if (typeof n.type !== 'string') return;
    if (n.type === 'TryStatement') {
      guarded = true;
      return;
    }
    // A nested function rebinding the name reads its own parameter, not this payload.
    if (isFn(n) && (n.params ?? []).some((q: AstNode) => q?.type === 'Identifier' && q.name === name)) return;
    if (n.type === 'Identifier' && n.name === name) {
      const member = parent?.type === 'MemberExpression' && key === 'object';
      if (member && parent.optional !== true) {
        if (!first && !parent.computed && parent.property?.type === 'Identifier')
          first = { line: line(parent), read: `${name}.${parent.property.name as string}` };
      } else if (!member) {
        // The payload as a whole: passed on to a send or a log is no check; anything else may be one.
        const call = parent?.type === 'CallExpression' && key === 'arguments' ? parent : null;
        if (!(call && PASS_ON.test(pathOf(call.callee) ?? '')) && !(parent?.type === 'Property' && key === 'value')) guarded = true;
      } else guarded = true;
      return;
    }
    for (const k in n) if (!SKIP_KEYS.has(k)) walk(n[k], n, k);
  };
  walk(fn.body, fn, 'body');
  return guarded ? null : first;
}

/** Where a client puts a credential: handshake fields, headers, query, cookies, body. */
const CLIENT_READ = /\.(handshake\.(auth|query|headers)|headers|query|cookies|signedCookies|body|params|searchParams)(\.|$)/;
const CLOSE = /^(disconnect|disconnecting|close)$/;
/** Events Socket.IO emits itself on a server-side socket (https://socket.io/docs/v4/emit-cheatsheet/#reserved-events). */
const RESERVED = /^(connect|connect_error|disconnect|disconnecting|newListener|removeListener|error|close)$/;
const REMOVES = /^(remove|delete|del|unset|untrack|leave|offline|drop|clear|evict|srem|sRem|hdel|hDel|zrem|zRem)/i;
/** A user id read from the socket itself: `socket.data.userId`, `ws.user.id`, `client.data.user?.sub`. */
const USER_ID = /(^|\.)(userId|user_id|uid)$|\.user\.(id|sub|_id)$/;
/** Counting another connection of the same user: a socket count, a counter, a set's size. */
const COUNTS = /(^|\.)(fetchSockets|allSockets|size|length|incr|decr|incrBy|decrBy|hincrby|hIncrBy|zincrby|zIncrBy|count)(\(\))?$/;
/** A callee named as a change of state: its last segment starts with one of these verbs (`moveCard`, `hSet`, `saveMessage`). */
const WRITE_CALL =
  /^(move|set|update|save|store|add|insert|put|write|apply|create|delete|remove|append|push|upsert|patch|edit|rename|incr|decr|hSet|hset|sAdd|sadd|zAdd|zadd|xAdd|xadd|lPush|lpush|rPush|rpush|hIncrBy|hincrby)([A-Z_]|$)/;
/** A callee whose name may be a check (`assertMember`, `canEdit`, `setIfAllowed`): never read as a bare write. */
const CHECK_NAME = /check|assert|verify|ensure|authori[sz]|require|guard|valid|allow|permi|member|access|^(can|is|has)([A-Z_]|$)/i;
/** Calls that only coerce or log the payload: they check nothing and change nothing. */
const INERT = /^(String|Number|Boolean|console\.\w+|\w+\.(trim|toString|toLowerCase|toUpperCase|slice|substring))\(\)$/;

function envName(node: AstNode): string | null {
  const p = pathOf(node);
  const m = p ? /^process\.env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(p) : null;
  return m ? m[1]! : null;
}

function isFn(n: AstNode): boolean {
  return n?.type === 'ArrowFunctionExpression' || n?.type === 'FunctionExpression';
}

/** Identifiers a function's first parameter binds: `msg`, or `{ boardId, name }`. */
function payloadNames(fn: AstNode): Set<string> {
  const out = new Set<string>();
  const p = fn.params?.[0];
  if (p?.type === 'Identifier') out.add(p.name);
  if (p?.type === 'ObjectPattern') for (const prop of p.properties ?? []) if (prop.value?.type === 'Identifier') out.add(prop.value.name);
  return out;
}

/** The room expression reads the payload: `room`, `msg.roomId`, `` `board:${id}` ``, `String(room)`. */
function fromPayload(node: AstNode, names: ReadonlySet<string>): boolean {
  const n = unwrap(node);
  if (!n) return false;
  if (n.type === 'Identifier' || n.type === 'MemberExpression') {
    const p = pathOf(n);
    return p !== null && names.has(rootSegment(p));
  }
  if (n.type === 'TemplateLiteral') return (n.expressions as AstNode[]).some((e) => fromPayload(e, names));
  if (n.type === 'CallExpression' && /^(String|Number)$/.test(pathOf(n.callee) ?? '') && n.arguments.length === 1) return fromPayload(n.arguments[0], names);
  return false;
}

/** The room expression as written, short: `roomId`, `String(room)`, `` `board:${id}` ``. */
function roomText(node: AstNode): string {
  const n = unwrap(node);
  if (n?.type === 'TemplateLiteral') {
    const quasis = n.quasis as AstNode[];
    return `\`${quasis.map((q, i) => `${q.value?.cooked ?? ''}${i < n.expressions.length ? `\${${pathOf(n.expressions[i]) ?? '…'}}` : ''}`).join('')}\``;
  }
  if (n?.type === 'CallExpression') return `${pathOf(n.callee) ?? '…'}(${pathOf(n.arguments[0]) ?? '…'})`;
  return pathOf(n) ?? 'the room it is sent';
}

/** `x.to(room).emit(name, data)` / `x.in(room).emit(…)`: the room argument and the emitted data. */
function roomEmit(e: AstNode): { room: AstNode; data: AstNode } | null {
  const callee = e.type === 'CallExpression' ? e.callee : null;
  if (callee?.type !== 'MemberExpression' || callee.property?.name !== 'emit') return null;
  const inner = unwrap(callee.object);
  if (inner?.type !== 'CallExpression' || inner.callee?.type !== 'MemberExpression' || !/^(to|in)$/.test(inner.callee.property?.name ?? '')) return null;
  if (inner.arguments.length !== 1) return null;
  return { room: inner.arguments[0], data: e.arguments[1] };
}

/** The payload variable an emitted object literal spreads: `{ ...msg, from }` → msg. */
function spreadOf(data: AstNode, names: ReadonlySet<string>): string | null {
  const n = unwrap(data);
  if (n?.type !== 'ObjectExpression') return null;
  for (const p of n.properties ?? []) if (p.type === 'SpreadElement' && p.argument?.type === 'Identifier' && names.has(p.argument.name)) return p.argument.name;
  return null;
}

/** The expression reads one of `names` (or `this`) anywhere: `socket`, `socket.data.userId`, `{ by: uid }`. */
function mentions(node: AstNode, names: ReadonlySet<string>): boolean {
  let hit = false;
  const walk = (n: AstNode): void => {
    if (hit || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (n.type === 'ThisExpression' || (n.type === 'Identifier' && names.has(n.name))) {
      hit = true;
      return;
    }
    for (const k in n) if (!SKIP_KEYS.has(k)) walk(n[k]);
  };
  walk(node);
  return hit;
}

/** The names a declaration binds: `x`, `{ a, b: c }` → a, c, `[x, y]`. */
function declared(id: AstNode): string[] {
  if (id?.type === 'Identifier') return [id.name];
  if (id?.type === 'ObjectPattern') return (id.properties ?? []).flatMap((p: AstNode) => declared(p.type === 'RestElement' ? p.argument : p.value));
  if (id?.type === 'ArrayPattern') return (id.elements ?? []).flatMap((e: AstNode) => (e ? declared(e) : []));
  if (id?.type === 'AssignmentPattern') return declared(id.left);
  return [];
}

/** Statement checks nothing: a declaration or expression whose calls only coerce or log. */
function plain(stmt: AstNode): boolean {
  let ok = stmt.type === 'ExpressionStatement' || stmt.type === 'VariableDeclaration';
  const walk = (n: AstNode): void => {
    if (!ok || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n.type !== 'string') return;
    if (/^(IfStatement|ConditionalExpression|LogicalExpression|ThrowStatement|TryStatement|AwaitExpression)$/.test(n.type) || isFn(n)) {
      ok = false;
      return;
    }
    if (n.type === 'CallExpression' && !INERT.test(`${pathOf(n.callee) ?? '?'}()`)) {
      ok = false;
      return;
    }
    for (const k in n) if (!SKIP_KEYS.has(k)) walk(n[k]);
  };
  walk(stmt.type === 'ExpressionStatement' ? stmt.expression : stmt.declarations);
  return ok;
}

/** A credential read from what the client sends: `socket.handshake.query.token`, `handshake.auth.token`, `headers.authorization`. */
const TOKEN_READ = /(?:^|\.)(?:handshake\.(?:query|auth)|query|headers)\.(?:token|access_token|accessToken|jwt|authorization|auth)$/i;
/** A query parameter that carries a credential. */
const TOKEN_KEY = /^(?:token|access_token|accessToken|jwt|auth)$/;
/** Where a connection keeps its user: `socket.data.user`, `socket.data.userId`, `ws.user`, `client.uid`. */
const IDENTITY_TARGET = /^\w+\.(?:data\.)?(?:user|userId|user_id|uid|userID)$/;
/**
 * Calls that read a token without checking it: coercion, cutting, splitting and unsigned decoding
 * (jsonwebtoken's `decode` and jose's `decodeJwt` do not verify the signature).
 */
const PARSE_ONLY =
  /^(?:String|Number|parseInt|JSON\.parse|atob|decodeURIComponent|Buffer\.from|decodeJwt|jwtDecode|jwt_decode|(?:\w+\.)*(?:slice|substring|substr|split|toString|trim|toLowerCase|toUpperCase|replace|startsWith|decode))$/;

/**
 * The user of a connection set from a token the client sent with nothing in the module that could
 * verify that token: every call that takes it (or a value made from it) only parses or cuts it.
 */
function tokenIdentity(program: AstNode, lines: LineIndex): NonNullable<HandlerChecks['tokenIdentity']> {
  /** Locals holding the token or a value parsed from it: name → the read and its line. */
  const locals = new Map<string, { token: string; line: number }>();
  const assigns: { line: number; target: string; right: AstNode }[] = [];
  const calls: AstNode[] = [];
  const tokenOf = (node: AstNode): { token: string; line: number } | null => {
    let found: { token: string; line: number } | null = null;
    const walk = (n: AstNode): void => {
      if (found || !n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      if (n.type === 'MemberExpression') {
        const p = pathOf(n)?.replace(/\?/g, '');
        if (p && TOKEN_READ.test(p)) {
          found = { token: p, line: lines.line(n.start) };
          return;
        }
      }
      if (n.type === 'Identifier' && locals.has(n.name)) {
        found = locals.get(n.name)!;
        return;
      }
      // `url.searchParams.get('token')`, `new URLSearchParams(q).get('access_token')`.
      if (n.type === 'CallExpression' && n.callee?.type === 'MemberExpression' && n.callee.property?.name === 'get') {
        const key = unwrap(n.arguments?.[0]);
        const recv = unwrap(n.callee.object);
        const params =
          recv?.type === 'NewExpression'
            ? pathOf(recv.callee) === 'URLSearchParams'
            : recv?.type === 'MemberExpression' && recv.property?.name === 'searchParams';
        if (params && key?.type === 'Literal' && typeof key.value === 'string' && TOKEN_KEY.test(key.value)) {
          found = {
            token: `${recv.type === 'NewExpression' ? 'URLSearchParams' : (pathOf(recv) ?? 'searchParams')}.get('${key.value}')`,
            line: lines.line(n.start),
          };
          return;
        }
      }
      if (isFn(n)) return;
      for (const k in n) if (!SKIP_KEYS.has(k)) walk(n[k]);
    };
    walk(node);
    return found;
  };
  /** A value made from the token by parse-only calls (or the token itself): `String(token).slice(0, 8)`. */
  const parsedOnly = (node: AstNode): boolean => {
    const n = unwrap(node);
    if (!n) return false;
    if (n.type === 'Identifier' || n.type === 'MemberExpression') return true;
    if (n.type === 'CallExpression') {
      // The read itself: `url.searchParams.get('token')`.
      if (n.callee?.type === 'MemberExpression' && n.callee.property?.name === 'get') return true;
      const callee = n.callee?.type === 'MemberExpression' ? `${pathOf(n.callee.object) ?? 'x'}.${n.callee.property?.name ?? ''}` : (pathOf(n.callee) ?? '');
      return PARSE_ONLY.test(callee);
    }
    return n.type === 'TemplateLiteral' || n.type === 'LogicalExpression' || n.type === 'ConditionalExpression';
  };
  const visit = (n: AstNode): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    if (typeof n.type !== 'string') return;
    if (n.type === 'VariableDeclarator' && n.init && n.id?.type === 'Identifier') {
      const t = tokenOf(n.init);
      if (t && parsedOnly(n.init)) locals.set(n.id.name, t);
    }
    if (n.type === 'AssignmentExpression' && n.operator === '=') {
      const target = pathOf(n.left);
      if (target && IDENTITY_TARGET.test(target)) assigns.push({ line: lines.line(n.start), target, right: n.right });
    }
    if (n.type === 'CallExpression') calls.push(n);
    for (const k in n) if (!SKIP_KEYS.has(k)) visit(n[k]);
  };
  visit(program);
  const out: NonNullable<HandlerChecks['tokenIdentity']> = [];
  for (const a of assigns) {
    const t = tokenOf(a.right);
    if (!t) continue;
    // Every call that takes the token (as an argument or as its receiver) only parses or cuts it.
    const ops = new Set<string>();
    let checked = false;
    // In source order of their callees: `String(token).slice(0, 8)` is String, then slice.
    for (const c of [...calls].sort((x, y) => x.callee.end - y.callee.end)) {
      const recv = c.callee?.type === 'MemberExpression' ? c.callee.object : null;
      const takes = (c.arguments as AstNode[]).some((x) => tokenOf(x)?.token === t.token) || (recv && tokenOf(recv)?.token === t.token);
      if (!takes) continue;
      const name = c.callee?.type === 'MemberExpression' && recv && tokenOf(recv) ? `x.${c.callee.property?.name ?? ''}` : (pathOf(c.callee) ?? '?');
      if (PARSE_ONLY.test(name)) ops.add(name.replace(/^x\./, '.'));
      else checked = true;
    }
    if (!checked) out.push({ line: a.line, target: a.target, token: t.token, tokenLine: t.line, ops: [...ops] });
  }
  return out;
}

/** Calls that only keep or log a value: a React state setter, an array push, a log. */
const KEEPS = /^(?:set[A-Z]\w*|console\.\w+|[\w.]+\.(?:push|unshift|concat))$/;

/** What each event listener compares of its payload before it acts (see HandlerChecks.listenerFilters). */
function listenerFilters(program: AstNode, lines: LineIndex): NonNullable<HandlerChecks['listenerFilters']> {
  const fns = new Map<string, AstNode>();
  const regs: { call: AstNode; receiver: string }[] = [];
  const visit = (n: AstNode): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    if (typeof n.type !== 'string') return;
    if (n.type === 'VariableDeclarator' && n.id?.type === 'Identifier' && isFn(n.init) && !fns.has(n.id.name)) fns.set(n.id.name, n.init);
    if (n.type === 'FunctionDeclaration' && n.id?.name && !fns.has(n.id.name)) fns.set(n.id.name, n);
    if (n.type === 'CallExpression' && n.arguments?.length === 2) {
      const callee = pathOf(n.callee);
      const m = callee ? /^(.+)\.(on|once)$/.exec(callee) : null;
      if (m) regs.push({ call: n, receiver: rootSegment(m[1]!) });
    }
    for (const k in n) if (!SKIP_KEYS.has(k)) visit(n[k]);
  };
  visit(program);
  const out: NonNullable<HandlerChecks['listenerFilters']> = [];
  for (const { call, receiver } of regs) {
    const arg = unwrap(call.arguments[1]);
    const fn = isFn(arg) || arg?.type === 'FunctionExpression' ? arg : arg?.type === 'Identifier' ? fns.get(arg.name) : undefined;
    const p = fn?.params?.[0];
    if (!fn || !p) continue;
    // Local name → payload key: `m` → '' (the payload), `{ ticketId: t }` → t → ticketId.
    const keyOf = new Map<string, string>();
    if (p.type === 'Identifier') keyOf.set(p.name, '');
    else if (p.type === 'ObjectPattern') {
      for (const prop of p.properties ?? [])
        if (prop.key?.type === 'Identifier' && prop.value?.type === 'Identifier') keyOf.set(prop.value.name, prop.key.name);
    } else continue;
    const compared = new Set<string>();
    let handedOn = false;
    /** The payload key an operand reads: `m.ticketId` or a destructured `ticketId`. */
    const keyRead = (node: AstNode): string | null => {
      const path = pathOf(unwrap(node))?.replace(/\?/g, '');
      if (!path) return null;
      const root = rootSegment(path);
      if (!keyOf.has(root)) return null;
      const own = keyOf.get(root)!;
      const rest = path.slice(root.length + 1);
      return own !== '' ? own : rest.split('.')[0] || null;
    };
    const walk = (n: AstNode): void => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      if (typeof n.type !== 'string') return;
      if (n.type === 'BinaryExpression' && /^[!=]==?$/.test(n.operator))
        for (const side of [n.left, n.right]) {
          const k = keyRead(side);
          if (k) compared.add(k);
        }
      if (n.type === 'CallExpression' && !KEEPS.test(pathOf(n.callee) ?? '?'))
        for (const a of n.arguments as AstNode[]) {
          const u = unwrap(a);
          if (u?.type === 'Identifier' && keyOf.get(u.name) === '') handedOn = true;
        }
      for (const k in n) if (!SKIP_KEYS.has(k)) walk(n[k]);
    };
    walk(fn.body);
    out.push({ line: lines.line(call.start), receiver, fnLine: lines.line(fn.start), compared: [...compared].sort(), handedOn });
  }
  return out;
}

export function handlerChecks(program: AstNode, lines: LineIndex): HandlerChecks {
  const out: HandlerChecks = {
    envCompares: [],
    envReads: [],
    uses: [],
    middlewareCalls: [],
    userRemovals: [],
    payloadJoins: [],
    payloadDerefs: [],
    payloadEmits: [],
    payloadWrites: [],
  };
  /** The parameters of `io.on('connection', (socket) => …)` callbacks: the sockets whose listeners get client payloads. */
  const sockets = new Set<string>();
  const line = (n: AstNode): number => lines.line(n.start);
  const compared = new Set<AstNode>();
  /** `const token = socket.handshake.auth.token`, `const { userId } = socket.data`: local → path. */
  const aliases = new Map<string, string>();
  const resolved = (node: AstNode): string | null => {
    const p = pathOf(node);
    if (p === null) return null;
    const root = rootSegment(p);
    const a = aliases.get(root);
    return a ? a + p.slice(root.length) : p;
  };
  const envs = new Set<string>();

  function middleware(fn: AstNode, use: number): void {
    const asyncMw = fn.async === true;
    const walk = (n: AstNode, awaited: boolean): void => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach((x) => walk(x, false));
      if (typeof n.type !== 'string' || isFn(n) || n.type === 'TryStatement') return;
      if (n.type === 'AwaitExpression') return walk(n.argument, true);
      if (n.type === 'CallExpression') {
        const p = pathOf(n.callee);
        if (p) out.middlewareCalls.push({ line: line(n), path: p, argc: n.arguments.length, awaited, asyncMw, use });
      }
      for (const k in n) if (!SKIP_KEYS.has(k)) walk(n[k], false);
    };
    walk(fn.body, false);
  }

  function closeListener(fn: AstNode, receiver: string, listener: number): void {
    const found: HandlerChecks['userRemovals'] = [];
    let counts = false;
    const walk = (n: AstNode): void => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      if (typeof n.type !== 'string') return;
      if (n.type === 'MemberExpression' || n.type === 'CallExpression') {
        const p = pathOf(n.type === 'CallExpression' ? n.callee : n);
        if (p && COUNTS.test(p)) counts = true;
      }
      if (n.type === 'CallExpression') {
        const p = pathOf(n.callee);
        const method = p ? (/([^.]+)$/.exec(p)?.[1] ?? '') : '';
        if (p && REMOVES.test(method)) {
          for (const a of n.arguments as AstNode[]) {
            const id = resolved(a);
            if (id && rootSegment(id) === receiver && USER_ID.test(id.replace(/\?/g, ''))) found.push({ line: line(n), path: p, id, listener, counts: false });
          }
        }
      }
      for (const k in n) if (!SKIP_KEYS.has(k)) walk(n[k]);
    };
    walk(fn.body);
    for (const f of found) out.userRemovals.push({ ...f, counts });
  }

  function joinListener(fn: AstNode, receiver: string, listener: number, event: string | null): void {
    const names = payloadNames(fn);
    if (names.size === 0) return;
    const body = fn.body;
    const stmts: AstNode[] = body?.type === 'BlockStatement' ? body.body : [{ type: 'ExpressionStatement', expression: body, start: body.start }];
    // Locals the listener reads from the connection (`const uid = socket.data.userId`): a call given one is given the connection.
    const conn = new Set([receiver]);
    for (const s of stmts)
      if (s.type === 'VariableDeclaration')
        for (const d of s.declarations ?? []) if (d.init && mentions(d.init, conn)) for (const n of declared(d.id)) conn.add(n);
    // `socket.leave(room)` checks nothing: what follows it is still unchecked (a `close` that leaves, then emits to, the room it names).
    const left = new Map<string, number>();
    for (const s of stmts) {
      const e =
        s.type === 'ExpressionStatement'
          ? unwrap(s.expression.type === 'UnaryExpression' && s.expression.operator === 'void' ? s.expression.argument : s.expression)
          : null;
      if (e?.type === 'CallExpression' && pathOf(e.callee) === `${receiver}.join` && e.arguments.length === 1 && fromPayload(e.arguments[0], names)) {
        out.payloadJoins.push({ line: line(e), room: roomText(e.arguments[0]), listener, event });
        return;
      }
      if (e?.type === 'CallExpression' && pathOf(e.callee) === `${receiver}.leave` && e.arguments.length === 1 && fromPayload(e.arguments[0], names)) {
        left.set(roomText(e.arguments[0]), line(e));
        continue;
      }
      const to = e ? roomEmit(e) : null;
      if (to && fromPayload(to.room, names)) {
        const room = roomText(to.room);
        const leftAt = left.get(room);
        out.payloadEmits.push({ line: line(e), room, listener, event, spread: spreadOf(to.data, names), ...(leftAt ? { left: leftAt } : {}) });
        return;
      }
      const w = e?.type === 'CallExpression' ? e : s.type === 'VariableDeclaration' && s.declarations.length === 1 ? unwrap(s.declarations[0].init) : null;
      const write = w?.type === 'CallExpression' ? payloadWrite(w, names, conn) : null;
      if (write) {
        out.payloadWrites!.push({ line: line(w), ...write, listener, event });
        continue;
      }
      if (!plain(s)) return;
    }
  }

  /**
   * A write call given a payload value and nothing of the connection (`receiver` or a local read
   * from it): it cannot check this socket, so it changes whatever the client names.
   */
  function payloadWrite(call: AstNode, names: ReadonlySet<string>, conn: ReadonlySet<string>): { call: string; arg: string } | null {
    const callee = pathOf(call.callee);
    if (!callee) return null;
    const method = /([^.]+)$/.exec(callee)?.[1] ?? '';
    if (!WRITE_CALL.test(method) || CHECK_NAME.test(callee) || conn.has(rootSegment(callee)) || rootSegment(callee) === 'this') return null;
    const args = call.arguments as AstNode[];
    if (args.some((a) => mentions(a, conn))) return null;
    const named = args.find((a) => fromPayload(a, names));
    return named ? { call: callee, arg: roomText(named) } : null;
  }

  const visit = (n: AstNode): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    if (typeof n.type !== 'string') return;
    if (n.type === 'VariableDeclarator' && n.init) {
      const p = pathOf(n.init);
      if (p && n.id?.type === 'Identifier') aliases.set(n.id.name, p);
      if (p && n.id?.type === 'ObjectPattern')
        for (const prop of n.id.properties ?? [])
          if (prop.key?.type === 'Identifier' && prop.value?.type === 'Identifier') aliases.set(prop.value.name, `${p}.${prop.key.name}`);
    }
    if (n.type === 'BinaryExpression' && /^[!=]==?$/.test(n.operator)) {
      for (const [a, b] of [
        [n.left, n.right],
        [n.right, n.left],
      ] as const) {
        const env = envName(a);
        const cred = env ? resolved(b) : null;
        if (env && cred && CLIENT_READ.test(cred.replace(/\?/g, ''))) {
          out.envCompares.push({ line: line(n), credential: pathOf(b) ?? cred, env });
          compared.add(unwrap(a));
        }
      }
    }
    if (n.type === 'MemberExpression' && !compared.has(n)) {
      const env = envName(n);
      if (env) envs.add(env);
    }
    if (n.type === 'CallExpression') {
      const callee = pathOf(n.callee);
      const args = n.arguments as AstNode[];
      const fn = args.find(isFn);
      const first = unwrap(args[0]);
      const event = first?.type === 'Literal' && typeof first.value === 'string' ? first.value : null;
      if (callee && fn) {
        const m = /^(.+)\.(use|on|once)$/.exec(callee);
        if (m?.[2] === 'use' && args.length === 1 && fn.params?.length === 2) {
          out.uses.push({ line: line(n), receiver: m[1]! });
          middleware(fn, line(n));
        }
        if (m && m[2] !== 'use' && fn !== first && event === 'connection' && fn.params?.[0]?.type === 'Identifier') sockets.add(fn.params[0].name);
        if (m && m[2] !== 'use' && fn !== first && event !== 'connection') {
          const receiver = rootSegment(m[1]!);
          if (event && CLOSE.test(event)) closeListener(fn, receiver, line(n));
          // `close` is also a name a client picks for its own event (Socket.IO reserves only disconnect and
          // disconnecting on a server socket): what it joins or sends to is read like any other event's.
          if (!event || !CLOSE.test(event) || event === 'close') joinListener(fn, receiver, line(n), event);
          // Socket.IO's reserved events carry no client payload; every other one carries what the client sent.
          if (m[1] === receiver && sockets.has(receiver) && event && !RESERVED.test(event)) {
            const read = unguardedRead(fn, line);
            if (read) out.payloadDerefs.push({ ...read, listener: line(n), event, async: fn.async === true });
          }
        }
      }
    }
    for (const k in n) if (!SKIP_KEYS.has(k)) visit(n[k]);
  };
  visit(program);
  // Compared reads were visited as their BinaryExpression's children after being marked.
  out.envReads = [...envs].sort();
  out.tokenIdentity = tokenIdentity(program, lines);
  out.listenerFilters = listenerFilters(program, lines);
  return out;
}
