import { describe, expect, it } from 'vitest';
import { Citer } from '../../src/design/cite.js';
import type { DocRef } from '../../src/types.js';

const ref = (id: string, source: DocRef['source'], library: string | null, topics: string[]): DocRef => ({
  id,
  source,
  library,
  version: null,
  reference: `${id}.md`,
  title: id,
  excerpt: '',
  topics,
});

describe('Citer', () => {
  const refs = [
    ref('P1', 'project', null, ['heartbeat']),
    ref('N1', 'package', 'ws', ['heartbeat', 'payload-limit']),
    ref('N2', 'package', 'socket.io', ['auth']),
    ref('K1', 'knowledge', 'ws', ['heartbeat']),
    ref('K2', 'knowledge', 'socket.io', ['auth']),
    ref('C1', 'context7', 'ws', ['heartbeat']),
  ];

  it('cites the curated note, then the installed docs and Context7 for the same topic', () => {
    const c = new Citer({ refs, notices: [] });
    expect(c.cite(['heartbeat'], 'ws')).toBe(' [K1][N1][C1]');
    expect(c.cite(['auth'], 'socket.io')).toBe(' [K2][N2]');
    expect(c.usedRefs().map((r) => r.id)).toEqual(['N1', 'N2', 'K1', 'K2', 'C1']);
  });

  it('cites nothing rather than an unrelated library', () => {
    const c = new Citer({ refs, notices: [] });
    expect(c.cite(['auth'], 'ws')).toBe('');
    expect(c.cite(['resume'], 'socket.io')).toBe('');
    expect(c.usedRefs()).toEqual([]);
  });
});
