// Request guards that only test that a credential is PRESENT: `if (!req.headers.cookie) return
// res.sendStatus(401)`, `if (!req.cookies.session)`, `if (!getCookie(c, 'sid'))`,
// `if (!c.req.header('Authorization'))`. The fact walker (facts.ts) records each such guard with
// what it reads; whether the function around it then verifies the value (a session lookup, a
// signature or token check) is decided from the calls of that function (`inert` below).
// https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html
import { type AstNode, pathOf, unwrap } from './ast.js';

/** What a presence guard reads: a cookie (by name when the code names it) or a request header. */
export interface CredentialRead {
  kind: 'cookie' | 'header';
  /** Cookie or header name; null for "any Cookie header". */
  name: string | null;
}

const HEADER_NAMES = /^(cookie|authorization|x-api-key|x-auth-token|x-access-token)$/i;

/** The credential an expression reads from the request, or null. `aliases`: locals bound to one. */
export function credentialRead(node: AstNode, aliases: ReadonlyMap<string, CredentialRead>): CredentialRead | null {
  const n = unwrap(node);
  if (!n) return null;
  if (n.type === 'Identifier') return aliases.get(n.name as string) ?? null;
  if (n.type === 'MemberExpression') {
    const p = pathOf(n);
    if (p === null) return null;
    // req.headers.cookie, req.headers['authorization'], info.req.headers.cookie
    const h = /(?:^|\.)headers\.([\w-]+)$/.exec(p);
    if (h?.[1] && HEADER_NAMES.test(h[1])) return headerRead(h[1]);
    // req.cookies.session, req.cookies['connect.sid'] (not signedCookies: cookie-parser checked its signature)
    const c = /(?:^|\.)(?:req|request|ctx|ctx\.request)\.cookies\.([\w.-]+)$/.exec(p);
    if (c?.[1]) return { kind: 'cookie', name: c[1] };
    return null;
  }
  if (n.type === 'CallExpression') {
    const p = pathOf(n.callee);
    const first = unwrap(n.arguments?.[0]);
    const str = (a: AstNode): string | null => (a?.type === 'Literal' && typeof a.value === 'string' ? a.value : null);
    if (p === null) return null;
    // Hono: c.req.cookie('sid'), getCookie(c, 'sid'), c.req.header('Authorization')
    if (/(?:^|\.)req\.cookie$/.test(p) && str(first) !== null) return { kind: 'cookie', name: str(first) };
    if (p === 'getCookie' && n.arguments?.length >= 2) return { kind: 'cookie', name: str(unwrap(n.arguments[1])) };
    // Hono c.req.header('Authorization'), Express req.header('cookie') / req.get('cookie')
    if (/(?:^|\.)req\.(header|get)$|^(req|request)\.(header|get)$/.test(p) && str(first) !== null && HEADER_NAMES.test(str(first) ?? ''))
      return headerRead(str(first) ?? '');
    // fetch-style: request.headers.get('cookie'), Next: request.cookies.get('sid'), cookies().get('sid')
    if (/(?:^|\.)headers\.get$/.test(p) && str(first) !== null && HEADER_NAMES.test(str(first) ?? '')) return headerRead(str(first) ?? '');
    if (/(?:^|\.)(?:req|request)\.cookies\.get$|^cookies\(\)\.get$/.test(p) && str(first) !== null) return { kind: 'cookie', name: str(first) };
    // req.headers.cookie?.includes('staff_session='), …startsWith('Bearer ')
    if (/\.(includes|startsWith|indexOf)$/.test(p) && n.callee?.type !== undefined) {
      const recv = credentialRead(unwrap(n.callee).object, aliases);
      const s = str(first);
      if (recv?.kind === 'header' && recv.name === null && s !== null) {
        const m = /^\s*([\w.-]+)=?$/.exec(s);
        if (m?.[1]) return { kind: 'cookie', name: m[1] };
      }
      return recv;
    }
  }
  return null;
}

function headerRead(name: string): CredentialRead {
  return /^cookie$/i.test(name) ? { kind: 'header', name: null } : { kind: 'header', name };
}

/**
 * The credential a guard's test only checks for presence: `!x`, `x == null`, `x === undefined`,
 * `typeof x === 'undefined'`, and either side of `||`. A test that passes the value to anything
 * else (`!sessions.has(sid)`, `!(await verify(token))`) is not a presence test.
 */
