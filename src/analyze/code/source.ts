// Reads a source file and decides whether it is worth parsing: binary, huge and minified files
// are skipped, and a cheap text prefilter keeps the parser away from files with no real-time
// marker at all. Vue and Svelte files yield their <script> blocks with the line offset kept.

import markerData from './markers.json' with { type: 'json' };
import { AST_CLASS, BOUND, COMMON_PAIRS, compileMarkers, type MarkerClass, markerClass } from './prefilter.js';
import { SECRET_KEY_NAME, SECRET_PATTERNS } from './secrets.js';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Every construct a detector or audit rule looks for has one of these literal markers in its
 * text, so a file without any of them cannot produce a claim. Plain literals (no classes or
 * repeats) keep V8's regex fast on large trees; the list is a superset, parsing decides.
 * The list is data (markers.json) so the benchmark gives ripgrep the very same pattern.
 */
const GATED: Record<string, string[]> = markerData.gated;
export const CANDIDATE_MARKERS: readonly string[] = [...markerData.ast, ...Object.values(GATED).flat()];

/** The markers as one regular expression (tests); a bounded marker may not run into an identifier. */
export const CANDIDATE_PATTERN = CANDIDATE_MARKERS.map((m) => (m.endsWith(BOUND) ? `${escapeRe(m.slice(0, -BOUND.length))}(?![\\w$])` : escapeRe(m))).join('|');
function escapeRe(m: string): string {
  return m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Text checks for the gated classes: each is a superset, by construction, of what its detector
 * reads from the AST, so a file that fails every check of the classes it has cannot yield a
 * fact and needs no AST.
 * - credential: every string the secret detector could report (secrets.ts) is one of its
 *   prefixed forms, found here unanchored, or (a generic secret) a quoted run of 16+
 *   characters without spaces holding a letter and a digit, written as the value of a variable
 *   or property whose name ends like a secret's (`apiKey = '…'`, `"password": "…"`,
 *   `accessToken: string = '…'`): findSecrets reads a generic secret only with that name as its key;
 * - origin: an `origin` key or shorthand in an object (after `{` or `,`), a quoted "origin"
 *   that is not an element of a list of strings, a member read ending in
 *   headers/info/req/request.origin, or ws's verifyClient (signals.ts);
 * - env: a client-exposed env variable read (`env.VITE_…`, `env.NEXT_PUBLIC_…`; signals.ts);
 * - effect: a React effect in a file that imports a module of the project (a relative or
 *   aliased path): the effect may call that module's function which opens a session or socket
 *   and return no cleanup (rules/effect-cleanup.ts).
 * The parser's comments are blanked before a second look (needsAstOutsideComments).
 */
