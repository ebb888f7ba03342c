// Facts about what a connection's handlers check of the connection itself before they act: a
// comparison of an attribute of the connection or its user with a value (`ws.role === 'teacher'`,
// `socket.data.user.roles.includes('host')`, `session.entitlements.includes(s)`), in the test
// that selects the event's branch or in an early return of its handler, and a `filter` of what
// the handler serves by such a comparison. The connection is what the code shows it to be: the
// socket a listener is registered on, the parameters of a connection callback or of a function
// that registers listeners on one of them, the request of a route callback, and locals read
// from these. Nothing is inferred from a name: a guard function is followed only when its body
// (here or in the module it is imported from, model/role-checks.ts) shows the comparison.
// Also read: a listener registered by name, a `socket.use` middleware that refuses one event, an
// `io.use` handshake middleware, a Nest guard class's `canActivate`. An early return counts only
// before the handler sent or dispatched anything: a check after the send does not guard it.
import { type AstNode, type LineIndex, pathOf, unwrap } from './ast.js';
import { exprText } from './access-checks.js';
import { SKIP_KEYS } from './fact-types.js';

/** The event a check is about: its name as written, or the constant it is written as (`MessageType.Subscribe`). */
export interface EventRef {
  name?: string;
  ref?: string;
}

export interface RoleChecks {
  /**
   * A check of the connection in front of a handler: `kind` `only` (the branch runs only when
   * `test` holds), `refuse` (the handler ends when `test` holds) or `filter` (the handler keeps
   * only the items for which `test` holds); `events` empty: the check guards a route (`route`).
   */
  checks: {
    line: number;
    events: EventRef[];
    route: string | null;
    kind: 'only' | 'refuse' | 'filter';
    test: string;
    items?: string;
    map?: string;
    listener?: string;
  }[];
  /**
   * A call of a function with the connection as an argument, used the same way (`if (!isTeacher(ws)) return`);
   * `fn` `guards.isTeacher` for a function of a module imported whole (`import * as guards`).
   */
  calls: {
    line: number;
    events: EventRef[];
    route: string | null;
    kind: 'only' | 'refuse' | 'assert';
    fn: string;
    text: string;
    map?: string;
    listener?: string;
  }[];
  /**
   * A send in an event's handler whose recipients are picked by an attribute of the connection:
   * `broadcast(ws.classId, …)` (`fn`: the function, believed a send only where the model shows it
   * sends) or `io.to(socket.data.room).emit(…)` (`fn` null).
   */
  sends: { line: number; events: EventRef[]; fn: string | null; scope: string; map?: string }[];
  /**
   * `handlers[msg.type](ws, msg)`: a handler map dispatched with the connection as the first
   * argument (the map's local name). A check in a map's handler (`map` on the records above,
   * the handler's first parameter taken as the connection) holds only where such a dispatch is.
   */
  dispatches: string[];
  /**
   * Functions of this module that check their first parameter: `returns` (the function returns
   * the comparison `test`) or `asserts` (it throws or returns when `test` holds).
   */
  predicates: { name: string; line: number; kind: 'returns' | 'asserts'; test: string }[];
  /** Functions of this module that send to the sockets whose attribute equals their first parameter (`if (client.classId === classId) client.send(…)`). */
  pickers: { name: string; line: number; test: string }[];
  /**
   * `socket.on('poll:open', onPollOpen)`: a function of this module or an imported one registered by
   * name as a listener on the connection. A check in a named function (`listener` on the records
   * above: the socket its closure captures, or `this`, taken as the connection) holds only where
   * such a registration is; its events are the registration's unless the check names its own.
   */
  listens: { fn: string; events: EventRef[]; line: number }[];
  /**
   * Classes with a `canActivate(context)` (a Nest guard) whose body compares the client it gets
   * from `context.switchToWs().getClient()`: `returns` that comparison, or `asserts` (throws or
   * returns false when it holds).
   */
  guards: { name: string; line: number; kind: 'returns' | 'asserts'; test: string }[];
  /**
   * `io.use((socket, next) => …)` on a Socket.IO server this module constructs (`io.of('/admin').use`
   * for a namespace): a refusal at the handshake of every connection of that namespace when `test`
   * holds, the user being what a call makes of the handshake (`jwt.verify(socket.handshake.auth.token)`).
   */
  connects: { line: number; namespace: string; test: string; fn?: string }[];
  /** `io.use(authMiddleware)`: a named function used as the handshake middleware of a server this module constructs; a `connects` record with that `fn` holds there. */
  uses: { fn: string; namespace: string }[];
  /** Socket.IO servers this module constructs (`new Server(…)` of `socket.io`). */
  servers: number;
}

/** `c.send(…)`, `c.emit(…)`, `c.write(…)` on the socket the test picked. */
const SOCKET_SEND = /^(send|emit|write|sendText|sendJson)$/;

/** Calls that send or publish: a check after one does not guard what it sent. */
const SENDS = /^(send|emit|write|sendText|sendJson|broadcast|publish|end|json)$/;

