// Hono serving SSE (hono/streaming's streamSSE) or routing a WebSocket upgrade: hono is then a
// real-time library of the project, an SSE comment written in the stream loop is its keep-alive,
// and an EventSource assigned to a `let` (reopened on error) still names its events.
import { describe, expect, it } from 'vitest';
import { analyzeTree as analyze } from './tree.js';

const PKG = JSON.stringify({ name: 'x', type: 'module', dependencies: { hono: '4.6.5' } });
const ROUTE =
  "import { Hono } from 'hono';\nimport { streamSSE } from 'hono/streaming';\nexport const events = new Hono();\nevents.get('/events', (c) => streamSSE(c, async (stream) => {\n  while (true) {\n    const next = await poll();\n    if (!next) {\n      await stream.write(': keep-alive\\n\\n');\n      continue;\n    }\n    await stream.writeSSE({ id: next.id, event: next.kind, data: next.body });\n  }\n}));\n";
const CLIENT =
  "let source;\nfunction open() {\n  source = new EventSource('/events');\n  source.addEventListener('score', () => {});\n  source.addEventListener('error', () => { source.close(); setTimeout(open, 1000); });\n}\nopen();\n";

describe('hono serving SSE', () => {
  it('routes in their own module: hono is a server library, the comment write is the heartbeat, client events named', async () => {
    const a = await analyze({
      'package.json': PKG,
      'src/index.ts': "import { Hono } from 'hono';\nimport { events } from './routes/events.js';\nexport default new Hono().route('/', events);\n",
      'src/routes/events.ts': ROUTE,
      'public/app.js': CLIENT,
    });
    expect(a.stack.libraries.map((l) => `${l.name}@${l.version} ${l.role} ${l.kind}`)).toEqual(['hono@4.6.5 server framework']);
    expect(a.stack.heartbeat).toEqual({ present: true, evidence: 'src/routes/events.ts:8' });
    expect(a.events.map((e) => `${e.name} ${e.direction} ${e.evidence}`)).toEqual(['score server-to-client public/app.js:4']);
  });

  it('one file: the same facts', async () => {
    const a = await analyze({ 'package.json': PKG, 'src/index.ts': ROUTE, 'public/app.js': CLIENT });
    expect(a.stack.libraries.map((l) => l.name)).toEqual(['hono']);
    expect(a.stack.heartbeat).toEqual({ present: true, evidence: 'src/index.ts:8' });
  });

  it('a Hono REST API with no real-time route keeps hono a framework only', async () => {
    const a = await analyze({
      'package.json': PKG,
      'src/index.ts': "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/api/x', (c) => c.json({ ok: true }));\nexport default app;\n",
    });
    expect(a.stack.libraries).toEqual([]);
    expect(a.stack.frameworks.map((f) => f.name)).toEqual(['hono']);
  });

  it('a Worker route that checks the Upgrade header before a Durable Object serves the real-time route', async () => {
    const a = await analyze({
      'package.json': PKG,
      'src/index.ts':
        "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/ws', (c) => {\n  if (c.req.header('Upgrade') !== 'websocket') return c.text('no', 426);\n  return c.env.ROOM.get(c.env.ROOM.idFromName('a')).fetch(c.req.raw);\n});\nexport default app;\n",
    });
    expect(a.stack.libraries.map((l) => `${l.name} ${l.evidence}`)).toEqual(['hono package.json:1']);
  });
});
