// Wiring of the Socket.IO Redis adapter. node-redis v4+ clients do not connect by themselves:
// until `connect()` resolves, every publish fails with "The client is closed", so the adapter
// silently delivers nothing across instances. ioredis connects on creation and is not judged.
// https://socket.io/docs/v4/redis-adapter/#with-the-redis-package
// https://github.com/socketio/socket.io-redis-adapter/issues/435
import { resolveRelative } from '../code/companions.js';
import type { CallFact } from '../code/facts.js';
import type { FileAnalysis } from '../code/scan.js';
import type { AuditRule, RuleHit } from './types.js';

const ADAPTERS = new Set(['@socket.io/redis-adapter', '@socket.io/redis-streams-adapter']);

function notConnectedHits(analyses: readonly FileAnalysis[]): RuleHit[] {
  return analyses.flatMap((a) => {
    const { facts } = a.ctx;
    const fromRedis = (name: string): boolean => a.ctx.locals.get(name)?.source === 'redis';
    // `const pub = createClient(…)` from 'redis', and `const sub = pub.duplicate()` of one.
    const clients = new Map<string, number>();
    for (const v of facts.vars) {
      const root = v.init.replace(/\(\)$/, '').split('.')[0] ?? '';
      if (v.init === 'createClient()' && fromRedis('createClient')) clients.set(v.name, v.line);
      else if (/\.duplicate\(\)$/.test(v.init) && clients.has(root)) clients.set(v.name, v.line);
    }
    if (clients.size === 0) return [];
    const connected = new Set(facts.calls.filter((c) => c.method === 'connect').map((c) => c.root));
    return facts.calls
      .filter((c) => c.method === 'createAdapter' && ADAPTERS.has(a.ctx.locals.get(c.root)?.source ?? ''))
      .flatMap((c) => c.args.flatMap((x) => (x.kind === 'ident' && x.path && clients.has(x.path) && !connected.has(x.path) ? [{ name: x.path, call: c }] : [])))
      .map(({ name, call }) => {
        // Set up in a function of its own that is called without `await`: connecting makes it async, so its callers must wait for it.
        const fn = call.inFn && !call.asyncFn ? call.inFn : null;
        const callers = fn ? callersOf(analyses, a.file, fn).filter((c) => c.call.floating) : [];
        const where = callers.map((c) => `${c.file}:${c.call.line}`);
        return {
          evidence: `${a.file}:${clients.get(name)}`,
          message: `Redis client \`${name}\` is handed to the Socket.IO adapter but never connected: node-redis needs \`await ${name}.connect()\`; until then every adapter publish is rejected, unhandled, so on Node 15+ the first broadcast ends the process`,
          ...(fn && where.length > 0
            ? {
                alsoAt: where,
                fix: `Connect both clients before creating the adapter: \`await Promise.all([pubClient.connect(), subClient.connect()])\`, and handle their \`error\` events. That makes \`${fn}\` async: declare it \`async\` and \`await\` it where it is called (${where.join(', ')}) before the server listens, or connections accepted meanwhile stay on the in-memory adapter.`,
              }
            : {}),
        };
      });
  });
}

/** The calls of function `fn` defined in `file`: in that file by name, elsewhere through an import of it. */
function callersOf(analyses: readonly FileAnalysis[], file: string, fn: string): { file: string; call: CallFact }[] {
  const files = new Set(analyses.map((a) => a.file));
  const callers: { file: string; call: CallFact }[] = [];
  for (const b of analyses) {
    const locals =
      b.file === file
        ? [fn]
        : b.ctx.facts.imports
            .filter((i) => resolveRelative(b.file, i.source, files) === file)
            .flatMap((i) => i.locals.filter((l) => l.imported === fn).map((l) => l.local));
    for (const c of b.ctx.facts.calls) if (locals.includes(c.path)) callers.push({ file: b.file, call: c });
  }
  return callers;
}

/** node-redis clients (`createClient()` from 'redis', and `.duplicate()` of one) by name, with their lines. */
function redisClients(a: FileAnalysis): Map<string, number> {
  const fromRedis = (name: string): boolean => a.ctx.locals.get(name)?.source === 'redis';
  const clients = new Map<string, number>();
  for (const v of a.ctx.facts.vars) {
    const root = v.init.replace(/\(\)$/, '').split('.')[0] ?? '';
    if (v.init === 'createClient()' && fromRedis('createClient')) clients.set(v.name, v.line);
    else if (/\.duplicate\(\)$/.test(v.init) && clients.has(root)) clients.set(v.name, v.line);
  }
  return clients;
}

/**
 * A node-redis client handed to the Socket.IO adapter with no `error` listener of its own: node-redis
 * emits every connection error as an `error` event, and an EventEmitter with no listener for it throws,
 * so a Redis blip takes the whole real-time server down. `duplicate()` copies options, not listeners.
 * https://redis.io/docs/latest/develop/clients/nodejs/produsage/ ("Handling errors")
 */
