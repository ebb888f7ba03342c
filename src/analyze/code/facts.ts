// One pass over a parsed file that records the facts every detector needs: imports, calls with
// summarised arguments and the context they run in (timer, close handler, React effect…), type
// dispatch cases, member paths and string literals. Detectors then work on these plain records.
import {
  type ArgInfo,
  type AstNode,
  LineIndex,
  unwrap as unwrapNode,
  counterDelay,
  lastSegment,
  memberChain,
  numericValue,
  pathOf,
  propKey,
  requireImport,
  returnedExpression,
  rootSegment,
  summarize,
  typeComparison,
  typeComparisonRef,
  typeSwitchCases,
  typeSwitchRefs,
  wholeOf,
} from './ast.js';
import { delayShape } from './delay.js';
import {
  absentLocal,
  type CredentialRead,
  credentialRead,
  inert,
  onlySkips,
  onlyReturns,
  picksRecipients,
  presenceTest,
  rejects,
  senderSkip,
  CONNECTION_ID,
} from './guards.js';
import {
  BROWSER_GLOBALS,
  CALLBACK_CONTEXTS,
  type CallFact,
  type Ctx,
  type EffectFact,
  type FileFacts,
  RECONNECT_NAME,
  SKIP_KEYS,
  STATE_CTORS,
} from './fact-types.js';
import { PayloadScopes } from './payload-scope.js';
import { overlappingListeners, responseFns } from './record-versions.js';
import { argSite, dataSite, readFields, switchCaseFields, typeDecls, typeTestMessage } from './payloads.js';
import { findSecrets } from './secrets.js';
import { handlerChecks } from './handler-checks.js';
import { heldByType, heldByUse } from './held-values.js';
import { accessChecks } from './access-checks.js';
import { roleChecks } from './role-checks.js';
import { markSecret } from '../../shared/redact.js';

/** No named constants: a delay read with these is a literal number. */
const NO_CONSTS: ReadonlyMap<string, number> = new Map();

export type { CallFact, EffectFact, FileFacts } from './fact-types.js';

/** Calls whose arguments may carry an event payload: their arguments get a `payload` site. */
/** Store writes whose object argument is a record (`orders.set(id, { … })`, `db.order.create({ … })`). */
const RECORD_WRITE = /^(?:set|save|insert\w*|create|createMany|update\w*|upsert|put|add|push|hset|insertOne|insertMany|replaceOne)$/;
const PAYLOAD_CALLS = new Set(['on', 'once', 'emit', 'emitWithAck', 'sendJson', 'sendJSON', 'sendJsonMessage', 'sendJSONMessage']);

/** `subscribe(event, fn)`: a listener registry keyed by the event name (believed only through a link). */
const LISTEN_FN = /^(subscribe|on|listen|addListener|onEvent|onMessage)$/;
const EVENT_PARAM = /^(event|eventName|type|name|evt|topic)$/;

/** Facts of a file that says nothing: the start of every collection, and what a skipped file has. */

/** JSX attributes whose handler runs on every key pressed in an input. */
const KEYSTROKE_ATTR = /^on(?:Change|Input|KeyDown|KeyUp|KeyPress)$/;
export function emptyFacts(file: string): FileFacts {
  return {
    file,
    imports: [],
    calls: [],
    vars: [],
    texts: [],
    assigns: [],
    members: [],
    strings: [],
    typeCases: [],
    typeCaseRefs: [],
    effects: [],
    topLevel: [],
    backoff: [],
    jitter: [],
    secrets: [],
    exports: [],
    wrappers: [],
    dynamicDispatch: [],
    dispatchMaps: [],
    picks: [],
    bodyPicks: [],
    inputHandlers: [],
    namedFns: [],
    presenceGuards: [],
    absentReturns: [],
    writes: [],
    fnHeads: [],
    fnTree: [],
  };
}

/** `JSON.parse(raw)` (cast, awaited or not), or a name already bound to one: a message parsed from the wire. */
function parsedMessage(init: AstNode, parsed: ReadonlySet<string>): boolean {
  const u = unwrapNode(init);
  if (u?.type === 'Identifier') return parsed.has(u.name as string);
  return u?.type === 'CallExpression' && pathOf(u.callee) === 'JSON.parse';
}

