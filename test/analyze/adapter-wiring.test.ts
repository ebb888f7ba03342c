// The Socket.IO Redis adapter's wiring (rules/adapter-wiring.ts), on small trees.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { ruleTester } from './rule-tester.js';
import { analyzeTree } from './tree.js';

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

const SETUP = (extra = ''): string =>
  `import { createAdapter } from '@socket.io/redis-adapter';\nimport { createClient } from 'redis';\nexport async function setupAdapter(io) {\n  const pub = createClient();\n  const sub = pub.duplicate();\n  await Promise.all([pub.connect(), sub.connect()]);\n  io.adapter(createAdapter(pub, sub));\n${extra}}\n`;
const INDEX = (call: string): string =>
  `import { createServer } from 'node:http';\nimport { Server } from 'socket.io';\nimport { setupAdapter } from './adapter.js';\nconst httpServer = createServer();\nconst io = new Server(httpServer);\n${call}\nio.on('connection', (s) => s.on('x', () => s.emit('y')));\nhttpServer.listen(3000);\n`;

ruleTester('redis-adapter-not-awaited', {
  valid: [
    { name: 'awaited before listening', files: { 'package.json': PKG, 'src/adapter.js': SETUP(), 'src/index.js': INDEX('await setupAdapter(io);') } },
    {
      name: 'its rejection handled with .catch',
      files: { 'package.json': PKG, 'src/adapter.js': SETUP(), 'src/index.js': INDEX('setupAdapter(io).catch((e) => process.exit(1));') },
    },
    {
      name: 'the async function starts listening itself, after the adapter',
      files: { 'package.json': PKG, 'src/adapter.js': SETUP('  io.listen(3000);\n'), 'src/index.js': INDEX('setupAdapter(io);') },
    },
    { name: 'never called in the files read', files: { 'package.json': PKG, 'src/adapter.js': SETUP(), 'src/index.js': INDEX('') } },
  ],
  invalid: [
    {
      name: 'called as a bare statement from the server module',
      files: { 'package.json': PKG, 'src/adapter.js': SETUP(), 'src/index.js': INDEX('setupAdapter(io);') },
      errors: ['src/index.js:6'],
    },
    {
      name: 'void makes the drop explicit but not safe',
      files: { 'package.json': PKG, 'src/adapter.js': SETUP(), 'src/index.js': INDEX('void setupAdapter(io);') },
      errors: ['src/index.js:6'],
    },
    {
      name: 'in the same file',
      files: {
        'package.json': PKG,
        'src/index.js':
          "import { Server } from 'socket.io';\nimport { createAdapter } from '@socket.io/redis-adapter';\nimport { createClient } from 'redis';\nconst io = new Server(3000);\nasync function wire() {\n  const pub = createClient();\n  const sub = pub.duplicate();\n  await Promise.all([pub.connect(), sub.connect()]);\n  io.adapter(createAdapter(pub, sub));\n}\nwire();\nio.on('connection', (s) => s.on('x', () => s.emit('y')));\n",
      },
      errors: ['src/index.js:11'],
    },
  ],
});

ruleTester('redis-adapter-then-uncaught', {
  valid: [
    {
      name: 'set in a .then() whose rejection is caught',
      files: {
        'package.json': PKG,
        'src/index.js':
          "import { Server } from 'socket.io';\nimport { createAdapter } from '@socket.io/redis-adapter';\nimport { createClient } from 'redis';\nconst io = new Server(3000);\nconst pub = createClient();\nconst sub = pub.duplicate();\nPromise.all([pub.connect(), sub.connect()]).then(() => io.adapter(createAdapter(pub, sub))).catch((e) => process.exit(1));\nio.on('connection', (s) => s.on('x', () => s.emit('y')));\n",
      },
    },
    {
      name: 'set in a .then() with a rejection handler',
      files: {
        'package.json': PKG,
        'src/index.js':
          "import { Server } from 'socket.io';\nimport { createAdapter } from '@socket.io/redis-adapter';\nimport { createClient } from 'redis';\nconst io = new Server(3000);\nconst pub = createClient();\nconst sub = pub.duplicate();\nPromise.all([pub.connect(), sub.connect()]).then(() => io.adapter(createAdapter(pub, sub)), (e) => process.exit(1));\nio.on('connection', (s) => s.on('x', () => s.emit('y')));\n",
      },
    },
  ],
  invalid: [
    {
      name: 'set in a .then() of the connects with no .catch',
      files: {
        'package.json': PKG,
        'src/index.js':
          "import { Server } from 'socket.io';\nimport { createAdapter } from '@socket.io/redis-adapter';\nimport { createClient } from 'redis';\nconst io = new Server(3000);\nconst pub = createClient();\nconst sub = pub.duplicate();\nPromise.all([pub.connect(), sub.connect()]).then(() => io.adapter(createAdapter(pub, sub)));\nio.on('connection', (s) => s.on('x', () => s.emit('y')));\n",
      },
      errors: ['src/index.js:7'],
    },
  ],
});

