// One redaction pass for everything that leaves the process: files written, stdout, stderr,
// --json and MCP results. It is driven by the detector that finds hard-coded secrets in code
// (the same token formats and key names), extended to credentials inside URLs, so a value the
// analyzer flags can never be printed by another path (a README excerpt, a session sentence,
// a dependency URL, an event name).
import { SECRET_PATTERNS, findSecrets } from '../analyze/code/secrets.js';
import { inert } from './inert.js';

export const redacted = (kind: string) => `«redacted: ${kind}»`;

// Letters and digits bound a token, not '_' or '-': `token_ghp_…` or `ghp_…-ok` (an event name
// built around a token) still carry the whole token, and over-redacting is the safe side.
const EDGE = '(?<![A-Za-z0-9])';
const END = '(?![A-Za-z0-9])';

/** The detector's anchored patterns, unanchored for running text. */
const TOKEN_PATTERNS = SECRET_PATTERNS.filter((p) => p.kind !== 'private-key').map((p) => ({
  kind: p.kind,
  re: new RegExp(`${EDGE}(?:${p.re.source.replace(/^\^/, '').replace(/\$$/, '')})${END}`, 'g'),
}));

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
/** `scheme://user:password@` or `scheme://token@`: the userinfo goes, the host stays. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>`]+)@/gi;
/**
 * `?token=8f3a…`, `&sig=…`, `'token=…'` (a query string of its own): a query value under a credential's name. A URL is one token to the
 * assignment pass below (`https://…` reads as `https: //…`), so its query is judged here first.
 */
const URL_QUERY = /([?&'"`])([A-Za-z_][\w.-]{0,63})=([^&#\s"'`<>()[\]{}$\\]{8,4096})/g;
/** Query parameter names that carry a credential: `token`, `access_token`, `api_key`, `sig`, `jwt`, `ticket`, `password`. */
const QUERY_CREDENTIAL =
  /(?:^|[_.-])(?:token|key|apikey|secret|password|passwd|pwd|sig|signature|jwt|ticket|auth|credentials?)$|(?:token|secret|password|key)$/i;
/** `name = value`, `name: "value"`, `NAME=value`: the detector judges the value with the name. */
const ASSIGNMENT = /([A-Za-z_][\w.-]{0,127})(["'`]?\s*[:=]\s*["'`]?)([^\s"'`,;)}\]]{16,4096})/g;

/** Values the analyzer flagged in code, kept in memory only so every output can drop them. */
const flagged = new Set<string>();
const MAX_FLAGGED = 10_000;

/** Called by the analyzer for each literal it flags; the value is never stored anywhere else. */
export function markSecret(value: string): void {
  if (value.length >= 8 && flagged.size < MAX_FLAGGED) flagged.add(value);
}

/** The text with every detected credential replaced by `«redacted: kind»`. */
export function redact(text: string): string {
  if (text.length === 0) return text;
  let out = text.replace(PRIVATE_KEY, redacted('private-key'));
  out = out.replace(URL_USERINFO, (whole, scheme: string, userinfo: string) =>
    userinfo.includes(':') || userinfo.length >= 16 ? `${scheme}${redacted('url-credentials')}@` : whole,
  );
  out = out.replace(URL_QUERY, (whole, lead: string, name: string, value: string) => {
    if (value.startsWith('«') || value.startsWith('…')) return whole;
    const kinds = findSecrets(value, name);
    return kinds.length > 0 || QUERY_CREDENTIAL.test(name) ? `${lead}${name}=${redacted(kinds[0] ?? 'url-query-credential')}` : whole;
  });
  for (const { kind, re } of TOKEN_PATTERNS) {
    out = out.replace(re, (value) => (findSecrets(value, null).length > 0 ? redacted(kind) : value));
  }
  out = out.replace(ASSIGNMENT, (whole, name: string, sep: string, value: string) => {
    if (value.startsWith('«')) return whole;
    const kinds = findSecrets(value, name);
    return kinds.length > 0 ? `${name}${sep}${redacted(kinds[0]!)}` : whole;
  });
  for (const value of flagged) {
    if (out.includes(value)) out = out.split(value).join(redacted('generic-secret'));
  }
  return out;
}

/**
 * A copy of a JSON-like value with every string (keys included) redacted and made
 * terminal-safe, so no later formatter (coloured text included) can print either raw.
 */
export function redactDeep<T>(value: T): T {
  const clean = (text: string) => inert(redact(text));
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return clean(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[clean(k)] = walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
