// The Socket.IO Redis adapter's wiring (rules/adapter-wiring.ts), on small trees.
import { ruleTester } from './rule-tester.js';

const PKG = JSON.stringify({
  name: 's',
  type: 'module',
  dependencies: { 'socket.io': '^4.7.5', '@socket.io/redis-adapter': '^8.3.0', redis: '^4.6.13', ioredis: '^5.4.1' },
});
const SERVER = (wiring: string): string =>
  `import { Server } from 'socket.io';\nimport { createAdapter } from '@socket.io/redis-adapter';\nimport { createClient } from 'redis';\nconst pubClient = createClient({ url: process.env.REDIS_URL });\nconst subClient = pubClient.duplicate();\n${wiring}\nconst io = new Server(3000, { adapter: createAdapter(pubClient, subClient) });\nio.on('connection', (socket) => socket.on('ping', () => socket.emit('pong')));\n`;

ruleTester('redis-client-not-connected', {
  valid: [
    {
      name: 'both connected with Promise.all',
      files: { 'package.json': PKG, 'src/server.js': SERVER('await Promise.all([pubClient.connect(), subClient.connect()]);') },
    },
    { name: 'connected one by one', files: { 'package.json': PKG, 'src/server.js': SERVER('await pubClient.connect();\nawait subClient.connect();') } },
    {
      name: 'ioredis connects by itself',
      files: {
        'package.json': PKG,
        'src/server.js':
          "import { Server } from 'socket.io';\nimport { createAdapter } from '@socket.io/redis-adapter';\nimport { Redis } from 'ioredis';\nconst pubClient = new Redis();\nconst subClient = pubClient.duplicate();\nconst io = new Server(3000, { adapter: createAdapter(pubClient, subClient) });\nio.on('connection', (s) => s.on('x', () => s.emit('y')));\n",
      },
    },
  ],
  invalid: [
    { name: 'neither client connected', files: { 'package.json': PKG, 'src/server.js': SERVER('') }, errors: ['src/server.js:4', 'src/server.js:5'] },
    {
      name: 'the duplicate is never connected',
      files: { 'package.json': PKG, 'src/server.js': SERVER('await pubClient.connect();') },
      errors: ['src/server.js:5'],
    },
    {
      name: 'io.adapter() in a module of its own',
      files: {
        'package.json': PKG,
        'src/index.js':
          "import { Server } from 'socket.io';\nimport { wire } from './adapter.js';\nconst io = new Server(3000);\nwire(io);\nio.on('connection', (s) => s.on('x', () => s.emit('y')));\n",
        'src/adapter.js':
          "import { createAdapter } from '@socket.io/redis-adapter';\nimport { createClient } from 'redis';\nexport function wire(io) {\n  const pub = createClient();\n  const sub = pub.duplicate();\n  io.adapter(createAdapter(pub, sub));\n}\n",
      },
      errors: ['src/adapter.js:4', 'src/adapter.js:5'],
    },
  ],
});
