// Auth from data flow across modules (model/route-auth.ts): a connection URL built by a function
// that mints a ticket first is ephemeral-token auth; an SSE route is claimed open (auth none)
// only when its registration, its module and every middleware that could cover it are known.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

async function auth(files: Record<string, string>): Promise<string[]> {
  return (await analyzeTree(files)).stack.auth.map((k) => `${k.kind} ${k.evidence}`);
}

const RUWS = JSON.stringify({ name: 'x', dependencies: { react: '18.3.1', 'react-use-websocket': '4.13.0' } });
const TICKET =
  "export async function streamUrl() {\n  const res = await fetch('/api/stream-tickets', { method: 'POST' });\n  const { ticket } = await res.json();\n  return `wss://x.example/stream?ticket=${ticket}`;\n}\n";
const PROVIDER = (arg: string): string =>
  `import useWebSocket from 'react-use-websocket';\nimport { streamUrl } from './ticket';\nexport function Live() {\n  const { lastJsonMessage } = useWebSocket(${arg});\n  return null;\n}\n`;

describe('a connection URL built by a function that mints a ticket', () => {
  it('imported URL factory → ephemeral-token, cited at the minting request', async () => {
    expect(await auth({ 'package.json': RUWS, 'src/ticket.ts': TICKET, 'src/Live.tsx': PROVIDER('streamUrl') })).toEqual(['ephemeral-token src/ticket.ts:2']);
  });

  it('a plain WebSocket whose URL awaits the factory in the same file', async () => {
    const file = `${TICKET}export async function open() {\n  return new WebSocket(await streamUrl());\n}\n`;
    expect(await auth({ 'package.json': JSON.stringify({ name: 'x' }), 'src/live.ts': file })).toEqual(['ephemeral-token src/live.ts:2']);
  });

  it('a factory that reads a stored token mints nothing: no claim', async () => {
    const stored = "export function streamUrl() {\n  return `wss://x.example/stream?token=${localStorage.getItem('jwt')}`;\n}\n";
    expect(await auth({ 'package.json': RUWS, 'src/ticket.ts': stored, 'src/Live.tsx': PROVIDER('streamUrl') })).toEqual([]);
  });

  it('a fetch whose answer is not put in the URL: no claim', async () => {
    const other = "export async function streamUrl() {\n  await fetch('/api/session-tokens');\n  return 'wss://x.example/stream';\n}\n";
    expect(await auth({ 'package.json': RUWS, 'src/ticket.ts': other, 'src/Live.tsx': PROVIDER('streamUrl') })).toEqual([]);
  });
});

const HONO = JSON.stringify({ name: 'x', dependencies: { hono: '4.6.5', '@hono/node-server': '1.13.2' } });
const EVENTS = (route: string): string =>
  `import { Hono } from 'hono';\nimport { streamSSE } from 'hono/streaming';\nexport const events = new Hono();\n${route}\n  return streamSSE(c, async (stream) => {\n    await stream.writeSSE({ event: 'tick', data: '1' });\n  });\n});\n`;
const INDEX = (use: string): string =>
  `import { serve } from '@hono/node-server';\nimport { Hono } from 'hono';\nimport { serveStatic } from '@hono/node-server/serve-static';\nimport { events } from './events';\nconst app = new Hono();\n${use}\napp.route('/', events);\nconst server = serve({ fetch: app.fetch });\nprocess.on('SIGTERM', () => server.close());\n`;
const OPEN_ROUTE = "events.get('/live', (c) => {";

describe('an SSE route claimed open only when the model shows it', () => {
  it('handler alone, mounted next to static files and a scoped admin guard → none', async () => {
    const use = "app.use('/*', serveStatic({ root: './public' }));\napp.use('/admin/*', bearerAuth({ token: 't' }));";
    expect(await auth({ 'package.json': HONO, 'src/events.ts': EVENTS(OPEN_ROUTE), 'src/index.ts': INDEX(use) })).toEqual(['none src/events.ts:4']);
  });

  it('a guard on every path of the app that mounts it: no claim', async () => {
    const use = "app.use('*', bearerAuth({ token: 't' }));";
    expect(await auth({ 'package.json': HONO, 'src/events.ts': EVENTS(OPEN_ROUTE), 'src/index.ts': INDEX(use) })).toEqual([]);
  });

  it('a middleware the model does not know in front of it: no claim', async () => {
    expect(await auth({ 'package.json': HONO, 'src/events.ts': EVENTS(OPEN_ROUTE), 'src/index.ts': INDEX('app.use(tenantScope);') })).toEqual([]);
  });

  it('route-level middleware: no claim', async () => {
    const route = "events.get('/live', requireFan, (c) => {";
    expect(await auth({ 'package.json': HONO, 'src/events.ts': EVENTS(route), 'src/index.ts': INDEX('') })).toEqual([]);
  });

  // The app file is read because it drains on SIGTERM; an app file the analyzer never parsed
  // may hold a guard, so the router counts as unmounted.
  it('a router nobody is seen mounting: no claim', async () => {
    expect(await auth({ 'package.json': HONO, 'src/events.ts': EVENTS(OPEN_ROUTE) })).toEqual([]);
  });
});
