// Small helpers over oxc's ESTree output. The AST union type is too wide to narrow usefully in a
// generic visitor, so nodes are handled structurally through `AstNode`.

import type { PayloadSite } from './payloads.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = any;

/** Summary of an expression, enough for the detectors to match on without keeping the AST. */
export interface ArgInfo {
  kind: 'string' | 'number' | 'bool' | 'object' | 'array' | 'function' | 'ident' | 'call' | 'new' | 'member' | 'template' | 'other';
  line: number;
  /** String value, or template text with `${}` for expressions. */
  str?: string;
  num?: number;
  bool?: boolean;
  /** Identifier name, or dotted path of a member expression / callee. */
  path?: string;
  props?: Record<string, ArgInfo>;
  items?: ArgInfo[];
  args?: ArgInfo[];
  /** First parameter name of a function argument. */
  params?: string[];
  /** A function argument's last line, so its callback's calls and member reads can be told apart from the rest of the file. */
  endLine?: number;
  /** Keys a function argument's first parameter destructures: `({ origin }) => …` → ['origin']. */
  destructured?: string[];
  /** Payload fields the argument carries (set on the arguments of event calls only; payloads.ts). */
  payload?: PayloadSite;
  /** An async function argument. */
  async?: true;
  /** An async function argument's `await`s outside any try block of its own (lines; nested functions left out). */
  awaits?: number[];
  /** A function argument whose body calls Math.random (jitter, for options read from another module). */
  random?: boolean;
  /** A function argument that returns its first parameter plus a constant: `(n) => n + 1` → 1, `(n) => n - 1` → -1. */
  adds?: number;
  /** A function argument that computes a reconnect delay from its first parameter (the attempt number): `(n) => Math.min(30_000, 1_000 * 2 ** n) * Math.random()`. */
  delay?: DelayFormula;
  /** A function argument's returned template (`() => \`wss://…?token=${token}\``), for URL factories re-run on each reconnect. */
  returns?: ArgInfo;
  /** A template literal's expressions, so the model can fold `${PREFIX}:join` across modules. */
  exprs?: ArgInfo[];
  /** An object literal's spread sources (`{ ...behavior, upgrade }` → `behavior`), resolved by the module model. */
  spreads?: ArgInfo[];
  /**
   * The whole of a collection the expression is (`[...all.values()]`, `Array.from(all.values())`,
   * `Object.values(all)`, `[...all]`), or, on a function, the one it returns: the collection's name.
   */
  collection?: string;
}

/**
 * A reconnect delay as code writes it, `base × factor^n` for attempt n, capped, with its jitter:
 * `full` multiplies by Math.random() (uniform in [0, delay]); `band` by `lo + width × Math.random()`
 * (`0.5 + Math.random()`: ±50% around the delay); `add` adds `Math.random() × max`. `capAt`: whether
 * the cap clips the exponential before the jitter (`Math.min(cap, base * 2 ** n) * …`) or the whole
 * delay after it. A constant that is not a number literal stays an `ident` for the model to fold.
 */
export interface DelayFormula {
  base: ArgInfo;
  factor: number;
  cap: ArgInfo | null;
  capAt: 'before-jitter' | 'after-jitter';
  jitter: { kind: 'none' } | { kind: 'full' } | { kind: 'band'; lo: number; width: number } | { kind: 'add'; max: ArgInfo };
}

/** Maps UTF-16 offsets to 1-based lines; `base` shifts lines of a script block inside a .vue/.svelte file. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(
    text: string,
    private readonly base = 0,
  ) {
    // \n, \r\n and a lone \r (old Mac files) each end a line, as editors count them.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1 + this.base;
  }
}

/** Strips parentheses, `await`, `!`, `as` and `satisfies` around an expression. */
/**
 * Every node under `node`, parents before children, to `maxDepth` levels of nesting (arrays count
 * as a level); `parent`, `loc` and `range` keys are not followed.
 */
