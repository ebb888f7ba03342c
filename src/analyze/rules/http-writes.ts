// HTTP routes that change what real-time clients are sent. Two rules, each said only where the
// project's own code shows the contrast that makes it a defect:
// - a state-changing route (POST, PUT, PATCH, DELETE) that checks no caller, in a server whose
//   other routes do check one (a session or token read followed by a 401/403, or an auth middleware);
// - a tenant key (`shopId`, `tenantId`, …) set to a string constant in product code, where the code
//   also names a channel or room from that key: records that take the constant go to one tenant.
import type { ArgInfo } from '../code/ast.js';
import type { CallFact, FileFacts } from '../code/facts.js';
import { authCall, httpRoutes } from '../model/http-routes.js';
import { isNonProduction } from '../model/scope.js';
import { type AuditContext, type AuditRule, type RuleHit, allModules } from './types.js';

const WRITE = /^(POST|PUT|PATCH|DELETE) /;
/** Routes whose purpose is to establish who the caller is, or that a third party calls with its own signature. */
const SIGN_IN_PATH = /(?:^|\/)(?:login|logout|sign-?in|sign-?out|sign-?up|register|auth|oauth|token|session|webhooks?|callback)(?:\/|$)/i;
/** Routes that are public by design: a form anyone may send, a report a browser or beacon posts, a reset link's target. */
const PUBLIC_PATH =
  /(?:^|\/)(?:contact|feedback|newsletter|subscribe|unsubscribe|invite|accept-invite|password-reset|reset-password|forgot-password|csp-report|reports?|analytics|track|beacon|health)(?:\/|$)/i;
/** What a handler reads to know its caller: the session, the user a middleware set, the credential headers or cookies. */
const CALLER_READ =
  /^(?:req|request|ctx|c)\.(?:session|user|auth|isAuthenticated|cookies|signedCookies|state\.user|headers\.(?:authorization|cookie)|raw\.headers\.authorization)\b/;
/** Calls in a handler that check the caller (`verifyToken(req)`, `getServerSession()`, `requireUser()`). */
const CALLER_CALL = /(?:auth|verify|session|currentUser|getUser|requireUser|requireRole|isAllowed|can)\w*$/i;
/** The response calls that refuse a caller: `res.sendStatus(401)`, `res.status(403)`, `reply.code(401)`. */
const REFUSE = /^(?:sendStatus|status|code)$/;
/** Middleware named as a guard that `authCall` does not read as one: `requireStaff`, `ensureLoggedIn`, `isAdmin`, `checkPermission('orders:write')`. */
const GUARD_FN =
  /^(?:require|ensure|must|only)[A-Z]|^is(?:Admin|Staff|Owner|Member|LoggedIn|Authenticated|Allowed)|guard|protect|permission|role|admin|staff|logged/i;
/** Middleware that loads a session or cookies for later checks and refuses nobody (express-session, cookie-session, passport's session). */
const LOADS_ONLY = /^(?:session|cookieSession|expressSession|cookieParser|initialize)$/;
/**
 * Calls that write state the real-time path reads or publish to it: a store's write (`saveStatus()`,
 * `db.order.update()`, `orders.set()`, `redis.hset()`) or a publish (`channel.publish()`, `io.emit()`).
 * Anything else (`String()`, `.slice()`, `sendMail()`, `validate()`) is not taken as a state change.
 */
const WRITE_CALL =
  /^(?:(?:save|insert|update|upsert|delete|remove|destroy|create|persist|store|publish|emit|broadcast|trigger|increment|decrement|patch|replace)(?:[A-Z_]\w*)?|set|del|hset|hdel|hmset|lpush|rpush|sadd|srem|zadd|zrem|xadd|incr|incrby|decr|bulkWrite)$/;
/** A SQL call (`db.query('UPDATE …')`) writes only where its text does. */
const SQL_CALL = /^(?:query|execute|exec|run|raw|unsafe)$/;
const SQL_WRITE = /^\s*(?:insert|update|delete|replace|upsert|merge)\b/i;
/** Roots whose calls change nothing the app keeps: built-ins and hashing (`JSON.parse`, `crypto.createHash`). */
const PURE_ROOT = /^(?:String|Number|Boolean|JSON|Math|Object|Array|Date|Promise|Buffer|URL|URLSearchParams|crypto|path|util|Symbol|Reflect)$/;
/** Timers named like writes. */
const TIMER = /^(?:setTimeout|setInterval|setImmediate)$/;

