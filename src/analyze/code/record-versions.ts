// Functions that return what another system answered: the JSON body of an HTTP response
// (`const res = await fetch(…); return (await res.json()) as { version: number; … }`), with the
// numeric fields its declared type names. A field such as `version` there is set by the system
// that answered (the system of record), not by this code; the model (model/record-version.ts)
// follows a handler's `const result = await applyPatch(…)` to it and the send that carries it.
// Fetch: https://fetch.spec.whatwg.org/#dom-body-json (the body parsed as JSON; its type is only
// what the code asserts, so the field is the code's claim about the answer, cited at its line).
import { type AstNode, type LineIndex, pathOf } from './ast.js';

export interface ResponseFn {
  /** The function's name (a declaration, or the `const` an arrow or function expression is bound to). */
  fn: string;
  /** Line of the return that hands back the response body. */
  line: number;
  /** Where the answer comes from: the body of an HTTP response. */
  source: 'http';
  /** Numeric fields of the type the code gives that body (an `as` cast, or the function's `Promise<T>`), each where the type declares it. */
  fields: { name: string; line: number }[];
}

function bodyOf(fn: AstNode): AstNode[] {
  const b = fn?.body;
  return b?.type === 'BlockStatement' ? (b.body as AstNode[]) : [];
}

/** `fetch(…)`, `globalThis.fetch(…)`, awaited or not. */
function isFetch(init: AstNode): boolean {
  let n = init;
  while (n && (n.type === 'AwaitExpression' || n.type === 'ParenthesizedExpression')) n = n.argument ?? n.expression;
  if (n?.type !== 'CallExpression') return false;
  const p = pathOf(n.callee);
  return p === 'fetch' || p === 'globalThis.fetch' || p === 'window.fetch';
}

/** Strips parentheses and awaits, keeping the outermost `as T` (its type) apart. */
function castOf(node: AstNode): { expr: AstNode; type: AstNode | null } {
  let n = node;
  let type: AstNode | null = null;
  for (;;) {
    if (n?.type === 'ParenthesizedExpression') n = n.expression;
    else if (n?.type === 'AwaitExpression') n = n.argument;
    else if (n?.type === 'TSAsExpression' || n?.type === 'TSSatisfiesExpression') {
      type ??= n.typeAnnotation;
      n = n.expression;
    } else return { expr: n, type };
  }
}

/** `Promise<T>` → T; anything else as it is. */
function unpromise(t: AstNode | null): AstNode | null {
  if (t?.type === 'TSTypeReference' && pathOf(t.typeName) === 'Promise') return t.typeArguments?.params?.[0] ?? t.typeParameters?.params?.[0] ?? null;
  return t;
}

/** Numeric members of a type literal, or of an interface or type alias of this file it names. */
function numericFields(t: AstNode | null, decls: ReadonlyMap<string, AstNode>, lines: LineIndex): { name: string; line: number }[] {
  let members: AstNode[] = [];
  if (t?.type === 'TSTypeLiteral') members = t.members ?? [];
  else if (t?.type === 'TSTypeReference') {
    const d = decls.get(pathOf(t.typeName) ?? '');
    if (d?.type === 'TSInterfaceDeclaration') members = d.body?.body ?? [];
    else if (d?.type === 'TSTypeAliasDeclaration' && d.typeAnnotation?.type === 'TSTypeLiteral') members = d.typeAnnotation.members ?? [];
  }
  const out: { name: string; line: number }[] = [];
  for (const m of members) {
    if (m?.type !== 'TSPropertySignature') continue;
    const name = m.computed ? null : m.key?.type === 'Identifier' ? (m.key.name as string) : m.key?.type === 'Literal' ? String(m.key.value) : null;
    if (name && m.typeAnnotation?.typeAnnotation?.type === 'TSNumberKeyword') out.push({ name, line: lines.line(m.start) });
  }
  return out;
}

