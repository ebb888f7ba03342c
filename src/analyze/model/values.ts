// Constant folding across modules: what a name or member path is worth when the code fixes it.
// `EVENTS.JOIN` from a shared package's `as const` object, a TS enum member, a string constant
// re-exported through an index file, `${PREFIX}:join`, or an options object defined in one
// file and passed in another. Unknown stays unknown: only constants declared with `const`
// (or enums) at a module's top level are folded.
import type { ArgInfo } from '../code/ast.js';
import type { FileFacts } from '../code/facts.js';
import type { Resolve } from './resolve.js';

/** Hops through imports and re-exports before giving up (cycles end here too). */
const MAX_HOPS = 8;
// Functions are not folded: a middleware's name decides things (companions.ts) that its body must confirm.
const FOLDABLE = new Set(['string', 'number', 'bool', 'object', 'array']);

export class ValueTable {
  private readonly imports = new Map<string, Map<string, { source: string; imported: string }>>();

  /** File each constant's summary (and every node inside it) was read from. */
  private readonly origin = new WeakMap<ArgInfo, string>();

  constructor(
    private readonly files: ReadonlyMap<string, FileFacts>,
    private readonly resolve: Resolve,
  ) {
    const mark = (a: ArgInfo, file: string): void => {
      this.origin.set(a, file);
      for (const v of [...Object.values(a.props ?? {}), ...(a.items ?? []), ...(a.args ?? []), ...(a.exprs ?? [])]) mark(v, file);
    };
    for (const [file, f] of files) for (const c of f.module?.constants ?? []) mark(c.value, file);
  }

  private importsOf(file: string): Map<string, { source: string; imported: string }> {
    let m = this.imports.get(file);
    if (m) return m;
    m = new Map();
    for (const imp of this.files.get(file)?.imports ?? []) for (const l of imp.locals) m.set(l.local, { source: imp.source, imported: l.imported });
    this.imports.set(file, m);
    return m;
  }

  /** The module a constant's value (or a node inside it) was read from. */
  originOf(a: ArgInfo): string | null {
    return this.origin.get(a) ?? null;
  }

  /** The value of a dotted path (`EVENTS.JOIN`, `opts`) as seen from `file`, or null. */
  valueOf(file: string, dotted: string): ArgInfo | null {
    const [root, ...rest] = dotted.split('.');
    if (!root || dotted.includes('(') || dotted.includes('[')) return null;
    const base = this.local(file, root, 0);
    return base ? this.member(base, rest) : null;
  }

  private member(v: ArgInfo | NamespaceRef, rest: string[]): ArgInfo | null {
    let cur: ArgInfo | NamespaceRef | null = v;
    for (const [i, key] of rest.entries()) {
      if (cur === null) return null;
      if ('namespace' in cur) {
        const exp: ArgInfo | NamespaceRef | null = this.exported(cur.namespace, key, 0);
        cur = exp;
        continue;
      }
      cur = cur.kind === 'object' ? (cur.props?.[key] ?? null) : null;
      if (cur && i < rest.length - 1 && cur.kind !== 'object') return null;
    }
    return cur === null || 'namespace' in cur ? null : cur;
  }

  private local(file: string, name: string, hops: number): ArgInfo | NamespaceRef | null {
    if (hops > MAX_HOPS) return null;
    const c = this.files.get(file)?.module?.constants.find((x) => x.name === name);
    if (c) return this.folded(file, c.value, hops);
    const imp = this.importsOf(file).get(name);
    if (!imp) return null;
    const target = this.resolve(file, imp.source);
    if (target === null) return null;
    if (imp.imported === '*') return { namespace: target };
    return this.exported(target, imp.imported, hops + 1);
  }

  private exported(file: string, name: string, hops: number): ArgInfo | NamespaceRef | null {
    if (hops > MAX_HOPS) return null;
    const mod = this.files.get(file)?.module;
    if (!mod) return null;
    const local = mod.exportNames.find((e) => e.exported === name);
    if (local) return this.local(file, local.local, hops + 1);
    for (const r of mod.reexports) {
      const target = this.resolve(file, r.source);
      if (target === null) continue;
      if (r.names === null) {
        const v = this.exported(target, name, hops + 1);
        if (v) return v;
        continue;
      }
      const hit = r.names.find((n) => n.exported === name);
      if (hit) return hit.local === '*' ? { namespace: target } : this.exported(target, hit.local, hops + 1);
    }
    return null;
  }

