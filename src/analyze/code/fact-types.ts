// The records the fact walker (facts.ts) produces, and the data tables it is driven by.
import type { ArgInfo, DelayFormula } from './ast.js';
import type { ModuleFacts } from '../model/module-facts.js';
import type { CredentialRead } from './guards.js';
import type { PayloadSite, SiteField } from './payloads.js';
import type { HandlerChecks } from './handler-checks.js';
import type { AccessChecks } from './access-checks.js';
import type { RoleChecks } from './role-checks.js';
import type { OverlappingListener, ResponseFn } from './record-versions.js';

/** Where a call sits: what the walker knew when it met it (see Ctx). */
export interface CallPlace {
  /** Inside a setInterval callback; its line and period. */
  interval: { line: number; ms: number | null } | null;
  inClose: boolean;
  inReconnect: boolean;
  inLoop: boolean;
  /**
   * The collection the innermost loop walks, as a member path (`clients`, `wss.clients`): a
   * for-of's right side or the receiver of `forEach`/`map`. Absent outside loops or when the
   * collection is not a plain path (`[...a, ...b]`, `get()`).
   */
  loopOver?: string;
  /**
   * Between that loop and the call sits an `if` or `?:` whose test reads more than the socket's
   * open state (`readyState`, `OPEN`, `isAlive`) or a comparison with another socket: the loop
   * picks some of the collection's members, not all.
   */
  loopFiltered?: true;
  /**
   * A test between that loop and the call leaves out the socket whose message is being handled:
   * the loop's element compared with it (`c !== ws` around the send, `if (c === ws) continue;`),
   * as written. Other tests in the same condition still set `loopFiltered` when they pick.
   */
  loopSkipsSender?: string;
  /**
   * A test between that loop and the call leaves out the socket a parameter of the named function
   * around it names (`function broadcast(frame, except) { … if (c !== except) c.send(…) }`): that
   * parameter's position and the comparison as written. Callers passing their sender there leave it out.
   */
  loopSkipsParam?: { index: number; how: string; prop?: string };
  /** Inside a try block of the same function (a throw here is caught). */
  inTry: boolean;
  /** Inside a 'message' listener: the frame being handled came from the network. */
  inMessage: boolean;
  /** Namespace of the enclosing Socket.IO connection handler, when known. */
  namespace: string | null;
  /**
   * Line of the route (`app.get('/x', fn)`) or connection handler (`on('connection', fn)`)
   * whose callback this call runs in: it runs once per request or connection.
   */
  handler?: number;
  /** Line of the innermost event listener (`on('x', fn)`, `subscribe('x', fn)`) whose callback this call runs in. */
  listener?: number;
  /** The socket whose 'message' listener this call runs in (`ws` of `ws.on('message', …)`): the sender of the frame handled. */
  sender?: string;
}

export interface CallFact extends CallPlace {
  path: string;
  method: string;
  root: string;
  isNew: boolean;
  args: ArgInfo[];
  line: number;
  /** Calls earlier in the member chain, outermost last: `io.of('/a').to('r').emit` → of, to. */
  chain: { method: string; arg: ArgInfo | null }[];
  /** Arguments of a called callee: `require('socket.io')(server)`. */
  calleeArgs: ArgInfo[] | null;
  /** A statement of its own (`setup();`, `void setup();`): whatever it returns is dropped. */
  floating?: true;
  /** Name of the enclosing function when that function is async. */
  asyncFn?: string;
  /** Name of the innermost enclosing named function (a timer that re-runs it reopens the connection). */
  inFn?: string;
  /** Line where the innermost enclosing function (named or not) starts: calls with the same one run in the same function. */
  fnAt?: number;
  /** Between that function's start and the call sits an if, a loop, `&&`/`||` or `?:`: not every run of the function makes it. */
  branched?: true;
  /** setTimeout only: what its delay expression says about backoff and jitter (delay.ts). */
  delay?: { jitter: boolean; backoff: boolean; formula?: DelayFormula };
}

