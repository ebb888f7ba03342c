// model fact http-route: the routes the code registers, with the auth middleware in front of
// them when the code shows one; requests and mock handlers are not routes.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import type { Analysis } from '../../src/types.js';
import { analyzeTree } from './tree.js';

const routes = (a: Analysis) =>
  (a.modelFacts ?? []).filter((f) => f.kind === 'http-route').map((f) => [f.name, f.evidence, f.value ?? null, f.guardAt ?? null]);
const fixture = (name: string) => analyzeProject(path.join(import.meta.dirname, '..', 'fixtures', 'projects', name));

describe('http-route', () => {
  it('Hono: the stream route and the admin POST behind bearerAuth', async () => {
    expect(routes(await fixture('model-sse-hono'))).toEqual([
      ['POST /admin/matches/:matchId/events', 'src/routes/admin.ts:10', 'bearerAuth', 'src/routes/admin.ts:7'],
      ['GET /matches/:matchId/events', 'src/routes/events.ts:9', null, null],
    ]);
  });
  it('Express: the router has only its GET stream (the module mounting it is not read: the path is as the router writes it)', async () => {
    expect(routes(await fixture('plan-notifications'))).toEqual([['GET /', 'src/routes/events.js:6', null, null]]);
  });
  it('a request with a body is not a route; a handler passed last is', async () => {
    const a = await analyzeTree({
      'package.json': JSON.stringify({ name: 'x', dependencies: { express: '^4.18.2' } }),
      'src/server.js': [
        "const express = require('express');",
        'const app = express();',
        "app.get('/stream', (req, res) => { res.writeHead(200, { 'Content-Type': 'text/event-stream' }); res.write('data: 1\\n\\n'); });",
        "app.post('/notes', requireSession, (req, res) => res.json({}));",
        "api.post('/other', body);",
        'app.listen(3000);',
        '',
      ].join('\n'),
    });
    expect(routes(a)).toEqual([
      ['GET /stream', 'src/server.js:3', null, null],
      ['POST /notes', 'src/server.js:4', 'requireSession', 'src/server.js:4'],
    ]);
  });
});