  /** Fold a constant's own references: `const A = B`, `` `${P}:x` ``. */
  private folded(file: string, v: ArgInfo, hops: number): ArgInfo | null {
    if ((v.kind === 'ident' || v.kind === 'member') && v.path) {
      const [root, ...rest] = v.path.split('.');
      const base = root ? this.local(file, root, hops + 1) : null;
      return base ? this.member(base, rest) : null;
    }
    if (v.kind === 'template' && v.exprs) {
      const parts = v.exprs.map((e) => (e.kind === 'string' ? e : e.path ? this.valueOf(file, e.path) : null));
      if (parts.some((p) => p?.kind !== 'string')) return v;
      const chunks = (v.str ?? '').split('${}');
      return { kind: 'string', str: chunks.map((c, i) => c + (parts[i]?.str ?? '')).join(''), line: v.line };
    }
    return v;
  }

  /** Replace references inside summarised arguments by what they fold to (in place, returns it). */
  foldArg(file: string, a: ArgInfo, depth = 0): ArgInfo {
    if (depth > 4) return a;
    if ((a.kind === 'ident' || a.kind === 'member') && a.path && !a.path.startsWith('this.')) {
      const v = this.valueOf(file, a.path);
      // A value from another module is cited where it is used: its own lines belong to that module.
      if (v && FOLDABLE.has(v.kind))
        return { ...(this.origin.get(v) === file ? v : relined(v, a.line)), line: a.line, ...(a.payload ? { payload: a.payload } : {}), path: a.path };
      return a;
    }
    if (a.kind === 'template' && a.exprs) {
      const v = this.folded(file, a, 0);
      if (v && v.kind === 'string') return { ...v, ...(a.payload ? { payload: a.payload } : {}) };
    }
    if (a.props) for (const [k, v] of Object.entries(a.props)) a.props[k] = this.foldArg(file, v, depth + 1);
    if (a.items) a.items = a.items.map((x) => this.foldArg(file, x, depth + 1));
    if (a.args) a.args = a.args.map((x) => this.foldArg(file, x, depth + 1));
    return a;
  }

  /** Fold one file's call arguments and constant type cases. */
  foldFacts(facts: FileFacts): FileFacts {
    for (const c of facts.calls) {
      c.args = c.args.map((a) => this.foldArg(facts.file, a));
      for (const k of c.chain) if (k.arg) k.arg = this.foldArg(facts.file, k.arg);
    }
    for (const v of facts.vars) v.arg = this.foldArg(facts.file, v.arg);
    for (const k of facts.module?.classes ?? []) {
      for (const d of [...k.decorators, ...k.methods.flatMap((m) => m.decorators)]) d.args = d.args.map((a) => this.foldArg(facts.file, a));
      for (const m of k.methods) if (m.returnsEvent) m.returnsEvent.arg = this.foldArg(facts.file, m.returnsEvent.arg);
    }
    for (const r of facts.typeCaseRefs) {
      const v = this.valueOf(facts.file, r.ref);
      if (v?.kind === 'string' && v.str) facts.typeCases.push(r.fields ? { name: v.str, line: r.line, fields: r.fields } : { name: v.str, line: r.line });
    }
    facts.typeCaseRefs = [];
    // `handlers[msg.event]` over `const handlers = { 'note:join': fn, … }` (here or imported): each key is handled.
    for (const m of facts.dispatchMaps) {
      const v = this.valueOf(facts.file, m.name);
      // A handler's payload parameter (module-facts.ts) gives the case its fields, cited in the registry's module.
      const from = v ? this.origin.get(v) : undefined;
      for (const [key, fn] of Object.entries(v?.kind === 'object' ? (v.props ?? {}) : {})) {
        if (fn.kind !== 'function') continue;
        const fields = fn.payload?.fields.map((f) => (from && from !== facts.file ? { ...f, file: from } : f));
        facts.typeCases.push(fields?.length ? { name: key, line: m.line, fields } : { name: key, line: m.line });
      }
    }
    return facts;
  }
}

/** A deep copy with every line set to `line`. */
function relined(a: ArgInfo, line: number): ArgInfo {
  const out: ArgInfo = { ...a, line };
  if (a.props) out.props = Object.fromEntries(Object.entries(a.props).map(([k, v]) => [k, relined(v, line)]));
  if (a.items) out.items = a.items.map((x) => relined(x, line));
  if (a.args) out.args = a.args.map((x) => relined(x, line));
  return out;
}

interface NamespaceRef {
  namespace: string;
}
