// Reads a source file and decides whether it is worth parsing: binary, huge and minified files
// are skipped, and a cheap text prefilter keeps the parser away from files with no real-time
// marker at all. Vue and Svelte files yield their <script> blocks with the line offset kept.

import markerData from './markers.json' with { type: 'json' };
import { COMMON_PAIRS, compileMarkers, hasMarker } from './prefilter.js';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Every construct a detector or audit rule looks for has one of these literal markers in its
 * text, so a file without any of them cannot produce a claim. Plain literals (no classes or
 * repeats) keep V8's regex fast on large trees; the list is a superset, parsing decides.
 * The list is data (markers.json) so the benchmark gives ripgrep the very same pattern.
 */
export const CANDIDATE_MARKERS: readonly string[] = markerData.markers;

/** The markers as one regular expression (ripgrep in the benchmark; tests). */
export const CANDIDATE_PATTERN = CANDIDATE_MARKERS.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
const MATCHER = compileMarkers(CANDIDATE_MARKERS, COMMON_PAIRS);
const hasCandidateMarker = (buf: Uint8Array): boolean => hasMarker(buf, MATCHER);
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export type Triage =
  | { kind: 'warn'; message: string }
  | { kind: 'minified' }
  | { kind: 'plain' }
  | { kind: 'candidate'; text: string };

/**
 * Binary, huge, minified, non-candidate or candidate. Self-contained on purpose (no module
 * references): the scan's worker threads run this very function from its source text.
 */
/** The warning for a file over the size limit. Self-contained: worker threads run it from source. */
export function tooLarge(size: number): Triage {
  return { kind: 'warn', message: `file is larger than 2 MB (${size} bytes); skipped` };
}

export function triageBytes(buf: Uint8Array, isCandidate: (buf: Uint8Array) => boolean, maxBytes: number, decoder: TextDecoder): Triage {
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
  if (!isCandidate(buf)) return { kind: 'plain' };
  try {
    return { kind: 'candidate', text: decoder.decode(buf) };
  } catch {
    return { kind: 'warn', message: 'not valid UTF-8; skipped' };
  }
}

export type Lang = 'js' | 'jsx' | 'ts' | 'tsx';

export interface ScriptBlock {
  code: string;
  lang: Lang;
  /** Lines before the block in the original file. */
  lineOffset: number;
}

export type Classified =
  | { kind: 'skip'; reason: 'minified' | 'not-candidate' }
  | { kind: 'warn'; message: string }
  | { kind: 'parse'; blocks: ScriptBlock[] };

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
  const t = triageBytes(buf, hasCandidateMarker, MAX_FILE_BYTES, UTF8);
  if (t.kind === 'warn') return t;
  if (t.kind === 'minified') return { kind: 'skip', reason: 'minified' };
  if (t.kind === 'plain') return { kind: 'skip', reason: 'not-candidate' };
  return { kind: 'parse', blocks: blocksOf(file, t.text) };
}
