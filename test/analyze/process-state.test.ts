// Process-local state (rules/scaling.ts in-process-state-multi-node): module-level state a
// server's handlers change, while several processes serve (an adapter or a cluster fork),
// also when the handlers and the state live in other modules than the server.
import { ruleTester } from './rule-tester.js';

const SIO = JSON.stringify({ name: 's', type: 'module', dependencies: { 'socket.io': '^4.8.1', '@socket.io/redis-adapter': '^8.3.0', ioredis: '^5.4.1' } });
const WS = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '^8.18.0' } });
const SIO_SERVER =
  "import { Server } from 'socket.io';\nimport { createAdapter } from '@socket.io/redis-adapter';\nimport { Redis } from 'ioredis';\nimport { register } from './handlers.js';\nconst pub = new Redis();\nconst io = new Server(3000, { cors: { origin: ['https://a.example'] } });\nio.adapter(createAdapter(pub, pub.duplicate()));\nio.on('connection', (socket) => register(io, socket));\n";
const HANDLERS =
  "import { join, leave } from './presence.js';\nexport function register(io, socket) {\n  socket.on('room:join', (room) => join(room, socket.id));\n  socket.on('disconnect', () => leave(socket.id));\n}\n";
const PRESENCE =
  'const members = new Map();\nexport function join(room, id) {\n  members.set(id, room);\n}\nexport function leave(id) {\n  members.delete(id);\n}\n';
const WS_CLUSTER = (fork: string): string =>
  `import cluster from 'node:cluster';\nimport { WebSocketServer } from 'ws';\nimport { track } from './rooms.js';\nif (cluster.isPrimary) {\n  ${fork}\n} else {\n  const wss = new WebSocketServer({ port: 8080 });\n  wss.on('connection', (ws) => ws.on('message', (m) => track(ws, String(m))));\n}\n`;
const ROOMS = 'const rooms = new Map();\nexport function track(ws, room) {\n  rooms.set(ws, room);\n}\n';

ruleTester('in-process-state-multi-node', {
  valid: [
    {
      name: 'a constant Set of allowed origins is the same on every node',
      files: {
        'package.json': SIO,
        'src/server.js': SIO_SERVER,
        'src/handlers.js':
          "import { ALLOWED } from './presence.js';\nexport function register(io, socket) {\n  socket.on('x', (o) => ALLOWED.has(o) && socket.emit('y'));\n}\n",
        'src/presence.js': "export const ALLOWED = new Set(['a', 'b']);\n",
      },
    },
    {
      name: 'one ws process: its Map is the only copy',
      files: { 'package.json': WS, 'src/server.js': WS_CLUSTER('// single process'), 'src/rooms.js': ROOMS },
    },
  ],
  invalid: [
    {
      name: 'Socket.IO adapter, handlers and state two modules away from the server',
      files: { 'package.json': SIO, 'src/server.js': SIO_SERVER, 'src/handlers.js': HANDLERS, 'src/presence.js': PRESENCE },
      errors: ['src/presence.js:1'],
    },
    {
      name: 'ws server forked by node:cluster, state in the module its handler calls',
      files: { 'package.json': WS, 'src/server.js': WS_CLUSTER('for (let i = 0; i < 4; i++) cluster.fork();'), 'src/rooms.js': ROOMS },
      errors: ['src/rooms.js:1'],
    },
  ],
});