/** Top-level functions of the file, by name: declarations (exported or not) and `const f = async () => …`. */
function namedFunctions(program: AstNode): { name: string; node: AstNode }[] {
  const out: { name: string; node: AstNode }[] = [];
  for (const s of (program?.body ?? []) as AstNode[]) {
    const d = s?.type === 'ExportNamedDeclaration' || s?.type === 'ExportDefaultDeclaration' ? s.declaration : s;
    if (d?.type === 'FunctionDeclaration' && d.id?.name) out.push({ name: d.id.name as string, node: d });
    if (d?.type === 'VariableDeclaration')
      for (const v of d.declarations ?? [])
        if (v.id?.type === 'Identifier' && (v.init?.type === 'ArrowFunctionExpression' || v.init?.type === 'FunctionExpression'))
          out.push({ name: v.id.name as string, node: v.init });
  }
  return out;
}

/** Every top-level function that returns the JSON body of a `fetch` response it awaited. */
export function responseFns(program: AstNode, lines: LineIndex, decls: ReadonlyMap<string, AstNode>): ResponseFn[] {
  const out: ResponseFn[] = [];
  for (const { name, node } of namedFunctions(program)) {
    const responses = new Set<string>();
    for (const s of bodyOf(node)) {
      if (s?.type === 'VariableDeclaration')
        for (const v of s.declarations ?? []) if (v.id?.type === 'Identifier' && isFetch(v.init)) responses.add(v.id.name as string);
      if (s?.type !== 'ReturnStatement' || !s.argument || responses.size === 0) continue;
      const { expr, type } = castOf(s.argument);
      const json = expr?.type === 'CallExpression' && expr.callee?.type === 'MemberExpression' && !expr.callee.computed ? expr.callee : null;
      if (!json || json.property?.name !== 'json' || json.object?.type !== 'Identifier' || !responses.has(json.object.name as string)) continue;
      const declared = type ?? unpromise(node.returnType?.typeAnnotation ?? null);
      out.push({ fn: name, line: lines.line(s.start), source: 'http', fields: numericFields(unpromise(declared), decls, lines) });
    }
  }
  return out;
}

/**
 * `ws.on('message', async (raw) => { … await handler(…) … })`: an EventEmitter calls each
 * listener and does not wait for the promise it returns, so the next message's listener starts
 * while this one waits at its first `await`; one connection's handlers overlap from there on.
 * https://nodejs.org/api/events.html#capturerejections-of-async-listeners (listeners' promises are not awaited)
 */
export interface OverlappingListener {
  /** Line of the `.on('message', …)` registration. */
  line: number;
  /** Line of the listener's first `await` outside nested functions. */
  awaitLine: number;
}

function firstAwait(node: AstNode, depth = 0): AstNode | null {
  if (!node || typeof node !== 'object' || depth > 200) return null;
  if (Array.isArray(node)) {
    for (const x of node) {
      const hit = firstAwait(x, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  if (node.type === 'AwaitExpression') return node;
  if (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration') return null;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'type' || k === 'start' || k === 'end' || k === 'typeAnnotation') continue;
    if (v && typeof v === 'object') {
      const hit = firstAwait(v, depth + 1);
      if (hit) return hit;
    }
  }
  return null;
}

export function overlappingListeners(program: AstNode, lines: LineIndex): OverlappingListener[] {
  const out: OverlappingListener[] = [];
  const visit = (node: AstNode, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 400) return;
    if (Array.isArray(node)) {
      for (const x of node) visit(x, depth + 1);
      return;
    }
    if (node.type === 'CallExpression' && node.callee?.type === 'MemberExpression' && !node.callee.computed) {
      const method = node.callee.property?.name;
      const [event, fn] = node.arguments ?? [];
      if (
        (method === 'on' || method === 'addListener') &&
        event?.type === 'Literal' &&
        event.value === 'message' &&
        (fn?.type === 'ArrowFunctionExpression' || fn?.type === 'FunctionExpression') &&
        fn.async
      ) {
        const hit = firstAwait(fn.body);
        if (hit) out.push({ line: lines.line(node.callee.property.start), awaitLine: lines.line(hit.start) });
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'type' && v && typeof v === 'object') visit(v, depth + 1);
  };
  visit(program, 0);
  return out;
}