export function collectFacts(file: string, program: AstNode, lines: LineIndex): FileFacts {
  const facts = emptyFacts(file);
  const consts = new Map<string, number>();
  /** `const x = <init>` by name, last one seen: a timer's delay is read through them (delay.ts). */
  const inits = new Map<string, AstNode>();
  const nsVars = new Map<string, string>();
  const line = (n: AstNode): number => lines.line(n.start);
  const decls = typeDecls(program);
  /** Locals bound to a credential read (`const sid = req.cookies.sid`), for presence guards. */
  const credentials = new Map<string, CredentialRead>();
  /** Names bound to a parsed message (`const msg = JSON.parse(raw)`), and locals bound from its `type` or `event` key. */
  const parsedLocals = new Set<string>();
  const eventLocals = new Set<string>();
  const scopes = new PayloadScopes(lines, decls);

  // A callback runs later, outside the try that encloses its creation; synchronous array
  // callbacks (the 'loop' context) are the exception and keep it.
  function fnCtx(ctx: Ctx, patch: Partial<Ctx>): Ctx {
    return { ...ctx, inTry: false, ...patch, depth: ctx.depth + 1 };
  }

  function handleCall(n: AstNode, ctx: Ctx, isNew: boolean): void {
    const path = pathOf(n.callee);
    const args = n.arguments as AstNode[];
    if (path === null) {
      for (const a of args) visit(a, ctx);
      visit(n.callee, ctx);
      return;
    }
    const method = lastSegment(path);
    const chain = memberChain(n.callee, lines, consts);
    const calleeNode = n.callee?.type === 'ChainExpression' ? n.callee.expression : n.callee;
    const call: CallFact = {
      chain,
      calleeArgs: calleeNode?.type === 'CallExpression' ? (calleeNode.arguments as AstNode[]).map((a) => summarize(a, lines, consts, 1)) : null,
      path,
      method,
      root: rootSegment(path),
      isNew,
      args: args.map((a) => {
        const info = summarize(a, lines, consts);
        // Any call may send data (a provider's `publish`, `track`, `publishData`, an app's own
        // `broadcast(room, type, data)`): a sent object's keys are read wherever one is passed.
        const site =
          PAYLOAD_CALLS.has(method) || LISTEN_FN.test(method) || path === 'JSON.stringify'
            ? argSite(a, lines, scopes.lookup, decls)
            : dataSite(a, lines, scopes.lookup);
        if (site) info.payload = site;
        return info;
      }),
      // A chained call (`x\n  .channel('a')\n  .on('b')`) is cited at its own method's line.
      line: calleeNode?.type === 'MemberExpression' && !isNew ? line(calleeNode.property) : line(n),
      interval: ctx.interval,
      inClose: ctx.inClose,
      inReconnect: ctx.inReconnect,
      inLoop: ctx.inLoop,
      ...(ctx.inLoop && ctx.loopOver !== undefined ? { loopOver: ctx.loopOver } : {}),
      ...(ctx.inLoop && ctx.loopFiltered ? { loopFiltered: true as const } : {}),
      ...(ctx.inLoop && ctx.loopSkipsSender ? { loopSkipsSender: ctx.loopSkipsSender } : {}),
      ...(ctx.inLoop && ctx.loopSkipsParam ? { loopSkipsParam: ctx.loopSkipsParam } : {}),
      inTry: ctx.inTry,
      inMessage: ctx.inMessage,
      namespace: ctx.namespace,
      ...(ctx.handler !== undefined ? { handler: ctx.handler } : {}),
      ...(ctx.listener !== undefined ? { listener: ctx.listener } : {}),
      ...(ctx.sender !== undefined ? { sender: ctx.sender } : {}),
    };
    // Unhandled promise tracking (rules/adapter-wiring.ts): a statement call drops its result.
    if (n.__floating) call.floating = true;
    const encl = fnStack[fnStack.length - 1];
    if (encl?.async && encl.name) call.asyncFn = encl.name;
    const named = [...fnStack].reverse().find((f) => f.name)?.name;
    if (named) call.inFn = named;
    if (encl) {
      call.fnAt = encl.line;
      if (encl.cond > 0) call.branched = true;
    }
    if ((path === 'setTimeout' || path === 'window.setTimeout') && args[1]) {
      call.delay = delayShape(args[1], inits);
      // `setTimeout(open, delay)` with `const delay = Math.min(cap, base * 2 ** attempt++) * …` just above.
      const d = unwrapNode(args[1]);
      const expr = d?.type === 'Identifier' ? (inits.get(d.name as string) ?? null) : d;
      const formula = expr ? counterDelay(expr, lines, consts) : null;
      if (formula) call.delay.formula = formula;
      // `setTimeout(connect, 2000)`: a delay written as a number is the same before every attempt, no
      // backoff and no jitter. Only literals: a variable may be changed between attempts.
      const fixed = !formula && d ? numericValue(d, NO_CONSTS) : undefined;
      if (fixed !== undefined && fixed > 0 && Number.isFinite(fixed))
        call.delay.formula = {
          base: { kind: 'number', num: fixed, line: line(d) } satisfies ArgInfo,
          factor: 1,
          cap: null,
          capAt: 'before-jitter',
          jitter: { kind: 'none' },
        };
    }
    facts.calls.push(call);
    if (ctx.inLoop && ctx.loopSkipsParam && method === 'send') recordExceptFn(args[0], ctx.loopSkipsParam, call.line);
    const frame = fnStack[fnStack.length - 1];
    if (frame && !frame.mayVerify && !inert(path)) frame.mayVerify = true;
    if (/^(get|call|dispatch|emit)$/.test(method) && args.some((a) => /\.type$/.test(pathOf(a) ?? ''))) facts.dynamicDispatch.push(call.line);
    if ((path === 'JSON.stringify' || /^send(Json|JSON)(Message)?$/.test(method)) && args[0]) recordWrapper(args[0], call.line);
    ctx.effect?.calls.push(call);
    ctx.cleanupOf?.cleanup?.push(path);
    if (ctx.inReconnect || ctx.inClose) {
      if (path === 'Math.pow') facts.backoff.push(call.line);
      if (path === 'Math.random') facts.jitter.push(call.line);
    }
    if (!isNew && path === 'require' && !n.__req && args[0]?.type === 'Literal' && typeof args[0].value === 'string') {
      facts.imports.push({ source: args[0].value, line: call.line, locals: [] });
    }
    visit(n.callee, ctx);
    const first = args[0];
    const fnArgs = args.filter((a) => a.type === 'ArrowFunctionExpression' || a.type === 'FunctionExpression');
    let inner: Ctx = ctx;
    const firstLiteral = first?.type === 'Literal' ? String(first.value) : null;
    const rule = isNew ? undefined : CALLBACK_CONTEXTS.find((r) => r.applies(path, method, firstLiteral, fnArgs[0] === first));
    if (rule?.context === 'interval') {
      inner = fnCtx(ctx, { interval: { line: call.line, ms: args[1] ? (numericValue(args[1], consts) ?? null) : null } });
    } else if (rule?.context === 'close') {
      inner = fnCtx(ctx, { inClose: true });
    } else if (rule?.context === 'loop') {
      const over = calleeNode?.type === 'MemberExpression' ? pathOf(calleeNode.object) : null;
      const el = fnArgs[0]?.params?.[0];
      inner = fnCtx(ctx, {
        inLoop: true,
        inTry: ctx.inTry,
        loopOver: over ?? undefined,
        loopFiltered: undefined,
        loopSkipsSender: undefined,
        loopSkipsParam: undefined,
        loopVar: el?.type === 'Identifier' ? (el.name as string) : undefined,
      });
    } else if (rule?.context === 'message') {
      // `ws.on('message', …)`: the frame came from `ws`, the receiver of the listener.
      const recv = calleeNode?.type === 'MemberExpression' ? pathOf(calleeNode.object) : null;
      inner = fnCtx(ctx, { inMessage: true, sender: recv ?? undefined });
      // Its parameter is the frame received (`socket.on('message', (msg) => …)`): `msg.event` names the message.
      const frame = fnArgs.find((a) => a.params)?.params?.[0];
      if (frame?.type === 'Identifier') parsedLocals.add(frame.name as string);
    } else if (rule?.context === 'effect') {
      const effect: EffectFact = { line: call.line, calls: [], cleanup: null };
      facts.effects.push(effect);
      inner = fnCtx(ctx, { effectRoot: effect, cleanupOf: null });
    } else if (rule?.context === 'connection') {
      const recv = path.slice(0, -'.on'.length);
      const ns = nsVars.get(recv) ?? (/\.of\(\)$/.test(recv) ? findOfArg(n.callee.object) : null);
      inner = fnCtx(ctx, { namespace: ns ?? ctx.namespace });
    }
    // Route and connection callbacks run once per request or connection.
    const perRequest = (/^(get|post|all)$/.test(method) && firstLiteral?.startsWith('/') === true) || (method === 'on' && firstLiteral === 'connection');
    if (perRequest) inner = { ...inner, handler: call.line };
    // Where a request guard can sit: a route, `use` middleware, an upgrade or connection listener.
    const registers =
      (!isNew && /^(get|post|put|patch|delete|all|use|route|addHook)$/.test(method) && path.includes('.')) ||
      (method === 'on' && /^(upgrade|connection|request)$/.test(firstLiteral ?? ''));
    if (registers) inner = { ...inner, registration: call.line };
    // An event listener's callback: what it does with the event (rules/model-rules.ts).
    if (!isNew && (LISTEN_FN.test(method) || /^(once|addEventListener|bind)$/.test(method)) && fnArgs.length > 0 && first && first !== fnArgs[0])
      inner = { ...inner, listener: call.line };
    // An event handler's payload parameter, sent on unchanged, echoes that event (payload-scope.ts).
    if (!isNew && (method === 'on' || method === 'once') && first?.type !== 'ArrowFunctionExpression' && first?.type !== 'FunctionExpression')
      for (const f of fnArgs) f.__handlerLine ??= call.line;
    for (const f of fnArgs) f.__via ??= method;
    for (const a of args) visit(a, fnArgs.includes(a) ? inner : ctx);
  }

  /**
   * Outside a message listener, a loop test that leaves out the socket a parameter of the named
   * function around the loop names (`function broadcast(frame, except)` … `c !== except`).
   */
  function paramSkip(test: AstNode, ctx: Ctx, skips: boolean): { skip: { index: number; how: string; prop?: string }; rest: AstNode[] } | null {
    if (!ctx.loopVar || ctx.sender !== undefined || ctx.loopSkipsParam) return null;
    const fn = [...fnStack].reverse().find((f) => f.name);
    for (const [index, p] of (fn?.params ?? []).entries()) {
      if (!p || p === ctx.loopVar) continue;
      // `c !== except`, `c.id !== except.id`; or `c.id !== exceptId`, where the caller passes its sender's `id`.
      const hit = senderSkip(test, ctx.loopVar, p, skips, true);
      // Only a connection's own id names one socket: `c.room !== room` leaves out a whole group.
      if (hit?.prop && !CONNECTION_ID.test(hit.prop)) continue;
      if (hit) return { skip: { index, how: hit.how, ...(hit.prop ? { prop: hit.prop } : {}) }, rest: hit.rest };
    }
    return null;
  }

  /** A send under such a test: the function is a broadcast that leaves one socket out; which parameter it sends, where it shows. */
  function recordExceptFn(sent: AstNode | undefined, skip: { index: number; how: string; prop?: string }, at: number): void {
    const fn = [...fnStack].reverse().find((f) => f.name);
    if (!fn?.name || (facts.exceptFns ?? []).some((x) => x.name === fn.name)) return;
    // `c.send(frame)`, `c.send(JSON.stringify(frame))`, or `c.send(out)` after `const out = JSON.stringify(frame)`.
    let a = unwrapNode(sent);
    if (a?.type === 'Identifier' && !fn.params.includes(a.name as string)) a = unwrapNode(inits.get(a.name as string));
    if (a?.type === 'CallExpression' && pathOf(a.callee) === 'JSON.stringify') a = unwrapNode(a.arguments?.[0]);
    const frame = a?.type === 'Identifier' ? fn.params.indexOf(a.name as string) : -1;
    (facts.exceptFns ??= []).push({
      name: fn.name,
      exceptParam: skip.index,
      ...(skip.prop ? { exceptProp: skip.prop } : {}),
      frameParam: frame >= 0 ? frame : null,
      how: skip.how,
      line: at,
    });
  }

  function findOfArg(node: AstNode): string | null {
    const a = node?.arguments?.[0];
    return a?.type === 'Literal' && typeof a.value === 'string' ? a.value : null;
  }

  /** `mayVerify`: the function (or a callback in it) makes a call that may check a credential (guards.ts). */
  /** `line`: where the function starts; `cond`: the branches (an if, a loop, `&&`, `?:`) open between it and the node being visited. */
  const fnStack: { name: string | null; params: string[]; async: boolean; mayVerify: boolean; guards: { verified: boolean }[]; line: number; cond: number }[] =
    [];

  /** The innermost function that takes `name` as a parameter, else the innermost function. */
  function binderOf(name: string): (typeof fnStack)[number] | undefined {
    for (let i = fnStack.length - 1; i >= 0; i--) if (fnStack[i]!.params.includes(name)) return fnStack[i];
    return fnStack[fnStack.length - 1];
  }

  function recordWrite(target: string, op: string, at: number, ctx: Ctx): void {
    const fn = [...fnStack].reverse().find((f) => f.name)?.name ?? null;
    facts.writes?.push({ target, line: at, op, fn, ...(ctx.listener !== undefined ? { listener: ctx.listener } : {}) });
  }

  /** Names the file binds itself (declarations, parameters, imports): a browser global among them is a local. */
  const bound = new Set<string>();
  function bind(p: AstNode | null | undefined): void {
    if (!p || typeof p !== 'object') return;
    if (p.type === 'Identifier') bound.add(p.name as string);
    else if (p.type === 'ObjectPattern') for (const q of p.properties as AstNode[]) bind(q.type === 'RestElement' ? q.argument : q.value);
    else if (p.type === 'ArrayPattern') for (const q of p.elements as AstNode[]) bind(q);
    else if (p.type === 'RestElement') bind(p.argument);
    else if (p.type === 'AssignmentPattern') bind(p.left);
    else if (p.type === 'TSParameterProperty') bind(p.parameter);
  }

  function visitFunction(n: AstNode, ctx: Ctx, name: string | null): void {
    bind(n.id);
    for (const p of (n.params ?? []) as AstNode[]) bind(p);
    scopes.enterFunction(n, n.__handlerLine as number | undefined);
    const fn = {
      line: line(n),
      cond: 0,
      mayVerify: false,
      guards: [] as { verified: boolean }[],
      async: n.async === true,
      name: name ?? n.__name ?? null,
      params: (n.params as AstNode[]).map((p) =>
        p.type === 'Identifier'
          ? (p.name as string)
          : p.type === 'TSParameterProperty' && p.parameter?.type === 'Identifier'
            ? (p.parameter.name as string)
            : '',
      ),
    };
    const parentFn = fnStack[fnStack.length - 1];
    facts.fnTree?.push({
      line: fn.line,
      ...(parentFn ? { parent: parentFn.line } : {}),
      name: fn.name,
      ...(typeof n.__via === 'string' ? { via: n.__via } : {}),
    });
    fnStack.push(fn);
    if (fn.name) facts.namedFns?.push({ name: fn.name, line: fn.line });
    if (fn.params[0])
      facts.fnHeads?.push({
        name: fn.name,
        params: fn.params,
        line: fn.line,
        ...(n.__default ? { isDefault: true as const } : {}),
        ...(n.__wrappedBy ? { wrappedBy: n.__wrappedBy as string } : {}),
      });
    // `function startHeartbeat(wss, intervalMs = 25_000)`: inside the body the parameter reads as its
    // default, so a timer's delay named by it is the project's interval (a caller passing another
    // value is not followed here). Restored on exit: the name means nothing outside the function.
    const shadowed = new Map<string, number | undefined>();
    for (const p of n.params as AstNode[]) {
      if (p.type !== 'AssignmentPattern' || p.left?.type !== 'Identifier') continue;
      const num = numericValue(p.right, consts);
      if (num === undefined) continue;
      shadowed.set(p.left.name as string, consts.get(p.left.name as string));
      consts.set(p.left.name as string, num);
    }
    if (fn.name && LISTEN_FN.test(fn.name) && fn.params.length >= 2 && EVENT_PARAM.test(fn.params[0] ?? ''))
      facts.wrappers.push({ name: fn.name, typeParam: 0, line: line(n), handle: true });
    try {
      visitFunctionBody(n, ctx, name);
    } finally {
      for (const [k, v] of shadowed) {
        if (v === undefined) consts.delete(k);
        else consts.set(k, v);
      }
      fnStack.pop();
      scopes.exitFunction();
      for (const g of fn.guards) g.verified = fn.mayVerify;
      const parent = fnStack[fnStack.length - 1];
      if (parent && fn.mayVerify) parent.mayVerify = true;
    }
  }

  /** Names exported as the default (`export default routes`, `module.exports = routes`), marked on their heads after the walk. */
  const defaultNames = new Set<string>();
  /** The module's default export: a function, one passed through a wrapper call (`fp(async (fastify) => …)`, `fp(routes)`), or a name. */
  function markDefault(d: AstNode): void {
    const x = unwrapNode(d);
    if (!x) return;
    if (x.type === 'FunctionDeclaration' || x.type === 'FunctionExpression' || x.type === 'ArrowFunctionExpression') x.__default = true;
    else if (x.type === 'Identifier') defaultNames.add(x.name as string);
    else if (x.type === 'CallExpression' && x.arguments.length >= 1) {
      const by = pathOf(x.callee);
      const inner = unwrapNode(x.arguments[0]);
      if (!by) return;
      if (inner?.type === 'FunctionExpression' || inner?.type === 'ArrowFunctionExpression') {
        inner.__default = true;
        inner.__wrappedBy = by;
      } else if (inner?.type === 'Identifier') defaultNames.add(`${inner.name as string}\u0000${by}`);
    }
  }

  /** The enclosing named function sends an envelope built from its own parameters. */
  function recordWrapper(first: AstNode, at: number): void {
    const fn = fnStack[fnStack.length - 1];
    const a = unwrapNode(first);
    if (!fn?.name || !a) return;
    if (a.type === 'Identifier' && fn.params.includes(a.name))
      fn.name && facts.wrappers.push({ name: fn.name, envelopeParam: fn.params.indexOf(a.name), line: at });
    if (a.type !== 'ObjectExpression') return;
    const props = a.properties as AstNode[];
    // `{ type, … }`, or the `{ event, data }` envelope.
    const typeProp =
      props.find((p) => p.type === 'Property' && propKey(p) === 'type') ??
      (props.some((p) => p.type === 'Property' && propKey(p) === 'data') ? props.find((p) => p.type === 'Property' && propKey(p) === 'event') : undefined);
    const v = unwrapNode(typeProp?.value);
    if (v?.type !== 'Identifier' || !fn.params.includes(v.name)) return;
    // `{ type, payload }`: the other parameter the envelope holds, under its key.
    const data = props.find(
      (p) => p !== typeProp && p.type === 'Property' && unwrapNode(p.value)?.type === 'Identifier' && fn.params.includes(unwrapNode(p.value).name),
    );
    const dataKey = data ? propKey(data) : null;
    facts.wrappers.push({
      name: fn.name,
      typeParam: fn.params.indexOf(v.name),
      ...(data && dataKey ? { dataKey, dataParam: fn.params.indexOf(unwrapNode(data.value).name) } : {}),
      line: at,
    });
  }

  function visitFunctionBody(n: AstNode, ctx: Ctx, name: string | null): void {
    let inner = ctx;
    if (name && RECONNECT_NAME.test(name)) inner = { ...inner, inReconnect: true };
    if (/^on-?close$/i.test(name ?? '')) inner = { ...inner, inClose: true };
    if (ctx.effectRoot) {
      const effect = ctx.effectRoot;
      const base: Ctx = { ...inner, effectRoot: null, effect };
      const stmts: AstNode[] = n.body?.type === 'BlockStatement' ? n.body.body : [];
      for (const s of stmts) {
        if (s.type !== 'ReturnStatement' || !s.argument) continue;
        const r = s.argument;
        effect.cleanup = effect.cleanup ?? [];
        if (r.type === 'ArrowFunctionExpression' || r.type === 'FunctionExpression') {
          visit(r.body, { ...base, effect: null, cleanupOf: effect });
        } else {
          const p = pathOf(r);
          if (p) effect.cleanup.push(p.endsWith('()') ? p : `${p}()`);
        }
        s.__done = true;
      }
      visit(n.body, base);
      return;
    }
    visitChildren(n.params, inner);
    visit(n.body, inner);
  }

  function visitChildren(nodes: AstNode[] | undefined, ctx: Ctx): void {
    if (nodes) for (const c of nodes) visit(c, ctx);
  }

  /** A node whose parts run only sometimes: a call inside it is not made on every run of its function. */
  const BRANCHING = new Set([
    'IfStatement',
    'ConditionalExpression',
    'LogicalExpression',
    'SwitchCase',
    'CatchClause',
    'ForStatement',
    'ForOfStatement',
    'ForInStatement',
    'WhileStatement',
    'DoWhileStatement',
  ]);

  function visit(n: AstNode, ctx: Ctx): void {
    const frame = n && typeof n === 'object' && BRANCHING.has(n.type) ? fnStack[fnStack.length - 1] : undefined;
    if (!frame) return visitNode(n, ctx);
    frame.cond++;
    try {
      visitNode(n, ctx);
    } finally {
      frame.cond--;
    }
  }

  function visitNode(n: AstNode, ctx: Ctx): void {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const c of n) visit(c, ctx);
      return;
    }
    if (typeof n.type !== 'string' || n.__done) return;
    if (n.type === 'VariableDeclarator' || n.type === 'ClassDeclaration') bind(n.id);
    else if (n.type === 'CatchClause') bind(n.param);
    switch (n.type) {
      case 'ImportDeclaration': {
        for (const s of n.specifiers as AstNode[]) bind(s.local);
        const locals = (n.specifiers as AstNode[]).map((s) => ({
          local: s.local.name as string,
          imported:
            s.type === 'ImportDefaultSpecifier' ? 'default' : s.type === 'ImportNamespaceSpecifier' ? '*' : ((s.imported.name ?? s.imported.value) as string),
        }));
        facts.imports.push({ source: n.source.value, line: line(n), locals });
        return;
      }
      case 'ImportExpression':
        if (n.source?.type === 'Literal') facts.imports.push({ source: String(n.source.value), line: line(n), locals: [] });
        return;
      case 'ExportDefaultDeclaration':
        markDefault(n.declaration);
        break;
      case 'ExportNamedDeclaration': {
        const d = n.declaration;
        const named = [
          ...(d?.id?.name ? [d.id.name as string] : []),
          ...((d?.declarations ?? []) as AstNode[]).flatMap((x) => (x.id?.name ? [x.id.name as string] : [])),
        ];
        for (const name of named) {
          facts.exports.push(name);
          (facts.exportLines ??= []).push({ name, line: line(n) });
        }
        break;
      }
      case 'CallExpression': {
        // `orders.set(id, { … })`, `db.insert({ … })`: the object literal is a record written to a store.
        const method =
          n.callee?.type === 'MemberExpression' && !n.callee.computed && n.callee.property?.type === 'Identifier' ? (n.callee.property.name as string) : null;
        if (method && RECORD_WRITE.test(method))
          for (const a of n.arguments as AstNode[]) if (unwrapNode(a)?.type === 'ObjectExpression') unwrapNode(a).__record = true;
        handleCall(n, ctx, false);
        return;
      }
      case 'NewExpression':
        handleCall(n, ctx, true);
        return;
      case 'VariableDeclarator': {
        const name: string | null = n.id?.type === 'Identifier' ? n.id.name : null;
        const init = n.init;
        const req = requireImport(n);
        if (req) facts.imports.push({ ...req, line: line(init) });
        // `const { type, payload } = JSON.parse(raw)`, `const { event: name } = msg` after `const msg = JSON.parse(raw)`:
        // the local holds the message's name, so a switch or comparison on it dispatches on the message.
        const parsed = parsedMessage(init, parsedLocals);
        if (parsed && name) parsedLocals.add(name);
        if (parsed && n.id?.type === 'ObjectPattern')
          for (const p of n.id.properties as AstNode[]) {
            const k = p.type === 'Property' ? propKey(p) : null;
            if ((k === 'type' || k === 'event') && p.value?.type === 'Identifier') eventLocals.add(p.value.name as string);
          }
        // `const { body, mentions = [] } = req.body`: the fields a route reads of the request body.
        if (
          n.id?.type === 'ObjectPattern' &&
          init?.type === 'MemberExpression' &&
          !init.computed &&
          init.property?.name === 'body' &&
          init.object?.type === 'Identifier'
        ) {
          const keys = (n.id.properties as AstNode[]).flatMap((p) => {
            const k = p.type === 'Property' ? propKey(p) : null;
            return k ? [k] : [];
          });
          if (keys.length > 0) facts.bodyPicks?.push({ root: init.object.name as string, keys, line: line(n) });
        }
        if (!req && n.id?.type === 'ObjectPattern' && init?.type === 'CallExpression' && init.callee?.type === 'Identifier') {
          const keys = (n.id.properties as AstNode[]).flatMap((p) => {
            const k = p.type === 'Property' ? propKey(p) : null;
            return k && p.value?.type === 'Identifier' ? [{ key: k, local: p.value.name as string }] : [];
          });
          if (keys.length > 0) facts.picks?.push({ callee: init.callee.name as string, keys, line: line(n) });
        }
        // `const [room] = useState(() => new Room())`, `const room = useMemo(() => new Room(), [])`: the local holds what the factory makes.
        const held = heldValue(n.id, init);
        if (held) facts.vars.push({ name: held.name, init: held.init, line: line(n), arg: summarize(held.node, lines, consts) });
        if (name && init) {
          inits.set(name, init);
          const read = credentialRead(init, credentials);
          if (read) credentials.set(name, read);
          const text = unwrapNode(init);
          if ((text?.type === 'Literal' && typeof text.value === 'string') || text?.type === 'TemplateLiteral')
            facts.texts?.push({ name, line: line(n), arg: summarize(text, lines, consts) });
          if (init.type === 'Literal' && typeof init.value === 'string') {
            facts.strings.push({ value: init.value, line: line(init), key: name });
            recordSecret(init.value, line(init), name);
            return;
          }
          // A backtick string without expressions is a string like any other: its name counts.
          if (init.type === 'TemplateLiteral' && init.expressions.length === 0) init.__key = name;
          const num = numericValue(init, consts);
          if (num !== undefined) consts.set(name, num);
          // `pusher.subscribe(name) as PresenceChannel` is the call it casts.
          const cast = init.type === 'TSAsExpression' || init.type === 'TSSatisfiesExpression' || init.type === 'TSNonNullExpression' ? unwrapNode(init) : init;
          const initPath =
            cast.type === 'CallExpression' || cast.type === 'NewExpression' || cast.type === 'AwaitExpression'
              ? pathOf(cast.type === 'AwaitExpression' ? cast.argument : cast)
              : null;
          if (initPath) facts.vars.push({ name, init: initPath, line: line(n), arg: summarize(cast, lines, consts) });
          wholeFns(name, cast, line(n));
          // `const send = useCallback((type, payload) => …)`: the callback is named by its variable.
          if (init.type === 'CallExpression' && /^(React\.)?use(Callback|Memo)\(\)$/.test(initPath ?? '') && init.arguments[0]) init.arguments[0].__name = name;
          // `export const requireUser = createMiddleware(async (c, next) => …)` (hono/factory).
          if (init.type === 'CallExpression' && initPath === 'createMiddleware()' && init.arguments[0]) init.arguments[0].__name = name;
          if (initPath && /\.of\(\)$/.test(initPath)) {
            const ns = findOfArg(init);
            if (ns) nsVars.set(name, ns);
          }
          if (ctx.depth === 0) recordTopLevel(name, init, n.id?.typeAnnotation);
          if (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression') {
            // Its body is a function's scope: `const badMarkers = []` in `const fix = () => { … }` is a local.
            visitFunction(init, { ...ctx, depth: ctx.depth + 1 }, name);
            return;
          }
        }
        break;
      }
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        visitFunction(n, { ...ctx, depth: ctx.depth + 1 }, n.id?.name ?? null);
        return;
      case 'ExpressionStatement': {
        // `setup();` or `void setup();`: the call's promise, if any, is dropped.
        const e = n.expression?.type === 'UnaryExpression' && n.expression.operator === 'void' ? n.expression.argument : n.expression;
        if (e?.type === 'CallExpression') e.__floating = true;
        break;
      }
      case 'ClassDeclaration':
        if (ctx.depth === 0 && singletonClass(n)) recordFields(n);
        break;
      case 'ObjectExpression': {
        // A socket behaviour object ({ open, message, close }: uWebSockets.js `app.ws(pattern,
        // behavior)`, Bun's `websocket` handler): its `message` function runs once per inbound
        // frame, later, as a 'message' listener does; a try around the object does not cover it.
        const fns = new Map<string, AstNode>();
        for (const p of n.properties as AstNode[]) {
          const k = p.type === 'Property' ? propKey(p) : null;
          if (k && (p.value?.type === 'FunctionExpression' || p.value?.type === 'ArrowFunctionExpression')) fns.set(k, p);
        }
        const message = fns.get('message');
        if (message && ['open', 'close', 'drain', 'upgrade'].some((k) => fns.has(k))) message.__socketMessage = true;
        // A record being built: spread from another (`{ ...order, shopId: 'main' }`), a default (`?? { … }`), or written to a store.
        if (n.__record || (n.properties as AstNode[]).some((p) => p.type === 'SpreadElement'))
          for (const p of n.properties as AstNode[]) if (p.type === 'Property') p.__inRecord = true;
        break;
      }
      case 'MethodDefinition':
      case 'Property': {
        const key = propKey(n);
        const v = n.value;
        if (v && (v.type === 'FunctionExpression' || v.type === 'ArrowFunctionExpression')) {
          const first = v.params?.[0];
          const sender = first?.type === 'Identifier' ? (first.name as string) : undefined;
          visitFunction(v, n.__socketMessage ? fnCtx(ctx, { inMessage: true, sender }) : { ...ctx, depth: ctx.depth + 1 }, key);
          return;
        }
        if (v?.type === 'Literal' && typeof v.value === 'string') {
          facts.strings.push({ value: v.value, line: line(v), key, ...(n.__inRecord ? { inRecord: true as const } : {}) });
          recordSecret(v.value, line(v), key);
          visit(n.key, ctx);
          return;
        }
        if (v?.type === 'TemplateLiteral' && v.expressions.length === 0) v.__key = key;
        break;
      }
      case 'AssignmentExpression': {
        const target = pathOf(n.left);
        const r = n.right;
        const fn = r?.type === 'ArrowFunctionExpression' || r?.type === 'FunctionExpression';
        // `message = JSON.parse(ab2str(message))`: the name holds the parsed frame from here on, as a declaration would.
        if (n.operator === '=' && n.left?.type === 'Identifier' && r && parsedMessage(r, parsedLocals)) parsedLocals.add(n.left.name as string);
        if ((ctx.inReconnect || ctx.inClose) && (n.operator === '*=' || n.operator === '<<=')) facts.backoff.push(line(n));
        if (target === 'module.exports') markDefault(r);
        if (target) {
          facts.assigns.push({ target, line: line(n), fn });
          recordWrite(target, n.operator, line(n), ctx);
          // `this.pubClient = cluster ? new Redis.Cluster(…) : new Redis(…)`: what a class's field holds, per branch.
          const field = /^this\.(\w+)$/.exec(target)?.[1];
          const made = field ? (unwrapNode(r)?.type === 'ConditionalExpression' ? [unwrapNode(r).consequent, unwrapNode(r).alternate] : [r]) : [];
          for (const x of made) {
            const init = unwrapNode(x)?.type === 'NewExpression' ? pathOf(unwrapNode(x)) : null;
            if (field && init) (facts.fieldInits ??= []).push({ field, init, line: line(n) });
          }
          // `source = new EventSource(url)` on a `let` declared earlier (a reconnect opens a new one).
          if (!target.includes('.') && r?.type === 'NewExpression' && pathOf(r) === 'new EventSource()')
            facts.vars.push({ name: target, init: 'new EventSource()', line: line(n), arg: summarize(r, lines, consts) });
          scopes.assigned(target);
          if (fn) {
            const prop = lastSegment(target);
            visitFunction(r, { ...ctx, depth: ctx.depth + 1, inClose: ctx.inClose || prop === 'onclose' }, prop);
            visit(n.left, ctx);
            return;
          }
        }
        break;
      }
      case 'UpdateExpression': {
        const target = pathOf(n.argument);
        if (target) recordWrite(target, n.operator, line(n), ctx);
        break;
      }
      case 'MemberExpression': {
        // `sessions[sid]`: a lookup keyed by the credential may verify it (guards.ts).
        if (n.computed && credentialRead(n.property, credentials)) {
          const frame = fnStack[fnStack.length - 1];
          if (frame) frame.mayVerify = true;
        }
        if (n.computed && /\.(type|event)$/.test(pathOf(n.property) ?? '')) {
          facts.dynamicDispatch.push(line(n));
          const map = n.object?.type === 'Identifier' ? (n.object.name as string) : null;
          if (map) facts.dispatchMaps.push({ name: map, line: line(n) });
        }
        const p = pathOf(n);
        if (p) {
          const fnAt = binderOf(p.split('.')[0]!)?.line;
          facts.members.push({ path: p, line: line(n), ...(fnAt !== undefined ? { fnAt } : {}) });
        }
        break;
      }
      case 'Literal':
        if (typeof n.value === 'string') {
          facts.strings.push({ value: n.value, line: line(n), key: null });
          recordSecret(n.value, line(n), null);
        }
        return;
      case 'TemplateLiteral': {
        const value = (n.quasis as AstNode[]).map((q) => q.value.cooked ?? q.value.raw).join('${}');
        const key = (n.__key as string | undefined) ?? null;
        // An SSE frame written in one template (`event: x\ndata: ${JSON.stringify(n)}`): what its data line carries.
        const at = (n.quasis as AstNode[]).findIndex((q, i) => i < n.expressions.length && /(?:^|\n)data: ?$/.test(q.value.cooked ?? q.value.raw));
        const data = at >= 0 ? dataSite(n.expressions[at], lines, scopes.lookup) : null;
        facts.strings.push({ value, line: line(n), key, ...(data ? { payload: data } : {}) });
        if (n.expressions.length === 0) recordSecret(value, line(n), key);
        break;
      }
      case 'VariableDeclaration':
        scopes.declare(n);
        break;
      case 'SwitchStatement': {
        const cases = typeSwitchCases(n, eventLocals, parsedLocals);
        const refs = typeSwitchRefs(n, eventLocals, parsedLocals);
        const fields = cases.length + refs.length > 0 ? switchCaseFields(n, lines) : null;
        for (const c of cases) {
          const read = fields?.get(c.node);
          facts.typeCases.push(read && read.length > 0 ? { name: c.name, line: line(c.node), fields: read } : { name: c.name, line: line(c.node) });
        }
        for (const c of refs) {
          const read = fields?.get(c.node);
          facts.typeCaseRefs.push(read && read.length > 0 ? { ref: c.ref, line: line(c.node), fields: read } : { ref: c.ref, line: line(c.node) });
        }
        break;
      }
      case 'IfStatement': {
        const t = typeTestMessage(n.test);
        if (t) t.node.__fields = readFields(n.consequent, t.msg, lines);
        const frame = fnStack[fnStack.length - 1];
        const read = frame ? presenceTest(n.test, credentials) : null;
        if (frame && read && rejects(n.consequent)) {
          // Judged by the registered callback it sits in, else by the named function around it
          // (what their own callbacks call counts too).
          const owner = ctx.registration !== undefined ? frame : ([...fnStack].reverse().find((f) => f.name) ?? frame);
          const guard = { line: line(n), read, fn: owner.name, ...(ctx.registration !== undefined ? { registration: ctx.registration } : {}), verified: false };
          facts.presenceGuards?.push(guard);
          owner.guards.push(guard);
        }
        if (ctx.inClose && onlyReturns(n.consequent) && !n.alternate) {
          const codes = closeCodesIn(n.test);
          if (codes) (facts.closeStops ??= []).push({ codes, line: line(n) });
        }
        const absent = frame ? absentLocal(n.test) : null;
        if (absent && onlyReturns(n.consequent) && !n.alternate)
          facts.absentReturns?.push({ name: absent, line: line(n), fn: [...fnStack].reverse().find((f) => f.name)?.name ?? null });
        if (ctx.inLoop && !ctx.loopFiltered) {
          // `if (c === ws) continue;`, `if (c !== ws && c.readyState === OPEN)`: leaving out the
          // sender is told apart from picking recipients; the other terms may still pick.
          const skipsTurn = onlySkips(n.consequent) && !n.alternate;
          const sender = ctx.loopVar && ctx.sender && !ctx.loopSkipsSender ? senderSkip(n.test, ctx.loopVar, ctx.sender, skipsTurn) : null;
          const param = sender ? null : paramSkip(n.test, ctx, skipsTurn);
          const rest = sender?.rest ?? param?.rest;
          const picks = rest ? rest.some(picksRecipients) : picksRecipients(n.test);
          // `if (!subs.has(c)) continue;` picks for the rest of the loop's turn: the body's
          // context is shared by its statements, so marking it marks those after this one.
          if (skipsTurn) {
            if (picks) ctx.loopFiltered = true;
            if (sender) ctx.loopSkipsSender = sender.how;
            if (param) ctx.loopSkipsParam = param.skip;
          } else if (picks || sender || param) {
            const picked: Ctx = {
              ...ctx,
              ...(picks ? { loopFiltered: true as const } : {}),
              ...(sender ? { loopSkipsSender: sender.how } : {}),
              ...(param ? { loopSkipsParam: param.skip } : {}),
            };
            visit(n.test, ctx);
            visit(n.consequent, picked);
            // The other branch runs for the sender alone, or for the members the test did not pick.
            visit(n.alternate, { ...ctx, loopFiltered: true });
            return;
          }
        }
        break;
      }
      case 'ConditionalExpression':
      case 'LogicalExpression': {
        if ((n.operator === '??' || n.operator === '||') && unwrapNode(n.right)?.type === 'ObjectExpression') unwrapNode(n.right).__record = true;
        // `c.room === room && c.send(x)`, `subs.has(c) ? c.send(x) : null`: the send runs for some members only.
        const test = n.type === 'ConditionalExpression' ? n.test : n.left;
        if (ctx.inLoop && !ctx.loopFiltered && (n.type === 'ConditionalExpression' || n.operator === '&&')) {
          const sender = ctx.loopVar && ctx.sender && !ctx.loopSkipsSender ? senderSkip(test, ctx.loopVar, ctx.sender, false) : null;
          const param = sender ? null : paramSkip(test, ctx, false);
          const rest = sender?.rest ?? param?.rest;
          const picks = rest ? rest.some(picksRecipients) : picksRecipients(test);
          if (picks || sender || param) {
            const picked: Ctx = {
              ...ctx,
              ...(picks ? { loopFiltered: true as const } : {}),
              ...(sender ? { loopSkipsSender: sender.how } : {}),
              ...(param ? { loopSkipsParam: param.skip } : {}),
            };
            visit(test, ctx);
            if (n.type === 'ConditionalExpression') {
              visit(n.consequent, picked);
              visit(n.alternate, { ...ctx, loopFiltered: true });
            } else visit(n.right, picked);
            return;
          }
        }
        break;
      }
      case 'JSXAttribute': {
        // `disabled={status !== 'ready'}`: the element is disabled in every state but one (rules read which states that locks).
        const v = n.value?.type === 'JSXExpressionContainer' ? unwrapNode(n.value.expression) : null;
        // `onChange={(e) => { …; sendTyping(me); }}`: what the handler calls runs on every key pressed.
        if (typeof n.name?.name === 'string' && KEYSTROKE_ATTR.test(n.name.name) && (v?.type === 'ArrowFunctionExpression' || v?.type === 'FunctionExpression'))
          facts.inputHandlers?.push({ attr: n.name.name as string, line: line(v), endLine: lines.line(Math.max(v.start, v.end - 1)) });
        else if (typeof n.name?.name === 'string' && KEYSTROKE_ATTR.test(n.name.name) && v?.type === 'Identifier')
          facts.inputHandlers?.push({ attr: n.name.name as string, line: line(n), ref: v.name as string });
        if (n.name?.name === 'disabled' && v?.type === 'BinaryExpression' && (v.operator === '!==' || v.operator === '!=')) {
          const [id, lit] = v.left?.type === 'Identifier' ? [v.left, v.right] : [v.right, v.left];
          if (id?.type === 'Identifier' && lit?.type === 'Literal' && typeof lit.value === 'string')
            (facts.disabledUnless ??= []).push({ ident: id.name as string, value: lit.value, line: line(n) });
        }
        break;
      }
      case 'BinaryExpression': {
        // `raw.length > 4096`: a size check, kept with the function it sits in (a message handler's is a payload cap).
        if (
          (n.operator === '>' || n.operator === '>=') &&
          n.left?.type === 'MemberExpression' &&
          n.right?.type === 'Literal' &&
          typeof n.right.value === 'number'
        ) {
          const prop = n.left.property?.name;
          const path = pathOf(n.left);
          if ((prop === 'length' || prop === 'byteLength' || prop === 'size') && path && n.right.value >= 256)
            (facts.sizeChecks ??= []).push({
              path,
              limit: n.right.value + (n.operator === '>' ? 0 : -1),
              line: line(n),
              fn: [...fnStack].reverse().find((f) => f.name)?.name ?? null,
            });
        }
        const t = typeComparison(n, eventLocals, parsedLocals);
        if (t !== null) facts.typeCases.push(n.__fields?.length > 0 ? { name: t, line: line(n), fields: n.__fields } : { name: t, line: line(n) });
        const ref = t === null ? typeComparisonRef(n, eventLocals, parsedLocals) : null;
        if (ref !== null) facts.typeCaseRefs.push(n.__fields?.length > 0 ? { ref, line: line(n), fields: n.__fields } : { ref, line: line(n) });
        if ((ctx.inReconnect || ctx.inClose) && (n.operator === '**' || n.operator === '<<' || (n.operator === '*' && (isTwo(n.left) || isTwo(n.right)))))
          facts.backoff.push(line(n));
        break;
      }
      case 'TryStatement':
        visit(n.block, { ...ctx, inTry: true });
        visit(n.handler, ctx);
        visit(n.finalizer, ctx);
        return;
      case 'ForStatement':
      case 'ForOfStatement':
      case 'ForInStatement':
      case 'WhileStatement': {
        // `for (const ws of clients)`: the body walks `clients`; any other loop walks nothing named.
        const over = n.type === 'ForOfStatement' ? (pathOf(n.right) ?? undefined) : undefined;
        const decl = n.type === 'ForOfStatement' ? (n.left?.type === 'VariableDeclaration' ? n.left.declarations?.[0]?.id : n.left) : null;
        const loopVar = decl?.type === 'Identifier' ? (decl.name as string) : undefined;
        const body: Ctx = { ...ctx, inLoop: true, loopOver: over, loopFiltered: undefined, loopSkipsSender: undefined, loopSkipsParam: undefined, loopVar };
        for (const key of Object.keys(n)) if (!SKIP_KEYS.has(key)) visit(n[key], key === 'body' ? body : ctx);
        return;
      }
      default:
        break;
    }
    for (const key in n) {
      if (SKIP_KEYS.has(key)) continue;
      const v = n[key];
      if (v && typeof v === 'object') visit(v, ctx);
    }
  }

  /**
   * A class the framework instantiates once per process: a NestJS provider, gateway, controller
   * or resolver in the default scope (`scope: Scope.REQUEST` or `TRANSIENT` makes one per request).
   */
  function singletonClass(cls: AstNode): boolean {
    return ((cls.decorators ?? []) as AstNode[]).some((d) => {
      const e = d.expression;
      const name = e?.type === 'CallExpression' ? pathOf(e.callee) : pathOf(e);
      if (!name || !/^(Injectable|WebSocketGateway|Controller|Resolver)$/.test(name)) return false;
      const opts = e?.type === 'CallExpression' ? (e.arguments as AstNode[]).find((a) => a.type === 'ObjectExpression') : undefined;
      return !(opts?.properties ?? []).some((p: AstNode) => propKey(p) === 'scope');
    });
  }

  function isTwo(node: AstNode): boolean {
    return node?.type === 'Literal' && (node.value === 2 || node.value === 1.5);
  }

  /** `private readonly viewers = new Map()` in a singleton class: process state under `this.viewers`. */
  function recordFields(cls: AstNode): void {
    for (const m of (cls.body?.body ?? []) as AstNode[]) {
      if (m.type !== 'PropertyDefinition' || m.computed || !m.value) continue;
      const key = propKey(m);
      if (!key) continue;
      const before = facts.topLevel.length;
      recordTopLevel(`this.${key}`, m.value, m.typeAnnotation);
      for (const t of facts.topLevel.slice(before)) t.owner = cls.id?.name ?? 'class';
    }
  }

  /** `declared`: the variable's or field's own type annotation (`const listeners: (() => void)[] = []`). */
  function recordTopLevel(name: string, init: AstNode, declared?: AstNode): void {
    const held = (typeArgs?: AstNode) => {
      const h = heldByType(typeArgs, decls) ?? heldByType(declared, decls);
      return h === 'sockets' ? { holdsSockets: true } : h === 'callbacks' ? { holdsCallbacks: true } : {};
    };
    if (init.type === 'ArrayExpression' && init.elements.length === 0) facts.topLevel.push({ name, kind: 'Array', line: line(init), ...held() });
    if (init.type === 'NewExpression') {
      const ctor = pathOf(init.callee);
      const kind = ctor ? STATE_CTORS[lastSegment(ctor)] : undefined;
      if (kind) facts.topLevel.push({ name, kind, line: line(init), ...held(init.typeArguments) });
    }
  }

  /** A variable holding a function that returns a whole collection, or an object literal with such methods (FileFacts.wholeFns). */
  function wholeFns(name: string, init: AstNode, at: number): void {
    const isFn = (x: AstNode | null | undefined): boolean => x?.type === 'ArrowFunctionExpression' || x?.type === 'FunctionExpression';
    const fnWhole = (x: AstNode): string | null => (isFn(x) ? wholeOf(returnedExpression(x)) : null);
    const own = fnWhole(init);
    if (own) (facts.wholeFns ??= []).push({ name, collection: own, line: at });
    if (init.type !== 'ObjectExpression') return;
    for (const p of init.properties as AstNode[]) {
      const key = p.type === 'Property' ? propKey(p) : null;
      const coll = key ? fnWhole(p.value) : null;
      if (key && coll) (facts.wholeFns ??= []).push({ name: `${name}.${key}`, collection: coll, line: line(p) });
    }
  }

  function recordSecret(value: string, at: number, key: string | null): void {
    for (const kind of findSecrets(value, key)) {
      facts.secrets.push({ kind, line: at });
      markSecret(value);
    }
  }

  visit(program, {
    interval: null,
    inClose: false,
    inReconnect: false,
    inLoop: false,
    inTry: false,
    inMessage: false,
    effect: null,
    effectRoot: null,
    cleanupOf: null,
    namespace: null,
    depth: 0,
  });
  // Collections with no type that says what they hold: read it from how the code uses their values.
  const untyped = facts.topLevel.filter((t) => !t.holdsSockets && !t.holdsCallbacks && t.kind !== 'EventEmitter');
  const used = heldByUse(
    program,
    untyped.map((t) => t.name),
  );
  for (const t of untyped) {
    const h = used.get(t.name);
    if (h === 'sockets') t.holdsSockets = true;
    if (h === 'callbacks') t.holdsCallbacks = true;
  }
  for (const h of facts.fnHeads ?? []) {
    if (h.name === null) continue;
    if (defaultNames.has(h.name)) h.isDefault = true;
    const wrapped = [...defaultNames].find((d) => d.startsWith(`${h.name}\u0000`));
    if (wrapped) Object.assign(h, { isDefault: true, wrappedBy: wrapped.slice(h.name.length + 1) });
  }
  const locals = [...bound].filter((b) => BROWSER_GLOBALS.has(b));
  if (locals.length > 0) facts.boundGlobals = locals;
  facts.checks = handlerChecks(program, lines);
  facts.access = accessChecks(program, lines);
  facts.roles = roleChecks(program, lines);
  const answers = responseFns(program, lines, decls);
  if (answers.length > 0) facts.responseFns = answers;
  // Its walk looks only at `.on('message', async …)` registrations: a file whose calls have none is not walked again.
  if (facts.calls.some((c) => (c.method === 'on' || c.method === 'addListener') && c.args[0]?.kind === 'string' && c.args[0].str === 'message')) {
    const overlapping = overlappingListeners(program, lines);
    if (overlapping.length > 0) facts.overlappingListeners = overlapping;
  }
  return facts;
}

