// The GraphQL schema a project defines (SDL in `.graphql`/`.gql` files and in `gql`/`graphql`
// tagged templates) and the operations its clients send: a `Subscription` field is a server
// event (adapters/graphql.ts), and its return type is the payload it delivers. Each payload field
// cites the schema line that declares it; the client's `subscription` document, where the code
// has one, is what a load test sends. Only what the schema spells out is read: a field typed by
// a name the schema does not define is `unknown`, never guessed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ModelFact, RtEvent } from '../../types.js';
import { readLimitedText } from '../../shared/read-limited.js';
import type { FileFacts } from '../code/facts.js';
import type { RawEvent } from '../code/events.js';
import type { SiteField } from '../code/payloads.js';
import { namedType, readSdl, type SdlDocument, type SdlField, type SdlType, taggedDocuments } from '../code/graphql-sdl.js';
import { ev } from '../code/merge.js';
import { isNonProduction } from './scope.js';

const MAX_BYTES = 1024 * 1024;
/** Modules whose `gql`/`graphql` export tags a GraphQL document. */
const TAG_MODULES =
  /^(?:graphql-tag|@apollo\/client(?:\/.*)?|apollo-server(?:-[\w-]+)?|@apollo\/server|graphql-request|urql|@urql\/[\w-]+|graphql-yoga|mercurius|react-relay|relay-runtime|@graphql-tools\/[\w-]+|apollo-angular|@apollo\/client\/core)$/;

export interface GraphqlFile {
  file: string;
  doc: SdlDocument;
}

/** Read the project's GraphQL documents: the `.graphql`/`.gql` files and the tagged templates of modules that import a `gql` tag. */
export async function readGraphqlDocuments(root: string, graphqlFiles: readonly string[], modules: ReadonlyMap<string, FileFacts>): Promise<GraphqlFile[]> {
  const within = await fs.realpath(root).catch(() => path.resolve(root));
  const out: GraphqlFile[] = [];
  for (const file of graphqlFiles) {
    if (isNonProduction(file)) continue;
    const read = await readLimitedText(path.join(within, file), { maxBytes: MAX_BYTES, within });
    if (read.ok) out.push({ file, doc: readSdl(read.text) });
  }
  const tagged = [...modules.values()].filter(
    (f) =>
      !isNonProduction(f.file) &&
      f.imports.some(
        (i) =>
          TAG_MODULES.test(i.source) &&
          i.locals.some((l) => l.imported === 'gql' || l.imported === 'graphql' || (i.source === 'graphql-tag' && l.imported === 'default')),
      ),
  );
  for (const f of tagged.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    const read = await readLimitedText(path.join(within, f.file), { maxBytes: MAX_BYTES, within });
    if (!read.ok) continue;
    for (const d of taggedDocuments(read.text)) out.push({ file: f.file, doc: readSdl(d.text, d.line) });
  }
  return out;
}

interface Declared {
  type: Omit<SdlType, 'fields'> & { fields: (SdlField & { file: string })[] };
  file: string;
}

/** The schema's types by name (extensions add fields), and the fields of its subscription root. */
function schemaOf(files: readonly GraphqlFile[]) {
  const types = new Map<string, Declared>();
  for (const { file, doc } of files)
    for (const t of doc.types) {
      const fields = t.fields.map((x) => ({ ...x, file }));
      const prev = types.get(t.name);
      // The definition names the type's home; an extension (`extend type`) only adds fields.
      if (!prev) types.set(t.name, { type: { ...t, fields }, file });
      else if (prev.type.extend && !t.extend) types.set(t.name, { type: { ...t, fields: [...fields, ...prev.type.fields] }, file });
      else prev.type.fields.push(...fields);
    }
  const rootName = files.map((f) => f.doc.roots.subscription).find((r) => r !== undefined) ?? 'Subscription';
  const root = types.get(rootName);
  return { types, root, rootName };
}

const SCALARS: Record<string, string> = { ID: 'string', String: 'string', Int: 'integer', Float: 'number', Boolean: 'boolean' };

