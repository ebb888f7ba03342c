// Multi-literal search over raw bytes (Wu-Manber with a 2-byte shift table and 4-byte keys).
// On large trees it is about twice as fast as V8's regex over the same alternation, because
// most positions are skipped without looking at every marker. Each marker has a class (AST or
// literal-only) and may be word-bounded on its right ("origin" must not match "original").

/**
 * Bit set of the marker classes found: AST_CLASS for a marker that always needs an AST, other
 * bits for gated classes (markers.json), whose files need one only when a text check says so.
 */
export type MarkerClass = number;
export const AST_CLASS = 1;

/** Written at the end of a marker: it must not be followed by an identifier character. */
export const BOUND = '\\b';

export interface MarkerMatcher {
  /** Bytes to advance for each 2-byte suffix of the window; 0 means "check this window". */
  shift: Uint8Array;
  /** Hashed presence bits of the 4-byte keys, a cheap reject before the key map. */
  bits: Uint8Array;
  /** 4-byte key → markers whose window ends with it; k is the key's last byte's offset in the marker. */
  keys: Map<number, { bytes: Uint8Array; k: number; cls: MarkerClass; bound: boolean }[]>;
  /** Window length: the shortest marker's. */
  w: number;
}

/**
 * The 120 most frequent byte pairs in JavaScript (measured on 33 MB of npm packages), most
 * frequent first. Each marker is keyed on the 4 bytes whose pairs are rarest, so the scan
 * stops to check a window as seldom as possible.
 */
export const COMMON_PAIRS =
  '  \n onre;\nerin=  =, teorthettiene stat tset  {ntar,\ndeesalleision : ) {\nco i c);roctns r }s.urs \t\tra (meta " and\n\titperiedhing s \'neecexanunr nctohe}\ntrrnf asgert fvalituod n==ceueifpo *pachul e",ma od amllelopssac p* rrcavelaom de.eaounats';

/**
 * Build the matcher. Each marker is represented by a window of `w` bytes (w = the shortest
 * marker's length, at least 4) placed where its byte pairs are rarest; the scan shifts by up to
 * w - 1 bytes, so longer markers make the search faster. The window's last 4 bytes are the key.
 */
export function compileMarkers(all: readonly string[], commonPairs: string, classOf: ReadonlyMap<string, MarkerClass> = new Map()): MarkerMatcher {
  const markers = all.map((m) => (m.endsWith(BOUND) ? m.slice(0, -BOUND.length) : m));
  const w = Math.min(...markers.map((m) => m.length));
  if (!(w >= 4)) throw new Error('every marker must be at least 4 bytes long');
  const rank = new Map<string, number>();
  for (let i = 0; i + 1 < commonPairs.length; i += 2) rank.set(commonPairs.slice(i, i + 2), 120 - i / 2);
  const shift = new Uint8Array(65536).fill(w - 1);
  const bits = new Uint8Array(1 << 20);
  const keys: MarkerMatcher['keys'] = new Map();
  for (const [i, m] of markers.entries()) {
    const raw = all[i] as string;
    const bytes = Uint8Array.from(m, (c) => c.charCodeAt(0));
    let best = 0;
    let bestCost = Infinity;
    for (let k = 0; k + w <= m.length; k++) {
      // The last pair decides when the scan stops (shift 0); earlier ones how far it skips.
      let c = 0;
      for (let q = 0; q + 1 < w; q++) c += (rank.get(m.slice(k + q, k + q + 2)) ?? 0) * (q === w - 2 ? 100 : q === w - 3 ? 10 : 1);
      if (c < bestCost) {
        best = k;
        bestCost = c;
      }
    }
    const e = best + w - 4; // the key: the window's last 4 bytes
    const key = ((bytes[e]! << 24) | (bytes[e + 1]! << 16) | (bytes[e + 2]! << 8) | bytes[e + 3]!) >>> 0;
    const list = keys.get(key) ?? [];
    list.push({ bytes, k: best + w - 1, cls: classOf.get(raw) ?? AST_CLASS, bound: raw.endsWith(BOUND) });
    keys.set(key, list);
    bits[Math.imul(key, 0x9e3779b1) >>> 12] = 1;
    for (let q = 0; q + 1 < w; q++) {
      const pair = (bytes[best + q]! << 8) | bytes[best + q + 1]!;
      shift[pair] = Math.min(shift[pair]!, w - 2 - q);
    }
  }
  return { shift, bits, keys, w };
}

/** Identifier bytes: a bounded marker followed by one of these is part of a longer word. */
const IDENT = new Uint8Array(256);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$') IDENT[c.charCodeAt(0)] = 1;

/** The classes of the markers in `buf`; stops at the first AST-class one. */
export function markerClass(buf: Uint8Array, matcher: MarkerMatcher): MarkerClass {
  const { shift, bits, keys, w } = matcher;
  const n = buf.length;
  let found: MarkerClass = 0;
  let pos = w - 1;
  while (pos < n) {
    const s = shift[(buf[pos - 1]! << 8) | buf[pos]!]!;
    if (s !== 0) {
      pos += s;
      continue;
    }
    const key = ((buf[pos - 3]! << 24) | (buf[pos - 2]! << 16) | (buf[pos - 1]! << 8) | buf[pos]!) >>> 0;
    if (bits[Math.imul(key, 0x9e3779b1) >>> 12] === 1) {
      for (const { bytes, k, cls, bound } of keys.get(key) ?? []) {
        if ((found & cls) !== 0) continue;
        const start = pos - k;
        const end = start + bytes.length;
        if (start < 0 || end > n) continue;
        let j = 0;
        while (j < bytes.length && buf[start + j] === bytes[j]) j++;
        if (j < bytes.length || (bound && end < n && IDENT[buf[end]!] === 1)) continue;
        if (cls === AST_CLASS) return AST_CLASS;
        found |= cls;
      }
    }
    pos++;
  }
  return found;
}

/** True when any marker occurs in `buf`. */
export function hasMarker(buf: Uint8Array, matcher: MarkerMatcher): boolean {
  return markerClass(buf, matcher) !== 0;
}
