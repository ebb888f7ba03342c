// The module layer of the project model: resolution (relative, tsconfig paths, workspace
// names, re-exports) and constant folding across modules, on temporary trees.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { createResolver, parseJsonc, pathsConfig } from '../../src/analyze/model/resolve.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-model-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const root = path.join(tmp, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

describe('module resolution', () => {
  it('reads tsconfig text with comments, trailing commas and "/*" inside strings', () => {
    expect(parseJsonc('{ // c\n "paths": { "@/*": ["./src/*"], }, /* x */ }')).toEqual({ paths: { '@/*': ['./src/*'] } });
  });

  it('resolves tsconfig paths, baseUrl and workspace package names to walked files', () => {
    const files = new Set(['apps/web/src/lib/events.ts', 'apps/web/src/app.tsx', 'packages/shared/src/index.ts', 'apps/web/src/util/x.ts']);
    const cfg = pathsConfig('apps/web', '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }');
    const resolve = createResolver(files, cfg ? [cfg] : [], [
      { dir: 'packages/shared', name: '@acme/shared', manifest: 'packages/shared/package.json', dependencies: {}, dependencyLines: {} },
    ]);
    expect(resolve('apps/web/src/app.tsx', '@/lib/events')).toBe('apps/web/src/lib/events.ts');
    expect(resolve('apps/web/src/app.tsx', 'src/util/x')).toBe('apps/web/src/util/x.ts');
    expect(resolve('apps/web/src/app.tsx', '@acme/shared')).toBe('packages/shared/src/index.ts');
    expect(resolve('apps/web/src/app.tsx', './lib/events.js')).toBe('apps/web/src/lib/events.ts');
    expect(resolve('apps/web/src/app.tsx', 'react')).toBeNull();
  });
});

describe('constant folding across modules', () => {
  it('names Socket.IO events from an enum in a shared workspace package, re-exported by its index', async () => {
    const root = tree('enum', {
      'package.json': '{ "name": "mono", "private": true, "workspaces": ["packages/*", "apps/*"] }',
      'packages/shared/package.json': '{ "name": "@acme/shared" }',
      'packages/shared/src/index.ts': "export * from './events';\n",
      'packages/shared/src/events.ts':
        "export enum ChatEvent {\n  Send = 'message:send',\n  New = 'message:new',\n}\nexport const PREFIX = 'room';\nexport const JOIN = `${PREFIX}:join`;\n",
      'apps/api/package.json': '{ "name": "api", "dependencies": { "socket.io": "4.8.1", "@acme/shared": "*" } }',
      'apps/api/src/server.ts':
        "import { Server } from 'socket.io';\nimport { ChatEvent, JOIN } from '@acme/shared';\nconst io = new Server(3000);\nio.on('connection', (socket) => {\n  socket.on(ChatEvent.Send, (m) => io.emit(ChatEvent.New, m));\n  socket.on(JOIN, () => {});\n});\n",
    });
    const a = await analyzeProject(root);
    expect(a.events.map((e) => [e.name, e.direction, e.evidence])).toEqual([
      ['message:new', 'server-to-client', 'apps/api/src/server.ts:5'],
      ['message:send', 'client-to-server', 'apps/api/src/server.ts:5'],
      ['room:join', 'client-to-server', 'apps/api/src/server.ts:6'],
    ]);
  });

  it('reads react-use-websocket options defined in another file (reconnect, heartbeat)', async () => {
    const root = tree('options', {
      'package.json': '{ "name": "web", "dependencies": { "react-use-websocket": "4.8.1" } }',
      'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }',
      'src/config/socket.ts':
        "export const SOCKET_OPTIONS = {\n  shouldReconnect: () => true,\n  reconnectAttempts: 10,\n  heartbeat: { message: 'ping', interval: 25000 },\n} as const;\n",
      'src/Chat.tsx':
        "import useWebSocket from 'react-use-websocket';\nimport { SOCKET_OPTIONS } from '@/config/socket';\nexport function Chat() {\n  const { sendJsonMessage } = useWebSocket('wss://x.example/ws', SOCKET_OPTIONS);\n  return null;\n}\n",
    });
    const a = await analyzeProject(root);
    expect(a.stack.reconnect).toEqual({ present: true, evidence: 'src/Chat.tsx:4', backoff: false, jitter: false });
    expect(a.stack.heartbeat).toEqual({ present: true, evidence: 'src/Chat.tsx:4', intervalMs: 25000 });
    expect(a.findings.map((f) => f.id)).not.toContain('no-reconnect');
  });

  it('dispatches typed envelopes on constants: switch (msg.type) { case MSG.CHAT: … }', async () => {
    const root = tree('envelopes', {
      'package.json': '{ "name": "ws-app", "dependencies": { "ws": "8.18.0" } }',
      'src/protocol.js': "export const MSG = Object.freeze({ CHAT: 'chat', TYPING: 'typing' });\n",
      'src/server.js':
        "import { WebSocketServer } from 'ws';\nimport { MSG } from './protocol.js';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => {\n  ws.on('message', (raw) => {\n    let msg;\n    try { msg = JSON.parse(raw); } catch { return; }\n    switch (msg.type) {\n      case MSG.CHAT:\n        ws.send(JSON.stringify({ type: MSG.TYPING, text: msg.text }));\n        break;\n    }\n  });\n});\n",
    });
    const a = await analyzeProject(root);
    expect(a.events.map((e) => [e.name, e.direction, e.evidence])).toEqual([
      ['chat', 'client-to-server', 'src/server.js:9'],
      ['typing', 'server-to-client', 'src/server.js:10'],
    ]);
  });
});