export function walkNodes(node: AstNode, visit: (n: AstNode) => void, maxDepth = 400, depth = 0): void {
  if (!node || typeof node !== 'object' || depth > maxDepth) return;
  if (Array.isArray(node)) {
    for (const x of node) walkNodes(x, visit, maxDepth, depth + 1);
    return;
  }
  if (typeof node.type === 'string') visit(node);
  for (const key in node) {
    if (key === 'parent' || key === 'loc' || key === 'range') continue;
    const v = node[key];
    if (v && typeof v === 'object') walkNodes(v, visit, maxDepth, depth + 1);
  }
}

export function unwrap(node: AstNode): AstNode {
  let n = node;
  while (
    n &&
    (n.type === 'ChainExpression' ||
      n.type === 'TSNonNullExpression' ||
      n.type === 'ParenthesizedExpression' ||
      n.type === 'TSAsExpression' ||
      n.type === 'TSSatisfiesExpression' ||
      n.type === 'AwaitExpression')
  ) {
    n = n.expression ?? n.argument;
  }
  return n;
}

/** Dotted path of a callee or member chain: `io.to().emit`, `import.meta.env.VITE_KEY`, `this.ws.send`. */
/** Segments past which a path is no name anyone reads: `a()()()…` chains thousands deep made pathOf quadratic. */
const MAX_PATH_DEPTH = 32;

export function pathOf(node: AstNode): string | null {
  return pathAt(node, 0);
}

function pathAt(node: AstNode, depth: number): string | null {
  if (depth > MAX_PATH_DEPTH) return null;
  const n = unwrap(node);
  if (!n) return null;
  switch (n.type) {
    case 'Identifier':
      return n.name as string;
    case 'ThisExpression':
      return 'this';
    case 'Super':
      return 'super';
    case 'MetaProperty':
      return `${n.meta.name}.${n.property.name}`;
    case 'MemberExpression': {
      const obj = pathAt(n.object, depth + 1);
      if (obj === null) return null;
      if (!n.computed) return `${obj}.${n.property.name as string}`;
      const p = unwrap(n.property);
      if (p?.type === 'Literal' && typeof p.value === 'string') return `${obj}.${p.value}`;
      return `${obj}.[]`;
    }
    case 'CallExpression': {
      const c = pathAt(n.callee, depth + 1);
      return c === null ? null : `${c}()`;
    }
    case 'NewExpression': {
      const c = pathAt(n.callee, depth + 1);
      return c === null ? null : `new ${c}()`;
    }
    default:
      return null;
  }
}

export function lastSegment(path: string): string {
  const clean = path.endsWith('()') ? path.slice(0, -2) : path;
  const i = clean.lastIndexOf('.');
  return i === -1 ? clean : clean.slice(i + 1);
}

