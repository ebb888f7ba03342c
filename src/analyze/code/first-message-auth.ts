// Authentication by the first message: the connection handler listens to one event (`auth`,
// `login`) whose handler refuses bad credentials with an early return and, once they pass,
// registers the socket's other listeners, directly or through a function of the same file
// (`initializeClient(socket, client)`). No other event is handled before it succeeds, so the
// connection is authenticated there, not at the handshake.
import { type AstNode, type LineIndex, walkNodes } from './ast.js';

export interface FirstMessageAuth {
  /** Line of the listener that authenticates (`socket.on('auth', …)`). */
  line: number;
  event: string;
}

/** Words of an event or handler that authenticates: the structure decides, the name confirms. */
const AUTH_NAME = /auth|login|log_in|signin|sign_in|sign-in|identify|credential|verify/i;
const CONNECT_EVENT = /^(connect|connection)$/;
const LISTEN = /^(on|once)$/;

const isFn = (n: AstNode): boolean => n?.type === 'ArrowFunctionExpression' || n?.type === 'FunctionExpression' || n?.type === 'FunctionDeclaration';

/** `x.on('event', handler)`: the event and the handler, or null. */
function listener(n: AstNode): { event: string; handler: AstNode } | null {
  if (n.type !== 'CallExpression' || n.callee?.type !== 'MemberExpression') return null;
  const method = n.callee.computed ? null : n.callee.property?.name;
  const first = n.arguments?.[0];
  if (!LISTEN.test(method ?? '') || first?.type !== 'Literal' || typeof first.value !== 'string' || !n.arguments[1]) return null;
  return { event: first.value, handler: n.arguments[1] };
}

/** The file's functions by name: declarations and `const f = () => …` (at any depth; first one wins). */
function namedFunctions(program: AstNode): Map<string, AstNode> {
  const out = new Map<string, AstNode>();
  walkNodes(program, (n) => {
    if (n.type === 'FunctionDeclaration' && n.id?.name && !out.has(n.id.name)) out.set(n.id.name as string, n);
    if (n.type === 'VariableDeclarator' && n.id?.type === 'Identifier' && isFn(n.init) && !out.has(n.id.name)) out.set(n.id.name as string, n.init);
  });
  return out;
}

/** The function a handler argument names: inline, or a function of this file by name. */
function fnOf(h: AstNode, fns: ReadonlyMap<string, AstNode>): AstNode | null {
  if (isFn(h)) return h;
  return h?.type === 'Identifier' ? (fns.get(h.name as string) ?? null) : null;
}

/** Name a call reaches: `f(…)`, `f.call(…)`, `f.apply(…)`. */
function calledName(n: AstNode): string | null {
  if (n.type !== 'CallExpression') return null;
  const c = n.callee;
  if (c?.type === 'Identifier') return c.name as string;
  if (c?.type === 'MemberExpression' && c.object?.type === 'Identifier' && !c.computed && /^(call|apply)$/.test(c.property?.name ?? ''))
    return c.object.name as string;
  return null;
}

/** Whether running `fn` registers a listener, itself or through a function of the file it calls. */
function registers(fn: AstNode, fns: ReadonlyMap<string, AstNode>, seen: Set<AstNode>): boolean {
  if (seen.has(fn)) return false;
  seen.add(fn);
  let found = false;
  walkNodes(fn.body, (n) => {
    if (found) return;
    const l = listener(n);
    if (l && !CONNECT_EVENT.test(l.event)) found = true;
    const name = calledName(n);
    const callee = name ? fns.get(name) : undefined;
    if (callee && registers(callee, fns, seen)) found = true;
  });
  return found;
}

/** `if (!ok) { …; return; }` somewhere in the handler (or a closure it defines): bad credentials end it. */
function refuses(fn: AstNode): boolean {
  let found = false;
  walkNodes(fn.body, (n) => {
    if (found || n.type !== 'IfStatement' || n.test?.type !== 'UnaryExpression' || n.test.operator !== '!') return;
    const c = n.consequent;
    if (c?.type === 'ReturnStatement' || (c?.type === 'BlockStatement' && (c.body as AstNode[]).some((s) => s.type === 'ReturnStatement'))) found = true;
  });
  return found;
}

/** The first-message authentications of one parsed program. */
export function firstMessageAuth(program: AstNode, lines: LineIndex): FirstMessageAuth[] {
  const fns = namedFunctions(program);
  const out: FirstMessageAuth[] = [];
  walkNodes(program, (n) => {
    const conn = listener(n);
    if (!conn || !CONNECT_EVENT.test(conn.event) || !isFn(conn.handler)) return;
    walkNodes(conn.handler.body, (m) => {
      const l = listener(m);
      if (!l || CONNECT_EVENT.test(l.event)) return;
      const name = l.handler?.type === 'Identifier' ? (l.handler.name as string) : '';
      if (!AUTH_NAME.test(l.event) && !AUTH_NAME.test(name)) return;
      const fn = fnOf(l.handler, fns);
      if (!fn || !refuses(fn) || !registers(fn, fns, new Set())) return;
      const line = lines.line(m.start);
      if (!out.some((x) => x.line === line)) out.push({ line, event: l.event });
    });
  });
  return out;
}