export interface EffectFact {
  line: number;
  calls: CallFact[];
  /** Paths called (or returned) by the effect's cleanup function; null when it has none. */
  cleanup: string[] | null;
}

export interface FileFacts {
  file: string;
  imports: { source: string; line: number; locals: { local: string; imported: string }[] }[];
  calls: CallFact[];
  /** `const x = <call or new>`: x → callee path (`io()`, `new WebSocket()`). */
  vars: { name: string; init: string; line: number; arg: ArgInfo }[];
  /** `const x = 'a'` or `` const x = `room-${id}` ``: a local holding a string or a template, as written (a channel name passed by variable). */
  texts?: { name: string; line: number; arg: ArgInfo }[];
  assigns: { target: string; line: number; fn: boolean }[];
  /**
   * Member reads (`req.query.userId`). `fnAt`: where the function that takes the path's root as a
   * parameter starts (the handler of `(req, res) => …`, also for a read in a callback inside it), else
   * the innermost enclosing function; none at the top level. Two reads with one `fnAt` and one root
   * read the same value (the same request), where the same variable name alone does not.
   */
  members: { path: string; line: number; fnAt?: number }[];
  /** `payload`: a template's SSE `data:` line, what the value it interpolates carries (payloads.ts). */
  /** `inRecord`: a property of a record being built (an object with a spread, a `??`/`||` default object, an object handed to a store write). */
  strings: { value: string; line: number; key: string | null; payload?: PayloadSite; inRecord?: true }[];
  /** `fields`: what the case body reads from the message (payloads.ts). */
  typeCases: { name: string; line: number; fields?: SiteField[] }[];
  /** Type dispatch on a constant (`case Events.Join:`), folded into typeCases by the model. */
  typeCaseRefs: { ref: string; line: number; fields?: SiteField[] }[];
  effects: EffectFact[];
  /** `x.length > N` (or byteLength, size): the largest size let through, and the function it sits in. */
  sizeChecks?: { path: string; limit: number; line: number; fn: string | null }[];
  /**
   * In a close handler, `if (event.code === 4401) return;` (or `||` of such tests, or
   * `[4401, 4403].includes(event.code)`): the close codes on which the handler stops before it reconnects.
   */
  closeStops?: { codes: number[]; line: number }[];
  /** JSX `disabled={x !== 'ready'}`: disabled unless `ident` equals `value`. */
  disabledUnless?: { ident: string; value: string; line: number }[];
  /**
   * Containers that live as long as the process: module-level ones, and fields of a class the
   * framework makes one of per process (a NestJS provider or gateway: `this.viewers`, with `owner`).
   */
  /** `holdsSockets`: its values are live connections; `holdsCallbacks`: functions registered in this process (held-values.ts). */
  topLevel: { name: string; kind: 'Map' | 'Set' | 'Array' | 'EventEmitter'; line: number; owner?: string; holdsSockets?: boolean; holdsCallbacks?: boolean }[];
  /**
   * Functions a module defines that return the whole of a collection (`const builds = { all: () =>
   * [...all.values()] }` → `builds.all`; `const list = () => Object.values(rooms)` → `list`): the
   * name as called, the collection, and the line.
   */
  wholeFns?: { name: string; collection: string; line: number }[];
  backoff: number[];
  jitter: number[];
  secrets: { kind: string; line: number }[];
  exports: string[];
  /** The line of each name a declaration exports (`export async function POST` → POST at its line). */
  exportLines?: { name: string; line: number }[];
  /**
   * Functions that send a typed envelope for their caller: `_send(type, payload)` whose body
   * sends `{ type, … }` (typeParam), or `broadcast(frame)` that stringifies its parameter (envelopeParam).
   */
  /**
   * Functions that send a frame to every socket of a collection but the one a parameter names
   * (`function broadcast(frame, except)` looping with `if (c !== except)`): `exceptParam` and, where
   * the send passes a parameter on (`c.send(JSON.stringify(frame))`, `c.send(data)`), `frameParam`;
   * `exceptProp` where the parameter is compared with a property of each socket (`c.id !== exceptId`).
   */
  exceptFns?: { name: string; exceptParam: number; exceptProp?: string; frameParam: number | null; how: string; line: number }[];
  /** Lines that dispatch on a message's type through a registry (`listeners.get(msg.type)`, `handlers[msg.type]`). */
  dynamicDispatch: number[];
  /** Handler maps indexed by a message's name (`handlers[msg.event]`); the model folds their keys into typeCases. */
  dispatchMaps: { name: string; line: number }[];
  /**
   * `dataKey`/`dataParam`: the envelope puts that parameter under that key (`{ type, payload }` →
   * `payload`, the parameter after the type), so what a call passes there is the key's value.
   */
  wrappers: { name: string; typeParam?: number; envelopeParam?: number; dataKey?: string; dataParam?: number; line: number; handle?: true; linked?: true }[];
  /**
   * `const { emit, subscribe } = useSocket()`: names picked from what a bare call returns; the
   * model follows the callee to its module (model/links.ts). `handle` wrappers above are
   * `subscribe(event, fn)` registries, only believed through such a link.
   */
  picks?: { callee: string; keys: { key: string; local: string }[]; line: number }[];
  /**
   * `<textarea onChange={(e) => { … }} />`: an inline handler of an input event that fires per
   * keystroke (onChange, onInput, onKeyDown, onKeyUp, onKeyPress): its attribute and the lines of
   * the function, so a call in it (its `fnAt` is `line`) runs on every key pressed. `ref`: the
   * handler is a function named by reference (`onKeyDown={sendTyping}`), at the attribute's line.
   */
  /** Every named function (a declaration, or a function or arrow assigned to a name) and the line it starts at. */
  namedFns?: { name: string; line: number }[];
  inputHandlers?: { attr: string; line: number; endLine?: number; ref?: string }[];
  /** `const { body, mentions = [] } = req.body`: the keys a request body is destructured into (root: `req`), for the route whose handler takes it. */
  bodyPicks?: { root: string; keys: string[]; line: number }[];
  /**
   * `if (!req.cookies.sid) return …`: guards that only test a credential is present (guards.ts).
   * `fn`: the innermost named function; `registration`: line of the route, `use`, `upgrade` or
   * connection registration whose callback holds it; `verified`: that function makes a call that
   * may check the value.
   */
  presenceGuards?: { line: number; read: CredentialRead; fn: string | null; registration?: number; verified: boolean }[];
  /**
   * `if (!conn) return;`: a function that returns when a local is missing, before anything else
   * runs (the consequent is only a return). `fn`: the innermost named function.
   */
  absentReturns?: { name: string; line: number; fn: string | null }[];
  /**
   * Every write to a variable or a member (`a = b`, `player.score += n`, `count++`), with its
   * operator and the named function around it: what a handler changes, and nothing else.
   */
  writes?: { target: string; line: number; op: string; fn: string | null; listener?: number }[];
  /** What a connection's handlers check before they act (handler-checks.ts). */
  checks?: HandlerChecks;
  /** Who a credential-minting route lets reach which channel, and delivery filters (access-checks.ts). */
  access?: AccessChecks;
  /** What a handler checks of the connection itself before it acts: roles, permissions, entitlements (role-checks.ts). */
  roles?: RoleChecks;
  /** Functions that return the JSON body of an HTTP response, with the numeric fields its type names (record-versions.ts). */
  responseFns?: ResponseFn[];
  /** `x.on('message', async …)` listeners that await: one connection's messages overlap from the first await (record-versions.ts). */
  overlappingListeners?: OverlappingListener[];
  /**
   * Functions whose first parameter is a name, at their first line (`name` null when anonymous):
   * where a call's receiver is that parameter (a Fastify plugin's `fastify.get(…)`), the model
   * follows who calls or registers the function. `isDefault`: the module's default export
   * (`export default`, `module.exports =`); `wrappedBy`: the call it is exported through
   * (`export default fp(async (fastify) => …)`).
   */
  fnHeads?: { name: string | null; params: string[]; line: number; isDefault?: true; wrappedBy?: string }[];
  /**
   * Every function by its first line, with the function it is written in (`parent`, its first line;
   * none at the top level), its name, and the method of the call it is passed to (`via`:
   * `then` for `p.then((res) => …)`, `get` for a route handler): who encloses a read.
   */
  fnTree?: { line: number; parent?: number; name: string | null; via?: string }[];
  /** What the module offers others (constants, re-exports, classes); set by parseFile. */
  module?: ModuleFacts;
  /** `this.<field> = new X(…)` (each branch of a conditional): what a class's field holds. */
  fieldInits?: { field: string; init: string; line: number }[];
  /** Listeners that authenticate by the first message (first-message-auth.ts). */
  firstMessageAuth?: { line: number; event: string }[];
  /** GraphQL root-type resolvers of a resolver map, and whether each reads its context (graphql-resolvers.ts). */
  /** A subscription callback that refetches a whole query on every result (refetch-on-event.ts). */
  refetchOnEvent?: { line: number; subscription: string | null; query: string | null; queryLine: number }[];
  resolvers?: { type: 'Query' | 'Mutation' | 'Subscription'; field: string; line: number; readsContext: boolean }[];
  /** Names of `BROWSER_GLOBALS` the file binds itself (`const document = docs.get(id)`, a `(window) =>` parameter): there they are locals. */
  boundGlobals?: string[];
}

