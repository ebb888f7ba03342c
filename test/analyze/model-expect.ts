// Compares an Analysis with a model-* fixture's expected.json (format in model-matrix.test.ts)
// and lists every expectation it misses, one readable line each.
import type { Analysis } from '../../src/types.js';

export interface ModelExpected {
  description: string;
  sources?: string[];
  transports?: string[];
  providers?: string[];
  libraries?: { name: string; version?: string; role?: string }[];
  mustNotLibraries?: string[];
  unusedDependencies?: string[];
  entrypoints?: { file: string; kind: string; line?: number }[];
  events?: { name: string; direction?: string; evidence?: string }[];
  mustNotEvents?: string[];
  auth?: string[];
  mustNotAuth?: string[];
  heartbeat?: boolean | null;
  /** Where the HTTP server the real-time server rides on listens (`file:line`). */
  listen?: string;
  reconnect?: boolean | null;
  unmodelled?: string[];
  findings?: { id: string; evidence?: string }[];
  mustNotFindings?: { id: string; evidence?: string }[];
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => [...new Set(a)].sort().join('\n') === [...new Set(b)].sort().join('\n');

export function missedExpectations(a: Analysis, x: ModelExpected): string[] {
  const out: string[] = [];
  const miss = (s: string): void => void out.push(s);
  if (x.transports && !sameSet(a.stack.transports, x.transports)) miss(`transports ${JSON.stringify(x.transports)}, got ${JSON.stringify(a.stack.transports)}`);
  if (x.providers && !sameSet(a.stack.providers, x.providers)) miss(`providers ${JSON.stringify(x.providers)}, got ${JSON.stringify(a.stack.providers)}`);
  for (const l of x.libraries ?? []) {
    const ok = a.stack.libraries.some(
      (u) => u.name === l.name && (l.version === undefined || u.version === l.version) && (l.role === undefined || u.role === l.role || u.role === 'both'),
    );
    if (!ok) miss(`library ${l.name}${l.version ? `@${l.version}` : ''}${l.role ? ` (${l.role})` : ''}`);
  }
  for (const n of x.mustNotLibraries ?? []) if (a.stack.libraries.some((u) => u.name === n)) miss(`no library ${n}`);
  const unused = (a.unused ?? []).map((u) => u.name);
  for (const n of x.unusedDependencies ?? []) if (!unused.includes(n)) miss(`unused dependency ${n}`);
  for (const e of x.entrypoints ?? []) {
    if (!a.stack.entrypoints.some((p) => p.file === e.file && p.kind === e.kind && (e.line === undefined || p.line === e.line)))
      miss(`entrypoint ${e.kind} ${e.file}${e.line ? `:${e.line}` : ''}`);
  }
  for (const e of x.events ?? []) {
    const ok = a.events.some(
      (v) => v.name === e.name && (e.direction === undefined || v.direction === e.direction) && (e.evidence === undefined || v.evidence === e.evidence),
    );
    if (!ok) miss(`event ${e.name} ${e.direction ?? ''}`.trim());
  }
  for (const n of x.mustNotEvents ?? []) if (a.events.some((v) => v.name === n)) miss(`no event ${n}`);
  const auth = a.stack.auth.map((k) => k.kind as string);
  for (const k of x.auth ?? []) if (!auth.includes(k)) miss(`auth ${k}, got ${JSON.stringify(auth)}`);
  for (const k of x.mustNotAuth ?? []) if (auth.includes(k)) miss(`no auth ${k}`);
  if (typeof x.heartbeat === 'boolean' && a.stack.heartbeat.present !== x.heartbeat) miss(`heartbeat ${x.heartbeat}`);
  if (x.listen !== undefined && a.stack.listen !== x.listen) miss(`listen ${x.listen}, got ${a.stack.listen ?? 'none'}`);
  if (typeof x.reconnect === 'boolean' && a.stack.reconnect.present !== x.reconnect) miss(`reconnect ${x.reconnect}`);
  const unmodelled = (a.unmodelled ?? []).map((u) => u.name);
  for (const n of x.unmodelled ?? []) if (!unmodelled.includes(n)) miss(`unmodelled ${n}`);
  const matches = (f: { id: string; evidence: string }, w: { id: string; evidence?: string }): boolean =>
    f.id === w.id && (w.evidence === undefined || f.evidence === w.evidence);
  for (const w of x.findings ?? []) if (!a.findings.some((f) => matches(f, w))) miss(`finding ${w.id}${w.evidence ? ` at ${w.evidence}` : ''}`);
  for (const w of x.mustNotFindings ?? []) {
    const bad = a.findings.filter((f) => matches(f, w));
    if (bad.length > 0) miss(`no finding ${w.id}${w.evidence ? ` at ${w.evidence}` : ''} (got ${bad.map((f) => f.evidence).join(', ')})`);
  }
  return out;
}
