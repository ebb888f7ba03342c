// A handshake middleware made by a package whose behaviour is documented (profiles/handshake-gates.ts)
// decides the Authentication advice first: a token the client sends in the query string may be exactly
// what that middleware consumes (socketio-jwt), and the property its options name is where the user is.
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { readSessions } from '../../src/context/read-sessions.js';
import { buildPlan } from '../../src/design/index.js';
import type { Plan } from '../../src/design/types.js';
import { writeTree } from '../analyze/tree.js';
import { NOW } from './inputs.js';

const server = (options: string): string =>
  [
    "import { createServer } from 'node:http';",
    "import { Server } from 'socket.io';",
    "import socketioJwt from 'socketio-jwt';",
    'const server = createServer();',
    'const io = new Server(server);',
    `io.use(socketioJwt.authorize({ secret: process.env.JWT_SECRET, handshake: true${options} }));`,
    "io.on('connection', (socket) => {",
    "  socket.on('card:move', (msg) => { io.to(`board:${msg.boardId}`).emit('card:moved', msg); });",
    '});',
    'server.listen(3000);',
    '',
  ].join('\n');
const client = (options: string): string =>
  [
    "import { io } from 'socket.io-client';",
    `const socket = io('https://rt.example.com'${options});`,
    "export function move(boardId: string, id: string) { socket.emit('card:move', { boardId, id }); }",
    "socket.on('card:moved', (c) => console.log(c));",
    '',
  ].join('\n');

async function planOf(serverOptions: string, clientOptions: string): Promise<Plan> {
  const root = writeTree({
    'server/package.json': JSON.stringify({ name: 'server', type: 'module', dependencies: { 'socket.io': '^4.7.0', 'socketio-jwt': '^4.6.2' } }),
    'server/index.js': server(serverOptions),
    'web/package.json': JSON.stringify({ name: 'web', dependencies: { 'socket.io-client': '^4.7.0' } }),
    'web/src/Board.tsx': client(clientOptions),
    '.claude/tasks/context_session_1.md': '# Board\n\nUsers move cards; the others on the board see each move.\n',
  });
  const sessions = await readSessions(root, { globs: [] });
  const analysis = await analyzeProject(root);
  return buildPlan({ task: 'board', now: NOW, toolVersion: '0.1.0', sessions, analysis, docs: { refs: [], notices: [] }, options: {} });
}

describe('socketio-jwt in front, the token in the query as its README pairs it', async () => {
  const plan = await planOf('', ", { query: { token: localStorage.getItem('jwt') } }");
  const auth = plan.connection.authMd;

  it('says the gate first, the query token as what it reads, and ties the move to auth to replacing it', () => {
    expect(auth[0]).toMatch(/^Today: a handshake check at `server\/index\.js:6`: `socketio-jwt`'s `authorize\(\{ handshake: true \}\)`/);
    expect(auth[0]).toContain('read the user from `socket.decoded_token` wherever this plan says `socket.data`');
    expect(auth[1]).toBe(
      "The client's token in the query string (`web/src/Board.tsx:2`) is what that middleware reads today where the parameter is named `token`.",
    );
    expect(auth.some((l) => l.includes('in the same step that replaces the middleware at `server/index.js:6`'))).toBe(true);
    // The query token is not said as the whole of today's authentication.
    expect(auth.some((l) => l.startsWith('Today: a token in the query string'))).toBe(false);
  });
});

describe("socketio-jwt's decodedPropertyName", async () => {
  it('is where the plan reads the user: socket.<that name>', async () => {
    const named = await planOf(", decodedPropertyName: 'user'", '');
    expect(named.connection.authMd[0]).toContain('read the user from `socket.user` wherever this plan says `socket.data`');
    expect(named.connection.authMd[0]).not.toContain('read the user from `socket.decoded_token`');
  });

  it('set to a value rt-plan cannot read, says so instead of a property', async () => {
    const unread = await planOf(', decodedPropertyName: process.env.PROP', '');
    expect(unread.connection.authMd[0]).toContain(
      'read the user from the property its `decodedPropertyName` option names (a value rt-plan cannot read) wherever this plan says `socket.data`',
    );
  });
});
