// Facts about who a route lets reach which channel: in a function that mints a real-time
// credential (an Ably token request, a LiveKit access token, a Pusher channel authorization, a
// JWT that names a channel), the refusals it answers with 401 or 403, the grants it signs
// (Ably `capability`, LiveKit `addGrant`, the channel a JWT or an authorization names) and
// whether the channel comes from the request; and in any function, an `if` that sends only
// when a field of the event equals the same field of something else (`n.teamId ===
// agent.teamId`), a delivery filter. One walk over the parsed file; plain records out.
import { type AstNode, type LineIndex, pathOf, propKey, unwrap } from './ast.js';
import { SKIP_KEYS } from './fact-types.js';

export interface AccessChecks {
  /** Calls that mint a credential; `fn`: line of the function they run in. */
  mints: { line: number; fn: number; call: string; route: string | null }[];
  /** `if (<test>) return … 401/403 …` in a function; `test` null: a return that refuses whatever reached it. */
  refusals: { line: number; fn: number; status: number; test: string | null; route: string | null }[];
  /** What a credential grants: the channel or room as written, the operations, the condition it is signed under. */
  grants: { line: number; fn: number; target: string; ops: string[]; fromRequest: boolean; when: string | null; route: string | null }[];
  /** `if (a.f === b.f) send(a)`: an event is sent only when it matches. */
  filters: { line: number; fn: number; test: string; send: string; route: string | null }[];
  /** Routes registered with a path: `router.get('/x', …, fn)` → the function's line and the path. */
  routes: { fn: number; path: string }[];
  /** Every function's first and last line, so a model can tell which calls run in it. */
  fns: { line: number; end: number }[];
}

/** Methods that mint a credential for a provider or for our own channels. */
const MINT = /^(createTokenRequest|requestToken|toJwt|authorizeChannel|authenticate|sign)$/;
/** The part of a request a client controls. */
const REQUEST_PART = /^(query|body|params|searchParams)$/;
/** A call that sends to the connection (directly or through a local helper). */
const SEND = /(^|\.)(send\w*|write\w*|emit|enqueue|push|notify|deliver)$/i;
const ROUTE = /^(get|post|put|patch|delete|all)$/;

function isFn(n: AstNode): boolean {
  return n?.type === 'ArrowFunctionExpression' || n?.type === 'FunctionExpression' || n?.type === 'FunctionDeclaration';
}

/** Source-like text of a small expression; '…' where it is not simple. */
export function exprText(node: AstNode, depth = 0): string {
  const n = unwrap(node);
  if (!n || depth > 6) return '…';
  switch (n.type) {
    case 'Identifier':
      return n.name as string;
    case 'ThisExpression':
      return 'this';
    case 'MemberExpression': {
      const obj = exprText(n.object, depth + 1);
      if (n.computed) return `${obj}${n.optional ? '?.' : ''}[${exprText(n.property, depth + 1)}]`;
      return `${obj}${n.optional ? '?.' : '.'}${n.property?.name as string}`;
    }
    case 'Literal':
      return typeof n.value === 'string' ? `'${n.value}'` : String(n.value);
    case 'TemplateLiteral':
      return `\`${(n.quasis as AstNode[]).map((q, i) => `${q.value?.cooked ?? ''}${i < n.expressions.length ? `\${${exprText(n.expressions[i], depth + 1)}}` : ''}`).join('')}\``;
    case 'UnaryExpression':
      return `${n.operator}${exprText(n.argument, depth + 1)}`;
    case 'BinaryExpression':
    case 'LogicalExpression':
      return `${exprText(n.left, depth + 1)} ${n.operator} ${exprText(n.right, depth + 1)}`;
    case 'CallExpression': {
      const callee = pathOf(n.callee);
      return callee ? `${callee}(${(n.arguments as AstNode[]).map((a) => exprText(a, depth + 1)).join(', ')})` : '…';
    }
    default:
      return '…';
  }
}

