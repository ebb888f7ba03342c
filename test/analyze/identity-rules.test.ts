// Who a connection belongs to: a user id taken from what the client sends, with nothing on the
// server authenticating it, and a Map that keeps one connection per user and deletes by key.
import { ruleTester } from './rule-tester.js';

const sseRoute = (body: string): string =>
  [
    "const { Router } = require('express');",
    'const streams = new Map();',
    'const router = Router();',
    "router.get('/', (req, res) => {",
    "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
    body,
    '});',
    'module.exports = router;',
  ].join('\n');

const ioServer = (body: string, head = ''): string =>
  ["const { Server } = require('socket.io');", head, 'const io = new Server(3000);', "io.on('connection', (socket) => {", body, '});'].join('\n');

ruleTester('client-chosen-identity', {
  valid: [
    {
      name: 'SSE stream keyed by the session user',
      files: { 'src/events.js': sseRoute('  const userId = req.session.userId;\n  streams.set(userId, res);') },
    },
    {
      name: 'Socket.IO server that verifies a JWT at the handshake before reading a user id from the query',
      files: {
        'server.js': ioServer(
          '  const room = socket.handshake.query.userId;\n  socket.join(room);',
          "const jwt = require('jsonwebtoken');\nfunction verifyToken(t) { return jwt.verify(t, process.env.SECRET); }\nio.use((socket, next) => { verifyToken(socket.handshake.auth.token); next(); });",
        ),
      },
    },
    {
      name: 'a client that sends its user id (the server is elsewhere)',
      files: { 'client.js': "import { io } from 'socket.io-client';\nconst s = io('/', { query: { userId: '42' } });\ns.on('x', () => {});" },
    },
    {
      name: 'an HTTP API that checks each request signature (HMAC over the request, as a Pusher-protocol server does)',
      files: {
        'src/http.js': [
          "const { createHmac } = require('crypto');",
          "const { WebSocketServer } = require('ws');",
          'const wss = new WebSocketServer({ port: 6001 });',
          'function signatureIsValid(req, secret) {',
          "  return createHmac('sha256', secret).update(req.url).digest('hex') === req.query.auth_signature;",
          '}',
          'function terminateUserConnections(req, res) {',
          '  if (!signatureIsValid(req, process.env.APP_SECRET)) return res.status(401).end();',
          '  for (const ws of wss.clients) if (ws.user === req.params.userId) ws.close(4009);',
          '}',
          'module.exports = { terminateUserConnections };',
        ].join('\n'),
      },
    },
    {
      name: 'a route that runs the signature check before its handler (a middleware passed by name)',
      files: {
        'src/routes.js': [
          "const express = require('express');",
          "const { createHmac } = require('crypto');",
          'const app = express();',
          'function verifySignature(request, res, next) {',
          "  if (createHmac('sha256', process.env.SECRET).update(request.url).digest('hex') !== request.query.signature) return res.status(401).end();",
          '  next();',
          '}',
          "app.get('/stream', verifySignature, (req, res) => {",
          "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
          '  streams.set(req.query.userId, res);',
          '});',
        ].join('\n'),
      },
    },
    {
      name: 'a route that runs the signature check from a middleware list before its handler',
      files: {
        'src/routes.js': [
          "const express = require('express');",
          'const app = express();',
          'const verifySignature = (req, res, next) => (req.headers.x_signature === sign(req) ? next() : res.status(401).end());',
          "app.get('/stream', [express.json(), verifySignature], (req, res) => {",
          "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
          '  streams.set(req.query.userId, res);',
          '});',
        ].join('\n'),
      },
    },
    {
      name: 'a signature middleware mounted at /webhooks signs the route under that path',
      files: {
        'src/routes.js': [
          "const express = require('express');",
          'const app = express();',
          'function verifySignature(req, res, next) { if (req.query.signature !== sign(req)) return res.sendStatus(401); next(); }',
          "app.use('/webhooks', express.json(), verifySignature);",
          "app.get('/webhooks/stream', (req, res) => {",
          "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
          '  streams.set(req.query.userId, res);',
          '});',
        ].join('\n'),
      },
    },
    {
      name: "a signature middleware mounted at /webhooks with the router after it in the same use() signs that router's routes",
      files: {
        'src/routes.js': [
          "const express = require('express');",
          'const app = express();',
          'function verifySignature(req, res, next) { if (req.query.signature !== sign(req)) return res.sendStatus(401); next(); }',
          'const hooks = express.Router();',
          "hooks.get('/stream', (req, res) => {",
          "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
          '  streams.set(req.query.userId, res);',
          '});',
          "app.use('/webhooks', express.json(), verifySignature, hooks);",
        ].join('\n'),
      },
    },
    {
      name: 'a signature middleware mounted at /webhooks signs a router the app mounts under that path afterwards',
      files: {
        'src/routes.js': [
          "const express = require('express');",
          'const app = express();',
          'function verifySignature(req, res, next) { if (req.query.signature !== sign(req)) return res.sendStatus(401); next(); }',
          'const hooks = express.Router();',
          "hooks.post('/stream', (req, res) => {",
          "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
          '  streams.set(req.query.userId, res);',
          '});',
          "app.use('/webhooks', verifySignature);",
          "app.use('/webhooks/v2', hooks);",
        ].join('\n'),
      },
    },
    {
      name: 'a router that runs the signature check before every route',
      files: {
        'src/routes.js': [
          "const { Router } = require('express');",
          'const router = Router();',
          'const verifySignature = (req, res, next) => (req.headers.x_signature ? next() : res.status(401).end());',
          'router.use(verifySignature);',
          "router.get('/stream', (req, res) => {",
          "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
          '  streams.set(req.query.userId, res);',
          '});',
          'module.exports = router;',
        ].join('\n'),
      },
    },
    {
      name: 'a method that lists a signature-checking middleware and reads the user id in the promise callback (a Pusher-protocol HTTP API)',
      files: {
        'src/http-handler.js': [
          "const { WebSocketServer } = require('ws');",
          'const wss = new WebSocketServer({ port: 6001 });',
          'class HttpHandler {',
          '  authMiddleware(res, next) {',
          '    this.signatureIsValid(res).then((valid) => (valid ? next(null, res) : res.end()));',
          '  }',
          '  signatureIsValid(res) {',
          '    return this.getSignedToken(res).then((token) => token === res.query.auth_signature);',
          '  }',
          '  attachMiddleware(res, functions) {',
          '    return new Promise((resolve) => functions.forEach((fn) => fn.call(this, res, () => resolve(res))));',
          '  }',
          '  terminateUserConnections(res) {',
          '    this.attachMiddleware(res, [this.corsMiddleware, this.authMiddleware]).then((res) => {',
          '      this.server.adapter.terminateUserConnections(res.app.id, res.params.userId);',
          '    });',
          '  }',
          '}',
          'module.exports = HttpHandler;',
        ].join('\n'),
      },
    },
    {
      name: 'a room id from the query is not a user id',
      files: { 'server.js': ioServer('  socket.join(socket.handshake.query.roomId);') },
    },
  ],
  invalid: [
    {
      name: 'SSE stream filed under req.query.userId',
      files: { 'src/events.js': sseRoute('  streams.set(req.query.userId, res);') },
      errors: ['src/events.js:6'],
    },
    {
      name: 'Socket.IO handshake query user id',
      files: { 'server.js': ioServer('  const userId = socket.handshake.query.userId;\n  socket.join(userId);') },
      errors: ['server.js:5'],
    },
    {
      name: 'ws server reading userId from the URL search params',
      files: {
        'server.js': [
          "const { WebSocketServer } = require('ws');",
          'const wss = new WebSocketServer({ port: 8080 });',
          "wss.on('connection', (ws, req) => {",
          "  const url = new URL(req.url, 'http://localhost');",
          "  const userId = url.searchParams.get('userId');",
          "  ws.on('message', () => {});",
          '});',
        ].join('\n'),
      },
      errors: ['server.js:5'],
    },
    {
      name: 'a password compare (timingSafeEqual) elsewhere authenticates no request',
      files: {
        'server.js': ioServer('  const userId = socket.handshake.query.userId;\n  socket.join(userId);'),
        'accounts.js': "const crypto = require('crypto');\nexports.check = (a, b) => crypto.timingSafeEqual(a, b);\n",
      },
      errors: ['server.js:5'],
    },
    {
      name: 'a signed webhook route beside an unsigned GET ?userId= stream: both name their request `req`, only one is signed',
      files: {
        'src/routes.js': [
          "const express = require('express');",
          "const { createHmac } = require('crypto');",
          'const app = express();',
          "app.post('/webhook', (req, res) => {",
          "  if (createHmac('sha256', process.env.SECRET).update(req.url).digest('hex') !== req.query.signature) return res.status(401).end();",
          '  notify(req.query.userId, req.body);',
          '  res.end();',
          '});',
          "app.get('/stream', (req, res) => {",
          "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
          '  streams.set(req.query.userId, res);',
          '});',
        ].join('\n'),
      },
      errors: ['src/routes.js:11'],
    },
    {
      name: 'a signature middleware mounted at /webhooks signs only the routes under that path, not a GET ?userId= stream',
      files: {
        'src/routes.js': [
          "const express = require('express');",
          'const app = express();',
          'function verifySignature(req, res, next) { if (req.query.signature !== sign(req)) return res.sendStatus(401); next(); }',
          "app.use('/webhooks', express.json(), verifySignature);",
          "app.post('/webhooks/payment', (req, res) => {",
          '  notify(req.body.userId);',
          '  res.sendStatus(204);',
          '});',
          "app.get('/events', (req, res) => {",
          "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
          '  streams.set(req.query.userId, res);',
          '});',
        ].join('\n'),
      },
      errors: ['src/routes.js:11'],
    },
    {
      name: 'a signature middleware mounted at /webhooks does not sign a router mounted at another path',
      files: {
        'src/routes.js': [
          "const express = require('express');",
          'const app = express();',
          'function verifySignature(req, res, next) { if (req.query.signature !== sign(req)) return res.sendStatus(401); next(); }',
          'const hooks = express.Router();',
          'const events = express.Router();',
          "hooks.post('/payment', (req, res) => { notify(req.body.userId); res.sendStatus(204); });",
          "events.get('/stream', (req, res) => {",
          "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
          '  streams.set(req.query.userId, res);',
          '});',
          "app.use('/webhooks', verifySignature, hooks);",
          "app.use('/events', events);",
        ].join('\n'),
      },
      errors: ['src/routes.js:9'],
    },
    {
      name: 'a signature helper called by one route signs only the request that route passes it',
      files: {
        'src/routes.js': [
          "const express = require('express');",
          "const { createHmac } = require('crypto');",
          'const app = express();',
          "const signed = (r) => createHmac('sha256', process.env.SECRET).update(r.url).digest('hex') === r.headers['x-signature'] || r.headers.x_signature;",
          "app.post('/webhook', (req, res) => {",
          '  if (!signed(req)) return res.status(401).end();',
          '  notify(req.query.userId);',
          '});',
          "app.get('/stream', (req, res) => {",
          "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
          '  streams.set(req.query.userId, res);',
          '});',
        ].join('\n'),
      },
      errors: ['src/routes.js:11'],
    },
    {
      name: 'a sibling method without the signature middleware is not signed by the one that lists it',
      files: {
        'src/http-handler.js': [
          "const { WebSocketServer } = require('ws');",
          'const wss = new WebSocketServer({ port: 6001 });',
          'class HttpHandler {',
          '  authMiddleware(res, next) {',
          '    this.signatureIsValid(res).then((valid) => (valid ? next(null, res) : res.end()));',
          '  }',
          '  signatureIsValid(res) {',
          '    return this.getSignedToken(res).then((token) => token === res.query.auth_signature);',
          '  }',
          '  attachMiddleware(res, functions) {',
          '    return new Promise((resolve) => functions.forEach((fn) => fn.call(this, res, () => resolve(res))));',
          '  }',
          '  terminateUserConnections(res) {',
          '    this.attachMiddleware(res, [this.authMiddleware]).then((res) => this.terminate(res.params.userId));',
          '  }',
          '  userChannels(res) {',
          '    this.attachMiddleware(res, [this.corsMiddleware]).then((res) => {',
          '      this.sendJson(res, this.channelsOf(res.params.userId));',
          '    });',
          '  }',
          '}',
          'module.exports = HttpHandler;',
        ].join('\n'),
      },
      errors: ['src/http-handler.js:18'],
    },
    {
      name: 'an e-signature image in the body of another route signs nothing',
      files: {
        'src/events.js': sseRoute("  streams.set(req.query.userId, res);\n  router.post('/sign', (r2, s2) => s2.json({ saved: r2.body.signature }));"),
      },
      errors: ['src/events.js:6'],
    },
  ],
});

