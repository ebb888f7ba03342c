// What a server's handlers check of the connection itself before they act, by event, as facts
// with their lines (code/role-checks.ts reads them): `poll:open` runs only when `ws.role ===
// 'teacher'`, `subscribe` keeps only the symbols in `session.entitlements`. A guard function
// (`if (!isTeacher(ws)) return`) counts only when its body, in this module or the one it is
// imported from, shows the comparison: a name alone says nothing. Only events this file handles
// on the server side are named, so a client's own display logic is never read as a rule.
import type { Evidence, ModelFact } from '../../types.js';
import type { FileAnalysis } from '../code/scan.js';
import type { FileFacts } from '../code/facts.js';
import type { EventRef } from '../code/role-checks.js';
import type { ModuleModel } from './index.js';

const ev = (file: string, line: number): Evidence => `${file}:${line}`;
const LOCAL_SOURCE = /^(\.|@\/|~\/)/;

/** The predicate a call names: declared in this module, or exported by the module it is imported from. */
function predicateOf(model: ModuleModel, f: FileFacts, fn: string): { file: string; line: number; kind: 'returns' | 'asserts'; test: string } | null {
  const own = f.roles?.predicates.find((p) => p.name === fn);
  if (own) return { file: f.file, ...own };
  const imp = f.imports.find((i) => i.locals.some((l) => l.local === fn));
  const imported = imp?.locals.find((l) => l.local === fn)?.imported;
  if (!imp || !imported || !LOCAL_SOURCE.test(imp.source)) return null;
  const file = model.resolve(f.file, imp.source);
  const target = file === null ? undefined : model.facts.get(file);
  const p = target?.roles?.predicates.find((x) => x.name === imported);
  return p && target ? { file: target.file, ...p } : null;
}

/** A function that sends to the sockets picked by its first parameter, here or in the module it is imported from. */
function pickerOf(model: ModuleModel, f: FileFacts, fn: string): boolean {
  if (f.roles?.pickers.some((p) => p.name === fn)) return true;
  const imp = f.imports.find((i) => i.locals.some((l) => l.local === fn));
  const imported = imp?.locals.find((l) => l.local === fn)?.imported;
  if (!imp || !imported || !LOCAL_SOURCE.test(imp.source)) return false;
  const file = model.resolve(f.file, imp.source);
  return (file === null ? undefined : model.facts.get(file))?.roles?.pickers.some((p) => p.name === imported) ?? false;
}

/** Is the handler map `map` of module `file` dispatched with the connection first, there or by a module that imports it? */
function dispatched(model: ModuleModel, file: string, map: string): boolean {
  for (const g of model.facts.values()) {
    for (const local of g.roles?.dispatches ?? []) {
      if (g.file === file && local === map) return true;
      const imp = g.imports.find((i) => i.locals.some((l) => l.local === local && l.imported === map));
      if (imp && LOCAL_SOURCE.test(imp.source) && model.resolve(g.file, imp.source) === file) return true;
    }
  }
  return false;
}

export function roleCheckFacts(analyses: readonly FileAnalysis[], model: ModuleModel, servers: ReadonlySet<string>, known: readonly ModelFact[]): ModelFact[] {
  const out: ModelFact[] = [];
  /** Functions the model shows send to the sockets of an index (plan-facts.ts `broadcast-source`). */
  const senders = new Set(known.filter((k) => k.kind === 'broadcast-source').map((k) => k.name));
  // A handler map's events are handled where it is dispatched, often another module.
  const handledAnywhere = new Set(analyses.flatMap((a) => a.events.filter((e) => e.act === 'handle' && e.side === 'server').map((e) => e.name)));
  const byFile = new Map(analyses.map((a) => [a.file, a]));
  // Every module read, candidates and the modules they import: a handler map may sit in a module with no socket code of its own.
  for (const f of model.facts.values()) {
    const a = byFile.get(f.file);
    const roles = f.roles;
    if (!roles || roles.checks.length + roles.calls.length + roles.sends.length === 0) continue;
    /** A record in a handler map counts only where the map is dispatched with the connection. */
    const holds = (r: { map?: string }): boolean => r.map === undefined || dispatched(model, f.file, r.map);
    const handled = new Set((a?.events ?? []).filter((e) => e.act === 'handle' && e.side === 'server').map((e) => e.name));
    const named = (events: EventRef[], inMap: boolean): string[] =>
      events
        .map((e) => {
          if (e.name !== undefined) return e.name;
          const v = e.ref ? model.values.valueOf(f.file, e.ref) : null;
          return v?.kind === 'string' ? (v.str ?? null) : null;
        })
        .filter((n): n is string => n !== null && (inMap ? handledAnywhere : handled).has(n));
    /** One fact per event a check is about; a route's check where the file serves one. */
    const targets = (events: EventRef[], route: string | null, map?: string): { name: string; route?: string }[] =>
      events.length > 0 ? named(events, map !== undefined).map((name) => ({ name })) : route !== null && servers.has(f.file) ? [{ name: '', route }] : [];
    for (const c of roles.checks.filter(holds))
      for (const t of targets(c.events, c.route, c.map))
        out.push({
          kind: 'connection-check',
          ...t,
          value: c.test,
          store: c.kind,
          ...(c.items ? { items: c.items } : {}),
          evidence: ev(f.file, c.line),
          note:
            c.kind === 'filter'
              ? `The handler of \`${t.name}\` keeps only the items of \`${c.items}\` for which \`${c.test}\`.`
              : c.kind === 'refuse'
                ? `The handler of ${t.name ? `\`${t.name}\`` : `\`${t.route}\``} stops when \`${c.test}\`.`
                : `The handler of ${t.name ? `\`${t.name}\`` : `\`${t.route}\``} runs only when \`${c.test}\`.`,
        });
    for (const c of roles.sends.filter(holds)) {
      if (c.fn !== null && !senders.has(c.fn) && !pickerOf(model, f, c.fn)) continue;
      const sent = a?.events.find((e) => e.act === 'emit' && e.line === c.line)?.name ?? '';
      for (const t of targets(c.events, null, c.map))
        out.push({
          kind: 'scoped-send',
          ...t,
          value: c.scope,
          store: sent,
          evidence: ev(f.file, c.line),
          note: `The handler of \`${t.name}\` sends ${sent ? `\`${sent}\`` : 'its answer'} to the sockets picked by the sender's own \`${c.scope}\`.`,
        });
    }
    for (const c of roles.calls.filter(holds)) {
      const p = predicateOf(model, f, c.fn);
      // `if (!isTeacher(ws)) return` refuses where the predicate returns false; an assertion refuses inside itself.
      if (!p || (c.kind === 'assert') !== (p.kind === 'asserts')) continue;
      for (const t of targets(c.events, c.route, c.map))
        out.push({
          kind: 'connection-check',
          ...t,
          value: c.text,
          store: c.kind === 'assert' ? 'assert' : 'only',
          condition: p.test,
          checkedAt: ev(p.file, p.line),
          evidence: ev(f.file, c.line),
          note: `The handler of ${t.name ? `\`${t.name}\`` : `\`${t.route}\``} calls \`${c.text}\`, which ${p.kind === 'returns' ? 'returns' : 'refuses when'} \`${p.test}\` (${p.file}:${p.line}).`,
        });
    }
  }
  return out;
}
