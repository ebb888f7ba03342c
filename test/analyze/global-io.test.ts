// A page that loads the client bundle a Socket.IO server serves (/socket.io/socket.io.js) uses
// the global `io` without importing it; it is a Socket.IO client, and it reconnects by default.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const pkg = JSON.stringify({ name: 'chat', dependencies: { express: '^4.21.2', 'socket.io': '^4.8.1' } });
const server =
  "const express = require('express');\nconst { Server } = require('socket.io');\nconst app = express();\nconst http = app.listen(3000);\nconst io = new Server(http);\nio.on('connection', (s) => s.on('chatMessage', (m) => io.emit('message', m)));\n";

describe('the global io() of the served client bundle', () => {
  it('is a Socket.IO client entry with the default reconnection', async () => {
    const a = await analyzeTree({
      'package.json': pkg,
      'server.js': server,
      'public/client.js': "const socket = io({ query: { room: 'a' } });\nsocket.emit('chatMessage', { text: 'hi' });\n",
    });
    expect(a.stack.entrypoints.map((e) => `${e.kind} ${e.file}:${e.line}`)).toEqual(['socket-client public/client.js:1', 'socket-server server.js:5']);
    expect(a.stack.reconnect).toEqual({ present: true, evidence: 'public/client.js:1', backoff: true, jitter: true });
  });

  it('is not claimed for a local function or an import named io', async () => {
    const a = await analyzeTree({
      'package.json': pkg,
      'server.js': server,
      'public/other.js': 'function io(x) { return x; }\nio(1);\n',
    });
    expect(a.stack.entrypoints.map((e) => e.kind)).toEqual(['socket-server']);
    expect(a.stack.reconnect.present).toBe(false);
  });
});

describe('page scripts of a package that declares only socket.io', () => {
  const pluginsServer =
    "const { Server } = require('socket.io');\nconst io = new Server(require('http').createServer().listen(3000));\nio.of('/installer').on('connection', (socket) => {\n  socket.on('checkUpdates', async () => {\n    socket.emit('results:updatable', { updatable: [] });\n  });\n});\n";
  const page =
    "/* global socketio */\n$(document).ready(() => {\n  const socket = socketio.connect('..', '/installer');\n  socket.on('results:updatable', (data) => render(data.updatable));\n  socket.emit('checkUpdates');\n  window.location.hash = '#plugins';\n});\n";

  it('send from the client side (the server namespace keeps its own entry): a script that reads window or document is browser code, whatever the package declares', async () => {
    const a = await analyzeTree({ 'package.json': pkg, 'node/plugins.js': pluginsServer, 'static/js/admin/plugins.js': page });
    expect(a.events.map((e) => `${e.name} ${e.direction} ${e.evidence}`)).toEqual([
      'checkUpdates client-to-server static/js/admin/plugins.js:5',
      'checkUpdates client-to-server node/plugins.js:4',
      'results:updatable server-to-client static/js/admin/plugins.js:4',
      'results:updatable server-to-client node/plugins.js:5',
    ]);
  });
});

describe('a server handler module that names a browser global as its own local', () => {
  const pluginsServer =
    "const { Server } = require('socket.io');\nconst io = new Server(require('http').createServer().listen(3000));\nio.on('connection', (socket) => require('./handlers/doc')(io, socket));\n";
  const events = async (handler: string) =>
    (await analyzeTree({ 'package.json': pkg, 'server.js': pluginsServer, 'handlers/doc.js': handler })).events.map(
      (e) => `${e.name} ${e.direction} ${e.evidence}`,
    );

  it('stays server code when it declares `document` itself (a collaborative-editing handler)', async () => {
    expect(
      await events(
        "module.exports = (io, socket) => {\n  socket.on('doc:edit', ({ id, content }) => {\n    const document = docs.get(id);\n    document.content = content;\n    io.to(id).emit('doc:update', { id, content: document.content });\n  });\n};\n",
      ),
    ).toEqual(['doc:edit client-to-server handlers/doc.js:2', 'doc:update server-to-client handlers/doc.js:5']);
  });

  it('stays server code for a Mongoose `document` parameter, a `navigator` read (Node 21+ global) or a Node import', async () => {
    expect(
      await events(
        "const os = require('node:os');\nmodule.exports = (io, socket) => {\n  socket.on('doc:save', async (document) => {\n    await document.save();\n    io.emit('doc:saved', { cores: navigator.hardwareConcurrency });\n  });\n};\n",
      ),
    ).toEqual(['doc:save client-to-server handlers/doc.js:3', 'doc:saved server-to-client handlers/doc.js:5']);
    expect(
      await events(
        "const path = require('path');\nmodule.exports = (io, socket) => {\n  socket.on('doc:open', () => io.emit('doc:opened', { title: window.title }));\n};\n",
      ),
    ).toEqual(['doc:open client-to-server handlers/doc.js:3', 'doc:opened server-to-client handlers/doc.js:3']);
  });

  it('is page code when it imports the `events` or `buffer` polyfill by its bare name, and server code with `node:events`', async () => {
    const page = (imports: string) =>
      events(
        `${imports}\nconst socket = socketio.connect('/');\nsocket.on('doc:update', (d) => { document.title = d.title; });\nsocket.emit('doc:open', { id: 1 });\n`,
      );
    expect(await page("import { EventEmitter } from 'events';\nimport { Buffer } from 'buffer';")).toEqual([
      'doc:open client-to-server handlers/doc.js:5',
      'doc:update server-to-client handlers/doc.js:4',
    ]);
    expect(await page("import { EventEmitter } from 'node:events';\n")).toEqual([
      'doc:open server-to-client handlers/doc.js:5',
      'doc:update client-to-server handlers/doc.js:4',
    ]);
  });

  it('is page code when `document` is the unbound global and the file imports no Node module', async () => {
    expect(
      await events(
        "const socket = socketio.connect('/');\nsocket.on('doc:update', (d) => { document.title = d.title; });\nsocket.emit('doc:open', { id: 1 });\n",
      ),
    ).toEqual(['doc:open client-to-server handlers/doc.js:3', 'doc:update server-to-client handlers/doc.js:2']);
  });
});