function noErrorListenerHits(analyses: readonly FileAnalysis[]): RuleHit[] {
  return analyses.flatMap((a) => {
    const clients = redisClients(a);
    if (clients.size === 0) return [];
    const { calls } = a.ctx.facts;
    const errorListeners = calls.filter((c) => (c.method === 'on' || c.method === 'once') && c.args[0]?.kind === 'string' && c.args[0].str === 'error');
    // A listener added through another name (`for (const c of [pub, sub]) c.on('error', …)`) or a helper the
    // client is handed to may cover it: the code does not say which clients are covered, so nothing is claimed.
    if (errorListeners.some((c) => !clients.has(c.root))) return [];
    const passed = calls.some((c) => c.method !== 'createAdapter' && c.args.some((x) => x.kind === 'ident' && x.path !== undefined && clients.has(x.path)));
    if (passed) return [];
    const listened = new Set(
      calls.filter((c) => (c.method === 'on' || c.method === 'once') && c.args[0]?.kind === 'string' && c.args[0].str === 'error').map((c) => c.root),
    );
    const handed = calls
      .filter((c) => c.method === 'createAdapter' && ADAPTERS.has(a.ctx.locals.get(c.root)?.source ?? ''))
      .flatMap((c) => c.args.flatMap((x) => (x.kind === 'ident' && x.path && clients.has(x.path) ? [x.path] : [])));
    const silent = [...new Set(handed)].filter((name) => !listened.has(name));
    if (silent.length === 0) return [];
    const names = silent.map((n) => `\`${n}\``).join(' and ');
    return [
      {
        evidence: `${a.file}:${Math.min(...silent.map((n) => clients.get(n) ?? 0))}`,
        message: `Redis client${silent.length > 1 ? 's' : ''} ${names} feed${silent.length > 1 ? '' : 's'} the Socket.IO adapter with no \`error\` listener: node-redis emits connection errors as \`error\` events, and without a listener the first one crashes the process`,
      },
    ];
  });
}

const ANY_ADAPTER = /^(@socket\.io\/[\w-]+-adapter|socket\.io-redis)$/;

/**
 * `io.adapter(createAdapter(…))` inside an async function that does not also start listening,
 * whose every call drops the promise (`setupAdapter(io);`): the server accepts connections on
 * the in-memory adapter until it resolves, and a Redis failure is an unhandled rejection.
 * https://socket.io/docs/v4/redis-adapter/#with-the-redis-package (the adapter is set after `await connect()`)
 */
function notAwaitedHits(analyses: readonly FileAnalysis[]): RuleHit[] {
  const out: RuleHit[] = [];
  for (const a of analyses) {
    const { facts } = a.ctx;
    for (const set of facts.calls) {
      const fn = set.asyncFn;
      const inner = set.args[0];
      if (set.method !== 'adapter' || !fn || inner?.kind !== 'call' || !inner.path) continue;
      if (!ANY_ADAPTER.test(a.ctx.locals.get(inner.path.split('.')[0] ?? '')?.source ?? '')) continue;
      if (facts.calls.some((c) => c.asyncFn === fn && c.method === 'listen')) continue;
      const callers = callersOf(analyses, a.file, fn);
      if (callers.length === 0 || !callers.every((c) => c.call.floating)) continue;
      for (const c of callers)
        out.push({
          evidence: `${c.file}:${c.call.line}`,
          message: `\`${fn}()\` sets the Socket.IO adapter (${a.file}:${set.line}) asynchronously and is called without \`await\`: when it resolves, \`io.adapter()\` gives every namespace a new, empty adapter, so sockets connected before that lose their rooms until they join again or reconnect; and a Redis failure is an unhandled rejection, which ends the process on Node 15 and later`,
        });
    }
  }
  return out;
}

/**
 * `connect().then(() => io.adapter(createAdapter(…)))` as a statement of its own, with no rejection
 * handler (no `.catch`, no second `then` argument): the server accepts connections on the
 * in-memory adapter until the connects resolve, and a failed connect is an unhandled rejection.
 */
