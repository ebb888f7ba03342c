// What a module offers other modules: its top-level constants (strings, `as const` objects,
// frozen objects, TS enums, options objects), what it re-exports, and its decorated or
// framework-shaped classes. Read once per file from the top-level statements only, so it costs
// one pass over the program's body, not a walk of every node.
import type { ClassBody, Declaration, Decorator, Expression, ModuleExportName, Program, Statement, TSEnumDeclaration, VariableDeclaration } from 'oxc-parser';
import { type ArgInfo, type AstNode, type LineIndex, pathOf, propKey, summarize, unwrap } from '../code/ast.js';
import { zodMessageUnions } from './zod-unions.js';
import { type PayloadSite, type TypeDecls, type TypeUse, declUse, paramSite, typeDecls, typeSite, typeUse } from '../code/payloads.js';

export interface ConstantFact {
  name: string;
  value: ArgInfo;
  line: number;
}

/** `export { a as b } from './x'` (names) or `export * from './x'` (names null). */
export interface ReexportFact {
  source: string;
  names: { local: string; exported: string }[] | null;
}

export interface DecoratorFact {
  name: string;
  args: ArgInfo[];
  line: number;
}

export interface ClassFact {
  name: string | null;
  line: number;
  superClass: string | null;
  decorators: DecoratorFact[];
  /**
   * `body`: what a `@MessageBody()` parameter's TS type says of the payload (NestJS).
   * `returnsEvent`: the method returns an object with `event` and `data` (Nest's `WsResponse`):
   * the `event` value as written and the return's line.
   */
  methods: { name: string; line: number; decorators: DecoratorFact[]; params: string[]; body?: PayloadSite; returnsEvent?: { arg: ArgInfo; line: number } }[];
}

/**
 * A union of message shapes told apart by a string-literal `type` member
 * (`type ServerFrame = { type: 'chat.new'; id: string } | { type: 'typing'; name: string }`):
 * each member is the full, closed shape of the message of that `type`.
 */
export interface MessageUnionFact {
  name: string;
  line: number;
  members: { type: string; line: number; site: PayloadSite }[];
}

export interface ModuleFacts {
  constants: ConstantFact[];
  /** Message unions declared at the top level (see MessageUnionFact). */
  messageUnions?: MessageUnionFact[];
  /** Local name → exported name, for `export { a as b }` and `export const`. */
  exportNames: { local: string; exported: string }[];
  reexports: ReexportFact[];
  classes: ClassFact[];
  /**
   * Top-level functions that only return a template (`const roomFor = (id) => \`ticket:${id}\``,
   * `function roomFor(id) { return \`ticket:${id}\` }`): a call to one is that template.
   */
  templateFns?: { name: string; params: string[]; value: ArgInfo; line: number }[];
  /** Top-level interfaces and type aliases: what each states, for payloads typed with them elsewhere (model/declared-types.ts). */
  types?: { name: string; exported: boolean; use: TypeUse }[];
  /**
   * Top-level functions with a declared return type or typed parameters: a call's value in
   * another module is typed by the first, a value handed to one by the second.
   */
  fns?: { name: string; exported: boolean; returns: TypeUse | null; params: (TypeUse | null)[] }[];
}

const NO_CONSTS: ReadonlyMap<string, number> = new Map();

function nameOf(n: ModuleExportName): string {
  return n.type === 'Literal' ? String(n.value) : n.name;
}

function decoratorsOf(list: Decorator[] | undefined, lines: LineIndex): DecoratorFact[] {
  return (list ?? []).flatMap((d) => {
    const e = d.expression;
    const callee = e.type === 'CallExpression' ? e.callee : e;
    const name = pathOf(callee);
    if (name === null) return [];
    const args = e.type === 'CallExpression' ? e.arguments.map((a) => summarize(a, lines, NO_CONSTS)) : [];
    return [{ name, args, line: lines.line(d.start) }];
  });
}

function enumValue(d: TSEnumDeclaration, lines: LineIndex): ArgInfo {
  const props: Record<string, ArgInfo> = {};
  let next = 0;
  for (const m of d.body.members) {
    const key = m.id.type === 'Identifier' ? m.id.name : m.id.type === 'Literal' ? String(m.id.value) : null;
    if (key === null) continue;
    const line = lines.line(m.start);
    const init = m.initializer;
    if (init?.type === 'Literal' && typeof init.value === 'string') props[key] = { kind: 'string', str: init.value, line };
    else if (init?.type === 'Literal' && typeof init.value === 'number') props[key] = { kind: 'number', num: (next = init.value + 1) - 1, line };
    else if (init === null) props[key] = { kind: 'number', num: next++, line };
    else props[key] = summarize(init, lines, NO_CONSTS);
  }
  return { kind: 'object', props, line: lines.line(d.start) };
}

