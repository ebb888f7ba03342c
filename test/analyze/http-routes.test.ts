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
  // Fastify: https://fastify.dev/docs/latest/Reference/Plugins/#route-prefixing-option
  const fastifyPkg = JSON.stringify({ name: 'x', dependencies: { fastify: '^5.0.0', '@fastify/websocket': '^11.0.0', 'fastify-plugin': '^5.0.0' } });
  const sse = "  reply.raw.writeHead(200, { 'Content-Type': 'text/event-stream' });";
  it('Fastify: a route inside a plugin registered with a prefix is served under it, nested registers compose, an inline plugin and one declared in the module', async () => {
    const a = await analyzeTree({
      'package.json': fastifyPkg,
      'src/server.ts': [
        "import Fastify from 'fastify';",
        "import websocket from '@fastify/websocket';",
        'const app = Fastify();',
        'await app.register(websocket);',
        'async function admin(instance, opts) {',
        "  instance.post('/kick', async () => ({}));",
        '}',
        'await app.register(',
        '  async (api) => {',
        "    api.get('/live', { websocket: true }, (socket) => {",
        "      socket.on('message', (m) => socket.send(m));",
        '    });',
        "    await api.register(admin, { prefix: '/admin/' });",
        '  },',
        "  { prefix: '/api' },",
        ');',
        "app.get('/health', async () => 'ok');",
        'await app.listen({ port: 3000 });',
        '',
      ].join('\n'),
    });
    expect(routes(a)).toEqual([
      ['GET /api/live', 'src/server.ts:10', null, null],
      ['GET /health', 'src/server.ts:17', null, null],
      ['POST /api/admin/kick', 'src/server.ts:6', null, null],
    ]);
  });
  it('Fastify: plugins from other modules (a default export loaded with import(), a named one, `module.exports` loaded with require); a fastify-plugin wrapper ignores the prefix; the SSE route is served under it', async () => {
    const a = await analyzeTree({
      'package.json': fastifyPkg,
      'src/app.js': [
        "const Fastify = require('fastify');",
        "const { notify } = require('./routes/notify.js');",
        'const app = Fastify();',
        "app.register(require('@fastify/websocket'));",
        "app.register(require('./routes/stream'), { prefix: '/v1' });",
        "app.register(notify, { prefix: '/v1/notify' });",
        "app.register(import('./routes/feed.mjs'), { prefix: '/v2' });",
        "app.register(require('./plugins/health'), { prefix: '/ignored' });",
        'app.listen({ port: 3000 });',
        '',
      ].join('\n'),
      'src/routes/stream.js': [
        'module.exports = async function (fastify, opts) {',
        "  fastify.get('/stream', async (request, reply) => {",
        sse,
        "    reply.raw.write('id: 1\\ndata: {}\\n\\n');",
        '  });',
        '};',
        '',
      ].join('\n'),
      'src/routes/notify.js': [
        'async function notify(app) {',
        "  app.get('/ws', { websocket: true }, (socket) => socket.send('hi'));",
        '}',
        'module.exports = { notify };',
        '',
      ].join('\n'),
      'src/routes/feed.mjs': [
        'export default async function feed(fastify) {',
        "  fastify.get('/feed', { websocket: true }, (socket) => socket.send('x'));",
        '}',
        '',
      ].join('\n'),
      'src/plugins/health.js': [
        "const fp = require('fastify-plugin');",
        'module.exports = fp(async (fastify) => {',
        "  fastify.get('/echo', { websocket: true }, (socket) => socket.on('message', (m) => socket.send(m)));",
        '});',
        '',
      ].join('\n'),
    });
    expect(routes(a)).toEqual([
      ['GET /echo', 'src/plugins/health.js:3', null, null],
      ['GET /v2/feed', 'src/routes/feed.mjs:2', null, null],
      ['GET /v1/notify/ws', 'src/routes/notify.js:2', null, null],
      ['GET /v1/stream', 'src/routes/stream.js:2', null, null],
    ]);
    expect((a.modelFacts ?? []).find((f) => f.kind === 'sse-route')?.name).toBe('/v1/stream');
  });
  it('Fastify: a prefix rt-plan cannot read keeps the path as written, marked; a function called with the app is the app', async () => {
    const a = await analyzeTree({
      'package.json': fastifyPkg,
      'src/server.ts': [
        "import Fastify from 'fastify';",
        "import websocket from '@fastify/websocket';",
        "import { live } from './live.js';",
        "import { setupSocket } from './socket.js';",
        'const app = Fastify();',
        'await app.register(websocket);',
        'await app.register(live, { prefix: process.env.BASE_PATH });',
        'setupSocket(app);',
        'await app.listen({ port: 3000 });',
        '',
      ].join('\n'),
      'src/live.ts': [
        "import type { FastifyInstance } from 'fastify';",
        'export async function live(app: FastifyInstance) {',
        "  app.get('/live', { websocket: true }, (socket) => socket.send('x'));",
        '}',
        '',
      ].join('\n'),
      'src/socket.ts': [
        "import type { FastifyInstance } from 'fastify';",
        'export function setupSocket(app: FastifyInstance) {',
        "  app.get('/ws', { websocket: true }, (socket) => socket.send('x'));",
        '}',
        '',
      ].join('\n'),
    });
    expect(unknownMount(a)).toEqual([
      ['GET /live', true],
      ['GET /ws', null],
    ]);
  });
  it('Fastify: the module that registers an SSE plugin has no real-time marker: it is read from a parent folder and its prefix joined; a plugin nothing registers keeps its path, marked', async () => {
    const plugin = (path: string) =>
      [
        'module.exports = async function (fastify) {',
        `  fastify.get('${path}', async (request, reply) => {`,
        sse,
        "    reply.raw.write('data: {}\\n\\n');",
        '  });',
        '};',
        '',
      ].join('\n');
    const a = await analyzeTree({
      'package.json': fastifyPkg,
      'src/server.js': [
        "const app = require('fastify')();",
        "app.register(require('./routes/events'), { prefix: '/api' });",
        'app.listen({ port: 3000 });',
        '',
      ].join('\n'),
      'src/routes/events.js': plugin('/events'),
      'lib/orphan/stream.js': plugin('/orphan'),
    });
    expect(unknownMount(a)).toEqual([
      ['GET /orphan', true],
      ['GET /api/events', null],
    ]);
  });
});

