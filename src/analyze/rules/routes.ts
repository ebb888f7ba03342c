// Requests the browser makes to its own server that no route of that server serves. Said only
// when every route of the server is visible: routes registered with a path on an Express, Hono,
// Fastify or Koa app, no mounted router or middleware that could answer other paths, no
// file-based routing framework, and the client is shown to talk to this server (it serves the
// client's files, or another relative request of the client matches one of its routes).
import type { CallFact, FileFacts } from '../code/facts.js';
import { firstString } from '../code/file-context.js';
import { isNonProduction } from '../model/scope.js';
import type { Resolve } from '../model/resolve.js';
import { TOOL_CALL_SOURCES } from '../model/provider-protocols.js';
import { type AuditContext, type AuditRule, type RuleHit, allModules } from './types.js';

const VERBS = /^(get|post|put|patch|delete|all|head|options)$/;
/** `.use()` arguments that serve files or parse requests and answer no other path. */
const BENIGN_USE =
  /^(static|serveStatic|json|urlencoded|text|raw|cors|helmet|compression|compress|morgan|logger|cookieParser|bodyParser|etag|secureHeaders|requestId|timing|prettyJSON)$/;
/** Frameworks whose routes are files, not calls. */
const FILE_ROUTING = /^(next|nuxt|@sveltejs\/kit|@remix-run\/\w+|astro|@tanstack\/(react-)?start|@solidjs\/start|vinxi|nitropack)$/;
const SERVER_FRAMEWORKS = /^(express|hono|fastify|koa|@koa\/router)$/;

interface Route {
  method: string;
  path: string;
  file: string;
  line: number;
}

const lastName = (p: string | undefined): string => (p ?? '').replace(/\(\)$/, '').split('.').pop() ?? '';

/** The server's routes, or null when some path could be answered by code the model cannot see. */
function serverRoutes(modules: readonly FileFacts[], resolve: Resolve | null): { routes: Route[]; statics: boolean; express: boolean } | null {
  const servers = modules.filter((f) => f.imports.some((i) => SERVER_FRAMEWORKS.test(i.source)));
  if (servers.length === 0 || resolve === null) return null;
  // A module the server imports but the model did not read (`import './routes/tools.js'`) may add routes.
  const parsed = new Set(modules.map((f) => f.file));
  const local = (s: string): boolean => s.startsWith('.') || s.startsWith('@/') || s.startsWith('~/');
  for (const f of servers) {
    for (const i of f.imports) {
      if (!local(i.source)) continue;
      const target = resolve(f.file, i.source);
      if (target === null || !parsed.has(target)) return null;
    }
  }
  const routes: Route[] = [];
  let statics = false;
  for (const f of modules) {
    for (const c of f.calls) {
      if (!c.path.includes('.') || c.isNew) continue;
      if (c.method === 'use') {
        for (const a of c.args) {
          if (a.kind === 'string') continue;
          if (!((a.kind === 'call' || a.kind === 'member') && BENIGN_USE.test(lastName(a.path)))) return null;
          if (/^(static|serveStatic)$/.test(lastName(a.path))) statics = true;
        }
      } else if (c.method === 'route' || c.method === 'register' || c.method === 'mount') {
        return null;
      } else if (VERBS.test(c.method)) {
        const p = firstString(c.args[0]);
        if (p?.startsWith('/') && c.args.length >= 2) routes.push({ method: c.method, path: p, file: f.file, line: c.line });
      }
    }
  }
  if (routes.length === 0) return null;
  return { routes, statics, express: servers.some((f) => f.imports.some((i) => i.source === 'express')) };
}

/** Does a route path (`/a/:id`, `/a/*`) match a request path (`/a/${}`, `${}` any one segment)? */
function matches(route: string, request: string): boolean {
  const r = route.replace(/\/$/, '').split('/');
  const q = request.split('?')[0]!.replace(/\/$/, '').split('/');
  for (let i = 0; i < r.length; i++) {
    const seg = r[i]!;
    if (seg === '*' || seg.endsWith('*') || /^:\w+[*+]$/.test(seg)) return true;
    const req = q[i];
    if (req === undefined) return /^:\w+\?$/.test(seg);
    if (seg.startsWith(':') || req.includes('${}')) continue;
    if (seg !== req) return false;
  }
  return q.length === r.length;
}

interface Request {
  file: string;
  call: CallFact;
  method: string;
  path: string;
}

function relativeRequests(modules: readonly FileFacts[]): Request[] {
  return modules
    .filter((f) => !isNonProduction(f.file) && !f.imports.some((i) => SERVER_FRAMEWORKS.test(i.source)))
    .flatMap((f) =>
      f.calls
        .filter((c) => c.path === 'fetch' || c.path === 'window.fetch')
        .flatMap((c) => {
          const url = firstString(c.args[0]);
          if (!url?.startsWith('/') || url.startsWith('//')) return [];
          const method = (c.args[1]?.props?.method?.str ?? 'GET').toLowerCase();
          return [{ file: f.file, call: c, method, path: url }];
        }),
    );
}

/**
 * Where the function making the request is awaited in a 'message' listener outside try/catch,
 * when its `.json()` reads the answer without checking the status: Express answers an unknown
 * path with an HTML page, so `.json()` throws and the listener stops there.
 */
