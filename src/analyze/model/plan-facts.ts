// Facts of the project model that a plan names in Current state, each at the line that shows
// it: state kept in one process's memory on the real-time path, state keyed by a connection's
// id, a token read from the upgrade URL, client options defined in another module, a client
// opened per request, a provider's auth route, and the hook a chat UI streams through.
// Only what the code shows is said; each note is true of this project whatever its plan.
import type { Evidence, ModelFact, ReconnectDelay, WorkspacePackage } from '../../types.js';
import type { ArgInfo, DelayFormula } from '../code/ast.js';
import type { FileFacts } from '../code/facts.js';
import type { CallFact } from '../code/fact-types.js';
import type { FileAnalysis } from '../code/scan.js';
import { VERIFY_CALL } from '../code/signals.js';
import { entryOptions } from '../code/entrypoints.js';
import { firstString, moduleOf } from '../code/file-context.js';
import { STREAM_RESPONSE } from './adapters/ai-sdk.js';
import type { ModuleModel } from './index.js';
import { audioIo } from './audio-io.js';
import { voiceTools } from './voice-tools.js';
import { channelAccess } from './channel-access.js';
import { redisWrites } from './redis-store.js';
import { senderExcluded } from './sender-excluded.js';
import { wholeCollectionSends } from './whole-collection.js';
import { overlappingMessages, recordVersions } from './record-version.js';
import { changeTimes } from './change-time.js';
import { httpRoutes, routeBodies, routeHandlers, unguardedAsyncRoutes } from './http-routes.js';
import { roleCheckFacts } from './role-checks.js';
import { keystrokeSends } from './keystroke-sends.js';
import { browserOnlyPackages } from './browser-packages.js';
import { clientListenerFacts } from './client-listeners.js';

const ev = (file: string, line: number): Evidence => `${file}:${line}`;
const SERVER_KINDS = new Set(['socket-server', 'ws-server', 'sse-endpoint']);
/** A key that is one connection's id (`socket.id`, `ws.id`): a map keyed by it holds per-connection state. */
const CONNECTION_ID_KEY = /^(socket|client|ws|conn|connection|peer)\.id$/;
/** Options that decide reconnection, liveness and auth, in the order a reader looks for them. */
const CLIENT_OPTIONS = [
  'shouldReconnect',
  'retryOnError',
  'reconnectAttempts',
  'reconnectInterval',
  'heartbeat',
  'reconnection',
  'reconnectionDelay',
  'reconnectionDelayMax',
  'randomizationFactor',
  'timeout',
  'transports',
  'auth',
];

/** A server's real-time module and the modules it imports (one level: handler and state modules). */
function serverModules(analyses: readonly FileAnalysis[], model: ModuleModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of analyses) {
    const server = a.entries.some((e) => SERVER_KINDS.has(e.kind)) || (a.companionOf?.length ?? 0) > 0;
    if (!server) continue;
    // A companion's state is used by the server module that imports it.
    if (!out.has(a.file)) out.set(a.file, a.entries.some((e) => SERVER_KINDS.has(e.kind)) ? a.file : (a.companionOf?.[0] ?? a.file));
    for (const imp of a.ctx.facts.imports) {
      const target = model.resolve(a.file, imp.source);
      if (target !== null && model.facts.has(target) && !out.has(target)) out.set(target, a.file);
    }
  }
  // A module that imports the provider's server SDK instance (a route that publishes through Ably or
  // Pusher) runs our server's side of the real-time feature, and so do the modules it imports: the
  // state they keep is our server's, as it is next to a socket server.
  const providerFiles = new Set(analyses.filter((a) => a.entries.some((e) => e.kind === 'provider-server')).map((a) => a.file));
  if (providerFiles.size === 0) return out;
  for (const a of analyses) {
    const imports = a.ctx.facts.imports.map((imp) => model.resolve(a.file, imp.source));
    if (!providerFiles.has(a.file) && !imports.some((t) => t !== null && providerFiles.has(t))) continue;
    if (!out.has(a.file)) out.set(a.file, a.file);
    for (const target of imports) if (target !== null && !providerFiles.has(target) && model.facts.has(target) && !out.has(target)) out.set(target, a.file);
  }
  return out;
}

/**
 * State is what changes after loading: a container the module fills, empties or emits on, or
 * one created empty (filled by whoever imports it). A container seeded with constants and never
 * changed (`new Set(['a', 'b'])` of allowed origins) is configuration, the same on every node.
 */
const MUTATORS = /^(set|add|push|unshift|splice|delete|clear|shift|pop|emit|on|addListener)$/;
/** Calls that only fill a container: at the module's top level they seed it at load. */
const SEEDS = /^(set|add|push|unshift)$/;
export const changesState = (f: FileFacts, name: string): boolean => {
  const mutations = f.calls.filter((c) => c.root === name.split('.')[0] && c.path === `${name}.${c.method}` && MUTATORS.test(c.method));
  if (f.assigns.some((a) => a.target.startsWith(`${name}.`))) return true;
  // An entry changed in place after loading changes the container's state: `rooms.get(id).add(ws)`,
  // `rooms[id].push(ws)`, or through a local taken from it (`const room = rooms.get(id); room.add(ws)`).
  const entries = [`${name}.get()`, `${name}.[]`, ...f.vars.filter((v) => v.init === `${name}.get()`).map((v) => v.name)];
  if (f.calls.some((c) => c.fnAt !== undefined && MUTATORS.test(c.method) && entries.some((e) => c.path === `${e}.${c.method}`))) return true;
  // A push in a function runs after loading; pushes at the module's top level (a platform's list
  // of allowed paths filled in an `if` at load) seed it once, the same on every node.
  if (mutations.some((c) => c.fnAt !== undefined || !SEEDS.test(c.method))) return true;
  if (mutations.length > 0) return f.module?.exportNames.some((e) => e.local === name) ?? true;
  const v = f.vars.find((x) => x.name === name);
  return v !== undefined && (v.arg.args ?? []).length === 0;
};

/**
 * An array the module trims to its last entries: `if (recent.length > 500) recent.shift()` (or
 * `splice`) keeps 500. The size check and a call that drops its oldest entries, in one module.
 */
function trimmedTo(f: FileFacts, name: string): { limit: number; line: number } | null {
  const check = (f.sizeChecks ?? []).find((c) => c.path === `${name}.length`);
  if (!check) return null;
  const drops = f.calls.some((c) => c.path === `${name}.${c.method}` && (c.method === 'shift' || c.method === 'splice'));
  return drops ? { limit: check.limit, line: check.line } : null;
}

function processState(f: FileFacts, via: string): ModelFact[] {
  const out: ModelFact[] = [];
  const from = via === f.file ? 'the real-time handlers in this module' : `the real-time handlers of \`${via}\``;
  for (const t of f.topLevel) {
    if (!changesState(f, t.name)) continue;
    // Live sockets cannot move to a shared store: the index stays per process, and what crosses
    // instances is the events delivered to those sockets (the fan-out), not the index.
    if (t.holdsSockets) {
      out.push({
        kind: 'socket-index',
        name: t.owner ? `${t.owner}.${t.name.slice('this.'.length)}` : t.name,
        evidence: ev(f.file, t.line),
        note: `\`${t.name}\` (${t.kind === 'Array' ? 'an' : 'a'} ${t.kind} of live sockets) indexes the connections this process holds: each instance keeps its own, correctly, since a socket lives on one instance; a message for the sockets another instance holds reaches that instance some other way (a cross-node fan-out, or a source every instance reads), never through this index.`,
      });
      continue;
    }
    // Callbacks registered in this process (listeners of an in-process bus) cannot move either:
    // each instance keeps its own and calls them for the events that reach it.
    if (t.holdsCallbacks) {
      out.push({
        kind: 'callback-registry',
        name: t.owner ? `${t.owner}.${t.name.slice('this.'.length)}` : t.name,
        evidence: ev(f.file, t.line),
        note: `\`${t.name}\` (${t.kind === 'Array' ? 'an' : 'a'} ${t.kind} of callbacks) holds functions registered in this process: they cannot move to a shared store, so each instance keeps its own and calls them for the changes that reach it; a change made on another instance reaches them only through a cross-node fan-out.`,
      });
      continue;
    }
    const note =
      t.kind === 'EventEmitter'
        ? `\`${t.name}\` is an in-process EventEmitter bus that ${from} use: an event emitted on one instance never reaches listeners on another.`
        : t.owner
          ? `\`${t.owner}.${t.name.slice('this.'.length)}\` (a ${t.kind} field of \`${t.owner}\`, which the framework creates once per process) lives in one process's memory and ${from} use it: every instance keeps its own copy.`
          : `\`${t.name}\` (a module-level ${t.kind}) lives in one process's memory and ${from} use it: every instance keeps its own copy.`;
    const kept = t.owner ? undefined : trimmedTo(f, t.name);
    out.push({
      kind: 'process-state',
      name: t.owner ? `${t.owner}.${t.name.slice('this.'.length)}` : t.name,
      evidence: ev(f.file, t.line),
      note,
      ...(kept ? { keeps: kept.limit, keepsAt: ev(f.file, kept.line) } : {}),
    });
  }
  const pubsub = f.imports.some((i) => i.source === 'graphql-subscriptions' && i.locals.some((l) => l.imported === 'PubSub'));
  for (const v of f.vars) {
    if (pubsub && v.init === 'new PubSub()')
      out.push({
        kind: 'process-state',
        name: v.name,
        evidence: ev(f.file, v.line),
        value: 'PubSub',
        note: `\`${v.name}\` is an in-memory PubSub (graphql-subscriptions): a \`publish\` reaches only the subscriptions held by the same process.`,
      });
  }
  return out;
}

/**
 * Where the data a socket index is broadcast to comes from. A function that loops over the
 * index's sockets and sends (`publishTick`) is followed to its callers, two calls up: reached from
 * a 'message' listener, a connection handler or a route, what it sends arrived from one client on
 * one process; reached from none of them (`onTrade`, a feed consumer), it comes from a source
 * outside the connections. State filled only by those callers (`last.set` in `onTrade`) is that
 * source's data, marked with the caller (`feed`).
 */
function broadcastSources(model: ModuleModel, facts: ModelFact[], eventNames: ReadonlySet<string> = new Set()): ModelFact[] {
  const out: ModelFact[] = [];
  const all = [...model.facts.values()];
  // A function named after an event (`'note:edit'` in a handler map dispatched by `handlers[msg.event]`)
  // runs for that event's message, even where the dispatch itself is not followed.
  const fromClient = (c: CallFact): boolean => c.inMessage || c.handler !== undefined || (c.inFn !== undefined && eventNames.has(c.inFn));
  const callsOf = (name: string): { file: string; call: CallFact }[] =>
    all.flatMap((g) => g.calls.filter((c) => c.path === name && c.inFn !== name).map((call) => ({ file: g.file, call })));
  for (const index of facts.filter((x) => x.kind === 'socket-index')) {
    const file = index.evidence.replace(/:\d+$/, '');
    const f = model.facts.get(file);
    if (!f) continue;
    const senders = [
      ...new Set(
        f.calls
          .filter((c) => c.inFn && c.root === index.name && f.calls.some((s) => s.inFn === c.inFn && s.inLoop && SEND.test(s.method)))
          .map((c) => c.inFn as string),
      ),
    ];
    for (const fn of senders) {
      const send = f.calls.find((s) => s.inFn === fn && s.inLoop && SEND.test(s.method)) as CallFact;
      const callers = callsOf(fn);
      const up = callers.flatMap((c) => (c.call.inFn ? callsOf(c.call.inFn) : []));
      const client = [...callers, ...up].find((c) => fromClient(c.call));
      if (client) {
        out.push({
          kind: 'broadcast-source',
          name: fn,
          store: index.name,
          value: 'client',
          evidence: ev(file, send.line),
          note: `\`${fn}\` sends to the sockets in \`${index.name}\` and is reached from a socket or request handler (\`${client.file}:${client.call.line}\`): what it broadcasts arrives from one client on one process.`,
        });
        continue;
      }
      const named = callers.filter((c) => c.call.inFn);
      if (named.length === 0) continue;
      const fillers = [...new Set(named.map((c) => c.call.inFn as string))];
      const at = named[0]!;
      out.push({
        kind: 'broadcast-source',
        name: fn,
        store: index.name,
        value: fillers.join(', '),
        evidence: ev(file, send.line),
        note: `\`${fn}\` sends to the sockets in \`${index.name}\` and is called from \`${fillers.join('`, `')}\` (\`${at.file}:${at.call.line}\`), which no socket message, connection or request handler in this code reaches: what it broadcasts comes from a source outside the connections, not from a client.`,
      });
      // State that only these callers change is that source's data.
      for (const state of facts.filter((x) => x.kind === 'process-state')) {
        const g = model.facts.get(state.evidence.replace(/:\d+$/, ''));
        if (!g) continue;
        const writes = g.calls.filter((c) => c.root === state.name && c.path === `${state.name}.${c.method}` && MUTATORS.test(c.method));
        if (writes.length > 0 && writes.every((c) => c.inFn !== undefined && fillers.includes(c.inFn))) state.feed = fillers.join(', ');
      }
    }
  }
  return out;
}

