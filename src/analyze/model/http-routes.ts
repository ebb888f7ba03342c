// The HTTP routes the code registers, each at its line: `app.post('/x', handler)` in Express,
// Hono, Fastify or a router of theirs, with the path as the module writes it, prefixed by the
// path its router is mounted at when a parsed module mounts it. A route's guard is named only
// when the code shows one in front of it (an auth middleware on the route itself, or a `.use()`
// of the same module whose path covers it). The plan reads these to name the routes a control is
// about and to propose none as existing; a route the model did not read is simply not named.
import type { ArgInfo } from '../code/ast.js';
import type { CallFact, FileFacts } from '../code/facts.js';
import type { Evidence, ModelFact, WorkspacePackage } from '../../types.js';
import { AUTH_FN } from './imported-auth.js';
import { isNonProduction } from './scope.js';
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
export const authCall = (a: ArgInfo): boolean =>
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

/** fastify-plugin's wrapper: the plugin runs in the scope of the instance that registers it, so Fastify ignores the register's `prefix`. */
const SKIP_OVERRIDE = 'fastify-plugin';

const importedFrom = (m: FileFacts, local: string): { source: string; imported: string } | null => {
  const imp = m.imports.find((i) => i.locals.some((l) => l.local === local));
  const imported = imp?.locals.find((l) => l.local === local)?.imported;
  return imp && imported ? { source: imp.source, imported } : null;
};

/** `fp` of `import fp from 'fastify-plugin'` (or `require`). */
const isSkipOverride = (m: FileFacts, callee: string | undefined): boolean =>
  callee !== undefined && importedFrom(m, callee.split('.')[0] ?? '')?.source === SKIP_OVERRIDE;

/**
 * The prefixes of a route registered on `receiver` where `receiver` is the first parameter of the
 * function the route sits in, and that function is a Fastify plugin some parsed module registers:
 * `app.register(plugin, { prefix: '/api' })` with the plugin inline, declared in the same module,
 * imported by name or as the default export, or loaded by `require('./routes')` / `import('./routes')`.
 * Prefixes compose through nested registers (https://fastify.dev/docs/latest/Reference/Plugins/#route-prefixing-option);
 * a plugin wrapped in fastify-plugin takes the prefix of the instance that registers it, since the
 * register's own options are ignored for it. A prefix that is not a string literal is unknown.
 * Null when the function is not a plugin any parsed module registers (a function called with the app, say).
 */
function pluginMounts(all: ReadonlyMap<string, FileFacts>, resolve: Resolve, f: FileFacts, at: CallFact, receiver: string, depth = 0): Mounts | null {
  // The model's map grows while the modules that mount routers are read (model/index.ts): an answer holds for one size of it.
  let entry = pluginMemo.get(all);
  if (!entry || entry.size !== all.size) pluginMemo.set(all, (entry = { size: all.size, memo: new Map() }));
  const memo = entry.memo;
  const key = `${f.file}\u0000${at.fnAt ?? ''}\u0000${receiver}\u0000${depth}`;
  if (!memo.has(key)) memo.set(key, pluginMountsOf(all, resolve, f, at, receiver, depth));
  return memo.get(key) ?? null;
}

/** Per model: the answer for a plugin head (every route of one plugin asks the same), and the `register` calls of every module, read once. */
const pluginMemo = new WeakMap<ReadonlyMap<string, FileFacts>, { size: number; memo: Map<string, Mounts | null> }>();
const registerMemo = new WeakMap<ReadonlyMap<string, FileFacts>, { size: number; list: { m: FileFacts; r: CallFact }[] }>();
function registerCalls(all: ReadonlyMap<string, FileFacts>): { m: FileFacts; r: CallFact }[] {
  let entry = registerMemo.get(all);
  if (!entry || entry.size !== all.size) {
    const list = [...all.values()].flatMap((m) => m.calls.filter((r) => r.method === 'register' && !r.isNew && r.path.includes('.')).map((r) => ({ m, r })));
    registerMemo.set(all, (entry = { size: all.size, list }));
  }
  return entry.list;
}

