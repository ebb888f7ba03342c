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
  // `guards.isTeacher`: a function of the module imported whole as `guards` (`import * as guards from './guards'`).
  const [ns, member] = fn.includes('.') ? fn.split('.') : [null, fn];
  const own = ns === null ? f.roles?.predicates.find((p) => p.name === fn) : undefined;
  if (own) return { file: f.file, ...own };
  const local = ns ?? fn;
  const imp = f.imports.find((i) => i.locals.some((l) => l.local === local));
  const found = imp?.locals.find((l) => l.local === local)?.imported;
  const imported = ns === null ? found : found === '*' ? member : undefined;
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

/**
 * The events a function of module `file` named `fn` is registered for as a listener on the
 * connection (`socket.on('poll:open', onPollOpen)`), there or in a module that imports it; null
 * when nothing registers it.
 */
function registeredFor(model: ModuleModel, file: string, fn: string): EventRef[] | null {
  let found: EventRef[] | null = null;
  for (const g of model.facts.values()) {
    for (const l of g.roles?.listens ?? []) {
      const here = g.file === file && l.fn === fn;
      const imp = here ? undefined : g.imports.find((i) => i.locals.some((x) => x.local === l.fn && x.imported === fn));
      if (here || (imp && LOCAL_SOURCE.test(imp.source) && model.resolve(g.file, imp.source) === file)) found = [...(found ?? []), ...l.events];
    }
  }
  return found;
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
    // One in a named function only where it is registered as a listener on the connection, for the registration's events unless it names its own.
    const registrations = new Map<string, EventRef[] | null>();
    const listenerEvents = (fn: string): EventRef[] | null => {
      if (!registrations.has(fn)) registrations.set(fn, registeredFor(model, f.file, fn));
      return registrations.get(fn) ?? null;
    };
    const holds = (r: { map?: string; listener?: string }): boolean =>
      (r.map === undefined || dispatched(model, f.file, r.map)) && (r.listener === undefined || listenerEvents(r.listener) !== null);
    const eventsOf = <R extends { events: EventRef[]; listener?: string }>(r: R): R =>
      r.listener === undefined || r.events.length > 0 ? r : { ...r, events: listenerEvents(r.listener) ?? [] };
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
    for (const c of roles.checks.filter(holds).map(eventsOf))
      for (const t of targets(c.events, c.route, c.map ?? c.listener))
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
    for (const c of roles.calls.filter(holds).map(eventsOf)) {
      const p = predicateOf(model, f, c.fn);
      // `if (!isTeacher(ws)) return` refuses where the predicate returns false; an assertion refuses inside itself.
      if (!p || (c.kind === 'assert') !== (p.kind === 'asserts')) continue;
      for (const t of targets(c.events, c.route, c.map ?? c.listener))
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
