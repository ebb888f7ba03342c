// How a Socket.IO client connects: the URL it passes to io() as written, whether that is the
// page's own origin, the namespace the URL names, and the plain options it sets. A plan's client
// snippet repeats these instead of a placeholder URL (socket.io/docs/v4/client-initialization:
// io() without a URL connects to the page's origin; the URL's path is the namespace).
import type { Evidence } from '../../types.js';
import type { ArgInfo } from './ast.js';
import type { CallFact } from './facts.js';

export interface SocketClientConnect {
  evidence: Evidence;
  /** The first argument as written (`'/admin'`, `` `${import.meta.env.VITE_API_URL}/support` ``); absent for `io()` and `io({…})`. */
  url?: string;
  /** The page's own origin: no URL, a path, or `window.location.origin` / `location.origin`. */
  sameOrigin: boolean;
  /** The namespace the URL names where the code spells it (`/support`); absent for the main namespace or a URL whose path is not in the code. */
  namespace?: string;
  /** The URL as written had a query string, a fragment or userinfo (`?token=…`, `user:pass@`), which `url` leaves out: never copied into a plan. */
  urlQueryDropped?: boolean;
  /** Options set to a literal or a name (`autoConnect: false`, `` path: `${base}/socket.io` ``), as written. */
  options: { key: string; value: string }[];
}

const ORIGIN = /^(window\.)?(document\.)?location\.origin$/;

function expr(a: ArgInfo): string | null {
  return (a.kind === 'ident' || a.kind === 'member') && a.path ? a.path : null;
}

/** The argument as source text, or null where it is not a string, a template of names, or a name. */
function written(a: ArgInfo): string | null {
  if (a.kind === 'string' && a.str !== undefined) return `'${a.str.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (a.kind === 'template' && a.str !== undefined) {
    const parts = a.str.split('${}');
    const names = (a.exprs ?? []).map(expr);
    if (names.length !== parts.length - 1 || names.some((n) => n === null)) return null;
    return `\`${parts.map((p, i) => (i < names.length ? `${p}\${${names[i]}}` : p)).join('')}\``;
  }
  return expr(a);
}

/** The path of a literal URL ('https://host/ns' → '/ns', '/ns' → '/ns'), or of a template's literal tail after the host. */
function namespaceOf(a: ArgInfo): string | null {
  const path = (s: string): string | null => {
    const m = /^(?:[a-z]+:)?\/\/[^/?#]*(\/[^?#]*)?/i.exec(s);
    const p = m ? (m[1] ?? '') : s.startsWith('/') ? s.replace(/[?#].*$/, '') : null;
    return p === null ? null : p === '' || p === '/' ? '' : p.replace(/\/$/, '');
  };
  if (a.kind === 'string' && a.str !== undefined) return path(a.str);
  if (a.kind === 'template' && a.str !== undefined) {
    // `${API}/support`: the part after the last expression is the path when it starts with a slash.
    const parts = a.str.split('${}');
    const tail = parts[parts.length - 1] ?? '';
    if (parts.length > 1 && tail.startsWith('/') && !tail.startsWith('//')) return path(tail);
  }
  return null;
}

/**
 * The URL argument without its query string, fragment and userinfo, which may carry a credential
 * (`?token=8f3a…`, `https://user:pass@host`): a plan repeats the origin and path only. For a
 * template, the literal text and the expressions after the first `?` or `#` go too.
 */
function withoutQuery(a: ArgInfo): { arg: ArgInfo; dropped: boolean } {
  if ((a.kind !== 'string' && a.kind !== 'template') || a.str === undefined) return { arg: a, dropped: false };
  const userinfo = /^((?:[a-z][a-z0-9+.-]*:)?\/\/)[^/?#@]*@/i;
  let str = a.str.replace(userinfo, '$1');
  let dropped = str !== a.str;
  const cut = str.search(/[?#]/);
  if (cut >= 0) {
    str = str.slice(0, cut);
    dropped = true;
  }
  // A path segment that looks like a credential (16+ letters and digits, both present: a token in
  // the URL's path) is replaced too, so no output repeats it.
  const redacted = str.replace(/(?<=\/)(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{16,}(?=\/|$)/g, '{redacted}');
  if (redacted !== str) {
    str = redacted;
    dropped = true;
  }
  if (!dropped) return { arg: a, dropped };
  const exprs = a.kind === 'template' ? (a.exprs ?? []).slice(0, str.split('${}').length - 1) : undefined;
  return { arg: { ...a, str, ...(exprs ? { exprs } : {}) }, dropped };
}

export function socketClientConnect(call: CallFact, file: string): SocketClientConnect {
  const first = call.args[0];
  const hasUrl = first !== undefined && first.kind !== 'object';
  const opts = call.args.find((a) => a.kind === 'object');
  const options = Object.entries(opts?.props ?? {}).flatMap(([key, v]) => {
    const value = v.kind === 'bool' ? String(v.bool) : v.kind === 'number' && v.num !== undefined ? String(v.num) : written(v);
    return value === null ? [] : [{ key, value }];
  });
  const evidence = `${file}:${call.line}`;
  if (!hasUrl) return { evidence, sameOrigin: true, options };
  const bare = withoutQuery(first);
  const url = bare.arg.str === '' ? undefined : (written(bare.arg) ?? undefined);
  const lead = first.kind === 'template' ? (first.exprs?.[0] && first.str?.startsWith('${}') ? expr(first.exprs[0]) : null) : expr(first);
  const sameOrigin =
    (first.kind === 'string' && (first.str ?? '').startsWith('/') && !(first.str ?? '').startsWith('//')) || (lead !== null && ORIGIN.test(lead));
  const ns = namespaceOf(bare.arg);
  return {
    evidence,
    ...(url ? { url } : {}),
    ...(url && bare.dropped ? { urlQueryDropped: true } : {}),
    sameOrigin,
    ...(ns ? { namespace: ns } : {}),
    options,
  };
}
