// Findings must agree with the model. Each row names a rule and the facts that would make its
// finding false; `contradictions` lists every finding a fact refutes. The consistency test runs
// it over every fixture, so "a false claim is worse than a missing one" is checked, not hoped.
import type { Analysis, Finding } from '../../types.js';
import type { FileAnalysis } from '../code/scan.js';
import { isNonProduction } from './scope.js';

export interface ModelView {
  analysis: Analysis;
  /** Production file analyses, companions marked (what the rules read). */
  files: readonly FileAnalysis[];
}

const fileOf = (evidence: string): string => evidence.replace(/:\d+$/, '');

/** Files on a server's connection path: the server file and the modules it imports. */
function onPathOf(server: string, files: readonly FileAnalysis[]): FileAnalysis[] {
  return files.filter((a) => a.file === server || (a.companionOf ?? []).includes(server));
}

/** Managed providers whose SDK keeps the connection alive and reconnects by itself (model/adapters/). */
const MANAGED_PROVIDERS = new Set(['ably', 'supabase-realtime', 'pusher', 'livekit']);

/** The managed provider's entrypoint a finding's evidence points at, as a fact, or null. */
function managedAt(f: Finding, m: ModelView, what: string): string | null {
  const e = m.files.flatMap((a) => a.entries).find((x) => `${x.file}:${x.line}` === f.evidence && MANAGED_PROVIDERS.has(x.provider ?? ''));
  return e ? `the ${e.provider} SDK ${what} (${f.evidence})` : null;
}

const CHECKS: Record<string, (f: Finding, m: ModelView) => string | null> = {
  'no-heartbeat': (f, m) => {
    const managed = managedAt(f, m, 'keeps its connection alive itself');
    if (managed) return managed;
    const path = onPathOf(fileOf(f.evidence), m.files);
    const hb = path.flatMap((a) => a.signals.heartbeat.filter((h) => h.side === 'server').map((h) => `${a.file}:${h.line}`));
    if (/server/i.test(f.message) && hb.length > 0) return `a server heartbeat is on that server's path (${hb[0]})`;
    if (!/server/i.test(f.message) && m.analysis.stack.heartbeat.present) return `a heartbeat exists (${m.analysis.stack.heartbeat.evidence})`;
    return null;
  },
  'client-only': (_f, m) => {
    const server = m.files.flatMap((a) => a.entries.filter((e) => e.side === 'server')).find((e) => e.kind !== 'token-route');
    return server ? `a server entrypoint exists (${server.file}:${server.line}, ${server.kind})` : null;
  },
  'no-handshake-auth': (_f, m) => {
    for (const a of m.files) {
      if (a.signals.authGate[0] !== undefined) return `a handshake gate exists (${a.file}:${a.signals.authGate[0]})`;
      const auth = a.signals.auth.find((h) => h.side === 'server' && h.kind !== 'api-key-in-client' && h.kind !== 'first-message');
      if (auth) return `a verified credential is read at connection (${a.file}:${auth.line}, ${auth.kind})`;
    }
    return null;
  },
  'no-reconnect': (f, m) =>
    managedAt(f, m, 'reconnects by itself') ??
    (/never reconnects/.test(f.message) && m.analysis.stack.reconnect.present ? `reconnection exists (${m.analysis.stack.reconnect.evidence})` : null),
};

/** Every finding a model fact refutes, with the fact. */
export function contradictions(m: ModelView): { finding: Finding; fact: string }[] {
  const out: { finding: Finding; fact: string }[] = [];
  const unused = new Set((m.analysis.unused ?? []).map((u) => u.name));
  for (const f of m.analysis.findings) {
    if (isNonProduction(fileOf(f.evidence))) out.push({ finding: f, fact: 'the evidence is a test, example or demo file' });
    const fact = CHECKS[f.id]?.(f, m) ?? null;
    if (fact) out.push({ finding: f, fact });
  }
  for (const l of m.analysis.stack.libraries)
    if (unused.has(l.name))
      out.push({ finding: { id: 'stack', severity: 'info', message: `library ${l.name}`, evidence: l.evidence, fix: '' }, fact: `${l.name} is unused` });
  return out;
}
