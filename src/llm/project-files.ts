// Reading project files for the review: the bounded, redacted excerpts a request carries,
// and the line counts verification checks evidence against. Both refuse anything that is not
// a regular text file inside the project (symlinks out, binaries, huge files).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Analysis, SessionContext } from '../types.js';
import { readLimitedText } from '../shared/read-limited.js';
import { redactForModel, redactLine } from './redact.js';
import type { ProjectModel } from './verify-review.js';

const MAX_FILE_BYTES = 1024 * 1024;

/** A project file's text, or null when it is not a readable text file inside `root`. */
export async function readProjectText(root: string, rel: string): Promise<string | null> {
  if (path.isAbsolute(rel) || rel.split('/').includes('..')) return null;
  const realRoot = await fs.realpath(root).catch(() => null);
  if (realRoot === null) return null;
  // The shared bounded reader: regular files only (a FIFO never blocks), no link out, capped.
  const read = await readLimitedText(path.join(realRoot, rel), { maxBytes: MAX_FILE_BYTES, within: realRoot });
  return read.ok && !read.text.includes('\0') ? read.text : null;
}

const countLines = (text: string) => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

/** Line counts of the given files, for the pure `lineCount` lookup of verification. */
export async function lineCounts(root: string, files: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const file of new Set(files)) {
    const text = await readProjectText(root, file);
    if (text !== null) out.set(file, countLines(text));
  }
  return out;
}

/** What a review may say the project has: declared packages and detected events. */
export function projectModel(analysis: Analysis): ProjectModel {
  const libraries = new Set<string>();
  for (const p of analysis.project.packages) for (const name of Object.keys(p.dependencies)) libraries.add(name);
  for (const l of analysis.stack.libraries) libraries.add(l.name);
  for (const f of analysis.stack.frameworks) libraries.add(f.name);
  for (const p of analysis.stack.providers) libraries.add(p);
  return { libraries, events: new Set(analysis.events.map((e) => e.name)) };
}

export interface Excerpt {
  path: string;
  /** Line-numbered, redacted text. */
  text: string;
}

export const EXCERPT_LIMITS = { files: 16, lines: 300, window: 25, bytes: 16 * 1024, total: 96 * 1024 } as const;

const fileOf = (evidence: string | null | undefined) => (evidence ? evidence.replace(/:\d+(?:-\d+)?$/, '') : null);

/** Files cited as evidence by the analysis, with the lines cited; then files the session context names. */
export function excerptTargets(analysis: Analysis, sessions: SessionContext): Map<string, number[]> {
  const cited = new Map<string, number[]>();
  const add = (evidence: string | null | undefined) => {
    const file = fileOf(evidence);
    if (!file || file.startsWith('.claude/')) return;
    const line = Number(/:(\d+)/.exec(evidence ?? '')?.[1] ?? 0);
    cited.set(file, [...(cited.get(file) ?? []), ...(line ? [line] : [])]);
  };
  const { stack } = analysis;
  for (const e of stack.entrypoints) add(`${e.file}:${e.line}`);
  for (const f of analysis.findings) add(f.evidence);
  for (const e of analysis.events) add(e.evidence);
  for (const l of stack.libraries) add(l.evidence);
  for (const s of stack.scaling) add(s.evidence);
  for (const a of stack.auth) add(a.evidence);
  add(stack.heartbeat.evidence);
  add(stack.reconnect.evidence);
  // Named by path, or by a file name that only one source file has ("rooms.js").
  const named = sessions.docs.map((d) => d.body).join('\n');
  const base = (f: string) => f.slice(f.lastIndexOf('/') + 1);
  const bases = new Map<string, number>();
  for (const f of analysis.project.sourceFiles) bases.set(base(f), (bases.get(base(f)) ?? 0) + 1);
  const mentions = (name: string) => new RegExp(`(^|[^\\w./-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w/-])`).test(named);
  for (const file of analysis.project.sourceFiles) {
    if (cited.has(file)) continue;
    if (named.includes(file) || (bases.get(base(file)) === 1 && mentions(base(file)))) cited.set(file, []);
  }
  return new Map([...cited].sort(([a], [b]) => a.localeCompare(b)).slice(0, EXCERPT_LIMITS.files));
}

/** Lines to send: the whole file when short, else windows around the cited lines. */
function keptLines(total: number, cited: number[]): number[] {
  if (total <= EXCERPT_LIMITS.lines) return Array.from({ length: total }, (_, i) => i + 1);
  const keep = new Set<number>();
  for (const c of cited.length ? cited : [1]) {
    for (let l = Math.max(1, c - EXCERPT_LIMITS.window); l <= Math.min(total, c + EXCERPT_LIMITS.window); l++) keep.add(l);
  }
  return [...keep].sort((a, b) => a - b).slice(0, EXCERPT_LIMITS.lines);
}

export async function readExcerpts(root: string, analysis: Analysis, sessions: SessionContext): Promise<Excerpt[]> {
  const flagged = new Map<string, Set<number>>();
  for (const f of analysis.findings.filter((x) => x.id === 'hard-coded-secret')) {
    const file = fileOf(f.evidence)!;
    flagged.set(file, (flagged.get(file) ?? new Set()).add(Number(/:(\d+)/.exec(f.evidence)?.[1] ?? 0)));
  }
  const out: Excerpt[] = [];
  let total = 0;
  for (const [file, cited] of excerptTargets(analysis, sessions)) {
    const raw = await readProjectText(root, file);
    if (raw === null) continue;
    const lines = redactForModel(raw).text.split('\n');
    const marks = flagged.get(file) ?? new Set<number>();
    const width = String(lines.length).length;
    let text = '';
    let previous = 0;
    for (const n of keptLines(countLines(raw), cited)) {
      const line = marks.has(n) ? redactLine(lines[n - 1]!) : lines[n - 1]!;
      const next = `${previous && n !== previous + 1 ? '…\n' : ''}${String(n).padStart(width)}| ${line}\n`;
      if (Buffer.byteLength(text + next) > EXCERPT_LIMITS.bytes) break;
      text += next;
      previous = n;
    }
    if (total + Buffer.byteLength(text) > EXCERPT_LIMITS.total) break;
    total += Buffer.byteLength(text);
    out.push({ path: file, text });
  }
  return out;
}