ruleTester('one-connection-per-user', {
  valid: [
    {
      name: 'a Set of connections per user',
      files: {
        'src/events.js': sseRoute(
          "  const set = streams.get(req.session.userId) ?? new Set();\n  set.add(res);\n  streams.set(req.session.userId, set);\n  req.on('close', () => set.delete(res));",
        ),
      },
    },
    {
      name: 'keyed by the socket id, one entry per connection',
      files: {
        'server.js': ioServer("  users.set(socket.id, socket);\n  socket.on('disconnect', () => users.delete(socket.id));", 'const users = new Map();'),
      },
    },
    {
      name: 'the delete checks the entry is still this connection',
      files: {
        'server.js': ioServer(
          "  const userId = socket.data.userId;\n  users.set(userId, socket);\n  socket.on('disconnect', () => {\n    if (users.get(userId) === socket) users.delete(userId);\n  });",
          'const users = new Map();',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'SSE stream per user id, deleted by key on close',
      files: { 'src/events.js': sseRoute("  streams.set(req.session.userId, res);\n  req.on('close', () => streams.delete(req.session.userId));") },
      errors: ['src/events.js:6'],
    },
    {
      name: 'Socket.IO handlers in another module keep one socket per user',
      files: {
        'server.js': ioServer('  register(socket, socket.data.userId);', "const { register } = require('./agents');"),
        'agents.js': [
          'const agents = new Map();',
          'function register(socket, userId) {',
          '  agents.set(userId, socket);',
          "  socket.on('disconnect', () => agents.delete(userId));",
          '}',
          'module.exports = { register };',
        ].join('\n'),
      },
      errors: ['agents.js:3'],
    },
  ],
});