/** A field's type as a small TypeScript type: scalars, enums as literal unions, lists; nullable as `| null`. */
function tsType(ref: string, types: ReadonlyMap<string, Declared>): string {
  const nonNull = ref.endsWith('!');
  const bare = nonNull ? ref.slice(0, -1) : ref;
  let inner: string;
  if (bare.startsWith('[')) {
    const item = tsType(bare.slice(1, -1), types);
    inner = `${/[|]/.test(item) ? `(${item})` : item}[]`;
  } else {
    const t = types.get(bare)?.type;
    inner =
      SCALARS[bare] ??
      (t?.kind === 'enum' && t.values.length > 0
        ? t.values.map((v) => `'${v}'`).join(' | ')
        : t?.kind === 'type' || t?.kind === 'interface'
          ? 'Record<string, unknown>'
          : 'unknown');
  }
  return nonNull || inner === 'unknown' ? inner : `${inner} | null`;
}

/** The fields of an object or interface type as payload fields, each at its schema line. */
function fieldsOf(name: string, types: ReadonlyMap<string, Declared>, depth = 0): SiteField[] | null {
  const d = types.get(name);
  if (!d || (d.type.kind !== 'type' && d.type.kind !== 'interface') || d.type.fields.length === 0) return null;
  return d.type.fields.map((f) => {
    const nested = depth === 0 && !f.type.startsWith('[') ? fieldsOf(namedType(f.type), types, 1) : null;
    return { name: f.name, type: tsType(f.type, types), optional: false, line: f.line, file: f.file, ...(nested ? { nested } : {}) };
  });
}

/**
 * The server events that are fields of the schema's subscription type get the payload their
 * return type declares (an object or interface type the schema defines), at the schema's lines.
 */
export function withSchemaPayloads(raw: RawEvent[], files: readonly GraphqlFile[]): RawEvent[] {
  const { types, root } = schemaOf(files);
  if (!root) return raw;
  return raw.map((e) => {
    if (e.side !== 'server' || e.act !== 'emit' || e.transport !== 'websocket' || (e.payload?.fields.length ?? 0) > 0) return e;
    const field = root.type.fields.find((f) => f.name === e.name);
    const fields = field ? fieldsOf(namedType(field.type), types) : null;
    return fields ? { ...e, payload: { fields, complete: true } } : e;
  });
}

/** Each subscription event's schema field (return type, arguments, line) and the client's subscription document that selects it. */
export function withSchemaFields(events: RtEvent[], files: readonly GraphqlFile[]): RtEvent[] {
  const { root } = schemaOf(files);
  const operations = files.flatMap(({ file, doc }) => doc.operations.filter((o) => o.kind === 'subscription').map((o) => ({ ...o, file })));
  return events.map((e) => {
    if (e.direction !== 'server-to-client' || e.transport !== 'websocket') return e;
    const field = root?.type.fields.find((f) => f.name === e.name);
    const op = operations.find((o) => o.fields.length === 1 && o.fields[0] === e.name);
    if (!field && !op) return e;
    return {
      ...e,
      graphql: {
        ...(field ? { returns: field.type, args: field.args, schema: ev(field.file, field.line) } : {}),
        ...(op ? { document: { text: op.text, ...(op.name ? { name: op.name } : {}), variables: op.variables, evidence: ev(op.file, op.line) } } : {}),
      },
    };
  });
}

/**
 * The keys the server reads from graphql-ws's `connectionParams` (the `connection_init` payload),
 * `ctx.connectionParams.authToken` → `authToken`, each where it is first read.
 */
export function connectionParamsRead(modules: ReadonlyMap<string, FileFacts>): { name: string; evidence: string }[] {
  const out = new Map<string, string>();
  const files = [...modules.values()].filter((f) => !isNonProduction(f.file)).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const f of files)
    for (const m of [...f.members].sort((a, b) => a.line - b.line)) {
      const key = /(?:^|\.)connectionParams\.(\w+)$/.exec(m.path)?.[1];
      if (key && !out.has(key)) out.set(key, ev(f.file, m.line));
    }
  return [...out].map(([name, evidence]) => ({ name, evidence }));
}

