// Rules over what a connection's handlers check before they act (rules/handler-checks.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { ruleTester } from './rule-tester.js';

const PKG = JSON.stringify({ name: 'x', type: 'module', dependencies: { 'socket.io': '^4.8.1', jsonwebtoken: '^9.0.2' } });
const server = (...body: string[]): string =>
  ["import { Server } from 'socket.io';", 'const io = new Server(3000, { cors: { origin: ["https://a.example"] } });', ...body, ''].join('\n');

ruleTester('shared-secret-fails-open', {
  valid: [
    {
      name: 'the variable is checked at start-up',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "if (!process.env.CHAT_TOKEN) throw new Error('CHAT_TOKEN is not set');",
          "io.use((socket, next) => (socket.handshake.auth.token === process.env.CHAT_TOKEN ? next() : next(new Error('unauthorized'))));",
        ),
      },
    },
    {
      name: 'a comparison of two server values',
      files: { 'package.json': PKG, 'src/server.js': server("const mode = 'x';", "if (mode === process.env.MODE) console.log('on');") },
    },
  ],
  invalid: [
    {
      name: 'handshake token against an unchecked variable',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "io.use((socket, next) => (socket.handshake.auth.token === process.env.CHAT_TOKEN ? next() : next(new Error('unauthorized'))));",
        ),
      },
      errors: ['src/server.js:3'],
    },
    {
      name: 'through a local, with !==',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          'io.use((socket, next) => {',
          '  const key = socket.handshake.headers.authorization;',
          "  if (key !== process.env.API_KEY) return next(new Error('unauthorized'));",
          '  next();',
          '});',
        ),
      },
      errors: ['src/server.js:5'],
    },
  ],
});

const AUTH = ["import jwt from 'jsonwebtoken';", 'export function verifyUser(token) {', '  return jwt.verify(token, process.env.JWT_SECRET);', '}', ''].join(
  '\n',
);

ruleTester('throwing-verifier-in-middleware', {
  valid: [
    {
      name: 'the verifier is called in try/catch and failures go to next(err)',
      files: {
        'package.json': PKG,
        'src/auth.js': AUTH,
        'src/server.js': server(
          "import { verifyUser } from './auth.js';",
          'io.use((socket, next) => {',
          '  try {',
          '    socket.data.user = verifyUser(socket.handshake.auth.token);',
          '    next();',
          '  } catch {',
          "    next(new Error('unauthorized'));",
          '  }',
          '});',
        ),
      },
    },
    {
      name: 'jwt.verify with a callback does not throw',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "import jwt from 'jsonwebtoken';",
          "io.use((socket, next) => jwt.verify(socket.handshake.auth.token, 'k', {}, (err, user) => (err ? next(err) : next())));",
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'an imported helper that calls jwt.verify, outside try',
      files: {
        'package.json': PKG,
        'src/auth.js': AUTH,
        'src/server.js': server(
          "import { verifyUser } from './auth.js';",
          'io.use((socket, next) => {',
          '  socket.data.user = verifyUser(socket.handshake.auth.token);',
          '  next();',
          '});',
        ),
      },
      errors: ['src/server.js:5'],
    },
    {
      name: 'jwt.verify directly in an async middleware',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "import jwt from 'jsonwebtoken';",
          'io.use(async (socket, next) => {',
          "  socket.data.user = jwt.verify(socket.handshake.auth.token, 'k');",
          '  next();',
          '});',
        ),
      },
      errors: ['src/server.js:5'],
    },
  ],
});

const STATE = [
  "import { createClient } from 'redis';",
  'const store = createClient();',
  'export async function removeMember(boardId, userId) { await store.sRem(`board:${boardId}`, userId); }',
  'export async function leave(boardId, userId) { if ((await store.hIncrBy(`n:${boardId}`, userId, -1)) <= 0) await store.sRem(`board:${boardId}`, userId); }',
  '',
].join('\n');

