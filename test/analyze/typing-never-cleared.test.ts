// model fact typing-never-cleared: a typing indicator set from each typing event and never set
// back (no empty value, no timer) shows the last sender until the next typing event.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'x', dependencies: { react: '^18.3.0', '@supabase/supabase-js': '^2.119.1' } });

async function facts(extra: string) {
  const hook = [
    "import { useEffect, useState } from 'react';",
    "import { supabase } from './supabase';",
    'export function useTyping(roomId: string) {',
    '  const [typing, setTyping] = useState<string | null>(null);',
    '  useEffect(() => {',
    '    const ch = supabase.channel(`room:${roomId}`);',
    "    ch.on('broadcast', { event: 'typing' }, ({ payload }) => setTyping(payload.name)).subscribe();",
    `    ${extra}`,
    '    return () => { supabase.removeChannel(ch); };',
    '  }, [roomId]);',
    '  return typing;',
    '}',
    '',
  ].join('\n');
  const a = await analyzeTree({
    'package.json': PKG,
    'src/supabase.ts': "import { createClient } from '@supabase/supabase-js';\nexport const supabase = createClient('u', 'k');\n",
    'src/useTyping.ts': hook,
  });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'typing-never-cleared').map((f) => [f.name, f.evidence, f.value]);
}

describe('typing-never-cleared', () => {
  it('a setter the typing listener calls and nothing clears', async () => {
    expect(await facts('')).toEqual([['setTyping', 'src/useTyping.ts:7', 'typing']]);
  });
  it('not when the file sets it back to null', async () => {
    expect(await facts("ch.on('broadcast', { event: 'stop' }, () => setTyping(null));")).toEqual([]);
  });
  it('not when a timer may clear it', async () => {
    expect(await facts('const t = setTimeout(() => undefined, 3000);')).toEqual([]);
  });
});
