// The cross-file model rules, each with valid and invalid projects (rule-tester.ts).
import { ruleTester } from './rule-tester.js';

const SIO_PKG = '{ "name": "app", "dependencies": { "socket.io": "4.8.0", "socket.io-client": "4.8.0", "jsonwebtoken": "9.0.2" } }';
const CLIENT_PKG = '{ "name": "web", "dependencies": { "socket.io-client": "4.8.0", "react": "18.3.1" } }';
const CLIENT_SOCKET =
  "import { io } from 'socket.io-client';\nexport const EVENTS = { join: 'room:join' } as const;\nexport const socket = io('https://api.example.com', { autoConnect: false });\n";
const AUTH_SERVER = (handler: string): string =>
  `import { Server } from 'socket.io';\nimport jwt from 'jsonwebtoken';\nimport { register } from './handlers';\nconst io = new Server(3000);\nio.use((socket, next) => { socket.data.user = jwt.verify(socket.handshake.auth.token, 'k'); next(); });\nio.on('connection', (socket) => register(io, socket));\n${handler}`;

ruleTester('no-room-rejoin', {
  valid: [
    {
      name: 'joins in a connect listener',
      files: {
        'package.json': CLIENT_PKG,
        'src/socket.ts': CLIENT_SOCKET,
        'src/useRoom.ts':
          "import { useEffect } from 'react';\nimport { EVENTS, socket } from './socket';\nexport function useRoom(id: string) {\n  useEffect(() => {\n    const join = () => socket.emit(EVENTS.join, id);\n    socket.on('connect', join);\n    return () => { socket.off('connect', join); };\n  }, [id]);\n}\n",
      },
    },
  ],
  invalid: [
    {
      name: 'joins once per mount, name from another module',
      files: {
        'package.json': CLIENT_PKG,
        'src/socket.ts': CLIENT_SOCKET,
        'src/useRoom.ts':
          "import { useEffect } from 'react';\nimport { EVENTS, socket } from './socket';\nexport function useRoom(id: string) {\n  useEffect(() => {\n    socket.emit(EVENTS.join, id);\n    return () => { socket.off('x'); };\n  }, [id]);\n}\n",
      },
      errors: ['src/useRoom.ts:5'],
      messages: ["'room:join' is emitted once when the effect runs; after a reconnect the server has a new socket that is in no room, and nothing joins again"],
    },
    {
      name: 'joins once per mount, the server sets connectionStateRecovery: true',
      files: {
        'package.json': CLIENT_PKG,
        'server.js':
          "import { Server } from 'socket.io';\nimport { joinBoard } from './boards.js';\nconst io = new Server(3000, { connectionStateRecovery: true });\nio.on('connection', (socket) => {\n  socket.on('room:join', (id) => joinBoard(socket, id));\n});\n",
        'src/socket.ts': CLIENT_SOCKET,
        'src/useRoom.ts':
          "import { useEffect } from 'react';\nimport { EVENTS, socket } from './socket';\nexport function useRoom(id: string) {\n  useEffect(() => {\n    socket.emit(EVENTS.join, id);\n    return () => { socket.off('x'); };\n  }, [id]);\n}\n",
      },
      errors: ['src/useRoom.ts:5'],
      messages: [
        "'room:join' is emitted once when the effect runs; the server sets `connectionStateRecovery` (server.js:3), which gives a socket back its rooms when it reconnects within `maxDisconnectionDuration` (2 minutes by default); after a longer drop, or when recovery fails (`socket.recovered === false`), the new server-side socket is in no room, and nothing joins again",
      ],
    },
  ],
});

const LOGIN_PKG = '{ "name": "mon", "dependencies": { "socket.io": "4.6.1", "socket.io-client": "4.6.1" } }';
const LOGIN_SERVER = (body: string): string =>
  `const { Server } = require('socket.io');\nconst io = new Server(3001);\nio.on('connection', (socket) => {\n  socket.on('login', async (data, callback) => {\n${body}\n  });\n});\n`;
const LOGIN_CLIENT = (connect: string): string =>
  `import { io } from 'socket.io-client';\nconst socket = io('/', { transports: ['websocket'] });\n${connect}export function login(username, password) {\n  return new Promise((resolve) => socket.emit('login', { username, password }, resolve));\n}\n`;