/** The parameter of a registry handler that carries the message's payload, by its name. */
const PAYLOAD_PARAM = /^(data|payload|body|msg|message|input|params|args)$/;

/**
 * A handler registry (`const handlers: Record<string, Handler> = { 'note:edit': (ws, user, data: { … }) => … }`):
 * each handler's payload parameter says what that message carries, through its declared type or
 * destructuring (payloads.ts); a registry dispatch (`handlers[msg.event]`) folds it into the case.
 */
function registryPayloads(obj: AstNode, value: ArgInfo, lines: LineIndex, decls: TypeDecls): void {
  for (const p of (obj?.properties ?? []) as AstNode[]) {
    const key = p.type === 'Property' ? propKey(p) : null;
    const fn = unwrap(p.value);
    const info = key === null ? undefined : value.props?.[key];
    if (!info || info.kind !== 'function' || (fn?.type !== 'ArrowFunctionExpression' && fn?.type !== 'FunctionExpression')) continue;
    const params = fn.params as AstNode[];
    const named = params.find((x) => PAYLOAD_PARAM.test((x.type === 'AssignmentPattern' ? x.left : x)?.name ?? ''));
    const site = paramSite(named ?? (params.length === 1 ? params[0] : undefined), lines, decls);
    if (site) info.payload = site;
  }
}

/** `Object.freeze({ … })` folds to its object; everything else is summarised as written. */
function constValue(init: Expression, lines: LineIndex, decls: TypeDecls): ArgInfo {
  const node = init.type === 'CallExpression' && pathOf(init.callee) === 'Object.freeze' && init.arguments[0] ? init.arguments[0] : init;
  const value = summarize(node, lines, NO_CONSTS, 4);
  if (value.kind === 'object') registryPayloads(unwrap(node), value, lines, decls);
  return value;
}

/** The first `return { event, data }` of a method body, outside nested functions. */
function eventReturn(n: AstNode, lines: LineIndex): { arg: ArgInfo; line: number } | null {
  if (!n || typeof n !== 'object') return null;
  if (Array.isArray(n)) {
    for (const c of n) {
      const hit = eventReturn(c, lines);
      if (hit) return hit;
    }
    return null;
  }
  if (typeof n.type !== 'string' || /Function/.test(n.type) || n.type === 'ClassBody') return null;
  if (n.type === 'ReturnStatement') {
    const r = n.argument ? unwrap(n.argument) : null;
    if (r?.type !== 'ObjectExpression') return null;
    const props = (r.properties as AstNode[]).filter((p) => p.type === 'Property');
    const event = props.find((p) => propKey(p) === 'event');
    if (!event || !props.some((p) => propKey(p) === 'data')) return null;
    return { arg: summarize(event.value, lines, NO_CONSTS), line: lines.line(n.start) };
  }
  for (const k of Object.keys(n)) {
    if (k === 'type' || k === 'start' || k === 'end' || k === 'loc' || k === 'range' || k.startsWith('__')) continue;
    const v = n[k];
    if (v && typeof v === 'object') {
      const hit = eventReturn(v, lines);
      if (hit) return hit;
    }
  }
  return null;
}

function classFact(
  node: { id?: { name: string } | null; superClass?: Expression | null; decorators?: Decorator[]; body: ClassBody; start: number },
  lines: LineIndex,
  decls: TypeDecls = new Map(),
): ClassFact {
  const methods: ClassFact['methods'] = [];
  for (const m of node.body.body) {
    if (m.type !== 'MethodDefinition' && m.type !== 'PropertyDefinition') continue;
    const name = m.key.type === 'Identifier' ? m.key.name : m.key.type === 'Literal' ? String(m.key.value) : null;
    if (name === null) continue;
    const fn = m.type === 'MethodDefinition' ? m.value : null;
    const params = (fn?.params ?? []).map((p) => {
      const inner = p.type === 'TSParameterProperty' ? p.parameter : p;
      return inner.type === 'Identifier' ? inner.name : '';
    });
    const body = fn ? messageBody(fn.params as AstNode[], lines, decls) : null;
    const returnsEvent = fn?.body ? eventReturn(fn.body as AstNode, lines) : null;
    methods.push({
      name,
      line: lines.line(m.key.start),
      decorators: decoratorsOf(m.decorators, lines),
      params,
      ...(body ? { body } : {}),
      ...(returnsEvent ? { returnsEvent } : {}),
    });
  }
  return {
    name: node.id?.name ?? null,
    line: lines.line(node.start),
    superClass: node.superClass ? pathOf(node.superClass) : null,
    decorators: decoratorsOf(node.decorators, lines),
    methods,
  };
}

