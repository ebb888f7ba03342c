// A small reader of GraphQL documents (the type system part of the spec's grammar, and the
// operations a client sends): the types a schema defines, each field with its arguments, its
// type as written and its line, and each operation's text. It reads what it recognises and skips
// the rest (descriptions, directives, default values), so a schema it does not fully understand
// yields fewer facts, never a wrong one. Pure: text in, declarations out.
// https://spec.graphql.org/October2021/#sec-Type-System

export interface SdlArg {
  name: string;
  /** As written: `ID!`, `[String!]`. */
  type: string;
}

export interface SdlField {
  name: string;
  type: string;
  args: SdlArg[];
  line: number;
  /** Directives on the field (`@auth(requires: STAFF)` → `auth`). */
  directives?: string[];
}

export type SdlKind = 'type' | 'interface' | 'input' | 'enum' | 'union' | 'scalar';

export interface SdlType {
  name: string;
  kind: SdlKind;
  /** `extend type Subscription { … }`. */
  extend: boolean;
  fields: SdlField[];
  /** An enum's values. */
  values: string[];
  /** A union's member types. */
  members: string[];
  line: number;
}

export interface SdlOperation {
  kind: 'query' | 'mutation' | 'subscription';
  name: string | null;
  /** The root fields it selects (`orderUpdated`). */
  fields: string[];
  /** Its variables (`$storeId: ID!` → `storeId`, `ID!`). */
  variables: SdlArg[];
  /** The operation's text as written, from its keyword to its closing brace. */
  text: string;
  line: number;
}

export interface SdlDocument {
  types: SdlType[];
  /** `schema { subscription: Sub }`: the root type names the document sets. */
  roots: Partial<Record<'query' | 'mutation' | 'subscription', string>>;
  operations: SdlOperation[];
}

interface Token {
  /** A name, a punctuator, or '' for a value (string, number) that only needs skipping. */
  text: string;
  kind: 'name' | 'punct' | 'value';
  line: number;
  start: number;
  end: number;
}

const NAME = /[_A-Za-z][_0-9A-Za-z]*/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The tokens of a document: comments, commas and whitespace dropped, strings kept as values. */
function tokens(text: string, firstLine: number): Token[] {
  const out: Token[] = [];
  let line = firstLine;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === '\uFEFF') i++;
    else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('"""', i)) {
      const start = i;
      const close = text.indexOf('"""', i + 3);
      const end = close < 0 ? text.length : close + 3;
      const startLine = line;
      for (let j = i; j < end; j++) if (text[j] === '\n') line++;
      out.push({ text: '', kind: 'value', line: startLine, start, end });
      i = end;
    } else if (c === '"') {
      const start = i;
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
      out.push({ text: '', kind: 'value', line, start, end: i });
    } else if (text.startsWith('...', i)) {
      out.push({ text: '...', kind: 'punct', line, start: i, end: i + 3 });
      i += 3;
    } else if ('{}()[]:!=@|&$'.includes(c)) {
      out.push({ text: c, kind: 'punct', line, start: i, end: i + 1 });
      i++;
    } else {
      NAME.lastIndex = i;
      const name = NAME.exec(text);
      if (name) {
        out.push({ text: name[0], kind: 'name', line, start: i, end: i + name[0].length });
        i += name[0].length;
        continue;
      }
      NUMBER.lastIndex = i;
      const num = NUMBER.exec(text);
      if (num) {
        out.push({ text: '', kind: 'value', line, start: i, end: i + num[0].length });
        i += num[0].length;
        continue;
      }
      i++;
    }
  }
  return out;
}

const KINDS = new Set<string>(['type', 'interface', 'input', 'enum', 'union', 'scalar']);
const OPERATIONS = new Set<string>(['query', 'mutation', 'subscription']);

