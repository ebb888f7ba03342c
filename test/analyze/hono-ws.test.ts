// Hono's WebSocket helper as its documentation and real projects write it: `upgradeWebSocket`
// imported from the runtime's adapter (hono/cloudflare-workers, hono/bun, hono/deno), or picked
// from `createNodeWebSocket({ app })` (@hono/node-ws) / `createBunWebSocket()`, in the route's
// module or exported from another one. The route is the WebSocket server entry point, its
// onMessage handler names the events, and the findings fit the runtime.
// https://hono.dev/docs/helpers/websocket · https://github.com/honojs/middleware/tree/main/packages/node-ws
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/types.js';
import { analyzeTree as analyze } from './tree.js';

const PKG = JSON.stringify({ name: 'x', type: 'module', dependencies: { hono: '4.6.5', '@hono/node-server': '1.13.0', '@hono/node-ws': '1.0.4' } });
const HANDLERS =
  "upgradeWebSocket((c) => ({\n  onMessage(event, ws) {\n    const msg = JSON.parse(String(event.data));\n    if (msg.type === 'chat') ws.send(JSON.stringify({ type: 'chat', text: msg.text }));\n  },\n  onClose: () => {\n    console.log('closed');\n  },\n}))";
const entries = (a: Analysis): string[] => a.stack.entrypoints.map((e) => `${e.kind} ${e.file}:${e.line}`);
const findings = (a: Analysis): string[] => a.findings.map((f) => `${f.id} ${f.evidence}`).sort();

describe('Hono upgradeWebSocket', () => {
  it('@hono/node-ws in one module: the route is the server entry, onMessage names the event', async () => {
    const a = await analyze({
      'package.json': PKG,
      'src/index.ts': `import { serve } from '@hono/node-server';\nimport { createNodeWebSocket } from '@hono/node-ws';\nimport { Hono } from 'hono';\nconst app = new Hono();\nconst { injectWebSocket, upgradeWebSocket } = createNodeWebSocket({ app });\napp.get('/ws', ${HANDLERS});\ninjectWebSocket(serve(app));\n`,
    });
    expect(entries(a)).toEqual(['ws-server src/index.ts:6']);
    expect(a.events.map((e) => `${e.name} ${e.evidence}`)).toEqual(['chat src/index.ts:9']);
    // node-ws listens for 'error' on every socket itself; its ws server keeps ws's 100 MiB default.
    expect(findings(a)).not.toContain('unhandled-socket-error src/index.ts:6');
    expect(findings(a)).toContain('no-payload-limit src/index.ts:6');
  });

  it('@hono/node-ws helper exported from another module (export const { upgradeWebSocket } = …)', async () => {
    const a = await analyze({
      'package.json': PKG,
      'src/app.ts':
        "import { Hono } from 'hono';\nimport { createNodeWebSocket } from '@hono/node-ws';\nexport const app = new Hono();\nexport const { injectWebSocket, upgradeWebSocket } = createNodeWebSocket({ app });\n",
      'src/routes/ws.ts': `import { app } from '../app';\nimport { upgradeWebSocket } from '../app';\napp.get('/ws', ${HANDLERS});\n`,
      'src/index.ts':
        "import { serve } from '@hono/node-server';\nimport { app, injectWebSocket } from './app';\nimport './routes/ws';\ninjectWebSocket(serve(app));\n",
    });
    expect(entries(a)).toEqual(['ws-server src/routes/ws.ts:3']);
    expect(a.events.map((e) => `${e.name} ${e.evidence}`)).toEqual(['chat src/routes/ws.ts:6']);
  });

  it('hono/cloudflare-workers: a Worker, so no shutdown, error-listener or payload-cap finding', async () => {
    const a = await analyze({
      'package.json': PKG,
      'src/index.ts':
        "import { Hono } from 'hono';\nimport { upgradeWebSocket } from 'hono/cloudflare-workers';\nconst app = new Hono();\napp.get('/ws', upgradeWebSocket((c) => {\n  return {\n    onMessage(event, ws) {\n      ws.send('Hello from server!');\n    },\n  };\n}));\nexport default app;\n",
    });
    expect(entries(a)).toEqual(['ws-server src/index.ts:4']);
    expect(a.stack.providers).toEqual(['cloudflare-workers']);
    expect(findings(a).filter((f) => /unhandled-socket-error|no-graceful-shutdown|no-payload-limit/.test(f))).toEqual([]);
  });

  it('hono/bun createBunWebSocket and hono/deno', async () => {
    const bun = await analyze({
      'package.json': PKG,
      'src/index.ts':
        "import { Hono } from 'hono';\nimport { createBunWebSocket } from 'hono/bun';\nconst { upgradeWebSocket, websocket } = createBunWebSocket();\nconst app = new Hono();\napp.get('/ws', upgradeWebSocket(() => ({ onMessage(event, ws) { ws.send('hi'); } })));\nexport default { fetch: app.fetch, websocket };\n",
    });
    expect(entries(bun)).toEqual(['ws-server src/index.ts:5']);
    // Bun's own cap is 16 MB, not ws's 100 MiB: the ws-specific message would be false.
    expect(findings(bun).filter((f) => /unhandled-socket-error|no-payload-limit/.test(f))).toEqual([]);
    const deno = await analyze({
      'package.json': PKG,
      'main.ts':
        "import { Hono } from 'hono';\nimport { upgradeWebSocket } from 'hono/deno';\nconst app = new Hono();\napp.get('/ws', upgradeWebSocket(() => ({ onMessage(e, ws) { ws.send('pong'); } })));\nDeno.serve(app.fetch);\n",
    });
    expect(entries(deno)).toEqual(['ws-server main.ts:4']);
  });

  it("Hono's auth middleware in front of the route is its handshake check", async () => {
    const route = (mw: string): string =>
      `import { Hono } from 'hono';\nimport { upgradeWebSocket } from 'hono/cloudflare-workers';\n${mw}\nconst app = new Hono();\n`;
    const jwt = await analyze({
      'package.json': PKG,
      'src/index.ts': `${route("import { jwt } from 'hono/jwt';")}app.use('/ws', jwt({ secret: 'x', cookie: 'auth' }));\napp.get('/ws', upgradeWebSocket(() => ({ onMessage(e, ws) { ws.send('x'); } })));\nexport default app;\n`,
    });
    expect(jwt.stack.auth).toEqual([{ kind: 'jwt-cookie', evidence: 'src/index.ts:5' }]);
    expect(findings(jwt).filter((f) => f.startsWith('no-handshake-auth'))).toEqual([]);
    const bearer = await analyze({
      'package.json': PKG,
      'src/index.ts': `${route("import { bearerAuth } from 'hono/bearer-auth';")}app.get('/ws', bearerAuth({ token: 't' }), upgradeWebSocket(() => ({ onMessage(e, ws) { ws.send('x'); } })));\nexport default app;\n`,
    });
    expect(findings(bearer).filter((f) => f.startsWith('no-handshake-auth'))).toEqual([]);
    expect(bearer.stack.auth.map((x) => x.kind)).not.toContain('none');
  });

  it('a local function named upgradeWebSocket is not Hono', async () => {
    const a = await analyze({
      'package.json': PKG,
      'src/index.ts':
        "import { Hono } from 'hono';\nconst app = new Hono();\nfunction upgradeWebSocket(fn) { return fn; }\napp.get('/ws', upgradeWebSocket(() => ({})));\n",
    });
    expect(entries(a)).toEqual([]);
  });
});