const CREDENTIAL_FORMS = new RegExp(SECRET_PATTERNS.map((p) => p.re.source.replace(/^\^/, '').replace(/\$$/, '')).join('|'));
const QUOTED_RUN = /'((?:[^'\s\\]|\\.){16,})'|"((?:[^"\s\\]|\\.){16,})"|`((?:[^`\s\\]|\\.){16,})`/g;
/** What may stand between a secret-like name and its string value: a closing quote, a type annotation, `:` or `=`. */
const SECRET_KEY_BEFORE = new RegExp(`(?:${SECRET_KEY_NAME.source.replace(/\$$/, '')})['"]?\\s*(?::[^=;]{0,200})?[:=]\\s*$`, 'i');
export function mayHoldCredential(text: string): boolean {
  if (CREDENTIAL_FORMS.test(text)) return true;
  for (const m of text.matchAll(QUOTED_RUN)) {
    const v = m[1] ?? m[2] ?? m[3] ?? '';
    if (/\d/.test(v) && /[A-Za-z]/.test(v) && SECRET_KEY_BEFORE.test(text.slice(Math.max(0, m.index - 240), m.index))) return true;
  }
  return false;
}
// Each "origin" is checked in place (a single alternation with a lookbehind, tried at every `{`
// and `,` of a 300 KB data file, cost more than the marker search). Whitespace runs are
// skipped whole, as `\s*` did, so a blanked comment between the parts changes nothing.
const ORIGIN_WORD = /origin|verifyClient/gi;
const SPACE = /\s/;
const IDENT_CHAR = /[\w$]/;
function skipBack(text: string, i: number): number {
  let j = i - 1;
  while (j >= 0 && SPACE.test(text.charAt(j))) j--;
  return j;
}
function skipFwd(text: string, i: number): number {
  let j = i;
  while (j < text.length && SPACE.test(text.charAt(j))) j++;
  return j;
}
function hasOriginShape(text: string): boolean {
  for (const m of text.matchAll(ORIGIN_WORD)) {
    if (m[0].length > 6) return true; // verifyClient
    const i = m.index;
    const end = i + 6;
    const prev = text.charAt(i - 1);
    const next = text.charAt(end);
    if ((prev === "'" || prev === '"' || prev === '`') && next === prev) {
      // A quoted "origin", unless it is an element of a list of strings (["origin", "type"]).
      const b = text.charAt(skipBack(text, i - 1));
      if (!((b === '[' || b === ',') && text.charAt(skipFwd(text, end + 1)) === ',')) return true;
      continue;
    }
    if (IDENT_CHAR.test(next) || IDENT_CHAR.test(prev) || prev === '-') continue;
    let b = skipBack(text, i);
    if (text.charAt(b) === '.') {
      // headers.origin, req?.origin
      const dot = text.charAt(b - 1) === '?' ? b - 1 : b;
      const w = skipBack(text, dot);
      if (/(?:headers|info|req|request)$/i.test(text.slice(Math.max(0, w - 6), w + 1))) return true;
      continue;
    }
    const after = skipFwd(text, end);
    if (after === text.length || !':,}(?='.includes(text.charAt(after))) continue;
    // A key or shorthand: `{ origin: … }`, `, origin }`, `{ origin(o, cb) {…} }`, `get origin()`.
    const kw = /(?:async|get|set)$/i.exec(text.slice(Math.max(0, b - 4), b + 1));
    if (kw && b < i - 1) b = skipBack(text, b - kw[0].length + 1);
    if (text.charAt(b) === '{' || text.charAt(b) === ',') return true;
  }
  return false;
}
const EFFECT_CALL = /\buse(?:Layout)?Effect\s*\(/;
const PROJECT_IMPORT = /\bfrom\s*['"](?:\.{1,2}\/|[@~#]\/)/;
const CLIENT_ENV_READ = /env\s*\??\.\s*(?:VITE|NEXT_PUBLIC|REACT_APP|PUBLIC|EXPO_PUBLIC)_/;
const GATES: Record<string, (text: string) => boolean> = {
  credential: mayHoldCredential,
  origin: hasOriginShape,
  env: (text) => CLIENT_ENV_READ.test(text),
  effect: (text) => EFFECT_CALL.test(text) && PROJECT_IMPORT.test(text),
};
const GATE_BITS: [number, (text: string) => boolean][] = Object.keys(GATED).map((name, i) => [2 << i, GATES[name] as (text: string) => boolean]);

/** Whether a file whose markers are only of the `found` gated classes needs an AST. */
export function passesGates(found: MarkerClass, text: string): boolean {
  return GATE_BITS.some(([bit, gate]) => (found & bit) !== 0 && gate(text));
}

export type Classify = (buf: Uint8Array) => MarkerClass;

/**
 * Constructs found without a marker of their own, which a marker that sits in a comment used to
 * let through: the served Socket.IO bundle's global `io()` (entrypoints.ts) and credentials in
 * the prefixed forms the marker list does not name (`ghp_…`, `AKIA…`).
 */
const UNMARKED_IO = /(?<![\w$.])io\s*\(/;

/**
 * Whether `code` needs an AST once its comments are blanked out: an AST-class marker left, a
 * gated one whose text check still passes, or a construct the markers do not name (above), so
 * blanking comments never loses what the file's code holds. Comment spans come from the parser
 * (UTF-16 units).
 */
export function needsAstOutsideComments(code: string, comments: readonly { start: number; end: number }[], classify: Classify): boolean {
  let blanked = '';
  let at = 0;
  for (const c of comments) {
    blanked += code.slice(at, c.start) + ' '.repeat(c.end - c.start);
    at = c.end;
  }
  blanked += code.slice(at);
  const cls = classify(Buffer.from(blanked, 'utf8'));
  return cls === AST_CLASS || (cls !== 0 && passesGates(cls, blanked)) || UNMARKED_IO.test(blanked) || mayHoldCredential(blanked);
}
/** The prefilter over a file's bytes, compiled once per thread. */
export function candidateClassifier(): Classify {
  const classOf = new Map<string, MarkerClass>();
  for (const [i, list] of Object.values(GATED).entries()) for (const m of list) classOf.set(m, 2 << i);
  const matcher = compileMarkers(CANDIDATE_MARKERS, COMMON_PAIRS, classOf);
  return (buf) => markerClass(buf, matcher);
}
const classifyMarkers = candidateClassifier();
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Files over this size are generated or vendored in practice: skipped with a warning rather than parsed. */
export const MAX_PARSE_BYTES = 512 * 1024;
/** A file this large under a bundler's licence tag is a build artefact (React's cjs builds, say). */
const LARGE_BANNERED_BYTES = 256 * 1024;
const SOURCE_MAP = Buffer.from('sourceMappingURL=');
const BUNDLER_BANNER = /@license|@preserve|^\/\*!/m;
const BANNER = /@license|@preserve|^\/\*!|\blicen[cs]e\b/im;
const WRAPPER =
  /typeof define\s*===?\s*['"]function['"]\s*&&\s*define\.amd|typeof exports\s*===?\s*['"]object['"]\s*&&\s*typeof module|__webpack_require__|\/\*{6}\//;

/**
 * Why a file is bundled or generated output, or null: over the parse limit, a source map
 * comment at its end, a licence banner with a UMD or webpack wrapper in its first 4 KB, or a
 * bundler's licence tag on a large file.
 */
export function generatedSign(buf: Uint8Array): string | null {
  if (buf.length > MAX_PARSE_BYTES) return `larger than 512 KB (${buf.length} bytes)`;
  if (Buffer.from(buf.buffer, buf.byteOffset, buf.length).subarray(-512).includes(SOURCE_MAP)) return 'it ends with a source map comment';
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, 4096)).toString('latin1');
  if (BANNER.test(head) && WRAPPER.test(head)) return 'a licence banner and a UMD or webpack wrapper';
  if (buf.length > LARGE_BANNERED_BYTES && BUNDLER_BANNER.test(head)) return `a bundler licence tag on ${buf.length} bytes`;
  return null;
}

export type Triage =
  | { kind: 'warn'; message: string }
  | { kind: 'minified' }
  | { kind: 'generated'; reason: string }
  | { kind: 'plain' }
  | { kind: 'candidate'; text: string };

/** The warning for a file over the size limit. */
export function tooLarge(size: number): Triage {
  return { kind: 'warn', message: `file is larger than 2 MB (${size} bytes); skipped` };
}

/** Binary, huge, minified, generated, non-candidate or candidate. `classify` null: every file is a candidate. */
export function triageBytes(buf: Uint8Array, classify: Classify | null, maxBytes: number, decoder: TextDecoder): Triage {
  if (buf.length > maxBytes) return tooLarge(buf.length);
  if (buf.subarray(0, 8192).indexOf(0) !== -1) return { kind: 'warn', message: 'binary content in a source file; skipped' };
  // Minified or generated code is long lines throughout: most of the first lines (up to 50,
  // within 64 KB) over 1,000 characters. One long line alone (a license banner, a data URL, a
  // long import list) is not that sign: the file is read.
  const head = buf.subarray(0, 65536);
  let lines = 0;
  let long = 0;
  for (let last = -1, i = head.indexOf(10); lines < 50; i = head.indexOf(10, i + 1)) {
    const end = i === -1 ? head.length : i;
    if (end - last > 1 || i !== -1) {
      lines++;
      if (end - last > 1000) long++;
    }
    if (i === -1) break;
    last = end;
  }
  if (long > 0 && long * 2 > lines) return { kind: 'minified' };
  const cls = classify ? classify(buf) : AST_CLASS;
  if (cls === 0) return { kind: 'plain' };
  const sign = generatedSign(buf);
  if (sign !== null) return { kind: 'generated', reason: sign };
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    return { kind: 'warn', message: 'not valid UTF-8; skipped' };
  }
  if (cls !== AST_CLASS && !passesGates(cls, text)) return { kind: 'plain' };
  return { kind: 'candidate', text };
}

/** The warning a skipped generated file gets. */
export function generatedWarning(reason: string): string {
  return `bundled or generated code (${reason}); skipped`;
}

export type Lang = 'js' | 'jsx' | 'ts' | 'tsx';

export interface ScriptBlock {
  code: string;
  lang: Lang;
  /** Lines before the block in the original file. */
  lineOffset: number;
}

export type Classified = { kind: 'skip'; reason: 'minified' | 'not-candidate' } | { kind: 'warn'; message: string } | { kind: 'parse'; blocks: ScriptBlock[] };

function langOf(file: string): Lang {
  if (/\.tsx$/i.test(file)) return 'tsx';
  if (/\.[cm]?ts$/i.test(file)) return 'ts';
  return 'jsx';
}

/** `<script>` blocks of a Vue or Svelte single-file component. */
export function extractScripts(text: string): ScriptBlock[] {
  const blocks: ScriptBlock[] = [];
  const re = /<script\b([^>]*)>([\s\S]*?)<\/script>/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const attrs = m[1] ?? '';
    const code = m[2] ?? '';
    const start = m.index + m[0].indexOf('>') + 1;
    const lang = /lang=["']tsx["']/.test(attrs) ? 'tsx' : /lang=["']ts["']/.test(attrs) ? 'ts' : 'jsx';
    let lineOffset = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < start; i = text.indexOf('\n', i + 1)) lineOffset++;
    blocks.push({ code, lang, lineOffset });
  }
  return blocks;
}

/** Script blocks to parse for a candidate file's text. */
export function blocksOf(file: string, text: string): ScriptBlock[] {
  if (/\.(vue|svelte)$/i.test(file)) return extractScripts(text);
  return [{ code: text, lang: langOf(file), lineOffset: 0 }];
}

/** Decide what to do with a file's bytes. Pure, so it is tested without the disk. */
export function classifySource(file: string, buf: Uint8Array): Classified {
  const t = triageBytes(buf, classifyMarkers, MAX_FILE_BYTES, UTF8);
  if (t.kind === 'warn') return t;
  if (t.kind === 'generated') return { kind: 'warn', message: generatedWarning(t.reason) };
  if (t.kind === 'minified') return { kind: 'skip', reason: 'minified' };
  if (t.kind === 'plain') return { kind: 'skip', reason: 'not-candidate' };
  return { kind: 'parse', blocks: blocksOf(file, t.text) };
}
