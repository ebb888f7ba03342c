// Packages only browser code imports (model/browser-packages.ts): a database client created in the
// web app is the browser's, not a store the server has. Told apart only where the project has both
// a server entry and a client entry; a package any server-reached module imports is the server's too.
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/types.js';
import { analyzeTree as analyze } from './tree.js';

const PKG = JSON.stringify({ name: 'x', type: 'module', dependencies: { express: '4.21.1', '@supabase/supabase-js': '2.45.4', pg: '8.13.0' } });
const SERVER =
  "import express from 'express';\nconst app = express();\napp.get('/api/stream', (req, res) => {\n  res.setHeader('Content-Type', 'text/event-stream');\n  res.write('data: {}\\n\\n');\n});\napp.listen(3000);\n";
const CLIENT = "export function open() {\n  const es = new EventSource('/api/stream');\n  es.onmessage = (e) => console.log(e.data);\n}\n";
const SUPABASE = "import { createClient } from '@supabase/supabase-js';\nexport const supabase = createClient('https://x.supabase.co', 'anon');\n";
const browserOnly = (a: Analysis): string[] => (a.modelFacts ?? []).filter((f) => f.kind === 'browser-only-package').map((f) => `${f.name} ${f.evidence}`);

describe('browser-only packages', () => {
  it('a provider client only the web folder imports is browser-only', async () => {
    const a = await analyze({ 'package.json': PKG, 'src/server/index.ts': SERVER, 'src/web/live.ts': CLIENT, 'src/web/supabase.ts': SUPABASE });
    expect(browserOnly(a)).toEqual(['@supabase/supabase-js src/web/supabase.ts:1']);
  });

  it('the same package imported by a module the server reaches is not', async () => {
    const a = await analyze({
      'package.json': PKG,
      'src/server/index.ts': `import { supabase } from './db.js';\n${SERVER}export { supabase };\n`,
      'src/server/db.ts': SUPABASE,
      'src/web/live.ts': CLIENT,
      'src/web/supabase.ts': SUPABASE,
    });
    expect(browserOnly(a)).toEqual([]);
  });

  it('no client entry: nothing is said', async () => {
    const a = await analyze({ 'package.json': PKG, 'src/server/index.ts': SERVER, 'src/web/supabase.ts': SUPABASE });
    expect(browserOnly(a)).toEqual([]);
  });
});

describe('browser-only packages: server files no entry reaches', () => {
  it('a module in the client folder that imports a server framework runs on the server: its store is not browser-only', async () => {
    const a = await analyze({
      'package.json': PKG,
      'src/server/index.ts': SERVER,
      'src/web/live.ts': CLIENT,
      'src/web/supabase.ts': SUPABASE,
      'src/web/admin.ts':
        "import express from 'express';\nimport { createClient } from '@supabase/supabase-js';\nconst db = createClient('https://x.supabase.co', process.env.SERVICE_KEY ?? '');\nexpress().get('/admin', async (_req, res) => res.json(await db.from('t').select()));\n",
    });
    expect(browserOnly(a)).toEqual([]);
  });
});
