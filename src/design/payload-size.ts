// The average payload, estimated from the shapes of the events the code sends for the stated
// streams of traffic (a cursor stream's `cursor:moved { userId, x, y }`), rather than a scenario's
// default. The estimate is a simple per-type size of the JSON, shown field by field so a reader
// can redo it: an id-like string ~36 characters, a number ~8, a boolean 5, a short string ~24,
// plus each key, its quotes and colon, the commas and braces, and the event name with its
// framing (`"type":"…",` in a JSON envelope; Socket.IO's `42["…",…]` is about the same).
// Free text, arrays and objects have no size in the code: a stream that sends them keeps the
// default, and the source says why. The context's stated size and the flag still win.
import type { PayloadField, RtEvent } from '../types.js';
import type { InputSource } from './capacity.js';
import type { Stream } from './workload.js';
import { code, fmt, list } from './md.js';

/** Bytes of one JSON value of each kind, quotes included (see the header). */
export const FIELD_BYTES = { id: 38, number: 8, boolean: 5, short: 26 } as const;
/** `"type":"` + `",` around the event name. */
const FRAMING = 10;

/**
 * The words of an event name that say which stream it carries, per stream kind
 * (src/context/requirements.ts names the kinds). A vote's broadcast is the result it changes,
 * an answer's the leaderboard.
 */
const EVENT_WORDS: Readonly<Record<string, RegExp>> = {
  typing: /\btyping\b/i,
  keystrokes: /\bkeystrokes?\b|\bkeys?\b/i,
  positions: /\bcursors?\b|\bpointers?\b|\bpositions?\b|\bmouse\b|\blocations?\b/i,
  drag: /\bdrag(?:s|ged|ging)?\b/i,
  presence: /\bpresence\b/i,
  moves: /(?<!\b(?:cursors?|pointers?|mouse)\s)\bmove[sd]?\b/i,
  'price ticks': /\btrades?\b|\bticks?\b|\bquotes?\b|\bprices?\b/i,
  votes: /\bvotes?\b|\bresults?\b|\btall(?:y|ies)\b/i,
  answers: /\banswers?\b|\bleaderboard\b|\bscores?\b/i,
  notifications: /\bnotifications?\b|\bnotify\b|\btoasts?\b/i,
  comments: /\bcomments?\b/i,
  reactions: /\breactions?\b/i,
  messages: /\bmessages?\b|\bchat\b|\bmsg\b/i,
};

const FREE_TEXT =
  /^(?:text|body|message|msg|content|question|comment|description|title|caption|summary|note|html|markdown|delta|prompt|answer|reply)$|(?:Text|Body|Message|Content)$/;
const OBJECT_NAMES =
  /^(?:payload|data|state|snapshot|meta|metadata|patch|diff|update|changes|args|params|options|props|info|details|doc|document|user|profile|item|record|entry|result|response|error|attachment|file|image|blob|buffer|preview)$/i;
const ID = /^(?:id|uuid|guid)$|(?:Id|ID|_id|Uuid)$/;
const NUMERIC =
  /^(?:x|y|z|dx|dy|lat|lng|lon|pos|position|index|idx|seq|version|rev|revision|count|total|price|bid|ask|qty|quantity|amount|volume|size|ts|at|timestamp|time|score|offset|width|height|progress|percent|rank|level|speed|heading|accuracy|altitude)$|(?:Count|Ms|Seq|Index)$/i;
const BOOLEAN = /^(?:is|has|can|should)[A-Z]|^(?:typing|online|active|done|ok|ready|muted|visible|enabled)$/;

type Reading = { bytes: number; kind: string; named: boolean } | { unknown: string };