/** Calls that deliver to a connection: ws/Socket.IO `send`/`emit`, an SSE `res.write`, Hono `writeSSE`, a stream controller's `enqueue`. */
const SEND = /^(send|emit|write|writeSSE|enqueue)$/;

/**
 * `const res = streams.get(userId); if (!res) return; res.write(…)`: the event is delivered only
 * to a connection this process holds, and when there is none the function returns before anything
 * stores it. Only where the lookup is the first thing the function does, so no store was skipped;
 * a room send (Socket.IO `io.to(userId).emit`) looks nothing up and is not this.
 */
function sendDropsOffline(f: FileFacts): ModelFact[] {
  const out: ModelFact[] = [];
  for (const t of f.topLevel) {
    if (t.kind !== 'Map') continue;
    for (const lookup of f.calls.filter((c) => c.path === `${t.name}.get` && c.inFn)) {
      const v = f.vars.find((x) => x.line === lookup.line && /\.get(\(\))?$/.test(x.init) && x.init.startsWith(t.name));
      if (!v) continue;
      const fn = lookup.inFn;
      const guard = (f.absentReturns ?? []).find((g) => g.name === v.name && g.fn === fn && g.line >= v.line);
      if (!guard) continue;
      const inFn = f.calls.filter((c) => c.inFn === fn);
      if (inFn.some((c) => c.line < guard.line && c !== lookup)) continue;
      // The looked-up value itself, or each connection of a per-user Set or array it loops over.
      const send = inFn.find((c) => c.line > guard.line && SEND.test(c.method) && (c.root === v.name || c.inLoop || t.holdsSockets));
      if (!send) continue;
      out.push({
        kind: 'send-drops-offline',
        name: fn ?? '',
        store: t.name,
        evidence: ev(f.file, guard.line),
        note: `\`${fn}\` looks the connection up in \`${t.name}\` (line ${lookup.line}) and returns when there is none (line ${guard.line}), before anything stores the event: a user with no open connection on this process when it runs never gets it, unless its caller stores it first.`,
      });
    }
  }
  return out;
}

function connectionIdentity(f: FileFacts): ModelFact[] {
  const call = f.calls.find((c) => /^(set|get|has)$/.test(c.method) && CONNECTION_ID_KEY.test(c.args[0]?.path ?? ''));
  if (!call) return [];
  const id = call.args[0]?.path ?? '';
  const store = call.path.slice(0, -call.method.length - 1);
  return [
    {
      kind: 'connection-identity',
      name: id,
      evidence: ev(f.file, call.line),
      store,
      note: `State is keyed by \`${id}\` (\`${store}\`): a client that reconnects gets a new id, so what was stored under the old one is out of its reach.`,
    },
  ];
}

function queryToken(f: FileFacts): ModelFact[] {
  const params = new Set(f.vars.filter((v) => v.init === 'new URLSearchParams()').map((v) => v.name));
  const get = f.calls.find(
    (c) =>
      c.method === 'get' &&
      (params.has(c.root) || c.path.includes('searchParams')) &&
      c.args[0]?.kind === 'string' &&
      /^(token|access_token|jwt|auth)$/.test(c.args[0].str ?? ''),
  );
  if (!get) return [];
  const name = get.args[0]?.str ?? 'token';
  const verify = f.calls.find((c) => VERIFY_CALL.test(c.method));
  return [
    {
      kind: 'query-token',
      name,
      evidence: ev(f.file, get.line),
      note: `The connection handler reads \`?${name}=\` from the upgrade URL with \`URLSearchParams\`${verify ? ` and verifies it (\`${verify.path}\`, line ${verify.line})` : ''}.`,
    },
  ];
}

/** Per-request Redis (or other) clients: `x.duplicate()` or a new client inside a route or connection callback. */
function perConnectionClient(f: FileFacts): ModelFact[] {
  const call = f.calls.find((c) => c.handler !== undefined && (c.method === 'duplicate' || (c.isNew && c.method === 'Redis') || c.path === 'createClient'));
  if (!call) return [];
  return [
    {
      kind: 'per-connection-client',
      name: `${call.path}()`,
      evidence: ev(f.file, call.line),
      note: `\`${call.path}()\` runs inside the handler registered at line ${call.handler}: every open stream or connection holds a Redis connection of its own.`,
    },
  ];
}

/**
 * The options that cap a client's reconnect attempts: react-use-websocket `reconnectAttempts`,
 * Socket.IO `reconnectionAttempts`, graphql-ws `retryAttempts`, reconnecting-websocket `maxRetries`.
 */
const ATTEMPT_LIMITS = ['reconnectAttempts', 'reconnectionAttempts', 'retryAttempts', 'maxRetries'];

/** A numeric attempt limit in the options a client entry is opened with, inline or defined in another module. */
/**
 * The options objects the client entries of a file are opened with, and the file each is written in:
 * a named one (`wsOptions`) is read where it is defined, an inline one where it is written.
 */
function clientOptions(a: FileAnalysis, model: ModuleModel): { v: ArgInfo; file: string }[] {
  return a.entries.flatMap((e) =>
    e.side !== 'client' || !e.call
      ? []
      : e.call.args.flatMap((arg) => {
          const named = arg.path ? model.values.valueOf(a.file, arg.path) : null;
          const v = named ?? (arg.kind === 'object' ? arg : null);
          if (!v || v.kind !== 'object') return [];
          return [{ v, file: named ? (model.values.originOf(named) ?? a.file) : a.file }];
        }),
  );
}

function reconnectAttempts(a: FileAnalysis, model: ModuleModel): ModelFact[] {
  for (const { v, file } of clientOptions(a, model)) {
    for (const k of ATTEMPT_LIMITS) {
      const p: ArgInfo | undefined = v.props?.[k];
      if (!p || p.kind !== 'number' || p.num === undefined || !Number.isFinite(p.num)) continue;
      return [
        {
          kind: 'reconnect-attempts',
          name: k,
          value: String(p.num),
          evidence: ev(file, p.line),
          note: `\`${k}: ${p.num}\` caps the client's reconnect attempts.`,
        },
      ];
    }
  }
  return [];
}

/**
 * The delay options of reconnecting-websocket and its fork partysocket: where the client sets one,
 * the library's default schedule is not what runs.
 */
const DELAY_SETTINGS = ['minReconnectionDelay', 'maxReconnectionDelay', 'reconnectionDelayGrowFactor'];

function reconnectOptions(a: FileAnalysis, model: ModuleModel): ModelFact[] {
  const out: ModelFact[] = [];
  for (const { v, file } of clientOptions(a, model)) {
    for (const k of DELAY_SETTINGS) {
      const p: ArgInfo | undefined = v.props?.[k];
      if (!p) continue;
      const n = folded(model, file, p);
      out.push({
        kind: 'reconnect-option',
        name: k,
        ...(n !== null ? { value: String(n) } : {}),
        evidence: ev(file, p.line),
        note: `\`${k}\` sets the client's reconnect delay${n !== null ? ` (${n})` : ''}.`,
      });
    }
  }
  return out;
}

/** Options that take the delay before a reconnect attempt as a function of the attempt number (react-use-websocket). */
const DELAY_OPTIONS = ['reconnectInterval'];

/** A number, or a constant the module model folds from where the function is written. */
function folded(model: ModuleModel, file: string, a: ArgInfo | null | undefined): number | null {
  if (!a) return null;
  if (a.kind === 'number' && a.num !== undefined && Number.isFinite(a.num)) return a.num;
  const v = a.path ? model.values.valueOf(file, a.path) : null;
  return v?.kind === 'number' && v.num !== undefined && Number.isFinite(v.num) ? v.num : null;
}

/** A delay formula with its constants folded from `file`, or null where one is not a number. */
function foldedDelay(model: ModuleModel, file: string, shape: DelayFormula): ReconnectDelay | null {
  const baseMs = folded(model, file, shape.base);
  const capMs = shape.cap ? folded(model, file, shape.cap) : null;
  const addMaxMs = shape.jitter.kind === 'add' ? folded(model, file, shape.jitter.max) : null;
  if (baseMs === null || baseMs <= 0 || (shape.cap && capMs === null) || (shape.jitter.kind === 'add' && addMaxMs === null)) return null;
  return {
    baseMs,
    factor: shape.factor,
    capMs,
    capAt: shape.capAt,
    jitter: shape.jitter.kind,
    ...(shape.jitter.kind === 'band' ? { bandLo: shape.jitter.lo, bandWidth: shape.jitter.width } : {}),
    ...(addMaxMs !== null ? { addMaxMs } : {}),
  };
}

/**
 * The reconnect delay a client computes, read into base, cap and jitter: a delay function in the
 * options a client entry is opened with (react-use-websocket `reconnectInterval`), or the delay of
 * the project's own retry timer in a close handler (`setTimeout(open, delay)`).
 */
function reconnectDelay(a: FileAnalysis, model: ModuleModel): ModelFact[] {
  for (const { v, file } of clientOptions(a, model)) {
    for (const k of DELAY_OPTIONS) {
      const shape = v.props?.[k]?.delay;
      const delay = shape ? foldedDelay(model, file, shape) : null;
      if (!delay) continue;
      return [
        {
          kind: 'reconnect-delay',
          name: k,
          evidence: ev(file, v.props![k]!.line),
          note: `\`${k}\` computes the delay before each reconnect attempt.`,
          delay,
        },
      ];
    }
  }
  if (!a.entries.some((e) => e.side === 'client' || e.kind === 'ws-client')) return [];
  for (const c of a.ctx.facts.calls) {
    if (!(c.inClose || c.inReconnect) || !c.delay?.formula) continue;
    const delay = foldedDelay(model, a.file, c.delay.formula);
    if (delay)
      return [
        {
          kind: 'reconnect-delay',
          name: c.path,
          evidence: ev(a.file, c.line),
          note: `\`${c.path}\` waits the computed delay before each reconnect attempt.`,
          delay,
        },
      ];
  }
  return [];
}

/**
 * The close codes a client's own reconnect loop stops on (`if (event.code === 4401) return;` in its
 * close handler, before the retry timer): a refusal the client should stop on must close with one of them.
 */
