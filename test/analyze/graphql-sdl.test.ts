// The GraphQL document reader (code/graphql-sdl.ts): types, fields, arguments and lines of a
// schema, the operations a client sends, and gql-tagged templates in code.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { namedType, readSdl, taggedDocuments } from '../../src/analyze/code/graphql-sdl.js';
import type { RawEvent } from '../../src/analyze/code/events.js';
import { analyzeProject } from '../../src/analyze/index.js';
import { withSchemaFields, withSchemaPayloads } from '../../src/analyze/model/graphql-schema.js';
import type { RtEvent } from '../../src/types.js';

const SCHEMA = `"""
An order on a kitchen screen.
"""
type Order implements Node & Timestamped @key(fields: "id") {
  id: ID!
  "the store it belongs to"
  storeId: ID!
  items: [String!]!
  status: OrderStatus! @deprecated(reason: "use state")
  note(max: Int = 40, tags: [String] = ["a", "b"]): String
}

# the lifecycle
enum OrderStatus { RECEIVED COOKING @deprecated READY PICKED_UP }

union Feed = | Order | Notice

input Filter { storeId: ID!, since: String = "0" }

scalar DateTime

type Subscription {
  orderUpdated(storeId: ID!, filter: Filter): Order!
}

extend type Subscription {
  noticePosted: Notice
}

schema { query: Query subscription: Subscription }
`;

describe('readSdl', () => {
  const doc = readSdl(SCHEMA);
  it('reads object types with their fields, arguments and lines', () => {
    const order = doc.types.find((t) => t.name === 'Order')!;
    expect(order).toMatchObject({ kind: 'type', extend: false, line: 4 });
    expect(order.fields.map((f) => [f.name, f.type, f.line])).toEqual([
      ['id', 'ID!', 5],
      ['storeId', 'ID!', 7],
      ['items', '[String!]!', 8],
      ['status', 'OrderStatus!', 9],
      ['note', 'String', 10],
    ]);
    expect(order.fields[4]!.args).toEqual([
      { name: 'max', type: 'Int' },
      { name: 'tags', type: '[String]' },
    ]);
  });
  it('reads enums, unions, inputs and scalars', () => {
    expect(doc.types.find((t) => t.name === 'OrderStatus')!.values).toEqual(['RECEIVED', 'COOKING', 'READY', 'PICKED_UP']);
    expect(doc.types.find((t) => t.name === 'Feed')!.members).toEqual(['Order', 'Notice']);
    expect(doc.types.find((t) => t.name === 'Filter')!.fields.map((f) => [f.name, f.type])).toEqual([
      ['storeId', 'ID!'],
      ['since', 'String'],
    ]);
    expect(doc.types.find((t) => t.name === 'DateTime')!.kind).toBe('scalar');
  });
  it('reads the Subscription type, its extension and the schema roots', () => {
    const subs = doc.types.filter((t) => t.name === 'Subscription');
    expect(subs.map((s) => [s.extend, s.fields.map((f) => `${f.name}:${f.type}@${f.line}`)])).toEqual([
      [false, ['orderUpdated:Order!@23']],
      [true, ['noticePosted:Notice@27']],
    ]);
    expect(subs[0]!.fields[0]!.args).toEqual([
      { name: 'storeId', type: 'ID!' },
      { name: 'filter', type: 'Filter' },
    ]);
    expect(doc.roots).toEqual({ query: 'Query', subscription: 'Subscription' });
  });
  it('reads operations with their root fields and text, and counts lines from firstLine', () => {
    const ops = readSdl(
      'query Q { a { b } }\n\nsubscription OrderUpdated($storeId: ID!) {\n  live: orderUpdated(storeId: $storeId) { id ...F }\n}\n',
      10,
    ).operations;
    expect(ops[1]!.variables).toEqual([{ name: 'storeId', type: 'ID!' }]);
    expect(ops.map((o) => [o.kind, o.name, o.fields, o.line])).toEqual([
      ['query', 'Q', ['a'], 10],
      ['subscription', 'OrderUpdated', ['orderUpdated'], 12],
    ]);
    expect(ops[1]!.text).toBe('subscription OrderUpdated($storeId: ID!) {\n  live: orderUpdated(storeId: $storeId) { id ...F }\n}');
  });
  it('yields nothing wrong from text that is not GraphQL', () => {
    expect(readSdl('const x = { type: 1 }; type Foo = { a: string }').types.flatMap((t) => t.fields)).toEqual([]);
    expect(readSdl('type Broken { a: }').types[0]!.fields).toEqual([]);
    expect(readSdl('"""never closed').types).toEqual([]);
  });
  it('names the type under list and non-null marks', () => {
    expect(namedType('[Order!]!')).toBe('Order');
  });
});

describe('taggedDocuments', () => {
  it('finds gql and graphql templates, blanking interpolations, at their lines', () => {
    const src =
      "import { gql } from '@apollo/client';\nexport const A = gql`\n  subscription S { s { ...F } }\n  ${FRAG}\n`;\nconst b = graphql(`x`);\nconst c = graphql`type T { a: Int }`;\n";
    const docs = taggedDocuments(src);
    expect(docs.map((d) => d.line)).toEqual([2, 7]);
    expect(docs[0]!.text).toBe('\n  subscription S { s { ...F } }\n         \n');
    expect(readSdl(docs[1]!.text, docs[1]!.line).types[0]).toMatchObject({ name: 'T', line: 7 });
  });
});