/** The call writes state or publishes (see WRITE_CALL). */
function writes(c: CallFact): boolean {
  if (PURE_ROOT.test(c.path.split('.')[0] ?? '') || TIMER.test(c.method)) return false;
  if (SQL_CALL.test(c.method)) return c.args[0]?.kind === 'string' && SQL_WRITE.test(c.args[0].str ?? '');
  return WRITE_CALL.test(c.method);
}
/** A router or sub-app passed to `use`. */
const MOUNTED = /(?:router|routes?|app|api|server)$/i;
/** Calls on the request or response, which change nothing the app keeps. */
const IO_ROOT = /^(?:req|request|res|reply|response|ctx|c|console|next)$/;

interface Handler {
  file: FileFacts;
  route: CallFact;
  from: number;
  to: number;
}

/** The registration call and its handler's lines for a route fact's evidence (`file:line`). */
function handlerAt(modules: readonly FileFacts[], evidence: string): Handler | null {
  const i = evidence.lastIndexOf(':');
  const file = modules.find((f) => f.file === evidence.slice(0, i));
  const line = Number(evidence.slice(i + 1));
  const route = file?.calls.find((c) => c.line === line && c.args.at(-1)?.kind === 'function');
  const fn = route?.args.at(-1);
  return file && route && fn ? { file, route, from: fn.line, to: fn.endLine ?? fn.line } : null;
}

const inside = (h: Handler, line: number): boolean => line >= h.from && line <= h.to;

/** The handler reads who its caller is, or a middleware argument of the route checks it. */
function checksCaller(h: Handler): { how: string; line: number } | null {
  const read = h.file.members.find((m) => inside(h, m.line) && CALLER_READ.test(m.path));
  if (read) return { how: read.path.split('.').slice(0, 3).join('.'), line: read.line };
  const call = h.file.calls.find((c) => inside(h, c.line) && c.path !== h.route.path && CALLER_CALL.test(c.method));
  if (call) return { how: `${call.path}()`, line: call.line };
  // A middleware argument counts only where it is an auth check (`requireAuth`, `passport.authenticate()`),
  // not a body parser, upload, validator or rate limiter (`express.json()`, `upload.single()`).
  const mw = h.route.args.slice(1, -1).find((a: ArgInfo) => {
    const name = a.path?.split('.').pop() ?? '';
    return (authCall(a) || (a.kind !== 'string' && GUARD_FN.test(name))) && !LOADS_ONLY.test(name);
  });
  return mw ? { how: mw.path ?? 'a middleware', line: mw.line } : null;
}

/** The handler refuses a caller it did not recognise: a 401 or 403 answer. */
function refuses(h: Handler): boolean {
  return h.file.calls.some(
    (c) => inside(h, c.line) && REFUSE.test(c.method) && c.args[0]?.kind === 'number' && (c.args[0].num === 401 || c.args[0].num === 403),
  );
}

function unguardedWrites(ctx: AuditContext): RuleHit[] {
  if (!ctx.modules || !ctx.resolve) return [];
  const modules = [...ctx.modules.values()].filter((f) => !isNonProduction(f.file));
  // An auth middleware mounted anywhere (`app.use(requireAuth)`) may guard routes of another module: say nothing then.
  // Middleware that only loads a session or cookies (`session({ secret })`) decides nothing about the caller.
  // A mounted router (`app.use('/api', tokenRouter)`) serves routes; it is not a check, whatever its name.
  const guards = (a: ArgInfo) => authCall(a) && !LOADS_ONLY.test((a.path ?? '').split('.').pop() ?? '') && !MOUNTED.test(a.path ?? '');
  if (modules.some((f) => f.calls.some((c) => c.method === 'use' && c.path.includes('.') && c.args.some(guards)))) return [];
  const routes = httpRoutes(ctx.modules, ctx.resolve).filter((r) => !isNonProduction(r.evidence));
  const checked = routes.flatMap((r) => {
    if (r.value) return [{ route: r, how: r.value, at: r.guardAt ?? r.evidence }];
    const h = handlerAt(modules, r.evidence);
    const check = h ? checksCaller(h) : null;
    return h && check && refuses(h) ? [{ route: r, how: check.how, at: `${h.file.file}:${check.line}` }] : [];
  });
  const contrast = checked[0];
  if (!contrast) return [];
  const hits: RuleHit[] = [];
  const seen = new Set<string>();
  for (const r of routes) {
    const path = r.name.replace(WRITE, '/');
    if (!WRITE.test(r.name) || r.value || SIGN_IN_PATH.test(path) || PUBLIC_PATH.test(path) || seen.has(r.evidence)) continue;
    const h = handlerAt(modules, r.evidence);
    if (!h || checksCaller(h)) continue;
    // It acts: it writes to a store or publishes, other than on the request and response.
    const acts = h.file.calls.filter((c) => inside(h, c.line) && c.line !== h.route.line && !IO_ROOT.test(c.path.split('.')[0] ?? '') && writes(c));
    if (acts.length === 0) continue;
    seen.add(r.evidence);
    hits.push({
      evidence: r.evidence,
      message: `\`${r.name}\` changes state (${acts
        .slice(0, 2)
        .map((c) => `\`${c.path}()\``)
        .join(
          ', ',
        )}) and checks no caller: no auth middleware on the route and no read of a session, user or credential in its handler, so anyone who can reach the server can call it, while \`${contrast.route.name}\` checks \`${contrast.how}\` (${contrast.at})`,
    });
  }
  return hits;
}

