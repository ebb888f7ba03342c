// The connection path checks a cookie in another module: a Next.js route handler's
// `await requireUser()` (next/headers cookies()), Express middleware mounted on the route
// (req.cookies), a Hono Worker's `memberFromCookie(c)` (hono/cookie + hono/jwt) before a Durable
// Object. Only imported functions whose names say they check the caller are followed.
// https://nextjs.org/docs/app/api-reference/functions/cookies · https://hono.dev/docs/helpers/cookie
import type { ArgInfo } from '../code/ast.js';
import type { FileFacts } from '../code/facts.js';
import type { CredentialRead } from '../code/guards.js';
import type { Resolve } from './resolve.js';

/** A Hono/fetch route that checks the Upgrade header: it hands a WebSocket to whatever serves it. */
export function checksUpgrade(f: FileFacts): boolean {
  return f.calls.some(
    (c) => (c.method === 'header' || c.path.endsWith('headers.get')) && c.args[0]?.kind === 'string' && /^upgrade$/i.test(c.args[0].str ?? ''),
  );
}

/** Names of functions that check who is calling; only those are followed for a cookie read. */
export const AUTH_FN = /auth|session|user|member|token|jwt|cookie|verify|identity|principal|viewer|account/i;
const COOKIE_FN: Record<string, string[]> = { cookies: ['next/headers'], getCookie: ['hono/cookie', 'cookies-next'], getSignedCookie: ['hono/cookie'] };
const JWT_VERIFY: Record<string, string[]> = { verify: ['hono/jwt', 'jsonwebtoken', 'hono/utils/jwt'], jwtVerify: ['jose'] };

function fromModule(f: FileFacts, local: string, mods: readonly string[] | undefined): boolean {
  return mods !== undefined && f.imports.some((i) => mods.includes(i.source) && i.locals.some((l) => l.local === local));
}

/** Line of the cookie read in a module, and whether the cookie holds a JWT the module verifies. */
function cookieRead(f: FileFacts): { jwt: boolean } | null {
  const call = f.calls.some((c) => c.path === c.method && fromModule(f, c.method, COOKIE_FN[c.method]));
  const member = f.members.some((m) => /^(req|request)\.(cookies|signedCookies)(\.\w+)?$/.test(m.path));
  if (!call && !member) return null;
  const jwt = f.calls.some((c) => fromModule(f, c.root, JWT_VERIFY[c.method] ?? JWT_VERIFY[c.root]) || /^(jwt|jsonwebtoken)\.verify$/.test(c.path));
  return { jwt };
}

/**
 * The connection path checks a cookie in another module: the route calls (or mounts as
 * middleware) an imported auth function whose module reads a cookie. Cited at the route's call.
 */
export function importedCookieAuth(
  files: ReadonlyMap<string, FileFacts>,
  resolve: Resolve,
  facts: FileFacts,
): { kind: 'session-cookie' | 'jwt-cookie'; line: number }[] {
  const out: { kind: 'session-cookie' | 'jwt-cookie'; line: number }[] = [];
  const seen = new Set<string>();
  const uses = [
    ...facts.calls.filter((c) => c.path === c.method).map((c) => ({ name: c.method, line: c.line })),
    ...facts.calls.flatMap((c) =>
      c.args.filter((a) => a.kind === 'ident' && a.path && !a.path.includes('.')).map((a) => ({ name: a.path as string, line: c.line })),
    ),
  ];
  for (const u of uses) {
    if (!AUTH_FN.test(u.name) || seen.has(u.name)) continue;
    const imp = facts.imports.find((i) => i.locals.some((l) => l.local === u.name));
    if (!imp || !(imp.source.startsWith('.') || imp.source.startsWith('@/') || imp.source.startsWith('~/'))) continue;
    const file = resolve(facts.file, imp.source);
    const f = file === null ? undefined : files.get(file);
    const read = f ? cookieRead(f) : null;
    if (!read) continue;
    seen.add(u.name);
    out.push({ kind: read.jwt ? 'jwt-cookie' : 'session-cookie', line: u.line });
  }
  return out;
}

/** Names of functions that guard a route: requireStaff, ensureAuth, isAuthenticated, protect… */
const GUARD_FN = new RegExp(`${AUTH_FN.source}|staff|admin|guard|protect|require|ensure|login|logged|signed|allow|permit|check`, 'i');

export interface PresenceGuard {
  file: string;
  line: number;
  /** The guard function's name, when it has one. */
  name: string | null;
  read: CredentialRead;
}

/**
 * Guards on this file's routes, upgrade or connection listeners that only test that a cookie or
 * header is present and whose function verifies nothing (code/guards.ts): in a registered
 * callback here, in a function of this module passed to a registration, or in an imported
 * function with a guard's name that this module calls or passes as middleware (one hop).
 * Cited at the guard's `if`, in its own module.
 */
export function presenceOnlyGuards(files: ReadonlyMap<string, FileFacts>, resolve: Resolve, facts: FileFacts): PresenceGuard[] {
  const out: PresenceGuard[] = [];
  // Passed as middleware: `app.post('/x', requireStaff, …)`, `{ preHandler: requireUser }`, `[requireUser]`.
  const idents = (a: ArgInfo): ArgInfo[] => [a, ...Object.values(a.props ?? {}), ...(a.items ?? [])];
  const passed = new Set(
    facts.calls.flatMap((c) =>
      c.args
        .flatMap(idents)
        .filter((a) => a.kind === 'ident' && a.path && !a.path.includes('.'))
        .map((a) => a.path as string),
    ),
  );
  const called = new Set(facts.calls.filter((c) => c.path === c.method).map((c) => c.method));
  for (const g of facts.presenceGuards ?? []) {
    if (g.verified) continue;
    if (g.registration !== undefined || (g.fn !== null && (passed.has(g.fn) || called.has(g.fn))))
      out.push({ file: facts.file, line: g.line, name: g.fn, read: g.read });
  }
  for (const name of [...new Set([...passed, ...called])].sort()) {
    if (!GUARD_FN.test(name)) continue;
    const imp = facts.imports.find((i) => i.locals.some((l) => l.local === name));
    const imported = imp?.locals.find((l) => l.local === name)?.imported;
    if (!imp || !imported || !(imp.source.startsWith('.') || imp.source.startsWith('@/') || imp.source.startsWith('~/'))) continue;
    const file = resolve(facts.file, imp.source);
    const f = file === null ? undefined : files.get(file);
    for (const g of f?.presenceGuards ?? []) {
      if (!g.verified && g.fn === imported) out.push({ file: f?.file ?? '', line: g.line, name: g.fn, read: g.read });
    }
  }
  return out;
}