ruleTester('identity-unverified-join', {
  valid: [
    {
      name: 'checks the password hash before it joins',
      files: {
        'package.json': LOGIN_PKG,
        'server.js': LOGIN_SERVER(
          '    const user = await db.findUser(data.username);\n    if (!user || !(await bcrypt.compare(data.password, user.hash))) return callback({ ok: false });\n    socket.userID = user.id;\n    socket.join(socket.userID);\n    callback({ ok: true });',
        ),
      },
    },
    {
      name: 'verifies a token through a helper it hands the payload field',
      files: {
        'package.json': LOGIN_PKG,
        'server.js': LOGIN_SERVER('    const claims = await readClaims(data.token);\n    socket.userID = data.username;\n    socket.join(socket.userID);'),
      },
    },
    {
      name: 'joins a room id from the payload: a room, not a user the client claims to be',
      files: { 'package.json': LOGIN_PKG, 'server.js': LOGIN_SERVER('    socket.join(data.roomId);\n    callback({ ok: true });') },
    },
    {
      name: 'keeps a room id from the payload on the socket and joins it',
      files: { 'package.json': LOGIN_PKG, 'server.js': LOGIN_SERVER('    socket.roomId = data.roomId;\n    socket.join(socket.roomId);') },
    },
    {
      name: 'an access check (canRead) before it joins the user named in the payload',
      files: {
        'package.json': LOGIN_PKG,
        'server.js': LOGIN_SERVER('    if (!(await canRead(data.userId))) return callback({ ok: false });\n    socket.join(data.userId);'),
      },
    },
    {
      name: 'an isMember check before it joins',
      files: {
        'package.json': LOGIN_PKG,
        'server.js': LOGIN_SERVER(
          '    if (!isRoomMember(socket.id, data.username)) return;\n    socket.userID = data.username;\n    socket.join(socket.userID);',
        ),
      },
    },
    {
      name: 'the handshake is authenticated by an io.use JWT gate (a payload user id is identity-from-payload)',
      files: {
        'package.json': LOGIN_PKG,
        'server.js': [
          "const { Server } = require('socket.io');",
          "const jwt = require('jsonwebtoken');",
          'const io = new Server(3001);',
          'io.use((socket, next) => { socket.data.user = jwt.verify(socket.handshake.auth.token, process.env.JWT_SECRET); next(); });',
          "io.on('connection', (socket) => {",
          "  socket.on('room:join', async (data, ack) => {",
          '    socket.userID = data.username;',
          '    socket.join(socket.userID);',
          '  });',
          '});',
        ].join('\n'),
      },
    },
    {
      name: 'joins a room that is not taken from the payload',
      files: { 'package.json': LOGIN_PKG, 'server.js': LOGIN_SERVER("    socket.join('lobby');\n    callback({ ok: true });") },
    },
  ],
  invalid: [
    {
      name: 'sets the user from data.username and joins its room',
      files: {
        'package.json': LOGIN_PKG,
        'server.js': LOGIN_SERVER('    socket.userID = data.username;\n    socket.join(socket.userID);\n    callback({ ok: true });'),
      },
      errors: ['server.js:5'],
    },
    {
      name: 'keeps the payload field as socket.data.user and joins it',
      files: { 'package.json': LOGIN_PKG, 'server.js': LOGIN_SERVER('    socket.data.user = data.name;\n    socket.join(socket.data.user);') },
      errors: ['server.js:5'],
    },
    {
      name: 'joins the payload field directly',
      files: { 'package.json': LOGIN_PKG, 'server.js': LOGIN_SERVER('    socket.join(data.userId);') },
      errors: ['server.js:5'],
    },
  ],
});