export function presenceTest(test: AstNode, aliases: ReadonlyMap<string, CredentialRead>): CredentialRead | null {
  const t = unwrapParens(test);
  if (!t) return null;
  if (t.type === 'LogicalExpression' && t.operator === '||') return presenceTest(t.left, aliases) ?? presenceTest(t.right, aliases);
  if (t.type === 'UnaryExpression' && t.operator === '!') return credentialRead(t.argument, aliases);
  if (t.type === 'BinaryExpression' && /^[!=]==?$/.test(t.operator) && t.operator.startsWith('=')) {
    const nullish = (x: AstNode): boolean => {
      const u = unwrap(x);
      return (u?.type === 'Literal' && (u.value === null || u.value === '')) || (u?.type === 'Identifier' && u.name === 'undefined');
    };
    if (nullish(t.right)) return credentialRead(t.left, aliases);
    if (nullish(t.left)) return credentialRead(t.right, aliases);
  }
  return null;
}

function unwrapParens(n: AstNode): AstNode {
  let x = n;
  while (x?.type === 'ParenthesizedExpression') x = x.expression;
  return x;
}

/** The local a test finds missing: `!x`, `x == null`, `x === undefined`; else null. */
export function absentLocal(test: AstNode): string | null {
  const t = unwrapParens(test);
  if (!t) return null;
  if (t.type === 'UnaryExpression' && t.operator === '!') {
    const a = unwrapParens(t.argument);
    return a?.type === 'Identifier' ? (a.name as string) : null;
  }
  if (t.type === 'BinaryExpression' && /^(==|===)$/.test(t.operator)) {
    const nullish = (x: AstNode): boolean => {
      const u = unwrapParens(x);
      return (u?.type === 'Literal' && u.value === null) || (u?.type === 'Identifier' && u.name === 'undefined');
    };
    const [l, r] = [unwrapParens(t.left), unwrapParens(t.right)];
    if (l?.type === 'Identifier' && nullish(r)) return l.name as string;
    if (r?.type === 'Identifier' && nullish(l)) return r.name as string;
  }
  return null;
}

/** The consequent is a return and nothing else (`return;`, `{ return false; }`). */
export function onlyReturns(consequent: AstNode): boolean {
  const c = consequent;
  if (c?.type === 'ReturnStatement') return true;
  return c?.type === 'BlockStatement' && c.body.length === 1 && c.body[0]?.type === 'ReturnStatement';
}

/** The guard rejects: its consequent returns, throws or ends the connection. */
export function rejects(consequent: AstNode): boolean {
  const c = consequent;
  if (!c) return false;
  if (c.type === 'ReturnStatement' || c.type === 'ThrowStatement') return true;
  if (c.type === 'BlockStatement') return (c.body as AstNode[]).some((s) => rejects(s));
  if (c.type === 'ExpressionStatement') {
    const p = c.expression?.type === 'CallExpression' ? pathOf(c.expression.callee) : null;
    return p !== null && /\.(destroy|end|sendStatus)$/.test(p);
  }
  return false;
}

/**
 * Calls that cannot verify a credential: reading it, parsing it, answering the request, passing
 * it on, logging. Anything else in the guard's function (a store, a database, a verify call, an
 * unknown helper) may check the value, so the guard is not reported.
 */
const INERT_METHOD =
  /^(next|status|code|end|send|sendStatus|json|text|body|html|redirect|setHeader|writeHead|write|destroy|close|terminate|header|includes|startsWith|endsWith|indexOf|split|trim|toLowerCase|toUpperCase|toString|slice|substring|replace|match|test|parse|cookie|getCookie|cookies|log|warn|error|info|debug|handleUpgrade|emit|Boolean|String|decodeURIComponent|set)$/;
/** Answers and errors a rejecting guard builds: `next(new Error('unauthorized'))`, `throw new HTTPException(401)`. */
const INERT_NEW = /^(new )?(Error|TypeError|HTTPException|Response|URL|URLSearchParams|Headers|createError|NextResponse\.\w+)$/;
/** A read on the request's own headers or cookies (`headers.get('cookie')`, `cookies().get('sid')`). */
const REQUEST_READ = /(?:^|\.)(headers|cookies|cookies\(\)|req|request)\.(get|has)$/;

export function inert(path: string): boolean {
  const clean = path.endsWith('()') ? path.slice(0, -2) : path;
  const method = clean.slice(clean.lastIndexOf('.') + 1);
  // getSignedCookie checks the cookie's HMAC: that is verification.
  if (method === 'getSignedCookie') return false;
  return INERT_METHOD.test(method) || REQUEST_READ.test(clean) || /^(JSON|console|cookie)\./.test(clean) || INERT_NEW.test(clean);
}

/**
 * Names a loop over sockets tests to skip closed or backed-up ones: reading them picks no subset
 * of the recipients by who they are (a slow consumer skipped once still gets the next message).
 */
const OPEN_STATE = /^(readyState|OPEN|isAlive|connected|open|isOpen|bufferedAmount)$/;