export function rootSegment(path: string): string {
  const clean = path.startsWith('new ') ? path.slice(4) : path;
  const m = /^[^.(]+/.exec(clean);
  return m ? m[0] : clean;
}

export function propKey(prop: AstNode): string | null {
  if (prop.type !== 'Property' && prop.type !== 'PropertyDefinition' && prop.type !== 'MethodDefinition') return null;
  const k = prop.key;
  if (!prop.computed && k?.type === 'Identifier') return k.name as string;
  if (k?.type === 'Literal') return String(k.value);
  return null;
}

function numberOf(node: AstNode, consts: ReadonlyMap<string, number>): number | undefined {
  const n = unwrap(node);
  if (!n) return undefined;
  if (n.type === 'Literal' && typeof n.value === 'number') return n.value;
  if (n.type === 'Identifier') return consts.get(n.name);
  if (n.type === 'UnaryExpression' && n.operator === '-') {
    const v = numberOf(n.argument, consts);
    return v === undefined ? undefined : -v;
  }
  if (n.type === 'BinaryExpression') {
    const a = numberOf(n.left, consts);
    const b = numberOf(n.right, consts);
    if (a === undefined || b === undefined) return undefined;
    switch (n.operator) {
      case '*':
        return a * b;
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '/':
        return b === 0 ? undefined : a / b;
      case '**':
        return a ** b;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** Whether a (small) function body calls Math.random, searched a few levels deep. */
function callsRandom(node: AstNode, depth: number): boolean {
  if (!node || typeof node !== 'object' || depth > 8) return false;
  if (node.type === 'CallExpression' && pathOf(node.callee) === 'Math.random') return true;
  for (const key in node) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const v = node[key];
    if (Array.isArray(v) ? v.some((x) => callsRandom(x, depth + 1)) : v && typeof v === 'object' && callsRandom(v, depth + 1)) return true;
  }
  return false;
}

/**
 * The lines of an async function's `await`s that no `try` block of that function surrounds (one in
 * a `catch` or `finally` block counts: a rejection there is not caught either), outside nested
 * functions; an awaited `x.catch(…)` handles its own rejection and is left out.
 */
function unguardedAwaits(node: AstNode, lines: LineIndex, out: number[] = [], depth = 0): number[] {
  if (!node || typeof node !== 'object' || depth > 400 || out.length >= 8) return out;
  if (Array.isArray(node)) {
    for (const x of node) unguardedAwaits(x, lines, out, depth + 1);
    return out;
  }
  if (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration') return out;
  if (node.type === 'TryStatement') {
    unguardedAwaits(node.handler, lines, out, depth + 1);
    unguardedAwaits(node.finalizer, lines, out, depth + 1);
    return out;
  }
  if (node.type === 'AwaitExpression') {
    const arg = unwrap(node.argument);
    const caught = arg?.type === 'CallExpression' && arg.callee?.type === 'MemberExpression' && !arg.callee.computed && arg.callee.property?.name === 'catch';
    if (!caught) out.push(lines.line(node.start));
  }
  for (const key in node) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'typeAnnotation') continue;
    const v = node[key];
    if (v && typeof v === 'object') unguardedAwaits(v, lines, out, depth + 1);
  }
  return out;
}

/** The operands of a `+` chain, string literals as strings, or null when it is not a concatenation. */
function concatParts(node: AstNode): (string | AstNode)[] | null {
  const n = unwrap(node);
  if (n?.type === 'Literal' && typeof n.value === 'string') return [n.value];
  if (n?.type !== 'BinaryExpression' || n.operator !== '+') return [n];
  const l = concatParts(n.left);
  const r = concatParts(n.right);
  return l && r ? [...l, ...r] : null;
}

/** Summarise an expression to a bounded depth. */
export function summarize(node: AstNode, lines: LineIndex, consts: ReadonlyMap<string, number>, depth = 3): ArgInfo {
  const n = unwrap(node);
  const line = lines.line(n?.start ?? 0);
  if (!n) return { kind: 'other', line };
  const num = numberOf(n, consts);
  if (num !== undefined) return { kind: 'number', num, line };
  switch (n.type) {
    case 'Literal':
      if (typeof n.value === 'string') return { kind: 'string', str: n.value, line };
      if (typeof n.value === 'boolean') return { kind: 'bool', bool: n.value, line };
      return { kind: 'other', line };
    case 'TemplateLiteral': {
      const str = (n.quasis as AstNode[]).map((q) => q.value.cooked ?? q.value.raw).join('${}');
      const exprs = (n.expressions as AstNode[]).map((e) => summarize(e, lines, consts, 0));
      return exprs.length > 0 ? { kind: 'template', str, exprs, line } : { kind: 'template', str, line };
    }
    case 'BinaryExpression': {
      // `'board:' + id` is the template `board:${id}`; a sum of non-strings stays unknown.
      const parts = concatParts(n);
      if (!parts || !parts.some((x) => typeof x === 'string')) return { kind: 'other', line };
      let str = '';
      const exprs: ArgInfo[] = [];
      for (const x of parts)
        if (typeof x === 'string') str += x;
        else {
          str += '${}';
          exprs.push(summarize(x, lines, consts, 0));
        }
      return exprs.length > 0 ? { kind: 'template', str, exprs, line } : { kind: 'string', str, line };
    }
    case 'Identifier':
      return { kind: 'ident', path: n.name, line };
    case 'MemberExpression':
      return { kind: 'member', path: pathOf(n) ?? undefined, line };
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      const first = (n.params as AstNode[])[0];
      const keys =
        first?.type === 'ObjectPattern' ? (first.properties as AstNode[]).flatMap((pr) => (pr.key?.type === 'Identifier' ? [pr.key.name as string] : [])) : [];
      return {
        kind: 'function',
        params: (n.params as AstNode[]).map((p) => (p.type === 'Identifier' ? p.name : '')),
        ...(keys.length ? { destructured: keys } : {}),
        endLine: lines.line(Math.max(n.start, n.end - 1)),
        ...(n.end - n.start < 400 && callsRandom(n.body, 0) ? { random: true } : {}),
        ...(n.async === true ? { async: true as const, awaits: unguardedAwaits(n.body, lines) } : {}),
        ...(addsTo(n, consts) !== undefined ? { adds: addsTo(n, consts) } : {}),
        ...(delayShape(n, lines, consts) ? { delay: delayShape(n, lines, consts)! } : {}),
        ...(returnedTemplate(n) ? { returns: summarize(returnedTemplate(n)!, lines, consts, 0) } : {}),
        ...(wholeOf(returnedExpression(n)) ? { collection: wholeOf(returnedExpression(n))! } : {}),
        line,
      };
    case 'ObjectExpression': {
      const props: Record<string, ArgInfo> = {};
      const spreads: ArgInfo[] = [];
      for (const p of n.properties as AstNode[]) {
        if (p.type === 'SpreadElement') {
          spreads.push(summarize(p.argument, lines, consts, 0));
          continue;
        }
        const key = propKey(p);
        if (key === null) continue;
        props[key] = depth > 0 ? summarize(p.value, lines, consts, depth - 1) : { kind: 'other', line: lines.line(p.start) };
      }
      return spreads.length > 0 ? { kind: 'object', props, spreads, line } : { kind: 'object', props, line };
    }
    case 'ImportExpression':
      // `import('./routes.js')`, as a call of `import` (Fastify's `register(import('./plugin.js'))`).
      return { kind: 'call', path: 'import', args: depth > 0 ? [summarize(n.source, lines, consts, depth - 1)] : [], line };
    case 'ArrayExpression':
      if (wholeOf(n)) return { kind: 'array', items: [], collection: wholeOf(n)!, line };
      return { kind: 'array', items: depth > 0 ? (n.elements as AstNode[]).filter(Boolean).map((e) => summarize(e, lines, consts, depth - 1)) : [], line };
    case 'CallExpression':
    case 'NewExpression':
      if (wholeOf(n)) return { kind: 'call', path: pathOf(n.callee) ?? undefined, args: [], collection: wholeOf(n)!, line };
      return {
        kind: n.type === 'CallExpression' ? 'call' : 'new',
        path: pathOf(n.callee) ?? undefined,
        args: depth > 0 ? (n.arguments as AstNode[]).map((a) => summarize(a, lines, consts, depth - 1)) : [],
        line,
      };
    default:
      return { kind: 'other', line };
  }
}

/** `X.values()`, or `X` itself: what iterating it yields is every value of X. */
function valuesRoot(node: AstNode): string | null {
  const u = unwrap(node);
  if (u?.type === 'Identifier') return u.name as string;
  if (u?.type === 'CallExpression' && (u.arguments as AstNode[]).length === 0 && u.callee?.type === 'MemberExpression' && !u.callee.computed) {
    const obj = unwrap(u.callee.object);
    if (obj?.type === 'Identifier' && u.callee.property?.name === 'values') return obj.name as string;
  }
  return null;
}

/**
 * The collection an expression copies whole: `[...all.values()]`, `[...all]`, `Array.from(all.values())`,
 * `Array.from(all)`, `Object.values(all)`. Its name, or null (a filter, a slice, a lookup pick some).
 */
export function wholeOf(node: AstNode | null): string | null {
  const u = node ? unwrap(node) : null;
  if (!u) return null;
  if (u.type === 'ArrayExpression') {
    const els = u.elements as AstNode[];
    return els.length === 1 && els[0]?.type === 'SpreadElement' ? valuesRoot(els[0].argument) : null;
  }
  if (u.type === 'CallExpression' && (u.arguments as AstNode[]).length === 1) {
    const callee = pathOf(u.callee);
    const arg = (u.arguments as AstNode[])[0]!;
    if (callee === 'Array.from') return valuesRoot(arg);
    if (callee === 'Object.values') {
      const a = unwrap(arg);
      return a?.type === 'Identifier' ? (a.name as string) : null;
    }
  }
  return null;
}

/** The template literal a function returns: its concise body, or a body of one `return`. */
function returnedTemplate(n: AstNode): AstNode | null {
  const b = n.body as AstNode | null;
  if (b?.type === 'TemplateLiteral') return b;
  const only = b?.type === 'BlockStatement' && (b.body as AstNode[]).length === 1 ? (b.body as AstNode[])[0] : null;
  return only?.type === 'ReturnStatement' && only.argument?.type === 'TemplateLiteral' ? only.argument : null;
}

/** `(n) => n + 1` → 1, `(n) => n - 2` → -2: an updater that adds a constant to the value it is given. */
function addsTo(fn: AstNode, consts: ReadonlyMap<string, number>): number | undefined {
  const param = (fn.params as AstNode[])[0];
  const body = unwrap(fn.body);
  if (param?.type !== 'Identifier' || body?.type !== 'BinaryExpression' || (body.operator !== '+' && body.operator !== '-')) return undefined;
  const left = unwrap(body.left);
  const right = numberOf(body.right, consts);
  if (left?.type !== 'Identifier' || left.name !== param.name || right === undefined) return undefined;
  return body.operator === '+' ? right : -right;
}

/** The expression a function returns: its concise body, or a body of one `return`. */
export function returnedExpression(n: AstNode): AstNode | null {
  const b = n.body as AstNode | null;
  if (b && b.type !== 'BlockStatement') return b;
  const only = b?.type === 'BlockStatement' && (b.body as AstNode[]).length === 1 ? (b.body as AstNode[])[0] : null;
  return only?.type === 'ReturnStatement' ? (only.argument ?? null) : null;
}

const isRandom = (n: AstNode): boolean => {
  const u = unwrap(n);
  return u?.type === 'CallExpression' && pathOf(u.callee) === 'Math.random' && (u.arguments as AstNode[]).length === 0;
};

/** A constant operand: a number (folded where the file fixes it) or a name the model may fold across modules. */
function constantOf(node: AstNode, lines: LineIndex, consts: ReadonlyMap<string, number>): ArgInfo | null {
  const u = unwrap(node);
  const num = numberOf(u, consts);
  if (num !== undefined) return { kind: 'number', num, line: lines.line(u.start) };
  if (u?.type === 'Identifier' || u?.type === 'MemberExpression') {
    const path = pathOf(u);
    return path ? { kind: u.type === 'Identifier' ? 'ident' : 'member', path, line: lines.line(u.start) } : null;
  }
  return null;
}

/** `base * 2 ** n`, `2 ** n * base`, `base * Math.pow(2, n)`, `base * 2 ** (n)`: the exponential of the attempt. */
function exponential(
  node: AstNode,
  isParam: (n: AstNode) => boolean,
  lines: LineIndex,
  consts: ReadonlyMap<string, number>,
): { base: ArgInfo; factor: number } | null {
  const u = unwrap(node);
  const power = (x: AstNode): number | null => {
    const p = unwrap(x);
    if (p?.type === 'BinaryExpression' && p.operator === '**' && isParam(p.right)) return numberOf(p.left, consts) ?? null;
    if (p?.type === 'CallExpression' && pathOf(p.callee) === 'Math.pow' && p.arguments.length === 2 && isParam(p.arguments[1]))
      return numberOf(p.arguments[0], consts) ?? null;
    return null;
  };
  if (u?.type !== 'BinaryExpression' || u.operator !== '*') return null;
  for (const [pw, other] of [
    [u.right, u.left],
    [u.left, u.right],
  ] as const) {
    const factor = power(pw);
    const base = factor !== null && factor > 1 ? constantOf(other, lines, consts) : null;
    if (factor !== null && base) return { base, factor };
  }
  return null;
}

/** `Math.min(cap, x)` or `Math.min(x, cap)`: the capped expression and its cap. */
function capped(node: AstNode, lines: LineIndex, consts: ReadonlyMap<string, number>): { inner: AstNode; cap: ArgInfo } | null {
  const u = unwrap(node);
  if (u?.type !== 'CallExpression' || pathOf(u.callee) !== 'Math.min' || (u.arguments as AstNode[]).length !== 2) return null;
  const [a, b] = u.arguments as AstNode[];
  const ca = constantOf(a, lines, consts);
  if (ca) return { inner: b, cap: ca };
  const cb = constantOf(b, lines, consts);
  return cb ? { inner: a, cap: cb } : null;
}

/** `lo + Math.random()`, `Math.random() + lo`, `lo + Math.random() * w`, `Math.random() * w + lo`: a band factor. */
function band(node: AstNode, consts: ReadonlyMap<string, number>): { lo: number; width: number } | null {
  const u = unwrap(node);
  if (u?.type !== 'BinaryExpression' || u.operator !== '+') return null;
  for (const [r, c] of [
    [u.right, u.left],
    [u.left, u.right],
  ] as const) {
    const lo = numberOf(c, consts);
    if (lo === undefined) continue;
    if (isRandom(r)) return { lo, width: 1 };
    const m = unwrap(r);
    if (m?.type === 'BinaryExpression' && m.operator === '*') {
      const w = isRandom(m.left) ? numberOf(m.right, consts) : isRandom(m.right) ? numberOf(m.left, consts) : undefined;
      if (w !== undefined) return { lo, width: w };
    }
  }
  return null;
}

/** The exponential, capped or not, before any jitter: `Math.min(cap, base * 2 ** n)` or `base * 2 ** n`. */
function core(
  node: AstNode,
  param: (n: AstNode) => boolean,
  lines: LineIndex,
  consts: ReadonlyMap<string, number>,
): { base: ArgInfo; factor: number; cap: ArgInfo | null } | null {
  const c = capped(node, lines, consts);
  const e = exponential(c ? c.inner : node, param, lines, consts);
  return e ? { ...e, cap: c?.cap ?? null } : null;
}

/** A core with its jitter: `core * Math.random()`, `core * (0.5 + Math.random())`, `core + Math.random() * x`, or `core` alone. */
function jittered(node: AstNode, param: (n: AstNode) => boolean, lines: LineIndex, consts: ReadonlyMap<string, number>): Omit<DelayFormula, 'capAt'> | null {
  const u = unwrap(node);
  const plain = core(u, param, lines, consts);
  if (plain) return { ...plain, jitter: { kind: 'none' } };
  if (u?.type === 'BinaryExpression' && u.operator === '*') {
    for (const [j, c] of [
      [u.right, u.left],
      [u.left, u.right],
    ] as const) {
      const k = core(c, param, lines, consts);
      if (!k) continue;
      if (isRandom(j)) return { ...k, jitter: { kind: 'full' } };
      const b = band(j, consts);
      if (b) return { ...k, jitter: { kind: 'band', ...b } };
    }
  }
  if (u?.type === 'BinaryExpression' && u.operator === '+') {
    for (const [j, c] of [
      [u.right, u.left],
      [u.left, u.right],
    ] as const) {
      const k = core(c, param, lines, consts);
      const m = unwrap(j);
      if (!k || m?.type !== 'BinaryExpression' || m.operator !== '*') continue;
      const max = isRandom(m.left) ? constantOf(m.right, lines, consts) : isRandom(m.right) ? constantOf(m.left, lines, consts) : null;
      if (max) return { ...k, jitter: { kind: 'add', max } };
    }
  }
  return null;
}

/** The reconnect delay an expression computes from the attempt counter `isAttempt` recognises; else null. */
function formulaOf(body: AstNode, isAttempt: (n: AstNode) => boolean, lines: LineIndex, consts: ReadonlyMap<string, number>): DelayFormula | null {
  const inner = jittered(body, isAttempt, lines, consts);
  if (inner) return { ...inner, capAt: 'before-jitter' };
  // `Math.min(cap, base * 2 ** n * Math.random())`: the cap clips the jittered delay.
  const c = capped(body, lines, consts);
  const j = c ? jittered(c.inner, isAttempt, lines, consts) : null;
  if (!c || !j || j.cap) return null;
  return { ...j, cap: c.cap, capAt: 'after-jitter' };
}

/** The reconnect delay a function of the attempt number computes, in one of the shapes code writes it; else null. */
function delayShape(fn: AstNode, lines: LineIndex, consts: ReadonlyMap<string, number>): DelayFormula | null {
  const param = (fn.params as AstNode[])[0];
  if (param?.type !== 'Identifier') return null;
  const body = returnedExpression(fn);
  if (!body) return null;
  return formulaOf(body, (n) => unwrap(n)?.type === 'Identifier' && unwrap(n).name === param.name, lines, consts);
}

/**
 * The delay a retry timer computes from a counter it increments as it reads it (`attempt++`,
 * `this.attempt++`): the value read is the count of attempts before this one, so n starts at 0
 * when the counter does. A counter read without its increment is not taken: where it is
 * incremented decides whether the first delay is n = 0 or 1.
 */
export function counterDelay(expr: AstNode, lines: LineIndex, consts: ReadonlyMap<string, number>): DelayFormula | null {
  const isCounter = (n: AstNode): boolean => {
    const u = unwrap(n);
    return u?.type === 'UpdateExpression' && u.operator === '++' && !u.prefix && (u.argument?.type === 'Identifier' || u.argument?.type === 'MemberExpression');
  };
  return formulaOf(expr, isCounter, lines, consts);
}

export function numericValue(node: AstNode, consts: ReadonlyMap<string, number>): number | undefined {
  return numberOf(node, consts);
}

/** Calls earlier in a member chain with their first argument: `io.of('/a').to('r').emit` → of, to. */
export function memberChain(callee: AstNode, lines: LineIndex, consts: ReadonlyMap<string, number>): { method: string; arg: ArgInfo | null }[] {
  const chain: { method: string; arg: ArgInfo | null }[] = [];
  for (let o = callee; o; ) {
    const u = o.type === 'ChainExpression' ? o.expression : o;
    if (u?.type === 'MemberExpression') o = u.object;
    else if (u?.type === 'CallExpression') {
      const cp = pathOf(u.callee);
      if (cp) chain.unshift({ method: lastSegment(cp), arg: u.arguments[0] ? summarize(u.arguments[0], lines, consts, 1) : null });
      o = u.callee;
    } else break;
  }
  return chain;
}

/**
 * The field a message is dispatched on: `msg.type`, a bare `type`, `msg.event` (the `{ event, data }`
 * envelope) where `msg` holds a frame from the wire (`frames`: bound to `JSON.parse(raw)`, or a
 * 'message' listener's parameter; facts.ts `parsedLocals`), or a local the file binds from a parsed
 * message's `type` or `event` key (`const { event } = JSON.parse(raw)`, facts.ts `eventLocals`).
 * `req.body.event` of a webhook route is no frame.
 */
const isTypeField = (p: string | null, locals?: ReadonlySet<string>, frames?: ReadonlySet<string>): boolean =>
  p !== null &&
  (p === 'type' ||
    p.endsWith('.type') ||
    (p.endsWith('.event') && (p === 'JSON.parse().event' || (frames?.has(p.slice(0, -'.event'.length)) ?? false))) ||
    (locals?.has(p) ?? false));

/** String cases of `switch (msg.type)`: message types a handler dispatches on. */
export function typeSwitchCases(n: AstNode, locals?: ReadonlySet<string>, frames?: ReadonlySet<string>): { name: string; node: AstNode }[] {
  if (!isTypeField(pathOf(n.discriminant), locals, frames)) return [];
  return (n.cases as AstNode[])
    .filter((c) => c.test?.type === 'Literal' && typeof c.test.value === 'string')
    .map((c) => ({ name: c.test.value as string, node: c }));
}

/** Cases of `switch (msg.type)` whose test is a constant reference (`case Events.Join:`). */
export function typeSwitchRefs(n: AstNode, locals?: ReadonlySet<string>, frames?: ReadonlySet<string>): { ref: string; node: AstNode }[] {
  if (!isTypeField(pathOf(n.discriminant), locals, frames)) return [];
  return (n.cases as AstNode[]).flatMap((c) => {
    const t = unwrap(c.test);
    const ref = t && (t.type === 'Identifier' || t.type === 'MemberExpression') ? pathOf(t) : null;
    return ref ? [{ ref, node: c }] : [];
  });
}

/** `msg.type === Events.Join` (either side): the constant compared, or null. */
export function typeComparisonRef(n: AstNode, locals?: ReadonlySet<string>, frames?: ReadonlySet<string>): string | null {
  if (n.operator !== '===' && n.operator !== '==') return null;
  for (const [a, b] of [
    [n.left, n.right],
    [n.right, n.left],
  ]) {
    const u = unwrap(b);
    if (isTypeField(pathOf(a), locals, frames) && u && (u.type === 'Identifier' || u.type === 'MemberExpression') && !isTypeField(pathOf(u), locals, frames))
      return pathOf(u);
  }
  return null;
}

/** `msg.type === 'x'` (either side): the message type compared, or null. */
export function typeComparison(n: AstNode, locals?: ReadonlySet<string>, frames?: ReadonlySet<string>): string | null {
  if (n.operator !== '===' && n.operator !== '==') return null;
  for (const [a, b] of [
    [n.left, n.right],
    [n.right, n.left],
  ]) {
    if (isTypeField(pathOf(a), locals, frames) && b.type === 'Literal' && typeof b.value === 'string') return b.value as string;
  }
  return null;
}

/** `const x = require('m')` / `const { A, B: C } = require('m')` as an import; marks the call as consumed. */
export function requireImport(declarator: AstNode): { source: string; locals: { local: string; imported: string }[] } | null {
  const init = declarator.init;
  if (init?.type !== 'CallExpression' || init.callee?.type !== 'Identifier' || init.callee.name !== 'require' || init.arguments[0]?.type !== 'Literal')
    return null;
  const locals: { local: string; imported: string }[] = [];
  if (declarator.id?.type === 'Identifier') locals.push({ local: declarator.id.name, imported: 'default' });
  for (const p of declarator.id?.type === 'ObjectPattern' ? (declarator.id.properties as AstNode[]) : []) {
    const k = propKey(p);
    if (k && p.value?.type === 'Identifier') locals.push({ local: p.value.name, imported: k });
  }
  init.__req = true;
  return { source: String(init.arguments[0].value), locals };
}
