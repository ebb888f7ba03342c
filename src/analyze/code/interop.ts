// Module interop as compilers emit it, rewritten in place to the import it stands for, before any
// fact is read: every detector then sees `import io from 'socket.io'; io(server)` whether the file
// was written so or compiled by Babel, tsc, SWC or esbuild into CommonJS.
//
//   Babel  `var _socket = _interopRequireDefault(require("socket.io")); (0, _socket["default"])(server)`
//   tsc    `const socket_io_1 = __importDefault(require("socket.io")); (0, socket_io_1.default)(server)`
//   named  `(0, _ws.WebSocketServer)(…)`, `new _ws.default.Server(…)`, `new (require("ws").Server)(…)`
//
// The helpers wrap a CommonJS module so that its `.default` is `module.exports` (babeljs.io/docs/babel-plugin-transform-modules-commonjs,
// typescriptlang.org/tsconfig#esModuleInterop): `X.default` of a local bound to one (or bound
// to `require()` itself, read as a compiled default import) is the local's default import. `(0, f)(…)`
// is how both call an imported function without a `this`: the call of `f`.
import { type AstNode, walkNodes } from './ast.js';

/** Babel's, tsc's (also through tslib), SWC's and esbuild's interop helpers. */
const HELPER = /^(_interopRequireDefault|_interopRequireWildcard|__importDefault|__importStar|_interop_require_default|_interop_require_wildcard|__toESM)\d*$/;

function calleeName(n: AstNode): string | null {
  const c = n?.type === 'ParenthesizedExpression' ? n.expression : n;
  if (c?.type === 'Identifier') return c.name as string;
  if (c?.type === 'MemberExpression' && !c.computed && c.property?.type === 'Identifier') return c.property.name as string;
  return null;
}

function isRequire(n: AstNode): boolean {
  return (
    n?.type === 'CallExpression' &&
    n.callee?.type === 'Identifier' &&
    n.callee.name === 'require' &&
    n.arguments?.[0]?.type === 'Literal' &&
    typeof n.arguments[0].value === 'string'
  );
}

/** `helper(require('m'))` → the `require('m')` call; a bare `require('m')` is itself. */
function requireIn(n: AstNode): AstNode | null {
  const x = n?.type === 'ParenthesizedExpression' ? n.expression : n;
  if (isRequire(x)) return x;
  if (x?.type === 'CallExpression' && HELPER.test(calleeName(x.callee) ?? '') && isRequire(x.arguments?.[0])) return x.arguments[0];
  return null;
}

function isDefaultKey(m: AstNode): boolean {
  return m.computed ? m.property?.type === 'Literal' && m.property.value === 'default' : m.property?.name === 'default';
}

/**
 * Rewrite `program` in place: a declarator bound to an interop helper's result is bound to the
 * `require()` inside it, `local.default` (of a local bound to `require()`) becomes `local`,
 * `helper(require('m')).default` and `require('m').default` become `require('m')`, and a callee
 * `(0, f)` becomes `f`. Nothing else changes; spans stay those of the original text.
 */
export function normalizeInterop(program: AstNode): void {
  const locals = new Set<string>();
  walkNodes(program, (n) => {
    if (n.type !== 'VariableDeclarator' || n.id?.type !== 'Identifier') return;
    const req = requireIn(n.init);
    if (!req) return;
    n.init = req;
    locals.add(n.id.name as string);
  });
  const stripped = (m: AstNode): AstNode | null => {
    if (m?.type !== 'MemberExpression' || !isDefaultKey(m)) return null;
    const o = m.object;
    if (o?.type === 'Identifier' && locals.has(o.name as string)) return o;
    return requireIn(o);
  };
  walkNodes(program, (n) => {
    for (const key of ['object', 'callee', 'init', 'right', 'argument', 'expression'] as const) {
      const child = n[key];
      if (!child || typeof child !== 'object') continue;
      const inner = child.type === 'ParenthesizedExpression' ? child.expression : child;
      if ((key === 'callee' || key === 'object') && inner?.type === 'SequenceExpression') {
        const xs = inner.expressions as AstNode[];
        if (xs.length === 2 && xs[0]?.type === 'Literal' && xs[0].value === 0) n[key] = stripped(xs[1]) ?? xs[1];
        continue;
      }
      const s = stripped(child);
      if (s) n[key] = s;
    }
    if (Array.isArray(n.arguments)) n.arguments = (n.arguments as AstNode[]).map((a) => stripped(a) ?? a);
  });
  // `new (require('ws').Server)(…)`: a member read straight off `require()` reads a local bound to it,
  // declared first, so that the member's root names the module like any import does.
  const declared = new Map<string, string>();
  const hoisted: AstNode[] = [];
  walkNodes(program, (n) => {
    if (n.type !== 'MemberExpression') return;
    const o = n.object?.type === 'ParenthesizedExpression' ? n.object.expression : n.object;
    if (!isRequire(o)) return;
    const source = o.arguments[0].value as string;
    let name = declared.get(source);
    if (!name) {
      name = `require_${source.replace(/[^A-Za-z0-9_$]/g, '_')}`;
      declared.set(source, name);
      const id = { type: 'Identifier', name, start: o.start, end: o.end };
      hoisted.push({
        type: 'VariableDeclaration',
        kind: 'var',
        start: o.start,
        end: o.end,
        declarations: [{ type: 'VariableDeclarator', id, init: o, start: o.start, end: o.end }],
      });
    }
    n.object = { type: 'Identifier', name, start: o.start, end: o.end };
  });
  if (hoisted.length > 0 && Array.isArray(program.body)) program.body = [...hoisted, ...(program.body as AstNode[])];
  thisAliases(program);
}

/** Babel's and tsc's capture of `this` for an arrow function they compile: `var _this = this`, `_this2`. */
const THIS_ALIAS = /^_this\d*$/;
/** Keys under which an identifier is a name, not a read of the variable: `x.name`, `{ name: … }`, a declared name. */
const NAME_KEYS = new Set(['id', 'key', 'property', 'label', 'params']);

/** `_this.io.to(room).emit(…)` after `var _this = this` reads `this.io`: the alias is rewritten to `this`. */
function thisAliases(program: AstNode): void {
  const aliases = new Set<string>();
  walkNodes(program, (n) => {
    if (n.type === 'VariableDeclarator' && n.id?.type === 'Identifier' && THIS_ALIAS.test(n.id.name) && n.init?.type === 'ThisExpression')
      aliases.add(n.id.name as string);
  });
  if (aliases.size === 0) return;
  walkNodes(program, (n) => {
    for (const key in n) {
      if (NAME_KEYS.has(key) && !(key === 'property' && n.computed)) continue;
      const v = n[key];
      if (v?.type === 'Identifier' && aliases.has(v.name)) n[key] = { type: 'ThisExpression', start: v.start, end: v.end };
      else if (Array.isArray(v))
        for (let i = 0; i < v.length; i++)
          if (v[i]?.type === 'Identifier' && aliases.has(v[i].name)) v[i] = { type: 'ThisExpression', start: v[i].start, end: v[i].end };
    }
  });
}
