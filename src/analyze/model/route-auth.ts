// Auth facts that only data flow across modules shows.
// - A client whose connection URL comes from a function that first asks an API for a ticket or
//   token (`useWebSocket(streamUrl)`, `new WebSocket(await streamUrl())`) connects with a
//   credential minted per connection: ephemeral-token, cited at the request that mints it.
// - An SSE route is open (auth none) only when the model can show it: the route is registered
//   with its handler alone, the handler's module checks nobody, and every `.use()` middleware
//   whose path could cover the route is one that does not authenticate. Anything unknown on the
//   way keeps the model silent (a missing claim, never a false one).
import type { ArgInfo } from '../code/ast.js';
import type { EntryHit } from '../code/entrypoints.js';
import type { CallFact, FileFacts } from '../code/facts.js';
import { AUTH_FN } from './imported-auth.js';
import type { Resolve } from './resolve.js';

/** A request that mints a per-connection credential: its URL names a ticket or token endpoint. */
const MINT_URL = /(ticket|token|credential|session|otp)s?\b/i;
const FETCH = /^(fetch|axios(\.post|\.get)?|ky(\.post)?|\$fetch|ofetch)$/;
/** The URL then carries it as a query parameter. */
const CREDENTIAL_PARAM = /[?&](ticket|token|access_token|otp)=/i;

const text = (a: ArgInfo | undefined): string => (a?.kind === 'string' || a?.kind === 'template' ? (a.str ?? '') : '');

/** The module and local name a URL argument's function comes from, when it is a function. */
function urlFactory(facts: FileFacts, arg: ArgInfo | undefined): string | null {
  if (!arg) return null;
  if (arg.kind === 'ident' && arg.path && !arg.path.includes('.')) return arg.path;
  if (arg.kind === 'call' && arg.path && !arg.path.includes('.')) return arg.path;
  return null;
}

function mintingCall(f: FileFacts): CallFact | undefined {
  const builds = f.strings.some((s) => CREDENTIAL_PARAM.test(s.value)) || f.calls.some((c) => c.args.some((a) => CREDENTIAL_PARAM.test(text(a))));
  if (!builds) return undefined;
  return f.calls.find((c) => FETCH.test(c.path) && MINT_URL.test(text(c.args[0])));
}

/** Client entries whose URL is built by a function that mints a credential first. */
export function ticketUrlAuth(
  files: ReadonlyMap<string, FileFacts>,
  resolve: Resolve,
  facts: FileFacts,
  entries: readonly EntryHit[],
): { file: string; line: number }[] {
  const out: { file: string; line: number }[] = [];
  for (const e of entries) {
    if (e.side !== 'client' || !e.call) continue;
    const name = urlFactory(facts, e.call.args[0]);
    if (name === null) continue;
    const imp = facts.imports.find((i) => i.locals.some((l) => l.local === name));
    const file = imp ? resolve(facts.file, imp.source) : facts.file;
    const f = file === null ? undefined : files.get(file);
    const mint = f ? mintingCall(f) : undefined;
    if (f && mint) out.push({ file: f.file, line: mint.line });
  }
  return out;
}

const ROUTE_METHODS = new Set(['get', 'post', 'all']);
/** Middleware that serves, parses or decorates requests without deciding who the caller is. */
const BENIGN_MW =
  /^(serveStatic|static|cors|logger|compress|compression|etag|secureHeaders|prettyJSON|timing|json|urlencoded|text|raw|bodyParser|helmet|morgan|requestId|poweredBy|timeout|cookieParser)$/;

const lastName = (a: ArgInfo): string => (a.path ?? '').split('.').pop() ?? '';

/** Is `mw` (an argument of `.use`) known not to authenticate? */
function benign(mw: ArgInfo): boolean {
  return (mw.kind === 'call' || mw.kind === 'ident' || mw.kind === 'member') && BENIGN_MW.test(lastName(mw)) && !AUTH_FN.test(lastName(mw));
}

/** `/admin/*` → `/admin/`; `*` and `/*` cover everything. */
const prefixOf = (pattern: string): string => pattern.replace(/\*.*$/, '');

/**
 * SSE routes of `facts` the model can show are open, as the lines of their registration.
 * `all` is every parsed module (mounts and middleware may live in the app's entry file).
 */
export function openSseRoutes(all: ReadonlyMap<string, FileFacts>, facts: FileFacts, entries: readonly EntryHit[]): number[] {
  const sse = entries.filter((e) => e.kind === 'sse-endpoint');
  if (sse.length === 0) return [];
  // The handler's own module checks nobody: no call to a function named for a caller check.
  if (facts.calls.some((c) => AUTH_FN.test(c.method) && !/^(writeSSE|onAbort)$/.test(c.method))) return [];
  const uses = [...all.values()].flatMap((f) => f.calls.filter((c) => c.method === 'use' && c.path.includes('.')));
  const mounts = [...all.values()].flatMap((f) =>
    f.calls.filter((c) => (c.method === 'route' || c.method === 'use') && c.args[0]?.kind === 'string' && c.args[1]?.kind === 'ident'),
  );
  const out: number[] = [];
  for (const e of sse) {
    const route = facts.calls
      .filter((c) => ROUTE_METHODS.has(c.method) && c.path.includes('.') && c.line <= e.line && c.args[0]?.kind === 'string')
      .sort((a, b) => b.line - a.line)[0];
    if (!route || route.args.length !== 2 || route.args[1]?.kind !== 'function') continue;
    const receiver = route.path.slice(0, -route.method.length - 1);
    // The router must be seen mounted or served, so the middleware in front of it is known.
    const mountedBy = facts.exports.includes(receiver) ? mounts.filter((m) => m.args[1]?.path === receiver) : [];
    const servedHere = facts.calls.some((c) => /^(listen|serve)$/.test(c.method) || c.path === 'serve');
    if (mountedBy.length === 0 && !servedHere) continue;
    const path = route.args[0]?.str ?? '';
    const candidates = [path, ...mountedBy.map((m) => `${(m.args[0]?.str ?? '').replace(/\/$/, '')}${path}`)];
    const guarded = uses.some((u) => {
      const first = u.args[0];
      const scoped = first?.kind === 'string' ? prefixOf(first.str ?? '') : '';
      if (first?.kind === 'string' && !candidates.some((p) => p.startsWith(scoped))) return false;
      const mws = first?.kind === 'string' ? u.args.slice(1) : u.args;
      // A router mounted with `.use('/x', router)` is not middleware of this route.
      return mws.some((mw) => !benign(mw) && !(mw.kind === 'ident' && mounts.includes(u)));
    });
    if (!guarded) out.push(route.line);
  }
  return out;
}
