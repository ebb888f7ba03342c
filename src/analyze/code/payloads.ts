// Payload shapes of existing events, read from the AST. A field is claimed only when the code
// names it: an object literal's key, a destructured parameter, a TypeScript member, or a
// member read on a `type`-dispatched message. A type is claimed only when the code fixes it
// (a literal, a TS annotation, a call whose result type is certain); everything else is
// 'unknown', because a false field or type misleads more than a missing one.
import { type ArgInfo, type AstNode, type LineIndex, pathOf, propKey, unwrap } from './ast.js';
import { type Scope, valueType } from './value-types.js';

export { type Scope, type ScopeEntry, valueType } from './value-types.js';

export interface SiteField {
  name: string;
  type: string;
  /** The sender may leave it out (a TS `?`, a default value in the handler). */
  optional: boolean;
  /** Only seen read by a handler: optional unless a sender is seen sending it. */
  hedged?: true;
  line: number;
  /** The module that declares it, when not the event site's own (a handler registry imported from another module). */
  file?: string;
  /** Its value is an object literal listing every key (no spread): those keys, as an envelope's `payload` is. */
  nested?: SiteField[];
  /** Its value is the sending connection's identity (`sender.id`, `socket.data.userId`): that expression. */
  sender?: string;
  /** Its value has a type declared elsewhere (an imported interface, a function's return type): resolved by the model (model/declared-types.ts). */
  ref?: PayloadRef;
  /** Its value is cast to an object type this file declares (`payload.new as Message`): that type's name and line. */
  castTo?: { name: string; line: number };
}

/**
 * A value whose shape a declaration states that this file does not hold: an annotation naming a
 * type (`(n: Notification)`, `LeaderboardEntry[]`) or a call to a function whose return type is
 * declared (`latestPrices(symbols)`). The model follows the name through the file's imports.
 */
export interface PayloadRef {
  name: string;
  /** Where the value is (the annotation or the call), in the site's file. */
  line: number;
  /** The value is an array of that type. */
  array?: true;
  /** `name` is a function: the value is what it returns. */
  returns?: true;
  /** `name` is a function the value is handed to, as this parameter (`handleJoin(io, socket, msg)`): its declared type is the value's. */
  param?: number;
}

/** What one call site says about an event's payload. */
export interface PayloadSite {
  fields: SiteField[];
  /** The site lists every key the payload has: an object literal without spread, a closed TS type. */
  complete: boolean;
  /**
   * A wrapper sends these fields under this key of its envelope (`_send(type, payload)` building
   * `{ type, payload }`); the merge nests them there where another site of the event reads the key.
   */
  envelopeKey?: string;
  /**
   * The payload is this one value itself, not an object (`emit('joinRoom', roomId)`, a handler's
   * `(roomId: string)` or a parameter it hands to `socket.join`): the name the handler gives it, if any.
   */
  bare?: { type: string; line: number; name?: string; file?: string; room?: true; after?: string[]; ack?: string };
  /** The whole payload has a type declared elsewhere (see PayloadRef); until the model resolves it the site says nothing. */
  ref?: PayloadRef;
  /** The project's own type that declares this payload, once resolved: its name and where it is declared. */
  declared?: { name: string; file: string; line: number };
  /**
   * The value is the first parameter of the handler registered at this line of the same file,
   * sent on unchanged (`socket.on('card:move', (move) => io.emit('card:moved', move))`).
   */
  echo?: { line: number };
}

/** Interfaces and type aliases declared at the top of a file, by name. */
export type TypeDecls = ReadonlyMap<string, AstNode>;

/** A property's key when the code spells it out; computed keys (`[k]: v`) name nothing. */
function keyName(p: AstNode): string | null {
  if (p.computed && p.key?.type !== 'Literal') return null;
  if (p.type === 'TSPropertySignature') return p.key?.type === 'Identifier' ? (p.key.name as string) : p.key?.type === 'Literal' ? String(p.key.value) : null;
  return propKey(p);
}

/**
 * A value read from the connection a handler got the message on, naming who sent it: the
 * connection's own id (`sender.id`, `conn.id`, `socket.id`, `ws.id`) or the user id an auth step
 * put on it (`socket.data.userId`, `ws.data.user.id`, `client.userId`). The roots are the names
 * handlers give their connection parameter across libraries; a payload's own fields
 * (`msg.id`, `data.userId`) are never one.
 */
const SENDER_ROOT = '(?:sender|conn|connection|socket|ws|client|peer)';
const SENDER_ID = new RegExp(`^${SENDER_ROOT}(?:\\.(?:data|state|user|auth|session|context))*\\.(?:id|userId|user_id|uid|sub|clientId|connectionId)$`);