/** Attributes of a socket or request that are no part of who the user is, or that the client writes. */
const NOT_IDENTITY = new Set([
  'readyState',
  'bufferedAmount',
  'isAlive',
  'connected',
  'disconnected',
  'closed',
  'destroyed',
  'writable',
  'readable',
  'protocol',
  'extensions',
  'binaryType',
  'headers',
  'query',
  'body',
  'params',
  'url',
  'method',
  'cookies',
  'signedCookies',
  'handshake',
  'socket',
  'connection',
  'rooms',
  'id',
  'ip',
  'length',
  'size',
]);
/** Presence of the user itself is authentication, which Security states apart: not a rule per event. */
const PRESENCE = /^(user|session|auth|data|account|userId|uid|sub|token|claims|principal)$/i;
/** Listener registrations whose first argument names an event, and the ones that are no event. */
const LISTEN = /^(on|once|addListener|addEventListener)$/;
const LIFECYCLE = new Set([
  'connection',
  'connect',
  'open',
  'close',
  'disconnect',
  'disconnecting',
  'error',
  'pong',
  'ping',
  'upgrade',
  'headers',
  'listening',
]);
const ROUTE = /^(get|post|put|patch|delete|all)$/;
const isTypeField = (p: string | null): boolean => p !== null && /(^|\.)(type|event|kind|action|op)$/.test(p);

function isFn(n: AstNode): boolean {
  return n?.type === 'ArrowFunctionExpression' || n?.type === 'FunctionExpression' || n?.type === 'FunctionDeclaration';
}

function names(p: AstNode, out: string[] = []): string[] {
  if (!p) return out;
  if (p.type === 'Identifier') out.push(p.name as string);
  else if (p.type === 'ObjectPattern') for (const prop of p.properties ?? []) names(prop.type === 'RestElement' ? prop.argument : prop.value, out);
  else if (p.type === 'ArrayPattern') for (const e of p.elements ?? []) names(e, out);
  else if (p.type === 'AssignmentPattern') names(p.left, out);
  else if (p.type === 'TSParameterProperty') names(p.parameter, out);
  return out;
}

/** `&&` conjuncts of a test. */
function conjuncts(t: AstNode): AstNode[] {
  const n = unwrap(t);
  return n?.type === 'LogicalExpression' && n.operator === '&&' ? [...conjuncts(n.left), ...conjuncts(n.right)] : [n];
}

/**
 * The event name a node reads: `msg.type`, `event`; in a `socket.use` middleware also the packet's
 * first element, destructured under any name (`([name, ...args], next)`) or indexed (`packet[0]`).
 */
function eventRead(node: AstNode, ev: EventNames | undefined): boolean {
  const u = unwrap(node);
  if (ev && u?.type === 'Identifier' && ev.names.has(u.name as string)) return true;
  if (ev && u?.type === 'MemberExpression' && u.computed && unwrap(u.property)?.value === 0 && ev.packets.has(pathOf(u.object) ?? '')) return true;
  return isTypeField(pathOf(u));
}

/** In a `socket.use` middleware: the locals holding the event name, and the names of the packet array. */
interface EventNames {
  names: Set<string>;
  packets: Set<string>;
}

/** The event a type test selects: `msg.type === 'vote'` or `msg.type === Types.Vote`. */
function typeTest(t: AstNode, ev?: EventNames): EventRef | null {
  const n = unwrap(t);
  if (n?.type !== 'BinaryExpression' || (n.operator !== '===' && n.operator !== '==')) return null;
  for (const [a, b] of [
    [n.left, n.right],
    [n.right, n.left],
  ]) {
    if (!eventRead(a, ev)) continue;
    const u = unwrap(b);
    if (u?.type === 'Literal' && typeof u.value === 'string') return { name: u.value };
    const ref = u && (u.type === 'Identifier' || u.type === 'MemberExpression') ? pathOf(u) : null;
    if (ref && !isTypeField(ref)) return { ref };
  }
  return null;
}

function eventOf(n: AstNode): EventRef | null {
  const u = unwrap(n);
  if (u?.type === 'Literal' && typeof u.value === 'string') return { name: u.value };
  const ref = u && (u.type === 'Identifier' || u.type === 'MemberExpression') ? pathOf(u) : null;
  return ref ? { ref } : null;
}

/** A test as written; `required.some((r) => user.roles.includes(r))` with its callback spelled out. */
function testText(t: AstNode): string {
  const n = unwrap(t);
  const callee = n?.type === 'CallExpression' ? unwrap(n.callee) : null;
  const fn = callee?.type === 'MemberExpression' ? unwrap(n.arguments?.[0]) : null;
  if (!fn || !isFn(fn) || !/^(some|every|filter|find)$/.test(callee.property?.name ?? '') || fn.body?.type === 'BlockStatement') return exprText(n);
  const params = (fn.params as AstNode[]).map((p) => exprText(p)).join(', ');
  return `${exprText(callee.object)}.${callee.property.name}((${params}) => ${exprText(fn.body)})`;
}

/** The consequent ends the handler: a return or throw, alone or last in a block. */
function exits(n: AstNode): boolean {
  if (n?.type === 'ReturnStatement' || n?.type === 'ThrowStatement' || (n?.type === 'BreakStatement' && !n.label)) return true;
  if (n?.type === 'BlockStatement') return exits((n.body as AstNode[]).at(-1));
  return false;
}

/** Where the walk is: the names that are the connection, the events of the handler, the route. */
interface Scope {
  ids: Set<string>;
  events: EventRef[];
  route: string | null;
  /** Statements directly in a handler's body (an early return there refuses the whole handler). */
  top: boolean;
  /** In a function of a handler map (`const handlers = { 'poll:open': (ws, msg) => … }`): the map's name. */
  map?: string;
  /** In a named function that may be registered as a listener elsewhere: its name. */
  listener?: string;
  /** Set once the handler has sent or dispatched: a check after that guards nothing before it. Shared with its callbacks. */
  acted?: { v: boolean };
  /** In a middleware (`socket.use(([event], next) => …)`): the name of `next`; only a branch that refuses counts. */
  next?: string;
  /** In a server's handshake middleware (`io.use`): its namespace, and the locals read from the handshake. */
  connect?: { namespace: string; handshake: Set<string>; fn?: string };
  /** In a `socket.use` middleware: where it reads the event name from the packet. */
  event?: EventNames;
}