ruleTester('no-room-rejoin', {
  valid: [
    {
      name: 'the client sends login again on every connect',
      files: {
        'package.json': LOGIN_PKG,
        'server.js': LOGIN_SERVER('    socket.join(String(data.room));'),
        'src/socket.js': LOGIN_CLIENT("socket.on('connect', () => login(localStorage.user, localStorage.pass));\n"),
      },
    },
  ],
  invalid: [
    {
      name: 'the server joins only in the login handler, and the client logs in once',
      files: {
        'package.json': LOGIN_PKG,
        'server.js': LOGIN_SERVER('    socket.join(String(data.room));'),
        'src/socket.js': LOGIN_CLIENT(''),
      },
      errors: ['src/socket.js:4'],
      messages: [
        "'login' is sent outside any 'connect' listener, and the server joins the room only in its 'login' handler (server.js:5): after an automatic reconnect the new server-side socket never receives 'login', so it is in no room",
      ],
    },
    {
      // Socket.IO's connection state recovery gives a reconnected socket its rooms back within maxDisconnectionDuration.
      name: 'the server sets connectionStateRecovery: only a longer drop loses the room',
      files: {
        'package.json': LOGIN_PKG,
        'server.js': LOGIN_SERVER('    socket.join(String(data.room));').replace(
          'new Server(3001)',
          'new Server(3001, { connectionStateRecovery: { maxDisconnectionDuration: 120000 } })',
        ),
        'src/socket.js': LOGIN_CLIENT(''),
      },
      errors: ['src/socket.js:4'],
      messages: [
        "'login' is sent outside any 'connect' listener, and the server joins the room only in its 'login' handler (server.js:5): the server sets `connectionStateRecovery` (server.js:2), which gives a socket back its rooms when it reconnects within `maxDisconnectionDuration` (120,000 ms here); after a longer drop, or when recovery fails (`socket.recovered === false`), the new server-side socket never receives 'login', so it is in no room",
      ],
    },
    {
      name: 'an effect joins once, the server sets connectionStateRecovery with its defaults',
      files: {
        'package.json': SIO_PKG.replace('"jsonwebtoken"', '"react": "18.3.1", "jsonwebtoken"'),
        'server.js':
          "import { Server } from 'socket.io';\nconst io = new Server(3000, {\n  connectionStateRecovery: {},\n});\nio.on('connection', (socket) => {\n  socket.on('board:watch', (id) => socket.join(id));\n});\n",
        'src/socket.ts': CLIENT_SOCKET,
        'src/useBoard.ts':
          "import { useEffect } from 'react';\nimport { socket } from './socket';\nexport function useBoard(id: string) {\n  useEffect(() => {\n    socket.emit('board:watch', id);\n    return () => { socket.off('x'); };\n  }, [id]);\n}\n",
      },
      errors: ['src/useBoard.ts:5'],
      messages: [
        "'board:watch' is sent outside any 'connect' listener, and the server joins the room only in its 'board:watch' handler (server.js:6): the server sets `connectionStateRecovery` (server.js:3), which gives a socket back its rooms when it reconnects within `maxDisconnectionDuration` (2 minutes by default); after a longer drop, or when recovery fails (`socket.recovered === false`), the new server-side socket never receives 'board:watch', so it is in no room",
      ],
    },
  ],
});

ruleTester('volatile-critical-emit', {
  valid: [
    {
      name: 'volatile cursors',
      files: {
        'package.json': SIO_PKG,
        'src/h.js': "export function h(io, socket) {\n  socket.on('cursor:move', (p) => socket.volatile.to('r').emit('cursor:moved', p));\n}\n",
      },
    },
  ],
  invalid: [
    {
      name: 'volatile state change in a handler module',
      files: {
        'package.json': SIO_PKG,
        'src/h.js': "export function h(io, socket) {\n  socket.on('card:move', (p) => {\n    socket.volatile.to('r').emit('card:moved', p);\n  });\n}\n",
      },
      errors: ['src/h.js:3'],
    },
  ],
});

ruleTester('identity-from-payload', {
  valid: [
    {
      name: 'identity from the verified socket',
      files: {
        'package.json': SIO_PKG,
        'src/server.ts': AUTH_SERVER(''),
        'src/handlers.ts':
          "export function register(io, socket) {\n  socket.on('msg', (m) => io.emit('msg', { by: socket.data.user.sub, text: m.text }));\n}\n",
      },
    },
    {
      name: 'no verified identity to prefer',
      files: {
        'package.json': SIO_PKG,
        'src/server.js':
          "import { Server } from 'socket.io';\nconst io = new Server(3000);\nio.on('connection', (socket) => socket.on('msg', (m) => io.emit('msg', { by: m.userId })));\n",
      },
    },
  ],
  invalid: [
    {
      name: 'user id read from the message in a handler module',
      files: {
        'package.json': SIO_PKG,
        'src/server.ts': AUTH_SERVER(''),
        'src/handlers.ts':
          "export function register(io, socket) {\n  socket.on('msg', (m) => {\n    io.emit('msg', { by: m.userId, text: m.text });\n  });\n}\n",
      },
      errors: ['src/handlers.ts:3'],
    },
  ],
});