/** One field's JSON value: its type where the code states it, else read from its name. */
export function fieldReading(f: Pick<PayloadField, 'name' | 'type' | 'fields'>): Reading {
  // An object the code spells out in full (an envelope's `payload: { symbol, price, ts }`): the sum of its keys.
  if (f.fields && f.fields.length > 0) {
    const parts = f.fields.map((x) => ({ x, r: fieldReading(x) }));
    const gap = parts.find((p) => 'unknown' in p.r);
    if (gap) return { unknown: `${(gap.r as { unknown: string }).unknown} in ${f.name || 'it'}.${gap.x.name}` };
    const known = parts as { x: (typeof parts)[number]['x']; r: Extract<Reading, { bytes: number }> }[];
    const bytes = 2 + known.reduce((a, p) => a + p.x.name.length + 3 + p.r.bytes, 0) + (known.length - 1);
    return { bytes, kind: `object of ${list(known.map((p) => code(p.x.name)))}`, named: known.some((p) => p.r.named) };
  }
  const t = f.type.trim();
  if (t === 'number' || t === 'integer') return { bytes: FIELD_BYTES.number, kind: 'number', named: false };
  if (t === 'boolean') return { bytes: FIELD_BYTES.boolean, kind: 'boolean', named: false };
  if (/^'[^']*'(?:\s*\|\s*'[^']*')*$/.test(t))
    return { bytes: Math.max(...[...t.matchAll(/'([^']*)'/g)].map((m) => m[1]!.length)) + 2, kind: 'literal', named: false };
  if (t === 'string') {
    if (FREE_TEXT.test(f.name)) return { unknown: 'free text' };
    return ID.test(f.name) ? { bytes: FIELD_BYTES.id, kind: 'id string', named: false } : { bytes: FIELD_BYTES.short, kind: 'short string', named: false };
  }
  if (t !== 'unknown') return { unknown: /\[\]$|^Array</.test(t) ? 'an array' : 'an object' };
  if (FREE_TEXT.test(f.name)) return { unknown: 'free text' };
  if (ID.test(f.name)) return { bytes: FIELD_BYTES.id, kind: 'id string', named: true };
  if (NUMERIC.test(f.name)) return { bytes: FIELD_BYTES.number, kind: 'number', named: true };
  if (BOOLEAN.test(f.name)) return { bytes: FIELD_BYTES.boolean, kind: 'boolean', named: true };
  // A plural name (`counts`, `members`, `cursors`) is a collection; some names are objects.
  if (OBJECT_NAMES.test(f.name) || /[^su]s$/.test(f.name)) return { unknown: /[^su]s$/.test(f.name) ? 'a collection' : 'an object' };
  return { bytes: FIELD_BYTES.short, kind: 'short string', named: true };
}

interface EventSize {
  event: string;
  evidence: string;
  bytes: number;
  /** `id` id string ~38 B; `x`, `y` number ~8 B each */
  partsMd: string;
  named: boolean;
}

/** Where the fields were read: the first `inferred from` site, else the event's own line. */
function siteOf(e: RtEvent): string {
  if (e.closed) return e.closed.evidence;
  for (const f of e.payload ?? []) {
    const m = /inferred from ([^,\s]+:\d+)/.exec(f.description ?? '');
    if (m) return m[1]!;
  }
  return e.bare?.evidence ?? e.evidence ?? '';
}

function sizeOf(e: RtEvent): EventSize | { event: string; evidence: string | null; whyMd: string } {
  const fields: Pick<PayloadField, 'name' | 'type' | 'fields'>[] = e.payload?.length
    ? e.payload
    : e.bare
      ? [{ name: e.bare.name ?? '', type: e.bare.type }]
      : [];
  const evidence = siteOf(e);
  // Nothing to cite where the code shows no payload at all: the event's own line says only that it exists.
  if (fields.length === 0) return { event: e.name, evidence: null, whyMd: `${code(e.name)}'s payload is not shown by the code` };
  // Only a site that lists every key (an object literal without spread, a closed type) sizes the
  // message; a reader's fields or a spread leave keys out.
  if (e.payload?.length && !e.closed)
    return {
      event: e.name,
      evidence,
      whyMd: `no site lists all of ${code(e.name)}'s fields (the code shows ${list(fields.map((f) => code(f.name)))}, read by a handler or next to a spread)`,
    };
  const shown = e.closed ? fields.filter((f) => e.closed!.fields.includes(f.name)) : fields;
  const readings = shown.map((f) => ({ f, r: fieldReading(f) }));
  const unknown = readings.filter((x): x is { f: typeof x.f; r: { unknown: string } } => 'unknown' in x.r);
  if (unknown.length > 0)
    return {
      event: e.name,
      evidence,
      whyMd: `${code(e.name)} carries ${list(unknown.map((x) => `${code(x.f.name || 'its value')} (${x.r.unknown})`))}, whose size is not in the code`,
    };
  const known = readings as { f: Pick<PayloadField, 'name' | 'type' | 'fields'>; r: Extract<Reading, { bytes: number }> }[];
  const bare = !e.payload?.length;
  // {"k":v,…}: braces, each key with its quotes and colon, the commas; a bare value is only itself.
  const body = bare ? known[0]!.r.bytes : 2 + known.reduce((a, x) => a + x.f.name.length + 3 + x.r.bytes, 0) + (known.length - 1);
  const byKind = new Map<string, { names: string[]; bytes: number }>();
  for (const x of known) {
    const k = `${x.r.kind}:${x.r.bytes}`;
    byKind.set(k, { names: [...(byKind.get(k)?.names ?? []), x.f.name], bytes: x.r.bytes });
  }
  const partsMd = [...byKind.entries()]
    .map(([k, v]) => `${list(v.names.map((n) => code(n || 'value')))} ${k.split(':')[0]} ~${fmt(v.bytes)} B${v.names.length > 1 ? ' each' : ''}`)
    .join('; ');
  return { event: e.name, evidence, bytes: body + e.name.length + FRAMING, partsMd, named: known.some((x) => x.r.named) };
}

const ONE_OFF = /\b(?:snapshot|sync|init|initial|history|backlog|list)\b/i;

const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[:._\-/]+/g, ' ');

