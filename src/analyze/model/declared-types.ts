// Payloads typed by a declaration in another module: a handler's `(q: QuestionStart)` or an SSE
// writer's `(n: Notification)` whose interface sits in a shared package, an emitted
// `LeaderboardEntry[]`, a value a typed function returns (`latestPrices(symbols)`). The name is
// followed through the file's imports, re-exports and type aliases (the module resolution of
// resolve.ts); the payload's fields are then cited where the declaration lists them. A name that
// does not resolve, or resolves to something other than a declared shape, leaves the site as it
// was: the payload stays "not shown".
import type { RawEvent } from '../code/events.js';
import type { FileFacts } from '../code/facts.js';
import type { PayloadRef, PayloadSite, SiteField, TypeUse } from '../code/payloads.js';
import type { Resolve } from './resolve.js';

const MAX_HOPS = 8;

/** What a reference resolves to: the declaration's own fields (cited in its file), or its type text. */
export interface ResolvedType {
  /** The declared type's name when the value is one (`QuestionStart`); absent for a function's inline return type. */
  name?: string;
  file: string;
  line: number;
  /** Object members, each cited in `file`. */
  site: PayloadSite | null;
  text: string;
  array: boolean;
}

export class DeclaredTypes {
  constructor(
    private readonly files: ReadonlyMap<string, FileFacts>,
    private readonly resolve: Resolve,
  ) {}

  /** Resolve a reference made in `file`. */
  of(file: string, ref: PayloadRef): ResolvedType | null {
    const found = this.local(file, ref.name, ref.returns || ref.param !== undefined ? 'fn' : 'type', 0, ref.param);
    if (!found) return null;
    // A parameter's or return type's own name comes from the TypeUse's reference (`msg: JoinGame`).
    const out = this.use(found.file, found.use, ref.returns || ref.param !== undefined ? undefined : ref.name, 0);
    if (!out) return null;
    if (ref.array && out.array) return null;
    return ref.array ? { ...out, array: true } : out;
  }

  /** A TypeUse in `file`: an object's members, another reference followed, or a plain type text. */
  private use(file: string, use: TypeUse, name: string | undefined, hops: number): ResolvedType | null {
    if (use.site && use.site.fields.length > 0) {
      const fields = use.site.fields.map((f) => ({ ...f, file }));
      return { ...(name ? { name } : {}), file, line: use.line, site: { ...use.site, fields }, text: use.text, array: false };
    }
    if (use.ref && hops < MAX_HOPS) {
      const next = this.local(file, use.ref.name, 'type', hops + 1);
      const inner = next ? this.use(next.file, next.use, use.ref.name, hops + 1) : null;
      if (!inner || (use.ref.array && inner.array)) return null;
      return use.ref.array ? { ...inner, array: true } : inner;
    }
    return use.text !== 'unknown' && use.text !== 'Record<string, unknown>' ? { file, line: use.line, site: null, text: use.text, array: false } : null;
  }

  /** A function's declared return type, or its parameter `param`'s type. */
  private fnUse(fn: { returns: TypeUse | null; params: (TypeUse | null)[] } | undefined, param: number | undefined): TypeUse | undefined {
    return (param === undefined ? fn?.returns : fn?.params[param]) ?? undefined;
  }

  private local(file: string, name: string, kind: 'type' | 'fn', hops: number, param?: number): { file: string; use: TypeUse } | null {
    if (hops > MAX_HOPS) return null;
    const f = this.files.get(file);
    const own =
      kind === 'type'
        ? f?.module?.types?.find((t) => t.name === name)?.use
        : this.fnUse(
            f?.module?.fns?.find((t) => t.name === name),
            param,
          );
    if (own) return { file, use: own };
    for (const imp of f?.imports ?? [])
      for (const l of imp.locals) {
        if (l.local !== name || l.imported === '*') continue;
        const target = this.resolve(file, imp.source);
        return target === null ? null : this.exported(target, l.imported, kind, hops + 1, param);
      }
    return null;
  }

  private exported(file: string, name: string, kind: 'type' | 'fn', hops: number, param?: number): { file: string; use: TypeUse } | null {
    if (hops > MAX_HOPS) return null;
    const mod = this.files.get(file)?.module;
    if (!mod) return null;
    const own =
      kind === 'type'
        ? mod.types?.find((t) => t.name === name && t.exported)?.use
        : this.fnUse(
            mod.fns?.find((t) => t.name === name && t.exported),
            param,
          );
    if (own) return { file, use: own };
    const renamed = mod.exportNames.find((e) => e.exported === name);
    if (renamed) return this.local(file, renamed.local, kind, hops + 1, param);
    for (const r of mod.reexports) {
      const target = this.resolve(file, r.source);
      if (target === null) continue;
      if (r.names === null) {
        const hit = this.exported(target, name, kind, hops + 1, param);
        if (hit) return hit;
        continue;
      }
      const n = r.names.find((x) => x.exported === name && x.local !== '*');
      if (n) return this.exported(target, n.local, kind, hops + 1, param);
    }
    return null;
  }
}

/** `{ nickname: string; score: number }`: an object type's members inline, for an array or a nested value. */
export function inlineType(r: ResolvedType): string {
  const base =
    r.site?.complete && r.site.fields.length > 0 ? `{ ${r.site.fields.map((f) => `${f.name}${f.optional ? '?' : ''}: ${f.type}`).join('; ')} }` : r.text;
  return r.array ? (/^[\w.]+$|^\{/.test(base) ? `${base}[]` : `(${base})[]`) : base;
}

function resolvedField(f: SiteField, file: string, types: DeclaredTypes): SiteField {
  if (!f.ref) return f;
  const { ref, ...rest } = f;
  const r = types.of(file, ref);
  if (!r) return rest;
  const nested = !r.array && r.site?.complete && r.site.fields.length > 0 ? { nested: r.site.fields } : {};
  return { ...rest, type: r.array || !r.site ? inlineType(r) : 'Record<string, unknown>', ...nested };
}

/** The site with its references resolved: the declared type's fields, a bare array, or a field typed by it. */
export function resolvedSite(site: PayloadSite, file: string, types: DeclaredTypes): PayloadSite {
  const fields = site.fields.some((f) => f.ref) ? site.fields.map((f) => resolvedField(f, file, types)) : site.fields;
  if (!site.ref) return fields === site.fields ? site : { ...site, fields };
  const { ref, ...rest } = site;
  const r = types.of(file, ref);
  if (!r) return { ...rest, fields };
  const declared = r.name ? { declared: { name: r.name, file: r.file, line: r.line } } : {};
  // An array, or a plain type (`type Id = string`): one value, not an object.
  if (r.array || !r.site) return { fields: [], complete: true, bare: { type: inlineType(r), line: r.line, file: r.file }, ...(r.array ? {} : declared) };
  return { fields: r.site.fields, complete: r.site.complete, ...declared };
}

/** Raw events with every payload reference resolved against the module model. */
export function withDeclaredTypes(raw: readonly RawEvent[], files: ReadonlyMap<string, FileFacts>, resolve: Resolve): RawEvent[] {
  const types = new DeclaredTypes(files, resolve);
  return raw.map((e) => {
    const p = e.payload;
    if (!p || (!p.ref && !p.fields.some((f) => f.ref))) return e;
    return { ...e, payload: resolvedSite(p, e.file, types) };
  });
}