function rejectionSite(ctx: AuditContext, req: Request, resolve: Resolve | null): string | null {
  const f = ctx.modules?.get(req.file);
  const fn = req.call.inFn;
  if (!f || !fn) return null;
  const res = f.vars.find((v) => v.init === 'fetch()' && v.line === req.call.line)?.name;
  if (!res || !f.calls.some((c) => c.path === `${res}.json` && c.inFn === fn)) return null;
  if (f.members.some((m) => m.path === `${res}.ok` || m.path === `${res}.status`)) return null;
  for (const g of allModules(ctx)) {
    const imp = g.imports.find((i) => i.locals.some((l) => l.imported === fn) && resolve?.(g.file, i.source) === req.file);
    const local = g.file === req.file ? fn : imp?.locals.find((l) => l.imported === fn)?.local;
    const site = local ? g.calls.find((c) => c.path === local && c.inMessage && !c.inTry) : undefined;
    if (site) return `${g.file}:${site.line}`;
  }
  return null;
}

/**
 * Where the request's one interpolated path part is the name of a tool call the provider handed
 * the page: the part is a parameter of the function making the request (`runTool(name, args)` with
 * `` fetch(`/api/tools/${name}`) ``), and every call of that function passes there the name of one
 * tool call (`event.name` in the case of `response.function_call_arguments.done`, `fc.name` in a loop
 * over Gemini's `toolCall.functionCalls`). The first such call, or null when any call passes something else.
 */
function toolNameSite(ctx: AuditContext, req: Request, resolve: Resolve | null): string | null {
  const url = req.call.args[0];
  const fn = req.call.inFn;
  if (!fn || url?.kind !== 'template' || url.exprs?.length !== 1 || url.exprs[0]?.kind !== 'ident') return null;
  const head = ctx.modules?.get(req.file)?.fnHeads?.find((h) => h.name === fn);
  const index = head?.params.indexOf(url.exprs[0].path ?? '') ?? -1;
  if (index < 0) return null;
  const sites: { at: string; bound: boolean }[] = [];
  for (const g of allModules(ctx)) {
    const imp = g.imports.find((i) => i.locals.some((l) => l.imported === fn) && resolve?.(g.file, i.source) === req.file);
    const local = g.file === req.file ? fn : imp?.locals.find((l) => l.imported === fn)?.local;
    if (!local) continue;
    for (const c of g.calls) {
      if (c.path !== local) continue;
      const arg = c.args[index];
      const path = arg?.kind === 'member' ? (arg.path ?? '') : '';
      const inCase = g.typeCases.filter((t) => t.line <= c.line).sort((a, b) => b.line - a.line)[0];
      const bound =
        (inCase !== undefined && TOOL_CALL_SOURCES.events.has(inCase.name) && TOOL_CALL_SOURCES.eventName.test(path)) ||
        (c.loopOver !== undefined && TOOL_CALL_SOURCES.lists.test(c.loopOver) && TOOL_CALL_SOURCES.listName.test(path));
      sites.push({ at: `${g.file}:${c.line}`, bound });
    }
  }
  return sites.length > 0 && sites.every((x) => x.bound) ? sites[0]!.at : null;
}

function unservedHits(ctx: AuditContext, resolve: Resolve | null): RuleHit[] {
  if (ctx.stack.frameworks.some((f) => FILE_ROUTING.test(f.name))) return [];
  const modules = allModules(ctx);
  const server = serverRoutes(modules, resolve);
  if (!server) return [];
  // Claims start from the analysed files: a request in a module they only import is reported
  // when an analysed file awaits it (the rejection site).
  const candidates = new Set(ctx.analyses.map((a) => a.file));
  const requests = relativeRequests(modules);
  const served = (r: Request): Route | undefined => server.routes.find((x) => (x.method === 'all' || x.method === r.method) && matches(x.path, r.path));
  const talks = server.statics || requests.some((r) => served(r));
  if (!talks) return [];
  const home = server.routes[0]!.file;
  return requests
    .filter((r) => !served(r))
    .flatMap((r) => {
      const site = server.express ? rejectionSite(ctx, r, resolve) : null;
      if (!candidates.has(r.file) && !(site && candidates.has(site.split(':')[0]!))) return [];
      const shown = r.path.replace(/\$\{\}/g, '…');
      const fn = r.call.inFn;
      const tail =
        site && fn
          ? `; \`${fn}\` reads the answer with \`.json()\` without checking the status, which throws on Express's HTML 404 page, so where it is awaited at ${site} (a 'message' listener with no try/catch) the rest of that listener does not run`
          : '';
      const toolName = toolNameSite(ctx, r, resolve);
      return [
        {
          evidence: `${r.file}:${r.call.line}`,
          route: `${r.method.toUpperCase()} ${shown}`,
          ...(toolName ? { toolNameAt: toolName } : {}),
          message: `\`${r.method.toUpperCase()} ${shown}\` matches no route of the server (${home}), so it is answered 404${tail}`,
        },
      ];
    });
}

export const ROUTE_RULES: readonly AuditRule[] = [
  {
    id: 'request-route-missing',
    severity: 'high',
    title: 'Client requests a path the server does not serve',
    why: 'The browser calls a path of its own server that no route defines: the request fails with 404 every time, and whatever the client does with the answer never happens.',
    fix: 'Add the route on the server (with the same authentication as the other routes), or correct the path in the client; check `res.ok` before reading the body and handle the failure where the call is awaited.',
    source: 'https://expressjs.com/en/starter/faq.html#how-do-i-handle-404-responses',
    detect: (ctx) => unservedHits(ctx, ctx.resolve ?? null),
  },
];