ruleTester('presence-removed-by-user', {
  valid: [
    {
      name: 'removed only when the user has no socket left',
      files: {
        'package.json': PKG,
        'src/state.js': STATE,
        'src/server.js': server(
          "import { removeMember } from './state.js';",
          "io.on('connection', (socket) => {",
          "  socket.on('disconnect', async () => {",
          '    const left = await io.in(`user:${socket.data.userId}`).fetchSockets();',
          "    if (left.length === 0) await removeMember('b', socket.data.userId);",
          '  });',
          '});',
        ),
      },
    },
    {
      name: 'the helper counts the user’s sockets',
      files: {
        'package.json': PKG,
        'src/state.js': STATE,
        'src/server.js': server(
          "import { leave } from './state.js';",
          "io.on('connection', (socket) => {",
          "  socket.on('disconnect', () => leave('b', socket.data.userId));",
          '});',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'removed by user id on one socket’s disconnect',
      files: {
        'package.json': PKG,
        'src/state.js': STATE,
        'src/server.js': server(
          "import { removeMember } from './state.js';",
          "io.on('connection', (socket) => {",
          "  socket.on('disconnecting', async () => {",
          '    for (const room of socket.rooms) await removeMember(room, socket.data.userId);',
          '  });',
          '});',
        ),
      },
      errors: ['src/server.js:6'],
    },
  ],
});

ruleTester('join-without-access-check', {
  valid: [
    {
      name: 'membership checked before the join',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "io.on('connection', (socket) => {",
          "  socket.on('room:join', async (roomId, ack) => {",
          '    if (!(await canAccess(socket.data.userId, roomId))) return ack({ ok: false });',
          '    socket.join(roomId);',
          '  });',
          '});',
          'async function canAccess() { return false; }',
        ),
      },
    },
    {
      name: 'a room named by the server, not the client',
      files: {
        'package.json': PKG,
        'src/server.js': server("io.on('connection', (socket) => {", "  socket.on('me', () => socket.join(`user:${socket.data.userId}`));", '});'),
      },
    },
  ],
  invalid: [
    {
      name: 'the room the client names, joined straight away',
      files: {
        'package.json': PKG,
        'src/server.js': server("io.on('connection', (socket) => {", "  socket.on('board:join', ({ boardId }) => socket.join(`board:${boardId}`));", '});'),
      },
      errors: ['src/server.js:4'],
    },
  ],
});

const PLAIN = JSON.stringify({ name: 'x', type: 'module', dependencies: { 'socket.io': '^4.8.1' } });
const bare = (...body: string[]): string => ["import { Server } from 'socket.io';", 'const io = new Server(3000);', ...body, ''].join('\n');

// The server at the root, the browser app in its own workspace package: each file's side is its package's.
const ROOM_PKG = JSON.stringify({ name: 'x', type: 'module', dependencies: { 'socket.io': '^4.8.1' } });
const WEB_PKG = JSON.stringify({ name: 'web', type: 'module', dependencies: { 'socket.io-client': '^4.8.1' } });
const ROOM_SERVER = (...extra: string[]): string =>
  bare(
    "io.on('connection', (socket) => {",
    "  socket.on('ticket:join', (ticketId) => socket.join(`ticket:${ticketId}`));",
    "  socket.on('message:send', (m) => io.to(`ticket:${m.ticketId}`).emit('message:new', { ticketId: m.ticketId, body: m.body }));",
    ...extra,
    '});',
  );
const SHARED_SOCKET = ["import { io } from 'socket.io-client';", "export const socket = io('https://a.example');", ''].join('\n');
const chatView = (listener: string): string =>
  [
    "import { socket } from './socket.js';",
    'export function open(ticketId, show) {',
    "  socket.emit('ticket:join', ticketId);",
    `  ${listener}`,
    "  socket.on('message:new', onMessage);",
    '}',
    '',
  ].join('\n');