const REACT_PKG = '{ "name": "web", "dependencies": { "@apollo/client": "3.11.8", "graphql-ws": "5.16.0", "react": "18.3.1" } }';
ruleTester('subscription-without-cleanup', {
  valid: [
    {
      name: 'unsubscribes in the cleanup',
      files: {
        'package.json': REACT_PKG,
        'src/useFeed.ts':
          "import { useEffect } from 'react';\nimport { client } from './client';\nexport function useFeed() {\n  useEffect(() => {\n    const sub = client.subscribe({ query: Q }).subscribe({ next: () => {} });\n    return () => sub.unsubscribe();\n  }, []);\n}\n",
      },
    },
  ],
  invalid: [
    {
      name: 'no cleanup at all',
      files: {
        'package.json': REACT_PKG,
        'src/useFeed.ts':
          "import { useEffect } from 'react';\nimport { client } from './client';\nexport function useFeed() {\n  useEffect(() => {\n    client.subscribe({ query: Q }).subscribe({ next: () => {} });\n  }, []);\n}\n",
      },
      errors: ['src/useFeed.ts:5'],
    },
  ],
});

const AI_PKG = '{ "name": "chat", "dependencies": { "ai": "5.0.60", "next": "15.0.0" } }';
const ROUTE = (extra: string): string =>
  `import { streamText } from 'ai';\nimport { model } from '@/lib/model';\nexport async function POST(req: Request) {\n  const result = streamText({ model, prompt: 'x' });\n${extra}  return result.toUIMessageStreamResponse();\n}\n`;
ruleTester('ai-stream-lost-on-disconnect', {
  valid: [{ name: 'consumes the stream', files: { 'package.json': AI_PKG, 'app/api/chat/route.ts': ROUTE('  result.consumeStream();\n') } }],
  invalid: [
    { name: 'streams only to the request', files: { 'package.json': AI_PKG, 'app/api/chat/route.ts': ROUTE('') }, errors: ['app/api/chat/route.ts:5'] },
  ],
});

const PUSHER_PKG = JSON.stringify({ name: 'w', type: 'module', dependencies: { 'pusher-js': '^8.4.0', react: '^18.3.1' } });
const PUSHER_CLIENT =
  "import Pusher from 'pusher-js';\nexport const pusher = new Pusher('key', { cluster: 'eu', channelAuthorization: { endpoint: '/pusher/auth' } });\n";
const TYPING = (channel: string, handler: string): string =>
  `import Pusher from 'pusher-js';\nimport { pusher } from './pusher';\nexport function watch(room: string, show: (s: string) => void) {\n  const channel = pusher.subscribe(\`${channel}-\${room}\`);\n  channel.bind('client-typing', ${handler});\n  return () => pusher.unsubscribe(room);\n}\n`;

ruleTester('identity-from-payload', {
  valid: [
    {
      name: 'Pusher client event shown with the user_id Pusher attaches',
      files: {
        'package.json': PUSHER_PKG,
        'src/pusher.ts': PUSHER_CLIENT,
        'src/watch.ts': TYPING('presence-project', '(t: { at: number }, meta: { user_id: string }) => show(meta.user_id)'),
      },
    },
    {
      name: 'private channel: no user_id to prefer',
      files: { 'package.json': PUSHER_PKG, 'src/pusher.ts': PUSHER_CLIENT, 'src/watch.ts': TYPING('private-project', '(t: { name: string }) => show(t.name)') },
    },
  ],
  invalid: [
    {
      name: 'Pusher client event on a presence channel shows the payload name',
      files: {
        'package.json': PUSHER_PKG,
        'src/pusher.ts': PUSHER_CLIENT,
        'src/watch.ts': TYPING('presence-project', '(t: { name: string }) => show(t.name)'),
      },
      errors: ['src/watch.ts:5'],
    },
    {
      name: 'nested folders, the id field',
      files: {
        'package.json': PUSHER_PKG,
        'src/realtime/pusher.ts': PUSHER_CLIENT,
        'src/features/doc/watch.ts': TYPING('presence-doc', '(t: { userId: string }) =>\n    show(t.userId)'),
      },
      errors: ['src/features/doc/watch.ts:6'],
    },
  ],
});