/** Read a GraphQL document; `firstLine` is the line its first character is on in its file. */
export function readSdl(text: string, firstLine = 1): SdlDocument {
  const t = tokens(text, firstLine);
  const doc: SdlDocument = { types: [], roots: {}, operations: [] };
  let i = 0;
  const at = (k: number, s: string) => t[k]?.text === s;

  /** Past a balanced group that opens at k (`(`, `[` or `{`): the index after its close. */
  const skipGroup = (k: number): number => {
    const open = t[k]!.text;
    const close = open === '(' ? ')' : open === '[' ? ']' : '}';
    let depth = 0;
    for (let j = k; j < t.length; j++) {
      if (t[j]!.text === open) depth++;
      else if (t[j]!.text === close && --depth === 0) return j + 1;
    }
    return t.length;
  };
  /** Past directives (`@deprecated(reason: "…")`). */
  const skipDirectives = (k: number): number => {
    while (at(k, '@') && t[k + 1]?.kind === 'name') {
      k += 2;
      if (at(k, '(')) k = skipGroup(k);
    }
    return k;
  };
  /** A type reference at k: `Name`, `Name!`, `[Name!]!`; its text and the index after it, or null. */
  const typeRef = (k: number): { text: string; next: number } | null => {
    if (at(k, '[')) {
      const inner = typeRef(k + 1);
      if (!inner || !at(inner.next, ']')) return null;
      const bang = at(inner.next + 1, '!');
      return { text: `[${inner.text}]${bang ? '!' : ''}`, next: inner.next + (bang ? 2 : 1) };
    }
    if (t[k]?.kind !== 'name') return null;
    const bang = at(k + 1, '!');
    return { text: `${t[k]!.text}${bang ? '!' : ''}`, next: k + (bang ? 2 : 1) };
  };
  /** Skip a value (a default value): one token, or a balanced list or object. */
  const skipValue = (k: number): number => {
    if (at(k, '[') || at(k, '{')) return skipGroup(k);
    if (at(k, '$')) return k + 2;
    return k + 1;
  };
  /** Arguments or input fields: `name: Type = default @dir`, until `close`. */
  const argList = (k: number, close: string): { args: SdlArg[]; next: number } => {
    const args: SdlArg[] = [];
    while (k < t.length && !at(k, close)) {
      if (t[k]!.kind === 'value') {
        k++;
        continue;
      }
      if (t[k]!.kind !== 'name' || !at(k + 1, ':')) return { args, next: skipToClose(k, close) };
      const ref = typeRef(k + 2);
      if (!ref) return { args, next: skipToClose(k, close) };
      args.push({ name: t[k]!.text, type: ref.text });
      k = ref.next;
      if (at(k, '=')) k = skipValue(k + 1);
      k = skipDirectives(k);
    }
    return { args, next: k + 1 };
  };
  /** The index after the `close` that ends the group k is inside. */
  const skipToClose = (k: number, close: string): number => {
    const open = close === ')' ? '(' : close === ']' ? '[' : '{';
    let depth = 1;
    for (let j = k; j < t.length; j++) {
      if (t[j]!.text === open) depth++;
      else if (t[j]!.text === close && --depth === 0) return j + 1;
    }
    return t.length;
  };
  /** Fields of a type or interface body that opens at k. */
  const fieldList = (k: number): { fields: SdlField[]; next: number } => {
    const fields: SdlField[] = [];
    k++;
    while (k < t.length && !at(k, '}')) {
      if (t[k]!.kind === 'value') {
        k++;
        continue;
      }
      const name = t[k];
      if (name?.kind !== 'name') return { fields, next: skipToClose(k, '}') };
      k++;
      let args: SdlArg[] = [];
      if (at(k, '(')) {
        const list = argList(k + 1, ')');
        args = list.args;
        k = list.next;
      }
      if (!at(k, ':')) return { fields, next: skipToClose(k, '}') };
      const ref = typeRef(k + 1);
      if (!ref) return { fields, next: skipToClose(k, '}') };
      const directives: string[] = [];
      for (let j = ref.next; at(j, '@') && t[j + 1]?.kind === 'name'; j = at(j + 2, '(') ? skipGroup(j + 2) : j + 2) directives.push(t[j + 1]!.text);
      fields.push({ name: name.text, type: ref.text, args, line: name.line, ...(directives.length > 0 ? { directives } : {}) });
      k = skipDirectives(ref.next);
    }
    return { fields, next: k + 1 };
  };
  /** Root field names a selection set at k selects (aliases resolved to the field). */
  const rootFields = (k: number): string[] => {
    const out: string[] = [];
    const end = skipGroup(k);
    let j = k + 1;
    while (j < end - 1) {
      if (at(j, '{') || at(j, '(')) {
        j = skipGroup(j);
        continue;
      }
      if (at(j, '...')) {
        j += 2;
        continue;
      }
      if (at(j, '@')) {
        j = skipDirectives(j);
        continue;
      }
      if (t[j]!.kind === 'name') {
        const name = at(j + 1, ':') && t[j + 2]?.kind === 'name' ? t[j + 2]!.text : t[j]!.text;
        out.push(name);
        j += at(j + 1, ':') ? 3 : 1;
        continue;
      }
      j++;
    }
    return out;
  };

  while (i < t.length) {
    const tok = t[i]!;
    if (tok.kind === 'value') {
      i++;
      continue;
    }
    if (tok.kind === 'punct') {
      i = at(i, '{') || at(i, '(') || at(i, '[') ? skipGroup(i) : i + 1;
      continue;
    }
    const extend = tok.text === 'extend';
    const head = extend ? i + 1 : i;
    const word = t[head]?.text ?? '';
    if (word === 'schema') {
      let k = skipDirectives(head + 1);
      if (at(k, '{')) {
        const end = skipGroup(k);
        for (k++; k < end - 1; k++) {
          const op = t[k]!.text;
          if (OPERATIONS.has(op) && at(k + 1, ':') && t[k + 2]?.kind === 'name') doc.roots[op as 'subscription'] = t[k + 2]!.text;
        }
        i = end;
      } else i = k;
      continue;
    }
    if (KINDS.has(word) && t[head + 1]?.kind === 'name') {
      const type: SdlType = { name: t[head + 1]!.text, kind: word as SdlKind, extend, fields: [], values: [], members: [], line: t[head + 1]!.line };
      let k = head + 2;
      if (at(k, 'implements')) {
        k++;
        while (at(k, '&') || (t[k]?.kind === 'name' && !at(k + 1, ':'))) k++;
      }
      k = skipDirectives(k);
      if (word === 'union' && at(k, '=')) {
        k++;
        if (at(k, '|')) k++;
        while (t[k]?.kind === 'name') {
          type.members.push(t[k]!.text);
          if (!at(k + 1, '|')) {
            k++;
            break;
          }
          k += 2;
        }
      } else if (at(k, '{') && word === 'enum') {
        const end = skipGroup(k);
        for (let j = k + 1; j < end - 1; j++) {
          if (at(j, '@')) j = skipDirectives(j) - 1;
          else if (t[j]!.kind === 'name') type.values.push(t[j]!.text);
        }
        k = end;
      } else if (at(k, '{') && word === 'input') {
        const list = argList(k + 1, '}');
        type.fields = list.args.map((a) => ({ name: a.name, type: a.type, args: [], line: type.line }));
        k = list.next;
      } else if (at(k, '{')) {
        const list = fieldList(k);
        type.fields = list.fields;
        k = list.next;
      }
      doc.types.push(type);
      i = k;
      continue;
    }
    if (OPERATIONS.has(word) && !extend) {
      let k = head + 1;
      const name = t[k]?.kind === 'name' ? t[k]!.text : null;
      if (name) k++;
      const variables: SdlArg[] = [];
      if (at(k, '(')) {
        const end = skipGroup(k);
        for (let j = k + 1; j < end - 1; j++) {
          if (!at(j, '$') || t[j + 1]?.kind !== 'name' || !at(j + 2, ':')) continue;
          const ref = typeRef(j + 3);
          if (ref) variables.push({ name: t[j + 1]!.text, type: ref.text });
        }
        k = end;
      }
      k = skipDirectives(k);
      if (at(k, '{')) {
        const end = skipGroup(k);
        doc.operations.push({
          kind: word as SdlOperation['kind'],
          name,
          fields: rootFields(k),
          variables,
          text: text.slice(tok.start, t[end - 1]!.end),
          line: tok.line,
        });
        i = end;
      } else i = k;
      continue;
    }
    i++;
  }
  return doc;
}

