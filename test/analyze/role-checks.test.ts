// model fact connection-check: what a server's handlers check of the connection before they act, by event.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { analyzeTree, writeTree } from './tree.js';

type Row = { name: string; value?: string; store?: string; evidence: string; route?: string; condition?: string; checkedAt?: string };

function rows(a: Awaited<ReturnType<typeof analyzeTree>>): Row[] {
  return (a.modelFacts ?? [])
    .filter((f) => f.kind === 'connection-check')
    .map((f) => ({
      name: f.name,
      value: f.value,
      store: f.store,
      evidence: f.evidence,
      ...(f.route ? { route: f.route } : {}),
      ...(f.condition ? { condition: f.condition } : {}),
      ...(f.checkedAt ? { checkedAt: f.checkedAt } : {}),
    }));
}

async function checks(files: Record<string, string>, deps: Record<string, string>): Promise<Row[]> {
  return rows(await analyzeTree({ 'package.json': JSON.stringify({ name: 'x', type: 'module', dependencies: deps }), ...files }));
}

const src = (...lines: string[]): string => `${lines.join('\n')}\n`;

const WS_INLINE = src(
  "import { WebSocketServer } from 'ws';",
  'const wss = new WebSocketServer({ port: 8080 });',
  "wss.on('connection', (ws, req) => {",
  "  ws.role = req.headers['x-role'];",
  "  ws.on('message', (raw) => {",
  '    const msg = JSON.parse(raw);',
  "    if (msg.type === 'vote') {",
  "      if (msg.option === 'skip') return;",
  "      ws.send(JSON.stringify({ type: 'voted', role: ws.role }));",
  "    } else if (msg.type === 'poll:open' && ws.role === 'teacher') {",
  "      ws.send(JSON.stringify({ type: 'poll:opened' }));",
  '    }',
  '  });',
  '});',
);