/** Keys that name the tenant a record belongs to. */
const TENANT_KEY = /^(?:shop|store|tenant|org|organization|account|workspace|team|company)(?:Id|_id)$/;

/** Calls that name a channel or room: `ably.channels.get()`, `io.to()`/`in()`, `socket.join()`, `subscribe`, `publish`, `pusher.trigger()`, `supabase.channel()`. */
const CHANNEL_METHOD = /^(?:to|in|join|leave|subscribe|unsubscribe|publish|trigger|channel|broadcast)$/;
const namesChannel = (c: CallFact): boolean => CHANNEL_METHOD.test(c.method) || (c.method === 'get' && /(?:^|\.)channels\.get$/.test(c.path));

function tenantDefaults(ctx: AuditContext): RuleHit[] {
  const modules = allModules(ctx).filter((f) => !isNonProduction(f.file) && !/(?:^|\/)(?:seeds?|config|mocks?)(?:\/|\.)/i.test(f.file));
  // Where the code names a channel or room from the key (`` `orders:${order.shopId}` ``): the constant decides who receives it.
  // Only channel and room APIs name a channel: a log line or a label with the key in it does not.
  const named = new Map<string, string>();
  for (const f of modules)
    for (const c of f.calls.filter(namesChannel))
      for (const a of c.args)
        for (const e of a.kind === 'template' ? (a.exprs ?? []) : [])
          if (e.path && TENANT_KEY.test(e.path.split('.').pop() ?? '') && !named.has(e.path.split('.').pop()!))
            named.set(e.path.split('.').pop()!, `${f.file}:${c.line}`);
  return modules.flatMap((f) =>
    f.strings
      // The constant counts only as a value of a record being built or stored (spread, a `??`/`||` default, a store write),
      // not in a label map or column map a function returns (`{ shopId: 'Shop' }`).
      .flatMap((s) => (s.key !== null && s.inRecord && TENANT_KEY.test(s.key) && s.value.length > 0 && named.has(s.key) ? [{ ...s, key: s.key }] : []))
      .map((s) => ({
        evidence: `${f.file}:${s.line}`,
        message: `\`${s.key}\` is set to the constant \`'${s.value}'\` here, and ${named.get(s.key)} names a channel from \`${s.key}\`: a record that takes this value is sent to the subscribers of \`${s.value}\`, whichever ${s.key.replace(/(?:Id|_id)$/, '')} it belongs to`,
      })),
  );
}

export const HTTP_WRITE_RULES: readonly AuditRule[] = [
  {
    id: 'unauthenticated-write-route',
    severity: 'high',
    title: 'State-changing route with no caller check',
    why: 'The route changes what is stored and published, but nothing checks who calls it, although other routes of the same server do: anyone who can reach the API can change any record and every subscriber sees the change.',
    fix: "Check the caller as the server's other routes do (the same session or token read, answering 401 without one and 403 when the caller may not change this record), before the write and the publish.",
    source: 'https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/',
    detect: (ctx) => unguardedWrites(ctx),
  },
  {
    id: 'hard-coded-tenant',
    severity: 'medium',
    title: 'Tenant set to a constant',
    why: "A record's tenant decides which channel it is published on; a constant puts every record that takes it into one tenant, so that tenant's subscribers see other tenants' data and the real tenant's never do.",
    fix: "Take the tenant from the stored record or the caller's session, and refuse (404 or 400) a record whose tenant is not known instead of defaulting it.",
    source: 'https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/',
    detect: (ctx) => tenantDefaults(ctx),
  },
];