/**
 * Whether a test inside a loop over recipients picks some of them (`c.room === room`,
 * `subs.has(id)`), rather than skipping closed sockets (`c.readyState === WebSocket.OPEN`,
 * `c.isAlive`) or the sender (`c !== ws`). Unknown shapes count as picking: the loop is then
 * not believed to reach everyone.
 */
export function picksRecipients(test: AstNode): boolean {
  const t = unwrapParens(test);
  if (!t) return true;
  if (t.type === 'LogicalExpression') return picksRecipients(t.left) || picksRecipients(t.right);
  if (t.type === 'UnaryExpression' && t.operator === '!') return picksRecipients(t.argument);
  if (t.type === 'BinaryExpression') {
    const [l, r] = [unwrapParens(t.left), unwrapParens(t.right)];
    // `ws.readyState !== WebSocket.OPEN`, `c.bufferedAmount > LIMIT`
    if ((t.operator === '!==' || t.operator === '!=') && l?.type === 'Identifier' && r?.type === 'Identifier') return false;
    const name = (x: AstNode): string | null =>
      x?.type === 'MemberExpression' && !x.computed ? (x.property?.name ?? null) : x?.type === 'Identifier' ? (x.name as string) : null;
    return !(OPEN_STATE.test(name(l) ?? '') || OPEN_STATE.test(name(r) ?? ''));
  }
  if (t.type === 'MemberExpression' && !t.computed) return !OPEN_STATE.test((t.property?.name as string) ?? '');
  return true;
}

/**
 * The term of a loop's test that leaves out the sender: the loop's element compared with the socket
 * whose message is being handled, by `!==` in a conjunction that guards the send (`c !== ws &&
 * c.readyState === OPEN`) or by `===` in a disjunction that skips the turn (`if (c === ws ||
 * !c.isAlive) continue;`), either side, bare or by the same property (`c.id !== ws.id`). Returns
 * the comparison as written and the other terms, which may still pick recipients; null without one.
 */
/** Properties that name one connection (`c.id !== exceptId`), not a group of them (a room, a team, a user's tabs). */
export const CONNECTION_ID = /^(id|_id|sid|uuid|socketId|clientId|connectionId|connId)$/;

export function senderSkip(
  test: AstNode,
  loopVar: string,
  sender: string,
  skips: boolean,
  /** `sender` holds the id itself (`c.id !== exceptId`): the element's property compared with it bare, returned as `prop`. */
  byProp = false,
): { how: string; rest: AstNode[]; prop?: string } | null {
  const joiner = skips ? '||' : '&&';
  const terms: AstNode[] = [];
  const flatten = (x: AstNode): void => {
    const t = unwrapParens(x);
    if (t?.type === 'LogicalExpression' && t.operator === joiner) {
      flatten(t.left);
      flatten(t.right);
    } else terms.push(t);
  };
  flatten(test);
  const ops = skips ? ['===', '=='] : ['!==', '!='];
  for (const [i, t] of terms.entries()) {
    if (t?.type !== 'BinaryExpression' || !ops.includes(t.operator as string)) continue;
    const [l, r] = [pathOf(unwrapParens(t.left)), pathOf(unwrapParens(t.right))];
    if (!l || !r) continue;
    const pair = (a: string, b: string): boolean => {
      if (a === loopVar && b === sender) return true;
      const [pa, pb] = [a.slice(loopVar.length), b.slice(sender.length)];
      // Only a property that names the connection: `c.roomId !== ws.roomId` compares rooms, `c.userId !== ws.userId` a user's tabs.
      return a.startsWith(`${loopVar}.`) && b.startsWith(`${sender}.`) && pa === pb && CONNECTION_ID.test(pa.slice(1));
    };
    if (pair(l, r) || pair(r, l)) return { how: `${l} ${t.operator} ${r}`, rest: terms.filter((_, j) => j !== i) };
    const [el, other] = l.startsWith(`${loopVar}.`) ? [l, r] : [r, l];
    const prop = el.slice(loopVar.length + 1);
    if (byProp && el.startsWith(`${loopVar}.`) && other === sender && /^[\w$]+$/.test(prop))
      return { how: `${l} ${t.operator} ${r}`, rest: terms.filter((_, j) => j !== i), prop };
  }
  return null;
}

/** The consequent leaves the loop's turn and nothing else (`continue;`, `return;`, `{ continue; }`). */
export function onlySkips(consequent: AstNode): boolean {
  const c = consequent;
  const skip = (x: AstNode): boolean => x?.type === 'ContinueStatement' || x?.type === 'ReturnStatement';
  return skip(c) || (c?.type === 'BlockStatement' && c.body.length === 1 && skip(c.body[0]));
}