function closeCodeStops(a: FileAnalysis): ModelFact[] {
  if (!a.entries.some((e) => e.side === 'client' || e.kind === 'ws-client')) return [];
  // Only where the same close handler reconnects: a stop test in a handler that never retries stops nothing.
  const retries = a.ctx.facts.calls.some((c) => c.inClose && (/^setTimeout$|\.setTimeout$/.test(c.path) || /^(re)?connect|reconnect/i.test(c.method)));
  if (!retries) return [];
  return (a.ctx.facts.closeStops ?? []).slice(0, 1).map((s) => ({
    kind: 'close-code-stop' as const,
    name: 'close',
    evidence: ev(a.file, s.line),
    value: s.codes.join(', '),
    note: `The close handler stops reconnecting only on close code${s.codes.length === 1 ? '' : 's'} ${s.codes.join(', ')}; every other close, 1006 included, is retried.`,
  }));
}

function optionsObject(a: FileAnalysis, model: ModuleModel): ModelFact[] {
  const out: ModelFact[] = [];
  for (const e of a.entries) {
    if (e.side !== 'client' || !e.call) continue;
    for (const arg of e.call.args) {
      if (arg.kind !== 'object' || !arg.path) continue;
      const v = model.values.valueOf(a.file, arg.path);
      const origin = v ? model.values.originOf(v) : null;
      if (!v || origin === null || origin === a.file) continue;
      const keys = CLIENT_OPTIONS.flatMap((k) => {
        const p: ArgInfo | undefined = v.props?.[k];
        return p ? [{ k, line: p.line }] : [];
      })
        .sort((x, y) => x.line - y.line)
        .map((x) => `\`${x.k}\` (line ${x.line})`);
      if (keys.length === 0) continue;
      out.push({
        kind: 'options-object',
        name: arg.path,
        evidence: ev(origin, v.line),
        note: `\`${arg.path}\`, defined in \`${origin}\` and passed at \`${ev(a.file, e.call.line)}\`, sets ${keys.join(', ')}.`,
      });
    }
  }
  return out;
}

/**
 * Server limits the plan keeps instead of proposing defaults: uWebSockets.js behaviour options
 * (WebSocketBehavior), and the message cap of Socket.IO (`maxHttpBufferSize`) and ws (`maxPayload`).
 */
const SERVER_OPTIONS = [
  'maxPayloadLength',
  'idleTimeout',
  'compression',
  'maxBackpressure',
  'closeOnBackpressureLimit',
  'sendPingsAutomatically',
  'maxHttpBufferSize',
  'maxPayload',
];

function optionText(v: ArgInfo): string | null {
  if (v.kind === 'number' && v.num !== undefined) return String(v.num);
  if (v.kind === 'bool' && v.bool !== undefined) return String(v.bool);
  if ((v.kind === 'member' || v.kind === 'ident') && v.path) return v.path;
  if (v.kind === 'string' && v.str !== undefined) return v.str;
  return null;
}

/** The options object of a WebSocket server entry, own keys first, then what its spreads (or a named object) bring from other modules. */
function serverOptions(a: FileAnalysis, model: ModuleModel): ModelFact[] {
  const out: ModelFact[] = [];
  const seen = new Set<string>();
  const add = (obj: ArgInfo, file: string, passedAt: string, depth: number): void => {
    if (depth > 3 || obj.kind !== 'object') return;
    for (const k of SERVER_OPTIONS) {
      const v = obj.props?.[k];
      const text = v ? optionText(v) : null;
      if (!v || text === null || seen.has(k)) continue;
      seen.add(k);
      out.push({
        kind: 'server-option',
        name: k,
        value: text,
        evidence: ev(file, v.line),
        note: `\`${k}: ${text}\` is set at \`${ev(file, v.line)}\` for the WebSocket server at \`${passedAt}\`.`,
      });
    }
    for (const sp of obj.spreads ?? []) {
      if (!sp.path) continue;
      const r = model.values.valueOf(file, sp.path);
      if (r) add(r, model.values.originOf(r) ?? file, passedAt, depth + 1);
    }
  };
  for (const e of a.entries) {
    if ((e.kind !== 'ws-server' && e.kind !== 'socket-server') || !e.call) continue;
    const at = ev(a.file, e.call.line);
    for (const arg of e.call.args) {
      if (arg.kind === 'object') add(arg, a.file, at, 0);
      else if (arg.kind === 'ident' && arg.path) {
        const r = model.values.valueOf(a.file, arg.path);
        if (r) add(r, model.values.originOf(r) ?? a.file, at, 1);
      }
    }
  }
  return out;
}

function authRoute(a: FileAnalysis): ModelFact[] {
  if (!a.entries.some((e) => e.kind === 'token-route')) return [];
  const route = a.ctx.facts.calls.find((c) => /^(get|post|all)$/.test(c.method) && /^\/\S*auth/i.test(c.args[0]?.str ?? ''));
  if (!route) return [];
  const path = route.args[0]?.str ?? '';
  return [
    {
      kind: 'auth-route',
      name: path,
      evidence: ev(a.file, route.line),
      note: `\`${path}\` is the route that signs the provider's channel or connection tokens.`,
    },
  ];
}

/**
 * useChat's `status` is 'error' after a failed or cut-off request (not after `stop()`, which
 * aborts to 'ready') and stays so until `clearError()` or the next request (ai 5:
 * AbstractChat.makeRequest and clearError). An element disabled unless the status is 'ready',
 * in a component that calls neither `clearError` nor `regenerate`, stays disabled after an error.
 */
function lockedOnError(a: FileAnalysis): ModelFact[] {
  const out: ModelFact[] = [];
  const recovers =
    a.ctx.facts.calls.some((c) => /^(clearError|regenerate|reload)$/.test(c.method)) ||
    a.ctx.facts.members.some((m) => /\.(clearError|regenerate|reload)$/.test(m.path));
  if (recovers) return [];
  for (const d of a.ctx.facts.disabledUnless ?? []) {
    if (d.value !== 'ready') continue;
    out.push({
      kind: 'locked-on-error',
      name: d.ident,
      evidence: ev(a.file, d.line),
      note: `\`disabled={${d.ident} !== 'ready'}\` keeps the element disabled in every status but \`ready\`, including \`error\`, which \`useChat\` keeps after a failed or cut-off request until the next request (ai 5 adds \`clearError()\` to reset it); this component resets it nowhere, so after an error the input stays disabled until a reload.`,
    });
  }
  return out.slice(0, 1);
}

function streamHook(a: FileAnalysis): ModelFact[] {
  const local = [...a.ctx.locals].find(([, l]) => l.source === '@ai-sdk/react' || l.source === 'ai/react');
  const call = local ? a.ctx.facts.calls.find((c) => c.path === local[0] && c.method === 'useChat') : undefined;
  if (!call) return [];
  return [
    ...lockedOnError(a),
    {
      kind: 'stream-hook',
      name: 'useChat',
      evidence: ev(a.file, call.line),
      note: '`useChat` renders the answer as the UI message stream arrives; what it does when the stream is cut is decided by the route that produces it.',
    },
  ];
}

/** Where a route handler sends its answer: `Response.json`, `NextResponse.json`, `new Response`, `res.json`/`res.send`, `c.json`, `reply.send`. */
const RESPONSE_SEND = /^(?:(?:Next)?Response\.json|Response|res\.(?:json|send|end|write)|c\.(?:json|text)|reply\.send)$/;

/**
 * A chat-completions call (the OpenAI SDK's `chat.completions.create`, the shape OpenAI-compatible
 * clients share) whose options object asks for no stream (no `stream` key, or `stream: false`): it
 * resolves only once the whole completion is generated, so nothing built on it can stream tokens
 * until the call passes `stream: true` (platform.openai.com/docs/api-reference/chat/create, `stream`).
 * Only the call the route answers with (in the function that sends the response), and none in a
 * module whose completion already streams.
 */
function unstreamedCompletion(a: FileAnalysis): ModelFact[] {
  const creates = a.ctx.facts.calls.filter((c) => c.path.endsWith('.chat.completions.create') && !c.isNew);
  const streamOf = (c: (typeof creates)[number]) => {
    const opts = c.args[0];
    if (opts?.kind !== 'object' || (opts.spreads?.length ?? 0) > 0) return 'unknown';
    const stream = opts.props?.stream;
    return stream === undefined || (stream.kind === 'bool' && stream.bool === false) ? 'no' : stream.kind === 'bool' ? 'yes' : 'unknown';
  };
  // A module whose completion already streams has its answer streamed: the other calls (a title, a
  // classification, a tool choice) are unstreamed on purpose and never reach the client as text.
  if (creates.some((c) => streamOf(c) === 'yes')) return [];
  // The answer the client waits for: a call in the same function as the response it is sent in, not a helper's.
  const responds = new Set(a.ctx.facts.calls.filter((c) => RESPONSE_SEND.test(c.path)).map((c) => c.fnAt));
  const call = creates.find((c) => streamOf(c) === 'no' && c.fnAt !== undefined && responds.has(c.fnAt));
  if (!call) return [];
  return [
    {
      kind: 'unstreamed-completion',
      name: call.path,
      evidence: ev(a.file, call.line),
      note: `\`${call.path}()\` is called without \`stream: true\`: it resolves only once the whole completion is generated, so no token can reach the client before the last one is written.`,
    },
  ];
}

/**
 * A Socket.IO server created with `transports: ['websocket']` accepts no HTTP long-polling, so
 * no request of a session can reach another node: several nodes need no sticky sessions.
 * https://socket.io/docs/v4/using-multiple-nodes/
 */
function websocketOnly(a: FileAnalysis): ModelFact[] {
  return a.entries.flatMap((e): ModelFact[] => {
    if (e.kind !== 'socket-server' || !e.call) return [];
    const t = entryOptions(e)?.props?.transports;
    const items = t?.kind === 'array' ? (t.items ?? []) : [];
    if (items.length === 0 || !items.every((i) => i.kind === 'string' && i.str === 'websocket')) return [];
    return [
      {
        kind: 'websocket-only',
        name: 'transports',
        evidence: ev(a.file, t!.line),
        note: "The Socket.IO server accepts WebSocket only (`transports: ['websocket']`): no HTTP long-polling, so no node has to pin a client.",
      },
    ];
  });
}

/**
 * Every Socket.IO client the project opens sets `transports: ['websocket']`: those clients never
 * poll, so no node has to pin them (https://socket.io/docs/v4/using-multiple-nodes/). Said at the
 * first; nothing is said when any client keeps the default transports, nor when a page the server
 * may serve holds a client (or could not be read): its transports are not read (code/page-clients.ts).
 */
function clientsWebsocketOnly(analyses: readonly FileAnalysis[], pageClients: readonly string[]): ModelFact[] {
  if (pageClients.length > 0) return [];
  const clients = analyses.flatMap((a) => a.entries.filter((e) => e.kind === 'socket-client').map((e) => ({ a, e })));
  const at = clients.map(({ a, e }) => {
    const t = entryOptions(e)?.props?.transports;
    const items = t?.kind === 'array' ? (t.items ?? []) : [];
    return items.length > 0 && items.every((i) => i.kind === 'string' && i.str === 'websocket') ? ev(a.file, t!.line) : null;
  });
  const first = at[0];
  if (!first || at.some((x) => x === null)) return [];
  return [
    {
      kind: 'websocket-only',
      name: 'client transports',
      evidence: first,
      note: "Every Socket.IO client in the project connects over WebSocket only (`transports: ['websocket']`): they never poll, so no node has to pin them.",
    },
  ];
}

const HEADER = /^last-event-id$/i;
const QUERY_NAME = /^last[-_]?event[-_]?id$/i;

/**
 * How an SSE stream resumes, as the code writes it: the `id:` on each event, the id read back
 * from the `Last-Event-ID` header (the browser's own reconnects) or from a query parameter (a
 * new EventSource sends no header, so the client carries the id in the URL), and the comment
 * line written as keep-alive. AI SDK stream responses own their framing and are left out.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#the-last-event-id-header
 */
