// model fact http-route: the routes the code registers, with the auth middleware in front of
// them when the code shows one; requests and mock handlers are not routes.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import type { Analysis } from '../../src/types.js';
import { analyzeTree } from './tree.js';
import { appRoutePath } from '../../src/analyze/model/http-routes.js';

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
  it('Express: the router has only its GET stream, joined with the prefix src/app.js mounts it at (a module the prefilter skips)', async () => {
    expect(routes(await fixture('plan-notifications'))).toEqual([['GET /events', 'src/routes/events.js:6', null, null]]);
  });
  const pkg = JSON.stringify({ name: 'x', dependencies: { express: '^4.18.2' } });
  const stream = "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });";
  const unknownMount = (a: Analysis) => (a.modelFacts ?? []).filter((f) => f.kind === 'http-route').map((f) => [f.name, f.mountUnknown ?? null]);
  it('nested routers: the prefixes of every router in the chain are joined, through ESM and CommonJS imports', async () => {
    const a = await analyzeTree({
      'package.json': pkg,
      'src/server.js': [
        "import express from 'express';",
        "import api from './routes/index.js';",
        'const app = express();',
        "app.use('/api/', api);",
        'app.listen(3000);',
        '',
      ].join('\n'),
      'src/routes/index.js': [
        "const { Router } = require('express');",
        "const events = require('./events');",
        'const api = Router();',
        "api.use('/events', requireSession, events);",
        'module.exports = api;',
        '',
      ].join('\n'),
      'src/routes/events.js': [
        "const express = require('express');",
        'const router = express.Router();',
        "router.get('/', (req, res) => {",
        stream,
        '});',
        "router.get('/:id', (req, res) => {",
        stream,
        '});',
        'module.exports = router;',
        '',
      ].join('\n'),
    });
    expect(unknownMount(a)).toEqual([
      ['GET /api/events', null],
      ['GET /api/events/:id', null],
    ]);
  });
  it('a router no module mounts keeps the path it writes, marked as mounted at a prefix rt-plan could not read', async () => {
    const a = await analyzeTree({
      'package.json': pkg,
      'src/routes/events.js': [
        "const { Router } = require('express');",
        'const router = Router();',
        "router.get('/', (req, res) => {",
        stream,
        '});',
        'module.exports = router;',
        '',
      ].join('\n'),
      'src/other.js': 'export const x = 1;\n',
    });
    expect(unknownMount(a)).toEqual([['GET /', true]]);
    expect((a.modelFacts ?? []).find((f) => f.kind === 'http-route')?.note).toBe(
      '`GET /` is registered here, on a router mounted at a path rt-plan could not read.',
    );
  });
  it('a router mounted at several prefixes (one of them the root, with no path) is a route under each; the app itself needs no mount', async () => {
    const a = await analyzeTree({
      'package.json': pkg,
      'src/app.js': [
        "const express = require('express');",
        "const events = require('./events');",
        'const app = express();',
        "app.use('/events', events);",
        "app.use('/v2/events', events);",
        'app.use(events);',
        "app.get('/health', (req, res) => res.end('ok'));",
        'app.listen(3000);',
        '',
      ].join('\n'),
      'src/events.js': [
        "const { Router } = require('express');",
        'const router = Router();',
        "router.get('/', (req, res) => {",
        stream,
        '});',
        'module.exports = router;',
        '',
      ].join('\n'),
    });
    expect(unknownMount(a)).toEqual([
      ['GET /health', null],
      ['GET /events', null],
      ['GET /v2/events', null],
      ['GET /', null],
    ]);
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

describe('route-handler', () => {
  it('Next.js App Router: each exported method handler, at its line, with the path the folders give', () => {
    expect(appRoutePath('app/api/answer/route.ts')).toBe('/api/answer');
    expect(appRoutePath('src/app/(chat)/api/chat/[id]/route.js')).toBe('/api/chat/[id]');
    expect(appRoutePath('app/_lib/route.ts')).toBeNull();
    expect(appRoutePath('app/api/answer/handler.ts')).toBeNull();
  });
  it('plan-ai-streaming: the answer route exports POST only', async () => {
    const a = await fixture('plan-ai-streaming');
    expect((a.modelFacts ?? []).filter((f) => f.kind === 'route-handler').map((f) => [f.name, f.evidence])).toEqual([
      ['POST /api/answer', 'app/api/answer/route.ts:3'],
    ]);
  });
});