ruleTester('room-event-unfiltered-on-client', {
  valid: [
    {
      name: 'the listener compares the room id with the one on screen',
      files: {
        'package.json': ROOM_PKG,
        'web/package.json': WEB_PKG,
        'src/server.js': ROOM_SERVER(),
        'web/src/socket.js': SHARED_SOCKET,
        'web/src/chat.js': chatView('const onMessage = (m) => { if (m.ticketId === ticketId) show(m.body); };'),
      },
    },
    {
      name: 'the server leaves the old room',
      files: {
        'package.json': ROOM_PKG,
        'web/package.json': WEB_PKG,
        'src/server.js': ROOM_SERVER("  socket.on('ticket:leave', (ticketId) => socket.leave(`ticket:${ticketId}`));"),
        'web/src/socket.js': SHARED_SOCKET,
        'web/src/chat.js': chatView('const onMessage = (m) => show(m.body);'),
      },
    },
    {
      name: 'the payload is handed to a function that may check it',
      files: {
        'package.json': ROOM_PKG,
        'web/package.json': WEB_PKG,
        'src/server.js': ROOM_SERVER(),
        'web/src/socket.js': SHARED_SOCKET,
        'web/src/chat.js': chatView('const onMessage = (m) => receive(m);'),
      },
    },
    {
      name: 'a socket of the view itself, not one shared by every view',
      files: {
        'package.json': ROOM_PKG,
        'web/package.json': WEB_PKG,
        'src/server.js': ROOM_SERVER(),
        'web/src/chat.js': [
          "import { io } from 'socket.io-client';",
          'export function open(ticketId, show) {',
          "  const socket = io('https://a.example');",
          "  socket.emit('ticket:join', ticketId);",
          "  socket.on('message:new', (m) => show(m.body));",
          '}',
          '',
        ].join('\n'),
      },
    },
  ],
  invalid: [
    {
      name: 'a shared socket, no leave, a listener that shows every message',
      files: {
        'package.json': ROOM_PKG,
        'web/package.json': WEB_PKG,
        'src/server.js': ROOM_SERVER(),
        'web/src/socket.js': SHARED_SOCKET,
        'web/src/chat.js': chatView('const onMessage = (m) => show(m.body);'),
      },
      errors: ['web/src/chat.js:4'],
    },
  ],
});

ruleTester('unverified-token-identity', {
  valid: [
    {
      name: 'the token is verified before it names the user',
      files: {
        'package.json': PKG,
        'src/server.js': [
          "import jwt from 'jsonwebtoken';",
          ...bare(
            "io.on('connection', (socket) => {",
            '  const token = socket.handshake.query.token;',
            '  socket.data.user = jwt.verify(String(token), process.env.KEY);',
            '});',
          ).split('\n'),
        ].join('\n'),
      },
    },
    {
      name: 'the token is looked up in a store',
      files: {
        'package.json': PLAIN,
        'src/server.js': bare(
          "io.on('connection', async (socket) => {",
          '  const token = socket.handshake.auth.token;',
          '  const session = await sessions.find(token);',
          '  socket.data.userId = token.slice(0, 8);',
          '});',
          'const sessions = new Map();',
        ),
      },
    },
    {
      name: 'the user id comes from the server, not the token',
      files: {
        'package.json': PLAIN,
        'src/server.js': bare("io.on('connection', (socket) => {", '  socket.data.user = { id: crypto.randomUUID() };', '});'),
      },
    },
  ],
  invalid: [
    {
      name: 'the token cut into a user id',
      files: {
        'package.json': PLAIN,
        'src/server.js': bare(
          "io.on('connection', (socket) => {",
          '  const token = socket.handshake.query.token;',
          "  socket.data.user = token ? { id: String(token).slice(0, 8) } : { id: 'anon' };",
          '});',
        ),
      },
      errors: ['src/server.js:5'],
    },
    {
      name: 'a ws server that files the socket under the token from its URL',
      files: {
        'package.json': JSON.stringify({ name: 'x', type: 'module', dependencies: { ws: '^8.18.0' } }),
        'src/server.js': [
          "import { WebSocketServer } from 'ws';",
          'const wss = new WebSocketServer({ port: 8080 });',
          "wss.on('connection', (ws, req) => {",
          "  const token = new URL(req.url, 'http://x').searchParams.get('token');",
          '  ws.userId = token;',
          "  ws.on('message', (m) => ws.send(m));",
          '});',
          '',
        ].join('\n'),
      },
      errors: ['src/server.js:5'],
    },
    {
      name: 'a JWT decoded without its signature checked',
      files: {
        'package.json': PKG,
        'src/server.js': [
          "import jwt from 'jsonwebtoken';",
          ...bare(
            "io.on('connection', (socket) => {",
            '  const claims = jwt.decode(socket.handshake.auth.token);',
            '  socket.data.userId = claims.sub;',
            '});',
          ).split('\n'),
        ].join('\n'),
      },
      errors: ['src/server.js:6'],
    },
  ],
});