function pluginMountsOf(all: ReadonlyMap<string, FileFacts>, resolve: Resolve, f: FileFacts, at: CallFact, receiver: string, depth: number): Mounts | null {
  const head = (f.fnHeads ?? []).find((h) => h.line === at.fnAt && h.params[0] === receiver);
  if (!head) return null;
  const isDefault =
    head.isDefault === true || (head.name !== null && (f.module?.exportNames ?? []).some((e) => e.exported === 'default' && e.local === head.name));
  /** The register's plugin argument names this function: how, and whether it is wrapped in fastify-plugin. */
  const names = (m: FileFacts, a: ArgInfo | undefined): { skip: boolean } | null => {
    if (!a) return null;
    if (a.kind === 'function') return m.file === f.file && a.line === head.line ? { skip: false } : null;
    if (a.kind === 'ident' && a.path) {
      if (m.file === f.file) return a.path === head.name ? { skip: false } : null;
      const imp = importedFrom(m, a.path);
      if (!imp || resolve(m.file, imp.source) !== f.file) return null;
      return imp.imported === head.name || (imp.imported === 'default' && isDefault)
        ? { skip: head.wrappedBy !== undefined && isSkipOverride(f, head.wrappedBy) }
        : null;
    }
    if (a.kind === 'call' && (a.path === 'require' || a.path === 'import') && a.args?.[0]?.kind === 'string')
      return isDefault && resolve(m.file, a.args[0].str ?? '') === f.file ? { skip: head.wrappedBy !== undefined && isSkipOverride(f, head.wrappedBy) } : null;
    if (a.kind === 'call' && isSkipOverride(m, a.path)) return names(m, a.args?.[0]) ? { skip: true } : null;
    return null;
  };
  const paths: string[] = [];
  let unknown = false;
  let registered = false;
  for (const { m, r } of registerCalls(all)) {
    const how = names(m, r.args[0]);
    if (!how) continue;
    registered = true;
    const by = r.path.slice(0, -'.register'.length);
    const opt = r.args[1]?.kind === 'object' ? r.args[1].props?.prefix : undefined;
    const own =
      how.skip || r.args[1] === undefined || (r.args[1].kind === 'object' && opt === undefined)
        ? ''
        : opt?.kind === 'string'
          ? (opt.str ?? '').replace(/\/$/, '')
          : null;
    const up = depth >= MOUNT_DEPTH ? { paths: [''], unknown: true } : (pluginMounts(all, resolve, m, r, by, depth + 1) ?? { paths: [''], unknown: false });
    if (own === null) unknown = true;
    else paths.push(...up.paths.map((p) => `${p}${own}`));
    unknown ||= up.unknown;
  }
  if (registered) return { paths: paths.length > 0 ? [...new Set(paths)] : [''], unknown };
  // An exported plugin no parsed module registers or calls: the instance it is given, and so its prefix, is elsewhere.
  const exported = isDefault || (head.name !== null && (f.exports.includes(head.name) || (f.module?.exportNames ?? []).some((e) => e.local === head.name)));
  return exported && !calledAnywhere(all, resolve, f, head.name, isDefault) ? { paths: [''], unknown: true } : null;
}

