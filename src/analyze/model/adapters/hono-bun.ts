// Hono's `upgradeWebSocket(c => ({ onMessage, onClose }))` and Bun's
// `Bun.serve({ websocket: { message, open, close } })` + `server.upgrade(req)`.
// `upgradeWebSocket` is imported from the runtime's adapter (hono/cloudflare-workers, hono/deno,
// hono/bun, @hono/node-server), or picked from `createNodeWebSocket({ app })` (@hono/node-ws) or
// `createBunWebSocket()` (hono/bun), in this module or in one it imports (model/instances.ts).
// https://hono.dev/docs/helpers/websocket · https://github.com/honojs/middleware/tree/main/packages/node-ws · https://bun.sh/docs/api/websockets
import type { EntryHit } from '../../code/entrypoints.js';
import type { FileContext } from '../../code/file-context.js';
import { findProp } from '../../code/file-context.js';
import type { AddedSignals, Adapter } from './types.js';

const HONO_WS = ['hono/cloudflare-workers', 'hono/bun', 'hono/deno', '@hono/node-ws', 'hono/ws', '@hono/node-server'];
/** Factories that return `upgradeWebSocket`. */
const HONO_WS_FACTORY = /^create(Node|Bun)WebSocket$/;

/** The Hono adapter module the local name `name` (Hono's WebSocket upgrade helper) comes from, or null. */
export function honoWsSource(ctx: FileContext, name: string): string | null {
  const from = (local: string): string | null =>
    ctx.facts.imports.find((i) => HONO_WS.includes(i.source) && i.locals.some((l) => l.local === local))?.source ?? null;
  const direct = from(name);
  if (direct !== null) return direct;
  const shared = ctx.locals.get(name);
  if (shared?.imported === 'instance' && HONO_WS.includes(shared.source)) return shared.source;
  const pick = (ctx.facts.picks ?? []).find((p) => HONO_WS_FACTORY.test(p.callee) && p.keys.some((k) => k.local === name));
  return pick ? from(pick.callee) : null;
}

/**
 * Hono's own auth middleware, by import source: `jwt` verifies a JWT from the Authorization
 * header (or the cookie its `cookie` option names); the others check a caller in a way the
 * model does not name. https://hono.dev/docs/middleware/builtin/jwt
 */
const HONO_AUTH: Record<string, string> = {
  'hono/jwt': 'jwt',
  'hono/jwk': 'jwk',
  'hono/bearer-auth': 'bearerAuth',
  'hono/basic-auth': 'basicAuth',
  '@hono/clerk-auth': 'clerkMiddleware',
  '@hono/auth-js': 'verifyAuth',
  '@hono/oidc-auth': 'oidcAuthMiddleware',
};

/** Auth middleware on a `.use()` of this module or on the WebSocket route itself. */
function honoAuth(ctx: FileContext, entries: readonly EntryHit[]): AddedSignals {
  const auth: NonNullable<AddedSignals['auth']> = [];
  const authGate: number[] = [];
  const routes = new Set(entries.filter((e) => e.call?.method === 'upgradeWebSocket').map((e) => e.line));
  if (routes.size === 0) return {};
  for (const c of ctx.facts.calls) {
    const onRoute = c.args.some((a) => a.kind === 'call' && a.path === 'upgradeWebSocket' && routes.has(a.line));
    if (c.method !== 'use' && !onRoute) continue;
    for (const a of c.args) {
      if (a.kind !== 'call' || !a.path || a.path.includes('.')) continue;
      const imp = ctx.facts.imports.find(
        (i) => HONO_AUTH[i.source] !== undefined && i.locals.some((l) => l.local === a.path && l.imported === HONO_AUTH[i.source]),
      );
      if (!imp) continue;
      if (HONO_AUTH[imp.source] === 'jwt') auth.push({ kind: a.args?.[0]?.props?.cookie ? 'jwt-cookie' : 'jwt-header', line: a.line, side: 'server' });
      else authGate.push(a.line);
    }
  }
  return { auth, authGate };
}

export const HONO_BUN_ADAPTER: Adapter = {
  name: 'hono-bun',
  modules: HONO_WS,
  applies: (ctx) => ctx.facts.calls.some((c) => c.method === 'upgradeWebSocket' || c.path === 'Bun.serve'),
  entries: (ctx) =>
    ctx.facts.calls.flatMap((c): EntryHit[] => {
      const hono = c.method === 'upgradeWebSocket' && c.path === c.method ? honoWsSource(ctx, c.path) : null;
      const bun = c.path === 'Bun.serve' && findProp(c.args, 'websocket') !== null;
      // On Workers the runtime owns the process, its shutdown and the 1 MiB message cap.
      const provider = hono === 'hono/cloudflare-workers' ? 'cloudflare-workers' : null;
      return hono !== null || bun ? [{ file: ctx.file, line: c.line, kind: 'ws-server', side: 'server', transport: 'websocket', provider, call: c }] : [];
    }),
  signals: (ctx, entries) => honoAuth(ctx, entries),
};