describe('unverified-token-identity message', () => {
  it('names the target, the token read and what the code does to it', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-token-id-'));
    try {
      mkdirSync(path.join(root, 'src'));
      writeFileSync(path.join(root, 'package.json'), PLAIN);
      writeFileSync(
        path.join(root, 'src/server.js'),
        bare(
          "io.on('connection', (socket) => {",
          '  const token = socket.handshake.query.token;',
          '  socket.data.user = { id: String(token).slice(0, 8) };',
          '});',
        ),
      );
      const f = (await analyzeProject(root)).findings.filter((x) => x.id === 'unverified-token-identity');
      expect(f.map(({ evidence, message }) => ({ evidence, message }))).toEqual([
        {
          evidence: 'src/server.js:5',
          message:
            '`socket.data.user` is set from `socket.handshake.query.token` (line 4), a token the client sends, and nothing on the server verifies it: the code only applies `String()` and `.slice()` to it, so any client picks the identity it is given by the token it sends',
        },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

ruleTester('write-to-client-named-room', {
  valid: [
    {
      name: 'membership checked before the write',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "io.on('connection', (socket) => {",
          "  socket.on('card:move', async ({ boardId, cardId }) => {",
          '    if (!socket.rooms.has(`board:${boardId}`)) return;',
          '    await moveCard(boardId, cardId);',
          '  });',
          '});',
          'async function moveCard() {}',
        ),
      },
    },
    {
      name: 'the write is given the connection, which it may check',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "io.on('connection', (socket) => {",
          "  socket.on('card:move', async ({ boardId, cardId }) => {",
          '    const user = socket.data.userId;',
          '    await moveCard(user, boardId, cardId);',
          '  });',
          '});',
          'async function moveCard() {}',
        ),
      },
    },
    {
      name: 'a call whose name may be a check',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "io.on('connection', (socket) => {",
          "  socket.on('card:move', async ({ boardId, cardId }) => {",
          '    await updateIfMember(boardId, cardId);',
          '  });',
          '});',
          'async function updateIfMember() {}',
        ),
      },
    },
    {
      name: 'a client listener that only sets its own view',
      files: {
        'package.json': PKG,
        'src/client.js': [
          "import { io } from 'socket.io-client';",
          "const socket = io('https://a.example');",
          "socket.on('board:state', ({ boardId }) => setBoard(boardId));",
          'function setBoard() {}',
          '',
        ].join('\n'),
        'src/server.js': server("io.on('connection', (socket) => socket.emit('board:state', { boardId: 'b' }));"),
      },
    },
    {
      name: 'a per-packet middleware may check every event',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "io.on('connection', (socket) => {",
          '  socket.use((packet, next) => next());',
          "  socket.on('card:move', ({ boardId }) => saveBoard(boardId));",
          '});',
          'function saveBoard() {}',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'the board the client names, written straight away, one finding per handler',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "io.on('connection', (socket) => {",
          "  socket.on('card:move', async ({ boardId, cardId, column }) => {",
          '    await moveCard(boardId, cardId, column);',
          '    await store.hSet(boardId, cardId, column);',
          '  });',
          "  socket.on('doc:edit', (msg) => { const text = String(msg.text); saveDoc(msg.docId, text); });",
          '});',
          'async function moveCard() {}',
          'function saveDoc() {}',
          'const store = {};',
        ),
      },
      errors: ['src/server.js:5', 'src/server.js:8'],
    },
  ],
});