/** Some parsed module calls the function `name` of `f` (`setupSocket(app)`), here or through an import. */
function calledAnywhere(all: ReadonlyMap<string, FileFacts>, resolve: Resolve, f: FileFacts, name: string | null, isDefault: boolean): boolean {
  return [...all.values()].some((m) =>
    m.calls.some((c) => {
      if (c.path.includes('.')) return false;
      if (m.file === f.file) return c.path === name;
      const imp = importedFrom(m, c.path);
      return imp !== null && resolve(m.file, imp.source) === f.file && (imp.imported === name || (imp.imported === 'default' && isDefault));
    }),
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

/** The routes `f` registers: `receiver.get('/x', …, handler)`, each with its receiver and path as written. */
function registrations(f: FileFacts): { c: CallFact; receiver: string; path: string }[] {
  if (TEST_FILE.test(f.file)) return [];
  return f.calls.flatMap((c) => {
    if (!METHODS.test(c.method) || c.isNew || !c.path.includes('.')) return [];
    const receiver = c.path.slice(0, -c.method.length - 1);
    // `api` is a request client's name, unless it is the instance an inline plugin is given (`app.register(async (api) => …)`).
    const plugin = f.calls.some(
      (r) => r.method === 'register' && r.args[0]?.kind === 'function' && r.args[0].line === c.fnAt && r.args[0].params?.[0] === receiver,
    );
    if (receiver.includes('.') || (NOT_APP.test(receiver) && !plugin)) return [];
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
    .filter((f) => registrations(f).some((r) => (pluginMounts(all, resolve, f, r.c, r.receiver) ?? mountsOf(all, resolve, f, r.receiver)).unknown))
    .map((f) => f.file);
}

export function httpRoutes(all: ReadonlyMap<string, FileFacts>, resolve: Resolve): ModelFact[] {
  const out: ModelFact[] = [];
  for (const f of all.values()) {
    for (const { c, receiver, path } of registrations(f)) {
      const mounts = pluginMounts(all, resolve, f, c, receiver) ?? mountsOf(all, resolve, f, receiver);
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

/**
 * The fields each route's handler reads of the request body, where it reads any: destructured
 * (`const { body, mentions = [] } = req.body`) or read one by one (`req.body.text`), from the
 * handler's own request parameter. The path is joined with its router's mount as httpRoutes does,
 * and a route mounted at several paths or at one rt-plan cannot read keeps the path as written.
 */
export function routeBodies(all: ReadonlyMap<string, FileFacts>, resolve: Resolve): ModelFact[] {
  const out: ModelFact[] = [];
  for (const f of all.values()) {
    for (const { c, receiver, path } of registrations(f)) {
      const handler = c.args[c.args.length - 1];
      const req = handler?.params?.[0];
      const end = handler?.endLine;
      if (!handler || !req || end === undefined) continue;
      const inside = (line: number) => line >= handler.line && line <= end;
      const keys: string[] = [];
      for (const p of f.bodyPicks ?? []) if (p.root === req && inside(p.line)) keys.push(...p.keys);
      for (const m of f.members) {
        const read = m.path.startsWith(`${req}.body.`) && m.fnAt === handler.line ? m.path.slice(req.length + 6).split('.')[0] : undefined;
        if (read) keys.push(read);
      }
      const fields = [...new Set(keys)];
      if (fields.length === 0) continue;
      const mounts = mountsOf(all, resolve, f, receiver);
      const full = mounts.unknown || mounts.paths.length !== 1 ? path : `${mounts.paths[0]}${path === '/' ? '' : path}` || '/';
      const name = `${c.method.toUpperCase()} ${full}`;
      out.push({
        kind: 'route-body',
        name,
        value: fields.join(', '),
        evidence: ev(f.file, c.line),
        handlerEnd: end,
        note: `The handler of \`${name}\` reads ${fields.map((x) => `\`${x}\``).join(', ')} of the request body.`,
      });
    }
  }
  return out;
}

/** The major version a declared range starts at (`^4.21.1`, `~4.18.0`, `4.x`, `4`), or null when it cannot be told (`*`, `latest`, `>=4`, a URL). */
function declaredMajor(range: string | undefined): number | null {
  const m = /^\s*[\^~=v]*(\d+)(?:\.(?:\d+|x|\*)){0,2}\s*$/.exec(range ?? '');
  return m ? Number(m[1]) : null;
}

/** The package a file belongs to: the nearest manifest above it, else the root's. */
function ownPackage(file: string, packages: readonly WorkspacePackage[]): WorkspacePackage | undefined {
  return packages.filter((p) => p.dir === '' || file.startsWith(`${p.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
}

/**
 * An async Express route handler that awaits outside any try block, where the file's package
 * declares Express 4 (or older): Express 4 calls a handler and drops the promise it returns, so a
 * rejection never reaches `next(err)` or the error handler. Where the project has a process-level
 * `unhandledRejection` listener, the request gets no answer and that listener sees it; without one,
 * Node 15 and later end the process on it by default (`--unhandled-rejections=throw`). Express 5 passes a returned promise's rejection to `next(err)`
 * (https://expressjs.com/en/guide/error-handling.html, "Starting with Express 5 …"), and `express-async-errors`
 * patches Express 4 to do so: neither is reported. A declared range whose major cannot be read is
 * not reported either. Name: the route as served; value: the unguarded awaits' lines; evidence: the first.
 */
export function unguardedAsyncRoutes(all: ReadonlyMap<string, FileFacts>, resolve: Resolve, packages: readonly WorkspacePackage[]): ModelFact[] {
  const out: ModelFact[] = [];
  // A process-level `unhandledRejection` listener sees the rejection; without one, Node 15 and later
  // end the process on it by default (`--unhandled-rejections=throw`, nodejs.org/api/cli.html).
  const listener = [...all.values()]
    .filter((f) => !isNonProduction(f.file))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .flatMap((f) =>
      f.calls
        .filter(
          (c) => /^process\.(?:on|once|addListener|prependListener)$/.test(c.path) && c.args[0]?.kind === 'string' && c.args[0].str === 'unhandledRejection',
        )
        .map((c) => ev(f.file, c.line)),
    )[0];
  const after = listener
    ? `a rejection there reaches no error handler and the request gets no answer; the process's \`unhandledRejection\` listener (\`${listener}\`) is what sees it`
    : 'a rejection there reaches no error handler, and with no `unhandledRejection` listener in the project, Node 15 and later end the process on it by default (`--unhandled-rejections=throw`), dropping every connection the process holds';
  for (const f of all.values()) {
    if (!f.imports.some((i) => i.source === 'express')) continue;
    const pkg = ownPackage(f.file, packages);
    const major = declaredMajor(pkg?.dependencies.express);
    if (major === null || major >= 5 || pkg?.dependencies['express-async-errors'] !== undefined) continue;
    for (const { c, receiver, path } of registrations(f)) {
      const handler = c.args[c.args.length - 1];
      const awaits = handler?.async ? (handler.awaits ?? []) : [];
      if (awaits.length === 0) continue;
      const mounts = mountsOf(all, resolve, f, receiver);
      const full = mounts.unknown || mounts.paths.length !== 1 ? path : `${mounts.paths[0]}${path === '/' ? '' : path}` || '/';
      out.push({
        kind: 'unguarded-async-route',
        name: `${c.method.toUpperCase()} ${full}`,
        value: awaits.join(', '),
        evidence: ev(f.file, awaits[0]!),
        handlerAt: ev(f.file, handler!.line),
        ...(listener ? { rejectionListenerAt: listener } : {}),
        ...writesIn(f, handler!.line, handler!.endLine),
        ...(handler!.endLine !== undefined ? { handlerEnd: handler!.endLine } : {}),
        note: `The handler of \`${c.method.toUpperCase()} ${full}\` (line ${c.line}) is async and awaits outside any try/catch (line${awaits.length > 1 ? 's' : ''} ${awaits.join(', ')}), on Express ${major} (\`express\` ${pkg!.dependencies.express} in ${pkg!.manifest}), which does not catch the promise a handler returns: ${after}.`,
      });
    }
  }
  return out;
}

/** A call that writes to a store (not a Map's `set`/`delete`, which keep nothing): a store method by name, or an SQL statement that changes rows as its first argument. */
const WRITE_METHOD = /^(?:insert(?:One|Many)?|create(?:Many)?|save|update(?:One|Many)?|upsert|put|deleteOne|deleteMany|destroy|hset|lpush|rpush|xadd|zadd)$/;
const SQL_CHANGE = /^\s*(?:insert|update|delete|replace|merge)\b/i;

/** `writesAt`: the lines of the store writes inside a handler (its first to its last line), where there are any. */
function writesIn(f: FileFacts, from: number, to: number | undefined): { writesAt?: number[] } {
  if (to === undefined) return {};
  const lines = f.calls
    .filter((c) => c.line >= from && c.line <= to && c.path.includes('.'))
    .filter((c) => {
      const first = c.args[0];
      const sql = first?.kind === 'string' || first?.kind === 'template' ? (first.str ?? '') : '';
      return WRITE_METHOD.test(c.method) || SQL_CHANGE.test(sql);
    })
    .map((c) => c.line);
  return lines.length > 0 ? { writesAt: [...new Set(lines)].sort((a, b) => a - b) } : {};
}

/** The handler names a Next.js App Router route module exports, one per HTTP method. */
const ROUTE_EXPORT = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/;

/**
 * The path a Next.js App Router route module serves: the folders under `app/` (or `src/app/`),
 * without route groups (`(marketing)`) and parallel-route slots (`@modal`), which stay out of the
 * URL; null for a file that is not a route module, sits under a private folder (`_lib`), which the
 * router leaves out, or under an intercepting segment (`(.)photo`, `(..)photo`), whose URL is the
 * route it intercepts, not its folders.
 * https://nextjs.org/docs/app/api-reference/file-conventions/route
 * https://nextjs.org/docs/app/api-reference/file-conventions/parallel-routes
 * https://nextjs.org/docs/app/api-reference/file-conventions/intercepting-routes
 */
export function appRoutePath(file: string): string | null {
  const m = /(?:^|\/)app((?:\/[^/]+)*)\/route\.[cm]?[jt]sx?$/.exec(file);
  if (!m) return null;
  const segments = (m[1] ?? '').split('/').filter((x) => x !== '');
  if (segments.some((x) => x.startsWith('_') || /^\(\.+\)/.test(x))) return null;
  return `/${segments.filter((x) => !/^\(.*\)$/.test(x) && !x.startsWith('@')).join('/')}`;
}

/** The package a file belongs to declares `next` (the nearest manifest above it, else the root's). */
function underNext(file: string, packages: readonly WorkspacePackage[]): boolean {
  const own = packages.filter((p) => p.dir === '' || file.startsWith(`${p.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
  return own !== undefined && 'next' in own.dependencies;
}

/** Each handler a route module exports, as the method and path it answers, at the export's line. */
export function routeHandlers(all: ReadonlyMap<string, FileFacts>, packages: readonly WorkspacePackage[]): ModelFact[] {
  const out: ModelFact[] = [];
  for (const f of all.values()) {
    if (TEST_FILE.test(f.file)) continue;
    // `app/**/route.ts` is a route module only where Next.js runs it.
    const path = underNext(f.file, packages) ? appRoutePath(f.file) : null;
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
