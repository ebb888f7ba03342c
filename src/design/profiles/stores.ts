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

function declared(ctx: Pick<DesignCtx, 'input'>, table: ReadonlyArray<readonly [string, string]>): DeclaredStore | null {
  for (const [pkg, label] of table) {
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