ruleTester('payload-read-unchecked', {
  valid: [
    {
      name: 'the payload is checked before the read',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "io.on('connection', (socket) => {",
          "  socket.on('chat:send', (msg) => {",
          "    if (typeof msg !== 'object' || msg === null) return;",
          "    io.to(String(msg.room)).emit('chat:message', msg.text);",
          '  });',
          '});',
        ),
      },
    },
    {
      name: 'parsed by a schema first',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "io.on('connection', (socket) => {",
          "  socket.on('chat:send', (msg) => { const m = schema.parse(msg); io.to(m.room).emit('chat:message', msg.text); });",
          '});',
        ),
      },
    },
    {
      name: 'optional chaining',
      files: {
        'package.json': PKG,
        'src/server.js': server("io.on('connection', (socket) => {", "  socket.on('chat:send', (msg) => io.to(String(msg?.room)).emit('x', 1));", '});'),
      },
    },
    {
      name: 'a listener on something other than a connection socket',
      files: {
        'package.json': PKG,
        'src/server.js': server("sub.on('message', (msg) => console.log(msg.channel));"),
      },
    },
  ],
  invalid: [
    {
      name: 'a field of the payload read straight away',
      files: {
        'package.json': PKG,
        'src/server.js': server(
          "io.on('connection', (socket) => {",
          "  socket.on('card:move', (move) => io.to(`board:${move.boardId}`).emit('card:moved', move));",
          '});',
        ),
      },
      errors: ['src/server.js:4'],
    },
  ],
});

describe('write-to-client-named-room message', () => {
  it('names the handler, the payload value, the write and its event', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-write-named-'));
    try {
      mkdirSync(path.join(root, 'src'));
      writeFileSync(path.join(root, 'package.json'), PKG);
      writeFileSync(
        path.join(root, 'src/server.js'),
        server(
          "io.on('connection', (socket) => {",
          "  socket.on('card:move', async ({ boardId, cardId }) => {",
          '    await moveCard(`board:${boardId}`, cardId);',
          '  });',
          '});',
          'async function moveCard() {}',
        ),
      );
      const f = (await analyzeProject(root)).findings.filter((x) => x.id === 'write-to-client-named-room');
      expect(f.map(({ evidence, event, message }) => ({ evidence, event, message }))).toEqual([
        {
          evidence: 'src/server.js:5',
          event: 'card:move',
          message:
            "The 'card:move' handler at line 4 passes `` `board:${boardId}` ``, taken from the client's payload, to `moveCard()`, which is given nothing of the connection, and nothing before it checks that this socket joined that room or may change it: any connected client can change the state of any room it names",
        },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('emit-to-client-named-room after a leave', () => {
  it("a client's own `close` event that leaves, then emits to, the room it names is reported, with the leave's line", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-emit-named-'));
    try {
      mkdirSync(path.join(root, 'src'));
      writeFileSync(path.join(root, 'package.json'), PKG);
      writeFileSync(
        path.join(root, 'src/server.js'),
        server(
          "io.on('connection', (socket) => {",
          "  socket.on('close', (port) => {",
          '    socket.leave(port);',
          "    io.to(port).emit('serialport:close', { port });",
          '  });',
          "  socket.on('disconnect', (reason) => {",
          "    io.to(reason).emit('gone', {});",
          '  });',
          '});',
        ),
      );
      const f = (await analyzeProject(root)).findings.filter((x) => x.id === 'emit-to-client-named-room');
      expect(f.map(({ evidence, event, message }) => ({ evidence, event, message }))).toEqual([
        {
          evidence: 'src/server.js:6',
          event: 'close',
          message:
            "The 'close' handler at line 4 emits to `port`, a room named by the client, and nothing before it checks that this socket joined that room or may post there: any connected client can send into any room; the handler first leaves that room (line 5), so the check goes before that leave",
        },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
