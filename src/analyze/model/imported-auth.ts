// The connection path checks a cookie in another module: a Next.js route handler's
// `await requireUser()` (next/headers cookies()), Express middleware mounted on the route
// (req.cookies), a Hono Worker's `memberFromCookie(c)` (hono/cookie + hono/jwt) before a Durable
// Object. Only imported functions whose names say they check the caller are followed.
// https://nextjs.org/docs/app/api-reference/functions/cookies · https://hono.dev/docs/helpers/cookie
import type { FileFacts } from '../code/facts.js';
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
