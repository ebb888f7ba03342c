// A zod schema of the project's messages, read as a declared message union: `z.discriminatedUnion(
// 'type', [z.object({ type: z.literal('subscribe'), payload: z.object({ symbols: z.array(z.string()) }) }),
// …])` (or `z.union([...])` of such objects) states each message's fields and their types, as a TS
// union of `{ type: '…'; … }` does (message-unions.ts). A `type` named by a member of a same-file
// `as const` object (`z.literal(MessageType.Subscribe)`) is that member's string. Only shapes zod
// fixes are typed (string, number, boolean, literals, arrays and objects of them); anything else is
// 'unknown', and a member whose `type` cannot be read leaves the whole schema unread.
import type { AstNode, LineIndex } from '../code/ast.js';
import { pathOf, propKey } from '../code/ast.js';
import type { SiteField } from '../code/payloads.js';
import type { MessageUnionFact } from './module-facts.js';

/** `z.string().max(12)` → the base call `z.string()` and whether `.optional()`/`.nullish()` was chained. */
function base(n: AstNode, zod: string): { call: AstNode; optional: boolean } | null {
  let cur = n;
  let optional = false;
  while (cur?.type === 'CallExpression' && cur.callee?.type === 'MemberExpression') {
    const obj = cur.callee.object;
    if (obj?.type === 'Identifier' && obj.name === zod) return { call: cur, optional };
    const m = cur.callee.property?.name as string | undefined;
    if (m === 'optional' || m === 'nullish') optional = true;
    cur = obj;
  }
  return null;
}

const SCALARS: Record<string, string> = { string: 'string', number: 'number', boolean: 'boolean', bigint: 'bigint', date: 'Date' };

interface Shape {
  type: string;
  nested?: SiteField[];
}

function shapeOf(n: AstNode, zod: string, lines: LineIndex, consts: ReadonlyMap<string, string>): Shape {
  const b = base(n, zod);
  const kind = b?.call.callee.property?.name as string | undefined;
  const args = (b?.call.arguments ?? []) as AstNode[];
  if (!b || !kind) return { type: 'unknown' };
  if (SCALARS[kind]) return { type: SCALARS[kind]! };
  if (kind === 'literal') {
    const v = literalOf(args[0], consts);
    return { type: v === null ? 'unknown' : `'${v}'` };
  }
  if (kind === 'array' && args[0]) {
    const item = shapeOf(args[0], zod, lines, consts);
    return { type: item.nested ? 'Record<string, unknown>[]' : `${/\|/.test(item.type) ? `(${item.type})` : item.type}[]` };
  }
  if (kind === 'object' && args[0]?.type === 'ObjectExpression') {
    const fields = objectFields(args[0], zod, lines, consts);
    return fields ? { type: 'Record<string, unknown>', nested: fields } : { type: 'Record<string, unknown>' };
  }
  return { type: 'unknown' };
}

function objectFields(obj: AstNode, zod: string, lines: LineIndex, consts: ReadonlyMap<string, string>): SiteField[] | null {
  const out: SiteField[] = [];
  for (const p of obj.properties as AstNode[]) {
    const key = p.type === 'Property' ? propKey(p) : null;
    if (!key) return null;
    const s = shapeOf(p.value, zod, lines, consts);
    const optional = base(p.value, zod)?.optional ?? false;
    out.push({ name: key, type: s.type, optional, line: lines.line(p.start), ...(s.nested ? { nested: s.nested } : {}) });
  }
  return out;
}

function literalOf(n: AstNode, consts: ReadonlyMap<string, string>): string | null {
  if (n?.type === 'Literal' && typeof n.value === 'string') return n.value;
  const path = pathOf(n);
  return path ? (consts.get(path) ?? null) : null;
}

/** `const MessageType = { Subscribe: 'subscribe', … } as const` → `MessageType.Subscribe` → 'subscribe'. */
function constMembers(program: AstNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of program.body as AstNode[]) {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (d?.type !== 'VariableDeclaration' || d.kind !== 'const') continue;
    for (const v of d.declarations as AstNode[]) {
      let init = v.init;
      while (init?.type === 'TSAsExpression' || init?.type === 'TSSatisfiesExpression') init = init.expression;
      if (v.id?.type !== 'Identifier' || init?.type !== 'ObjectExpression') continue;
      for (const p of init.properties as AstNode[]) {
        const k = p.type === 'Property' ? propKey(p) : null;
        if (k && p.value?.type === 'Literal' && typeof p.value.value === 'string') out.set(`${v.id.name}.${k}`, p.value.value);
      }
    }
  }
  return out;
}

/** The name the file imports zod's `z` as (`import { z } from 'zod'`, `import * as z from 'zod'`), if it does. */
function zodName(program: AstNode): string | null {
  for (const s of program.body as AstNode[]) {
    if (s.type !== 'ImportDeclaration' || s.source?.value !== 'zod') continue;
    for (const sp of s.specifiers as AstNode[]) {
      if (sp.type === 'ImportNamespaceSpecifier' || sp.type === 'ImportDefaultSpecifier') return sp.local.name as string;
      if (sp.type === 'ImportSpecifier' && (sp.imported?.name === 'z' || sp.imported?.value === 'z')) return sp.local.name as string;
    }
  }
  return null;
}

/** Top-level `const x = z.discriminatedUnion('type', [...])` / `z.union([...])` of message objects. */
export function zodMessageUnions(program: AstNode, lines: LineIndex): MessageUnionFact[] {
  const zod = zodName(program);
  if (!zod) return [];
  const consts = constMembers(program);
  const out: MessageUnionFact[] = [];
  for (const s of program.body as AstNode[]) {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (d?.type !== 'VariableDeclaration') continue;
    for (const v of d.declarations as AstNode[]) {
      const b = v.init ? base(v.init, zod) : null;
      const kind = b?.call.callee.property?.name as string | undefined;
      const args = (b?.call.arguments ?? []) as AstNode[];
      const list = kind === 'discriminatedUnion' && args[0]?.type === 'Literal' && args[0].value === 'type' ? args[1] : kind === 'union' ? args[0] : null;
      if (v.id?.type !== 'Identifier' || list?.type !== 'ArrayExpression') continue;
      const members: MessageUnionFact['members'] = [];
      for (const m of list.elements as AstNode[]) {
        const mb = base(m, zod);
        const obj = mb?.call.callee.property?.name === 'object' ? (mb.call.arguments as AstNode[])[0] : null;
        const fields = obj?.type === 'ObjectExpression' ? objectFields(obj, zod, lines, consts) : null;
        const type = fields?.find((f) => f.name === 'type')?.type;
        if (!fields || !type || !/^'[^']+'$/.test(type)) {
          members.length = 0;
          break;
        }
        members.push({ type: type.slice(1, -1), line: lines.line(m.start), site: { fields: fields.filter((f) => f.name !== 'type'), complete: true } });
      }
      if (members.length >= 2) out.push({ name: v.id.name as string, line: lines.line(v.start), members });
    }
  }
  return out;
}