/** The events the server sends today for a stream of traffic (`positions` → `cursor:moved`), one-off snapshots left out. */
export function streamEventsSent(kind: string, events: readonly RtEvent[]): RtEvent[] {
  const re = EVENT_WORDS[kind];
  if (!re) return [];
  const out = new Map<string, RtEvent>();
  for (const e of events) {
    if (e.direction === 'client-to-server' || e.origin !== 'existing' || e.protocol) continue;
    if (re.test(words(e.name)) && !ONE_OFF.test(words(e.name)) && !out.has(e.name)) out.set(e.name, e);
  }
  return [...out.values()];
}

/** Coordinates a position carries: a client event with both is a position update whatever its name (`move` with `x`, `y`). */
const COORDS: ReadonlyArray<readonly string[]> = [
  ['x', 'y'],
  ['lat', 'lng'],
  ['lat', 'lon'],
];

/**
 * The events clients send for a stream of traffic: named after it (`cursor:move` for positions,
 * `card:move` for moves), or, for positions, any event carrying coordinates (`move` with `x`,
 * `y`), which is then no stream of moves.
 */
export function streamEventsReceived<E extends RtEvent>(kind: string, events: readonly E[]): E[] {
  const re = EVENT_WORDS[kind];
  if (!re) return [];
  const coords = (e: E) => COORDS.some((pair) => pair.every((k) => (e.payload ?? []).some((p) => p.name === k)));
  return events.filter((e) => {
    if (e.direction === 'server-to-client' || e.protocol || ONE_OFF.test(words(e.name))) return false;
    if (kind === 'positions' && coords(e)) return true;
    return re.test(words(e.name)) && !(kind === 'moves' && coords(e));
  });
}

/**
 * What one message of a stream weighs as the code sends it: the largest of its events whose shape
 * the code shows in full (as in the average), or null when none is sized.
 */
export function streamEventSize(kind: string, events: readonly RtEvent[]): { event: string; bytes: number; partsMd: string } | null {
  const sized = streamEventsSent(kind, events)
    .map(sizeOf)
    .filter((x): x is EventSize => 'bytes' in x);
  if (sized.length === 0) return null;
  const top = sized.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  return { event: top.event, bytes: top.bytes, partsMd: top.partsMd };
}

/**
 * Bytes the fields a plan adds to an object payload bring to each message (the key, its quotes and
 * colon, the value and one comma each); a field whose size has no reading is left out of `sized`.
 */
