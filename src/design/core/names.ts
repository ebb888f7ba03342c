// Event names split into a noun (the object) and an action, in whatever style the project
// uses: `card:move`, `price.tick`, `comment-added`, `joinRoom`, `orderUpdated`, `vote`.
// The style is kept so proposed events read like the project's own.

export type NameStyle = 'colon' | 'dot' | 'dash' | 'camel';

const VERBS = new Set([
  'join',
  'leave',
  'send',
  'get',
  'set',
  'update',
  'create',
  'delete',
  'subscribe',
  'unsubscribe',
  'open',
  'close',
  'move',
  'submit',
  'add',
  'remove',
  'edit',
  'start',
  'end',
  'assign',
]);

/** Names that are the transport's own plumbing, not a domain object. */
const PLUMBING = new Set(['error', 'ping', 'pong', 'heartbeat', 'sys', 'ack', 'connect', 'disconnect', 'connection', 'client', 'subscribe', 'unsubscribe']);

export interface ParsedName {
  noun: string;
  action: string | null;
  style: NameStyle;
}

/** An event name's words, lower-cased: `ticket:join`, `chatMessage`, `user_left` → their parts. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export function styleOf(name: string): NameStyle | null {
  if (name.includes(':')) return 'colon';
  if (name.includes('.')) return 'dot';
  if (name.includes('-') || name.includes('_')) return 'dash';
  if (/[a-z][A-Z]/.test(name)) return 'camel';
  return null;
}

/** Noun and action of an event name; null for transport plumbing (`error`, `pong`, `sys:*`). */
export function parseName(name: string): ParsedName | null {
  const style = styleOf(name) ?? 'colon';
  // Pusher client events carry a `client-` prefix that names the sender, not the object.
  const ws = words(name.replace(/^client-/, ''));
  if (ws.length === 0 || (PLUMBING.has(ws[0]!) && (ws.length === 1 || ws[0] === 'sys'))) return null;
  if (ws.length > 1 && PLUMBING.has(ws[ws.length - 1]!)) return null;
  if (ws.length === 1) return { noun: singular(ws[0]!), action: null, style };
  const [a, ...rest] = ws as [string, ...string[]];
  // Verb first (`joinRoom`, `subscribe:agent`): the object is what follows.
  if (VERBS.has(a) && rest.length > 0) return { noun: singular(rest.join('-')), action: a, style };
  // `orderUpdated` is noun + action; `chatMessage` is a compound noun whose last word is the object.
  const actionLike = (w: string) => VERBS.has(w) || /ed$/.test(w);
  if (rest.length === 1 && (style !== 'camel' || actionLike(rest[0]!))) return { noun: singular(a), action: rest[0]!, style };
  // `chatMessage` style compounds: the last word is the object.
  return { noun: singular(rest[rest.length - 1]!), action: null, style };
}

/**
 * One noun from its plural: `cards` → card, `replies` → reply, `addresses` → address, `statuses` →
 * status, `boxes` → box, `matches` → match, `quizzes` → quiz; `sizes` → size, `houses` → house,
 * `caches` → cache; `status`, `class` and `axis` are singular already.
 */
export function singular(w: string): string {
  if (/(ss|us|is)$/.test(w)) return w;
  if (/ies$/.test(w)) return `${w.slice(0, -3)}y`;
  if (/zzes$/.test(w)) return w.slice(0, -3);
  // `-es` after a hiss ending that is part of the noun: addresses, statuses (not houses), boxes, matches (not caches).
  if (/(sses|[^aeiou]uses|xes|ches|shes)$/.test(w) && !/^(cache|ache|headache|niche|avalanche|mustache|moustache)s$/.test(w)) return w.slice(0, -2);
  return w.replace(/s$/, '');
}

/** The dominant style of the project's existing names; `colon` when it has none. */
export function projectStyle(names: readonly string[]): NameStyle {
  const counts = new Map<NameStyle, number>();
  for (const n of names) {
    const s = styleOf(n);
    if (s) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  let best: NameStyle = 'colon';
  let max = 0;
  for (const s of ['colon', 'dot', 'dash', 'camel'] as const) {
    const c = counts.get(s) ?? 0;
    if (c > max) {
      best = s;
      max = c;
    }
  }
  return best;
}

/** An event name for `noun` + `action` in the project's style: `board:sync`, `board.sync`, `syncBoard`. */
export function nameIn(style: NameStyle, noun: string, action: string): string {
  const n = noun.replace(/\s+/g, '-');
  if (style === 'dot') return `${n}.${action}`;
  if (style === 'dash') return `${n}-${action}`;
  if (style === 'camel') return `${action}${n.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`;
  return `${n}:${action}`;
}