describe('route-handler', () => {
  it('Next.js App Router: each exported method handler, at its line, with the path the folders give', () => {
    expect(appRoutePath('app/api/answer/route.ts')).toBe('/api/answer');
    expect(appRoutePath('src/app/(chat)/api/chat/[id]/route.js')).toBe('/api/chat/[id]');
    expect(appRoutePath('app/_lib/route.ts')).toBeNull();
    expect(appRoutePath('app/api/answer/handler.ts')).toBeNull();
    // A parallel-route slot stays out of the URL; an intercepting segment serves the route it intercepts, so its path is not known from the folders.
    expect(appRoutePath('app/@modal/api/ping/route.ts')).toBe('/api/ping');
    expect(appRoutePath('app/feed/(.)photo/[id]/route.ts')).toBeNull();
    expect(appRoutePath('app/feed/(..)(..)photo/route.ts')).toBeNull();
  });
  it('an app/**/route.ts is a route module only in a package that declares next', async () => {
    const route =
      "import { openai } from '../../../lib/openai';\nexport async function POST(req) {\n  const c = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [] });\n  return Response.json({ answer: c.choices[0].message.content });\n}\n";
    const lib = "import OpenAI from 'openai';\nexport const openai = new OpenAI();\n";
    const handlers = async (deps: Record<string, string>) =>
      (
        (await analyzeTree({ 'package.json': JSON.stringify({ name: 'x', dependencies: deps }), 'app/api/answer/route.ts': route, 'lib/openai.ts': lib }))
          .modelFacts ?? []
      )
        .filter((f) => f.kind === 'route-handler')
        .map((f) => [f.name, f.evidence]);
    expect(await handlers({ next: '14.2.3', openai: '^4.52.0' })).toEqual([['POST /api/answer', 'app/api/answer/route.ts:2']]);
    expect(await handlers({ openai: '^4.52.0' })).toEqual([]);
  });
  it('plan-ai-streaming: the answer route exports POST only', async () => {
    const a = await fixture('plan-ai-streaming');
    expect((a.modelFacts ?? []).filter((f) => f.kind === 'route-handler').map((f) => [f.name, f.evidence])).toEqual([
      ['POST /api/answer', 'app/api/answer/route.ts:3'],
    ]);
  });
});

