// Markdown building blocks for the strings the design stage writes itself. Anything that
// came from the project (names, paths, sentences) goes through one of these, so a file
// called `a|b.ts` or an event named with backticks cannot break a table or a code span.
import type { AuthKind } from '../types.js';

/** Inline code span that survives any content: the fence is longer than any backtick run. */
export function code(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** Plain text made inert in Markdown prose and table cells. */
export function text(value: string): string {
  return (
    value
      .replace(/[\r\n]+/g, ' ')
      .replace(/([\\`*[\]<>|#])/g, '\\$1')
      // An underscore inside a word cannot start emphasis (CommonMark), so only escape edge ones.
      .replace(/_/g, (u, i: number, s: string) => (/[A-Za-z0-9]/.test(s[i - 1] ?? '') && /[A-Za-z0-9]/.test(s[i + 1] ?? '') ? u : '\\_'))
  );
}

/** "a, b and c" */
export function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Thousands separators without locale dependence (Intl output varies by ICU build). An exact
 * fraction (a rate of 300 an hour is 0.08333… a second) is shown to 3 significant digits below 1
 * and to 2 decimals above: figures stay exact through the arithmetic and are rounded only here.
 */
export function fmt(n: number): string {
  const shown = /\.\d{5}/.test(String(n)) ? (Math.abs(n) >= 1 ? round(n, 2) : Number(n.toPrecision(3))) : n;
  const [int, dec] = String(shown).split('.');
  const grouped = (int ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return dec === undefined ? grouped : `${grouped}.${dec}`;
}

/** Round to at most `digits` decimals, dropping trailing zeros. */
export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** A code block's content cannot close its own fence. */
export function fenceSafe(body: string): string {
  return body.replace(/```/g, '`\u200b``');
}

/** "joinRoom", "join_room", "join-room" → "JoinRoom"; inner capitals are kept. */
export function pascal(words: string): string {
  return words
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** snake_case identifier safe for metric names. */
export function snake(words: string): string {
  const s = words
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(s) ? s : `app_${s}`.replace(/_+$/, '');
}

/** Ordinal string order: unlike localeCompare it does not depend on the machine's ICU locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How the project authenticates connections, in words: the analyzer's ids (`jwt-header`) are not a user's vocabulary. */
const AUTH_WORDS: Record<AuthKind, string> = {
  'jwt-query': 'a token in the query string',
  'jwt-cookie': 'a JWT in a cookie',
  'jwt-header': 'a token the client sends with the handshake, not a cookie',
  'session-cookie': 'a session cookie',
  'ephemeral-token': 'short-lived tokens fetched for each connection from the server that mints them',
  'api-key-in-client': 'an API key shipped to the client',
  'first-message': 'credentials in the first message after connecting; the other handlers are registered only once it succeeds',
  none: 'none at the handshake',
};
/**
 * `serverHere`: the server is in this repository, so a token it mints is ours; a client-only app fetches it from someone else's.
 * `mintedMd`: what our route mints on this runtime, where it is no short-lived token (a Pusher channel signature), from the profile.
 */
export function authMd(kind: AuthKind, serverHere = true, mintedMd?: string): string {
  if (kind === 'ephemeral-token' && serverHere) return mintedMd ?? 'short-lived tokens minted by our server';
  return AUTH_WORDS[kind];
}
