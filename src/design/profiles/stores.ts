// Data stores a project declares in its manifests, so the architecture draws the project's own
// store (with where it is declared) instead of a generic "Database", and marks a store as
// proposed only when the project has none and the plan needs one.
import type { DesignCtx } from '../context.js';
import { lastKeyPart } from '../core/objects.js';

/** Package → what it is a client of. The first match in this order wins (an ORM names its database). */
const STORES: ReadonlyArray<readonly [string, string]> = [
  ['@supabase/supabase-js', 'Supabase Postgres'],
  ['@prisma/client', 'database via Prisma'],
  ['prisma', 'database via Prisma'],
  ['drizzle-orm', 'database via Drizzle'],
  ['typeorm', 'database via TypeORM'],
  ['@vercel/postgres', 'Postgres'],
  ['@neondatabase/serverless', 'Postgres (Neon)'],
  ['pg', 'Postgres'],
  ['postgres', 'Postgres'],
  ['mysql2', 'MySQL'],
  ['mongoose', 'MongoDB'],
  ['mongodb', 'MongoDB'],
  ['better-sqlite3', 'SQLite'],
  ['sqlite3', 'SQLite'],
  ['@google-cloud/firestore', 'Firestore'],
  ['firebase-admin', 'Firestore'],
];

const CACHES: ReadonlyArray<readonly [string, string]> = [
  ['ioredis', 'Redis'],
  ['redis', 'Redis'],
  ['@upstash/redis', 'Redis (Upstash)'],
  ['@vercel/kv', 'Redis (Vercel KV)'],
];

export interface DeclaredStore {
  label: string;
  /** `manifest:line` of the declaration. */
  evidence: string;
}

/** What kind of store holds the state: a Redis-like key store or a database with transactions. */
export type StoreKind = 'redis' | 'database';

/**
 * How each kind of store raises one counter atomically with the write of the state it numbers, so
 * that several instances never take the same number or write in an order other than the numbers'.
 */
export const ATOMIC_COUNTER: Record<StoreKind, string> = {
  redis: '`INCR` in the same Lua script (or `MULTI`/`EXEC`) as the write of the state',
  database: 'a counter row raised in the same transaction as the write of the state',
};

/**
 * Why a counter alone does not order several instances' writes, and the one write per change that
 * does, by store kind: the seq, the state and the change log of one `scope` agree.
 */
export const SEQ_IN_WRITE: Record<StoreKind, (scope: string) => string> = {
  redis: (scope) =>
    `a Redis \`INCR\` alone does not order the writes: one Lua script (or \`MULTI\`/\`EXEC\`) per change takes the \`seq\`, writes the ${scope}'s state and appends to its log together, so the stored state, the log and the \`seq\` agree; the snapshot reads state and \`seq\` in one script too.`,
  database: (scope) =>
    `a sequence alone does not order the writes: one transaction per change raises the ${scope}'s counter row (which holds its lock until commit), writes the ${scope}'s state and appends to its log, so the stored state, the log and the \`seq\` agree; the snapshot reads state and \`seq\` in one transaction too.`,
};

/**
 * The store the plan keeps shared state in, as the architecture draws it: the database a manifest
 * declares, else the Redis the code already writes to, else the one store the context allows, else
 * a database this plan proposes. `nouns` pick the Redis write that holds the objects.
 */
export function stateStoreOf(
  ctx: Pick<DesignCtx, 'input'>,
  nouns: readonly string[] = [],
): { label: string; evidence: string | null; proposed: boolean; kind: StoreKind; allowedAt: string | null } {
  const db = declaredDatabase(ctx);
  if (db) return { label: db.label, evidence: db.evidence, proposed: false, kind: 'database', allowedAt: null };
  const redis = writtenRedis(ctx, nouns);
  if (redis) return { label: redis.label, evidence: redis.evidence, proposed: false, kind: 'redis', allowedAt: null };
  const allowed = contextStore(ctx);
  if (allowed?.label) {
    const kind = ALLOWED.find(([, label]) => label === allowed.label)?.[2] ?? 'database';
    return { label: allowed.label, evidence: null, proposed: true, kind, allowedAt: allowed.evidence };
  }
  return { label: 'Database', evidence: null, proposed: true, kind: 'database', allowedAt: null };
}