/** The sending connection's identity a value reads (`sender.id`), or null. */
export function senderIdentity(value: AstNode): string | null {
  const v = unwrap(value);
  if (v?.type !== 'MemberExpression') return null;
  const path = pathOf(v);
  return path !== null && SENDER_ID.test(path) ? path : null;
}

/** Fields of an object literal; a spread or computed key leaves keys we cannot name. */
export function objectSite(obj: AstNode, lines: LineIndex, scope: Scope): PayloadSite {
  const fields: SiteField[] = [];
  let complete = true;
  for (const p of obj.properties as AstNode[]) {
    const name = p.type === 'Property' ? keyName(p) : null;
    if (name === null) {
      complete = false;
      continue;
    }
    const v = unwrap(p.value);
    const type = p.method || v?.type === 'ArrowFunctionExpression' || v?.type === 'FunctionExpression' ? 'unknown' : valueType(p.value, scope);
    const inner = v?.type === 'ObjectExpression' ? objectSite(v, lines, scope) : null;
    const nested = inner?.complete && inner.fields.length > 0 ? { nested: inner.fields } : {};
    const sender = senderIdentity(p.value);
    fields.push({ name, type, optional: false, line: lines.line(p.key.start), ...nested, ...(sender ? { sender } : {}) });
  }
  return { fields, complete };
}

function patternType(value: AstNode, scope: Scope): { type: string; optional: boolean } {
  if (value?.type === 'AssignmentPattern') {
    const inner = patternType(value.left, scope);
    const def = valueType(value.right, scope);
    return { type: inner.type !== 'unknown' ? inner.type : def, optional: true };
  }
  if (value?.type === 'ObjectPattern') return { type: 'Record<string, unknown>', optional: false };
  if (value?.type === 'ArrayPattern') return { type: 'unknown[]', optional: false };
  return { type: 'unknown', optional: false };
}

/** Fields of a destructuring pattern: what the handler reads, so never complete. */
function patternSite(pattern: AstNode, lines: LineIndex, allOptional: boolean): PayloadSite {
  const fields: SiteField[] = [];
  const none: Scope = () => undefined;
  for (const p of pattern.properties as AstNode[]) {
    const name = p.type === 'Property' ? keyName(p) : null;
    if (name === null) continue;
    const t = patternType(p.value, none);
    fields.push({ name, type: t.type, optional: t.optional || allOptional, line: lines.line(p.key.start) });
  }
  return { fields, complete: false };
}

// ─── TypeScript types ───────────────────────────────────────────────────────

const TS_KEYWORDS: Record<string, string> = {
  TSStringKeyword: 'string',
  TSNumberKeyword: 'number',
  TSBooleanKeyword: 'boolean',
  TSNullKeyword: 'null',
  TSBigIntKeyword: 'unknown',
  TSAnyKeyword: 'unknown',
  TSUnknownKeyword: 'unknown',
  TSTemplateLiteralType: 'string',
};

/** `export interface X` and `type X = …` at the top level of a program. */
export function typeDecls(program: AstNode): Map<string, AstNode> {
  const out = new Map<string, AstNode>();
  for (const s of (program?.body ?? []) as AstNode[]) {
    const d = s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration' ? s.declaration : s;
    if ((d?.type === 'TSInterfaceDeclaration' || d?.type === 'TSTypeAliasDeclaration') && d.id?.name) out.set(d.id.name, d);
  }
  return out;
}

