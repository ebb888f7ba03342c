// What a server's handlers check of the connection itself before they act, by event, as facts
// with their lines (code/role-checks.ts reads them): `poll:open` runs only when `ws.role ===
// 'teacher'`, `subscribe` keeps only the symbols in `session.entitlements`. A guard function
// (`if (!isTeacher(ws)) return`) counts only when its body, in this module or the one it is
// imported from, shows the comparison: a name alone says nothing. Only events this file handles
// on the server side are named, so a client's own display logic is never read as a rule.
import type { Evidence, ModelFact } from '../../types.js';
import type { FileAnalysis } from '../code/scan.js';
import type { FileFacts } from '../code/facts.js';
import type { ArgInfo } from '../code/ast.js';
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

/** An argument of a decorator as written: `WsRolesGuard`, `AuthGuard('jwt')`, `'admin'`. */
function argText(a: ArgInfo): string {
  if (a.kind === 'string') return `'${a.str ?? ''}'`;
  if (a.kind === 'call' || a.kind === 'new') return `${a.kind === 'new' ? 'new ' : ''}${a.path ?? '…'}(${(a.args ?? []).map(argText).join(', ')})`;
  return a.path ?? a.str ?? '…';
}

/** The guard class `name` a module uses, read where it is declared: here or in the local module it is imported from; null when not read. */
function guardOf(
  model: ModuleModel,
  f: FileFacts,
  name: string,
): { file: string; read: boolean; line?: number; kind?: 'returns' | 'asserts'; test?: string } | null {
  const at = (g: FileFacts, n: string) => {
    const found = g.roles?.guards.find((x) => x.name === n);
    if (found) return { file: g.file, read: true, line: found.line, kind: found.kind, test: found.test };
    // Declared there with a canActivate rt-plan read, but no comparison of the client in it (a token verified, a service asked).
    const m = g.module?.classes.find((k) => k.name === n)?.methods.find((x) => x.name === 'canActivate');
    return m ? { file: g.file, read: true, line: m.line } : null;
  };
  const own = at(f, name);
  if (own) return own;
  const imp = f.imports.find((i) => i.locals.some((l) => l.local === name));
  const imported = imp?.locals.find((l) => l.local === name)?.imported;
  if (!imp || !imported || !LOCAL_SOURCE.test(imp.source)) return null;
  const file = model.resolve(f.file, imp.source);
  const target = file === null ? undefined : model.facts.get(file);
  return target ? at(target, imported) : null;
}

/**
 * A Nest gateway's `@SubscribeMessage` handlers and the guards in front of them: `@UseGuards(…)`
 * on the method or on the class (which applies to every handler), and `@Roles(…)` metadata
 * (docs.nestjs.com/websockets/guards, docs.nestjs.com/guards). A guard whose `canActivate` compares
 * the client is said with that comparison; one rt-plan cannot read is named "body not read"; one
 * it read that compares nothing of the client (a token verified) is authentication, said elsewhere.
 */
