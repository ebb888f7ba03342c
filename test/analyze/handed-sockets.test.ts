// A socket handed to a function of another module (`attach(socket)`, `statusPageHandler(socket)`):
// the module receiving it imports neither Socket.IO package, and in a workspace that declares both
// it has no side of its own. Its handlers are read on the side of the socket it is given.
import { describe, expect, it } from 'vitest';
import { scanProject } from '../../src/analyze/code/scan.js';
import { writeTree } from './tree.js';

const BOTH = JSON.stringify({ name: 't', dependencies: { 'socket.io': '4.8.1', 'socket.io-client': '4.8.1', ws: '8.18.0' } });

async function rawEvents(files: Record<string, string>): Promise<string[]> {
  const r = await scanProject(writeTree({ 'package.json': BOTH, ...files }), { socketIoSide: () => null, declaresSocketIo: () => true });
  return r.analyses.flatMap((a) => a.events.map((e) => `${e.name} ${e.act} ${e.side} ${e.file}:${e.line}`));
}

describe('sockets handed to other modules', () => {
  it('ESM: the server hands the connection socket to an exported function, which hands it on once more', async () => {
    const events = await rawEvents({
      'src/server.js':
        "import { listen } from './server/socket-server.js';\nimport { attach } from './server/session.js';\nexport async function start() {\n  const io = await listen();\n  io.on('connection', async (socket) => {\n    await attach(socket, ['sh']);\n  });\n}\n",
      'src/server/socket-server.js': "import { Server } from 'socket.io';\nexport const listen = async () => new Server(3000);\n",
      'src/server/session.js':
        "import { buffered } from './buffer.js';\nexport async function attach(socket, args) {\n  socket.emit('login');\n  const send = buffered(socket);\n  socket.on('input', (keys) => send(keys)).on('disconnect', () => {});\n}\n",
      'src/server/buffer.js': "export function buffered(conn) {\n  return (data) => conn.emit('data', data);\n}\n",
    });
    expect(events).toEqual([
      'data emit server src/server/buffer.js:2',
      'login emit server src/server/session.js:3',
      'input handle server src/server/session.js:5',
    ]);
  });

  it('CommonJS: `module.exports.x = (socket) => …` and `module.exports = (socket) => …` handler modules', async () => {
    const events = await rawEvents({
      'server/server.js':
        "const { ProxyHandler } = require('./handlers/proxy');\nconst databaseHandler = require('./handlers/database');\nconst io = module.exports.io = app.io;\nio.on('connection', async (socket) => {\n  socket.on('login', (data, cb) => cb({ ok: true }));\n  ProxyHandler(socket);\n  databaseHandler(socket);\n});\n",
      'server/handlers/proxy.js':
        "module.exports.ProxyHandler = (client) => {\n  client.on('addProxy', async (proxy, cb) => cb({ ok: true }));\n};\nmodule.exports.other = () => {};\n",
      'server/handlers/database.js': "module.exports = (socket) => {\n  socket.on('getDatabaseSize', async (cb) => cb({ size: 1 }));\n};\n",
    });
    expect(events).toEqual([
      'getDatabaseSize handle server server/handlers/database.js:2',
      'addProxy handle server server/handlers/proxy.js:2',
      'login handle server server/server.js:5',
    ]);
  });

  it('a ws server handing its connections on is not Socket.IO, though the workspace declares socket.io', async () => {
    const events = await rawEvents({
      'server/ws.js':
        "import { WebSocketServer } from 'ws';\nimport { attach } from './conn.js';\nconst io = new WebSocketServer({ port: 8080 });\nio.on('connection', (socket) => attach(socket));\n",
      'server/conn.js': "export function attach(socket) {\n  socket.on('message', () => {});\n  socket.on('pong', () => {});\n}\n",
    });
    expect(events).toEqual([]);
  });
});

describe('Socket.IO reserved names', () => {
  it('a server socket reserves only connect, disconnect and the like: `open` and `close` are the application’s; engine events are not the socket’s', async () => {
    const events = await rawEvents({
      'server/engine.js':
        "const { Server } = require('socket.io');\nconst io = new Server(8000);\nio.on('connection', (socket) => {\n  socket.on('open', (port) => socket.emit('serialport:open', { port }));\n  socket.on('close', (port) => io.emit('close', port));\n  socket.on('disconnect', () => {});\n  socket.conn.on('close', () => {});\n  socket.conn.on('packet', () => {});\n});\n",
      'client/app.js':
        "import { io } from 'socket.io-client';\nconst socket = io();\nsocket.on('reconnect', () => {});\nsocket.io.on('reconnect_attempt', () => {});\nsocket.io.on('packet', () => {});\nsocket.emit('open', '/dev/ttyUSB0');\nsocket.on('serialport:open', () => {});\n",
    });
    expect(events).toEqual([
      'open emit client client/app.js:6',
      'serialport:open handle client client/app.js:7',
      'open handle server server/engine.js:4',
      'serialport:open emit server server/engine.js:4',
      'close handle server server/engine.js:5',
      'close emit server server/engine.js:5',
    ]);
  });
});

describe('event-name-mismatch where one end is on a receiver not read as a socket', () => {
  it('says nothing of names a component emits through `this.$root.getSocket()`; still reports a name nothing sends', async () => {
    const { analyzeTree } = await import('./tree.js');
    const a = await analyzeTree({
      'package.json': BOTH,
      'server/server.js':
        "const { Server } = require('socket.io');\nconst io = new Server(3001);\nio.on('connection', (socket) => {\n  socket.on('addProxy', (p, cb) => cb({ ok: true }));\n  socket.on('neverSent', () => {});\n  socket.emit('monitorList', []);\n});\n",
      'src/mixins/socket.js': "import { io } from 'socket.io-client';\nexport const socket = io();\nsocket.on('monitorList', (list) => console.log(list));\n",
      'src/components/ProxyDialog.vue':
        '<script>\nexport default {\n  methods: {\n    save() {\n      this.$root.getSocket().emit("addProxy", this.proxy, () => {});\n    },\n  },\n};\n</script>\n',
    });
    expect(a.handlerFiles).toEqual(['server/server.js']);
    expect(a.findings.filter((f) => f.id === 'event-name-mismatch').map((f) => `${f.evidence} ${f.message}`)).toEqual([
      "server/server.js:5 The server handles 'neverSent' (socket.io) but no client code sends it",
    ]);
  });
});