/** A TS type node in the PayloadField type language; 'unknown' for whatever it cannot say exactly. */
export function tsTypeText(node: AstNode, decls: TypeDecls, depth = 0, inline = false): string {
  if (!node || depth > 4) return 'unknown';
  const next = (n: AstNode): string => tsTypeText(n, decls, depth + 1, inline);
  const kw = TS_KEYWORDS[node.type as string];
  if (kw) return kw;
  switch (node.type) {
    case 'TSLiteralType': {
      const v = node.literal?.value;
      if (typeof v === 'string') return /['\\\n|]/.test(v) ? 'string' : `'${v}'`;
      if (typeof v === 'number') return String(v);
      if (typeof v === 'boolean') return 'boolean';
      return node.literal?.type === 'TemplateLiteral' ? 'string' : 'unknown';
    }
    case 'TSUnionType': {
      const parts = [...new Set((node.types as AstNode[]).map((t) => next(t)))];
      return parts.includes('unknown') ? 'unknown' : parts.join(' | ');
    }
    case 'TSArrayType':
      return arrayOf(next(node.elementType));
    case 'TSTypeLiteral':
      return inline ? inlineLiteral(node.members as AstNode[], next) : 'Record<string, unknown>';
    case 'TSParenthesizedType':
      return next(node.typeAnnotation);
    case 'TSTypeReference': {
      const name = node.typeName?.type === 'Identifier' ? (node.typeName.name as string) : null;
      const params = (node.typeArguments?.params ?? []) as AstNode[];
      if (name === 'Array' || name === 'ReadonlyArray') return arrayOf(next(params[0]));
      if (name === 'Record' && params[0]?.type === 'TSStringKeyword') return `Record<string, ${next(params[1])}>`;
      const decl = name ? decls.get(name) : undefined;
      if (decl?.type === 'TSInterfaceDeclaration') return 'Record<string, unknown>';
      if (decl?.type === 'TSTypeAliasDeclaration' && !decl.typeParameters) return next(decl.typeAnnotation);
      return 'unknown';
    }
    default:
      return 'unknown';
  }
}

/** `{ price: number; ts: number }`: an inline object type whose members all have plain keys; else any record. */
function inlineLiteral(members: AstNode[], text: (n: AstNode) => string): string {
  const parts: string[] = [];
  for (const m of members) {
    const name = m.type === 'TSPropertySignature' ? keyName(m) : null;
    if (name === null || !/^[A-Za-z_$][\w$]*$/.test(name)) return 'Record<string, unknown>';
    parts.push(`${name}${m.optional ? '?' : ''}: ${text(m.typeAnnotation?.typeAnnotation)}`);
  }
  return parts.length > 0 ? `{ ${parts.join('; ')} }` : 'Record<string, unknown>';
}

function arrayOf(elem: string): string {
  if (elem === 'unknown') return 'unknown[]';
  return elem.includes(' | ') ? `(${elem})[]` : `${elem}[]`;
}

function membersSite(members: AstNode[], lines: LineIndex, decls: TypeDecls, closed: boolean): PayloadSite {
  const fields: SiteField[] = [];
  let complete = closed;
  for (const m of members) {
    if (m.type === 'TSMethodSignature') continue;
    const name = m.type === 'TSPropertySignature' ? keyName(m) : null;
    if (name === null) {
      complete = false;
      continue;
    }
    // An inline object type (`payload: { vehicleId: string; at: number }`) keeps its members, as an object literal does.
    const t = m.typeAnnotation?.typeAnnotation;
    const inner = t?.type === 'TSTypeLiteral' ? membersSite(t.members, lines, decls, true) : null;
    const nested = inner?.complete && inner.fields.length > 0 ? { nested: inner.fields } : {};
    fields.push({ name, type: tsTypeText(t, decls), optional: m.optional === true, line: lines.line(m.start), ...nested });
  }
  return { fields, complete };
}

/** Members of an object type: an inline type literal, or an interface / alias declared in the file. */
export function typeSite(node: AstNode, lines: LineIndex, decls: TypeDecls, depth = 0): PayloadSite | null {
  if (!node || depth > 4) return null;
  if (node.type === 'TSTypeLiteral') return membersSite(node.members, lines, decls, true);
  if (node.type !== 'TSTypeReference' || node.typeName?.type !== 'Identifier') return null;
  const decl = decls.get(node.typeName.name);
  if (decl?.type === 'TSInterfaceDeclaration') return membersSite(decl.body.body, lines, decls, (decl.extends ?? []).length === 0);
  if (decl?.type === 'TSTypeAliasDeclaration') return typeSite(decl.typeAnnotation, lines, decls, depth + 1);
  return null;
}

/** What a top-level type declaration or a function's annotation states, for other modules to follow (model/declared-types.ts). */
export interface TypeUse {
  /** The annotation in the PayloadField type language ('unknown' where it cannot say). */
  text: string;
  /** Members of an object type, when it is one. */
  site: PayloadSite | null;
  /** Another named type it stands for (`type Board = Entry[]`), not declared here as an object. */
  ref: PayloadRef | null;
  line: number;
}

export function typeUse(ann: AstNode, lines: LineIndex, decls: TypeDecls): TypeUse | null {
  if (!ann) return null;
  return { text: tsTypeText(ann, decls, 0, true), site: typeSite(ann, lines, decls), ref: typeRef(ann, lines, decls), line: lines.line(ann.start) };
}

/** An interface or type alias declaration as a TypeUse. */
export function declUse(decl: AstNode, lines: LineIndex, decls: TypeDecls): TypeUse | null {
  if (decl?.type === 'TSInterfaceDeclaration')
    return {
      text: 'Record<string, unknown>',
      site: membersSite(decl.body.body, lines, decls, (decl.extends ?? []).length === 0),
      ref: null,
      line: lines.line(decl.start),
    };
  if (decl?.type === 'TSTypeAliasDeclaration' && !decl.typeParameters) {
    const use = typeUse(decl.typeAnnotation, lines, decls);
    return use ? { ...use, line: lines.line(decl.start) } : null;
  }
  return null;
}

const PRIMITIVE = /^(string|number|boolean|'[^']*'( \| '[^']*')*|-?\d+(\.\d+)?)$/;
/** Socket.IO's room methods: a room is a string (`type Room = string`, socket.io-adapter), so a value handed to one is a room name. */
const ROOM_METHODS = /^(join|leave|to|in|except)$/;

