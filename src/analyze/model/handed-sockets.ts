// Sockets handed to another module: `io.on('connection', (socket) => spawn(socket, args))` with
// `spawn` imported from ./spawn.js, whose `socket.on('input', …)` handlers import neither Socket.IO
// package. Where the workspace declares both packages such a module has no side of its own, so its
// events were never read. Here the socket is followed through the call's argument to the parameter
// of the function the module exports (named, default, or `module.exports.x = (socket) => …`), and
// that module's events are read on the caller's side with the parameter as a socket. Bounded depth.
import { cmp } from '../code/merge.js';
import type { FileAnalysis } from '../code/scan.js';
import { detectEvents, sioSocketNames } from '../code/events.js';
import type { Side } from '../code/entrypoints.js';
import type { FileFacts } from '../code/facts.js';
import type { Resolve } from './resolve.js';

/** Hops followed from a module that owns a socket: its handler modules (1) and theirs (2). */
export const HANDED_DEPTH = 2;

/** A socket handed by `callee(…, socket, …)`: the module, the function and the parameter that receive it. */
export interface Handoff {
  file: string;
  param: string;
  side: Side;
}

/** The exported function `imported` of `target` (a name, or `default`), as its head. */
function exportedHead(target: FileFacts, imported: string): { params: string[] } | null {
  const heads = target.fnHeads ?? [];
  if (imported === 'default') {
    const local = target.module?.exportNames.find((e) => e.exported === 'default')?.local;
    return heads.find((h) => h.isDefault === true || (local !== undefined && h.name === local)) ?? null;
  }
  const local = target.module?.exportNames.find((e) => e.exported === imported)?.local ?? imported;
  // CommonJS: `module.exports.proxyHandler = (socket) => …` (or `exports.x = …`) names the function by the property.
  const assigned = target.assigns.some((a) => a.fn && (a.target === `module.exports.${imported}` || a.target === `exports.${imported}`));
  const exported = assigned || target.exports.includes(imported) || target.module?.exportNames.some((e) => e.exported === imported) === true;
  return exported ? (heads.find((h) => h.name === local) ?? null) : null;
}

/** The sockets `a` hands to functions of other modules, with the parameter each lands in. */
export function handoffs(a: FileAnalysis, byFile: ReadonlyMap<string, FileAnalysis>, resolve: Resolve): Handoff[] {
  if (!a.sioSide) return [];
  const names = sioSocketNames(a.ctx, a.handed ? new Set(a.handed) : undefined);
  const out: Handoff[] = [];
  for (const c of a.ctx.facts.calls) {
    if (c.isNew || c.path.includes('.') || c.path !== c.method) continue;
    const at = c.args.findIndex((x) => x.kind === 'ident' && x.path !== undefined && names.has(x.path));
    if (at === -1) continue;
    const imp = a.ctx.facts.imports.find((i) => i.locals.some((l) => l.local === c.path));
    const imported = imp?.locals.find((l) => l.local === c.path)?.imported;
    if (!imp || !imported || imported === '*' || !imp.source.startsWith('.')) continue;
    const file = resolve(a.file, imp.source);
    const target = file ? byFile.get(file) : undefined;
    const param = target ? exportedHead(target.ctx.facts, imported)?.params[at] : undefined;
    if (file && param) out.push({ file, param, side: a.sioSide });
  }
  return out;
}

/**
 * Read the Socket.IO events of modules that receive a socket as a parameter. `load` parses and
 * analyses files no earlier pass parsed. A module with a side of its own keeps its reading.
 */
export async function withHandedSockets(
  analyses: FileAnalysis[],
  resolve: Resolve,
  load: (files: string[]) => Promise<FileAnalysis[]>,
  depth = HANDED_DEPTH,
): Promise<FileAnalysis[]> {
  const byFile = new Map(analyses.map((a) => [a.file, a]));
  let frontier = analyses.filter((a) => a.sioSide !== undefined);
  for (let level = 1; level <= depth && frontier.length > 0; level++) {
    // Targets not parsed yet: read them first, so their exported heads can be looked up.
    const wanted = new Set<string>();
    for (const a of frontier) {
      for (const imp of a.ctx.facts.imports) {
        const f = imp.source.startsWith('.') ? resolve(a.file, imp.source) : null;
        if (f !== null && !byFile.has(f)) wanted.add(f);
      }
    }
    const callers = frontier.filter((a) => a.ctx.facts.calls.some((c) => c.path === c.method && c.args.some((x) => x.kind === 'ident')));
    if (callers.length > 0 && wanted.size > 0) {
      const needed = [...wanted].filter((f) =>
        callers.some((a) => a.ctx.facts.imports.some((i) => i.source.startsWith('.') && resolve(a.file, i.source) === f)),
      );
      for (const x of await load(needed.sort())) byFile.set(x.file, x);
    }
    const received = new Map<string, { side: Side; params: Set<string> }>();
    for (const a of callers) {
      for (const h of handoffs(a, byFile, resolve)) {
        const target = byFile.get(h.file);
        if (!target || target.sioSide !== undefined) continue;
        const r = received.get(h.file) ?? { side: h.side, params: new Set<string>() };
        if (r.side !== h.side) continue;
        r.params.add(h.param);
        received.set(h.file, r);
      }
    }
    const next: FileAnalysis[] = [];
    for (const [file, r] of [...received].sort((x, y) => cmp(x[0], y[0]))) {
      const a = byFile.get(file) as FileAnalysis;
      const handed = [...r.params].sort();
      const sio = detectEvents(a.ctx, a.entries, r.side, null, new Set(handed)).filter((e) => e.transport === 'socket.io');
      const updated: FileAnalysis = { ...a, events: [...a.events, ...sio], sioSide: r.side, handed };
      byFile.set(file, updated);
      next.push(updated);
    }
    frontier = next;
  }
  // Loaded files that receive no socket stay out: they were not candidates and say nothing here.
  const given = new Set(analyses.map((a) => a.file));
  return [...byFile.values()].filter((a) => given.has(a.file) || a.handed !== undefined).sort((a, b) => cmp(a.file, b.file));
}
