// Writes the project makes through a Redis client: the store the code already uses for its
// state (`store.hSet('board:…:cards', …)`), so the plan draws it instead of proposing a database.
// A client is one a module creates (`createClient()` from 'redis', `new Redis()` from 'ioredis',
// a `.duplicate()` of either), followed into the modules that import it. A client only handed
// to the Socket.IO adapter (pub/sub) makes no write, so it is never taken for a store.
// node-redis v4: https://redis.io/docs/latest/develop/clients/nodejs/ (camelCase `hSet`, and `HSET`)
// ioredis: https://github.com/redis/ioredis (lowercase `hset`)
import type { Evidence, ModelFact } from '../../types.js';
import type { ArgInfo } from '../code/ast.js';
import type { FileFacts } from '../code/facts.js';
import type { ModuleModel } from './index.js';
import { roomTemplateOf } from './plan-facts.js';

/** Packages whose factory or constructor makes a Redis client, and the callee that does. */
const FACTORIES: Readonly<Record<string, RegExp>> = {
  redis: /^(?:createClient|createCluster)$/,
  '@redis/client': /^(?:createClient|createCluster)$/,
  ioredis: /^(?:Redis|IORedis|Cluster|default|Redis\.Cluster)$/,
};

/**
 * Commands that store a value (lowercased: node-redis spells them `hSet` or `HSET`, ioredis
 * `hset`). Deletes, expiries and reads are not where state is kept; `publish` is pub/sub.
 */
const WRITES: ReadonlyMap<string, string> = new Map(
  ['set', 'setex', 'psetex', 'setnx', 'mset', 'hset', 'hsetnx', 'hmset', 'hincrby', 'sadd', 'zadd', 'lpush', 'rpush', 'xadd', 'incr', 'incrby', 'append'].map(
    (c) => [c, c.toUpperCase()],
  ),
);

/** The Redis data type each command writes, for the note. */
const TYPE: Readonly<Record<string, string>> = {
  HSET: 'hash',
  HSETNX: 'hash',
  HMSET: 'hash',
  HINCRBY: 'hash',
  SADD: 'set',
  ZADD: 'sorted set',
  LPUSH: 'list',
  RPUSH: 'list',
  XADD: 'stream',
};

const MAX_HOPS = 4;

/** The package a local name is imported from, and the name it has there. */
function importOf(f: FileFacts, local: string): { source: string; imported: string } | null {
  for (const i of f.imports) {
    const l = i.locals.find((x) => x.local === local);
    if (l) return { source: i.source, imported: l.imported };
  }
  return null;
}

/** Whether `callee` (`createClient`, `Redis`, `redis.createClient`) makes a Redis client in `f`. */
function isFactory(f: FileFacts, callee: string): boolean {
  const [head, ...rest] = callee.split('.');
  const imp = importOf(f, head ?? '');
  if (!imp) return false;
  const re = FACTORIES[imp.source];
  if (!re) return false;
  // `import { createClient } from 'redis'`, `import Redis from 'ioredis'`, `import * as redis from 'redis'` then `redis.createClient`.
  const name = imp.imported === '*' || imp.imported === 'default' ? (rest.length > 0 ? rest.join('.') : imp.imported) : [imp.imported, ...rest].join('.');
  return re.test(name);
}

/** Redis clients a module creates at its top level: local name → line. */
function clientsMade(f: FileFacts): Map<string, number> {
  const out = new Map<string, number>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const v of f.vars) {
      if (out.has(v.name)) continue;
      const callee = v.arg.kind === 'call' || v.arg.kind === 'new' ? (v.arg.path ?? '') : '';
      const dup = /^([A-Za-z_$][\w$]*)\.duplicate$/.exec(callee);
      if ((callee && isFactory(f, callee)) || (dup && out.has(dup[1]!))) {
        out.set(v.name, v.line);
        grew = true;
      }
    }
  }
  return out;
}

interface Client {
  /** Where the client is created. */
  at: Evidence;
}

