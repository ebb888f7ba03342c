// Sends whose payload is the whole of a module-level collection: `ws.send(JSON.stringify({ type:
// 'state', builds: builds.all() }))` where `builds.all` returns `[...all.values()]` of the Map `all`.
// Such a message is a snapshot of every item, not a change to one: a client that gets it replaces
// what it holds, so there is no per-item order to keep and nothing to replay after a reconnect.
// Followed: the value written in the payload (`[...all.values()]`, `Object.values(all)`), a function
// of the same module returning it, and a method of an object the module defines or imports
// (`builds.all()` from `./builds.js`).
import type { ModelFact } from '../../types.js';
import type { ArgInfo } from '../code/ast.js';
import type { CallFact, FileFacts } from '../code/facts.js';
import type { ModuleModel } from './index.js';

/** The event name and the payload object a send carries: `x.send(JSON.stringify({ type, … }))` or `x.emit('e', { … })`. */
function sent(c: CallFact, f: FileFacts): { event: string; payload: ArgInfo } | null {
  if (c.method === 'emit' && c.args[0]?.kind === 'string' && c.args[0].str && c.args[1]?.kind === 'object') return { event: c.args[0].str, payload: c.args[1] };
  if (c.method !== 'send') return null;
  let arg = c.args[0];
  if (arg?.kind === 'ident') {
    const bound = f.vars.filter((v) => v.name === arg!.path);
    arg = bound.length === 1 ? bound[0]!.arg : undefined;
  }
  const obj = arg?.kind === 'call' && arg.path === 'JSON.stringify' ? arg.args?.[0] : undefined;
  const t = obj?.kind === 'object' ? obj.props?.type : undefined;
  return obj && t?.kind === 'string' && t.str ? { event: t.str, payload: obj } : null;
}

/** A module-level collection of data (not sockets or callbacks) defined in `f` under `name`. */
function dataCollection(f: FileFacts, name: string): { file: string; line: number } | null {
  const t = f.topLevel.find((x) => x.name === name && !x.holdsSockets && !x.holdsCallbacks && x.kind !== 'EventEmitter');
  return t ? { file: f.file, line: t.line } : null;
}

/** The module and the name a call's root refers to: its own, or the export an import brings (one level). */
function definedIn(model: ModuleModel, f: FileFacts, root: string): { file: FileFacts; name: string } | null {
  for (const imp of f.imports) {
    const local = imp.locals.find((l) => l.local === root);
    if (!local) continue;
    const target = model.resolve(f.file, imp.source);
    const g = target === null ? undefined : model.facts.get(target);
    return g ? { file: g, name: local.imported } : null;
  }
  return { file: f, name: root };
}

/** The collection a payload value is whole: written there, or returned by the function it calls (`builds.all()`, `list()`). */
function collectionOf(model: ModuleModel, f: FileFacts, value: ArgInfo): { name: string; file: string; line: number } | null {
  if (value.collection) {
    const at = dataCollection(f, value.collection);
    return at ? { name: value.collection, ...at } : null;
  }
  if (value.kind !== 'call' || !value.path || (value.args ?? []).length > 0) return null;
  const [root, ...rest] = value.path.split('.');
  if (!root || rest.length > 1) return null;
  const def = definedIn(model, f, root);
  const called = [def?.name, ...rest].join('.');
  const fn = def?.file.wholeFns?.find((x) => x.name === called);
  const at = def && fn ? dataCollection(def.file, fn.collection) : null;
  return fn && at ? { name: fn.collection, ...at } : null;
}

export function wholeCollectionSends(model: ModuleModel): ModelFact[] {
  const out: ModelFact[] = [];
  for (const f of model.facts.values())
    for (const c of f.calls) {
      const s = sent(c, f);
      if (!s) continue;
      for (const [field, value] of Object.entries(s.payload.props ?? {})) {
        const coll = collectionOf(model, f, value);
        if (!coll) continue;
        out.push({
          kind: 'whole-collection-send',
          name: s.event,
          value: field,
          store: coll.name,
          storeAt: `${coll.file}:${coll.line}`,
          evidence: `${f.file}:${c.line}`,
          ...(c.handler !== undefined && (c.listener === undefined || c.listener === c.handler) && !c.inLoop ? { onConnect: true as const } : {}),
          note: `\`${s.event}\` carries every item of \`${coll.name}\` (\`${coll.file}:${coll.line}\`) in \`${field}\`: each message is a snapshot of the whole collection, not a change to one item.`,
        });
      }
    }
  return out;
}
