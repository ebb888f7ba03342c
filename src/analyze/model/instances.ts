// Client instances shared through a module: `export const pusher = new Pusher(…)` in lib/pusher.js,
// then `pusher.trigger(…)` in a route that imports only '../lib/pusher.js'. The route's file
// context then says its `pusher` comes from the SDK, so the SDK's detectors read its calls.
// Only SDKs whose calls are unambiguous once the receiver is known are followed.
import type { FileFacts } from '../code/facts.js';
import { packageName } from '../code/file-context.js';
import type { Resolve } from './resolve.js';

/** SDKs whose instances are followed across modules. */
export const SHARED_INSTANCE_SDKS: ReadonlySet<string> = new Set([
  'pusher',
  'pusher-js',
  'ably',
  'uWebSockets.js',
  'livekit-server-sdk',
  '@supabase/supabase-js',
  // `export const socket = io(…)` in one module, `socket.on('data', …)` in the app that imports it:
  // a package that declares both sides gives a module importing neither no side of its own.
  'socket.io-client',
  'socket.io',
]);

/**
 * Factories whose returned helpers are followed, by the import source they come from (the source
 * itself is what the local is then said to come from): Hono's WebSocket helper for Node and Bun.
 * https://github.com/honojs/middleware/tree/main/packages/node-ws · https://hono.dev/docs/helpers/websocket
 */
const PICKED_HELPERS: Record<string, readonly string[]> = { createNodeWebSocket: ['@hono/node-ws'], createBunWebSocket: ['hono/bun'] };

const MAX_HOPS = 4;

/** Package whose constructor or factory created `name` in `file` (exported there), or null; a picked helper gives its import source. */
function createdBy(files: ReadonlyMap<string, FileFacts>, resolve: Resolve, file: string, name: string, hops: number): string | null {
  if (hops > MAX_HOPS) return null;
  const f = files.get(file);
  if (!f) return null;
  const local = f.module?.exportNames.find((e) => e.exported === name)?.local;
  if (local === undefined) {
    for (const r of f.module?.reexports ?? []) {
      const hit = r.names === null ? name : r.names.find((n) => n.exported === name)?.local;
      const target = hit && hit !== '*' ? resolve(file, r.source) : null;
      const pkg = target ? createdBy(files, resolve, target, hit as string, hops + 1) : null;
      if (pkg) return pkg;
    }
    return null;
  }
  // `export const { upgradeWebSocket } = createNodeWebSocket({ app })`: a helper a factory returns.
  const pick = f.picks?.find((p) => p.keys.some((k) => k.local === local));
  if (pick) {
    const imp = f.imports.find((i) => i.locals.some((l) => l.local === pick.callee));
    return imp && PICKED_HELPERS[pick.callee]?.includes(imp.source) ? imp.source : null;
  }
  const v = f.vars.find((x) => x.name === local);
  if (v) {
    const m = /^(?:new )?([A-Za-z_$][\w$]*)/.exec(v.init);
    const imp = m ? f.imports.find((i) => i.locals.some((l) => l.local === m[1])) : undefined;
    if (!imp) return null;
    const pkg = packageName(imp.source);
    return SHARED_INSTANCE_SDKS.has(pkg) ? pkg : null;
  }
  // `export { pusher } from …` written as an import then an export.
  const imp = f.imports.find((i) => i.locals.some((l) => l.local === local));
  const l = imp?.locals.find((x) => x.local === local);
  if (!imp || !l || !imp.source.startsWith('.')) return null;
  const target = resolve(file, imp.source);
  return target ? createdBy(files, resolve, target, l.imported, hops + 1) : null;
}

/** Local names of `facts` bound to an SDK instance created in another module: local → package. */
export function sharedInstances(files: ReadonlyMap<string, FileFacts>, resolve: Resolve, facts: FileFacts): Map<string, string> {
  const out = new Map<string, string>();
  for (const imp of facts.imports) {
    if (!imp.source.startsWith('.') && !imp.source.startsWith('@/') && !imp.source.startsWith('~/')) continue;
    const target = resolve(facts.file, imp.source);
    if (target === null) continue;
    for (const l of imp.locals) {
      if (l.imported === '*') continue;
      const pkg = createdBy(files, resolve, target, l.imported, 0);
      if (pkg) out.set(l.local, pkg);
    }
  }
  return out;
}