function sseResume(a: FileAnalysis): ModelFact[] {
  const f = a.ctx.facts;
  const out: ModelFact[] = [];
  const own = a.entries.find((e) => e.kind === 'sse-endpoint' && !STREAM_RESPONSE.test(e.call?.method ?? ''));
  if (own) {
    // The route whose handler opens the stream: the last GET registration at or before the entry's line.
    const route = f.calls
      .filter((c) => /^(get|all)$/.test(c.method) && c.line <= own.line && /^\/\S+/.test(c.args[0]?.str ?? '') && c.args[0]?.str !== '/')
      .sort((x, y) => y.line - x.line)[0];
    if (route)
      out.push({
        kind: 'sse-route',
        name: route.args[0]?.str ?? '',
        evidence: ev(a.file, route.line),
        note: `The stream is served at \`GET ${route.args[0]?.str ?? ''}\`.`,
      });
    const id = a.signals.sseIds[0];
    if (id !== undefined)
      out.push({
        kind: 'sse-resume',
        name: 'id',
        evidence: ev(a.file, id),
        note: 'The stream writes its events with an `id:`, so the browser has a last id to send back when it reconnects.',
      });
    const header = f.strings.find((s) => HEADER.test(s.value));
    const query =
      f.calls.find((c) => /^(query|get|param)$/.test(c.method) && QUERY_NAME.test(c.args[0]?.str ?? '') && !HEADER.test(c.args[0]?.str ?? '')) ?? null;
    const queryMember = query ? null : f.members.find((m) => /\.query\.\w+$/.test(m.path) && QUERY_NAME.test(m.path.split('.').pop() ?? ''));
    const queryName = query ? (query.args[0]?.str ?? '') : queryMember ? (queryMember.path.split('.').pop() ?? '') : null;
    const queryLine = query?.line ?? queryMember?.line;
    if (header) {
      const also =
        queryName && queryLine !== undefined ? ` or the \`${queryName}\` query parameter${queryLine === header.line ? '' : ` (line ${queryLine})`}` : '';
      out.push({
        kind: 'sse-resume',
        name: queryName && queryLine !== undefined ? `Last-Event-ID ${queryName}:${queryLine}` : 'Last-Event-ID',
        evidence: ev(a.file, header.line),
        note: `The stream reads the id to resume from the \`Last-Event-ID\` header${also}.`,
      });
    } else if (queryName && queryLine !== undefined) {
      out.push({
        kind: 'sse-resume',
        name: queryName,
        evidence: ev(a.file, queryLine),
        note: `The stream reads the id to resume from the \`${queryName}\` query parameter, not from the \`Last-Event-ID\` header.`,
      });
    }
    const comment = f.calls
      .filter((c) => /^(write|writeSSE|enqueue)$/.test(c.method))
      .flatMap((c) => c.args.flatMap((x) => (x.kind === 'string' && /^:/.test(x.str ?? '') ? [{ text: (x.str ?? '').trim(), line: c.line }] : [])))[0];
    if (comment)
      out.push({
        kind: 'sse-keepalive-comment',
        name: comment.text,
        evidence: ev(a.file, comment.line),
        note: `The stream writes the comment line \`${comment.text}\` to keep an idle connection open: proxies count it as traffic, EventSource listeners never see it.`,
      });
  }
  // https://redis.io/docs/latest/commands/xread/, https://redis.io/docs/latest/commands/xadd/
  if (a.entries.some((e) => e.kind === 'sse-endpoint')) {
    const read = f.calls.find((c) => /^x(read|readgroup)$/i.test(c.method));
    if (read)
      out.push({
        kind: 'stream-source',
        name: read.path,
        evidence: ev(a.file, read.line),
        note: `The stream reads its events from a Redis Stream (\`${read.path}()\`), which every instance can read: an event appended on any instance reaches the streams of all of them.`,
      });
  }
  if (a.entries.some((e) => e.kind === 'sse-client')) {
    const s = f.strings.find((x) => /[?&]last[-_]?event[-_]?id=/i.test(x.value));
    const name = s ? (/[?&](last[-_]?event[-_]?id)=/i.exec(s.value)?.[1] ?? '') : '';
    if (s)
      out.push({
        kind: 'sse-client-resume',
        name,
        evidence: ev(a.file, s.line),
        note: `A new EventSource carries the last id the client saw in the URL (\`?${name}=\`): only the browser's own reconnects send \`Last-Event-ID\`.`,
      });
  }
  return out;
}

/** A log of events appended with XADD, capped or not: where a reconnecting client can be replayed from. */
function streamLog(f: FileFacts): ModelFact[] {
  const out: ModelFact[] = [];
  for (const c of f.calls.filter((x) => /^xadd$/i.test(x.method))) {
    const i = c.args.findIndex((x) => x.kind === 'string' && /^maxlen$/i.test(x.str ?? ''));
    const cap = i < 0 ? undefined : c.args.slice(i + 1).find((x) => x.kind === 'number')?.num;
    out.push({
      kind: 'stream-log',
      name: cap === undefined ? 'uncapped' : String(cap),
      evidence: ev(f.file, c.line),
      note:
        cap === undefined
          ? `Events are appended to a Redis Stream with \`${c.path}()\`, with no cap: the log grows until something trims it.`
          : `Events are appended to a Redis Stream with \`${c.path}()\` capped at about ${cap.toLocaleString('en-US')} entries (\`MAXLEN\`): that log is what a reconnecting client can be replayed from.`,
    });
  }
  return out;
}

/**
 * The exported enums and constant objects that name the events (`export enum ClientEvent {
 * JoinGame = 'game:join' }`): the names the code uses instead of string literals, which new
 * events extend. Only an object whose string values are all event names the code uses.
 */
function protocolNames(model: ModuleModel, eventNames: ReadonlySet<string>): ModelFact[] {
  const out: ModelFact[] = [];
  for (const [file, f] of model.facts) {
    const m = f.module;
    if (!m) continue;
    for (const c of m.constants) {
      const exported = m.exportNames.find((e) => e.local === c.name);
      if (!exported || c.value.kind !== 'object' || !c.value.props) continue;
      const values = Object.values(c.value.props);
      const names = values.flatMap((v) => (v.kind === 'string' && v.str !== undefined ? [v.str] : []));
      if (values.length === 0 || names.length !== values.length || !names.every((n) => eventNames.has(n))) continue;
      const shown = names.slice(0, 4).map((n) => `\`${n}\``);
      out.push({
        kind: 'protocol-names',
        name: exported.exported,
        evidence: ev(file, c.line),
        note: `\`${exported.exported}\` (exported) holds ${names.length === 1 ? 'an event name' : `${names.length} event names`} the real-time code uses (${shown.join(', ')}${names.length > 4 ? ', …' : ''}).`,
      });
    }
  }
  return out;
}