/**
 * A NestJS handler's `@MessageBody()` parameter: its TS type is the payload, an object type's
 * members, or one bare value for a primitive (`@MessageBody() ticketId: string`).
 */
function messageBody(params: AstNode[], lines: LineIndex, decls: TypeDecls): PayloadSite | null {
  for (const raw of params) {
    const p = raw?.type === 'TSParameterProperty' ? raw.parameter : raw;
    const decorated = ((raw?.decorators ?? p?.decorators ?? []) as AstNode[]).some((d) => pathOf(d.expression?.callee ?? d.expression) === 'MessageBody');
    if (!decorated || p?.type !== 'Identifier') continue;
    const ann = p.typeAnnotation?.typeAnnotation;
    if (!ann) return null;
    const site = typeSite(ann, lines, decls);
    if (site) return site;
    const t = ann.type === 'TSStringKeyword' ? 'string' : ann.type === 'TSNumberKeyword' ? 'number' : ann.type === 'TSBooleanKeyword' ? 'boolean' : null;
    return t ? { fields: [], complete: true, bare: { type: t, line: lines.line(p.start), name: p.name as string } } : null;
  }
  return null;
}

/** The template a function returns when its body is that one template (an arrow's expression or a lone `return`). */
function returnedTemplate(fn: AstNode): AstNode | null {
  const f = unwrap(fn);
  if (f?.type !== 'ArrowFunctionExpression' && f?.type !== 'FunctionExpression' && f?.type !== 'FunctionDeclaration') return null;
  const body = f.body;
  if (body?.type === 'TemplateLiteral') return body;
  const stmts = body?.type === 'BlockStatement' || body?.type === 'FunctionBody' ? (body.body ?? body.statements ?? []) : [];
  const only = stmts.length === 1 ? stmts[0] : null;
  return only?.type === 'ReturnStatement' && only.argument?.type === 'TemplateLiteral' ? only.argument : null;
}

function templateFn(name: string, fn: AstNode, lines: LineIndex, out: ModuleFacts): void {
  const t = returnedTemplate(fn);
  if (!t) return;
  const params = ((unwrap(fn).params ?? []) as AstNode[]).map((p) => (p.type === 'Identifier' ? (p.name as string) : ''));
  (out.templateFns ??= []).push({ name, params, value: summarize(t, lines, NO_CONSTS), line: lines.line(fn.start) });
}

function declare(d: Declaration | VariableDeclaration, out: ModuleFacts, lines: LineIndex, exported: boolean, decls: TypeDecls): void {
  const names: string[] = [];
  if (d.type === 'VariableDeclaration') {
    for (const v of d.declarations) {
      // `export const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app })`
      if (v.id.type === 'ObjectPattern') {
        for (const p of v.id.properties) if (p.type === 'Property' && p.value.type === 'Identifier') names.push(p.value.name);
        continue;
      }
      if (v.id.type !== 'Identifier') continue;
      names.push(v.id.name);
      if (v.init && d.kind === 'const') out.constants.push({ name: v.id.name, value: constValue(v.init, lines, decls), line: lines.line(v.start) });
      if (v.init && d.kind === 'const') templateFn(v.id.name, v.init, lines, out);
    }
  } else if (d.type === 'TSEnumDeclaration') {
    names.push(d.id.name);
    out.constants.push({ name: d.id.name, value: enumValue(d, lines), line: lines.line(d.start) });
  } else if (d.type === 'ClassDeclaration') {
    if (d.id) names.push(d.id.name);
    out.classes.push(classFact(d, lines, decls));
  } else if (d.type === 'FunctionDeclaration' && d.id) {
    names.push(d.id.name);
    templateFn(d.id.name, d, lines, out);
  }
  if (exported) for (const n of names) out.exportNames.push({ local: n, exported: n });
}

/** The string a member's `type: 'x'` property fixes, if the member is an object type with one. */
function typeLiteralOf(member: AstNode): string | null {
  if (member?.type !== 'TSTypeLiteral') return null;
  for (const m of member.members as AstNode[]) {
    if (m.type !== 'TSPropertySignature' || m.computed || m.key?.type !== 'Identifier' || m.key.name !== 'type') continue;
    const t = m.typeAnnotation?.typeAnnotation;
    return t?.type === 'TSLiteralType' && typeof t.literal?.value === 'string' ? (t.literal.value as string) : null;
  }
  return null;
}

