// A subscription whose every result makes the component fetch a whole query again: Apollo Client's
// `const { refetch } = useQuery(LIST)` with `useSubscription(EVENT, { onData: () => refetch() })`
// (also the older `onSubscriptionData`). Each event then costs one download of the query's whole
// result per mounted component, on top of the event itself; the subscription's own result could
// update the cache instead. Only a `refetch` the same component took from `useQuery` is read.
// https://www.apollographql.com/docs/react/data/subscriptions#options
// https://www.apollographql.com/docs/react/data/queries#refetching
import { type AstNode, type LineIndex, walkNodes } from './ast.js';

export interface RefetchOnEvent {
  /** Line of the refetch call inside the subscription's callback. */
  line: number;
  /** The subscription document as written (`ORDER_UPDATED`), or null when not a plain name. */
  subscription: string | null;
  /** The query document the refetch re-runs (`OPEN_ORDERS`), or null. */
  query: string | null;
  /** Line of the `useQuery` call. */
  queryLine: number;
}

const CALLBACKS = new Set(['onData', 'onSubscriptionData']);
const isFn = (n: AstNode): boolean => n?.type === 'ArrowFunctionExpression' || n?.type === 'FunctionExpression';
const calleeName = (n: AstNode): string | null =>
  n?.type !== 'CallExpression'
    ? null
    : n.callee?.type === 'Identifier'
      ? (n.callee.name as string)
      : n.callee?.type === 'MemberExpression' && !n.callee.computed
        ? (n.callee.property?.name as string)
        : null;
const nameOf = (n: AstNode): string | null => (n?.type === 'Identifier' ? (n.name as string) : null);

export function refetchOnEvent(program: AstNode, lines: LineIndex): RefetchOnEvent[] {
  // `const { refetch } = useQuery(Q)` (or `{ refetch: reload }`): the local bound to the query's refetch.
  const refetches = new Map<string, { query: string | null; line: number }>();
  walkNodes(program, (n) => {
    if (n.type !== 'VariableDeclarator' || n.id?.type !== 'ObjectPattern' || calleeName(n.init) !== 'useQuery') return;
    for (const p of n.id.properties as AstNode[])
      if (p.type === 'Property' && !p.computed && p.key?.name === 'refetch' && p.value?.type === 'Identifier')
        refetches.set(p.value.name as string, { query: nameOf(n.init.arguments?.[0]), line: lines.line(n.init.start) });
  });
  if (refetches.size === 0) return [];
  const out: RefetchOnEvent[] = [];
  walkNodes(program, (n) => {
    if (calleeName(n) !== 'useSubscription') return;
    const opts = (n.arguments as AstNode[])[1];
    if (opts?.type !== 'ObjectExpression') return;
    for (const p of opts.properties as AstNode[]) {
      if (p.type !== 'Property' || p.computed || !CALLBACKS.has(p.key?.name) || !isFn(p.value)) continue;
      walkNodes(p.value.body, (c) => {
        const local = c.type === 'CallExpression' ? nameOf(c.callee) : null;
        const q = local ? refetches.get(local) : undefined;
        if (q) out.push({ line: lines.line(c.start), subscription: nameOf(n.arguments[0]), query: q.query, queryLine: q.line });
      });
    }
  });
  return out;
}