// model fact unguarded-async-route: Express 4 drops the promise an async handler returns, so an
// await outside try/catch there is a rejection no error handler sees; Express 5 forwards it.
describe('unguarded-async-route', () => {
  const unguarded = (a: Analysis) => (a.modelFacts ?? []).filter((f) => f.kind === 'unguarded-async-route').map((f) => [f.name, f.evidence, f.value ?? null]);
  const tree = (express: string, handler: string[], extra: Record<string, string> = {}) =>
    analyzeTree({
      'package.json': JSON.stringify({ name: 'x', dependencies: { express, ws: '^8.18.0', ...extra } }),
      'src/server.js': [
        "import express from 'express';",
        'const app = express();',
        "app.post('/api/items', async (req, res) => {",
        ...handler,
        '});',
        "import { WebSocketServer } from 'ws';",
        'new WebSocketServer({ server: app.listen(3000) });',
        '',
      ].join('\n'),
    });
  const save = ['  const item = await db.insert(req.body);', '  res.status(201).json(item);'];
  it('Express 4: an await outside try/catch is reported at its line', async () => {
    expect(unguarded(await tree('^4.21.1', save))).toEqual([['POST /api/items', 'src/server.js:4', '4']]);
  });
  it('Express 4: an await in a catch block is not caught either; one inside the try is', async () => {
    const h = ['  try {', '    await db.insert(req.body);', '  } catch (err) {', '    await log(err);', '  }', '  res.sendStatus(201);'];
    expect(unguarded(await tree('~4.18.0', h))).toEqual([['POST /api/items', 'src/server.js:7', '7']]);
  });
  it('Express 4: every await inside try/catch, or an awaited .catch(), is not reported', async () => {
    const h = [
      '  try {',
      '    await db.insert(req.body);',
      '  } catch (err) {',
      '    return res.sendStatus(500);',
      '  }',
      '  await notify().catch(() => {});',
      '  res.sendStatus(201);',
    ];
    expect(unguarded(await tree('4.x', h))).toEqual([]);
  });
  it('Express 5 forwards the rejection to next(err): not reported', async () => {
    expect(unguarded(await tree('^5.1.0', save))).toEqual([]);
  });
  it('express-async-errors patches Express 4, and a range whose major cannot be read says nothing: not reported', async () => {
    expect(unguarded(await tree('^4.21.1', save, { 'express-async-errors': '^3.1.1' }))).toEqual([]);
    expect(unguarded(await tree('>=4', save))).toEqual([]);
  });
  it('says Node ends the process where no unhandledRejection listener exists, and names the listener where one does', async () => {
    const note = async (tail: string[]) => {
      const a = await analyzeTree({
        'package.json': JSON.stringify({ name: 'x', dependencies: { express: '^4.21.1', ws: '^8.18.0' } }),
        'src/server.js': [
          "import express from 'express';",
          'const app = express();',
          "app.post('/api/items', async (req, res) => {",
          ...save,
          '});',
          "import { WebSocketServer } from 'ws';",
          'new WebSocketServer({ server: app.listen(3000) });',
          ...tail,
          '',
        ].join('\n'),
      });
      const f = (a.modelFacts ?? []).find((x) => x.kind === 'unguarded-async-route');
      return [f?.handlerAt, f?.handlerEnd, f?.writesAt, f?.note.slice(f.note.indexOf('returns: '))];
    };
    expect(await note([])).toEqual([
      'src/server.js:3',
      6,
      [4],
      'returns: a rejection there reaches no error handler, and with no `unhandledRejection` listener in the project, Node 15 and later end the process on it by default (`--unhandled-rejections=throw`), dropping every connection the process holds.',
    ]);
    expect(await note(["process.on('unhandledRejection', (e) => console.error(e));"])).toEqual([
      'src/server.js:3',
      6,
      [4],
      "returns: a rejection there reaches no error handler and the request gets no answer; the process's `unhandledRejection` listener (`src/server.js:9`) is what sees it.",
    ]);
  });
  it('a handler that is not async is not reported', async () => {
    const a = await analyzeTree({
      'package.json': JSON.stringify({ name: 'x', dependencies: { express: '^4.21.1', ws: '^8.18.0' } }),
      'src/server.js': [
        "import express from 'express';",
        "import { WebSocketServer } from 'ws';",
        'const app = express();',
        "app.get('/x', (req, res) => res.send('ok'));",
        'new WebSocketServer({ server: app.listen(3000) });',
        '',
      ].join('\n'),
    });
    expect(unguarded(a)).toEqual([]);
  });
});

