// cookie-presence-auth: a route, upgrade or middleware guard that only tests that a cookie or
// header is present lets in anyone who sends one. Followed one hop into an imported guard
// (requireStaff, isAuthenticated…); silent when the guard's function verifies the value.
import { ruleTester } from './rule-tester.js';

const EXPRESS = JSON.stringify({ name: 'app', type: 'module', dependencies: { express: '4.21.1', ws: '8.18.0', openai: '5.23.0' } });
const HONO = JSON.stringify({ name: 'app', type: 'module', dependencies: { hono: '4.6.5' } });
/** A token route (a server entry point) guarded by an imported middleware. */
const TOKEN_ROUTE = (guard: string): string =>
  `import express from 'express';\nimport OpenAI from 'openai';\nimport { ${guard} } from './auth.js';\nconst app = express();\nconst openai = new OpenAI();\napp.post('/api/realtime/token', ${guard}, async (_req, res) => {\n  const secret = await openai.realtime.clientSecrets.create({ session: { type: 'realtime', model: 'gpt-realtime' } });\n  res.json({ value: secret.value });\n});\napp.listen(3000);\n`;
const WS_UPGRADE = (check: string): string =>
  `import http from 'node:http';\nimport { WebSocketServer } from 'ws';\nconst server = http.createServer();\nconst wss = new WebSocketServer({ noServer: true, maxPayload: 65536 });\nserver.on('upgrade', (req, socket, head) => {\n${check}  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));\n});\nserver.listen(8080);\n`;
const HONO_WS = (mw: string): string =>
  `import { Hono } from 'hono';\nimport { getCookie, getSignedCookie } from 'hono/cookie';\nimport { upgradeWebSocket } from 'hono/cloudflare-workers';\nconst app = new Hono();\napp.use('/ws', async (c, next) => {\n${mw}  await next();\n});\napp.get('/ws', upgradeWebSocket(() => ({ onMessage(e, ws) { ws.send('ok'); } })));\nexport default app;\n`;