// The @socket.io/redis-adapter README listens inside the .then: no connection can arrive early, so
// only the missing .catch is said, at medium.
describe('redis-adapter-then-uncaught where the server listens inside the .then', () => {
  it('keeps the rejection part only, at medium', async () => {
    const a = await analyzeTree({
      'package.json': PKG,
      'src/index.js':
        "import { Server } from 'socket.io';\nimport { createAdapter } from '@socket.io/redis-adapter';\nimport { createClient } from 'redis';\nconst io = new Server();\nconst pub = createClient();\nconst sub = pub.duplicate();\npub.on('error', () => {});\nsub.on('error', () => {});\nPromise.all([pub.connect(), sub.connect()]).then(() => {\n  io.adapter(createAdapter(pub, sub));\n  io.listen(3000);\n});\nio.on('connection', (s) => s.on('x', () => s.emit('y')));\n",
    });
    expect(a.findings.filter((f) => f.id === 'redis-adapter-then-uncaught').map((f) => [f.severity, f.evidence, f.message])).toEqual([
      [
        'medium',
        'src/index.js:9',
        'The Socket.IO adapter is set (src/index.js:10) in a `.then()` with no `.catch`; the server listens only inside it (line 11), so no connection reaches the in-memory adapter, but a failed Redis connect is an unhandled rejection',
      ],
    ]);
  });
});

// Connecting the clients inside a setup function called without `await` makes it async: the fix says
// where it is called, and the implementation steps list that caller's file.
describe('redis-client-not-connected in a setup function of its own', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-wiring-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const ADAPTER =
    "import { createAdapter } from '@socket.io/redis-adapter';\nimport { createClient } from 'redis';\nexport function wire(io) {\n  const pub = createClient();\n  const sub = pub.duplicate();\n  io.adapter(createAdapter(pub, sub));\n}\n";
  const project = async (call: string) => {
    const root = mkdtempSync(path.join(tmp, 'p-'));
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'package.json'), PKG);
    writeFileSync(path.join(root, 'src/adapter.js'), ADAPTER);
    writeFileSync(
      path.join(root, 'src/index.js'),
      `import { Server } from 'socket.io';\nimport { wire } from './adapter.js';\nconst io = new Server(3000);\n${call}\nio.on('connection', (s) => s.on('x', () => s.emit('y')));\n`,
    );
    return (await analyzeProject(root)).findings.filter((f) => f.id === 'redis-client-not-connected');
  };

  it('called without await: the fix names the caller, which must await it, and alsoAt carries it', async () => {
    const [pub] = await project('wire(io);');
    expect(pub?.fix).toContain('That makes `wire` async: declare it `async` and `await` it where it is called (src/index.js:4) before the server listens');
    expect(pub?.alsoAt).toEqual(['src/index.js:4']);
  });

  it('already awaited (or its result used): the rule fix alone, no caller', async () => {
    for (const call of ['await wire(io);', 'const ready = wire(io);']) {
      const [pub] = await project(call);
      expect(pub?.fix).toBe(
        'Connect both clients before creating the adapter: `await Promise.all([pubClient.connect(), subClient.connect()])`, and handle their `error` events.',
      );
      expect(pub?.alsoAt).toBeUndefined();
    }
  });
});