/** A React state or memo that holds one value a factory makes: the local and the factory's call or `new`. */
function heldValue(id: AstNode | null | undefined, init: AstNode | null | undefined): { name: string; init: string; node: AstNode } | null {
  if (init?.type !== 'CallExpression' || !/^(?:React\.)?use(?:State|Memo)$/.test(pathOf(init.callee) ?? '')) return null;
  const name =
    id?.type === 'Identifier'
      ? (id.name as string)
      : id?.type === 'ArrayPattern' && id.elements?.[0]?.type === 'Identifier'
        ? (id.elements[0].name as string)
        : null;
  const arg = init.arguments?.[0];
  const made = arg?.type === 'ArrowFunctionExpression' && arg.expression ? arg.body : arg;
  if (!name || (made?.type !== 'NewExpression' && made?.type !== 'CallExpression')) return null;
  const path = pathOf(made);
  return path ? { name, init: path, node: made } : null;
}

/**
 * The close codes a test matches when every term is a close code compared with `.code`
 * (`e.code === 4401`, `4401 == event.code`, `[4401, 4403].includes(e.code)`), joined by `||`;
 * null for any other test (a `&&`, a range, a code read from elsewhere).
 */
function closeCodesIn(t: AstNode): number[] | null {
  if (!t) return null;
  if (t.type === 'ParenthesizedExpression') return closeCodesIn(t.expression);
  if (t.type === 'LogicalExpression' && t.operator === '||') {
    const a = closeCodesIn(t.left);
    const b = closeCodesIn(t.right);
    return a && b ? [...a, ...b] : null;
  }
  const isCode = (x: AstNode) => x?.type === 'MemberExpression' && !x.computed && x.property?.name === 'code';
  const num = (x: AstNode) => (x?.type === 'Literal' && typeof x.value === 'number' && x.value >= 1000 && x.value <= 4999 ? (x.value as number) : null);
  if (t.type === 'BinaryExpression' && (t.operator === '===' || t.operator === '==')) {
    const c = isCode(t.left) ? num(t.right) : isCode(t.right) ? num(t.left) : null;
    return c === null ? null : [c];
  }
  if (
    t.type === 'CallExpression' &&
    t.callee?.type === 'MemberExpression' &&
    t.callee.property?.name === 'includes' &&
    t.callee.object?.type === 'ArrayExpression' &&
    t.arguments?.length === 1 &&
    isCode(t.arguments[0])
  ) {
    const codes = (t.callee.object.elements ?? []).map(num);
    return codes.length > 0 && codes.every((c: number | null) => c !== null) ? (codes as number[]) : null;
  }
  return null;
}