export function addedFieldsSize(fields: readonly Pick<PayloadField, 'name' | 'type' | 'fields'>[]): {
  bytes: number;
  parts: { name: string; bytes: number }[];
  unsized: string[];
} {
  const parts: { name: string; bytes: number }[] = [];
  const unsized: string[] = [];
  for (const f of fields) {
    const r = fieldReading(f);
    if ('unknown' in r) unsized.push(f.name);
    else parts.push({ name: f.name, bytes: f.name.length + 3 + r.bytes + 1 });
  }
  return { bytes: parts.reduce((a, p) => a + p.bytes, 0), parts, unsized };
}

/**
 * The estimate, or why there is none: null when no stated stream has an event in the code to
 * read; `{ whyMd }` when the events it sends carry values whose size the code does not show.
 */
export function estimatePayload(
  events: readonly RtEvent[],
  streams: readonly Stream[],
  fallback: number,
): { value: number; source: Extract<InputSource, { kind: 'code' }> } | { whyMd: string } | null {
  const fanned = streams.filter((s) => !s.inbound && s.published > 0);
  if (fanned.length === 0) return null;
  // What the server sends, as the code shows it; one entry per name, the one with fields first.
  const sent = new Map<string, RtEvent>();
  for (const e of events) {
    if (e.direction === 'client-to-server' || e.origin !== 'existing' || e.protocol) continue;
    const prev = sent.get(e.name);
    if (!prev || (!prev.payload?.length && !prev.bare && (e.payload?.length || e.bare))) sent.set(e.name, e);
  }
  const per = fanned.map((s) => {
    const re = EVENT_WORDS[s.kind];
    // A snapshot or sync on subscribe is sent once, not per message of the stream.
    const matched = re ? [...sent.values()].filter((e) => re.test(words(e.name)) && !ONE_OFF.test(words(e.name))) : [];
    const sizes = matched.map(sizeOf);
    const known = sizes.filter((x): x is EventSize => 'bytes' in x);
    return { s, matched: matched.length, known, why: sizes.filter((x): x is Exclude<typeof x, EventSize> => !('bytes' in x)) };
  });
  if (per.every((p) => p.matched === 0)) return null;
  const sized = per.filter((p) => p.matched > 0 && p.why.length === 0);
  const unsized = per.filter((p) => !sized.includes(p));
  const unsizedMd = unsized.map(
    (p) =>
      `${p.s.kind}: ${p.matched === 0 ? 'no event in the code matches this stream' : list(p.why.map((w) => `${w.whyMd}${w.evidence ? ` (${code(w.evidence)})` : ''}`))}`,
  );
  if (sized.length === 0) return { whyMd: unsizedMd.join('; ') };
  // The largest of the events a stream sends sizes it: the estimate errs high.
  const streamBytes = sized.map((p) => ({ p, bytes: Math.max(...p.known.map((k) => k.bytes)) }));
  const total = fanned.reduce((a, s) => a + s.published, 0);
  const weighted = streamBytes.reduce((a, x) => a + x.p.s.published * x.bytes, 0) + unsized.reduce((a, p) => a + p.s.published * fallback, 0);
  const value = Math.ceil(weighted / total);
  const named = sized.some((p) => p.known.some((k) => k.named));
  const shapesMd = streamBytes
    .map(({ p }) => `${p.s.kind}: ${p.known.map((k) => `${code(k.event)} ≈ ${fmt(k.bytes)} B (${k.partsMd})`).join(', ')}`)
    .join('; ');
  const mix =
    fanned.length > 1
      ? `; weighted by the published rates: (${[...streamBytes.map((x) => `${fmt(x.p.s.published)} × ${fmt(x.bytes)}`), ...unsized.map((p) => `${fmt(p.s.published)} × ${fmt(fallback)}`)].join(' + ')}) ÷ ${fmt(total)}`
      : '';
  const noteMd = [
    `${shapesMd}, plus keys, punctuation and the event name with its framing`,
    ...(unsized.length > 0 ? [`the rest stays rt-plan's ${fmt(fallback)}-byte default (${unsizedMd.join('; ')})`] : []),
  ].join('; ');
  return {
    value,
    source: {
      kind: 'code',
      evidence: [...new Set(sized.flatMap((p) => p.known.map((k) => k.evidence)))],
      note: `${noteMd}${mix}${named ? '; types the code does not state are read from the field names (assumption)' : ''}`,
      fallback,
    },
  };
}