/** Whether `name` is read as an object anywhere in `body` (`name.x`, `name[k]`, `...name`). */
function readAsObject(body: AstNode, name: string, depth = 0): boolean {
  if (!body || typeof body !== 'object' || depth > 60) return false;
  if (Array.isArray(body)) return body.some((b) => readAsObject(b, name, depth + 1));
  if (body.type === 'MemberExpression' && unwrap(body.object)?.type === 'Identifier' && unwrap(body.object).name === name) return true;
  if ((body.type === 'SpreadElement' || body.type === 'RestElement') && body.argument?.type === 'Identifier' && body.argument.name === name) return true;
  for (const k of Object.keys(body)) if (!WALK_SKIP.has(k) && readAsObject(body[k], name, depth + 1)) return true;
  return false;
}

/** `String(x)` and `` `${x}` `` hand `x` on as a string: the value inside them. */
function asString(n: AstNode): AstNode {
  if (n?.type === 'CallExpression' && pathOf(n.callee) === 'String' && n.arguments?.length === 1) return unwrap(n.arguments[0]);
  if (n?.type === 'TemplateLiteral' && n.expressions?.length === 1 && n.quasis?.every((q: AstNode) => (q.value?.cooked ?? '') === ''))
    return unwrap(n.expressions[0]);
  return n;
}

/**
 * The fields a handler reads off its plain parameter (`(msg) => io.to(msg.room).emit(…, msg.text)`):
 * named by the code, but only read, so hedged and never complete.
 */
function memberReads(fn: AstNode, lines: LineIndex, decls: TypeDecls = new Map()): PayloadSite | null {
  const param = fn?.params?.[0];
  if (param?.type !== 'Identifier' || param.typeAnnotation) return null;
  const name = param.name as string;
  const fields = new Map<string, SiteField>();
  const walk = (n: AstNode, depth: number): void => {
    if (!n || typeof n !== 'object' || depth > 60) return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x, depth + 1);
      return;
    }
    // A nested function with its own parameter of that name reads something else.
    if (
      (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration') &&
      n !== fn &&
      (n.params ?? []).some((p: AstNode) => p?.type === 'Identifier' && p.name === name)
    )
      return;
    // `data.ip = null`: the handler overwrites that field, which says nothing about what senders send.
    if (
      n.type === 'AssignmentExpression' &&
      n.operator === '=' &&
      n.left?.type === 'MemberExpression' &&
      unwrap(n.left.object)?.type === 'Identifier' &&
      unwrap(n.left.object).name === name
    ) {
      walk(n.right, depth + 1);
      return;
    }
    // `payload.new as Message`: the field is cast to a declared object type, so its keys are that type's
    // (a Supabase Postgres Changes row). Only a type this file declares as an object, else it stays unknown.
    const cast = n.type === 'TSAsExpression' ? n.expression : null;
    if (
      cast?.type === 'MemberExpression' &&
      !cast.computed &&
      unwrap(cast.object)?.type === 'Identifier' &&
      unwrap(cast.object).name === name &&
      cast.property?.type === 'Identifier' &&
      !fields.has(cast.property.name as string)
    ) {
      const typed = typeSite(n.typeAnnotation, lines, decls);
      if (typed?.complete && typed.fields.length > 0)
        fields.set(cast.property.name as string, {
          name: cast.property.name as string,
          type: 'Record<string, unknown>',
          optional: false,
          hedged: true,
          line: lines.line(cast.property.start),
          nested: typed.fields,
          ...(n.typeAnnotation?.type === 'TSTypeReference' && n.typeAnnotation.typeName?.type === 'Identifier' && decls.get(n.typeAnnotation.typeName.name)
            ? { castTo: { name: n.typeAnnotation.typeName.name as string, line: lines.line(decls.get(n.typeAnnotation.typeName.name)!.start) } }
            : {}),
        });
    }
    if (
      n.type === 'MemberExpression' &&
      !n.computed &&
      unwrap(n.object)?.type === 'Identifier' &&
      unwrap(n.object).name === name &&
      n.property?.type === 'Identifier'
    ) {
      const key = n.property.name as string;
      if (!fields.has(key)) fields.set(key, { name: key, type: 'unknown', optional: false, hedged: true, line: lines.line(n.property.start) });
    }
    for (const k of Object.keys(n)) if (!WALK_SKIP.has(k)) walk(n[k], depth + 1);
  };
  walk(fn.body, 0);
  // A spread or a pass-through (`save(msg)`) may carry more: the reads are a lower bound, which `complete: false` says.
  return fields.size > 0 ? { fields: [...fields.values()], complete: false } : null;
}

