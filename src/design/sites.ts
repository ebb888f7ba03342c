// Where the project's own real-time code sits, for sections that say "put it here": the server
// and client entry points the analysis found, and the events the server sends today with their
// call sites. Empty when the analysis found none; a section then keeps its general sentence.
import type { DesignCtx } from './context.js';
import type { Entrypoint } from '../types.js';
import { code } from './md.js';

const SERVER_KINDS = new Set<Entrypoint['kind']>(['socket-server', 'ws-server', 'sse-endpoint']);
const CLIENT_KINDS = new Set<Entrypoint['kind']>(['socket-client', 'ws-client', 'sse-client']);

const REPLY = /^(sys[:.])?(ping|pong|error|ack|nack)$/i;

type SiteCtx = Pick<DesignCtx, 'input' | 'layout'>;

function firstAt(ctx: SiteCtx, kinds: Set<Entrypoint['kind']>): string | null {
  const e = [...ctx.input.analysis.stack.entrypoints]
    .filter((x) => kinds.has(x.kind))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))[0];
  return e ? `${e.file}:${e.line}` : null;
}

/** `file:line` of the first server entry point (where the socket server or stream route is set up). */
export function serverEntryAt(ctx: SiteCtx): string | null {
  return firstAt(ctx, SERVER_KINDS);
}

/** The first server entry point: a stream route (`sse-endpoint`) or a socket server's constructor. */
export function serverEntry(ctx: SiteCtx): { at: string; route: boolean } | null {
  const at = serverEntryAt(ctx);
  if (!at) return null;
  const route = ctx.input.analysis.stack.entrypoints.some((e) => SERVER_KINDS.has(e.kind) && `${e.file}:${e.line}` === at && e.kind === 'sse-endpoint');
  return { at, route };
}

/**
 * " (the server listens at `f:l`)" where the analysis found the HTTP server's listen call, else
 * the server entry point in its own words: a stream route is not where the server is set up.
 */
export function serverWhereMd(ctx: SiteCtx): string | null {
  const listen = ctx.input.analysis.stack.listen;
  if (listen) return `the server listens at ${code(listen)}`;
  const entry = serverEntry(ctx);
  if (!entry) return null;
  return entry.route ? `the stream route at ${code(entry.at)}` : `the server set up at ${code(entry.at)}`;
}

/** `file:line` of each client entry point (where a client connects), at most three, or null. */
export function clientEntryAt(ctx: SiteCtx): string | null {
  const at = [...new Set(ctx.input.analysis.stack.entrypoints.filter((x) => CLIENT_KINDS.has(x.kind)).map((x) => `${x.file}:${x.line}`))].sort();
  return at.length > 0 ? at.slice(0, 3).join(', ') : null;
}

/** The events the server sends today, with where: "`chat.new` at `src/room.ts:60`, …" (at most `max`), or null. */
export function serverSendsMd(ctx: SiteCtx, max = 3): string | null {
  const seen = new Set<string>();
  const sends = ctx.input.analysis.events.filter((e) => {
    if (e.origin !== 'existing' || e.protocol || !e.evidence || e.direction === 'client-to-server' || seen.has(e.name)) return false;
    // An event's evidence can be the client's listener: only a site in the server's code is a send.
    if (!onServer(ctx, e.evidence.replace(/:\d+$/, ''))) return false;
    // Replies to one socket (a pong, an error, an ack) are not what a bus or a send buffer is about.
    if (REPLY.test(e.name)) return false;
    seen.add(e.name);
    return true;
  });
  if (sends.length === 0) return null;
  const shown = sends.slice(0, max).map((e) => `${code(e.name)} at ${code(e.evidence ?? '')}`);
  return `${shown.join(', ')}${sends.length > max ? `, and ${sends.length - max} more` : ''}`;
}

/** A file of the server's code: under the server's directory, and not the client's. */
function onServer(ctx: SiteCtx, file: string): boolean {
  const { serverDir, clientDir } = ctx.layout;
  const under = (dir: string) => dir === '' || file.startsWith(`${dir}/`);
  if (!serverEntryAt(ctx) || !under(serverDir)) return false;
  if (clientDir && clientDir !== serverDir && under(clientDir)) return false;
  return !ctx.input.analysis.stack.entrypoints.some((e) => CLIENT_KINDS.has(e.kind) && e.file === file);
}

/**
 * Where the only authentication is one shared secret every client presents (the analyzer's
 * `shared-secret-fails-open` finding, and no per-user credential found): the server knows a
 * connection, never a user, and the secret has no expiry. Undefined where the code shows
 * per-user auth or no shared secret.
 */
export function sharedSecretAt(ctx: Pick<DesignCtx, 'input'>): string | undefined {
  const a = ctx.input.analysis;
  if (a.stack.auth.some((x) => x.kind !== 'none')) return undefined;
  return a.findings.find((f) => f.id === 'shared-secret-fails-open')?.evidence ?? undefined;
}