/** Socket.IO calls whose first argument is a room name (https://socket.io/docs/v4/rooms/). */
const ROOM_METHODS = new Set(['join', 'leave', 'to', 'in', 'except']);
/** A room name of one word, a separator and one value: `board:${boardId}` → board, `:`. */
const ROOM_TEMPLATE = /^([A-Za-z][\w-]*?)([:/.#|_-])\$\{\}$/;
/** Receivers whose `join` builds a path or a string, not a room. */
const NOT_ROOMS = /^(path|posix|win32|url|URL)$/;

/** The room template a call argument is: written inline, or returned by a helper of this or an imported module. */
export function roomTemplateOf(
  arg: ArgInfo | null | undefined,
  file: string,
  f: FileFacts,
  model: ModuleModel,
): { str: string; expr: ArgInfo | undefined; via?: string } | null {
  if (!arg) return null;
  if (arg.kind === 'template' && arg.str) return { str: arg.str, expr: arg.exprs?.[0] };
  if (arg.kind !== 'call' || !arg.path || arg.path.includes('.')) return null;
  const name = arg.path;
  let fns = f.module?.templateFns;
  let local = name;
  const imp = f.imports.find((i) => i.locals.some((l) => l.local === name));
  if (imp) {
    const target = model.resolve(file, imp.source);
    fns = target ? model.facts.get(target)?.module?.templateFns : undefined;
    local = imp.locals.find((l) => l.local === name)!.imported;
  }
  const fn = fns?.find((x) => x.name === local);
  if (!fn || fn.value.kind !== 'template' || !fn.value.str) return null;
  // The helper's parameter is what the caller passes: name the value by the argument given.
  const e = fn.value.exprs?.[0];
  const i = e?.kind === 'ident' ? fn.params.indexOf(e.path ?? '') : -1;
  return { str: fn.value.str, expr: i >= 0 ? (arg.args?.[i] ?? e) : e, via: `${name}()` };
}

/** `boardId` from `boardId`, `move.boardId` or `socket.data.pin`; `id` alone is named by the room's word (`board` + `Id`). */
function roomParam(expr: ArgInfo | undefined, word: string): string {
  const last = (expr?.path ?? '').split('.').pop() ?? '';
  return /^[A-Za-z_$][\w$]*$/.test(last) && last.toLowerCase() !== 'id' ? last : `${word}Id`;
}

/**
 * How the project names its Socket.IO rooms: every `join`, `leave`, `to`, `in` or `except` whose
 * room is a word, a separator and one value (`board:${boardId}`, `'board:' + id`, or a helper
 * returning that template), grouped by word. The plan keeps that naming for its channels.
 */
function roomNames(model: ModuleModel): ModelFact[] {
  const uses = new Map<string, { word: string; sep: string; param: string; written: string; sites: { method: string; at: Evidence }[] }>();
  for (const [file, f] of model.facts) {
    for (const c of f.calls) {
      const candidates: { method: string; arg: ArgInfo | null | undefined }[] = [];
      if (ROOM_METHODS.has(c.method) && !NOT_ROOMS.test(c.root) && c.path !== c.method) candidates.push({ method: c.method, arg: c.args[0] });
      for (const link of c.chain) if (link.method === 'to' || link.method === 'in') candidates.push({ method: link.method, arg: link.arg });
      for (const { method, arg } of candidates) {
        const t = roomTemplateOf(arg, file, f, model);
        const m = t ? ROOM_TEMPLATE.exec(t.str) : null;
        if (!t || !m) continue;
        const [, word, sep] = m as unknown as [string, string, string];
        const param = roomParam(t.expr, word);
        const key = `${word}${sep}`;
        const at = ev(file, arg?.line ?? c.line);
        const u = uses.get(key) ?? { word, sep, param, written: t.via ?? `\`${word}${sep}\${${t.expr?.path ?? '…'}}\``, sites: [] };
        // The join names the value best: the handler's own field.
        if (method === 'join' && !u.sites.some((x) => x.method === 'join')) u.param = param;
        if (!u.sites.some((x) => x.at === at)) u.sites.push({ method, at });
        uses.set(key, u);
      }
    }
  }
  return [...uses.values()].map((u) => {
    const first = u.sites.find((x) => x.method === 'join') ?? u.sites[0]!;
    const more = u.sites.length - 1;
    return {
      kind: 'room-name' as const,
      name: `${u.word}${u.sep}{${u.param}}`,
      evidence: first.at,
      value: u.written,
      note: `Socket.IO rooms are named \`${u.word}${u.sep}{${u.param}}\` (${u.written} in \`${first.method}\`${more > 0 ? `; ${more} more ${more === 1 ? 'call uses' : 'calls use'} the same name` : ''}).`,
    };
  });
}

/** What a room argument is, as text: the same text at a join and an emit is the same room. */
function roomKey(arg: ArgInfo | null | undefined): string | null {
  if (!arg) return null;
  if (arg.kind === 'template') return `${arg.str}|${(arg.exprs ?? []).map((e) => e.path ?? '?').join(',')}`;
  if ((arg.kind === 'ident' || arg.kind === 'member') && arg.path) return arg.path;
  return null;
}

const roomText = (arg: ArgInfo): string =>
  arg.kind === 'template'
    ? `\`${(arg.str ?? '').split('${}').reduce((a, part, i) => `${a}\${${arg.exprs?.[i - 1]?.path ?? '…'}}${part}`)}\``
    : (arg.path ?? '');

/**
 * A handler that joins a room and then emits to that same room (`socket.join(r); io.to(r).emit(…)`):
 * every join is announced to everyone already in it, so filling a room of N costs about N²/2
 * deliveries. `value`: `room` when the joiner receives it too (`io.to`), `others` when the
 * joining socket is left out (`socket.to`, https://socket.io/docs/v4/rooms/).
 */
function joinBroadcasts(model: ModuleModel): ModelFact[] {
  const out: ModelFact[] = [];
  for (const [file, f] of model.facts) {
    for (const j of f.calls) {
      if (j.method !== 'join' || j.path === 'join' || NOT_ROOMS.test(j.root)) continue;
      const key = roomKey(j.args[0]);
      const scope = `${j.listener ?? ''}|${j.inFn ?? ''}`;
      if (key === null || scope === '|') continue;
      const emit = f.calls.find(
        (c) =>
          c.method === 'emit' &&
          c.line >= j.line &&
          `${c.listener ?? ''}|${c.inFn ?? ''}` === scope &&
          c.chain.some((l) => (l.method === 'to' || l.method === 'in') && roomKey(l.arg) === key) &&
          !c.chain.some((l) => l.method === 'except'),
      );
      const name = emit?.args[0]?.kind === 'string' ? emit.args[0].str : emit?.args[0]?.path;
      if (!emit || !name) continue;
      const others = emit.root === j.root;
      out.push({
        kind: 'join-broadcast',
        name,
        evidence: ev(file, emit.line),
        value: others ? 'others' : 'room',
        store: roomText(j.args[0]!),
        note: `Every join (line ${j.line}) is announced with \`${name}\` to the room just joined (${roomText(j.args[0]!)})${others ? ', the joining socket left out' : ', the joiner included'}: the k-th socket to join reaches ${others ? 'k − 1' : 'k'}.`,
      });
    }
  }
  return out;
}

/** A room argument that names one user's or one socket's own room: a private send, not a broadcast. */
const PRIVATE_ROOM = /socket|user|client|conn|session|private|direct|\bdm\b|\bid\b/i;

/**
 * Every emit to a room (`io.to(r).emit(E)`, `server.in(r).emit(E)`, `socket.to(r).emit(E)`): one
 * call that reaches every member of the room at the same instant, so a room of N costs N
 * deliveries at once. A room named after a user or socket is a private send and is left out.
 */
function roomBroadcasts(model: ModuleModel): ModelFact[] {
  const out: ModelFact[] = [];
  for (const [file, f] of model.facts) {
    for (const c of f.calls) {
      if (c.method !== 'emit' || NOT_ROOMS.test(c.root)) continue;
      const link = c.chain.find((l) => (l.method === 'to' || l.method === 'in') && roomKey(l.arg) !== null);
      if (!link) continue;
      const room = roomText(link.arg!);
      if (PRIVATE_ROOM.test(room)) continue;
      const name = c.args[0]?.kind === 'string' ? c.args[0].str : c.args[0]?.path;
      if (!name) continue;
      out.push({
        kind: 'room-broadcast',
        name,
        evidence: ev(file, c.line),
        store: room,
        value: c.root,
        note: `\`${name}\` is emitted to the room ${room}${c.chain.some((l) => l.method === 'except') ? ' (some members left out)' : ''}: one call reaches every member at once.`,
      });
    }
  }
  return out;
}

/** Calls that change nothing a later message could see: lookups, arithmetic, clocks, sends and logs. */
const READS_ONLY =
  /^(get|has|now|max|min|round|floor|ceil|abs|trunc|random|slice|includes|find|findIndex|filter|map|some|every|indexOf|at|toString|trim|toLowerCase|toUpperCase|emit|to|in|except|log|warn|error|info|debug)$/;
const ACCUMULATE = /^(\+=|-=|\+\+|--)$/;

/**
 * A message listener that hands the message to a function (`socket.on(E, (m) => handleAnswer(socket, m))`)
 * whose only write adds to a member (`player.score += …`) and whose calls only read: nothing it
 * does records that this message was counted, so the same message again passes the same checks
 * and adds again. Any other write or call (a `set`, a helper that may record it) says nothing.
 */
function repeatAccumulates(model: ModuleModel): ModelFact[] {
  const out: ModelFact[] = [];
  for (const [file, f] of model.facts) {
    for (const c of f.calls) {
      if (c.listener === undefined || c.path.includes('.') || c.isNew) continue;
      const imp = f.imports.flatMap((i) => i.locals.filter((l) => l.local === c.path).map((l) => ({ source: i.source, name: l.imported })))[0];
      const target = imp ? model.resolve(file, imp.source) : file;
      const name = imp ? imp.name : c.path;
      const g = target === null ? undefined : model.facts.get(target);
      if (!g || target === null) continue;
      const writes = (g.writes ?? []).filter((w) => w.fn === name);
      const adds = writes.filter((w) => ACCUMULATE.test(w.op) && w.target.includes('.'));
      if (adds.length !== 1 || writes.length !== 1) continue;
      if (!g.calls.filter((x) => x.inFn === name).every((x) => READS_ONLY.test(x.method))) continue;
      const add = adds[0]!;
      out.push({
        kind: 'repeat-accumulates',
        name,
        store: add.target,
        value: ev(file, c.listener),
        evidence: ev(target, add.line),
        note: `\`${name}\` (called by the listener at \`${file}:${c.listener}\`) adds to \`${add.target}\` (line ${add.line}) and writes nothing else: it keeps no record of a message it already counted, so the same message sent again passes the same checks and counts again.`,
      });
    }
  }
  return out;
}

const HANDSHAKE_TOKEN = /handshake\.(auth(\.\w+)?|headers\.authorization)$/i;

/**
 * A Nest guard runs before each `@SubscribeMessage` handler it decorates, never at the handshake
 * (https://docs.nestjs.com/websockets/guards). One that verifies `handshake.auth.token` re-checks
 * a token the open connection can never replace: once it expires, every guarded message fails.
 */
function messageGuardHandshakeToken(analyses: readonly FileAnalysis[], model: ModuleModel): ModelFact[] {
  const guarded = new Set<string>();
  for (const a of analyses)
    for (const k of a.ctx.facts.module?.classes ?? []) {
      if (!k.decorators.some((d) => d.name === 'WebSocketGateway')) continue;
      for (const d of [...k.decorators, ...k.methods.flatMap((m) => m.decorators)]) {
        if (d.name !== 'UseGuards') continue;
        for (const arg of d.args) {
          const imp = arg.kind === 'ident' && arg.path ? a.ctx.facts.imports.find((i) => i.locals.some((n) => n.local === arg.path)) : undefined;
          const target = imp ? model.resolve(a.file, imp.source) : null;
          if (target) guarded.add(`${target}\u0000${arg.path}`);
        }
      }
    }
  const out: ModelFact[] = [];
  for (const [file, f] of model.facts) {
    for (const k of f.module?.classes ?? []) {
      if (!k.name || !guarded.has(`${file}\u0000${k.name}`) || !k.methods.some((m) => m.name === 'canActivate')) continue;
      const read = f.members.find((m) => HANDSHAKE_TOKEN.test(m.path));
      const verify = f.calls.find((c) => VERIFY_CALL.test(c.method));
      if (!read || !verify) continue;
      out.push({
        kind: 'message-guard-handshake-token',
        name: k.name,
        evidence: ev(file, verify.line),
        note: `\`${k.name}\` verifies the token the client sent at the handshake (\`${read.path}\`, line ${read.line}) again before every message of the handlers it guards; an open connection never changes its handshake, so once that token expires every guarded message is refused until the client reconnects.`,
      });
    }
  }
  return out;
}

/**
 * A `@SubscribeMessage` handler that returns `{ event, data }`: Nest's Socket.IO adapter emits
 * `response.event` back to the sender and calls the ack callback only when the response has no
 * `event` (https://github.com/nestjs/nest/blob/master/packages/platform-socket.io/adapters/io-adapter.ts,
 * bindMessageHandlers; docs.nestjs.com/websockets/gateways, "Multiple responses").
 */
function wsResponseReturns(analyses: readonly FileAnalysis[]): ModelFact[] {
  const out: ModelFact[] = [];
  for (const a of analyses)
    for (const k of a.ctx.facts.module?.classes ?? []) {
      if (!k.decorators.some((d) => d.name === 'WebSocketGateway')) continue;
      for (const m of k.methods) {
        const sub = m.decorators.find((d) => d.name === 'SubscribeMessage');
        const handled = firstString(sub?.args[0]);
        if (!sub || !handled || !m.returnsEvent) continue;
        const arg = m.returnsEvent.arg;
        const returned = firstString(arg) ?? arg.path ?? null;
        if (!returned) continue;
        out.push({
          kind: 'ws-response-return',
          name: handled,
          value: returned,
          evidence: ev(a.file, m.returnsEvent.line),
          note: `The \`${handled}\` handler returns \`{ event, data }\`: Nest emits \`${returned}\` back to the sender and never calls the client's ack callback.`,
        });
      }
    }
  return out;
}

/** A URL as written with its variable parts as `*`: `/api/notes/${id}` and `/api/notes/:id` compare equal. */
function urlShape(u: string): string {
  return u
    .replace(/\$\{[^}]*\}/g, '*')
    .replace(/:[A-Za-z_]\w*/g, '*')
    .replace(/^https?:\/\/[^/]+/, '');
}

/**
 * A client PUT with fetch: the whole resource is replaced by what it sends (RFC 9110, section
 * 9.3.4), so next to a CRDT or an op log it is a second writer of the same document.
 */
function httpPuts(analyses: readonly FileAnalysis[]): ModelFact[] {
  const routes: { shape: string; evidence: string }[] = [];
  for (const a of analyses)
    for (const c of a.ctx.facts.calls) {
      const path = c.args[0]?.kind === 'string' ? c.args[0].str : null;
      if (c.method === 'put' && c.path !== 'fetch' && path?.startsWith('/') && c.args.length >= 2)
        routes.push({ shape: urlShape(path), evidence: ev(a.file, c.line) });
    }
  const out: ModelFact[] = [];
  for (const a of analyses)
    for (const c of a.ctx.facts.calls) {
      if (c.path !== 'fetch') continue;
      const init = c.args[1];
      if (init?.kind !== 'object' || init.props?.method?.kind !== 'string' || init.props.method.str?.toUpperCase() !== 'PUT') continue;
      const raw = c.args[0]?.kind === 'string' || c.args[0]?.kind === 'template' ? (c.args[0].str ?? null) : null;
      const url = raw?.replace(/\$\{\}/g, '${…}') ?? null;
      if (!url) continue;
      const body = init.props.body;
      const keys = body?.kind === 'call' && body.path === 'JSON.stringify' && body.args?.[0]?.kind === 'object' ? Object.keys(body.args[0].props ?? {}) : [];
      const route = routes.find((r) => r.shape === urlShape(url));
      out.push({
        kind: 'http-put',
        name: url,
        ...(keys.length > 0 ? { value: keys.join(', ') } : {}),
        ...(route ? { answeredAt: route.evidence } : {}),
        evidence: ev(a.file, c.line),
        note: `The client replaces \`${url}\` with a PUT${keys.length > 0 ? ` of \`{ ${keys.join(', ')} }\`` : ''}${route ? ` (answered at ${route.evidence})` : ''}: each save writes the whole resource.`,
      });
    }
  return out;
}

/** An identifier that names one room, document or conversation: what a per-room topic is built from. */
const SCOPE_ID = /^(?:\w*\.)?(?:room|channel|board|doc(?:ument)?|lobby|space|game|chat|thread|conversation|match)(?:Id|_id|ID|Key|Name|Slug)$/;

/** The scope ids an argument reads, nested objects and calls included. */
function scopeIds(arg: ArgInfo | null | undefined, out: Map<string, number>): void {
  if (!arg) return;
  if ((arg.kind === 'ident' || arg.kind === 'member') && arg.path && SCOPE_ID.test(arg.path) && !out.has(arg.path)) out.set(arg.path, arg.line);
  for (const v of Object.values(arg.props ?? {})) scopeIds(v, out);
  for (const v of arg.items ?? []) scopeIds(v, out);
  for (const v of arg.args ?? []) scopeIds(v, out);
}

/**
 * supabase-js `supabase.channel(topic)` names the Realtime topic every client with the same
 * topic joins, and returns the channel already made for that topic: a constant topic in an
 * effect that reads a room id puts the clients of every room on one channel, so each sees the
 * others' presence and broadcasts (supabase.com/docs/guides/realtime/presence).
 */
function constantTopic(a: FileAnalysis): ModelFact[] {
  const out: ModelFact[] = [];
  const supabase = (path: string): boolean => moduleOf(a.ctx, path) === '@supabase/supabase-js' || /supabase/i.test(path.split('.')[0] ?? '');
  for (const effect of a.ctx.facts.effects) {
    const ids = new Map<string, number>();
    for (const c of effect.calls) for (const arg of c.args) scopeIds(arg, ids);
    const [id, idLine] = [...ids][0] ?? [];
    if (!id) continue;
    for (const c of effect.calls) {
      const topic = c.args[0];
      if (c.method !== 'channel' || !supabase(c.path) || topic?.kind !== 'string' || topic.str === undefined) continue;
      out.push({
        kind: 'constant-topic',
        name: topic.str,
        evidence: ev(a.file, c.line),
        note: `\`${c.path}('${topic.str}')\` opens the same Realtime topic whatever the room: the effect reads \`${id}\` (line ${idLine}) but the topic does not include it, so the clients of every room join one channel and each sees the presence and broadcasts of all of them.`,
      });
    }
  }
  return out;
}