function nestGuards(model: ModuleModel, f: FileFacts, handled: ReadonlySet<string>): ModelFact[] {
  const out: ModelFact[] = [];
  for (const k of f.module?.classes ?? []) {
    if (!k.decorators.some((d) => d.name === 'WebSocketGateway')) continue;
    for (const m of k.methods) {
      const sub = m.decorators.find((d) => d.name === 'SubscribeMessage');
      const arg = sub?.args[0];
      const v = arg?.kind === 'string' ? arg.str : arg?.path ? model.values.valueOf(f.file, arg.path) : null;
      const name = typeof v === 'string' ? v : v?.kind === 'string' ? v.str : undefined;
      if (!sub || !name || !handled.has(name)) continue;
      const decorators = [...m.decorators, ...k.decorators];
      const roles = decorators.find((d) => d.name === 'Roles');
      const metadata = roles ? { decorator: `@Roles(${roles.args.map(argText).join(', ')})`, decoratorAt: ev(f.file, roles.line) } : {};
      let said = false;
      for (const d of decorators.filter((x) => x.name === 'UseGuards'))
        for (const a of d.args) {
          const text = argText(a);
          const g = a.kind === 'ident' && a.path ? guardOf(model, f, a.path) : null;
          // The role metadata goes with a guard that may read it: one that compares the client, or one rt-plan cannot read.
          const reads = !g?.read || g.test !== undefined;
          if (reads) said = true;
          out.push({
            kind: 'connection-check',
            name,
            value: text,
            store: 'guard',
            ...(g?.read ? { checkedAt: ev(g.file, g.line ?? 0) } : {}),
            ...(g?.test ? { condition: g.test, ...(g.kind === 'asserts' ? { items: 'refuses' } : {}) } : {}),
            ...(reads ? metadata : {}),
            evidence: ev(f.file, d.line),
            note: g?.test
              ? `The handler of \`${name}\` is guarded by \`${text}\`, which ${g.kind === 'asserts' ? 'refuses when' : 'returns'} \`${g.test}\` (${g.file}:${g.line}).`
              : g?.read
                ? `The handler of \`${name}\` is guarded by \`${text}\`, in whose \`canActivate\` (${g.file}:${g.line}) rt-plan reads no comparison of the client.`
                : `The handler of \`${name}\` is guarded by \`${text}\` (body not read).`,
          });
        }
      if (roles && !said)
        out.push({
          kind: 'connection-check',
          name,
          value: '',
          store: 'guard',
          ...metadata,
          evidence: ev(f.file, roles.line),
          note: `The handler of \`${name}\` carries \`${metadata.decorator}\`; rt-plan reads no guard on it that checks it.`,
        });
    }
  }
  return out;
}

/**
 * Guards registered for the whole app: `app.useGlobalGuards(new X())` and a module's
 * `{ provide: APP_GUARD, useClass: X }`. Neither is read as a check in front of a gateway's
 * `@SubscribeMessage` handlers: Nest builds a gateway's handlers with a guards context that has
 * no application config (packages/websockets/socket-module.ts: `new GuardsContextCreator(container)`,
 * whose global guards are then none), and its maintainers closed nestjs/nest#8060 (APP_GUARD) and
 * #1598 as by design, while docs.nestjs.com/websockets/guards says global guards apply to gateways.
 * So each is said with that conflict, where the app has a gateway, and no handler is named as behind it.
 */
function globalGuards(model: ModuleModel): ModelFact[] {
  const gateways = [...model.facts.values()].flatMap((f) =>
    (f.module?.classes ?? []).filter((k) => k.name !== null && k.decorators.some((d) => d.name === 'WebSocketGateway')).map((k) => k.name as string),
  );
  if (gateways.length === 0) return [];
  const names = [...new Set(gateways)].sort();
  const them = names.length === 1 ? `\`${names[0]}\`'s` : `the ${names.map((n) => `\`${n}\``).join(', ')}`;
  const say = (guard: string, how: string): string =>
    `\`${guard}\` is registered for the whole app (${how}). rt-plan does not count it as a check in front of ${them} \`@SubscribeMessage\` handlers: Nest's gateway code builds them without the app's global guards (https://github.com/nestjs/nest/issues/8060), although its WebSocket guards page says they apply to gateways; a test that sends a message without credentials tells which holds for this app.`;
  const out: ModelFact[] = [];
  for (const f of model.facts.values()) {
    for (const c of f.calls) {
      if (c.method !== 'useGlobalGuards' || !c.path.includes('.')) continue;
      for (const a of c.args) {
        const guard = a.kind === 'new' || a.kind === 'ident' ? (a.path ?? '') : '';
        if (guard)
          out.push({
            kind: 'global-guard',
            name: guard,
            value: 'useGlobalGuards',
            evidence: ev(f.file, a.line),
            note: say(guard, `\`${c.path}(${argText(a)})\``),
          });
      }
    }
    for (const k of f.module?.classes ?? []) {
      const mod = k.decorators.find((d) => d.name === 'Module');
      for (const p of mod?.args[0]?.props?.providers?.items ?? []) {
        const provide = p.kind === 'object' ? p.props?.provide : undefined;
        const use = p.props?.useClass ?? p.props?.useExisting;
        if (provide?.kind !== 'ident' || provide.path !== 'APP_GUARD' || use?.kind !== 'ident' || !use.path) continue;
        out.push({
          kind: 'global-guard',
          name: use.path,
          value: 'APP_GUARD',
          evidence: ev(f.file, p.line),
          note: say(use.path, `\`{ provide: APP_GUARD, ${use === p.props?.useClass ? 'useClass' : 'useExisting'}: ${use.path} }\``),
        });
      }
    }
  }
  return out;
}