/**
 * Whether `body` hands `name` to a Socket.IO room method: itself (`socket.join(name)`, `io.to(name)`),
 * 'whole', or interpolated into the room's name (`` socket.join(`board:${name}`) ``), 'part'.
 */
function usedAsRoom(body: AstNode, name: string, depth = 0): 'whole' | 'part' | null {
  if (!body || typeof body !== 'object' || depth > 60) return null;
  if (Array.isArray(body)) {
    for (const b of body) {
      const r = usedAsRoom(b, name, depth + 1);
      if (r) return r;
    }
    return null;
  }
  if (body.type === 'CallExpression') {
    const callee = pathOf(body.callee);
    const raw = unwrap(body.arguments?.[0]);
    const a = asString(raw);
    if (callee?.includes('.') && ROOM_METHODS.test(callee.split('.').pop() ?? '')) {
      if (a?.type === 'Identifier' && a.name === name) return 'whole';
      if (raw?.type === 'TemplateLiteral' && (raw.expressions as AstNode[]).some((x) => unwrap(x)?.type === 'Identifier' && unwrap(x).name === name))
        return 'part';
    }
  }
  for (const k of Object.keys(body)) {
    if (WALK_SKIP.has(k)) continue;
    const r = usedAsRoom(body[k], name, depth + 1);
    if (r) return r;
  }
  return null;
}

/**
 * A handler's first parameter that is one bare value: annotated with a primitive type, or never
 * read as an object and handed to a Socket.IO room method (a room name is a string).
 */
function bareParam(fn: AstNode, lines: LineIndex, decls: TypeDecls): PayloadSite | null {
  const param = fn?.params?.[0];
  const target = param?.type === 'AssignmentPattern' ? param.left : param;
  if (target?.type !== 'Identifier') return null;
  const line = lines.line(target.start);
  const { later, ack } = laterParams(fn);
  const after = { ...(later.length > 0 ? { after: later } : {}), ...(ack ? { ack } : {}) };
  const ann = target.typeAnnotation?.typeAnnotation;
  if (ann) {
    const t = tsTypeText(ann, decls);
    return PRIMITIVE.test(t) ? { fields: [], complete: true, bare: { type: t, line, name: target.name, ...after } } : null;
  }
  const name = target.name as string;
  const room = readAsObject(fn.body, name) ? null : usedAsRoom(fn.body, name);
  if (room === null) return null;
  // Interpolated into a room name, it is one value (a string or a number: the code does not say which).
  return { fields: [], complete: true, bare: { type: room === 'whole' ? 'string' : 'unknown', line, name, room: true, ...after } };
}

/**
 * The handler's positional parameters after its first, in order (`options` of `(port, options)`):
 * slots the wire already uses, so a field the plan adds cannot go there. A rest parameter is
 * `...name`, a destructured one `{…}` / `[…]`. A last parameter the handler calls (`ack(…)`) is
 * Socket.IO's acknowledgement, which is always the last argument: it is `ack`, not a slot, since
 * a field added after it would land in it.
 */
function laterParams(fn: AstNode): { later: string[]; ack?: string } {
  const params = ((fn?.params ?? []) as AstNode[]).slice(1);
  const names = params.map((p) => {
    const t = p?.type === 'AssignmentPattern' ? p.left : p;
    if (t?.type === 'Identifier') return t.name as string;
    if (t?.type === 'RestElement') return t.argument?.type === 'Identifier' ? `...${t.argument.name}` : '...';
    return t?.type === 'ArrayPattern' ? '[…]' : '{…}';
  });
  const last = params[params.length - 1];
  if (last?.type === 'Identifier' && calls(fn.body, last.name as string)) return { later: names.slice(0, -1), ack: last.name as string };
  return { later: names };
}