/**
 * Client libraries whose send queues a message while the socket is not open and sends it when the
 * next connection opens. react-use-websocket: `sendMessage(message, keep = true)` and
 * `sendJsonMessage(message, keep = true)` push to a queue unless `keep` is false, flushed on open
 * (github.com/robtaussig/react-use-websocket#sendmessage).
 */
const QUEUEING_SENDS: readonly { pkg: string; methods: ReadonlySet<string>; keepArg: number; say: string; off: string }[] = [
  {
    pkg: 'react-use-websocket',
    methods: new Set(['sendJsonMessage', 'sendMessage']),
    keepArg: 1,
    say: 'react-use-websocket queues a message sent while the socket is not open (its `keep` argument defaults to true) and sends it when the next connection opens',
    off: 'keep = false',
  },
];

/**
 * A server send guarded by the socket's queued bytes (`if (ws.bufferedAmount > MAX) continue;`):
 * the project already sheds a slow consumer there, so a plan sets that check's threshold.
 */
function bufferChecks(a: FileAnalysis): ModelFact[] {
  // The same socket is read and sent on in this file: `ws.bufferedAmount` next to `ws.send(…)`.
  const m = a.ctx.facts.members.find((x) => {
    const hit = /^(.+)\.(?:bufferedAmount|getBufferedAmount)$/.exec(x.path);
    return hit !== null && a.ctx.facts.calls.some((c) => c.method === 'send' && c.path === `${hit[1]}.send`);
  });
  if (!m) return [];
  return [
    {
      kind: 'buffer-check',
      name: m.path,
      evidence: ev(a.file, m.line),
      note: `\`${m.path}\` is read in the module that sends on the same socket: the code already looks at what a slow socket has queued there.`,
    },
  ];
}

/** Functions the platform or library calls with each inbound message. */
const MESSAGE_HANDLER = /^(?:webSocketMessage|onMessage|onmessage|handleMessage|message)$/;

/**
 * A message handler that drops or refuses a frame above a size (`if (raw.length > 4096) return;`
 * in `webSocketMessage`): the project's own payload cap, where the runtime has no option for one.
 */
function messageSizeChecks(a: FileAnalysis): ModelFact[] {
  // Only the frame itself (`raw.length`), not a field of the parsed message (`msg.text.length`, a field cap).
  const c = (a.ctx.facts.sizeChecks ?? []).find((x) => x.fn !== null && MESSAGE_HANDLER.test(x.fn) && /^\w+\.\w+$/.test(x.path));
  if (!c) return [];
  return [
    {
      kind: 'message-size-check',
      name: c.path,
      value: String(c.limit),
      evidence: ev(a.file, c.line),
      note: `\`${c.fn}\` lets through only frames whose \`${c.path}\` is at most ${c.limit.toLocaleString('en-US')}: the project's own cap on one message.`,
    },
  ];
}

/** `this.ctx.storage.sql.exec`, `this.state.storage.put`, `this.room.storage.put`: the storage kept with a room's own object. */
const STORAGE_CALL = /(?:^|\.)storage\.(?:sql\.exec|put)$/;
const SQL_WRITE = /^\s*(INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE)\s+["`[]?(\w+)/i;

/** `CREATE TABLE [IF NOT EXISTS] name (…)`: whether it is guarded, the table and its definitions. */
const SQL_CREATE = /^\s*CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?["`[]?(\w+)["`\]]?\s*\(([\s\S]*)\)\s*;?\s*$/i;

/** The column names of a table definition, leaving out table constraints (`PRIMARY KEY (a, b)`, `UNIQUE (…)`). */
function columnsOf(defs: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of defs) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => /^\s*["`[]?(\w+)/.exec(p)?.[1] ?? '').filter((n) => n !== '' && !/^(?:PRIMARY|UNIQUE|CHECK|FOREIGN|CONSTRAINT)$/i.test(n));
}

/**
 * Writes to the storage a Durable Object (or a PartyKit room, one underneath) keeps with itself:
 * `storage.sql.exec('INSERT INTO messages …')` or `storage.put(key, value)`. Reads and schema
 * statements (`SELECT`, `CREATE TABLE`) are not writes of an object.
 * https://developers.cloudflare.com/durable-objects/api/storage-api/
 */
function storageWrites(a: FileAnalysis): ModelFact[] {
  const out: ModelFact[] = [];
  for (const c of a.ctx.facts.calls) {
    if (!STORAGE_CALL.test(c.path)) continue;
    const first = c.args[0];
    const text = first?.kind === 'string' || first?.kind === 'template' ? (first.str ?? null) : null;
    if (c.path.endsWith('.exec')) {
      const table = text === null ? null : SQL_CREATE.exec(text);
      if (table) {
        out.push({
          kind: 'storage-table',
          name: c.path,
          store: table[2]!,
          value: columnsOf(table[3]!).join(','),
          evidence: ev(a.file, c.line),
          ...(table[1] ? { ifNotExists: true as const } : {}),
          note: `\`${c.path}\` creates the \`${table[2]}\` table${table[1] ? ' only where it does not exist yet: a table an object already has keeps its columns' : ''}.`,
        });
        continue;
      }
      const m = text === null ? null : SQL_WRITE.exec(text);
      if (!m) continue;
      if (/^\s*INSERT(?:\s+OR\s+\w+)?\s+INTO\s+["`[]?\w+["`\]]?\s+VALUES\b/i.test(text!))
        out.push({
          kind: 'positional-insert',
          name: c.path,
          store: m[2]!,
          evidence: ev(a.file, c.line),
          note: `\`${c.path}\` inserts into \`${m[2]}\` by position, without a column list: it fails once the table has more columns.`,
        });
      const verb = m[1]!.split(/\s+/)[0]!.toUpperCase();
      out.push({
        kind: 'storage-write',
        name: c.path,
        store: m[2]!,
        value: verb,
        evidence: ev(a.file, c.line),
        note: `\`${c.path}\` writes to the \`${m[2]}\` table (${verb}) of the storage the platform keeps with this object: it outlives the process.`,
      });
    } else if (text !== null) {
      out.push({
        kind: 'storage-write',
        name: c.path,
        store: text,
        value: 'put',
        evidence: ev(a.file, c.line),
        note: `\`${c.path}\` writes the key \`${text}\` to the storage the platform keeps with this object: it outlives the process.`,
      });
    }
  }
  return out;
}

/**
 * The first line in the file where the client sends each event: what a throttle on that event wraps.
 * `together`: the other events the same function sends on every run with this one (each send
 * outside any if, loop, `&&` or `?:` of the function), each with its line: one user action sends
 * them all, so they count together against a rate limit.
 */
function clientSends(a: FileAnalysis): ModelFact[] {
  const seen = new Set<string>();
  const out: ModelFact[] = [];
  const sends = [...a.events].sort((x, y) => x.line - y.line).filter((e) => e.act === 'emit' && e.side === 'client' && !e.wildcard);
  // Each unconditional send by the function it runs in.
  const always = new Map<number, { name: string; line: number }[]>();
  for (const e of sends) {
    const call = a.ctx.facts.calls.find((c) => c.line === e.line && c.fnAt !== undefined);
    if (!call || call.branched || call.fnAt === undefined) continue;
    const group = always.get(call.fnAt) ?? [];
    if (!group.some((g) => g.name === e.name)) group.push({ name: e.name, line: e.line });
    always.set(call.fnAt, group);
  }
  for (const e of sends) {
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    const group = [...always.values()].find((g) => g.some((x) => x.name === e.name && x.line === e.line)) ?? [];
    const together = group.filter((x) => x.name !== e.name).map((x) => `${x.name}@${ev(a.file, x.line)}`);
    out.push({
      kind: 'client-send',
      name: e.name,
      evidence: ev(a.file, e.line),
      note: `The client sends \`${e.name}\` here.`,
      ...(together.length > 0 ? { together } : {}),
    });
  }
  return out;
}

function queuedSends(a: FileAnalysis): ModelFact[] {
  const out: ModelFact[] = [];
  for (const q of QUEUEING_SENDS) {
    if (!a.ctx.sources.has(q.pkg)) continue;
    for (const c of a.ctx.facts.calls) {
      if (!q.methods.has(c.method) || c.args.length === 0) continue;
      const keep = c.args[q.keepArg];
      if (keep?.kind === 'bool' && keep.bool === false) continue;
      out.push({
        kind: 'queued-send',
        name: c.path,
        evidence: ev(a.file, c.line),
        value: q.off,
        note: `\`${c.path}\` is called without \`${q.off}\`: ${q.say}.`,
      });
    }
  }
  return out.slice(0, 1);
}

/** An event that says someone is typing: its indicator is transient by nature. */
const TYPING_EVENT = /typing/i;

/** A setter argument that resets or may reset the state: null, undefined, false, '', [], or an updater function. */
function resets(arg: ArgInfo | undefined): boolean {
  if (!arg) return true;
  if (arg.kind === 'other' || arg.kind === 'function') return true;
  if (arg.kind === 'bool') return arg.bool === false;
  if (arg.kind === 'string') return arg.str === '';
  if (arg.kind === 'array') return (arg.items ?? []).length === 0;
  return arg.kind === 'ident' && arg.path === 'undefined';
}

/**
 * A state setter (`setTyping(payload.name)`) called in the listener of a typing event and never
 * called elsewhere in the file with an empty value, in a file with no timer: the indicator shows
 * the last sender until the next typing event, however long ago that was and whether the sender
 * left or not.
 */