/** The name of a type reference without list and non-null marks: `[Order!]!` → `Order`. */
export function namedType(ref: string): string {
  return ref.replace(/[[\]!]/g, '');
}

/**
 * The GraphQL documents of a JS/TS source: each `gql` or `graphql` tagged template literal, with
 * its interpolations (fragment spreads) blanked so lines stay where they are, and the line it
 * starts on.
 */
export function taggedDocuments(source: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  for (const m of source.matchAll(/\b(?:gql|graphql)(?:\s*<[^<>`]{0,200}>)?\s*`/g)) {
    const open = m.index + m[0].length;
    let j = open;
    let depth = 0;
    let body = '';
    for (; j < source.length; j++) {
      const c = source[j]!;
      if (depth === 0 && c === '`') break;
      if (c === '\\') {
        body += depth === 0 ? c + (source[j + 1] ?? '') : ' ';
        j++;
        continue;
      }
      if (depth === 0 && c === '$' && source[j + 1] === '{') {
        depth = 1;
        body += '  ';
        j++;
        continue;
      }
      if (depth > 0) {
        if (c === '{') depth++;
        else if (c === '}') depth--;
        body += c === '\n' ? '\n' : ' ';
        continue;
      }
      body += c;
    }
    if (j >= source.length) break;
    out.push({ text: body, line: source.slice(0, open).split('\n').length });
  }
  return out;
}
