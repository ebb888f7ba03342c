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

export function roleCheckFacts(analyses: readonly FileAnalysis[], model: ModuleModel, servers: ReadonlySet<string>, known: readonly ModelFact[]): ModelFact[] {
  const out: ModelFact[] = [];
  /** Functions the model shows send to the sockets of an index (plan-facts.ts `broadcast-source`). */
  const senders = new Set(known.filter((k) => k.kind === 'broadcast-source').map((k) => k.name));
  for (const a of analyses) {
    const f = model.facts.get(a.file);
    const roles = f?.roles;
    if (!f || !roles || roles.checks.length + roles.calls.length + roles.sends.length === 0) continue;
    const handled = new Set(a.events.filter((e) => e.act === 'handle' && e.side === 'server').map((e) => e.name));
    const named = (events: EventRef[]): string[] =>
      events
        .map((e) => {
          if (e.name !== undefined) return e.name;
          const v = e.ref ? model.values.valueOf(f.file, e.ref) : null;
          return v?.kind === 'string' ? (v.str ?? null) : null;
        })
        .filter((n): n is string => n !== null && handled.has(n));
    /** One fact per event a check is about; a route's check where the file serves one. */
    const targets = (events: EventRef[], route: string | null): { name: string; route?: string }[] =>
      events.length > 0 ? named(events).map((name) => ({ name })) : route !== null && servers.has(a.file) ? [{ name: '', route }] : [];
    for (const c of roles.checks)
      for (const t of targets(c.events, c.route))
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
    for (const c of roles.sends) {
      if (c.fn !== null && !senders.has(c.fn) && !pickerOf(model, f, c.fn)) continue;
      const sent = a.events.find((e) => e.act === 'emit' && e.line === c.line)?.name ?? '';
      for (const t of targets(c.events, null))
        out.push({
          kind: 'scoped-send',
          ...t,
          value: c.scope,
          store: sent,
          evidence: ev(f.file, c.line),
          note: `The handler of \`${t.name}\` sends ${sent ? `\`${sent}\`` : 'its answer'} to the sockets picked by the sender's own \`${c.scope}\`.`,
        });
    }
    for (const c of roles.calls) {
      const p = predicateOf(model, f, c.fn);
      // `if (!isTeacher(ws)) return` refuses where the predicate returns false; an assertion refuses inside itself.
      if (!p || (c.kind === 'assert') !== (p.kind === 'asserts')) continue;
      for (const t of targets(c.events, c.route))
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