/**
 * Globals only a browser page has. `navigator` is left out: Node 21+ defines a global
 * `navigator` (`navigator.hardwareConcurrency`), so reading it says nothing about the side.
 */
export const BROWSER_GLOBALS: ReadonlySet<string> = new Set(['window', 'document', 'localStorage', 'sessionStorage']);

/** Where the walker is: inside a timer, a close handler, a React effect… */
export interface Ctx extends CallPlace {
  effect: EffectFact | null;
  /** Set only while entering the effect's own callback, whose return value is the cleanup. */
  effectRoot: EffectFact | null;
  cleanupOf: EffectFact | null;
  depth: number;
  /** Line of the route, `use`, `upgrade` or connection registration whose callback this is. */
  registration?: number;
  /** The innermost loop's element, where it is one name (`c` of `clients.forEach((c) => …)`, `for (const c of clients)`). */
  loopVar?: string;
}

export const SKIP_KEYS = new Set(['type', 'start', 'end', 'range', 'loc', 'typeAnnotation', 'decorators', 'returnType', 'typeParameters', 'typeArguments']);
/** Functions with these names run reconnection logic: their backoff and jitter count. */
export const RECONNECT_NAME = /reconnect|retry|backoff/i;
export const STATE_CTORS: Record<string, 'Map' | 'Set' | 'EventEmitter'> = { Map: 'Map', Set: 'Set', EventEmitter: 'EventEmitter', WeakMap: 'Map' };

const LOOP_METHODS = new Set(['forEach', 'map', 'filter', 'some', 'every']);
const CLOSE_EVENTS = new Set(['close', 'disconnect']);
const LISTEN = new Set(['on', 'once', 'addEventListener']);

/** Calls whose function arguments run in a context the detectors care about; first match wins. */
export const CALLBACK_CONTEXTS: readonly {
  context: 'interval' | 'close' | 'loop' | 'effect' | 'connection' | 'message';
  applies: (path: string, method: string, firstLiteral: string | null, firstIsFunction: boolean) => boolean;
}[] = [
  { context: 'interval', applies: (path) => path === 'setInterval' || path === 'window.setInterval' },
  { context: 'close', applies: (_p, method, first) => LISTEN.has(method) && first !== null && CLOSE_EVENTS.has(first) },
  { context: 'loop', applies: (_p, method) => LOOP_METHODS.has(method) },
  { context: 'effect', applies: (path, _m, _f, firstIsFunction) => firstIsFunction && ['useEffect', 'React.useEffect', 'useLayoutEffect'].includes(path) },
  { context: 'connection', applies: (_p, method, first) => method === 'on' && first === 'connection' },
  { context: 'message', applies: (_p, method, first) => LISTEN.has(method) && first === 'message' },
];
