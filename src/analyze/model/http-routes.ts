// The HTTP routes the code registers, each at its line: `app.post('/x', handler)` in Express,
// Hono, Fastify or a router of theirs, with the path as the module writes it, prefixed by the
// path its router is mounted at when a parsed module mounts it. A route's guard is named only
// when the code shows one in front of it (an auth middleware on the route itself, or a `.use()`
// of the same module whose path covers it). The plan reads these to name the routes a control is
// about and to propose none as existing; a route the model did not read is simply not named.
import type { ArgInfo } from '../code/ast.js';
import type { CallFact, FileFacts } from '../code/facts.js';
import type { Evidence, ModelFact } from '../../types.js';
import { AUTH_FN } from './imported-auth.js';
import type { Resolve } from './resolve.js';

const METHODS = /^(get|post|put|patch|delete)$/;
/** Receivers that register mock handlers (msw) or send requests, not routes of the app. */
const NOT_APP = /^(http|rest|graphql|axios|ky|request|supertest|agent|client|api|fetch|\$http)$/;
/** Test and mock modules register handlers that are not the app's routes. */
const TEST_FILE = /(^|\/)(test|tests|__tests__|__mocks__|mocks|e2e|spec)\/|\.(test|spec)\.[cm]?[jt]sx?$/;
/** Middleware that serves, parses or decorates requests without deciding who the caller is. */
const BENIGN =
  /^(serveStatic|static|cors|logger|compress|compression|etag|secureHeaders|json|urlencoded|text|raw|bodyParser|helmet|morgan|cookieParser|validator|zValidator)$/;
/** Middleware that checks the `Authorization` header (Hono's bearer and basic auth), which a browser never adds to another site's request. */
const HEADER_AUTH = /^(bearerAuth|basicAuth)$/;

const ev = (file: string, line: number): Evidence => `${file}:${line}`;
const lastName = (a: ArgInfo): string => (a.path ?? '').split('.').pop() ?? '';
const authCall = (a: ArgInfo): boolean =>
  (a.kind === 'call' || a.kind === 'ident' || a.kind === 'member') && AUTH_FN.test(lastName(a)) && !BENIGN.test(lastName(a));

/** `/admin/*` → `/admin/`; `*` and `/*` cover everything. */
const prefixOf = (pattern: string): string => pattern.replace(/\*.*$/, '');

/** The paths a parsed module mounts the router `receiver` of `f` at: `app.use('/events', events)` where `events` is imported from `f`. */
function mountPrefixes(all: ReadonlyMap<string, FileFacts>, resolve: Resolve, f: FileFacts, receiver: string): string[] {
  const mountsIt = (m: FileFacts, local: string): boolean => {
    if (m.file === f.file) return local === receiver;
    const imp = m.imports.find((i) => i.locals.some((l) => l.local === local));
    const picked = imp?.locals.find((l) => l.local === local)?.imported;
    return imp !== undefined && resolve(m.file, imp.source) === f.file && (picked === receiver || picked === 'default' || picked === '*');
  };
  return [...all.values()].flatMap((m) =>
    m.calls
      .filter(
        (c) => (c.method === 'route' || c.method === 'use') && c.args[0]?.kind === 'string' && c.args[1]?.kind === 'ident' && mountsIt(m, c.args[1].path ?? ''),
      )
      .map((c) => (c.args[0]?.str ?? '').replace(/\/$/, '')),
  );
}

function guardOf(f: FileFacts, route: CallFact, paths: readonly string[]): { name: string; line: number } | null {
  const own = route.args.slice(1, -1).find(authCall);
  if (own) return { name: lastName(own), line: own.line };
  for (const u of f.calls) {
    if (u.method !== 'use' || !u.path.includes('.') || u.line > route.line) continue;
    const first = u.args[0];
    if (first?.kind === 'string' && !paths.some((p) => p.startsWith(prefixOf(first.str ?? '')))) continue;
    const mw = (first?.kind === 'string' ? u.args.slice(1) : u.args).find(authCall);
    if (mw) return { name: lastName(mw), line: mw.line };
  }
  return null;
}

export function httpRoutes(all: ReadonlyMap<string, FileFacts>, resolve: Resolve): ModelFact[] {
  const out: ModelFact[] = [];
  for (const f of all.values()) {
    if (TEST_FILE.test(f.file)) continue;
    for (const c of f.calls) {
      if (!METHODS.test(c.method) || c.isNew || !c.path.includes('.')) continue;
      const receiver = c.path.slice(0, -c.method.length - 1);
      if (receiver.includes('.') || NOT_APP.test(receiver)) continue;
      const path = c.args[0]?.kind === 'string' ? (c.args[0].str ?? '') : '';
      // A registration ends with its handler; a request (`api.post('/x', body)`) does not.
      if (!path.startsWith('/') || c.args.length < 2 || c.args[c.args.length - 1]?.kind !== 'function') continue;
      const mounts = [...new Set(mountPrefixes(all, resolve, f, receiver))];
      const full = mounts.length === 1 ? `${mounts[0]}${path === '/' ? '' : path}` || '/' : path;
      const guard = guardOf(f, c, [path, full]);
      const method = c.method.toUpperCase();
      out.push({
        kind: 'http-route',
        name: `${method} ${full}`,
        evidence: ev(f.file, c.line),
        ...(guard ? { value: guard.name, guardAt: ev(f.file, guard.line), ...(HEADER_AUTH.test(guard.name) ? { guardHeader: true as const } : {}) } : {}),
        note: `\`${method} ${full}\` is registered here${guard ? `, behind \`${guard.name}\` (line ${guard.line})` : ''}.`,
      });
    }
  }
  return out;
}