ruleTester('cookie-presence-auth', {
  valid: [
    {
      name: 'Socket.IO middleware looks the session up after the presence test',
      files: {
        'package.json': JSON.stringify({ name: 'app', type: 'module', dependencies: { 'socket.io': '4.8.0' } }),
        'src/io.js':
          "import { Server } from 'socket.io';\nimport { parse } from 'cookie';\nimport { sessions } from './sessions.js';\nconst io = new Server(3000);\nio.use(async (socket, next) => {\n  if (!socket.handshake.headers.cookie) return next(new Error('unauthorized'));\n  const user = await sessions.lookup(parse(socket.handshake.headers.cookie).sid);\n  if (!user) return next(new Error('unauthorized'));\n  socket.data.user = user;\n  next();\n});\n",
      },
    },
    {
      name: 'imported guard verifies a JWT from the cookie',
      files: {
        'package.json': EXPRESS,
        'src/server.js': TOKEN_ROUTE('requireStaff'),
        'src/auth.js':
          "import jwt from 'jsonwebtoken';\nexport function requireStaff(req, res, next) {\n  const token = req.cookies.staff;\n  if (!token) return res.status(401).end();\n  req.user = jwt.verify(token, process.env.JWT_SECRET);\n  next();\n}\n",
      },
    },
    {
      name: 'imported guard looks the session id up in the store',
      files: {
        'package.json': EXPRESS,
        'src/server.js': TOKEN_ROUTE('ensureAuth'),
        'src/auth.js':
          "import { sessionStore } from './store.js';\nexport async function ensureAuth(req, res, next) {\n  if (!req.cookies.sid) return res.sendStatus(401);\n  const session = await sessionStore.get(req.cookies.sid);\n  if (!session) return res.sendStatus(401);\n  next();\n}\n",
      },
    },
    {
      name: 'the cookie keys a lookup in an in-memory session map',
      files: {
        'package.json': EXPRESS,
        'src/server.js': TOKEN_ROUTE('requireUser'),
        'src/auth.js':
          'const sessions = {};\nexport function requireUser(req, res, next) {\n  const sid = req.cookies.sid;\n  if (!sid) return res.sendStatus(401);\n  req.user = sessions[sid];\n  if (!req.user) return res.sendStatus(401);\n  next();\n}\n',
      },
    },
    {
      name: 'express-session and passport: the guard reads the server-side session',
      files: {
        'package.json': EXPRESS,
        'src/server.js': TOKEN_ROUTE('isAuthenticated'),
        'src/auth.js':
          'export function isAuthenticated(req, res, next) {\n  if (!req.isAuthenticated() || !req.session.userId) return res.sendStatus(401);\n  next();\n}\n',
      },
    },
    {
      name: 'iron-session unseals the cookie',
      files: {
        'package.json': EXPRESS,
        'src/server.js': TOKEN_ROUTE('requireUser'),
        'src/auth.js':
          "import { getIronSession } from 'iron-session';\nexport async function requireUser(req, res, next) {\n  if (!req.headers.cookie) return res.sendStatus(401);\n  const session = await getIronSession(req, res, { password: process.env.SECRET, cookieName: 's' });\n  if (!session.user) return res.sendStatus(401);\n  next();\n}\n",
      },
    },
    {
      name: 'upgrade handler parses the session before upgrading',
      files: {
        'package.json': EXPRESS,
        'src/server.js': WS_UPGRADE('  if (!req.headers.cookie) {\n    socket.destroy();\n    return;\n  }\n  sessionParser(req, {}, () => {});\n'),
      },
    },
    {
      name: 'Hono middleware checks a signed cookie',
      files: {
        'package.json': HONO,
        'src/index.ts': HONO_WS("  const sid = await getSignedCookie(c, c.env.SECRET, 'sid');\n  if (!sid) return c.text('Unauthorized', 401);\n"),
      },
    },
    {
      name: 'a guard-named helper that guards nothing real-time is not followed from a file without a server entry',
      files: {
        'package.json': EXPRESS,
        'src/util.js': "import { requireStaff } from './auth.js';\nexport const check = (req, res, next) => requireStaff(req, res, next);\n",
        'src/auth.js': 'export function requireStaff(req, res, next) {\n  if (!req.cookies.staff) return res.sendStatus(401);\n  next();\n}\n',
      },
    },
  ],
  invalid: [
    {
      name: 'Socket.IO middleware rejects with next(new Error()) but only tests the Cookie header',
      files: {
        'package.json': JSON.stringify({ name: 'app', type: 'module', dependencies: { 'socket.io': '4.8.0' } }),
        'src/io.js':
          "import { Server } from 'socket.io';\nconst io = new Server(3000);\nio.use((socket, next) => {\n  if (!socket.handshake.headers.cookie) return next(new Error('unauthorized'));\n  next();\n});\nio.on('connection', (socket) => socket.emit('hello', {}));\n",
      },
      errors: ['src/io.js:4'],
    },
    {
      name: 'imported middleware tests the Cookie header for a name (Express token route)',
      files: {
        'package.json': EXPRESS,
        'src/server.js': TOKEN_ROUTE('requireStaff'),
        'src/auth.js':
          "export function requireStaff(req, res, next) {\n  if (!req.headers.cookie?.includes('staff_session=')) return res.status(401).end();\n  next();\n}\n",
      },
      errors: ['src/auth.js:2'],
    },
    {
      name: 'ws upgrade handler only checks a Cookie header exists',
      files: {
        'package.json': EXPRESS,
        'src/server.js': WS_UPGRADE('  if (!req.headers.cookie) {\n    socket.destroy();\n    return;\n  }\n'),
      },
      errors: ['src/server.js:6'],
    },
    {
      name: 'Hono middleware in front of upgradeWebSocket only reads the cookie',
      files: {
        'package.json': HONO,
        'src/index.ts': HONO_WS("  const sid = getCookie(c, 'sid');\n  if (!sid) return c.text('Unauthorized', 401);\n"),
      },
      errors: ['src/index.ts:7'],
    },
    {
      name: 'SSE route calls an imported check that tests req.cookies',
      files: {
        'package.json': EXPRESS,
        'src/server.js':
          "import express from 'express';\nimport { isAuthenticated } from './lib/auth.js';\nconst app = express();\napp.get('/events', (req, res) => {\n  if (!isAuthenticated(req, res)) return;\n  res.writeHead(200, { 'Content-Type': 'text/event-stream' });\n  res.write('data: hi\\n\\n');\n});\napp.listen(3000);\n",
        'src/lib/auth.js':
          'export function isAuthenticated(req, res) {\n  if (req.cookies.session === undefined) {\n    res.status(401).end();\n    return false;\n  }\n  return true;\n}\n',
      },
      errors: ['src/lib/auth.js:2'],
    },
    {
      name: 'inline SSE route checks only that an Authorization header is present (req.get)',
      files: {
        'package.json': EXPRESS,
        'src/server.js':
          "import express from 'express';\nconst app = express();\napp.get('/events', (req, res) => {\n  if (!req.get('Authorization')) return res.sendStatus(401);\n  res.writeHead(200, { 'Content-Type': 'text/event-stream' });\n  res.write('data: hi\\n\\n');\n});\napp.listen(3000);\n",
      },
      errors: ['src/server.js:4'],
    },
    {
      name: 'Hono createMiddleware guard imported and used on the WebSocket route',
      files: {
        'package.json': HONO,
        'src/middleware/auth.ts':
          "import { createMiddleware } from 'hono/factory';\nexport const requireMember = createMiddleware(async (c, next) => {\n  if (!c.req.header('Authorization')) return c.json({ error: 'unauthorized' }, 401);\n  await next();\n});\n",
        'src/index.ts':
          "import { Hono } from 'hono';\nimport { upgradeWebSocket } from 'hono/cloudflare-workers';\nimport { requireMember } from './middleware/auth';\nconst app = new Hono();\napp.get('/ws', requireMember, upgradeWebSocket(() => ({ onMessage(e, ws) { ws.send('ok'); } })));\nexport default app;\n",
      },
      errors: ['src/middleware/auth.ts:3'],
    },
  ],
});