function typingNeverCleared(a: FileAnalysis): ModelFact[] {
  const calls = a.ctx.facts.calls;
  // A timer anywhere in the file may clear it: say nothing then.
  if (calls.some((c) => /^(setTimeout|setInterval)$/.test(c.method))) return [];
  const eventAt = (line: number): string | null => {
    for (const c of calls) {
      if (c.line !== line || c.method !== 'on') continue;
      for (const arg of c.args) {
        const name = arg.kind === 'string' ? arg.str : arg.kind === 'object' && arg.props?.event?.kind === 'string' ? arg.props.event.str : undefined;
        if (name && TYPING_EVENT.test(name)) return name;
      }
    }
    return null;
  };
  const out: ModelFact[] = [];
  for (const c of calls) {
    if (c.listener === undefined || c.path !== c.method || !/^set[A-Z]\w*$/.test(c.method) || resets(c.args[0])) continue;
    const event = eventAt(c.listener);
    if (!event) continue;
    if (calls.some((o) => o.path === c.path && resets(o.args[0]))) continue;
    out.push({
      kind: 'typing-never-cleared',
      name: c.path,
      evidence: ev(a.file, c.line),
      value: event,
      note: `\`${c.path}\` sets the typing indicator on every \`${event}\` event and nothing in the file sets it back (no empty value, no timer): it shows the last sender until another \`${event}\` arrives, however long ago that was and whether or not the sender left.`,
    });
  }
  return out.slice(0, 1);
}

/**
 * Presence SDK calls that return one member per connection, not per client: the id field that
 * names the client, and the documented reason, in words. Ably: `channel.presence.get()` resolves
 * to PresenceMessages, one per member, and a member is a (clientId, connectionId) pair, so a client
 * connected twice (two tabs, two devices) is two members with the same clientId
 * (ably.com/docs/presence-occupancy/presence: "a single clientId may be present multiple times on
 * the same channel via different client connections").
 */
const PER_CONNECTION_PRESENCE: readonly { call: RegExp; id: string; whyMd: string }[] = [
  {
    call: /(?:^|\.)presence\.get\(\)$/,
    id: 'clientId',
    whyMd:
      'Ably returns one member per connection, and a client connected twice (two tabs, two devices) is two members with the same `clientId` and different `connectionId`s',
  },
];
/** Calls that make a list's entries unique, or keep some of them: a list built with one is not one entry per connection. */
const DEDUPES = /^(?:filter|reduce|uniq|uniqBy|findIndex|indexOf|includes|has)$/;

/**
 * A presence member list mapped to the client's id (`members.map((p) => p.clientId)`) with nothing
 * in the file that makes it unique: each connection of one client is an entry of its own. Also says
 * what the members enter with (`presence.enter({ name })`) where the list does not read it.
 */
function presencePerConnection(a: FileAnalysis): ModelFact[] {
  const f = a.ctx.facts;
  const out: ModelFact[] = [];
  if (f.calls.some((c) => c.isNew && /^(?:Set|Map)$/.test(c.path))) return [];
  for (const kind of PER_CONNECTION_PRESENCE) {
    for (const v of f.vars.filter((x) => kind.call.test(x.init))) {
      const map = f.calls.find((c) => c.path === `${v.name}.map` && c.args[0]?.kind === 'function' && c.args[0].params?.[0]);
      if (!map || f.calls.some((c) => c.path.startsWith(`${v.name}.`) && DEDUPES.test(c.method))) continue;
      const fn = map.args[0]!;
      const param = fn.params![0]!;
      const end = fn.endLine ?? map.line;
      const inFn = (line: number) => line >= map.line && line <= end;
      if (!f.members.some((m) => m.path === `${param}.${kind.id}` && inFn(m.line))) continue;
      if (f.members.some((m) => m.path.startsWith(`${param}.data`) && inFn(m.line))) continue;
      const enter = f.calls.find((c) => /(?:^|\.)presence\.enter$/.test(c.path) && c.args[0]?.kind === 'object');
      const keys = Object.keys(enter?.args[0]?.props ?? {});
      const setter = f.calls.find((c) => c.line === map.line && /^set[A-Z]\w*$/.test(c.path) && c.args[0]?.path === map.path);
      const shown = setter ? `\`${setter.path}\` lists` : 'The list holds';
      out.push({
        kind: 'presence-per-connection',
        name: map.path,
        evidence: ev(a.file, map.line),
        value: kind.id,
        note: `${shown} \`${param}.${kind.id}\` of every member \`${v.init}\` returns (line ${v.line}), with nothing that makes the list unique: ${kind.whyMd}, so a person with two tabs or devices is listed twice.${enter && keys.length > 0 ? ` It also shows ids, while each member enters with \`{ ${keys.join(', ')} }\` (line ${enter.line}), which the list does not read.` : ''}`,
      });
    }
  }
  return out;
}

/**
 * Database change listeners that can be asked for every kind of change at once. supabase-js:
 * `.on('postgres_changes', { event: '*', table }, cb)` calls cb on INSERT, UPDATE and DELETE
 * (supabase.com/docs/guides/realtime/postgres-changes).
 */
const ALL_CHANGES: readonly { channel: string; allMd: string }[] = [{ channel: 'postgres_changes', allMd: "`event: '*'`: inserts, updates and deletes alike" }];

/**
 * A counter raised by one (`setCount((n) => n + 1)`) in the listener of every change to a table:
 * a delete raises it as an insert does. Where the file reads no stored value either (no
 * `select`), the count starts from the initial state, not from what is stored.
 */
function countsEveryChange(a: FileAnalysis): ModelFact[] {
  const calls = a.ctx.facts.calls;
  const out: ModelFact[] = [];
  for (const on of calls) {
    if (on.method !== 'on') continue;
    const kind = ALL_CHANGES.find((k) => on.args[0]?.kind === 'string' && on.args[0].str === k.channel);
    const filter = on.args[1];
    if (!kind || filter?.kind !== 'object' || filter.props?.event?.kind !== 'string' || filter.props.event.str !== '*') continue;
    const table = filter.props.table?.kind === 'string' ? filter.props.table.str : undefined;
    const bump = calls.find((c) => c.listener === on.line && c.path === c.method && /^set[A-Z]\w*$/.test(c.method) && (c.args[0]?.adds ?? 0) > 0);
    if (!bump) continue;
    const reads = calls.some((c) => c.method === 'select' || c.method === 'rpc');
    const start = calls.find((c) => c.method === 'useState' && c.args[0]?.kind === 'number');
    const from =
      !reads && start?.args[0]?.num !== undefined
        ? ` Nothing in the file reads the stored count, so it starts at ${start.args[0].num} (line ${start.line}) and counts only the changes since the listener opened.`
        : '';
    out.push({
      kind: 'counts-every-change',
      name: bump.path,
      evidence: ev(a.file, bump.line),
      ...(table ? { value: table } : {}),
      note: `\`${bump.path}\` adds ${bump.args[0]!.adds} on every \`${kind.channel}\` event${table ? ` of \`${table}\`` : ''} (${kind.allMd}): a deleted row raises the count as an inserted one does, and an update raises it too.${from}`,
    });
  }
  return out;
}

/** A subscribe-like message: watch, subscribe, follow; not their un- forms. */
const SUBSCRIBE_EVENT = /(?<!un)(?:subscribe|watch|follow)/i;
const OPEN_EVENT = /^(?:open|connect|reconnect)$/;

/**
 * A client that sends its subscribe message (`watch`) only when the app asks, in a file with no
 * `open` / `connect` listener and no `onopen`: the server keeps subscriptions per connection, so a
 * reconnect (which the client library makes by itself) comes back subscribed to nothing.
 */
/** The file sends on the connection opening: an open/connect listener, `onopen`, or an effect keyed on the connection state. */
function sendsOnOpen(a: FileAnalysis): boolean {
  const f = a.ctx.facts;
  return (
    f.calls.some((c) => ['addEventListener', 'on', 'once'].includes(c.method) && OPEN_EVENT.test(c.args[0]?.str ?? '')) ||
    f.assigns.some((x) => /(?:^|\.)onopen$/.test(x.target)) ||
    f.members.some((m) => /(?:^|\.)onopen$/.test(m.path)) ||
    // A send in an effect keyed on the connection state (`readyState === ReadyState.OPEN`) runs on every open.
    f.members.some((m) => /(?:^|\.)(?:readyState|OPEN|connected|isConnected)$/.test(m.path)) ||
    f.effects.length > 0
  );
}

function resubscribeMissing(a: FileAnalysis): ModelFact[] {
  const sent = a.events.filter((e) => e.act === 'emit' && e.side === 'client' && SUBSCRIBE_EVENT.test(e.name));
  if (sent.length === 0) return [];
  if (sendsOnOpen(a)) return [];
  const first = sent[0]!;
  return [
    {
      kind: 'resubscribe-missing',
      name: first.name,
      evidence: `${a.file}:${first.line}`,
      note: `\`${first.name}\` is sent only when the app calls for it (line ${first.line}); nothing in \`${a.file}\` listens for the connection opening, so after a reconnect the new connection has none of the earlier subscriptions until the app sends it again.`,
    },
  ];
}

/** A server event that carries the current state as a whole, by its last name part: a snapshot, a sync, an initial list. */
const STATE_EVENT = /(?:^|[.:_\-/])(?:sync|snapshot|state|init|initial|welcome|hello|list|all|full)$/i;

/**
 * A client that subscribes again on every new connection (an effect keyed on the open state, an
 * open listener) while every server event it handles is a change of one thing (`job.updated`), none
 * the current state as a whole (its name a snapshot or sync, or a payload field that is a list),
 * and no server code here that answers the subscribe with anything: what changed while the
 * connection was down is never sent again, so the client keeps the state from before the drop.
 * A server here whose subscribe handler sends something may send the state: then nothing is said.
 */
function resubscribeNoState(analyses: readonly FileAnalysis[], facts: readonly ModelFact[]): ModelFact[] {
  const clientFiles = analyses.filter((a) => a.events.some((e) => e.side === 'client'));
  const handled = [...new Set(clientFiles.flatMap((a) => a.events.filter((e) => e.act === 'handle' && e.side === 'client').map((e) => e.name)))].sort();
  if (handled.length === 0) return [];
  const wholeState = clientFiles.some((a) =>
    a.events.some(
      (e) =>
        e.act === 'handle' && e.side === 'client' && (STATE_EVENT.test(e.name) || (e.payload?.fields ?? []).some((x) => /\[\]$|^Array<|^Record</.test(x.type))),
    ),
  );
  if (wholeState) return [];
  // Server code in this project: only one whose subscribe handler is known to send nothing.
  const serverHere = analyses.some((a) => a.events.some((e) => e.side === 'server'));
  if (serverHere && !facts.some((x) => x.kind === 'subscribe-sends-nothing')) return [];
  for (const a of clientFiles) {
    const sub = a.events.find((e) => e.act === 'emit' && e.side === 'client' && SUBSCRIBE_EVENT.test(e.name));
    if (!sub || !sendsOnOpen(a)) continue;
    return [
      {
        kind: 'resubscribe-no-state',
        name: sub.name,
        evidence: `${a.file}:${sub.line}`,
        value: handled.join(', '),
        note: `\`${sub.name}\` is sent again on every new connection (line ${sub.line}), but every server event the client handles is a change (${handled.map((n) => `\`${n}\``).join(', ')}), none the current state as a whole${serverHere ? ', and the server answers the subscribe with nothing' : ', and the server is not in this repository'}: a change sent while the connection was down is never applied, and what no later change replaces stays as it was before the drop.`,
      },
    ];
  }
  return [];
}

/**
 * A server's subscribe case (`case 'watch':`) whose body makes no send before the next case: the
 * socket joins the topic and gets only the next update, not the current value.
 */
function subscribeSendsNothing(a: FileAnalysis): ModelFact[] {
  const f = a.ctx.facts;
  const cases = [...f.typeCases].sort((x, y) => x.line - y.line);
  return cases.flatMap((c, i) => {
    if (!SUBSCRIBE_EVENT.test(c.name)) return [];
    const end = cases[i + 1]?.line ?? Number.POSITIVE_INFINITY;
    const body = f.calls.filter((x) => x.line > c.line && x.line < end);
    if (body.length === 0 || end === Number.POSITIVE_INFINITY) return [];
    // Only the subscribe itself (and logging): any other call may send the value (a `reply()` wrapper).
    if (!body.some((x) => x.method === 'subscribe' || x.method === 'join')) return [];
    if (!body.every((x) => x.method === 'subscribe' || x.method === 'join' || x.root === 'console')) return [];
    return [
      {
        kind: 'subscribe-sends-nothing' as const,
        name: c.name,
        evidence: `${a.file}:${c.line}`,
        note: `The \`${c.name}\` handler subscribes the socket and sends nothing back: a client that subscribes gets no current value, only the next update, whenever it comes.`,
      },
    ];
  });
}

