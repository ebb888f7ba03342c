// One interface for every framework and runtime the model understands. An adapter reads one
// file's facts (and its module facts: classes, decorators, constants) and only adds facts:
// entrypoints, events and signals. It never removes what another adapter or detector found.
import type { EntryHit } from '../../code/entrypoints.js';
import type { RawEvent } from '../../code/events.js';
import type { FileContext } from '../../code/file-context.js';
import type { FileSignals } from '../../code/signals.js';

export type AddedSignals = Partial<Pick<FileSignals, 'heartbeat' | 'reconnect' | 'auth' | 'authGate' | 'originCheck' | 'errorHandler' | 'payloadLimit'>>;

export interface Adapter {
  name: string;
  /** Packages (import sources) the adapter models; the unmodelled check reads them. */
  modules: readonly string[];
  /** Cheap test: does the file use what this adapter understands? */
  applies: (ctx: FileContext) => boolean;
  entries?: (ctx: FileContext) => EntryHit[];
  events?: (ctx: FileContext, entries: readonly EntryHit[]) => RawEvent[];
  signals?: (ctx: FileContext, entries: readonly EntryHit[], serverContext: boolean) => AddedSignals;
}

export const usesAny = (ctx: FileContext, mods: readonly string[]): boolean => mods.some((m) => ctx.sources.has(m));

/**
 * Server frameworks, by import source: a file importing one runs on the server, whatever SDK it
 * also uses. Sources, not packages: `next/link` and `hono/client` are imported by browser code.
 */
const SERVER_IMPORT = /^(express|fastify|koa|@koa\/router|h3|elysia|@nestjs\/common|next\/server|next\/headers|hono)$/;
/** Next.js route handlers and API routes run on the server. */
const ROUTE_FILE = /(^|\/)(app\/.*\/route|pages\/api\/.*)\.[cm]?[jt]sx?$/;

/**
 * Whether a file runs on the server, for SDKs with the same calls on both sides (Ably's
 * `channel.publish`, LiveKit's data messages): a server framework import or a route file.
 */
export const onServer = (ctx: FileContext): boolean => runsOnServer(ctx.file, ctx.facts.imports);

/** The same test on a file's path and imports: a server framework import or a route file. */
export const runsOnServer = (file: string, imports: readonly { source: string }[]): boolean =>
  imports.some((i) => SERVER_IMPORT.test(i.source)) || ROUTE_FILE.test(file);