/** The client an exported name of `file` is, following re-exports and import-then-export. */
function exportedClient(model: ModuleModel, made: Map<string, Map<string, number>>, file: string, name: string, hops: number): Client | null {
  if (hops > MAX_HOPS) return null;
  const f = model.facts.get(file);
  if (!f) return null;
  const local = f.module?.exportNames.find((e) => e.exported === name)?.local;
  if (local === undefined) {
    for (const r of f.module?.reexports ?? []) {
      const hit = r.names === null ? name : r.names.find((n) => n.exported === name)?.local;
      const target = hit && hit !== '*' ? model.resolve(file, r.source) : null;
      const got = target ? exportedClient(model, made, target, hit as string, hops + 1) : null;
      if (got) return got;
    }
    return null;
  }
  const line = made.get(file)?.get(local);
  if (line !== undefined) return { at: `${file}:${line}` };
  const imp = importOf(f, local);
  if (!imp || !imp.source.startsWith('.')) return null;
  const target = model.resolve(file, imp.source);
  return target ? exportedClient(model, made, target, imp.imported, hops + 1) : null;
}

/** The clients a module can call: those it makes and those it imports from another module. */
function clientsIn(model: ModuleModel, made: Map<string, Map<string, number>>, f: FileFacts): Map<string, Client> {
  const out = new Map<string, Client>();
  for (const [name, line] of made.get(f.file) ?? []) out.set(name, { at: `${f.file}:${line}` });
  for (const imp of f.imports) {
    if (imp.source.startsWith('.') || imp.source.startsWith('@/') || imp.source.startsWith('~/')) {
      const target = model.resolve(f.file, imp.source);
      if (target === null) continue;
      for (const l of imp.locals) {
        if (l.imported === '*' || out.has(l.local)) continue;
        const c = exportedClient(model, made, target, l.imported, 0);
        if (c) out.set(l.local, c);
      }
    }
  }
  return out;
}

/** The key as written: a string, a template (`board:{boardId}:cards`) or a helper returning one; null otherwise. */
function keyOf(arg: ArgInfo | undefined, f: FileFacts, model: ModuleModel): string | null {
  if (!arg) return null;
  if (arg.kind === 'string' && arg.str !== undefined) return arg.str;
  const t = roomTemplateOf(arg, f.file, f, model);
  const tpl = t ? t.str : null;
  if (tpl === null) return null;
  // Each `${}` is named by what fills it: the helper's argument or the template's expression.
  const fns = f.module?.templateFns;
  const fn = arg.kind === 'call' ? fns?.find((x) => x.name === arg.path) : undefined;
  const exprs = arg.kind === 'template' ? (arg.exprs ?? []) : fn ? (fn.value.exprs ?? []) : (arg.args ?? []);
  let i = 0;
  return tpl.replace(/\$\{\}/g, () => {
    const e = exprs[i++];
    const last = e?.path?.split('.').pop();
    return `{${last && /^[A-Za-z_$][\w$]*$/.test(last) ? last : '…'}}`;
  });
}

/**
 * One fact per write through a Redis client (name: the call as written; store: the key, `''`
 * when the code builds it in a way not followed; value: the command, `HSET`).
 */
export function redisWrites(model: ModuleModel): ModelFact[] {
  const made = new Map<string, Map<string, number>>();
  for (const [file, f] of model.facts) {
    const m = clientsMade(f);
    if (m.size > 0) made.set(file, m);
  }
  if (made.size === 0) return [];
  const out: ModelFact[] = [];
  for (const [file, f] of model.facts) {
    const clients = clientsIn(model, made, f);
    if (clients.size === 0) continue;
    for (const c of f.calls) {
      const client = clients.get(c.root);
      const cmd = WRITES.get(c.method.toLowerCase());
      if (!client || !cmd || c.path !== `${c.root}.${c.method}` || c.chain.length > 0) continue;
      const key = keyOf(c.args[0], f, model);
      const type = TYPE[cmd];
      out.push({
        kind: 'redis-write',
        name: c.path,
        store: key ?? '',
        value: cmd,
        evidence: `${file}:${c.line}`,
        note: `\`${c.path}\` writes ${key ? `the ${type ? `${type} ` : 'key '}\`${key}\`` : 'a key'} (${cmd}) to Redis through the client created at ${client.at}: every instance reads the same data, and it outlives the process.`,
      });
    }
  }
  return out;
}