/** Whether `body` calls `name` as a function (`ack(x)`, `ack?.(x)`, `cb.call(null, x)`). */
function calls(body: AstNode, name: string, depth = 0): boolean {
  if (!body || typeof body !== 'object' || depth > 60) return false;
  if (Array.isArray(body)) return body.some((b) => calls(b, name, depth + 1));
  if (body.type === 'CallExpression') {
    const c = unwrap(body.callee);
    if (c?.type === 'Identifier' && c.name === name) return true;
    if (
      c?.type === 'MemberExpression' &&
      unwrap(c.object)?.type === 'Identifier' &&
      unwrap(c.object).name === name &&
      /^(call|apply)$/.test(c.property?.name ?? '')
    )
      return true;
  }
  for (const k of Object.keys(body)) if (!WALK_SKIP.has(k) && calls(body[k], name, depth + 1)) return true;
  return false;
}

/**
 * A type annotation naming a type this file does not declare as an object (`Notification`,
 * `LeaderboardEntry[]`, `Array<Entry>`): the name for the model to follow, or null. Generic
 * references (`Record<…>`, `Partial<X>`) and inline shapes are not followed.
 */
export function typeRef(node: AstNode, lines: LineIndex, decls: TypeDecls): PayloadRef | null {
  if (!node) return null;
  const line = lines.line(node.start);
  const named = (n: AstNode): string | null =>
    n?.type === 'TSTypeReference' && n.typeName?.type === 'Identifier' && !n.typeArguments ? (n.typeName.name as string) : null;
  if (node.type === 'TSArrayType') {
    const name = named(node.elementType);
    return name ? { name, line, array: true } : null;
  }
  if (node.type === 'TSTypeReference' && node.typeName?.type === 'Identifier' && node.typeName.name === 'Array') {
    const name = named(node.typeArguments?.params?.[0]);
    return name && node.typeArguments.params.length === 1 ? { name, line, array: true } : null;
  }
  const name = named(node);
  // A local interface or object alias is read where it is (typeSite); a local alias of something else is followed.
  if (name === null || (decls.has(name) && typeSite(node, lines, decls))) return null;
  return { name, line };
}

/** The site of a value an annotation types: the members of a local object type, else a reference for the model. */
export function annotatedSite(ann: AstNode, lines: LineIndex, decls: TypeDecls): PayloadSite | null {
  const local = typeSite(ann, lines, decls);
  if (local) return local;
  const ref = typeRef(ann, lines, decls);
  return ref ? { fields: [], complete: false, ref } : null;
}

/** A call to a plain function (`latestPrices(allowed)`): its declared return type is the value's, for the model to follow. */
export function callSite(n: AstNode, lines: LineIndex): PayloadSite | null {
  const c = unwrap(n);
  const callee = unwrap(c?.callee);
  if (c?.type !== 'CallExpression' || callee?.type !== 'Identifier') return null;
  return { fields: [], complete: false, ref: { name: callee.name as string, line: lines.line(c.start), returns: true } };
}

/** A handler's first parameter: its TS type when it names an object type, else its destructuring. */
export function paramSite(param: AstNode, lines: LineIndex, decls: TypeDecls): PayloadSite | null {
  if (!param) return null;
  const defaulted = param.type === 'AssignmentPattern';
  const target = defaulted ? param.left : param;
  const ann = target?.typeAnnotation?.typeAnnotation;
  const typed = typeSite(ann, lines, decls);
  if (typed) return defaulted ? { fields: typed.fields.map((f) => ({ ...f, optional: true })), complete: typed.complete } : typed;
  if (target?.type === 'Identifier' && ann) {
    const ref = typeRef(ann, lines, decls);
    if (ref) return { fields: [], complete: false, ref };
  }
  return target?.type === 'ObjectPattern' ? patternSite(target, lines, defaulted) : null;
}

/**
 * A handler that hands its untyped first parameter, untouched, to a plain function
 * (`(msg, ack) => handleJoin(io, socket, msg, ack)`): that function's declared parameter type is
 * the payload's, for the model to follow. Only when the handler reads nothing else of it.
 */
function passedOn(fn: AstNode, lines: LineIndex): PayloadSite | null {
  const param = fn?.params?.[0];
  if (param?.type !== 'Identifier' || param.typeAnnotation) return null;
  const name = param.name as string;
  const body = fn.body?.type === 'BlockStatement' ? fn.body.body : [fn.body];
  const calls: AstNode[] = [];
  for (const s of body as AstNode[]) {
    const e = unwrap(s?.type === 'ExpressionStatement' ? s.expression : s?.type === 'ReturnStatement' ? s.argument : s);
    const c = unwrap(e?.type === 'AwaitExpression' || e?.type === 'UnaryExpression' ? e.argument : e);
    if (c?.type === 'CallExpression') calls.push(c);
  }
  if (readAsObject(fn.body, name)) return null;
  const hits = calls.flatMap((c) => {
    const callee = unwrap(c.callee);
    const i = (c.arguments as AstNode[]).findIndex((a) => unwrap(a)?.type === 'Identifier' && unwrap(a).name === name);
    return callee?.type === 'Identifier' && i >= 0 ? [{ name: callee.name as string, i, line: lines.line(c.start) }] : [];
  });
  const hit = hits.length === 1 ? hits[0]! : null;
  return hit ? { fields: [], complete: false, ref: { name: hit.name, line: hit.line, param: hit.i } } : null;
}

