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

/** How many routers deep a mount chain is followed (`app.use('/api', api)`, `api.use('/events', events)`, …). */
const MOUNT_DEPTH = 4;

/** A receiver made by a router factory (`Router()`, `express.Router()`, `new Router()`): it serves nothing until a module mounts it. */
const isRouter = (f: FileFacts, receiver: string): boolean => f.vars.some((v) => v.name === receiver && /(?:^|[.\s])Router\(/.test(v.init));

interface Mounts {
  /** Every prefix the receiver is served under, the mount paths of its chain joined (`''` when it is the app itself). */
  paths: string[];
  /** Some chain ends at a router no module rt-plan read mounts: that prefix is unknown. */
  unknown: boolean;
}

/**
 * The prefixes the router `receiver` of `f` is served under: each `use('/events', events)` or `use(events)` (Express)
 * or `route('/events', events)` (Hono) of a parsed module that mounts it, where `events` is the
 * receiver itself or is imported from `f`, joined with the prefixes of the router that mounts it in turn.
 */
function mountsOf(all: ReadonlyMap<string, FileFacts>, resolve: Resolve, f: FileFacts, receiver: string, depth = 0): Mounts {
  const mountsIt = (m: FileFacts, local: string): boolean => {
    if (m.file === f.file) return local === receiver;
    const imp = m.imports.find((i) => i.locals.some((l) => l.local === local));
    const picked = imp?.locals.find((l) => l.local === local)?.imported;
    return imp !== undefined && resolve(m.file, imp.source) === f.file && (picked === receiver || picked === 'default' || picked === '*');
  };
  const direct = [...all.values()].flatMap((m) =>
    m.calls
      // `app.use(router)` with no path mounts it at the root (Express); Hono's `route` always names one.
      .filter((c) => (c.method === 'route' || c.method === 'use') && c.path.includes('.') && (c.args[0]?.kind === 'string' || c.method === 'use'))
      .filter((c) => {
        const last = c.args[c.args.length - 1];
        return c.args.length >= (c.args[0]?.kind === 'string' ? 2 : 1) && last?.kind === 'ident' && mountsIt(m, last.path ?? '');
      })
      .map((c) => ({ m, by: c.path.slice(0, -c.method.length - 1), prefix: c.args[0]?.kind === 'string' ? (c.args[0].str ?? '').replace(/\/$/, '') : '' })),
  );
  if (direct.length === 0) return { paths: [''], unknown: isRouter(f, receiver) };
  const paths: string[] = [];
  let unknown = false;
  for (const d of direct) {
    // A chain deeper than this, or one that comes back to itself, is not followed: its prefix is unknown.
    const up =
      depth >= MOUNT_DEPTH || (d.m.file === f.file && d.by === receiver) ? { paths: [''], unknown: true } : mountsOf(all, resolve, d.m, d.by, depth + 1);
    paths.push(...up.paths.map((p) => `${p}${d.prefix}`));
    unknown ||= up.unknown;
  }
  return { paths: [...new Set(paths)], unknown };
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

/** The routes `f` registers: `receiver.get('/x', …, handler)`, each with its receiver and path as written. */
function registrations(f: FileFacts): { c: CallFact; receiver: string; path: string }[] {
  if (TEST_FILE.test(f.file)) return [];
  return f.calls.flatMap((c) => {
    if (!METHODS.test(c.method) || c.isNew || !c.path.includes('.')) return [];
    const receiver = c.path.slice(0, -c.method.length - 1);
    if (receiver.includes('.') || NOT_APP.test(receiver)) return [];
    const path = c.args[0]?.kind === 'string' ? (c.args[0].str ?? '') : '';
    // A registration ends with its handler; a request (`api.post('/x', body)`) does not.
    if (!path.startsWith('/') || c.args.length < 2 || c.args[c.args.length - 1]?.kind !== 'function') return [];
    return [{ c, receiver, path }];
  });
}

/**
 * The parsed modules that register routes on a router no parsed module mounts: the module that
 * mounts it (and so the prefix of every route) is elsewhere, usually in its own or a parent folder.
 */
export function unmountedRouterFiles(all: ReadonlyMap<string, FileFacts>, resolve: Resolve): string[] {
  return [...all.values()]
    .filter((f) => [...new Set(registrations(f).map((r) => r.receiver))].some((r) => mountsOf(all, resolve, f, r).unknown))
    .map((f) => f.file);
}

export function httpRoutes(all: ReadonlyMap<string, FileFacts>, resolve: Resolve): ModelFact[] {
  const out: ModelFact[] = [];
  for (const f of all.values()) {
    for (const { c, receiver, path } of registrations(f)) {
      const mounts = mountsOf(all, resolve, f, receiver);
      // A router no module rt-plan read mounts keeps the path it writes, marked: the prefix in front of it is unknown.
      const fulls = mounts.unknown ? [path] : mounts.paths.map((p) => `${p}${path === '/' ? '' : path}` || '/');
      const method = c.method.toUpperCase();
      for (const full of fulls) {
        const guard = guardOf(f, c, [path, full]);
        out.push({
          kind: 'http-route',
          name: `${method} ${full}`,
          evidence: ev(f.file, c.line),
          ...(guard ? { value: guard.name, guardAt: ev(f.file, guard.line), ...(HEADER_AUTH.test(guard.name) ? { guardHeader: true as const } : {}) } : {}),
          ...(mounts.unknown ? { mountUnknown: true as const } : {}),
          note: `\`${method} ${full}\` is registered here${mounts.unknown ? ', on a router mounted at a path rt-plan could not read' : ''}${guard ? `, behind \`${guard.name}\` (line ${guard.line})` : ''}.`,
        });
      }
    }
  }
  return out;
}

/** The handler names a Next.js App Router route module exports, one per HTTP method. */
const ROUTE_EXPORT = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/;

/**
 * The path a Next.js App Router route module serves: the folders under `app/` (or `src/app/`),
 * without route groups (`(marketing)`), which stay out of the URL; null for a file that is not a
 * route module, or sits under a private folder (`_lib`), which the router leaves out.
 * https://nextjs.org/docs/app/api-reference/file-conventions/route
 */
export function appRoutePath(file: string): string | null {
  const m = /(?:^|\/)app((?:\/[^/]+)*)\/route\.[cm]?[jt]sx?$/.exec(file);
  if (!m) return null;
  const segments = (m[1] ?? '').split('/').filter((x) => x !== '');
  if (segments.some((x) => x.startsWith('_'))) return null;
  return `/${segments.filter((x) => !/^\(.*\)$/.test(x)).join('/')}`;
}

/** Each handler a route module exports, as the method and path it answers, at the export's line. */
export function routeHandlers(all: ReadonlyMap<string, FileFacts>): ModelFact[] {
  const out: ModelFact[] = [];
  for (const f of all.values()) {
    if (TEST_FILE.test(f.file)) continue;
    const path = appRoutePath(f.file);
    if (path === null) continue;
    for (const x of f.exportLines ?? []) {
      if (!ROUTE_EXPORT.test(x.name)) continue;
      out.push({
        kind: 'route-handler',
        name: `${x.name} ${path}`,
        evidence: ev(f.file, x.line),
        note: `\`${x.name} ${path}\` is answered by the handler this route module exports.`,
      });
    }
  }
  return out;
}