/**
 * A send in a loop over every socket the process holds (`for (const ws of clients)`, a socket
 * index; `wss.clients.forEach(…)`) with no test in the loop that picks some of them (a check of
 * the socket's open state or a skip of the sender picks none): each message reaches every
 * connection. One fact per loop (name: the collection; store: the socket index when there is one).
 */
function broadcastsToAll(model: ModuleModel, facts: readonly ModelFact[]): ModelFact[] {
  const out: ModelFact[] = [];
  const indexes = facts.filter((x) => x.kind === 'socket-index');
  // Another loop that sends to picked sockets (a room's, a subscription's) means not every broadcast reaches everyone.
  const picked = [...model.facts.values()].some((g) => g.calls.some((c) => c.inLoop && c.loopFiltered && SEND.test(c.method)));
  for (const [file, f] of model.facts) {
    const own = new Set(indexes.filter((x) => x.evidence.replace(/:\d+$/, '') === file).map((x) => x.name));
    // `wss.clients` of a ws server made in this file; a room's own `room.clients` is some of the sockets, not all.
    const servers = new Set(f.vars.filter((v) => /^new (?:\w+\.)?(?:WebSocketServer|Server)\(\)$/.test(v.init)).map((v) => v.name));
    const seen = new Set<string>();
    for (const c of f.calls) {
      if (!c.inLoop || c.loopFiltered || c.loopOver === undefined || !SEND.test(c.method) || c.method === 'enqueue') continue;
      const over = c.loopOver;
      if (!own.has(over) && !(over.endsWith('.clients') && servers.has(over.slice(0, -'.clients'.length)))) continue;
      if (seen.has(over)) continue;
      seen.add(over);
      out.push({
        kind: 'broadcast-all',
        name: over,
        ...(own.has(over) ? { store: over } : {}),
        ...(picked ? {} : { value: 'only' }),
        evidence: ev(file, c.line),
        note: c.loopSkipsSender
          ? `\`${c.path}\` runs for every socket in \`${over}\` but the sender (\`${c.loopSkipsSender}\`), and no other test in that loop picks some of them: each message sent there reaches every other connection the process holds.`
          : c.loopSkipsParam
            ? `\`${c.path}\` runs for every socket in \`${over}\` but the one its caller passes to be left out (\`${c.loopSkipsParam.how}\`), and no other test in that loop picks some of them: each message sent there reaches every connection the process holds but that one.`
            : `\`${c.path}\` runs for every socket in \`${over}\`, and no test in that loop picks some of them: each message sent there reaches every connection the process holds.`,
      });
    }
  }
  return out;
}

/**
 * Where the code publishes through an in-memory PubSub (`pubsub.publish(…)` in its own module or
 * in one that imports it, a resolver of a mutation): that process's subscribers are the only ones
 * a change published there reaches.
 */
function withPublishSites(model: ModuleModel, x: ModelFact): ModelFact {
  const file = x.evidence.slice(0, x.evidence.lastIndexOf(':'));
  const sites = [...model.facts.values()].flatMap((m) => {
    const local =
      m.file === file
        ? x.name
        : m.imports
            .find((i) => model.resolve(m.file, i.source) === file && i.locals.some((l) => l.imported === x.name))
            ?.locals.find((l) => l.imported === x.name)?.local;
    return local ? m.calls.filter((c) => c.path === `${local}.publish`).map((c) => ({ at: ev(m.file, c.line), fn: c.inFn })) : [];
  });
  if (sites.length === 0) return x;
  const where = sites.map((s) => `\`${s.at}\`${s.fn ? ` (in \`${s.fn}\`)` : ''}`).join(', ');
  return { ...x, note: `${x.note} The code publishes through it at ${where}: only the subscribers of the process that ran it receive that change.` };
}

/**
 * A client module of a managed provider that leaves its channel or room: the SDK's own leave call,
 * believed only on a receiver that holds the provider's channel or client. `removeChannel` and
 * `removeAllChannels` on the object the module opens channels on (`supabase.channel(…)` there makes
 * `supabase.removeChannel(channel)` one); `unsubscribe`, `detach` or `disconnect` on a local made by
 * `.channel(…)` or `.channels.get(…)`, or by the provider client's own constructor or call
 * (`const [room] = useState(() => new Room())`, `const pusher = new Pusher(…)`). An auth listener's
 * `subscription.unsubscribe()`, an `observer.disconnect()` or an RxJS subscription is none of these.
 */
const REMOVE_CALLS = new Set(['removeChannel', 'removeAllChannels']);
const LEAVE_CALLS = new Set(['unsubscribe', 'detach', 'disconnect']);
const CHANNEL_INIT = /\.(?:channel|channels\.get)\(\)/;
function leavesChannel(a: FileAnalysis, c: CallFact): boolean {
  const recv = c.path.slice(0, -(c.method.length + 1));
  if (!recv || c.path !== `${recv}.${c.method}` || !/^[\w$]+$/.test(recv)) return false;
  if (REMOVE_CALLS.has(c.method)) return a.ctx.facts.calls.some((x) => x.path === `${recv}.channel` && !x.isNew);
  if (!LEAVE_CALLS.has(c.method)) return false;
  const clientLines = new Set(a.entries.filter((e) => e.kind === 'provider-client').map((e) => e.line));
  return a.ctx.facts.vars.some((v) => v.name === recv && (CHANNEL_INIT.test(v.init) || clientLines.has(v.line)));
}
function channelCleanups(analyses: readonly FileAnalysis[], model: ModuleModel): ModelFact[] {
  const clients = new Set(analyses.filter((a) => a.entries.some((e) => e.kind === 'provider-client')).map((a) => a.file));
  if (clients.size === 0) return [];
  const out: ModelFact[] = [];
  for (const a of analyses) {
    const linked = clients.has(a.file) || a.ctx.facts.imports.some((i) => clients.has(model.resolve(a.file, i.source) ?? ''));
    if (!linked) continue;
    const c = a.ctx.facts.calls.find((x) => leavesChannel(a, x));
    if (c)
      out.push({
        kind: 'channel-cleanup',
        name: c.path,
        evidence: ev(a.file, c.line),
        note: `\`${c.path}()\` leaves the provider's channel or room here.`,
      });
  }
  return out;
}

/** `packages`: the project's manifests, for facts that hold only under a framework it declares (a Next.js route module). */
export function planFacts(
  analyses: readonly FileAnalysis[],
  model: ModuleModel | undefined,
  eventNames: ReadonlySet<string> = new Set(),
  packages: readonly WorkspacePackage[] = [],
  pageClients: readonly string[] = [],
): ModelFact[] {
  if (!model) return [];
  const out: ModelFact[] = [...channelCleanups(analyses, model)];
  if (eventNames.size > 0) out.push(...protocolNames(model, eventNames));
  out.push(
    ...messageGuardHandshakeToken(analyses, model),
    ...wsResponseReturns(analyses),
    ...httpPuts(analyses),
    ...voiceTools(analyses, model),
    ...audioIo(analyses),
  );
  if (analyses.some((a) => a.entries.some((e) => e.kind === 'socket-server')))
    out.push(...roomNames(model), ...joinBroadcasts(model), ...roomBroadcasts(model), ...repeatAccumulates(model));
  for (const [file, via] of serverModules(analyses, model)) {
    const f = model.facts.get(file);
    if (!f) continue;
    out.push(...processState(f, via), ...connectionIdentity(f), ...queryToken(f), ...perConnectionClient(f), ...sendDropsOffline(f));
  }
  for (const [i, x] of out.entries()) if (x.kind === 'process-state' && x.value === 'PubSub') out[i] = withPublishSites(model, x);
  out.push(...broadcastSources(model, out, eventNames), ...broadcastsToAll(model, out));
  out.push(
    ...redisWrites(model),
    ...senderExcluded(model),
    ...wholeCollectionSends(model),
    ...recordVersions(model),
    ...overlappingMessages(model),
    ...changeTimes(model.facts),
  );
  for (const a of analyses)
    out.push(
      ...optionsObject(a, model),
      ...reconnectAttempts(a, model),
      ...reconnectDelay(a, model),
      ...closeCodeStops(a),
      ...reconnectOptions(a, model),
      ...serverOptions(a, model),
      ...authRoute(a),
      ...streamHook(a),
      ...unstreamedCompletion(a),
      ...websocketOnly(a),
      ...sseResume(a),
      ...constantTopic(a),
      ...queuedSends(a),
      ...typingNeverCleared(a),
      ...countsEveryChange(a),
      ...presencePerConnection(a),
      ...bufferChecks(a),
      ...messageSizeChecks(a),
      ...storageWrites(a),
      ...clientSends(a),
      ...resubscribeMissing(a),
      ...subscribeSendsNothing(a),
      ...clientListenerFacts(a),
    );
  // The server's own setting says it first; the clients' is read only where the server leaves polling on.
  if (!out.some((f) => f.kind === 'websocket-only')) out.push(...clientsWebsocketOnly(analyses, pageClients));
  out.push(...resubscribeNoState(analyses, out));
  out.push(...keystrokeSends(model.facts, model.resolve, out));
  const servers = new Set(analyses.filter((a) => a.entries.some((e) => SERVER_KINDS.has(e.kind))).map((a) => a.file));
  for (const f of model.facts.values()) out.push(...channelAccess(f, servers.has(f.file)));
  const routes = httpRoutes(model.facts, model.resolve);
  out.push(
    ...routes,
    ...routeHandlers(model.facts, packages),
    ...unguardedAsyncRoutes(model.facts, model.resolve, packages),
    ...routeBodies(model.facts, model.resolve),
    ...browserOnlyPackages(analyses, model),
  );
  // The stream's route as served: joined with the prefix its router is mounted at, or said to be unknown.
  for (const [i, x] of out.entries()) {
    if (x.kind !== 'sse-route') continue;
    const served = routes.filter((r) => r.evidence === x.evidence && r.name.startsWith('GET '));
    if (served.length !== 1) continue;
    const path = served[0]!.name.slice('GET '.length);
    out[i] = served[0]!.mountUnknown
      ? { ...x, mountUnknown: true, note: `The stream is served at \`GET ${path}\` of a router mounted at a path rt-plan could not read.` }
      : { ...x, name: path, note: `The stream is served at \`GET ${path}\`.` };
  }
  out.push(...roleCheckFacts(analyses, model, servers, out));
  // Only where a stream reads a Redis Stream: the log it is replayed from may be written anywhere.
  if (out.some((x) => x.kind === 'stream-source')) for (const f of model.facts.values()) out.push(...streamLog(f));
  const seen = new Set<string>();
  return out
    .filter((x) => {
      // One check line may guard several events (`case 'a': case 'b':`), and one route line be served under
      // several mount prefixes: each is its own fact.
      const key = `${x.kind}\u0000${x.evidence}${x.kind === 'connection-check' || x.kind === 'scoped-send' || (x.kind === 'http-route' || x.kind === 'route-handler') ? `\u0000${x.name}` : ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((x, y) => (x.evidence < y.evidence ? -1 : x.evidence > y.evidence ? 1 : x.kind < y.kind ? -1 : 1));
}
