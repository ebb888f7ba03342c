// model fact counts-every-change: a counter raised by one in a listener of every change to a
// table (`event: '*'`) counts deletes and updates as additions.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'x', dependencies: { react: '^18.3.0', '@supabase/supabase-js': '^2.119.1' } });

async function facts(event: string, update: string) {
  const hook = [
    "import { useEffect, useState } from 'react';",
    "import { supabase } from './supabase';",
    'export function useCount(id: number) {',
    '  const [count, setCount] = useState(0);',
    '  useEffect(() => {',
    '    const ch = supabase',
    '      .channel(`likes:${id}`)',
    `      .on('postgres_changes', { event: '${event}', schema: 'public', table: 'likes' }, () => setCount(${update}))`,
    '      .subscribe();',
    '    return () => { supabase.removeChannel(ch); };',
    '  }, [id]);',
    '  return count;',
    '}',
    '',
  ].join('\n');
  const a = await analyzeTree({
    'package.json': PKG,
    'src/supabase.ts': "import { createClient } from '@supabase/supabase-js';\nexport const supabase = createClient('u', 'k');\n",
    'src/useCount.ts': hook,
  });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'counts-every-change').map((f) => [f.name, f.evidence, f.value]);
}

describe('counts-every-change', () => {
  it('adds one on every change of the table', async () => {
    expect(await facts('*', '(n) => n + 1')).toEqual([['setCount', 'src/useCount.ts:8', 'likes']]);
  });
  it('not for inserts only', async () => {
    expect(await facts('INSERT', '(n) => n + 1')).toEqual([]);
  });
  it('not when the listener sets a value it read', async () => {
    expect(await facts('*', 'payload.new.count')).toEqual([]);
  });
});
