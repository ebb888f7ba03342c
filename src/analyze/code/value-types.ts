// The type of a JavaScript expression, when the code fixes it. Calls are typed from tables of
// functions and methods whose result type never varies (`Date.now()`, `.toISOString()`);
// anything else, including every plain variable, is 'unknown'.
import { type AstNode, lastSegment, pathOf, unwrap } from './ast.js';
import type { PayloadSite } from './payloads.js';

export interface ScopeEntry {
  /** Type of a `const`'s value; 'unknown' for parameters and `let`/`var` bindings. */
  type: string;
  /** Fields of a `const x = { … }`, so `emit('e', x)` can be read like the literal. */
  site: PayloadSite | null;
}

/** Looks a name up in the enclosing function scopes, innermost first. */
export type Scope = (name: string) => ScopeEntry | undefined;

/** Callee paths whose result type is fixed. */
const CALL_TYPES: Record<string, string> = {
  'Date.now': 'number',
  'performance.now': 'number',
  Number: 'number',
  parseInt: 'number',
  parseFloat: 'number',
  'Number.parseInt': 'number',
  'Number.parseFloat': 'number',
  'Math.round': 'number',
  'Math.floor': 'number',
  'Math.ceil': 'number',
  'Math.random': 'number',
  'Math.min': 'number',
  'Math.max': 'number',
  'Math.abs': 'number',
  'Math.trunc': 'number',
  String: 'string',
  'JSON.stringify': 'string',
  'crypto.randomUUID': 'string',
  randomUUID: 'string',
  nanoid: 'string',
  Boolean: 'boolean',
  'Array.isArray': 'boolean',
  'Number.isFinite': 'boolean',
  'Number.isInteger': 'boolean',
};

/** Methods whose result type does not depend on the receiver's type (strings, arrays, dates, sets). */
const METHOD_TYPES: Record<string, string> = {
  toISOString: 'string',
  toString: 'string',
  toFixed: 'string',
  toLowerCase: 'string',
  toUpperCase: 'string',
  trim: 'string',
  toUTCString: 'string',
  join: 'string',
  padStart: 'string',
  padEnd: 'string',
  getTime: 'number',
  indexOf: 'number',
  findIndex: 'number',
  charCodeAt: 'number',
  includes: 'boolean',
  has: 'boolean',
  startsWith: 'boolean',
  endsWith: 'boolean',
  some: 'boolean',
  every: 'boolean',
};

const NUMBER_OPS = new Set(['-', '*', '/', '%', '**', '|', '&', '^', '<<', '>>', '>>>']);
const BOOLEAN_OPS = new Set(['===', '!==', '==', '!=', '<', '>', '<=', '>=', 'instanceof', 'in']);

function same(a: string, b: string): string {
  return a === b ? a : 'unknown';
}

export function valueType(node: AstNode, scope: Scope, depth = 0): string {
  const n = unwrap(node);
  if (!n || depth > 6) return 'unknown';
  const next = (x: AstNode): string => valueType(x, scope, depth + 1);
  switch (n.type) {
    case 'Literal':
      return typeof n.value === 'string' ? 'string' : typeof n.value === 'number' ? 'number' : typeof n.value === 'boolean' ? 'boolean' : 'unknown';
    case 'TemplateLiteral':
      return 'string';
    case 'Identifier':
      return scope(n.name)?.type ?? 'unknown';
    case 'ObjectExpression':
      return 'Record<string, unknown>';
    case 'ArrayExpression': {
      const items = (n.elements as AstNode[]).map((e) => (e === null || e.type === 'SpreadElement' ? 'unknown' : next(e)));
      const t = items.length > 0 ? items.reduce(same) : 'unknown';
      return t === 'string' || t === 'number' || t === 'boolean' ? `${t}[]` : 'unknown[]';
    }
    case 'MemberExpression':
      return !n.computed && n.property?.name === 'length' ? 'number' : 'unknown';
    case 'CallExpression': {
      const path = pathOf(n.callee);
      if (path === null) return 'unknown';
      const fixed = CALL_TYPES[path];
      if (fixed) return fixed;
      const callee = unwrap(n.callee);
      return callee?.type === 'MemberExpression' && !callee.computed ? (METHOD_TYPES[lastSegment(path)] ?? 'unknown') : 'unknown';
    }
    case 'UnaryExpression':
      return n.operator === '!'
        ? 'boolean'
        : n.operator === 'typeof'
          ? 'string'
          : n.operator === '-' || n.operator === '+' || n.operator === '~'
            ? 'number'
            : 'unknown';
    case 'BinaryExpression': {
      if (BOOLEAN_OPS.has(n.operator)) return 'boolean';
      if (NUMBER_OPS.has(n.operator)) return 'number';
      if (n.operator !== '+') return 'unknown';
      const [l, r] = [next(n.left), next(n.right)];
      if (l === 'string' || r === 'string') return 'string';
      return l === 'number' && r === 'number' ? 'number' : 'unknown';
    }
    case 'LogicalExpression':
      return same(next(n.left), next(n.right));
    case 'ConditionalExpression':
      return same(next(n.consequent), next(n.alternate));
    default:
      return 'unknown';
  }
}
