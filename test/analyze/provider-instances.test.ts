// Provider SDK instances shared through a module (model/instances.ts) and what the Pusher
// adapter knows: the channel authorization route, client events, pusher-js's own keep-alive.
// Each case is a small tree in more than one layout; the facts are asserted exactly.
import { describe, expect, it } from 'vitest';
import { analyzeTree as analyze } from './tree.js';
import type { Analysis } from '../../src/types.js';

const SERVER_PKG = JSON.stringify({ name: 's', type: 'module', dependencies: { express: '^4.19.2', pusher: '^5.2.0' } });
const LIB =
  "import Pusher from 'pusher';\nexport const pusher = new Pusher({ appId: process.env.PUSHER_APP_ID, key: process.env.PUSHER_KEY, secret: process.env.PUSHER_SECRET, cluster: 'eu' });\n";
const ROUTE = (from: string): string =>
  `import { Router } from 'express';\nimport { pusher } from '${from}';\nexport const auth = Router();\nauth.post('/pusher/auth', (req, res) => {\n  const user = req.session.user;\n  if (!user) return res.sendStatus(401);\n  res.send(pusher.authorizeChannel(req.body.socket_id, req.body.channel_name));\n});\nauth.post('/api/ping', async (req, res) => {\n  await pusher.trigger('private-user-1', 'pinged', {});\n  res.sendStatus(204);\n});\n`;

const facts = (a: Analysis) => ({
  entries: a.stack.entrypoints.filter((e) => e.kind === 'token-route').map((e) => `${e.file}:${e.line}`),
  events: a.events.map((e) => `${e.name} ${e.direction} ${e.evidence}`),
  auth: a.stack.auth.map((k) => `${k.kind} ${k.evidence}`),
});

describe('a Pusher server instance created in another module', () => {
  it('imported directly: the route is a token route, its session read is the auth, its trigger an event', async () => {
    const a = await analyze({ 'package.json': SERVER_PKG, 'src/lib/pusher.js': LIB, 'src/routes/auth.js': ROUTE('../lib/pusher.js') });
    expect(facts(a)).toEqual({
      entries: ['src/routes/auth.js:7'],
      events: ['pinged server-to-client src/routes/auth.js:10'],
      auth: ['ephemeral-token src/routes/auth.js:7', 'session-cookie src/routes/auth.js:5'],
    });
  });

  it('through a barrel that re-exports it', async () => {
    const a = await analyze({
      'package.json': SERVER_PKG,
      'src/lib/pusher.js': LIB,
      'src/lib/index.js': "export { pusher } from './pusher.js';\n",
      'src/routes/auth.js': ROUTE('../lib/index.js'),
    });
    expect(facts(a).entries).toEqual(['src/routes/auth.js:7']);
    expect(facts(a).events).toEqual(['pinged server-to-client src/routes/auth.js:10']);
  });

  it('a `pusher` that some other library created is not Pusher', async () => {
    const a = await analyze({
      'package.json': JSON.stringify({ name: 's', type: 'module', dependencies: { express: '^4.19.2', pusher: '^5.2.0', 'push-kit': '^1.0.0' } }),
      'src/lib/pusher.js': "import { createPusher } from 'push-kit';\nexport const pusher = createPusher();\n",
      'src/routes/auth.js': ROUTE('../lib/pusher.js'),
    });
    expect(facts(a)).toEqual({ entries: [], events: [], auth: [] });
  });
});

const WEB_PKG = JSON.stringify({ name: 'w', type: 'module', dependencies: { 'pusher-js': '^8.4.0', react: '^18.3.1' } });
const CLIENT =
  "import Pusher from 'pusher-js';\nexport const pusher = new Pusher(import.meta.env.VITE_PUSHER_KEY, { cluster: 'eu', channelAuthorization: { endpoint: '/pusher/auth' } });\n";
const HOOK =
  "import { pusher } from './pusher';\nexport function watch(room, onTyping) {\n  const channel = pusher.subscribe(`presence-${room}`);\n  channel.bind('client-typing', onTyping);\n  channel.bind('saved', onTyping);\n  return () => channel.trigger('client-typing', { at: 1 });\n}\n";

describe('a pusher-js client', () => {
  it('binds and triggers through an instance from another module; client events go both ways, no mismatch', async () => {
    const a = await analyze({ 'package.json': WEB_PKG, 'src/pusher.js': CLIENT, 'src/watch.js': HOOK });
    expect(a.events.map((e) => `${e.name} ${e.direction} ${e.evidence}`)).toEqual([
      'client-typing both src/watch.js:4',
      'saved server-to-client src/watch.js:5',
    ]);
    expect(a.findings.filter((f) => f.id === 'event-name-mismatch')).toEqual([]);
    // pusher-js pings after its default activityTimeout: a heartbeat, but no interval the project configured.
    expect(a.stack.heartbeat).toEqual({ present: true, evidence: 'src/pusher.js:2' });
    expect(a.stack.reconnect).toEqual({ present: true, evidence: 'src/pusher.js:2', backoff: true, jitter: false });
  });

  it('reads activityTimeout when the options set it', async () => {
    const a = await analyze({
      'package.json': WEB_PKG,
      'src/pusher.js': "import Pusher from 'pusher-js';\nexport const pusher = new Pusher('key', {\n  cluster: 'eu',\n  activityTimeout: 30000,\n});\n",
    });
    expect(a.stack.heartbeat).toEqual({ present: true, evidence: 'src/pusher.js:4', intervalMs: 30000 });
  });

  it('a trigger of a non-client event from the browser is not an event (Pusher rejects it)', async () => {
    const a = await analyze({
      'package.json': WEB_PKG,
      'src/pusher.js': CLIENT,
      'src/watch.js': "import { pusher } from './pusher';\nexport const go = () => pusher.subscribe('private-a').trigger('typing', {});\n",
    });
    expect(a.events).toEqual([]);
  });
});

describe('a Socket.IO instance created in another module of a package that declares both sides', () => {
  const PKG = JSON.stringify({ name: 't', type: 'module', dependencies: { express: '^5.0.0', 'socket.io': '^4.8.0', 'socket.io-client': '^4.8.0' } });
  const CLIENT_SOCKET = "import { io } from 'socket.io-client';\nexport const socket = io(window.location.origin, { path: '/term/socket.io' });\n";
  const APP = (from: string): string =>
    `import { socket } from '${from}';\nsocket.on('connect', () => {\n  socket.emit('input', 'ls');\n  socket.on('data', (chunk) => render(chunk)).on('logout', () => close());\n});\n`;

  it.each([
    ['src/client/app.ts', 'src/client/app/socket.ts', './app/socket'],
    ['web/main.js', 'web/lib/socket.js', './lib/socket.js'],
  ])('%s reads its events through the exported client (%s)', async (app, lib, from) => {
    const a = await analyze({ 'package.json': PKG, [lib]: CLIENT_SOCKET, [app]: APP(from) });
    expect(a.events.map((e) => `${e.name} ${e.direction} ${e.evidence}`)).toEqual([
      `data server-to-client ${app}:4`,
      `input client-to-server ${app}:3`,
      `logout server-to-client ${app}:4`,
    ]);
    expect(a.stack.entrypoints.map((e) => `${e.kind} ${e.file}:${e.line}`)).toEqual([`socket-client ${lib}:2`]);
  });
});
