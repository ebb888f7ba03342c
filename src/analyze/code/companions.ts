// Companion modules: the files a server's real-time code imports by relative path. Servers are
// often split (`io.use(authenticate)` from ./auth.js, a rooms Map in ./rooms.js); read alone,
// those modules have no socket server and would be judged as plain code. Only server files'
// imports are followed, to a bounded depth, so the pass stays cheap and deterministic.
import path from 'node:path';
import { cmp } from './merge.js';
import type { FileAnalysis } from './scan.js';
import { detectEvents, sseEvents } from './events.js';
import { detectSignals, VERIFY_CALL } from './signals.js';

/** Import depth followed from a server file: its imports (1) and theirs (2). */
export const COMPANION_DEPTH = 2;

const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.tsx', '.jsx', '.mts', '.cts'];
/** TypeScript's ESM convention: `./x.js` in source names `./x.ts` on disk. */
const TS_FOR_JS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/** The walked file a relative specifier names, or null (bare packages, files outside the tree). */
export function resolveRelative(from: string, spec: string, files: ReadonlySet<string>): string | null {
  if (!/^\.\.?(\/|$)/.test(spec)) return null;
  const base = path.posix.join(path.posix.dirname(from), spec.replace(/[?#].*$/, ''));
  if (base === '..' || base.startsWith('../')) return null;
  const ext = path.posix.extname(base);
  const stem = base.slice(0, base.length - ext.length);
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...(TS_FOR_JS[ext] ?? []).map((e) => stem + e), ...EXTENSIONS.map((e) => `${base}/index${e}`)];
  return candidates.find((c) => files.has(c)) ?? null;
}

/** A file whose real-time code runs on the server: the roots companions are found from. */
export function isServerRealtime(a: FileAnalysis): boolean {
  return (
    a.entries.some((e) => e.kind === 'socket-server' || e.kind === 'ws-server' || e.kind === 'sse-endpoint') ||
    a.events.some((e) => e.transport === 'socket.io' && e.side === 'server')
  );
}

/** Client code (a socket or peer it opens itself, no server) is never server context. */
function isClientCode(a: FileAnalysis): boolean {
  return a.entries.length > 0 && a.entries.every((e) => e.side === 'client');
}

export interface CompanionScan {
  /** Every analysis: the given ones and the companions loaded, sorted by file. */
  analyses: FileAnalysis[];
  /** Companion file → the server files that import it (directly or through another companion). */
  companions: Map<string, string[]>;
}

/**
 * Follow server files' relative imports. `files` is what may be followed (the files that were
 * read and considered); `load` reads and analyses files the prefilter did not parse.
 */
export async function findCompanions(
  analyses: readonly FileAnalysis[],
  files: ReadonlySet<string>,
  load: (files: string[]) => Promise<FileAnalysis[]>,
  depth = COMPANION_DEPTH,
): Promise<CompanionScan> {
  const byFile = new Map(analyses.map((a) => [a.file, a]));
  const roots = analyses.filter(isServerRealtime).map((a) => a.file);
  const rootSet = new Set(roots);
  const companions = new Map<string, Set<string>>();
  const visited = new Set<string>();
  let frontier = roots.map((file) => ({ file, root: file }));
  for (let level = 1; level <= depth && frontier.length > 0; level++) {
    const next: { file: string; root: string }[] = [];
    for (const { file, root } of frontier) {
      for (const imp of byFile.get(file)?.ctx.facts.imports ?? []) {
        const target = resolveRelative(file, imp.source, files);
        if (target === null || rootSet.has(target) || visited.has(`${root}\u0000${target}`)) continue;
        visited.add(`${root}\u0000${target}`);
        next.push({ file: target, root });
      }
    }
    const missing = [...new Set(next.map((n) => n.file).filter((f) => !byFile.has(f)))].sort(cmp);
    if (missing.length > 0) for (const a of await load(missing)) byFile.set(a.file, a);
    frontier = next.filter((n) => {
      const a = byFile.get(n.file);
      if (!a || isClientCode(a)) return false;
      const set = companions.get(n.file) ?? new Set<string>();
      set.add(n.root);
      companions.set(n.file, set);
      return true;
    });
  }
  const given = new Set(analyses.map((a) => a.file));
  const loaded = [...byFile.values()].filter((a) => given.has(a.file) || companions.has(a.file));
  return {
    analyses: loaded.sort((a, b) => cmp(a.file, b.file)),
    companions: new Map([...companions].sort((a, b) => cmp(a[0], b[0])).map(([f, r]) => [f, [...r].sort(cmp)])),
  };
}

/** Files of the guard classes Nest gateways apply with `@UseGuards(…)`. */
function nestGuardFiles(analyses: readonly FileAnalysis[], files: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const a of analyses) {
    for (const k of a.ctx.facts.module?.classes ?? []) {
      if (!k.decorators.some((d) => d.name === 'WebSocketGateway')) continue;
      for (const d of [...k.decorators, ...k.methods.flatMap((m) => m.decorators)]) {
        if (d.name !== 'UseGuards') continue;
        for (const arg of d.args) {
          const local = arg.kind === 'ident' && arg.path ? a.ctx.locals.get(arg.path) : undefined;
          const file = local ? resolveRelative(a.file, local.source, files) : null;
          if (file !== null) out.add(file);
        }
      }
    }
  }
  return out;
}

/**
 * Read companions as server side (their auth kinds count) and resolve `io.use(name)` gates:
 * a middleware imported from a companion that verifies a token is a handshake check. Pure.
 */
export function applyCompanions(scan: CompanionScan, files: ReadonlySet<string>): FileAnalysis[] {
  const withContext = scan.analyses.map((a) => {
    const roots = scan.companions.get(a.file);
    if (!roots) return a;
    // A handler module on a WebSocket server's path handles (and sends) that server's envelopes.
    // A module an SSE route imports writes that route's streams: its `event:` lines are the route's events.
    const rootHas = (kind: string): boolean => roots.some((r) => scan.analyses.find((x) => x.file === r)?.entries.some((e) => e.kind === kind));
    const sseRoot = rootHas('sse-endpoint');
    // Envelopes (`switch (msg.type)`, `{ type: 'x' }`) are a raw WebSocket server's protocol; Socket.IO
    // names its events itself, so a module only a Socket.IO server imports (its database or config
    // module) comparing `config.type === 'sqlite'` handles no message.
    const wsRoot = rootHas('ws-server');
    const events =
      a.events.length === 0 && a.entries.length === 0
        ? [
            ...(wsRoot ? detectEvents(a.ctx, a.entries, null, 'server').filter((e) => e.transport === 'websocket') : []),
            ...(sseRoot ? sseEvents(a.ctx, a.entries, true).filter((e) => e.name !== 'message' || a.ctx.facts.calls.some((c) => c.method === 'write')) : []),
          ]
        : a.events;
    return { ...a, events, signals: detectSignals(a.ctx, a.entries, { serverContext: true }), companionOf: roots };
  });
  // A Nest guard runs before each @SubscribeMessage handler, never at the handshake
  // (https://docs.nestjs.com/websockets/guards): the token it checks is not connection auth.
  const guards = nestGuardFiles(withContext, files);
  for (const [i, a] of withContext.entries()) {
    if (guards.has(a.file) && a.signals.auth.length > 0)
      withContext[i] = { ...a, signals: { ...a.signals, auth: a.signals.auth.filter((h) => h.side !== 'server') } };
  }
  const byFile = new Map(withContext.map((a) => [a.file, a]));
  const verifies = (file: string | null): boolean =>
    file !== null && scan.companions.has(file) && (byFile.get(file)?.ctx.facts.calls.some((c) => VERIFY_CALL.test(c.method)) ?? false);
  return withContext.map((a) => {
    if (a.signals.gateIdents.length === 0) return a;
    const gates = a.signals.gateIdents.filter((g) => {
      const local = a.ctx.locals.get(g.name);
      return local !== undefined && verifies(resolveRelative(a.file, local.source, files));
    });
    if (gates.length === 0) return a;
    return { ...a, signals: { ...a.signals, authGate: [...a.signals.authGate, ...gates.map((g) => g.line)] } };
  });
}
