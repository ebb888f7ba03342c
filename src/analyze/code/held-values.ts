// What a module-level collection holds when it is not data: live connections (sockets, SSE
// responses) or callbacks registered in this process. Neither can move to a shared store: each
// process keeps its own and is fed the events it needs (a cross-node fan-out). Read from the
// declared type where there is one (followed through the module's own interfaces and type
// aliases), and from how the code uses the values where there is none (plain JavaScript).
import { type AstNode, walkNodes } from './ast.js';

export type Held = 'sockets' | 'callbacks';

const SOCKET_TYPES = /^(WebSocket|ServerWebSocket|Socket|Connection|WS|ServerResponse|Response|WritableStreamDefaultWriter)$/;
/** Calls on a held value that write to a connection. */
const WRITES = /^(send|write|emit|end|close|terminate|enqueue|writeSSE)$/;

/** `Map<string, Client>` with `interface Client { ws: WebSocket }`, `(() => void)[]`, `Set<Listener>`. */
export function heldByType(node: AstNode | undefined, decls: ReadonlyMap<string, AstNode>, depth = 0, seen = new Set<string>()): Held | null {
  if (!node || typeof node !== 'object' || depth > 8) return null;
  const next = (n: AstNode | undefined): Held | null => heldByType(n, decls, depth + 1, seen);
  const first = (ns: readonly AstNode[]): Held | null => {
    const found = ns.map(next);
    return found.includes('sockets') ? 'sockets' : found.includes('callbacks') ? 'callbacks' : null;
  };
  switch (node.type) {
    case 'TSFunctionType':
    case 'TSConstructorType':
      return 'callbacks';
    case 'TSParenthesizedType':
    case 'TSTypeAnnotation':
      return next(node.typeAnnotation);
    case 'TSArrayType':
      return next(node.elementType);
    case 'TSUnionType':
      return first(node.types ?? []);
    case 'TSTypeLiteral':
      return first(((node.members ?? []) as AstNode[]).map((m) => m.typeAnnotation));
    case 'TSPropertySignature':
      return next(node.typeAnnotation);
    case 'TSTypeReference': {
      const n = node.typeName;
      const name = n?.type === 'Identifier' ? n.name : n?.type === 'TSQualifiedName' ? n.right?.name : undefined;
      if (typeof name === 'string' && SOCKET_TYPES.test(name)) return 'sockets';
      const args = first(((node.typeArguments ?? node.typeParameters)?.params ?? []) as AstNode[]);
      if (args) return args;
      const decl = typeof name === 'string' && !seen.has(name) ? decls.get(name) : undefined;
      if (!decl) return null;
      seen.add(name as string);
      if (decl.type === 'TSTypeAliasDeclaration') return next(decl.typeAnnotation);
      // An interface: its properties (a method signature is behaviour of the value, not a held callback).
      return first(((decl.body?.body ?? []) as AstNode[]).filter((m) => m.type === 'TSPropertySignature'));
    }
    default:
      if (node.params) return first(node.params as AstNode[]);
      return null;
  }
}

/**
 * From use, for collections with no type: a value taken out and written to (`const res =
 * streams.get(id); res.write(…)`, `clients.forEach((ws) => ws.send(…))`) is a connection; one
 * taken out and called (`listeners.forEach((l) => l())`, `for (const fn of subs) fn(ev)`) is a callback.
 */
export function heldByUse(program: AstNode, names: readonly string[]): Map<string, Held> {
  const out = new Map<string, Held>();
  if (names.length === 0) return out;
  const wanted = new Set(names);
  /** Local name → the collection its value came from. */
  const aliases = new Map<string, string>();
  const mark = (name: string, held: Held): void => {
    if (out.get(name) !== 'sockets') out.set(name, held);
  };
  const collectionOf = (n: AstNode): string | null => {
    // `streams`, `streams.values()`, `streams.get(id)`, `this.streams`.
    if (n?.type === 'Identifier' && wanted.has(n.name)) return n.name;
    if (n?.type === 'MemberExpression' && n.object?.type === 'ThisExpression' && wanted.has(`this.${n.property?.name}`)) return `this.${n.property?.name}`;
    if (n?.type === 'CallExpression' && n.callee?.type === 'MemberExpression' && /^(get|values)$/.test(n.callee.property?.name ?? ''))
      return collectionOf(n.callee.object);
    if (n?.type === 'ChainExpression') return collectionOf(n.expression);
    return null;
  };
  /** What a body does with `param`: writes to it or calls it. */
  const useOf = (body: AstNode, param: string): Held | null => {
    let found: Held | null = null;
    walkNodes(body, (n) => {
      if (n.type !== 'CallExpression') return;
      const c = n.callee?.type === 'ChainExpression' ? n.callee.expression : n.callee;
      if (c?.type === 'Identifier' && c.name === param && found === null) found = 'callbacks';
      if (c?.type === 'MemberExpression' && c.object?.type === 'Identifier' && c.object.name === param && WRITES.test(c.property?.name ?? ''))
        found = 'sockets';
    });
    return found;
  };
  walkNodes(program, (n) => {
    // const res = streams.get(id)
    if (n.type === 'VariableDeclarator' && n.id?.type === 'Identifier' && n.init) {
      const from = collectionOf(n.init);
      if (from) aliases.set(n.id.name, from);
    }
    // streams.forEach((res) => res.write(…)) / listeners.forEach((l) => l())
    if (n.type === 'CallExpression' && n.callee?.type === 'MemberExpression' && n.callee.property?.name === 'forEach') {
      const from = collectionOf(n.callee.object);
      const fn = n.arguments?.[0];
      const p = fn?.params?.[0];
      if (from && p?.type === 'Identifier') {
        const held = useOf(fn.body, p.name);
        if (held) mark(from, held);
      }
    }
    // for (const fn of listeners) fn(ev)
    if (n.type === 'ForOfStatement') {
      const from = collectionOf(n.right);
      const d = n.left?.declarations?.[0]?.id;
      if (from && d?.type === 'Identifier') {
        const held = useOf(n.body, d.name);
        if (held) mark(from, held);
      }
    }
  });
  if (aliases.size > 0)
    walkNodes(program, (n) => {
      if (n.type !== 'CallExpression') return;
      const c = n.callee?.type === 'ChainExpression' ? n.callee.expression : n.callee;
      // res.write(…) on a value taken out of the collection, or streams.get(id).write(…)
      if (c?.type === 'MemberExpression' && WRITES.test(c.property?.name ?? '')) {
        const from = c.object?.type === 'Identifier' ? aliases.get(c.object.name) : c.object?.type === 'CallExpression' ? collectionOf(c.object) : null;
        if (from) mark(from, 'sockets');
      }
      if (c?.type === 'Identifier' && aliases.has(c.name)) mark(aliases.get(c.name) as string, 'callbacks');
    });
  return out;
}
