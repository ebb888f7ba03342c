// stack.listen: where the HTTP server starts listening, the server a deploy drains; not a route.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'x', dependencies: { express: '^4.19.0', ws: '^8.0.0', hono: '^4.6.0', '@hono/node-server': '^1.13.0' } });

describe('stack.listen', () => {
  it('is the listen of the server the Socket.IO server rides on, before a helper script’s listen in a folder that sorts first', async () => {
    const a = await analyzeTree({
      'package.json': JSON.stringify({ name: 'x', dependencies: { 'socket.io': '4.6.1', 'socket.io-client': '4.6.1' } }),
      'extra/broker.js':
        "class Broker {\n  server = require('net').createServer((socket) => socket.end());\n  start() {\n    this.server.listen(10000);\n  }\n}\nnew Broker().start();\n",
      'server/app-server.js':
        "const http = require('http');\nconst { Server } = require('socket.io');\nconst httpServer = http.createServer();\nmodule.exports = { httpServer, io: new Server(httpServer) };\n",
      'server/server.js': "const app = require('./app-server');\napp.io.on('connection', (socket) => socket.emit('hello'));\napp.httpServer.listen(3001);\n",
    });
    expect(a.stack.listen).toBe('server/server.js:3');
  });

  it('is the server listen call, not the SSE route', async () => {
    const a = await analyzeTree({
      'package.json': PKG,
      'src/server.js': [
        "const express = require('express');",
        'const app = express();',
        "app.get('/events', (req, res) => {",
        "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
        '});',
        'app.listen(process.env.PORT ?? 8080);',
        '',
      ].join('\n'),
    });
    expect(a.stack.listen).toBe('src/server.js:6');
  });

  it('is not a raw TCP server (an ident server next to the web server)', async () => {
    const a = await analyzeTree({
      'package.json': PKG,
      'src/identd.js': [
        "const net = require('net');",
        'module.exports = function start(port) {',
        '  const server = net.createServer((socket) => socket.end());',
        '  server.listen({ port });',
        '};',
        '',
      ].join('\n'),
      'src/web.js': [
        "const http = require('http');",
        "const { WebSocketServer } = require('ws');",
        'const server = http.createServer();',
        'const wss = new WebSocketServer({ server });',
        "wss.on('connection', (ws) => ws.send('hi'));",
        'server.listen(Number(process.env.PORT) || 9000);',
        '',
      ].join('\n'),
    });
    expect(a.stack.listen).toBe('src/web.js:6');
  });

  it("reads Hono's serve() from @hono/node-server", async () => {
    const a = await analyzeTree({
      'package.json': PKG,
      'src/index.ts': [
        "import { serve } from '@hono/node-server';",
        "import { Hono } from 'hono';",
        "import { streamSSE } from 'hono/streaming';",
        'const app = new Hono();',
        "app.get('/s', (c) => streamSSE(c, async (s) => { await s.writeSSE({ data: 'x' }); }));",
        'serve({ fetch: app.fetch, port: 8787 });',
        '',
      ].join('\n'),
    });
    expect(a.stack.listen).toBe('src/index.ts:6');
  });

  it('ignores an event listener named listen, and a test server', async () => {
    const a = await analyzeTree({
      'package.json': PKG,
      'src/server.js': [
        "import { WebSocketServer } from 'ws';",
        'const wss = new WebSocketServer({ port: 8080 });',
        "wss.on('connection', () => {});",
        '',
      ].join('\n'),
      'src/echo.js': [
        "import { WebSocket } from 'ws';",
        "const ws = new WebSocket('ws://x');",
        "echo.channel('orders').listen('OrderShipped', () => {});",
        '',
      ].join('\n'),
      'test/server.test.js': [
        "import { WebSocketServer } from 'ws';",
        'import http from "node:http";',
        'const s = http.createServer();',
        's.listen(0);',
        '',
      ].join('\n'),
    });
    expect(a.stack.listen).toBeUndefined();
  });
});
