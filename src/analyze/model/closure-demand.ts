// Which imports the value table can use: only a module that binds a name the importer's facts
// fold (call and decorator arguments, variables, template parts, type-case refs, its own
// constants) can change what folding finds. Following only those keeps the import closure to
// the modules that matter, so a candidate that imports half a vendored tree reads none of it.
import type { ArgInfo } from '../code/ast.js';
import type { FileFacts } from '../code/facts.js';
import { AUTH_FN } from './imported-auth.js';
import { MESSAGE_UNION } from './message-unions.js';

/** First segment of every dotted name the facts could fold. */
export function foldedRoots(f: FileFacts): Set<string> {
  const out = new Set<string>();
  const walk = (a: ArgInfo | undefined): void => {
    if (!a) return;
    if ((a.kind === 'ident' || a.kind === 'member') && a.path) out.add(a.path.split('.')[0] as string);
    for (const x of [...Object.values(a.props ?? {}), ...(a.items ?? []), ...(a.args ?? []), ...(a.exprs ?? [])]) walk(x);
  };
  // A payload typed by an imported declaration (`(n: Notification)`, `latestPrices(…)`): model/declared-types.ts reads it.
  const refs = (site: ArgInfo['payload']): void => {
    if (site?.ref) out.add(site.ref.name);
    for (const x of site?.fields ?? []) if (x.ref) out.add(x.ref.name);
  };
  for (const s of f.strings) refs(s.payload);
  // A declared type or typed function that names another type (`msg: JoinGame`, `type Board = Entry[]`) is followed through that import too.
  for (const t of f.module?.types ?? []) if (t.use.ref) out.add(t.use.ref.name);
  for (const fn of f.module?.fns ?? []) for (const u of [fn.returns, ...fn.params]) if (u?.ref) out.add(u.ref.name);
  for (const c of f.calls) {
    for (const a of c.args) refs(a.payload);
    // `await requireUser()`: an imported auth check is read for the cookie it checks (links.ts).
    if (c.path === c.method && AUTH_FN.test(c.method)) out.add(c.method);
    // What a route or connection handler calls (`bus.on`, `vote()`) may hold per-process state (plan-facts.ts).
    if (c.handler !== undefined) out.add(c.root);
    // What a 'message' listener awaits (`await runTool(…)`) may request a route of the server (rules/routes.ts).
    if (c.inMessage && c.path === c.method) out.add(c.root);
    c.args.forEach(walk);
    for (const k of c.chain) walk(k.arg ?? undefined);
  }
  // A function an effect calls (`startLive()`) may open a connection the effect never closes (rules/effect-cleanup.ts).
  for (const e of f.effects) for (const c of e.calls) if (c.path === c.method) out.add(c.root);
  for (const v of f.vars) walk(v.arg);
  // `const order = await updateStatus(…)` then `publish(…, { orderUpdated: order })`: the module that
  // makes what is sent is read for how it makes it (a change time set by the database, change-time.ts).
  const sent = new Set<string>();
  const names = (a: ArgInfo | undefined): void => {
    if (!a) return;
    if (a.kind === 'ident' && a.path) sent.add(a.path);
    for (const x of [...Object.values(a.props ?? {}), ...(a.items ?? []), ...(a.args ?? [])]) names(x);
  };
  for (const c of f.calls) c.args.forEach(names);
  for (const v of f.vars) {
    const callee = /^([\w$]+)\(\)$/.exec(v.init)?.[1];
    if (callee && sent.has(v.name)) out.add(callee);
  }
  for (const k of f.module?.classes ?? []) {
    for (const d of [...k.decorators, ...k.methods.flatMap((m) => m.decorators)]) d.args.forEach(walk);
    for (const m of k.methods) walk(m.returnsEvent?.arg);
  }
  for (const r of f.typeCaseRefs) out.add(r.ref.split('.')[0] as string);
  for (const c of f.module?.constants ?? []) walk(c.value);
  return out;
}

/** Sources of the imports worth reading for values, then every re-export (a barrel passes names on). */
export function demandedSources(f: FileFacts): string[] {
  const used = foldedRoots(f);
  // A message union (`import type { ServerFrame } from './types'`) states the payloads of the events the importer handles (message-unions.ts).
  const out = f.imports.filter((i) => i.locals.some((l) => used.has(l.local) || MESSAGE_UNION.test(l.imported))).map((i) => i.source);
  for (const r of f.module?.reexports ?? []) out.push(r.source);
  return out;
}