/**
 * Where the server builds the per-request context: a `context` function in a call's options
 * (`expressMiddleware`, `useServer`, `startStandaloneServer`), and whether it refuses a request
 * itself (it creates an error in its own body: `throw new GraphQLError('unauthenticated', …)`).
 */
function contextBuilders(modules: ReadonlyMap<string, FileFacts>): { at: string; refuses: boolean }[] {
  const out = new Map<string, boolean>();
  for (const f of modules.values()) {
    if (isNonProduction(f.file)) continue;
    for (const c of f.calls)
      for (const a of c.args) {
        const ctx = a.kind === 'object' ? a.props?.context : undefined;
        if (ctx?.kind !== 'function') continue;
        const refuses = f.calls.some((e) => e.fnAt === ctx.line && ((e.isNew && e.path.endsWith('Error')) || e.path === 'Promise.reject'));
        out.set(ev(f.file, ctx.line), refuses);
      }
  }
  return [...out].map(([at, refuses]) => ({ at, refuses })).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** A GraphQL argument that names an object: an `ID` or a name ending in `id`. */
const OBJECT_ARG = (a: { name: string; type: string }): boolean =>
  a.type.replace(/[[\]!\s]/g, '') === 'ID' || /(?:^|[a-z_])(?:id|Id|ID|ids|Ids|IDs)$/.test(a.name);

/**
 * `Mutation` resolvers, and `Query` resolvers whose schema field takes an argument naming an object
 * (an `ID`), that never read their context argument, each at its key's line. Not reported: a field
 * the schema marks with a directive (an `@auth` the schema transformer enforces), a query with no
 * such argument (a public clock, catalog or config is public by design), and any where every context
 * builder refuses a request itself (it throws before a resolver runs).
 */
export function resolversWithoutContext(modules: ReadonlyMap<string, FileFacts>, files: readonly GraphqlFile[]): ModelFact[] {
  const directed = new Set<string>();
  const objectArgs = new Set<string>();
  for (const g of files)
    for (const t of g.doc.types)
      for (const fld of t.fields) {
        if (fld.directives?.length) directed.add(`${t.name}.${fld.name}`);
        if (fld.args.some(OBJECT_ARG)) objectArgs.add(`${t.name}.${fld.name}`);
      }
  const all = contextBuilders(modules);
  if (all.length > 0 && all.every((b) => b.refuses)) return [];
  const builders = all.map((b) => b.at);
  const out: ModelFact[] = [];
  const mods = [...modules.values()].filter((f) => !isNonProduction(f.file)).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const f of mods)
    for (const r of f.resolvers ?? []) {
      if (r.readsContext || r.type === 'Subscription' || directed.has(`${r.type}.${r.field}`)) continue;
      const name = `${r.type}.${r.field}`;
      if (r.type === 'Query' && !objectArgs.has(name)) continue;
      out.push({
        kind: 'resolver-no-context',
        name,
        evidence: ev(f.file, r.line),
        store: builders.join(', '),
        note: `The \`${r.field}\` resolver never reads its context argument, so no identity the server builds for the request${builders.length ? ` (${builders.map((b) => `\`${b}\``).join(', ')})` : ''} is checked before it runs.`,
      });
    }
  return out;
}

/** Subscriptions whose every result refetches a whole query (refetch-on-event.ts), each at its refetch call. */
export function refetchesPerEvent(modules: ReadonlyMap<string, FileFacts>): ModelFact[] {
  const out: ModelFact[] = [];
  const mods = [...modules.values()].filter((f) => !isNonProduction(f.file)).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const f of mods)
    for (const r of f.refetchOnEvent ?? []) {
      const sub = r.subscription ? `\`${r.subscription}\`` : 'the subscription';
      const query = r.query ? `\`${r.query}\`` : 'the query';
      out.push({
        kind: 'refetch-per-event',
        name: r.subscription ?? '',
        ...(r.query ? { value: r.query } : {}),
        store: ev(f.file, r.queryLine),
        evidence: ev(f.file, r.line),
        note: `Every ${sub} result makes this component run ${query} (\`${ev(f.file, r.queryLine)}\`) again, so each event costs one download of that query's whole result per mounted component, on top of the event itself.`,
      });
    }
  return out;
}
