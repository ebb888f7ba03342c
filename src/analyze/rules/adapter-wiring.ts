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
      .flatMap((c) => c.args.flatMap((x) => (x.kind === 'ident' && x.path && clients.has(x.path) && !connected.has(x.path) ? [x.path] : [])))
      .map((name) => ({
        evidence: `${a.file}:${clients.get(name)}`,
        message: `Redis client \`${name}\` is handed to the Socket.IO adapter but never connected: node-redis needs \`await ${name}.connect()\`, otherwise nothing reaches the other instances`,
      }));
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
  const files = new Set(analyses.map((a) => a.file));
  const out: RuleHit[] = [];
  for (const a of analyses) {
    const { facts } = a.ctx;
    for (const set of facts.calls) {
      const fn = set.asyncFn;
      const inner = set.args[0];
      if (set.method !== 'adapter' || !fn || inner?.kind !== 'call' || !inner.path) continue;
      if (!ANY_ADAPTER.test(a.ctx.locals.get(inner.path.split('.')[0] ?? '')?.source ?? '')) continue;
      if (facts.calls.some((c) => c.asyncFn === fn && c.method === 'listen')) continue;
      const callers: { file: string; call: CallFact }[] = [];
      for (const b of analyses) {
        const locals =
          b.file === a.file
            ? [fn]
            : b.ctx.facts.imports
                .filter((i) => resolveRelative(b.file, i.source, files) === a.file)
                .flatMap((i) => i.locals.filter((l) => l.imported === fn).map((l) => l.local));
        for (const c of b.ctx.facts.calls) if (locals.includes(c.path)) callers.push({ file: b.file, call: c });
      }
      if (callers.length === 0 || !callers.every((c) => c.call.floating)) continue;
      for (const c of callers)
        out.push({
          evidence: `${c.file}:${c.call.line}`,
          message: `\`${fn}()\` sets the Socket.IO adapter (${a.file}:${set.line}) asynchronously and is called without \`await\`: connections accepted before it resolves stay on the in-memory adapter, and a Redis failure is an unhandled rejection`,
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
    why: 'A node-redis client (v4+) does not connect on creation; handed to the Socket.IO adapter unconnected, every publish fails with "The client is closed" and events stop at the instance that sent them.',
    fix: 'Connect both clients before creating the adapter: `await Promise.all([pubClient.connect(), subClient.connect()])`, and handle their `error` events.',
    source: 'https://socket.io/docs/v4/redis-adapter/#with-the-redis-package',
    detect: (ctx) => notConnectedHits(ctx.analyses),
  },
  {
    id: 'redis-adapter-not-awaited',
    severity: 'high',
    title: 'Adapter set in an async function nobody awaits',
    why: 'The Redis clients must connect before the adapter is set, so the adapter is set in an async function; called without await, the server starts accepting connections on the in-memory adapter (their broadcasts never reach other instances) and a Redis outage becomes an unhandled rejection.',
    fix: 'Await the setup before the server listens (`await setupAdapter(io); httpServer.listen(port)`), or pass the adapter to `new Server(…, { adapter })` after the clients connected; let a failed setup stop the process.',
    source: 'https://socket.io/docs/v4/redis-adapter/#with-the-redis-package',
    detect: (ctx) => notAwaitedHits(ctx.analyses),
  },
];