/** The payload a call argument carries: an object literal, a const bound to one, or a handler's parameter. */
export function argSite(node: AstNode, lines: LineIndex, scope: Scope, decls: TypeDecls): PayloadSite | null {
  const n = unwrap(node);
  if (n?.type === 'ObjectExpression') return objectSite(n, lines, scope);
  if (n?.type === 'Identifier') return scope(n.name)?.site ?? null;
  if (n?.type === 'CallExpression') return callSite(n, lines);
  // An array literal (`[...rooms.get(id)]`) is one value, an array: its items typed only where the code fixes them.
  if (n?.type === 'ArrayExpression') return { fields: [], complete: true, bare: { type: valueType(n, scope), line: lines.line(n.start) } };
  if (n?.type === 'ArrowFunctionExpression' || n?.type === 'FunctionExpression')
    return paramSite(n.params?.[0], lines, decls) ?? bareParam(n, lines, decls) ?? memberReads(n, lines, decls) ?? passedOn(n, lines);
  return null;
}

/**
 * The value a serialising call wraps: `JSON.stringify(x)`, `new TextEncoder().encode(x)`,
 * `encoder.encode(x)`, `Buffer.from(x)`. The bytes a data channel carries are that value's JSON.
 */
function serialized(n: AstNode): AstNode | null {
  if (n?.type !== 'CallExpression') return null;
  const p = pathOf(n.callee) ?? '';
  return p === 'JSON.stringify' || p === 'Buffer.from' || /(^|\.)encode$/.test(p) ? (n.arguments?.[0] ?? null) : null;
}

/**
 * The payload a sent value carries: an object literal, one serialised for the wire
 * (`encoder.encode(JSON.stringify({ type, emoji }))`), or a const bound to either.
 */
export function dataSite(node: AstNode, lines: LineIndex, scope: Scope, depth = 0): PayloadSite | null {
  const n = unwrap(node);
  if (n?.type === 'ObjectExpression') return objectSite(n, lines, scope);
  if (n?.type === 'Identifier') return scope(n.name)?.site ?? null;
  const inner = depth < 3 ? serialized(n) : null;
  return inner ? dataSite(inner, lines, scope, depth + 1) : callSite(n, lines);
}

const KIND_TYPE: Partial<Record<ArgInfo['kind'], string>> = { string: 'string', template: 'string', number: 'number', bool: 'boolean' };

/**
 * What a summarised argument says about the payload it sends: the site read at the call
 * (`dataSite`), else the keys of an object literal nested in it (a Supabase broadcast's
 * `payload: { name }`), typed only where the literal fixes the type. Never complete: a summary
 * may leave out keys it could not name.
 */
export function argPayload(a: ArgInfo | undefined): PayloadSite | undefined {
  if (!a) return undefined;
  if (a.payload && a.kind !== 'function') return a.payload;
  if (a.kind !== 'object' || !a.props) return undefined;
  const fields = Object.entries(a.props).map(([name, v]): SiteField => ({ name, type: KIND_TYPE[v.kind] ?? 'unknown', optional: false, line: v.line }));
  return { fields, complete: false };
}

const SCALAR = new Set(['string', 'number', 'bool', 'template']);

/** Socket.IO's payload is the argument after the name: a handler's parameter, or an emitted value that is not the ack callback. */
export function sioPayload(c: { args: readonly ArgInfo[] }, act: 'emit' | 'handle'): PayloadSite | undefined {
  const a = c.args[1];
  // `emit('x')`, `emit('x', ack)` or `emit('x', 'text')`: this sender sends no object fields at all.
  if (act === 'emit' && SCALAR.has(a?.kind ?? '')) return { fields: [], complete: true, bare: { type: KIND_TYPE[a!.kind] ?? 'unknown', line: a!.line } };
  if (act === 'emit' && (a === undefined || a.kind === 'function')) return { fields: [], complete: true };
  if (!a?.payload) return undefined;
  return (a.kind === 'function') === (act === 'handle') ? a.payload : undefined;
}

// ─── `type`-dispatched messages ─────────────────────────────────────────────