describe('connection checks', () => {
  it('a ws message branch that runs only for a role; a comparison of the payload and a role read for display are none', async () => {
    expect(await checks({ 'src/server.js': WS_INLINE }, { ws: '^8.0.0' })).toEqual([
      { name: 'poll:open', value: "ws.role === 'teacher'", store: 'only', evidence: 'src/server.js:10' },
    ]);
  });

  it('Socket.IO handlers registered in another module, with an early return on the user the socket carries', async () => {
    const server = src(
      "import { Server } from 'socket.io';",
      "import { registerPollHandlers } from './polls.js';",
      'const io = new Server(3000);',
      "io.on('connection', (socket) => registerPollHandlers(io, socket));",
    );
    const polls = src(
      'export function registerPollHandlers(io, socket) {',
      '  const user = socket.data.user;',
      "  socket.on('poll:open', (data) => {",
      "    if (!user.roles.includes('host')) return;",
      "    io.to(data.room).emit('poll:opened', data);",
      '  });',
      "  socket.on('poll:close', (data) => {",
      '    if (!socket.data.user.isAdmin) {',
      "      socket.emit('error', { code: 'FORBIDDEN' });",
      '      return;',
      '    }',
      "    io.to(data.room).emit('poll:closed', data);",
      '  });',
      "  socket.on('vote', (data) => {",
      "    const label = user.role === 'teacher' ? 'Teacher' : 'Student';",
      "    io.to(data.room).emit('voted', { label });",
      '  });',
      '}',
    );
    expect(await checks({ 'src/server.js': server, 'src/polls.js': polls }, { 'socket.io': '^4.7.0' })).toEqual([
      { name: 'poll:open', value: "!user.roles.includes('host')", store: 'refuse', evidence: 'src/polls.js:4' },
      { name: 'poll:close', value: '!socket.data.user.isAdmin', store: 'refuse', evidence: 'src/polls.js:8' },
    ]);
  });

  it('a guard function imported from another module is followed to its comparison; one with only a name is not', async () => {
    const server = src(
      "import { Server } from 'socket.io';",
      "import { isHost, canModerate } from './auth.js';",
      'const io = new Server(3000);',
      "io.on('connection', (socket) => {",
      "  socket.on('room:lock', (room) => {",
      '    if (!isHost(socket)) return;',
      "    io.to(room).emit('room:locked', { room });",
      '  });',
      "  socket.on('message:delete', (id) => {",
      '    if (!canModerate(socket)) return;',
      "    io.emit('message:deleted', { id });",
      '  });',
      '});',
    );
    const auth = src(
      "export const isHost = (socket) => socket.data.role === 'host';",
      'export async function canModerate(socket) {',
      '  return fetchPermission(socket.data.userId);',
      '}',
    );
    expect(await checks({ 'src/server.js': server, 'src/auth.js': auth }, { 'socket.io': '^4.7.0' })).toEqual([
      {
        name: 'room:lock',
        value: 'isHost(socket)',
        store: 'only',
        evidence: 'src/server.js:6',
        condition: "socket.data.role === 'host'",
        checkedAt: 'src/auth.js:1',
      },
    ]);
  });

  it('a switch case on a constant that keeps only the entitled items, in a connection handler of its own module', async () => {
    const server = src(
      "import { WebSocketServer } from 'ws';",
      "import { onConnection } from './connection.js';",
      'const wss = new WebSocketServer({ port: 8080 });',
      "wss.on('connection', onConnection);",
    );
    const connection = src(
      "import { Types } from './protocol.js';",
      'export function onConnection(ws, req, session) {',
      "  ws.on('message', (data) => {",
      '    const msg = JSON.parse(String(data));',
      '    switch (msg.type) {',
      '      case Types.Subscribe: {',
      '        const allowed = msg.symbols.filter((s) => session.entitlements.includes(s));',
      "        ws.send(JSON.stringify({ type: 'snapshot', allowed }));",
      '        break;',
      '      }',
      '      case Types.Unsubscribe:',
      "        ws.send(JSON.stringify({ type: 'unsubscribed' }));",
      '        break;',
      '    }',
      '  });',
      '}',
    );
    const protocol = src("export const Types = { Subscribe: 'subscribe', Unsubscribe: 'unsubscribe' };");
    expect(await checks({ 'src/server.js': server, 'src/connection.js': connection, 'src/protocol.js': protocol }, { ws: '^8.0.0' })).toEqual([
      { name: 'subscribe', value: 'session.entitlements.includes(s)', store: 'filter', evidence: 'src/connection.js:7' },
    ]);
  });

  it('an SSE route that refuses all but one role; a check in a client listener is not a server rule', async () => {
    const server = src(
      "import express from 'express';",
      'const app = express();',
      "app.get('/admin/events', (req, res) => {",
      "  if (req.user.role !== 'admin') return res.sendStatus(403);",
      "  if (req.query.debug === '1') return res.sendStatus(400);",
      "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
      "  res.write('data: hi\\n\\n');",
      '});',
      'app.listen(3000);',
    );
    const client = src(
      "import { io } from 'socket.io-client';",
      "const socket = io('https://example.com');",
      "socket.on('poll:opened', (p) => {",
      "  if (socket.auth.role !== 'teacher') return;",
      '  console.log(p);',
      '});',
    );
    expect(await checks({ 'src/server.js': server, 'web/client.js': client }, { express: '^4.0.0', 'socket.io-client': '^4.7.0' })).toEqual([
      { name: '', value: "req.user.role !== 'admin'", store: 'refuse', evidence: 'src/server.js:4', route: '/admin/events' },
    ]);
  });

  it('a handler map in another module, dispatched with the connection first; the same map dispatched without it says nothing', async () => {
    const handlers = src(
      'export const handlers = {',
      "  'poll:open': (ws, msg) => {",
      "    if (ws.role !== 'teacher') return;",
      "    ws.send(JSON.stringify({ type: 'poll:opened', pollId: msg.pollId }));",
      '  },',
      '  vote: (ws, msg) => {',
      "    ws.send(JSON.stringify({ type: 'voted', pollId: msg.pollId }));",
      '  },',
      '};',
    );
    const server = (dispatch: string): string =>
      src(
        "import { WebSocketServer } from 'ws';",
        "import { handlers } from './handlers.js';",
        'const wss = new WebSocketServer({ port: 8080 });',
        "wss.on('connection', (ws) => {",
        "  ws.on('message', (raw) => {",
        '    const msg = JSON.parse(String(raw));',
        `    ${dispatch}`,
        '  });',
        '});',
      );
    const deps = { ws: '^8.0.0' };
    expect(await checks({ 'src/server.js': server('handlers[msg.type]?.(ws, msg);'), 'src/handlers.js': handlers }, deps)).toEqual([
      { name: 'poll:open', value: "ws.role !== 'teacher'", store: 'refuse', evidence: 'src/handlers.js:3' },
    ]);
    expect(await checks({ 'src/server.js': server('handlers[msg.type]?.(msg, ws);'), 'src/handlers.js': handlers }, deps)).toEqual([]);
  });

  it('sends picked by the sender: to its own room, through a function that picks sockets by its parameter; a send to everyone is none', async () => {
    const server = src(
      "import { Server } from 'socket.io';",
      "import { WebSocketServer } from 'ws';",
      'const io = new Server(3000);',
      'const wss = new WebSocketServer({ port: 8080 });',
      'function toTeam(teamId, data) {',
      '  for (const c of wss.clients) if (c.teamId === teamId) c.send(data);',
      '}',
      'function toAll(teamId, data) {',
      '  for (const c of wss.clients) c.send(data);',
      '}',
      "io.on('connection', (socket) => {",
      "  socket.on('chat:send', (msg) => {",
      "    io.to(socket.data.roomId).emit('chat:message', { text: msg.text, roomId: msg.roomId });",
      '  });',
      "  socket.on('team:ping', (msg) => {",
      '    toTeam(socket.data.teamId, JSON.stringify(msg));',
      '    toAll(socket.data.teamId, JSON.stringify(msg));',
      '  });',
      '});',
    );
    const a = await analyzeTree({
      'package.json': JSON.stringify({ name: 'x', type: 'module', dependencies: { 'socket.io': '^4.7.0', ws: '^8.0.0' } }),
      'src/server.js': server,
    });
    expect(
      (a.modelFacts ?? []).filter((f) => f.kind === 'scoped-send').map((f) => ({ name: f.name, value: f.value, store: f.store, evidence: f.evidence })),
    ).toEqual([
      { name: 'chat:send', value: 'socket.data.roomId', store: 'chat:message', evidence: 'src/server.js:13' },
      { name: 'team:ping', value: 'socket.data.teamId', store: '', evidence: 'src/server.js:16' },
    ]);
  });

  it('a ws message listener that refuses an event at its top, and a switch case that starts with the check; a check after the send or of the payload is none', async () => {
    const server = src(
      "import { WebSocketServer } from 'ws';",
      'const wss = new WebSocketServer({ port: 8080 });',
      "wss.on('connection', (ws) => {",
      "  ws.on('message', (raw) => {",
      '    const msg = JSON.parse(String(raw));',
      "    if (msg.type === 'poll:open' && ws.role !== 'teacher') return;",
      "    if (msg.type === 'vote' && msg.option === 'skip') return;",
      '    switch (msg.type) {',
      "      case 'poll:close':",
      "        if (ws.role !== 'teacher') return;",
      "        ws.send(JSON.stringify({ type: 'poll:closed' }));",
      '        break;',
      "      case 'poll:reset':",
      "        ws.send(JSON.stringify({ type: 'poll:reset' }));",
      "        if (ws.role !== 'teacher') return;",
      '        break;',
      "      case 'poll:open':",
      "      case 'vote':",
      "        ws.send(JSON.stringify({ type: 'ok' }));",
      '        break;',
      '    }',
      "    if (msg.type === 'kick' && ws.role !== 'teacher') return;",
      '  });',
      '});',
    );
    expect(await checks({ 'src/server.js': server }, { ws: '^8.0.0' })).toEqual([
      { name: 'poll:close', value: "ws.role !== 'teacher'", store: 'refuse', evidence: 'src/server.js:10' },
      { name: 'poll:open', value: "ws.role !== 'teacher'", store: 'refuse', evidence: 'src/server.js:6' },
    ]);
  });

  it('named listener functions: a closure over the socket in the same module, `this` in an imported one; an unregistered function says nothing', async () => {
    const server = src(
      "import { Server } from 'socket.io';",
      "import { onPollClose, onUnused } from './polls.js';",
      'const io = new Server(3000);',
      "io.on('connection', (socket) => {",
      '  function onPollOpen(payload) {',
      "    if (socket.data.role !== 'teacher') return;",
      "    io.to(payload.room).emit('poll:opened', payload);",
      '  }',
      '  const onVote = (payload) => {',
      "    if (payload.role !== 'teacher') return;",
      "    io.to(payload.room).emit('voted', payload);",
      '  };',
      "  socket.on('poll:open', onPollOpen);",
      "  socket.on('poll:close', onPollClose);",
      "  socket.on('vote', onVote);",
      '});',
    );
    const polls = src(
      'export function onPollClose(payload) {',
      "  if (this.data.role !== 'teacher') return;",
      "  this.nsp.to(payload.room).emit('poll:closed', payload);",
      '}',
      'export function onUnused(payload) {',
      "  if (this.data.role !== 'admin') return;",
      '}',
    );
    expect(await checks({ 'src/server.js': server, 'src/polls.js': polls }, { 'socket.io': '^4.7.0' })).toEqual([
      { name: 'poll:close', value: "this.data.role !== 'teacher'", store: 'refuse', evidence: 'src/polls.js:2' },
      { name: 'poll:open', value: "socket.data.role !== 'teacher'", store: 'refuse', evidence: 'src/server.js:6' },
    ]);
  });

  it('guards of a module imported whole: a predicate and an assertion with a role argument; a guard of an npm package is not followed', async () => {
    const server = src(
      "import { Server } from 'socket.io';",
      "import * as guards from './guards.js';",
      "import * as acl from 'some-acl';",
      'const io = new Server(3000);',
      "io.on('connection', (socket) => {",
      "  socket.on('poll:open', (p) => {",
      '    if (!guards.isTeacher(socket)) return;',
      "    io.emit('poll:opened', p);",
      '  });',
      "  socket.on('room:delete', (p) => {",
      "    guards.requireRole(socket, 'admin');",
      "    io.emit('room:deleted', p);",
      '  });',
      "  socket.on('room:lock', (p) => {",
      '    if (!acl.isHost(socket)) return;',
      "    io.emit('room:locked', p);",
      '  });',
      '});',
    );
    const guards = src(
      "export const isTeacher = (socket) => socket.data.role === 'teacher';",
      'export function requireRole(socket, role) {',
      "  if (socket.data.role !== role) throw new Error('forbidden');",
      '}',
    );
    expect(await checks({ 'src/server.js': server, 'src/guards.js': guards }, { 'socket.io': '^4.7.0', 'some-acl': '^1.0.0' })).toEqual([
      {
        name: 'room:delete',
        value: "guards.requireRole(socket, 'admin')",
        store: 'assert',
        evidence: 'src/server.js:11',
        condition: 'socket.data.role !== role',
        checkedAt: 'src/guards.js:3',
      },
      {
        name: 'poll:open',
        value: 'guards.isTeacher(socket)',
        store: 'only',
        evidence: 'src/server.js:7',
        condition: "socket.data.role === 'teacher'",
        checkedAt: 'src/guards.js:1',
      },
    ]);
  });

  it('a Socket.IO socket.use middleware that refuses one event; one that lets the event through on the check, or checks the payload, is none', async () => {
    const server = src(
      "import { Server } from 'socket.io';",
      'const io = new Server(3000);',
      "io.on('connection', (socket) => {",
      '  socket.use(([event, ...args], next) => {',
      "    if (event === 'poll:open' && socket.data.role !== 'teacher') return next(new Error('forbidden'));",
      "    if (event === 'poll:close' && socket.data.role === 'teacher') return next();",
      "    if (event === 'vote' && args[0]?.role !== 'student') return next(new Error('bad vote'));",
      '    next();',
      '  });',
      "  socket.on('poll:open', (p) => io.emit('poll:opened', p));",
      "  socket.on('poll:close', (p) => io.emit('poll:closed', p));",
      "  socket.on('vote', (p) => io.emit('voted', p));",
      '});',
    );
    expect(await checks({ 'src/server.js': server }, { 'socket.io': '^4.7.0' })).toEqual([
      { name: 'poll:open', value: "socket.data.role !== 'teacher'", store: 'refuse', evidence: 'src/server.js:5' },
    ]);
  });

  it('socket.use reads the event from the packet under any name: a destructured first element, packet[0], a local taken from the packet, a switch on it; a break out of the switch refuses nothing', async () => {
    const server = src(
      "import { Server } from 'socket.io';",
      'const io = new Server(3000);',
      "io.on('connection', (socket) => {",
      '  socket.use(([name, ...args], next) => {',
      "    if (name === 'poll:open' && socket.data.role !== 'teacher') return next(new Error('forbidden'));",
      '    next();',
      '  });',
      '  socket.use((packet, next) => {',
      "    if (packet[0] === 'poll:close' && socket.data.role !== 'teacher') return next(new Error('forbidden'));",
      "    if (packet[1] === 'room:delete' && socket.data.role !== 'admin') return next(new Error('forbidden'));",
      '    next();',
      '  });',
      '  socket.use((packet, next) => {',
      '    const [ev] = packet;',
      '    const first = packet[0];',
      "    if (ev === 'room:lock' && !socket.data.isHost) return next(new Error('forbidden'));",
      '    switch (first) {',
      "      case 'kick':",
      "        if (socket.data.role !== 'host') return next(new Error('forbidden'));",
      '        break;',
      "      case 'mute':",
      "        if (socket.data.role !== 'host') break;",
      '        break;',
      '    }',
      '    next();',
      '  });',
      "  socket.on('poll:open', (p) => io.emit('poll:opened', p));",
      "  socket.on('poll:close', (p) => io.emit('poll:closed', p));",
      "  socket.on('room:delete', (p) => io.emit('room:deleted', p));",
      "  socket.on('room:lock', (p) => io.emit('room:locked', p));",
      "  socket.on('kick', (p) => io.emit('kicked', p));",
      "  socket.on('mute', (p) => io.emit('muted', p));",
      '});',
    );
    expect(await checks({ 'src/server.js': server }, { 'socket.io': '^4.7.0' })).toEqual([
      { name: 'room:lock', value: '!socket.data.isHost', store: 'refuse', evidence: 'src/server.js:16' },
      { name: 'kick', value: "socket.data.role !== 'host'", store: 'refuse', evidence: 'src/server.js:19' },
      { name: 'poll:open', value: "socket.data.role !== 'teacher'", store: 'refuse', evidence: 'src/server.js:5' },
      { name: 'poll:close', value: "socket.data.role !== 'teacher'", store: 'refuse', evidence: 'src/server.js:9' },
    ]);
  });

  it('Nest guards on a @SubscribeMessage method or its gateway class: one read with its comparison, one from a package not read, one whose body compares only the payload', async () => {
    const gateway = src(
      "import { UseGuards } from '@nestjs/common';",
      "import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';",
      "import { AuthGuard } from '@nestjs/passport';",
      "import { Roles } from './roles.decorator';",
      "import { WsRolesGuard } from './ws-roles.guard';",
      "import { WsJwtGuard } from './ws-jwt.guard';",
      '@WebSocketGateway()',
      '@UseGuards(WsJwtGuard)',
      'export class PollGateway {',
      "  @Roles('teacher')",
      '  @UseGuards(WsRolesGuard)',
      "  @SubscribeMessage('poll:open')",
      '  open(@ConnectedSocket() client, @MessageBody() body) {',
      "    client.broadcast.emit('poll:opened', body);",
      '  }',
      "  @UseGuards(AuthGuard('jwt'))",
      "  @SubscribeMessage('poll:close')",
      '  close(@ConnectedSocket() client, @MessageBody() body) {',
      "    client.broadcast.emit('poll:closed', body);",
      '  }',
      "  @SubscribeMessage('vote')",
      '  vote(@ConnectedSocket() client, @MessageBody() body) {',
      "    client.broadcast.emit('voted', body);",
      '  }',
      '}',
    );
    const rolesGuard = src(
      'export class WsRolesGuard {',
      '  constructor(reflector) { this.reflector = reflector; }',
      '  canActivate(context) {',
      "    const roles = this.reflector.get('roles', context.getHandler());",
      '    if (!roles) return true;',
      '    const client = context.switchToWs().getClient();',
      '    const user = client.data.user;',
      '    return roles.some((r) => user.roles.includes(r));',
      '  }',
      '}',
    );
    const jwtGuard = src(
      'export class WsJwtGuard {',
      '  canActivate(context) {',
      '    const client = context.switchToWs().getClient();',
      '    const body = context.switchToWs().getData();',
      "    if (body.role !== 'teacher') return false;",
      '    return Boolean(client.handshake.auth.token);',
      '  }',
      '}',
    );
    const a = await analyzeTree({
      'package.json': JSON.stringify({
        name: 'x',
        dependencies: { '@nestjs/common': '^10.0.0', '@nestjs/websockets': '^10.0.0', '@nestjs/platform-socket.io': '^10.0.0', '@nestjs/passport': '^10.0.0' },
      }),
      'src/poll.gateway.ts': gateway,
      'src/ws-roles.guard.ts': rolesGuard,
      'src/ws-jwt.guard.ts': jwtGuard,
      'src/roles.decorator.ts': "import { SetMetadata } from '@nestjs/common';\nexport const Roles = (...roles: string[]) => SetMetadata('roles', roles);\n",
    });
    expect(
      (a.modelFacts ?? [])
        .filter((f) => f.kind === 'connection-check')
        .map((f) => ({
          name: f.name,
          value: f.value,
          evidence: f.evidence,
          condition: f.condition,
          checkedAt: f.checkedAt,
          decorator: f.decorator,
          note: f.note,
        })),
    ).toEqual([
      {
        name: 'poll:open',
        value: 'WsRolesGuard',
        evidence: 'src/poll.gateway.ts:11',
        condition: 'roles.some((r) => user.roles.includes(r))',
        checkedAt: 'src/ws-roles.guard.ts:8',
        decorator: "@Roles('teacher')",
        note: 'The handler of `poll:open` is guarded by `WsRolesGuard`, which returns `roles.some((r) => user.roles.includes(r))` (src/ws-roles.guard.ts:8).',
      },
      {
        name: 'poll:close',
        value: "AuthGuard('jwt')",
        evidence: 'src/poll.gateway.ts:16',
        condition: undefined,
        checkedAt: undefined,
        decorator: undefined,
        note: "The handler of `poll:close` is guarded by `AuthGuard('jwt')` (body not read).",
      },
      {
        name: 'poll:open',
        value: 'WsJwtGuard',
        evidence: 'src/poll.gateway.ts:8',
        condition: undefined,
        checkedAt: 'src/ws-jwt.guard.ts:2',
        decorator: undefined,
        note: 'The handler of `poll:open` is guarded by `WsJwtGuard`, in whose `canActivate` (src/ws-jwt.guard.ts:2) rt-plan reads no comparison of the client.',
      },
      {
        name: 'poll:close',
        value: 'WsJwtGuard',
        evidence: 'src/poll.gateway.ts:8',
        condition: undefined,
        checkedAt: 'src/ws-jwt.guard.ts:2',
        decorator: undefined,
        note: 'The handler of `poll:close` is guarded by `WsJwtGuard`, in whose `canActivate` (src/ws-jwt.guard.ts:2) rt-plan reads no comparison of the client.',
      },
      {
        name: 'vote',
        value: 'WsJwtGuard',
        evidence: 'src/poll.gateway.ts:8',
        condition: undefined,
        checkedAt: 'src/ws-jwt.guard.ts:2',
        decorator: undefined,
        note: 'The handler of `vote` is guarded by `WsJwtGuard`, in whose `canActivate` (src/ws-jwt.guard.ts:2) rt-plan reads no comparison of the client.',
      },
    ]);
  });

  it('an io.use handshake middleware that refuses by the role of the verified token applies to every event; a token presence check, a check after next() and the role the client claims are none', async () => {
    const server = src(
      "import { Server } from 'socket.io';",
      "import jwt from 'jsonwebtoken';",
      'const io = new Server(3000);',
      'io.use((socket, next) => {',
      '  const token = socket.handshake.auth.token;',
      "  if (!token) return next(new Error('unauthorized'));",
      "  if (socket.handshake.auth.role !== 'teacher') return next(new Error('forbidden'));",
      '  try {',
      '    const user = jwt.verify(token, process.env.KEY);',
      "    if (user.role !== 'teacher') return next(new Error('forbidden'));",
      '    socket.data.user = user;',
      '    next();',
      "    if (user.banned) return next(new Error('banned'));",
      '  } catch {',
      "    next(new Error('unauthorized'));",
      '  }',
      '});',
      "io.on('connection', (socket) => {",
      "  socket.on('poll:open', (p) => io.emit('poll:opened', p));",
      "  socket.on('vote', (p) => io.emit('voted', p));",
      '});',
    );
    const client = src("import { io } from 'socket.io-client';", "const socket = io('/');", "socket.on('poll:opened', () => {});");
    expect(
      await checks({ 'src/server.js': server, 'web/client.js': client }, { 'socket.io': '^4.7.0', 'socket.io-client': '^4.7.0', jsonwebtoken: '^9.0.0' }),
    ).toEqual([
      { name: 'poll:open', value: "user.role !== 'teacher'", store: 'connect', evidence: 'src/server.js:10' },
      { name: 'vote', value: "user.role !== 'teacher'", store: 'connect', evidence: 'src/server.js:10' },
    ]);
  });

  it('a named handshake middleware imported into io.use is read where it is declared; the same function never used there says nothing', async () => {
    const server = src(
      "import { Server } from 'socket.io';",
      "import { adminOnly, unused } from './middleware.js';",
      'const io = new Server(3000);',
      "io.of('/admin').use(adminOnly);",
      "io.of('/admin').on('connection', (socket) => {",
      "  socket.on('room:close', (p) => io.of('/admin').emit('room:closed', p));",
      '});',
    );
    const middleware = src(
      "import jwt from 'jsonwebtoken';",
      'export function adminOnly(socket, next) {',
      '  const claims = jwt.verify(socket.handshake.auth.token, process.env.KEY);',
      "  if (!claims.roles.includes('admin')) return next(new Error('forbidden'));",
      '  next();',
      '}',
      'export function unused(socket, next) {',
      '  const claims = jwt.verify(socket.handshake.auth.token, process.env.KEY);',
      "  if (claims.role !== 'owner') return next(new Error('forbidden'));",
      '  next();',
      '}',
    );
    expect(await checks({ 'src/server.js': server, 'src/middleware.js': middleware }, { 'socket.io': '^4.7.0', jsonwebtoken: '^9.0.0' })).toEqual([
      { name: 'room:close', value: "!claims.roles.includes('admin')", store: 'connect', evidence: 'src/middleware.js:4' },
    ]);
  });

  it('class-level @Roles with only a token guard on the gateway: every handler carries the metadata, and no guard rt-plan reads checks it', async () => {
    const gateway = src(
      "import { UseGuards } from '@nestjs/common';",
      "import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';",
      "import { Roles } from './roles.decorator';",
      "import { WsJwtGuard } from './ws-jwt.guard';",
      '@WebSocketGateway()',
      "@Roles('admin')",
      '@UseGuards(WsJwtGuard)',
      'export class AdminGateway {',
      "  @SubscribeMessage('room:close')",
      '  close(client, body) {',
      "    client.broadcast.emit('room:closed', body);",
      '  }',
      '}',
    );
    const jwtGuard = src(
      'export class WsJwtGuard {',
      '  canActivate(context) {',
      '    const client = context.switchToWs().getClient();',
      '    client.data.user = verify(client.handshake.auth.token);',
      '    return true;',
      '  }',
      '}',
    );
    const a = await analyzeTree({
      'package.json': JSON.stringify({
        name: 'x',
        dependencies: { '@nestjs/common': '^10.0.0', '@nestjs/websockets': '^10.0.0', '@nestjs/platform-socket.io': '^10.0.0' },
      }),
      'src/admin.gateway.ts': gateway,
      'src/ws-jwt.guard.ts': jwtGuard,
      'src/roles.decorator.ts': "import { SetMetadata } from '@nestjs/common';\nexport const Roles = (...roles: string[]) => SetMetadata('roles', roles);\n",
    });
    expect(
      (a.modelFacts ?? [])
        .filter((f) => f.kind === 'connection-check')
        .map((f) => ({ name: f.name, value: f.value, evidence: f.evidence, decorator: f.decorator, note: f.note })),
    ).toEqual([
      {
        name: 'room:close',
        value: '',
        evidence: 'src/admin.gateway.ts:6',
        decorator: "@Roles('admin')",
        note: "The handler of `room:close` carries `@Roles('admin')`; rt-plan reads no guard on it that checks it.",
      },
      {
        name: 'room:close',
        value: 'WsJwtGuard',
        evidence: 'src/admin.gateway.ts:7',
        decorator: undefined,
        note: 'The handler of `room:close` is guarded by `WsJwtGuard`, in whose `canActivate` (src/ws-jwt.guard.ts:2) rt-plan reads no comparison of the client.',
      },
    ]);
  });

  // Nest builds a gateway's handlers without the app's global guards (packages/websockets/socket-module.ts:
  // `new GuardsContextCreator(container)`; nestjs/nest#8060), while docs.nestjs.com/websockets/guards says
  // they apply: a global guard is said with that conflict and is no check in front of any handler.
  const nestPkg = JSON.stringify({
    name: 'x',
    dependencies: { '@nestjs/common': '^10.0.0', '@nestjs/core': '^10.0.0', '@nestjs/websockets': '^10.0.0', '@nestjs/platform-socket.io': '^10.0.0' },
  });
  const chatGateway = src(
    "import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';",
    '@WebSocketGateway()',
    'export class ChatGateway {',
    "  @SubscribeMessage('chat:send')",
    '  send(client, body) {',
    "    client.broadcast.emit('chat:message', body);",
    '  }',
    '}',
  );
  const globals = (a: Awaited<ReturnType<typeof analyzeTree>>) =>
    (a.modelFacts ?? []).filter((f) => f.kind === 'global-guard' || f.kind === 'connection-check').map((f) => [f.kind, f.name, f.value, f.evidence]);
  it('a global guard (useGlobalGuards in main.ts, APP_GUARD in a module) is said, and no gateway handler is named as behind it', async () => {
    const a = await analyzeTree({
      'package.json': nestPkg,
      'src/main.ts': src(
        "import { NestFactory } from '@nestjs/core';",
        "import { AppModule } from './app.module';",
        "import { JwtAuthGuard } from './auth/jwt.guard';",
        'async function bootstrap() {',
        '  const app = await NestFactory.create(AppModule);',
        '  app.useGlobalGuards(new JwtAuthGuard());',
        '  await app.listen(3000);',
        '}',
        'bootstrap();',
      ),
      'src/app.module.ts': src(
        "import { Module } from '@nestjs/common';",
        "import { APP_GUARD } from '@nestjs/core';",
        "import { RolesGuard } from './auth/roles.guard';",
        "import { ChatModule } from './chat/chat.module';",
        '@Module({',
        '  imports: [ChatModule],',
        '  providers: [',
        '    { provide: APP_GUARD, useClass: RolesGuard },',
        '  ],',
        '})',
        'export class AppModule {}',
      ),
      'src/chat/chat.module.ts': src(
        "import { Module } from '@nestjs/common';",
        "import { ChatGateway } from './chat.gateway';",
        '@Module({ providers: [ChatGateway] })',
        'export class ChatModule {}',
      ),
      'src/chat/chat.gateway.ts': chatGateway,
    });
    expect(globals(a)).toEqual([
      ['global-guard', 'RolesGuard', 'APP_GUARD', 'src/app.module.ts:8'],
      ['global-guard', 'JwtAuthGuard', 'useGlobalGuards', 'src/main.ts:6'],
    ]);
    expect((a.modelFacts ?? []).find((f) => f.kind === 'global-guard' && f.name === 'JwtAuthGuard')?.note).toBe(
      "`JwtAuthGuard` is registered for the whole app (`app.useGlobalGuards(new JwtAuthGuard())`). rt-plan does not count it as a check in front of `ChatGateway`'s `@SubscribeMessage` handlers: Nest's gateway code builds them without the app's global guards (https://github.com/nestjs/nest/issues/8060), although its WebSocket guards page says they apply to gateways; a test that sends a message without credentials tells which holds for this app.",
    );
  });
  it('a global guard in an app with no gateway is not said here (it guards the HTTP controllers, which this fact is not about)', async () => {
    const a = await analyzeTree({
      'package.json': nestPkg,
      'src/main.ts': src(
        "import { NestFactory } from '@nestjs/core';",
        "import { AppModule } from './app.module';",
        "import { JwtAuthGuard } from './auth/jwt.guard';",
        'const app = await NestFactory.create(AppModule);',
        'app.useGlobalGuards(new JwtAuthGuard());',
        "const events = new EventSource('/x');",
        'await app.listen(3000);',
      ),
    });
    expect(globals(a)).toEqual([]);
  });

  it('the classroom-polls fixture: poll:open and poll:close only for teachers, vote unchecked', async () => {
    expect(rows(await analyzeProject(writeTree(fixture('model-backend-frontend'))))).toEqual([
      { name: 'poll:open', value: "ws.role === 'teacher'", store: 'only', evidence: 'backend/src/index.js:43' },
      { name: 'poll:close', value: "ws.role === 'teacher'", store: 'only', evidence: 'backend/src/index.js:46' },
    ]);
  });

  it('the quotes fixture: subscribe keeps only the entitled symbols', async () => {
    expect(rows(await analyzeProject(writeTree(fixture('model-ws-envelopes'))))).toEqual([
      { name: 'subscribe', value: 'session.entitlements.includes(s)', store: 'filter', evidence: 'src/server/connection.ts:24' },
    ]);
  });
});

/** A fixture project's files, to analyze a copy of it. */
function fixture(name: string): Record<string, string> {
  const root = path.join(import.meta.dirname, '../fixtures/projects', name);
  const copy: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = path.join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else copy[path.relative(root, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return copy;
}
