// GraphQL resolver maps as Apollo Server, graphql-tools' `makeExecutableSchema`, GraphQL Yoga and
// Mercurius take them: an object whose `Query` / `Mutation` / `Subscription` key holds an object of
// field resolvers, each called as `(parent, args, context, info)`; a `Subscription` field's resolver
// is its `subscribe` function, with the same arguments. Only the context carries who asks (the
// server's `context` option builds it per request or per graphql-ws connection), so a resolver that
// never reads its third parameter checks nobody. Conservative: a destructured or rest third
// parameter, a body that reads `arguments`, and a resolver that is not a function literal (a
// wrapper such as `authenticated(fn)` or graphql-shield's rule map) all count as reading it.
// https://www.apollographql.com/docs/apollo-server/data/resolvers#resolver-arguments
// https://the-guild.dev/graphql/tools/docs/resolvers
import { type AstNode, type LineIndex, walkNodes } from './ast.js';

export interface ResolverFact {
  /** The root type the map's key names. */
  type: 'Query' | 'Mutation' | 'Subscription';
  field: string;
  /** Line of the field's key in the map. */
  line: number;
  /** Whether the resolver reads its context argument (or may: see the header). */
  readsContext: boolean;
}

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);
const isFn = (n: AstNode): boolean => n?.type === 'ArrowFunctionExpression' || n?.type === 'FunctionExpression';

function keyName(p: AstNode): string | null {
  if (p?.type !== 'Property' || p.computed) return null;
  if (p.key?.type === 'Identifier') return p.key.name as string;
  if (p.key?.type === 'Literal' && typeof p.key.value === 'string') return p.key.value;
  return null;
}

/** Whether a resolver function reads its third parameter (the context). */
export function readsContext(fn: AstNode): boolean {
  const third = (fn.params as AstNode[])[2];
  let usesArguments = false;
  const name =
    third?.type === 'Identifier'
      ? (third.name as string)
      : third?.type === 'AssignmentPattern' && third.left?.type === 'Identifier'
        ? (third.left.name as string)
        : null;
  if (third && !name) return true; // `{ user }` or `...rest`: read by destructuring
  let read = false;
  walkNodes(fn.body, (n) => {
    if (n.type !== 'Identifier') return;
    if (name && n.name === name) read = true;
    if (fn.type === 'FunctionExpression' && n.name === 'arguments') usesArguments = true;
  });
  return read || usesArguments;
}

/** The root-type resolvers of every resolver map in a file, with whether each reads its context. */
export function graphqlResolvers(program: AstNode, lines: LineIndex): ResolverFact[] {
  const out: ResolverFact[] = [];
  walkNodes(program, (n) => {
    if (n.type !== 'ObjectExpression') return;
    for (const root of n.properties as AstNode[]) {
      const type = keyName(root);
      if (!type || !ROOTS.has(type) || root.value?.type !== 'ObjectExpression') continue;
      for (const field of root.value.properties as AstNode[]) {
        const name = keyName(field);
        if (!name) continue;
        let fn: AstNode | null = isFn(field.value) ? field.value : null;
        if (type === 'Subscription') {
          // `{ subscribe, resolve }`: the subscribe function is what runs when a client subscribes.
          const sub = field.value?.type === 'ObjectExpression' ? (field.value.properties as AstNode[]).find((p) => keyName(p) === 'subscribe') : null;
          fn = sub && isFn(sub.value) ? sub.value : null;
          if (!sub) continue;
        }
        out.push({ type: type as ResolverFact['type'], field: name, line: lines.line(field.key.start), readsContext: fn ? readsContext(fn) : true });
      }
    }
  });
  return out;
}
