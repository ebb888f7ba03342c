// A subscription whose every result refetches a whole query (`refetch-per-event`), read from
// Apollo Client's hooks; a callback that updates the cache, or a refetch not taken from useQuery, is not one.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const pkg = JSON.stringify({ name: 'board', dependencies: { '@apollo/client': '^3.11.8', graphql: '^16.9.0', 'graphql-ws': '^5.16.0', react: '^18.3.1' } });

const board = [
  "import { useQuery, useSubscription } from '@apollo/client';",
  "import { LIST, CHANGED, OTHER } from './operations';",
  'export function Board({ id }) {',
  '  const { data, refetch: reload } = useQuery(LIST, { variables: { id } });',
  '  useSubscription(CHANGED, { variables: { id }, onData: () => { void reload(); } });',
  '  useSubscription(OTHER, { variables: { id }, onData: ({ client, data: d }) => client.cache.modify({ fields: {} }) });',
  '  return data;',
  '}',
].join('\n');

const refetchOnly = [
  "import { useSubscription } from '@apollo/client';",
  "import { CHANGED } from './operations';",
  'export function Feed({ refetch }) {',
  '  useSubscription(CHANGED, { onData: () => refetch() });',
  '  return null;',
  '}',
].join('\n');

describe('a subscription that refetches a whole query on every result', () => {
  it('is read where the refetch of a useQuery in the same component runs in onData', async () => {
    const a = await analyzeTree({ 'package.json': pkg, 'src/Board.jsx': board, 'src/Feed.jsx': refetchOnly });
    const facts = (a.modelFacts ?? []).filter((f) => f.kind === 'refetch-per-event');
    expect(facts).toEqual([
      {
        kind: 'refetch-per-event',
        name: 'CHANGED',
        value: 'LIST',
        store: 'src/Board.jsx:4',
        evidence: 'src/Board.jsx:5',
        note: "Every `CHANGED` result makes this component run `LIST` (`src/Board.jsx:4`) again, so each event costs one download of that query's whole result per mounted component, on top of the event itself.",
      },
    ]);
  });
});
