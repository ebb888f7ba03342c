// Wiring of the Socket.IO Redis adapter. node-redis v4+ clients do not connect by themselves:
// until `connect()` resolves, every publish fails with "The client is closed", so the adapter
// silently delivers nothing across instances. ioredis connects on creation and is not judged.
// https://socket.io/docs/v4/redis-adapter/#with-the-redis-package
// https://github.com/socketio/socket.io-redis-adapter/issues/435
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
];
