// The function tools a voice session declares to its provider, each at the line of its name:
// OpenAI Realtime's `session.tools` (`session.update`, or the client-secret call's session) holds
// `{ type: 'function', name, description, parameters }` objects; Gemini Live's `tools` holds
// `{ functionDeclarations: [{ name, description, parameters }] }`. The array may be written
// inline or be a constant of another module (`tools: TOOLS`), folded by the value table.
// Only files that talk to a voice provider are read, and only a `tools` property of a call's
// argument: a lone constant nobody sends is not a declaration. Arguments are summarised to a
// bounded depth, so declarations nested deeper inline than that are not read; the plan then
// lists no tools and keeps approval for every call.
// https://platform.openai.com/docs/api-reference/realtime-client-events/session/update
// https://ai.google.dev/gemini-api/docs/live-tools
import type { ModelFact } from '../../types.js';
import type { ArgInfo } from '../code/ast.js';
import type { FileAnalysis } from '../code/scan.js';
import type { ModuleModel } from './index.js';
import { PROVIDER_PROTOCOLS } from './provider-protocols.js';

const MAX_DEPTH = 8;

/** A node's value: itself, or the constant an identifier or member path names. */
/**
 * A node's value: itself, or the constant an identifier or member path names. A reference the
 * value table already folded into a call's argument keeps its `path` but carries the line of the
 * use; it is looked up again so the declaration is cited in the module that writes it.
 */
function valueAt(model: ModuleModel, file: string, a: ArgInfo): { value: ArgInfo; file: string } | null {
  const ref = a.kind === 'ident' || a.kind === 'member' || ((a.kind === 'array' || a.kind === 'object') && a.path);
  if (!ref) return { value: a, file };
  const v = a.path && !a.path.startsWith('this.') ? model.values.valueOf(file, a.path) : null;
  if (v) return { value: v, file: model.values.originOf(v) ?? file };
  return a.kind === 'array' || a.kind === 'object' ? { value: a, file } : null;
}

interface Declared {
  name: string;
  description: string | null;
  /** The keys of `parameters.properties`, when written as an object literal. */
  params: string[] | null;
  file: string;
  line: number;
}

/** One declaration object: `{ name: 'x', description: '…' }` with a string name. */
function declaration(o: ArgInfo, file: string): Declared | null {
  const name = o.props?.name;
  if (o.kind !== 'object' || name?.kind !== 'string' || !name.str) return null;
  const d = o.props?.description;
  const props = o.props?.parameters?.props?.properties;
  const params = props?.kind === 'object' ? Object.keys(props.props ?? {}) : null;
  return { name: name.str, description: d?.kind === 'string' && d.str ? d.str : null, params, file, line: name.line };
}

/** The tools an array under `tools` declares, in either provider's shape. */
function declaredIn(model: ModuleModel, file: string, tools: ArgInfo): Declared[] {
  const at = valueAt(model, file, tools);
  if (!at || at.value.kind !== 'array') return [];
  const out: Declared[] = [];
  for (const raw of at.value.items ?? []) {
    const item = valueAt(model, at.file, raw);
    if (!item || item.value.kind !== 'object') continue;
    const props = item.value.props ?? {};
    // OpenAI: `{ type: 'function', name, … }`. Gemini: `{ functionDeclarations: [...] }`.
    if (props.type?.kind === 'string' && props.type.str === 'function') {
      const d = declaration(item.value, item.file);
      if (d) out.push(d);
    }
    const fds = props.functionDeclarations ? valueAt(model, item.file, props.functionDeclarations) : null;
    if (fds?.value.kind === 'array')
      for (const x of fds.value.items ?? []) {
        const v = valueAt(model, fds.file, x);
        const d = v ? declaration(v.value, v.file) : null;
        if (d) out.push(d);
      }
  }
  return out;
}

function walk(a: ArgInfo, depth: number, visit: (key: string, v: ArgInfo) => void): void {
  if (depth > MAX_DEPTH) return;
  for (const [key, v] of Object.entries(a.props ?? {})) {
    visit(key, v);
    walk(v, depth + 1, visit);
  }
  for (const v of [...(a.items ?? []), ...(a.args ?? [])]) walk(v, depth + 1, visit);
}

/** The declared tools of the files that talk to a voice provider, once each (by file and line). */
export function voiceTools(analyses: readonly FileAnalysis[], model: ModuleModel): ModelFact[] {
  const found = new Map<string, Declared>();
  for (const a of analyses) {
    if (!PROVIDER_PROTOCOLS.some((p) => p.speaks(a))) continue;
    for (const c of a.ctx.facts.calls)
      for (const arg of c.args) {
        const roots = [arg, ...(arg.kind === 'ident' || arg.kind === 'member' ? [valueAt(model, a.file, arg)?.value].filter((x) => x !== undefined) : [])];
        for (const root of roots)
          walk(root, 0, (key, v) => {
            if (key !== 'tools') return;
            for (const d of declaredIn(model, model.values.originOf(v) ?? a.file, v)) found.set(`${d.file}:${d.line}`, d);
          });
      }
  }
  return [...found.values()].map((d) => ({
    kind: 'tool-declaration' as const,
    name: d.name,
    evidence: `${d.file}:${d.line}`,
    ...(d.description ? { value: d.description } : {}),
    ...(d.params ? { params: d.params } : {}),
    note: `\`${d.name}\` is a function tool the voice model may call${d.description ? `, described as "${d.description}"` : ''}.`,
  }));
}