const WS_CLIENT_PKG = '{ "name": "web", "dependencies": { "react": "18.3.1" } }';
const EDITOR = (listener: string): string =>
  `import { useEffect, useState } from 'react';\nimport { useSocket } from './socket';\nexport function Editor({ id }: { id: string }) {\n  const { emit, subscribe } = useSocket();\n  const [text, setText] = useState('');\n  const [version, setVersion] = useState(0);\n  useEffect(() => {\n    const off = ${listener};\n    return () => off();\n  }, [subscribe]);\n  const onChange = (next: string) => {\n    emit('doc:edit', { id, baseVersion: version, ops: [{ replace: next }] });\n    setText(next);\n  };\n  return null;\n}\n`;
const SOCKET_MOD =
  "import { createContext, useContext } from 'react';\nconst Ctx = createContext(null);\nexport function useSocket() { return useContext(Ctx); }\nconst ws = new WebSocket('wss://x.example.com');\nws.addEventListener('message', (e) => JSON.parse(e.data));\n";
ruleTester('version-advanced-without-change', {
  valid: [
    {
      name: 'the listener applies the ops it receives with the version',
      files: {
        'package.json': WS_CLIENT_PKG,
        'src/socket.ts': SOCKET_MOD,
        'src/Editor.tsx': EDITOR(
          "subscribe('doc:patched', (p: { version: number; ops: Op[] }) => {\n      setText((t) => applyOps(t, p.ops));\n      setVersion(p.version);\n    })",
        ),
      },
    },
    {
      name: 'the listener takes the whole new state',
      files: {
        'package.json': WS_CLIENT_PKG,
        'src/socket.ts': SOCKET_MOD,
        'src/Editor.tsx': EDITOR("subscribe('doc:snapshot', ({ version, text }) => {\n      setText(text);\n      setVersion(version);\n    })"),
      },
    },
    {
      name: 'a version that no write is based on',
      files: {
        'package.json': WS_CLIENT_PKG,
        'src/socket.ts': SOCKET_MOD,
        'src/Editor.tsx': EDITOR("subscribe('doc:patched', (p) => setVersion(p.version))").replace('baseVersion: version, ', ''),
      },
    },
  ],
  invalid: [
    {
      name: 'only the version moves; the next whole-text write is based on it',
      files: {
        'package.json': WS_CLIENT_PKG,
        'src/socket.ts': SOCKET_MOD,
        'src/Editor.tsx': EDITOR("subscribe('doc:patched', (p: { version: number }) => setVersion(p.version))"),
      },
      errors: ['src/Editor.tsx:8'],
    },
    {
      name: 'a destructured version, in a block',
      files: {
        'package.json': WS_CLIENT_PKG,
        'src/socket.ts': SOCKET_MOD,
        'src/Editor.tsx': EDITOR("subscribe('doc:patched', ({ version }) => {\n      setVersion(version);\n    })"),
      },
      errors: ['src/Editor.tsx:8'],
    },
  ],
});

const RWS_PKG = '{ "name": "web", "dependencies": { "reconnecting-websocket": "4.4.0" } }';
ruleTester('token-captured-for-reconnect', {
  valid: [
    {
      name: 'the URL function reads a fresh token each time',
      files: {
        'package.json': RWS_PKG,
        'src/ticker.ts':
          "import ReconnectingWebSocket from 'reconnecting-websocket';\nimport { auth } from './auth';\nexport function open() {\n  return new ReconnectingWebSocket(async () => {\n    const token = await auth.fresh();\n    return `wss://x.example/live?token=${token}`;\n  });\n}\n",
      },
    },
    {
      name: 'a URL without a credential',
      files: {
        'package.json': RWS_PKG,
        'src/ticker.ts':
          "import ReconnectingWebSocket from 'reconnecting-websocket';\nexport function open(room: string) {\n  return new ReconnectingWebSocket(() => `wss://x.example/live?room=${room}`);\n}\n",
      },
    },
  ],
  invalid: [
    {
      name: 'a token parameter captured by the URL function',
      files: {
        'package.json': RWS_PKG,
        'src/ticker.ts':
          "import ReconnectingWebSocket from 'reconnecting-websocket';\nexport function open(token: string) {\n  return new ReconnectingWebSocket(() => `wss://x.example/live?token=${token}`);\n}\n",
      },
      errors: ['src/ticker.ts:3'],
    },
  ],
});