// model fact route-body: the fields a route's handler reads of the request body, so a plan that
// extends the route keeps their names (model-pusher-auth's comment route takes `body` and `mentions`).
describe('route-body', () => {
  const bodies = (a: Analysis) =>
    (a.modelFacts ?? []).filter((f) => f.kind === 'route-body').map((f) => [f.name, f.evidence, f.value ?? null, f.handlerEnd ?? null]);
  const pkg = JSON.stringify({ name: 'x', dependencies: { express: '^4.21.1' } });
  it('model-pusher-auth: the comment route destructures `body` and `mentions` (one with a default), the auth route the keys pusher-js posts (not their locals)', async () => {
    expect(bodies(await fixture('model-pusher-auth'))).toEqual([
      ['POST /api/projects/:projectId/comments', 'server/src/routes/comments.js:7', 'body, mentions', 20],
      ['POST /pusher/auth', 'server/src/routes/pusher-auth.js:9', 'socket_id, channel_name', 23],
    ]);
  });
  it('reads one by one, a destructuring and a mounted router: each route keeps its own fields; another function, another root or a route reading no body gives none', async () => {
    const a = await analyzeTree({
      'package.json': pkg,
      'src/server.js': [
        "import express from 'express';",
        "import items from './items.js';",
        'const app = express();',
        "app.use('/api', items);",
        'app.listen(3000);',
        '',
      ].join('\n'),
      'src/items.js': [
        "import { Router } from 'express';",
        'const items = Router();',
        "items.post('/items', (request, res) => {",
        '  const title = request.body.title;',
        '  save(title, request.body.tags);',
        '  res.sendStatus(201);',
        '});',
        "items.put('/items/:id', (req, res) => {",
        '  const { text, rev: expected } = req.body;',
        '  res.json({ text, expected });',
        '});',
        "items.get('/items', (req, res) => res.json([]));",
        "items.delete('/items/:id', (req, res) => {",
        '  const { force } = other.body;',
        '  res.sendStatus(204);',
        '});',
        'function save(title, tags) {',
        '  const { ignored } = req.body;',
        '}',
        'export default items;',
        '',
      ].join('\n'),
    });
    expect(bodies(a)).toEqual([
      ['POST /api/items', 'src/items.js:3', 'title, tags', 7],
      ['PUT /api/items/:id', 'src/items.js:8', 'text, rev', 11],
    ]);
  });
});
