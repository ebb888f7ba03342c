// Lookups over one file's facts shared by the detectors: which module a name comes from,
// which names hold sockets, and searches inside summarised arguments.
import type { ArgInfo } from './ast.js';
import { rootSegment } from './ast.js';
import type { CallFact, FileFacts } from './facts.js';

export interface FileContext {
  facts: FileFacts;
  file: string;
  /** local name → { module, imported name } */
  locals: Map<string, { source: string; imported: string }>;
  sources: Set<string>;
}

/** `@openai/agents/realtime` → `@openai/agents`, `ws/lib/x` → `ws`; node: builtins unchanged. */
export function packageName(source: string): string {
  if (source.startsWith('.') || source.startsWith('/')) return source;
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? source);
}

/** `shared`: locals bound to an SDK instance created in another module (model/instances.ts). */
export function fileContext(facts: FileFacts, shared?: ReadonlyMap<string, string>): FileContext {
  const locals = new Map<string, { source: string; imported: string }>();
  const sources = new Set<string>();
  for (const imp of facts.imports) {
    sources.add(packageName(imp.source));
    for (const l of imp.locals) locals.set(l.local, { source: packageName(imp.source), imported: l.imported });
  }
  for (const [local, pkg] of shared ?? []) {
    sources.add(pkg);
    locals.set(local, { source: pkg, imported: 'instance' });
  }
  return { facts, file: facts.file, locals, sources };
}

/** Module a callee path's root name was imported from (`new WebSocket.Server` → `ws`). */
export function moduleOf(ctx: FileContext, path: string): string | null {
  return ctx.locals.get(rootSegment(path))?.source ?? null;
}

export function importedName(ctx: FileContext, path: string): string | null {
  return ctx.locals.get(rootSegment(path))?.imported ?? null;
}

export function firstString(a: ArgInfo | undefined): string | null {
  return a && (a.kind === 'string' || a.kind === 'template') ? (a.str ?? null) : null;
}

/** The options object of a constructor/factory call: the first object argument. */
export function optionsArg(call: CallFact): ArgInfo | null {
  return call.args.find((a) => a.kind === 'object') ?? null;
}

/** Depth-first search for a property anywhere inside the summarised arguments. */
export function findProp(args: readonly ArgInfo[], key: string): ArgInfo | null {
  for (const a of args) {
    if (a.props) {
      const direct = a.props[key];
      if (direct) return direct;
      const nested = findProp(Object.values(a.props), key);
      if (nested) return nested;
    }
    if (a.items) {
      const r = findProp(a.items, key);
      if (r) return r;
    }
    if (a.args) {
      const r = findProp(a.args, key);
      if (r) return r;
    }
  }
  return null;
}

/** Every string (or template text) inside the summarised arguments. */
export function stringsIn(args: readonly ArgInfo[]): string[] {
  const out: string[] = [];
  const walk = (a: ArgInfo): void => {
    if (a.str !== undefined) out.push(a.str);
    for (const v of Object.values(a.props ?? {})) walk(v);
    for (const v of a.items ?? []) walk(v);
    for (const v of a.args ?? []) walk(v);
  };
  for (const a of args) walk(a);
  return out;
}

/** Receiver name of a method call, ignoring `this.`: `this.socket.emit` → `socket`. */
export function receiverOf(call: CallFact): string {
  const p = call.path.startsWith('this.') ? call.path.slice(5) : call.path;
  return rootSegment(p);
}