describe('packages and known unknowns', () => {
  it('reports a declared real-time dependency imported only in comments, tests or examples as unused, not as the stack', async () => {
    const root = tree('unused', {
      'package.json':
        '{\n  "name": "app",\n  "dependencies": {\n    "socket.io": "4.8.0",\n    "ws": "8.18.0",\n    "@nestjs/websockets": "10.4.4",\n    "@nestjs/platform-socket.io": "10.4.4"\n  }\n}\n',
      'src/index.ts':
        "/*\nimport { Server } from 'socket.io';\n*/\n// import { WebSocketServer } from 'ws';\nimport { WebSocketGateway } from '@nestjs/websockets';\nconst url = 'wss://x.example/socket';\n",
      'test/ws.test.ts': "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 1 });\n",
      'examples/echo.js': "const { Server } = require('socket.io');\nnew Server(3000);\n",
    });
    const a = await analyzeProject(root);
    expect(a.unused).toEqual([
      { name: 'socket.io', evidence: 'package.json:4', reason: 'declared but imported by no production source file' },
      { name: 'ws', evidence: 'package.json:5', reason: 'declared but imported by no production source file' },
    ]);
    expect(a.stack.libraries.map((l) => l.name)).toEqual(['@nestjs/platform-socket.io', '@nestjs/websockets']);
    expect(a.stack.entrypoints).toEqual([]);
    expect(a.findings.map((f) => f.id)).toEqual([]);
  });

  it('counts a dependency a skipped bundle requires as used: a published build that is one bundle', async () => {
    const root = tree('bundled-build', {
      'package.json': '{\n  "name": "signal",\n  "main": "dist/index.cjs",\n  "dependencies": {\n    "ws": "8.18.0",\n    "socket.io": "4.8.0"\n  }\n}\n',
      'dist/index.cjs':
        'var $a$ws = require("ws");\nvar $a$express = require("express");\nmodule.exports = { wss: new $a$ws.WebSocketServer({ noServer: true }) };\n//# sourceMappingURL=index.cjs.map\n',
    });
    const a = await analyzeProject(root);
    expect(a.warnings.map((w) => `${w.file}: ${w.message.slice(0, 40)}`)).toEqual([
      "dist: read as the project's code although it i",
      'dist/index.cjs: bundled or generated code (it ends with ',
    ]);
    // The rescue reads the warning's kind, not its wording.
    expect(a.warnings.map((w) => w.kind ?? null)).toEqual([null, 'skipped-generated']);
    expect(a.unused).toEqual([{ name: 'socket.io', evidence: 'package.json:6', reason: 'declared but imported by no production source file' }]);
  });

  it('names a real-time package no adapter models and stays silent about what it cannot read', async () => {
    const root = tree('unmodelled', {
      'package.json': '{ "name": "track", "dependencies": { "centrifuge": "5.2.0", "@acme/live-bus": "1.0.0", "rxjs": "7.8.1" } }',
      'src/live.ts':
        "import { Centrifuge } from 'centrifuge';\nimport { Subject } from 'rxjs';\nconst c = new Centrifuge('wss://rt.example/connection/websocket');\nconst sub = c.newSubscription('parcels');\nsub.subscribe();\nnew Subject().subscribe();\nconst ws = new WebSocket('wss://x.example');\n",
      'src/bus.ts': "import { connect } from '@acme/live-bus';\nconst bus = connect();\nbus.channel('orders');\nexport const socketLike = 1;\n",
    });
    const a = await analyzeProject(root);
    expect(a.unmodelled).toEqual([
      { name: '@acme/live-bus', evidence: 'src/bus.ts:1', reason: 'its calls open channels or subscriptions' },
      { name: 'centrifuge', evidence: 'src/live.ts:1', reason: 'a real-time library no adapter reads' },
    ]);
    // The plain WebSocket would otherwise be judged client-only, without heartbeat or reconnect.
    expect(a.findings.map((f) => f.id)).toEqual([]);
  });

  it('credits a subscribe to the client declared nearest before it, not to every package whose client shares its name', async () => {
    const root = tree('unmodelled-shared-name', {
      'package.json': '{ "name": "probe", "dependencies": { "pg": "8.11.0", "@acme/bus": "1.0.0", "express": "4.19.2" } }',
      'server/checks.js': [
        "const { Client } = require('pg');",
        "const bus = require('@acme/bus');",
        'async function checkDatabase(url) {',
        '  const client = new Client({ connectionString: url });',
        '  await client.connect();',
        "  return client.query('SELECT 1');",
        '}',
        'function checkBus(url, topic) {',
        '  const client = bus.connect(url);',
        '  client.subscribe(topic);',
        '}',
        'module.exports = { checkDatabase, checkBus };',
      ].join('\n'),
    });
    const a = await analyzeProject(root);
    expect(a.unmodelled).toEqual([{ name: '@acme/bus', evidence: 'server/checks.js:2', reason: 'its calls open channels or subscriptions' }]);
  });
});