function thenHits(analyses: readonly FileAnalysis[]): RuleHit[] {
  const out: RuleHit[] = [];
  for (const a of analyses) {
    const { facts } = a.ctx;
    for (const set of facts.calls) {
      const inner = set.args[0];
      if (set.method !== 'adapter' || inner?.kind !== 'call' || !inner.path) continue;
      if (!ANY_ADAPTER.test(a.ctx.locals.get(inner.path.split('.')[0] ?? '')?.source ?? '')) continue;
      const then = facts.calls.find(
        (c) =>
          c.method === 'then' &&
          c.floating &&
          c.args.length === 1 &&
          c.args[0]!.kind === 'function' &&
          c.args[0]!.line <= set.line &&
          (c.args[0]!.endLine ?? c.args[0]!.line) >= set.line,
      );
      if (!then) continue;
      // The server listens inside the same callback (the redis-adapter README's own pattern): no
      // connection can arrive before the adapter is set, and only the unhandled rejection is left.
      const from = then.args[0]!.line;
      const to = then.args[0]!.endLine ?? from;
      const listen = facts.calls.find((c) => c.method === 'listen' && c.line >= from && c.line <= to);
      if (listen) {
        out.push({
          evidence: `${a.file}:${then.line}`,
          severity: 'medium',
          message: `The Socket.IO adapter is set (${a.file}:${set.line}) in a \`.then()\` with no \`.catch\`; the server listens only inside it (line ${listen.line}), so no connection reaches the in-memory adapter, but a failed Redis connect is an unhandled rejection`,
          why: 'With no `.catch`, a failed Redis connect is an unhandled rejection: Node 15 and later end the process with no message of ours, and older Node leave it running without ever listening.',
          fix: 'Add a `.catch` that logs the error and ends the process (`process.exit(1)`), so the supervisor restarts it with a reason in the log.',
        });
        continue;
      }
      out.push({
        evidence: `${a.file}:${then.line}`,
        message: `The Socket.IO adapter is set (${a.file}:${set.line}) in a \`.then()\` with no \`.catch\`: when it resolves, \`io.adapter()\` gives every namespace a new, empty adapter, so sockets connected before that lose their rooms (the room of their own id too) and get no room broadcast, not even from their own instance, until they join again or reconnect; and a failed Redis connect is an unhandled rejection, which ends the process on Node 15 and later`,
      });
    }
  }
  return out;
}

export const ADAPTER_WIRING_RULES: readonly AuditRule[] = [
  {
    id: 'redis-client-not-connected',
    severity: 'high',
    title: 'Redis adapter client never connected',
    // The adapter's broadcast() calls pubClient.publish() without handling the promise it returns
    // (socket.io-redis-adapter lib/index.ts); Node 15+ ends the process on an unhandled rejection.
    why: 'A node-redis client (v4+) does not connect on creation; handed to the Socket.IO adapter unconnected, every publish is rejected with "The client is closed", and the adapter does not handle that rejection: on Node 15 and later the first broadcast ends the process, and on older Node the event stops at the instance that sent it.',
    fix: 'Connect both clients before creating the adapter: `await Promise.all([pubClient.connect(), subClient.connect()])`, and handle their `error` events.',
    source: 'https://socket.io/docs/v4/redis-adapter/#with-the-redis-package',
    detect: (ctx) => notConnectedHits(ctx.analyses),
  },
  {
    id: 'redis-client-no-error-listener',
    severity: 'high',
    title: 'Redis adapter client without an error listener',
    why: 'node-redis reports every connection problem as an `error` event; a client with no listener for it throws, so one Redis restart or network blip exits the Node.js process and drops every socket on the instance.',
    fix: "Add `client.on('error', (err) => log(err))` to the pub client and to the sub client (a `duplicate()` does not inherit listeners) before connecting; node-redis then reconnects by itself.",
    source: 'https://redis.io/docs/latest/develop/clients/nodejs/produsage/',
    detect: (ctx) => noErrorListenerHits(ctx.analyses),
  },
  {
    id: 'redis-adapter-not-awaited',
    severity: 'high',
    title: 'Adapter set in an async function nobody awaits',
    why: 'The Redis clients must connect before the adapter is set, so the adapter is set in an async function; called without await, the server accepts connections before it is set, and `io.adapter()` then gives every namespace a new, empty adapter: those sockets lose their rooms (the room of their own id too) and get no room broadcast, not even from their own instance, until they join again or reconnect; and a Redis outage becomes an unhandled rejection.',
    fix: 'Await the setup before the server listens (`await setupAdapter(io); httpServer.listen(port)`), or pass the adapter to `new Server(…, { adapter })` after the clients connected; let a failed setup stop the process.',
    source: 'https://socket.io/docs/v4/redis-adapter/#with-the-redis-package',
    detect: (ctx) => notAwaitedHits(ctx.analyses),
  },
  {
    id: 'redis-adapter-then-uncaught',
    severity: 'high',
    title: 'Adapter set in a .then() of the Redis connects, rejection unhandled',
    why: 'The adapter is set only once both Redis connects resolve, and the server does not wait for them: `io.adapter()` then gives every namespace a new, empty adapter (`Server.adapter()` in Socket.IO re-creates the adapter of each namespace), so sockets connected before that lose their rooms (the room of their own id too) and get no room broadcast, not even from their own instance, until they join again or reconnect; with no `.catch`, a failed connect is an unhandled rejection, which ends the process on Node 15 and later and leaves the instance on the in-memory adapter without a word on older Node.',
    fix: 'Await the Redis connects before the server listens (`await Promise.all([pub.connect(), sub.connect()]); io.adapter(createAdapter(pub, sub)); server.listen(port)`), and let a failed connect stop the process with a logged error.',
    source: 'https://socket.io/docs/v4/redis-adapter/#with-the-redis-package',
    detect: (ctx) => thenHits(ctx.analyses),
  },
];