describe('the schema in the project model (model/graphql-schema.ts)', () => {
  it('types a Subscription field event by its return type, at the schema lines, with the client document', async () => {
    const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'projects', 'model-graphql-ws-apollo');
    const a = await analyzeProject(root);
    const e = a.events.find((x) => x.name === 'orderUpdated')!;
    expect(e.payload!.map((p) => [p.name, p.type, p.description])).toEqual([
      ['id', 'string', 'inferred from server/src/schema/schema.graphql:9'],
      ['storeId', 'string', 'inferred from server/src/schema/schema.graphql:10'],
      ['items', 'string[]', 'inferred from server/src/schema/schema.graphql:11'],
      ['status', "'RECEIVED' | 'COOKING' | 'READY' | 'PICKED_UP'", 'inferred from server/src/schema/schema.graphql:12'],
      ['updatedAt', 'string', 'inferred from server/src/schema/schema.graphql:13'],
    ]);
    expect(e.graphql).toEqual({
      returns: 'Order!',
      args: [{ name: 'storeId', type: 'ID!' }],
      schema: 'server/src/schema/schema.graphql:25',
      document: {
        name: 'OrderUpdated',
        variables: [{ name: 'storeId', type: 'ID!' }],
        text: 'subscription OrderUpdated($storeId: ID!) {\n    orderUpdated(storeId: $storeId) { id storeId items status updatedAt }\n  }',
        evidence: 'web/src/orders/operations.ts:16',
      },
    });
  });

  it('reads typeDefs in gql templates, extensions in another file, and leaves undefined types unknown', () => {
    const files = [
      { file: 'src/a.ts', doc: readSdl('type Subscription { msg(room: ID!): Message }\ntype Message { id: ID! body: String at: DateTime author: User }', 3) },
      { file: 'src/b.ts', doc: readSdl('extend type Subscription { typing: Typing! }', 7) },
    ];
    const raw: RawEvent[] = ['msg', 'typing'].map((name) => ({ name, act: 'emit', side: 'server', transport: 'websocket', file: 'src/r.ts', line: 1 }));
    const [msg, typing] = withSchemaPayloads(raw, files);
    expect(msg!.payload!.fields.map((f) => [f.name, f.type, `${f.file}:${f.line}`])).toEqual([
      ['id', 'string', 'src/a.ts:4'],
      ['body', 'string | null', 'src/a.ts:4'],
      ['at', 'unknown', 'src/a.ts:4'],
      ['author', 'unknown', 'src/a.ts:4'],
    ]);
    // Typing is not defined: no payload is claimed.
    expect(typing!.payload).toBeUndefined();
    const events: RtEvent[] = ['msg', 'typing'].map((name) => ({
      name,
      direction: 'server-to-client',
      origin: 'existing',
      evidence: 'src/r.ts:1',
      transport: 'websocket',
    }));
    expect(withSchemaFields(events, files).map((e) => e.graphql)).toEqual([
      { returns: 'Message', args: [{ name: 'room', type: 'ID!' }], schema: 'src/a.ts:3' },
      { returns: 'Typing!', args: [], schema: 'src/b.ts:7' },
    ]);
  });
});

describe('typeDefs in a gql template (no .graphql file)', () => {
  it('types the subscription from the template at its lines in the module', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-gql-'));
    mkdirSync(path.join(root, 'src'));
    writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({ name: 'g', type: 'module', dependencies: { 'graphql-ws': '^5.16.0', ws: '^8.18.0', 'graphql-tag': '^2.12.6', graphql: '^16.9.0' } }),
    );
    writeFileSync(
      path.join(root, 'src', 'server.ts'),
      [
        "import gql from 'graphql-tag';",
        "import { useServer } from 'graphql-ws/lib/use/ws';",
        "import { WebSocketServer } from 'ws';",
        'export const typeDefs = gql`',
        '  type Message { id: ID! text: String! sentAt: Float }',
        '  type Subscription {',
        '    messageAdded(room: ID!): Message!',
        '  }',
        '`;',
        'export const resolvers = { Subscription: { messageAdded: { subscribe: () => pubsub.asyncIterator("m") } } };',
        'const wss = new WebSocketServer({ port: 4000, path: "/graphql" });',
        'useServer({ schema }, wss);',
        '',
      ].join('\n'),
    );
    const e = (await analyzeProject(root)).events.find((x) => x.name === 'messageAdded')!;
    expect(e.payload!.map((p) => [p.name, p.type, p.description])).toEqual([
      ['id', 'string', 'inferred from src/server.ts:5'],
      ['text', 'string', 'inferred from src/server.ts:5'],
      ['sentAt', 'number | null', 'inferred from src/server.ts:5'],
    ]);
    expect(e.graphql).toEqual({ returns: 'Message!', args: [{ name: 'room', type: 'ID!' }], schema: 'src/server.ts:7' });
  });
});