const WALK_SKIP = new Set(['start', 'end', 'range', 'loc', 'typeAnnotation', 'typeArguments', 'typeParameters', 'returnType', 'decorators']);

/** The message variable of a type test: `msg.type` → `msg`; null for a bare `type`. */
export function messageOf(typePath: string | null): string | null {
  return typePath !== null && typePath.endsWith('.type') && !typePath.startsWith('JSON.') ? typePath.slice(0, -'.type'.length) : null;
}

/**
 * Fields a `case`/`if` body reads from the message: `msg.roomId`, `const { text } = msg`.
 * Hedged and unknown: the body proves the handler looks for them, not that senders send them.
 */
export function readFields(body: AstNode, msg: string, lines: LineIndex): SiteField[] {
  const out: SiteField[] = [];
  const seen = new Set<string>();
  const add = (name: string | null, at: number): void => {
    if (name === null || name === 'type' || seen.has(name)) return;
    seen.add(name);
    out.push({ name, type: 'unknown', optional: false, hedged: true, line: lines.line(at) });
  };
  const keyOf = (m: AstNode): string | null =>
    m.computed ? (m.property?.type === 'Literal' && typeof m.property.value === 'string' ? m.property.value : null) : (m.property?.name ?? null);
  // `msg.payload.agentId`: a key read inside the field, so the field is an object with (at least) that key
  // (typed so by the merge; the site keeps `unknown`, since a read says nothing of what the sender puts there).
  const addNested = (outer: string | null, name: string | null, at: number): void => {
    const field = out.find((f) => f.name === outer);
    if (!field || name === null || field.nested?.some((q) => q.name === name)) return;
    (field.nested ??= []).push({ name, type: 'unknown', optional: false, hedged: true, line: lines.line(at) });
  };
  const inField = (m: AstNode): boolean => unwrap(m.object)?.type === 'MemberExpression' && pathOf(unwrap(m.object).object) === msg;
  const walk = (n: AstNode): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const c of n) walk(c);
      return;
    }
    if (n.type === 'CallExpression' && unwrap(n.callee)?.type === 'MemberExpression' && pathOf(unwrap(n.callee).object) === msg) {
      // `msg.toString()`: a method of the value, not a field of the message.
      for (const a of n.arguments as AstNode[]) walk(a);
      return;
    }
    if (n.type === 'CallExpression' && unwrap(n.callee)?.type === 'MemberExpression' && inField(unwrap(n.callee))) {
      // `msg.items.map(…)`: a method of the field's value, not a key inside it.
      walk(unwrap(n.callee).object);
      for (const a of n.arguments as AstNode[]) walk(a);
      return;
    }
    if (n.type === 'MemberExpression' && pathOf(n.object) === msg) add(keyOf(n), n.property.start);
    if (n.type === 'MemberExpression' && inField(n)) {
      const field = unwrap(n.object);
      add(keyOf(field), field.property.start);
      addNested(keyOf(field), keyOf(n), n.property.start);
    }
    if (n.type === 'VariableDeclarator' && n.id?.type === 'ObjectPattern' && n.init && pathOf(n.init) === msg) {
      for (const p of n.id.properties as AstNode[]) if (p.type === 'Property') add(keyName(p), p.key.start);
    }
    for (const key in n) if (!WALK_SKIP.has(key) && n[key] && typeof n[key] === 'object') walk(n[key]);
  };
  walk(body);
  return out;
}

/** `switch (msg.type)` cases with the fields each reads; a fall-through case shares the next body. */
export function switchCaseFields(sw: AstNode, lines: LineIndex): Map<AstNode, SiteField[]> {
  const out = new Map<AstNode, SiteField[]>();
  const msg = messageOf(pathOf(sw.discriminant));
  if (msg === null) return out;
  const cases = sw.cases as AstNode[];
  for (let i = 0; i < cases.length; i++) {
    let j = i;
    while (j < cases.length - 1 && (cases[j].consequent as AstNode[]).length === 0) j++;
    out.set(cases[i], readFields(cases[j].consequent, msg, lines));
  }
  return out;
}

/** `msg.type === 'x'` in an if test (alone or in an `&&`): the message variable compared. */
export function typeTestMessage(test: AstNode): { node: AstNode; msg: string } | null {
  const t = unwrap(test);
  if (t?.type === 'LogicalExpression' && t.operator === '&&') return typeTestMessage(t.right) ?? typeTestMessage(t.left);
  if (t?.type !== 'BinaryExpression' || (t.operator !== '===' && t.operator !== '==')) return null;
  for (const side of [t.left, t.right]) {
    const msg = messageOf(pathOf(side));
    if (msg !== null) return { node: t, msg };
  }
  return null;
}