function messageUnion(d: AstNode, lines: LineIndex, decls: TypeDecls): MessageUnionFact | null {
  if (d?.type !== 'TSTypeAliasDeclaration' || d.typeParameters || d.typeAnnotation?.type !== 'TSUnionType') return null;
  const members: MessageUnionFact['members'] = [];
  for (const t of d.typeAnnotation.types as AstNode[]) {
    const type = typeLiteralOf(t);
    const site = type === null ? null : typeSite(t, lines, decls);
    if (type === null || !site) return null;
    members.push({ type, line: lines.line(t.start), site: { ...site, fields: site.fields.filter((f) => f.name !== 'type') } });
  }
  return members.length >= 2 ? { name: d.id.name as string, line: lines.line(d.start), members } : null;
}

/** Declared types and typed functions at the top level (see ModuleFacts.types and fns). */
function declaredTypes(program: Program, lines: LineIndex, decls: TypeDecls, out: ModuleFacts): void {
  for (const s of program.body as AstNode[]) {
    const exported = s.type === 'ExportNamedDeclaration';
    const d = exported ? s.declaration : s;
    if ((d?.type === 'TSInterfaceDeclaration' || d?.type === 'TSTypeAliasDeclaration') && d.id?.name) {
      const use = declUse(d, lines, decls);
      if (use) (out.types ??= []).push({ name: d.id.name as string, exported, use });
    }
    const fns: [string, AstNode][] =
      d?.type === 'FunctionDeclaration' && d.id?.name
        ? [[d.id.name as string, d]]
        : d?.type === 'VariableDeclaration' && d.kind === 'const'
          ? (d.declarations as AstNode[]).flatMap((v): [string, AstNode][] =>
              v.id?.type === 'Identifier' && (v.init?.type === 'ArrowFunctionExpression' || v.init?.type === 'FunctionExpression') ? [[v.id.name, v.init]] : [],
            )
          : [];
    for (const [name, fn] of fns) {
      const returns = typeUse(fn.returnType?.typeAnnotation, lines, decls);
      const params = (fn.params as AstNode[]).map((p) => (p?.type === 'Identifier' ? typeUse(p.typeAnnotation?.typeAnnotation, lines, decls) : null));
      if (returns || params.some((p) => p !== null)) (out.fns ??= []).push({ name, exported, returns, params });
    }
  }
}

export function collectModuleFacts(program: Program, lines: LineIndex): ModuleFacts {
  const out: ModuleFacts = { constants: [], exportNames: [], reexports: [], classes: [] };
  const decls = typeDecls(program);
  declaredTypes(program, lines, decls, out);
  for (const s of program.body as AstNode[]) {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    const u = messageUnion(d, lines, decls);
    if (u) (out.messageUnions ??= []).push(u);
  }
  for (const u of zodMessageUnions(program as unknown as AstNode, lines)) (out.messageUnions ??= []).push(u);
  for (const s of program.body as Statement[]) {
    switch (s.type) {
      case 'VariableDeclaration':
      case 'TSEnumDeclaration':
      case 'ClassDeclaration':
      case 'FunctionDeclaration':
        declare(s, out, lines, false, decls);
        break;
      case 'ExportNamedDeclaration':
        if (s.declaration) declare(s.declaration, out, lines, true, decls);
        if (s.source)
          out.reexports.push({ source: s.source.value, names: s.specifiers.map((x) => ({ local: nameOf(x.local), exported: nameOf(x.exported) })) });
        else for (const x of s.specifiers) out.exportNames.push({ local: nameOf(x.local), exported: nameOf(x.exported) });
        break;
      case 'ExportAllDeclaration':
        if (s.exported === null) out.reexports.push({ source: s.source.value, names: null });
        else out.reexports.push({ source: s.source.value, names: [{ local: '*', exported: nameOf(s.exported) }] });
        break;
      case 'ExportDefaultDeclaration': {
        const d = s.declaration;
        if (d.type === 'ClassDeclaration') out.classes.push(classFact(d, lines, decls));
        else if (d.type === 'Identifier') out.exportNames.push({ local: d.name, exported: 'default' });
        else if (d.type !== 'FunctionDeclaration' && d.type !== 'TSInterfaceDeclaration') {
          out.constants.push({ name: 'default', value: constValue(d as Expression, lines, decls), line: lines.line(d.start) });
          out.exportNames.push({ local: 'default', exported: 'default' });
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}