/** The status a refusal answers with: a 401 or 403 literal in the statement that exits. */
function statusIn(consequent: AstNode): number | null {
  const node = consequent?.type === 'BlockStatement' ? (consequent.body as AstNode[]).at(-1) : consequent;
  let found: number | null = null;
  const walk = (n: AstNode): void => {
    if (found !== null || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (n.type === 'Literal' && (n.value === 401 || n.value === 403)) {
      found = n.value as number;
      return;
    }
    if (isFn(n)) return;
    for (const k in n) if (!SKIP_KEYS.has(k)) walk(n[k]);
  };
  walk(node);
  return found;
}

/** The consequent ends the function: a return or throw (alone or last in a block). */
function exits(n: AstNode): boolean {
  if (n?.type === 'ReturnStatement' || n?.type === 'ThrowStatement') return true;
  if (n?.type === 'BlockStatement') return exits((n.body as AstNode[]).at(-1));
  return false;
}

/** Names a pattern binds: `x`, `{ a, b: c }`, `[d]`. */
function bound(p: AstNode, out: string[] = []): string[] {
  if (!p) return out;
  if (p.type === 'Identifier') out.push(p.name as string);
  else if (p.type === 'ObjectPattern') for (const prop of p.properties ?? []) bound(prop.type === 'RestElement' ? prop.argument : prop.value, out);
  else if (p.type === 'ArrayPattern') for (const e of p.elements ?? []) bound(e, out);
  else if (p.type === 'AssignmentPattern') bound(p.left, out);
  return out;
}

/** Does the expression read what the client sent (`req.query.x`, `searchParams.get('room')`) or a local bound to it? */
function readsRequest(node: AstNode, vars: ReadonlySet<string>): boolean {
  let found = false;
  const walk = (n: AstNode): void => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (n.type === 'MemberExpression' && !n.computed && REQUEST_PART.test(n.property?.name ?? '')) found = true;
    else if (n.type === 'Identifier' && vars.has(n.name)) found = true;
    if (found || isFn(n)) return;
    for (const k in n) if (!SKIP_KEYS.has(k) && k !== 'property') walk(n[k]);
  };
  walk(node);
  return found;
}

/** `a.f === b.f` (or `==`) with different roots: the field names match. */
function matchTest(t: AstNode): boolean {
  const n = unwrap(t);
  if (n?.type !== 'BinaryExpression' || (n.operator !== '===' && n.operator !== '==')) return false;
  const l = pathOf(n.left);
  const r = pathOf(n.right);
  if (!l || !r || !l.includes('.') || !r.includes('.')) return false;
  return l.split('.').pop() === r.split('.').pop() && l.split('.')[0] !== r.split('.')[0];
}

