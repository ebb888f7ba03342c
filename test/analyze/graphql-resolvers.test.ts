// GraphQL resolvers that never read their context argument (`resolver-no-context`): a query or a
// mutation that checks nobody. One that reads the context (`ctx.user`, `context.staff`, a
// destructured `{ user }`), one wrapped by a guard function, a subscription, and a field the schema
// marks with a directive are not reported.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const pkg = JSON.stringify({
  name: 'orders',
  type: 'module',
  dependencies: { '@apollo/server': '^4.11.0', graphql: '^16.9.0', 'graphql-ws': '^5.16.0', ws: '^8.18.0' },
});

const server = [
  "import { ApolloServer } from '@apollo/server';",
  "import { startStandaloneServer } from '@apollo/server/standalone';",
  "import { resolvers } from './resolvers.js';",
  "const typeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');",
  'const server = new ApolloServer({ typeDefs, resolvers });',
  'await startStandaloneServer(server, {',
  '  context: async ({ req }) => ({ user: await userFrom(req.headers.authorization) }),',
  '});',
  "import { WebSocketServer } from 'ws';",
  "import { useServer } from 'graphql-ws/lib/use/ws';",
  'useServer({ schema, context: (ctx) => ({ user: verify(ctx.connectionParams?.token) }) }, new WebSocketServer({ port: 4001 }));',
].join('\n');

const resolvers = [
  "import { authenticated } from './guards.js';",
  'export const resolvers = {',
  '  Query: {',
  '    openOrders: (_, args) => findOpen(args.storeId),',
  '    order(_, { id }, ctx) {',
  "      if (!ctx.user) throw new Error('forbidden');",
  '      return find(id);',
  '    },',
  '    me: (_p, _a, { user }) => user,',
  '    archived: authenticated((_, args) => findArchived(args.storeId)),',
  '    audit: (_, args) => audit(args.id),',
  '  },',
  '  Mutation: {',
  '    setOrderStatus: async (_, args) => updateStatus(args.id, args.status),',
  '    cancel: async (_, args, context) => {',
  '      requireStaff(context.staff);',
  '      return cancel(args.id);',
  '    },',
  '    refund: async (_, args, context) => refund(args.id),',
  '  },',
  '  Subscription: {',
  '    orderUpdated: { subscribe: (_, args) => pubsub.asyncIterator(args.storeId) },',
  '  },',
  '};',
].join('\n');

const schema = [
  '  type Query {',
  '    openOrders(storeId: ID!): [String!]!',
  '    order(id: ID!): String',
  '    me: String',
  '    archived(storeId: ID!): [String!]!',
  '    audit(id: ID!): String @auth(requires: MANAGER)',
  '  }',
  '  type Mutation {',
  '    setOrderStatus(id: ID!, status: String!): String!',
  '    cancel(id: ID!): String!',
  '    refund(id: ID!): String!',
  '  }',
  '  type Subscription {',
  '    orderUpdated(storeId: ID!): String!',
  '  }',
].join('\n');

describe('GraphQL resolvers that never read their context', () => {
  it('reports only the queries and mutations that check nobody, with where the context is built', async () => {
    const a = await analyzeTree({ 'package.json': pkg, 'src/server.js': server, 'src/resolvers.js': resolvers, 'src/schema.graphql': schema });
    const facts = (a.modelFacts ?? []).filter((f) => f.kind === 'resolver-no-context');
    expect(facts.map((f) => [f.name, f.evidence, f.store])).toEqual([
      ['Query.openOrders', 'src/resolvers.js:4', 'src/server.js:11, src/server.js:7'],
      ['Mutation.setOrderStatus', 'src/resolvers.js:14', 'src/server.js:11, src/server.js:7'],
      ['Mutation.refund', 'src/resolvers.js:19', 'src/server.js:11, src/server.js:7'],
    ]);
    expect(facts[0]!.note).toBe(
      'The `openOrders` resolver never reads its context argument, so no identity the server builds for the request (`src/server.js:11`, `src/server.js:7`) is checked before it runs.',
    );
  });

  it('does not report a query with no argument naming an object (a public clock is public by design)', async () => {
    const withClock = resolvers.replace('  Query: {\n', '  Query: {\n    serverTime: () => new Date().toISOString(),\n');
    const a = await analyzeTree({
      'package.json': pkg,
      'src/server.js': server,
      'src/resolvers.js': withClock,
      'src/schema.graphql': schema.replace('  type Query {\n', '  type Query {\n    serverTime: String!\n'),
    });
    expect((a.modelFacts ?? []).filter((f) => f.kind === 'resolver-no-context').map((f) => f.name)).toEqual([
      'Query.openOrders',
      'Mutation.setOrderStatus',
      'Mutation.refund',
    ]);
  });

  it('reports nothing where every context builder refuses a request itself, and all where one does not', async () => {
    const refusing = (ws: string) =>
      server
        .replace(
          '  context: async ({ req }) => ({ user: await userFrom(req.headers.authorization) }),',
          "  context: async ({ req }) => {\n    const user = await userFrom(req.headers.authorization);\n    if (!user) throw new GraphQLError('unauthenticated');\n    return { user };\n  },",
        )
        .replace('context: (ctx) => ({ user: verify(ctx.connectionParams?.token) })', ws);
    const names = async (srv: string) =>
      ((await analyzeTree({ 'package.json': pkg, 'src/server.js': srv, 'src/resolvers.js': resolvers, 'src/schema.graphql': schema })).modelFacts ?? [])
        .filter((f) => f.kind === 'resolver-no-context')
        .map((f) => f.name);
    expect(
      await names(refusing("context: (ctx) => { const user = verify(ctx.connectionParams?.token); if (!user) throw new Error('no'); return { user }; }")),
    ).toEqual([]);
    expect(await names(refusing('context: (ctx) => ({ user: verify(ctx.connectionParams?.token) })'))).toEqual([
      'Query.openOrders',
      'Mutation.setOrderStatus',
      'Mutation.refund',
    ]);
  });

  it('reports nothing where no GraphQL package is in use', async () => {
    const a = await analyzeTree({ 'package.json': JSON.stringify({ name: 'x', dependencies: { ws: '^8.18.0' } }), 'src/resolvers.js': resolvers });
    expect((a.modelFacts ?? []).filter((f) => f.kind === 'resolver-no-context')).toEqual([]);
  });
});