export function roleCheckFacts(analyses: readonly FileAnalysis[], model: ModuleModel, servers: ReadonlySet<string>, known: readonly ModelFact[]): ModelFact[] {
  const out: ModelFact[] = [];
  /** Functions the model shows send to the sockets of an index (plan-facts.ts `broadcast-source`). */
  const senders = new Set(known.filter((k) => k.kind === 'broadcast-source').map((k) => k.name));
  // A handler map's events are handled where it is dispatched, often another module.
  const handledAnywhere = new Set(analyses.flatMap((a) => a.events.filter((e) => e.act === 'handle' && e.side === 'server').map((e) => e.name)));
  const byFile = new Map(analyses.map((a) => [a.file, a]));
  // A handshake refusal (`io.use`) applies to every event the server's namespace handles: said only where one module constructs the Socket.IO server(s).
  const sioFiles = [...model.facts.values()].filter((f) => (f.roles?.servers ?? 0) > 0);
  if (sioFiles.length === 1) {
    const f = sioFiles[0] as FileFacts;
    // Inline middlewares, and named ones (`io.use(authMiddleware)`) read where they are declared: here or in the local module imported.
    const named = (f.roles?.uses ?? []).flatMap((u) => {
      const own = (f.roles?.connects ?? []).filter((c) => c.fn === u.fn).map((c) => ({ ...c, file: f.file, namespace: u.namespace }));
      const imp = f.imports.find((i) => i.locals.some((l) => l.local === u.fn));
      const imported = imp?.locals.find((l) => l.local === u.fn)?.imported;
      const file = imp && imported && LOCAL_SOURCE.test(imp.source) ? model.resolve(f.file, imp.source) : null;
      const target = file === null ? undefined : model.facts.get(file);
      const there = (target?.roles?.connects ?? []).filter((c) => c.fn === imported).map((c) => ({ ...c, file: target!.file, namespace: u.namespace }));
      return [...own, ...there];
    });
    const inline = (f.roles?.connects ?? []).filter((c) => c.fn === undefined).map((c) => ({ ...c, file: f.file }));
    for (const c of [...inline, ...named]) {
      const events = [
        ...new Set(
          analyses.flatMap((a) =>
            a.events
              .filter((e) => e.act === 'handle' && e.side === 'server' && e.transport === 'socket.io' && (e.namespace ?? '/') === c.namespace)
              .map((e) => e.name),
          ),
        ),
      ];
      for (const name of events)
        out.push({
          kind: 'connection-check',
          name,
          value: c.test,
          store: 'connect',
          evidence: ev(c.file, c.line),
          note: `A connection reaches the handler of \`${name}\` only past the handshake middleware, which refuses it when \`${c.test}\`.`,
        });
    }
  }
  out.push(...globalGuards(model));
  // Every module read, candidates and the modules they import: a handler map may sit in a module with no socket code of its own.
  for (const f of model.facts.values()) {
    const a = byFile.get(f.file);
    out.push(...nestGuards(model, f, new Set((a?.events ?? []).filter((e) => e.act === 'handle' && e.side === 'server').map((e) => e.name))));
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