function declared(ctx: Pick<DesignCtx, 'input'>, table: ReadonlyArray<readonly [string, string]>): DeclaredStore | null {
  // A client only browser code imports (a provider's web client with its public key) is the browser's, not the server's store.
  const browser = new Set((ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'browser-only-package').map((f) => f.name));
  for (const [pkg, label] of table) {
    if (browser.has(pkg)) continue;
    for (const p of ctx.input.analysis.project.packages) {
      if (p.dependencies[pkg] === undefined) continue;
      const line = p.dependencyLines[pkg];
      return { label, evidence: line ? `${p.manifest}:${line}` : p.manifest };
    }
  }
  return null;
}

/** The project's database, when a manifest declares a client for one. */
export function declaredDatabase(ctx: Pick<DesignCtx, 'input'>): DeclaredStore | null {
  return declared(ctx, STORES);
}

/** The project's Redis (or Redis-compatible KV), when a manifest declares a client for one. */
export function declaredRedis(ctx: Pick<DesignCtx, 'input'>): DeclaredStore | null {
  return declared(ctx, CACHES);
}

/**
 * The Redis the code already writes its state to (`store.hSet('board:{boardId}:cards', …)` through
 * a client it creates): the write whose key's last part names one of `nouns` (`card` for `…:cards`), else the
 * first. A client only handed to the Socket.IO adapter writes nothing, so it never counts.
 */
export function writtenRedis(ctx: Pick<DesignCtx, 'input'>, nouns: readonly string[] = []): DeclaredStore | null {
  const writes = (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'redis-write');
  if (writes.length === 0) return null;
  const hit = writes.find((f) => {
    const last = lastKeyPart(f.store ?? '').toLowerCase();
    return nouns.some((n) => [n, `${n}s`, `${n}es`].includes(last));
  });
  return { label: 'Redis', evidence: (hit ?? writes[0]!).evidence };
}

/** "no new infrastructure this quarter", "no additional services": the context rules out adding a store. */
const NO_NEW = /\bno (?:new|additional|extra|more) (?:infrastructure|infra|services?|components?|databases?|stores?)\b/i;
/** "… except one Azure Cache for Redis", "… other than a managed Postgres": the exception, read for a store name. */
const EXCEPT = /\b(?:except|other than|apart from|besides|beyond)\b([^.;]{0,80})/i;
const ALLOWED: ReadonlyArray<readonly [RegExp, string, StoreKind]> = [
  [/\b(?:Redis|Valkey|Memorystore|ElastiCache)\b/i, 'Redis', 'redis'],
  [/\bPostgres(?:QL)?\b/i, 'Postgres', 'database'],
  [/\bMySQL\b/i, 'MySQL', 'database'],
  [/\bMongoDB\b/i, 'MongoDB', 'database'],
];

/**
 * A context sentence ruling out new infrastructure, with the store it still allows (`label`, null
 * when it allows none): a plan that needs a store it does not have proposes that one.
 */
export function contextStore(ctx: Pick<DesignCtx, 'input'>): { label: string | null; sentence: string; evidence: string } | null {
  const r = ctx.input.sessions.requirements.find((x) => x.kind === 'constraint' && NO_NEW.test(x.sentence));
  if (!r) return null;
  const except = EXCEPT.exec(r.sentence.slice(NO_NEW.exec(r.sentence)!.index))?.[1] ?? '';
  const label = ALLOWED.find(([re]) => re.test(except))?.[1] ?? null;
  return { label, sentence: r.sentence, evidence: r.evidence };
}