export function roleChecks(program: AstNode, lines: LineIndex): RoleChecks {
  const out: RoleChecks = {
    checks: [],
    calls: [],
    sends: [],
    dispatches: [],
    predicates: [],
    pickers: [],
    listens: [],
    guards: [],
    connects: [],
    uses: [],
    servers: 0,
  };
  /** The handler map or the named function a record is in, when it is in one. */
  const tag = (s: Scope): { map?: string; listener?: string } => ({ ...(s.map ? { map: s.map } : {}), ...(s.listener ? { listener: s.listener } : {}) });
  const line = (n: AstNode): number => lines.line(n.start);
  /** Names of functions declared in this module with their parameters, for predicates. */

  /** A member path read from the connection: `ws.role`, `socket.data.user.isAdmin`; null otherwise. */
  const identityPath = (node: AstNode, ids: ReadonlySet<string>): string | null => {
    const p = pathOf(node);
    if (!p || p.includes('(') || p.includes('[]')) return null;
    const segs = p.split('.');
    if (segs.length < 2 || !ids.has(segs[0] as string)) return null;
    if (segs.slice(1).some((s) => NOT_IDENTITY.has(s))) return null;
    return p;
  };
  /** A value the connection's attribute is compared with: a literal, a constant, the payload; never another connection read. */
  const comparand = (node: AstNode, ids: ReadonlySet<string>): boolean => {
    const u = unwrap(node);
    if (u?.type === 'Literal') return true;
    const p = pathOf(u);
    return p !== null && !p.includes('(') && !ids.has(p.split('.')[0] as string);
  };
  /** One test of the connection: a comparison, a membership, a flag; `!` of one. */
  const leaf = (t: AstNode, ids: ReadonlySet<string>): boolean => {
    const n = unwrap(t);
    if (!n) return false;
    if (n.type === 'UnaryExpression' && n.operator === '!') return leaf(n.argument, ids);
    if (n.type === 'BinaryExpression' && ['===', '!==', '==', '!='].includes(n.operator as string)) {
      return (identityPath(n.left, ids) !== null && comparand(n.right, ids)) || (identityPath(n.right, ids) !== null && comparand(n.left, ids));
    }
    if (n.type === 'CallExpression' && unwrap(n.callee)?.type === 'MemberExpression') {
      const callee = unwrap(n.callee);
      const method = callee.property?.name as string | undefined;
      if (!method || !/^(includes|has|some|every)$/.test(method)) return false;
      // `user.roles.includes('host')`, or `ALLOWED.includes(ws.role)`.
      if (identityPath(callee.object, ids) !== null) return true;
      // `required.some((r) => user.roles.includes(r))`: each item checked against the connection.
      const fn = unwrap((n.arguments as AstNode[])[0]);
      if ((method === 'some' || method === 'every') && isFn(fn)) {
        const ret = fn.body?.type === 'BlockStatement' ? (fn.body.body as AstNode[]).find((x) => x.type === 'ReturnStatement')?.argument : fn.body;
        return ret ? check(ret, ids) : false;
      }
      return (n.arguments as AstNode[]).some((a) => identityPath(a, ids) !== null) && pathOf(callee.object) !== null;
    }
    if (n.type === 'MemberExpression') {
      const p = identityPath(n, ids);
      return p !== null && !PRESENCE.test(p.split('.').pop() as string);
    }
    return false;
  };
  /** The whole test checks the connection: every `&&`/`||` operand is such a check. */
  const check = (t: AstNode, ids: ReadonlySet<string>): boolean => {
    const n = unwrap(t);
    if (n?.type === 'LogicalExpression' && (n.operator === '&&' || n.operator === '||')) return check(n.left, ids) && check(n.right, ids);
    if (n?.type === 'UnaryExpression' && n.operator === '!' && unwrap(n.argument)?.type === 'LogicalExpression') return check(n.argument, ids);
    return leaf(n, ids);
  };
  /** `isTeacher(ws)`, `!can(socket.data.user, 'poll:open')`: a call of a plain function with the connection as an argument. */
  const guardCall = (t: AstNode, ids: ReadonlySet<string>): { fn: string; negated: boolean; text: string } | null => {
    let n = unwrap(t);
    let negated = false;
    if (n?.type === 'UnaryExpression' && n.operator === '!') {
      negated = true;
      n = unwrap(n.argument);
    }
    if (n?.type !== 'CallExpression') return null;
    const callee = unwrap(n.callee);
    // `isTeacher(ws)`, or `guards.isTeacher(ws)` on a module imported whole (the model follows only that).
    const fn =
      callee?.type === 'Identifier'
        ? (callee.name as string)
        : callee?.type === 'MemberExpression' && !callee.computed && unwrap(callee.object)?.type === 'Identifier' && !ids.has(unwrap(callee.object).name)
          ? `${unwrap(callee.object).name}.${callee.property?.name}`
          : null;
    if (fn === null) return null;
    const args = n.arguments as AstNode[];
    if (!args.some((a) => ids.has(pathOf(a)?.split('.')[0] ?? ''))) return null;
    return { fn, negated, text: exprText(n) };
  };

  /**
   * The consequent ends the handler without letting the event through: a return or throw, and in a
   * middleware no `next()` without an error (`return next()` lets the event pass).
   */
  const refusal = (c: AstNode, s: Scope): boolean => {
    if (!exits(c)) return false;
    if (!s.next) return true;
    const stmts = c?.type === 'BlockStatement' ? (c.body as AstNode[]) : [c];
    // `break` leaves a switch of the middleware, whose `next()` after it may let the event through.
    if (stmts.at(-1)?.type === 'BreakStatement') return false;
    return !stmts.some((x) => {
      const e = unwrap(x?.type === 'ReturnStatement' ? x.argument : x?.type === 'ExpressionStatement' ? x.expression : null);
      return e?.type === 'CallExpression' && pathOf(e.callee) === s.next && (e.arguments.length === 0 || unwrap(e.arguments[0])?.value === null);
    });
  };

  /** A branch that does nothing but end the handler: `return;`, `throw …`, or an error sent then a return. */
  const refusalShaped = (c: AstNode): boolean => {
    const stmts: AstNode[] = c?.type === 'BlockStatement' ? c.body : [c];
    if (!exits(stmts.at(-1)) || stmts.length > 2) return false;
    const last = stmts.at(-1);
    if (last?.type === 'ReturnStatement' && last.argument && !/error|forbid|denied|unauthori|reject/i.test(exprText(last.argument))) return false;
    return stmts.length === 1 || /error|forbid|denied|unauthori|reject/i.test(exprText(stmts[0]?.expression));
  };

  /** Checks of an `if` in a handler: conjuncts next to the type test, or an early return. */
  const ifChecks = (n: AstNode, s: Scope, events: EventRef[]): void => {
    const parts = conjuncts(n.test);
    const typed = parts.some((p) => typeTest(p, s.event) !== null);
    const place = { line: line(n), events, route: s.route, ...tag(s) };
    // An early return after the handler sent or dispatched guards nothing it already did.
    const before = !s.acted?.v;
    const refuses = s.top && before && !n.alternate && refusal(n.consequent, s);
    if (typed) {
      const rest = parts.filter((p) => typeTest(p, s.event) === null);
      if (refuses && rest.length > 0) {
        // `if (msg.type === 'poll:open' && ws.role !== 'teacher') return;`: that event's handling stops then.
        if (rest.every((p) => check(p, s.ids))) out.checks.push({ ...place, kind: 'refuse', test: rest.map((p) => exprText(p)).join(' && ') });
        const g = rest.length === 1 ? guardCall(rest[0], s.ids) : null;
        if (g?.negated) out.calls.push({ ...place, kind: 'refuse', fn: g.fn, text: g.text });
        return;
      }
      // In a middleware the branch is no handler: what follows it may let the event through anyway;
      // nor is a branch that only refuses (`return;`, an error sent and a return) where it is no refusal.
      if (s.next || refusalShaped(n.consequent)) return;
      // `msg.type === 'poll:open' && ws.role === 'teacher'`: the branch runs only then.
      for (const p of rest) {
        if (check(p, s.ids)) out.checks.push({ ...place, kind: 'only', test: exprText(p) });
        const g = guardCall(p, s.ids);
        if (g && !g.negated) out.calls.push({ ...place, kind: 'only', fn: g.fn, text: g.text });
      }
      return;
    }
    // `io.use`: a refusal at the handshake, of every connection of the namespace.
    if (s.connect && refuses && check(n.test, s.ids))
      out.connects.push({ line: line(n), namespace: s.connect.namespace, test: exprText(n.test), ...(s.connect.fn ? { fn: s.connect.fn } : {}) });
    if (events.length === 0 && s.route === null && !s.listener) return;
    if (!s.top) return;
    // An exit that is no refusal here (after a send, or `return next()`) says nothing; nor does a middleware's wrapping branch.
    if (!refuses && ((exits(n.consequent) && !n.alternate) || s.next)) return;
    const kind = refuses ? 'refuse' : 'only';
    if (check(n.test, s.ids)) out.checks.push({ ...place, kind, test: exprText(n.test) });
    else {
      const g = guardCall(n.test, s.ids);
      if (g && (refuses ? g.negated : !g.negated)) out.calls.push({ ...place, kind, fn: g.fn, text: g.text });
    }
  };

  /**
   * The functions whose parameters become the connection: their body (nested functions included)
   * registers a listener on one of them. Found in one pass over the module, keeping the stack of
   * enclosing functions, rather than one walk of every function's body per function (quadratic in
   * nesting depth on bundled or deeply nested code).
   */
  const registering = new Set<AstNode>();
  /** Names a listener registration passes (`socket.on('poll:open', onPollOpen)`) and names the module exports: the functions that may be listeners. */
  const listenable = new Set<string>();
  /** Locals of `socket.io`'s server class, and the servers this module constructs with it. */
  const sioClasses = new Set<string>();
  const sioServers = new Set<string>();
  const stack: { fn: AstNode; params: string[] }[] = [];
  /** The namespace of `io` or `io.of('/admin')` on a Socket.IO server this module constructs; null for anything else. */
  const namespaceOf = (o: AstNode): string | null => {
    const u = unwrap(o);
    if (u?.type === 'Identifier') return sioServers.has(u.name as string) ? '/' : null;
    const c = u?.type === 'CallExpression' ? unwrap(u.callee) : null;
    const a = u?.type === 'CallExpression' ? unwrap(u.arguments?.[0]) : null;
    return c?.type === 'MemberExpression' &&
      c.property?.name === 'of' &&
      sioServers.has(pathOf(c.object) ?? '') &&
      a?.type === 'Literal' &&
      typeof a.value === 'string'
      ? a.value
      : null;
  };
  const pre = (x: AstNode): void => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      for (const y of x) pre(y);
      return;
    }
    const fn = isFn(x);
    if (fn) stack.push({ fn: x, params: ((x.params ?? []) as AstNode[]).flatMap((p) => names(p)) });
    if (x.type === 'CallExpression') {
      const c = unwrap(x.callee);
      if (stack.length > 0 && c?.type === 'MemberExpression' && LISTEN.test(c.property?.name ?? '')) {
        const recv = pathOf(c.object) ?? '';
        for (const f of stack) if (f.params.includes(recv)) registering.add(f.fn);
        const named = unwrap(x.arguments?.[1]);
        if (named?.type === 'Identifier') listenable.add(named.name as string);
      }
      // `io.use(authMiddleware)`, at the top of the module or inside a function.
      const mw = unwrap(x.arguments?.[0]);
      if (c?.type === 'MemberExpression' && c.property?.name === 'use' && mw?.type === 'Identifier') {
        const ns = namespaceOf(c.object);
        if (ns !== null) {
          out.uses.push({ fn: mw.name as string, namespace: ns });
          listenable.add(mw.name as string);
        }
      }
    }
    if (x.type === 'ImportDeclaration' && x.source?.value === 'socket.io')
      for (const sp of (x.specifiers ?? []) as AstNode[])
        if (sp.type !== 'ImportSpecifier' || (sp.imported?.name ?? sp.imported?.value) === 'Server') sioClasses.add(sp.local.name as string);
    if (x.type === 'VariableDeclarator' && x.id?.type === 'Identifier') {
      const init = unwrap(x.init);
      if ((init?.type === 'NewExpression' || init?.type === 'CallExpression') && sioClasses.has(pathOf(init.callee) ?? '')) sioServers.add(x.id.name as string);
    }
    if (x.type === 'ExportNamedDeclaration') {
      const d = x.declaration;
      if (d?.type === 'FunctionDeclaration' && d.id) listenable.add(d.id.name as string);
      for (const v of d?.type === 'VariableDeclaration' ? (d.declarations as AstNode[]) : [])
        if (v.id?.type === 'Identifier') listenable.add(v.id.name as string);
      for (const sp of (x.specifiers ?? []) as AstNode[]) if (sp.local?.type === 'Identifier') listenable.add(sp.local.name as string);
    }
    for (const k in x) if (!SKIP_KEYS.has(k)) pre(x[k]);
    if (fn) stack.pop();
  };
  pre(program);
  out.servers = sioServers.size;
  const registersOn = (fn: AstNode): boolean => registering.has(fn);

  /** A function that checks its first parameter: `return ws.role === 'teacher'`, or `if (user.role !== 'host') throw …`. */
  const predicate = (fn: AstNode, name: string | null): void => {
    if (!name) return;
    const first = names(fn.params?.[0] ?? null)[0];
    if (!first || fn.params[0].type !== 'Identifier') return;
    picker(fn, name, first);
    const ids = new Set([first]);
    const body = fn.body;
    const ret = body?.type === 'BlockStatement' ? (body.body as AstNode[]).filter((x) => x.type === 'ReturnStatement') : [{ argument: body }];
    if (ret.length === 1 && ret[0].argument && check(ret[0].argument, ids)) {
      out.predicates.push({ name, line: line(fn), kind: 'returns', test: testText(ret[0].argument) });
      return;
    }
    const stmts = body?.type === 'BlockStatement' ? (body.body as AstNode[]) : [];
    const refusal = stmts.find((x) => x.type === 'IfStatement' && !x.alternate && exits(x.consequent) && check(x.test, ids));
    if (refusal) out.predicates.push({ name, line: line(refusal), kind: 'asserts', test: exprText(refusal.test) });
  };

  /**
   * `class RolesGuard { canActivate(context) { … } }`: the client is what `context.switchToWs().getClient()`
   * returns (and what is read from it); the guard returns a comparison of it, or throws or returns
   * false when one holds. Only the method's own statements are read.
   */
  const guardClass = (cls: AstNode): void => {
    const name = cls.id?.name as string | undefined;
    const m = ((cls.body?.body ?? []) as AstNode[]).find((x) => x.type === 'MethodDefinition' && x.key?.name === 'canActivate');
    const stmts = m && m.value?.body?.type === 'BlockStatement' ? (m.value.body.body as AstNode[]) : null;
    if (!name || !stmts) return;
    const ids = new Set<string>();
    for (const st of stmts) {
      if (st.type === 'VariableDeclaration')
        for (const d of st.declarations as AstNode[]) {
          let init = unwrap(d.init);
          if (init?.type === 'AwaitExpression') init = unwrap(init.argument);
          const got = init?.type === 'CallExpression' && unwrap(init.callee)?.type === 'MemberExpression' && unwrap(init.callee).property?.name === 'getClient';
          if (got || (init && identityPath(init, ids) !== null)) for (const x of names(d.id)) ids.add(x);
        }
      if (ids.size === 0) continue;
      if (st.type === 'ReturnStatement' && st.argument && check(st.argument, ids)) {
        out.guards.push({ name, line: line(st), kind: 'returns', test: testText(st.argument) });
        return;
      }
      const allows = st.consequent?.type === 'ReturnStatement' && unwrap(st.consequent.argument)?.value === true;
      if (st.type === 'IfStatement' && !st.alternate && exits(st.consequent) && !allows && check(st.test, ids)) {
        out.guards.push({ name, line: line(st), kind: 'asserts', test: testText(st.test) });
        return;
      }
    }
  };

  /**
   * A function's body; `patch` for a handler (a listener, a route, a connection callback), whose
   * early returns refuse it. Any other function (a callback of `forEach`, `then`) keeps the
   * handler's events, but a return in it ends only itself.
   */
  /** The function sends to each socket whose attribute equals its first parameter. */
  const picker = (fn: AstNode, name: string, param: string): void => {
    const walkP = (x: AstNode): boolean => {
      if (!x || typeof x !== 'object') return false;
      if (Array.isArray(x)) return x.some(walkP);
      if (x.type === 'IfStatement') {
        for (const p of conjuncts(x.test)) {
          if (p?.type !== 'BinaryExpression' || (p.operator !== '===' && p.operator !== '==')) continue;
          for (const [a, b] of [
            [p.left, p.right],
            [p.right, p.left],
          ]) {
            const sock = pathOf(a)?.split('.') ?? [];
            if (sock.length !== 2 || sock[0] === param || pathOf(b) !== param) continue;
            const c = unwrap(x.consequent?.type === 'BlockStatement' ? x.consequent.body?.[0]?.expression : x.consequent?.expression);
            const callee = c?.type === 'CallExpression' ? unwrap(c.callee) : null;
            if (callee?.type === 'MemberExpression' && pathOf(callee.object) === sock[0] && SOCKET_SEND.test(callee.property?.name ?? '')) {
              out.pickers.push({ name, line: line(x), test: exprText(p) });
              return true;
            }
          }
        }
      }
      for (const k in x) if (!SKIP_KEYS.has(k) && walkP(x[k])) return true;
      return false;
    };
    walkP(fn.body);
  };

  const walkFn = (fn: AstNode, s: Scope, patch: Partial<Scope> | null, name: string | null): void => {
    predicate(fn, name);
    const params = (fn.params as AstNode[]).flatMap((p) => names(p));
    let ids = new Set(s.ids);
    // The connection handler in its own function (`export function onConnection(ws, req, session)`).
    const connection = registersOn(fn);
    if (connection) for (const p of params) ids.add(p);
    if (patch?.ids) ids = new Set([...ids, ...patch.ids]);
    // A named function outside any handler may be a listener registered by name (`socket.on('poll:open', onPollOpen)`):
    // the socket its closure captures, or `this`, is the connection; its records hold where the model finds the registration.
    // `export function authMiddleware(socket, next)`: a possible handshake middleware, its first parameter the connection.
    const p = fn.params as AstNode[];
    const middleware =
      patch === null &&
      !connection &&
      name !== null &&
      listenable.has(name) &&
      s.events.length === 0 &&
      s.route === null &&
      p.length === 2 &&
      p[0].type === 'Identifier' &&
      p[1].type === 'Identifier';
    if (middleware) ids.add(p[0].name as string);
    const listener = !middleware && patch === null && !connection && name !== null && listenable.has(name) && s.events.length === 0 && s.route === null;
    if (listener) ids.add('this');
    const inner: Scope = {
      ids,
      events: patch?.events ?? (connection || listener ? [] : s.events),
      route: patch?.route !== undefined ? patch.route : s.route,
      top: patch !== null || listener || middleware,
      ...(listener ? { listener: name } : patch?.map !== undefined ? (patch.map ? { map: patch.map } : {}) : tag(s)),
      acted: patch !== null || listener || !s.acted ? { v: false } : s.acted,
      ...(patch?.next ? { next: patch.next } : {}),
      ...(patch?.connect ? { connect: patch.connect } : {}),
      ...((patch?.event ?? s.event) ? { event: patch?.event ?? s.event } : {}),
      ...(middleware ? { next: p[1].name as string, connect: { namespace: '', handshake: new Set<string>(), fn: name } } : {}),
    };
    walkBody(fn.body, inner);
  };

  /** A block's statements at the scope's level, or one expression or statement below it. */
  const walkBody = (n: AstNode, s: Scope): void => {
    if (n?.type === 'BlockStatement') walkStatements(n.body as AstNode[], s);
    else walk(n, { ...s, top: n?.type === 'ReturnStatement' || n?.type === 'ExpressionStatement' ? s.top : false });
  };

  const walkStatements = (stmts: AstNode[], s: Scope): void => {
    for (const st of stmts) walk(st, s);
  };

  const walk = (n: AstNode, s: Scope): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach((x) => walk(x, s));
    if (typeof n.type !== 'string') return;
    if (n.type === 'FunctionDeclaration') return walkFn(n, s, null, n.id?.name ?? null);
    if (n.type === 'ClassDeclaration' || n.type === 'ClassExpression') guardClass(n);
    // `const handlers = { 'poll:open': (ws, msg) => { … } }`: each function handles the event its key names.
    if (n.type === 'VariableDeclarator' && unwrap(n.init)?.type === 'ObjectExpression' && n.id?.type === 'Identifier') {
      for (const p of unwrap(n.init).properties as AstNode[]) {
        const fn = p.type === 'Property' ? unwrap(p.value) : null;
        const first = fn && isFn(fn) ? names(fn.params?.[0] ?? null)[0] : undefined;
        const key = p.computed
          ? eventOf(p.key)
          : p.key?.type === 'Literal'
            ? eventOf(p.key)
            : p.key?.type === 'Identifier'
              ? { name: p.key.name as string }
              : null;
        if (!fn || !first || fn.params[0].type !== 'Identifier' || !key) {
          walk(p, { ...s, top: false });
          continue;
        }
        walkFn(fn, s, { ids: new Set([first]), events: [key], map: n.id.name as string }, null);
      }
      return;
    }
    if (n.type === 'VariableDeclarator' && isFn(unwrap(n.init)) && n.id?.type === 'Identifier') {
      walkFn(unwrap(n.init), s, null, n.id.name as string);
      return;
    }
    if (isFn(n)) return walkFn(n, s, null, null);
    if (n.type === 'VariableDeclarator' && s.connect && n.init) {
      // `const token = socket.handshake.auth.token`, then `const user = jwt.verify(token, key)`: the user the handshake proves.
      const hs = s.connect.handshake;
      let init = unwrap(n.init);
      if (init?.type === 'AwaitExpression') init = unwrap(init.argument);
      const read = (a: AstNode): boolean => {
        const p = pathOf(a) ?? '';
        const root = p.split('.')[0] as string;
        return (s.ids.has(root) && p.includes('.handshake')) || hs.has(root);
      };
      if (read(init)) for (const x of names(n.id)) hs.add(x);
      else if (init?.type === 'CallExpression' && (init.arguments as AstNode[]).some(read)) for (const x of names(n.id)) s.ids.add(x);
    }
    if (n.type === 'VariableDeclarator' && s.event && n.init) {
      // `const [event] = packet`, `const event = packet[0]`: the local holds the event name.
      const init = unwrap(n.init);
      const first = n.id?.type === 'ArrayPattern' ? n.id.elements?.[0] : null;
      if (first?.type === 'Identifier' && init?.type === 'Identifier' && s.event.packets.has(init.name as string)) s.event.names.add(first.name as string);
      if (n.id?.type === 'Identifier' && init?.type === 'MemberExpression' && eventRead(init, s.event) && !isTypeField(pathOf(init)))
        s.event.names.add(n.id.name as string);
    }
    if (n.type === 'VariableDeclarator' && n.init && identityPath(n.init, s.ids) !== null) {
      // `const user = socket.data.user`: the user read from the connection is the connection's.
      for (const name of names(n.id)) s.ids.add(name);
    }
    if (n.type === 'CallExpression') {
      const callee = unwrap(n.callee);
      // `handlers[msg.type]?.(ws, msg)`: the map's handlers get the connection first.
      if (callee?.type === 'MemberExpression' && callee.computed && isTypeField(pathOf(callee.property))) {
        const map = pathOf(callee.object);
        const a0 = pathOf((n.arguments as AstNode[])[0]);
        if (map && !map.includes('(') && a0 && s.ids.has(a0)) out.dispatches.push(map);
        if (s.acted) s.acted.v = true;
      }
      const method = callee?.type === 'MemberExpression' ? (callee.property?.name as string | undefined) : undefined;
      const args = n.arguments as AstNode[];
      const fnArgs = args.filter((a) => isFn(unwrap(a)));
      const recv = callee?.type === 'MemberExpression' ? pathOf(callee.object) : null;
      const onConnection = recv !== null && !recv.includes('(') && s.ids.has(recv.split('.')[0] as string);
      // `socket.on('poll:open', onPollOpen)`: a function registered by name on the connection.
      const named = unwrap(args[1]);
      if (method && LISTEN.test(method) && fnArgs.length === 0 && onConnection && named?.type === 'Identifier') {
        const first = eventOf(args[0]);
        const events = first?.name === 'message' || (first?.name && LIFECYCLE.has(first.name)) || !first ? [] : [first];
        out.listens.push({ fn: named.name as string, events, line: line(n) });
      }
      // `io.use((socket, next) => …)`, `io.of('/admin').use(…)`: the handshake of every connection of that namespace.
      const server = recv !== null && sioServers.has(recv) ? '/' : null;
      const of = callee?.type === 'MemberExpression' ? unwrap(callee.object) : null;
      const nsArg =
        of?.type === 'CallExpression' &&
        unwrap(of.callee)?.type === 'MemberExpression' &&
        unwrap(of.callee).property?.name === 'of' &&
        sioServers.has(pathOf(unwrap(of.callee).object) ?? '')
          ? unwrap(of.arguments[0])
          : null;
      const namespace = server ?? (nsArg?.type === 'Literal' && typeof nsArg.value === 'string' ? nsArg.value : null);
      const hsFn = method === 'use' && namespace !== null ? unwrap(args[0]) : null;
      if (hsFn && isFn(hsFn) && hsFn.params?.[0]?.type === 'Identifier' && hsFn.params?.[1]?.type === 'Identifier') {
        visit(callee, s);
        const connect = { namespace: namespace as string, handshake: new Set<string>() };
        walkFn(hsFn, s, { ids: new Set([hsFn.params[0].name as string]), events: [], map: '', next: hsFn.params[1].name as string, connect }, null);
        return;
      }
      // `socket.use(([event, ...args], next) => …)`: a middleware in front of every event of the connection.
      const mw = method === 'use' && onConnection ? unwrap(args[0]) : null;
      if (mw && isFn(mw) && mw.params?.[1]?.type === 'Identifier') {
        visit(callee, s);
        // The packet is `[event, ...args]`: its first element, under whatever name, is the event the middleware checks.
        const packet = mw.params[0];
        const first = packet?.type === 'ArrayPattern' ? packet.elements?.[0] : null;
        const event: EventNames = {
          names: new Set(first?.type === 'Identifier' ? [first.name as string] : []),
          packets: new Set(packet?.type === 'Identifier' ? [packet.name as string] : []),
        };
        walkFn(mw, s, { ids: s.ids, events: [], map: '', next: mw.params[1].name as string, event }, null);
        return;
      }
      if (method && LISTEN.test(method) && fnArgs.length > 0) {
        const first = eventOf(args[0]);
        const params = (unwrap(fnArgs[0]).params as AstNode[]).flatMap((p) => names(p));
        visit(callee, s);
        for (const a of args) {
          const fn = unwrap(a);
          if (!isFn(fn)) continue;
          // `wss.on('connection', (ws, req) => …)`: its parameters are the connection.
          if (first?.name === 'connection' || first?.name === 'connect') walkFn(fn, s, { ids: new Set(params), events: [], map: '' }, null);
          else {
            // `ws.on('message', …)`, `socket.on('poll:open', …)`: the receiver is the connection.
            const ids = recv && !recv.includes('(') ? new Set([recv.split('.')[0] as string]) : new Set<string>();
            const events = first?.name === 'message' || (first?.name && LIFECYCLE.has(first.name)) || !first ? [] : [first];
            walkFn(fn, s, { ids, events, map: '' }, null);
          }
        }
        return;
      }
      const last = unwrap(args.at(-1));
      const path = unwrap(args[0]);
      if (method && ROUTE.test(method) && path?.type === 'Literal' && typeof path.value === 'string' && isFn(last)) {
        visit(callee, s);
        const req = names(last.params?.[0] ?? null);
        walkFn(last, s, { ids: new Set(req), route: path.value, events: [], map: '' }, null);
        return;
      }
      // `symbols.filter((s) => session.entitlements.includes(s))`: the handler keeps only what the connection may have.
      if (method === 'filter' && s.events.length > 0 && isFn(unwrap(args[0]))) {
        const fn = unwrap(args[0]);
        const ret = fn.body?.type === 'BlockStatement' ? (fn.body.body as AstNode[]).find((x) => x.type === 'ReturnStatement')?.argument : fn.body;
        if (ret && check(ret, s.ids))
          out.checks.push({ line: line(n), events: s.events, route: s.route, kind: 'filter', test: exprText(ret), items: exprText(callee.object), ...tag(s) });
      }
      // `broadcast(ws.classId, 'poll:results', …)`, `io.to(socket.data.room).emit(…)`: sent to the sender's own group.
      if (s.events.length > 0) {
        const scope = callee?.type === 'Identifier' && args[0] ? identityPath(args[0], s.ids) : null;
        if (scope) out.sends.push({ line: line(n), events: s.events, fn: callee.name as string, scope, ...tag(s) });
        const to = method && /^(emit|send)$/.test(method) && callee?.type === 'MemberExpression' ? unwrap(callee.object) : null;
        const toMethod = to?.type === 'CallExpression' && unwrap(to.callee)?.type === 'MemberExpression' ? unwrap(to.callee).property?.name : null;
        const room = toMethod === 'to' || toMethod === 'in' ? identityPath(to.arguments[0], s.ids) : null;
        if (room) out.sends.push({ line: line(n), events: s.events, fn: null, scope: room, ...tag(s) });
        if (scope) act(s);
      }
      if (method && SENDS.test(method)) act(s);
      // `next()`: the middleware let the connection or the event through; a check after it guards nothing.
      if (s.next && callee?.type === 'Identifier' && callee.name === s.next && (args.length === 0 || unwrap(args[0])?.value === null)) act(s);
      // `requireTeacher(ws);` as a statement: an assertion, followed to its body by the model.
      if (s.top && !s.acted?.v && (s.events.length > 0 || s.route !== null || s.listener) && n.__statement) {
        const g = guardCall(n, s.ids);
        if (g && !g.negated) out.calls.push({ line: line(n), events: s.events, route: s.route, kind: 'assert', fn: g.fn, text: g.text, ...tag(s) });
      }
    }
    if (n.type === 'ExpressionStatement') {
      const e = unwrap(n.expression);
      if (e?.type === 'CallExpression') e.__statement = s.top;
      walk(n.expression, s);
      return;
    }
    if (n.type === 'IfStatement') {
      const parts = conjuncts(n.test);
      const typed = parts.map((p) => typeTest(p, s.event)).filter((e): e is EventRef => e !== null);
      ifChecks(n, s, typed.length > 0 ? typed : s.events);
      walk(n.test, { ...s, top: false });
      if (typed.length > 0) {
        const acted = { v: s.acted?.v ?? false };
        walkBody(n.consequent, { ...s, events: typed, top: true, acted });
        if (acted.v) act(s);
      } else walk(n.consequent, { ...s, top: false });
      walk(n.alternate, { ...s, top: n.alternate?.type === 'IfStatement' ? s.top : false });
      return;
    }
    if (n.type === 'SwitchStatement' && eventRead(n.discriminant, s.event)) {
      walk(n.discriminant, s);
      let pending: EventRef[] = [];
      for (const c of n.cases as AstNode[]) {
        const e = c.test ? eventOf(c.test) : null;
        if (e) pending.push(e);
        if ((c.consequent as AstNode[]).length === 0) continue;
        const events = pending;
        pending = [];
        const body = (c.consequent as AstNode[]).length === 1 && c.consequent[0].type === 'BlockStatement' ? c.consequent[0].body : c.consequent;
        // Each case is its own handler: what another case sent is no send of this one.
        const acted = { v: s.acted?.v ?? false };
        walkStatements(body as AstNode[], { ...s, events, top: events.length > 0, acted });
        // What follows the switch may run after a case sent: for no event does it guard what came before.
        if (acted.v) act(s);
      }
      return;
    }
    if (n.type === 'BlockStatement') return walkStatements(n.body as AstNode[], { ...s, top: false });
    // `try { if (…) return; … } catch …`: the try block's statements run in the handler's own sequence.
    if (n.type === 'TryStatement' && s.top) {
      walkStatements((n.block?.body ?? []) as AstNode[], s);
      const off = { ...s, top: false };
      walk(n.handler, off);
      walk(n.finalizer, off);
      return;
    }
    visit(n, s);
  };

  const act = (s: Scope): void => {
    if (s.acted) s.acted.v = true;
  };

  const visit = (n: AstNode, s: Scope): void => {
    // One scope copy per node at most (top cleared), not one per child key.
    const off = s.top ? { ...s, top: false } : s;
    for (const k in n) if (!SKIP_KEYS.has(k)) walk(n[k], s.top && (k === 'body' || k === 'declarations') ? s : off);
  };

  walk(program, { ids: new Set(), events: [], route: null, top: false });
  return out;
}