function firstCall(n: AstNode): string | null {
  let found: string | null = null;
  const walk = (x: AstNode): void => {
    if (found !== null || !x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(walk);
    if (x.type === 'CallExpression') {
      found = pathOf(x.callee) ?? '';
      return;
    }
    if (isFn(x)) return;
    for (const k in x) if (!SKIP_KEYS.has(k)) walk(x[k]);
  };
  walk(n);
  return found;
}

/** Where the walk is: the innermost function, the route it serves, locals read from the request, the condition around it. */
interface Place {
  fn: number;
  route: string | null;
  vars: Set<string>;
  when: string | null;
}

export function accessChecks(program: AstNode, lines: LineIndex): AccessChecks {
  const out: AccessChecks = { mints: [], refusals: [], grants: [], filters: [], routes: [], fns: [] };
  const line = (n: AstNode): number => lines.line(n.start);
  /** Route callbacks by their node start, set when the route call is met, read when the walk enters them. */
  const routeOf = new Map<number, string>();
  const grantAt = (n: AstNode, at: Place): void => {
    const base = { fn: at.fn, when: at.when, route: at.route };
    /** A name as written, a string literal without its quotes. */
    const nameOf = (x: AstNode): string => exprText(x).replace(/^'(.*)'$/, '$1');
    // Ably: `{ capability: { [channel]: ['subscribe', 'presence'] } }`.
    if (n.type === 'ObjectExpression') {
      for (const p of n.properties as AstNode[]) {
        if (p.type !== 'Property' || propKey(p) !== 'capability' || unwrap(p.value)?.type !== 'ObjectExpression') continue;
        for (const c of unwrap(p.value).properties as AstNode[]) {
          if (c.type !== 'Property') continue;
          const key = c.computed ? nameOf(c.key) : (propKey(c) ?? '…');
          const v = unwrap(c.value);
          const ops =
            v?.type === 'ArrayExpression'
              ? (v.elements as AstNode[]).filter((e) => e?.type === 'Literal' && typeof e.value === 'string').map((e) => e.value as string)
              : v?.type === 'Literal' && typeof v.value === 'string'
                ? [v.value]
                : [];
          out.grants.push({ ...base, line: line(c), target: key, ops, fromRequest: c.computed === true && readsRequest(c.key, at.vars) });
        }
      }
      return;
    }
    if (n.type !== 'CallExpression') return;
    const method = n.callee?.type === 'MemberExpression' ? (n.callee.property?.name as string | undefined) : undefined;
    const args = n.arguments as AstNode[];
    // LiveKit: `at.addGrant({ roomJoin: true, room, canPublish: true })`.
    if (method === 'addGrant' && unwrap(args[0])?.type === 'ObjectExpression') {
      const props = unwrap(args[0]).properties as AstNode[];
      const room = props.find((p) => p.type === 'Property' && propKey(p) === 'room');
      const ops = props
        .filter((p) => p.type === 'Property' && unwrap(p.value)?.type === 'Literal' && unwrap(p.value).value === true)
        .map((p) => propKey(p) ?? '');
      const target = room ? nameOf(room.value) : '';
      out.grants.push({ ...base, line: line(n), target, ops, fromRequest: room ? readsRequest(room.value, at.vars) : false });
      return;
    }
    // Pusher: `pusher.authorizeChannel(socketId, channel, data)`.
    if ((method === 'authorizeChannel' || method === 'authenticate') && args.length >= 2) {
      out.grants.push({ ...base, line: line(n), target: nameOf(args[1]), ops: [], fromRequest: readsRequest(args[1], at.vars) });
      return;
    }
    // A JWT that names its channel (`jwt.sign({ sub, channel }, secret)`).
    if (method === 'sign' && unwrap(args[0])?.type === 'ObjectExpression') {
      const ch = (unwrap(args[0]).properties as AstNode[]).find((p) => p.type === 'Property' && /^(channel|channels|room)$/.test(propKey(p) ?? ''));
      if (ch) out.grants.push({ ...base, line: line(n), target: nameOf(ch.value), ops: [], fromRequest: readsRequest(ch.value, at.vars) });
    }
  };
  const walk = (n: AstNode, at: Place): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach((x) => walk(x, at));
    if (typeof n.type !== 'string') return;
    if (isFn(n)) {
      const inner = { fn: line(n), route: routeOf.get(n.start) ?? at.route, vars: new Set(at.vars), when: null };
      out.fns.push({ line: inner.fn, end: lines.line(n.end) });
      walk(n.body, inner);
      // `return res.status(403).send('forbidden')` last in the function: every request that reached it is refused.
      const last = n.body?.type === 'BlockStatement' ? (n.body.body as AstNode[]).at(-1) : null;
      const status = last?.type === 'ReturnStatement' ? statusIn(last) : null;
      if (status !== null) out.refusals.push({ line: line(last), fn: inner.fn, status, test: null, route: inner.route });
      return;
    }
    if (n.type === 'CallExpression') {
      const callee = unwrap(n.callee);
      const args = n.arguments as AstNode[];
      const method =
        callee?.type === 'MemberExpression'
          ? (callee.property?.name as string | undefined)
          : callee?.type === 'Identifier'
            ? (callee.name as string)
            : undefined;
      if (method && MINT.test(method) && (method !== 'authenticate' || args.length >= 2))
        out.mints.push({ line: line(n), fn: at.fn, call: pathOf(n.callee) ?? method, route: at.route });
      const path = unwrap(args[0]);
      const last = unwrap(args.at(-1));
      if (method && ROUTE.test(method) && callee?.type === 'MemberExpression' && path?.type === 'Literal' && typeof path.value === 'string' && isFn(last)) {
        out.routes.push({ fn: line(last), path: path.value });
        routeOf.set(last.start, path.value);
      }
      grantAt(n, at);
    }
    if (n.type === 'ObjectExpression') grantAt(n, at);
    if (n.type === 'VariableDeclarator' && n.init && readsRequest(n.init, at.vars)) for (const name of bound(n.id)) at.vars.add(name);
    if (n.type === 'IfStatement') {
      const test = exprText(n.test);
      const status = exits(n.consequent) ? statusIn(n.consequent) : null;
      if (status !== null) out.refusals.push({ line: line(n), fn: at.fn, status, test, route: at.route });
      if (matchTest(n.test)) {
        const send = firstCall(n.consequent);
        if (send && SEND.test(send)) out.filters.push({ line: line(n), fn: at.fn, test, send, route: at.route });
      }
      walk(n.test, at);
      walk(n.consequent, { ...at, when: test });
      walk(n.alternate, at);
      return;
    }
    for (const k in n) if (!SKIP_KEYS.has(k)) walk(n[k], at);
  };
  walk(program, { fn: 0, route: null, vars: new Set(), when: null });
  return out;
}
