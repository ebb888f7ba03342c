// Broadcasts that leave their sender out (model/sender-excluded.ts): Socket.IO `socket.to(room)` and
// `socket.broadcast`, PartyKit `room.broadcast(frame, [sender.id])`; `io.to(room)` and a plain
// `room.broadcast(frame)` reach everyone.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const src = (...lines: string[]): string => `${lines.join('\n')}\n`;

async function excluded(files: Record<string, string>): Promise<string[]> {
  return ((await analyzeTree(files)).modelFacts ?? []).filter((f) => f.kind === 'sender-excluded').map((f) => `${f.name} ${f.value} ${f.evidence}`);
}

describe('sender-excluded broadcasts', () => {
  it('Socket.IO: socket.to(room), socket.volatile.to(room) and socket.broadcast leave the sender out; io.to(room) does not', async () => {
    const pkg = JSON.stringify({ name: 's', type: 'module', dependencies: { 'socket.io': '4.7.5' } });
    const server =
      "import { Server } from 'socket.io';\nconst io = new Server(3000);\nio.on('connection', (socket) => {\n  socket.on('move', (m) => {\n    socket.to(`board:${m.boardId}`).emit('moved', m);\n    socket.volatile.to(`board:${m.boardId}`).emit('cursor', m);\n    socket.broadcast.emit('typing', m);\n    io.to(`board:${m.boardId}`).emit('members', m);\n  });\n});\n";
    expect(await excluded({ 'package.json': pkg, 'src/server.js': server })).toEqual([
      'moved socket.to(room) src/server.js:5',
      'cursor socket.to(room) src/server.js:6',
      'typing socket.broadcast src/server.js:7',
    ]);
  });

  it('PartyKit: room.broadcast with [sender.id] leaves the sender out; without the list it reaches everyone', async () => {
    const pkg = JSON.stringify({ name: 'p', type: 'module', dependencies: { partysocket: '1.3.0' }, devDependencies: { partykit: '0.0.115' } });
    const server =
      "import type * as Party from 'partykit/server';\nexport default class Room implements Party.Server {\n  constructor(readonly room: Party.Room) {}\n  onMessage(message: string, sender: Party.Connection) {\n    const msg = JSON.parse(message);\n    this.room.broadcast(JSON.stringify({ type: 'cursor', id: sender.id, x: msg.x }), [sender.id]);\n    this.room.broadcast(JSON.stringify({ type: 'chat', id: sender.id, text: msg.text }));\n  }\n}\n";
    expect(await excluded({ 'package.json': pkg, 'partykit.json': JSON.stringify({ name: 'p', main: 'party/server.ts' }), 'party/server.ts': server })).toEqual(
      ['cursor this.room.broadcast(…, [sender.id]) party/server.ts:6'],
    );
  });

  it('Pusher: trigger with { socket_id } leaves that connection out; without it, or a client trigger, reaches everyone', async () => {
    const pkg = JSON.stringify({ name: 'p', type: 'module', dependencies: { pusher: '5.2.0', express: '4.19.2' } });
    const lib = "import Pusher from 'pusher';\nexport const pusher = new Pusher({ appId: '1', key: 'k', secret: 's', cluster: 'eu' });\n";
    const route =
      "import express from 'express';\nimport { pusher } from './pusher.js';\nconst app = express();\napp.post('/c', async (req, res) => {\n  await pusher.trigger(`project-${req.body.p}`, 'comment-added', { id: 1 }, { socket_id: req.get('X-Socket-Id') });\n  await pusher.trigger(`project-${req.body.p}`, 'comment-count', { n: 2 });\n  res.sendStatus(201);\n});\n";
    expect(await excluded({ 'package.json': pkg, 'src/pusher.js': lib, 'src/routes.js': route })).toEqual([
      'comment-added pusher.trigger(…, { socket_id }) src/routes.js:5',
    ]);
  });

  it('plain ws: a loop that skips the socket whose message it handles leaves the sender out; one that checks only the open state reaches all', async () => {
    const pkg = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '8.18.0' } });
    const server =
      "import { WebSocketServer, WebSocket } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nconst clients = new Set();\nwss.on('connection', (ws) => {\n  clients.add(ws);\n  ws.on('message', (raw) => {\n    const out = JSON.stringify({ type: 'cursor', x: 1 });\n    wss.clients.forEach((c) => {\n      if (c !== ws && c.readyState === WebSocket.OPEN) c.send(out);\n    });\n    for (const c of clients) {\n      if (c === ws) continue;\n      c.send(JSON.stringify({ type: 'edit', text: 'a' }));\n    }\n    wss.clients.forEach((c) => {\n      if (c.readyState === WebSocket.OPEN) c.send(JSON.stringify({ type: 'members', n: 2 }));\n    });\n  });\n});\n";
    const analysis = await analyzeTree({ 'package.json': pkg, 'src/server.js': server });
    const facts = analysis.modelFacts ?? [];
    expect(facts.filter((f) => f.kind === 'sender-excluded').map((f) => `${f.name} ${f.value} ${f.evidence}`)).toEqual([
      'edit c === ws src/server.js:13',
      'cursor c !== ws src/server.js:9',
    ]);
    // `clients` is a Set the connection handler adds each socket to: a collection of live connections too.
    expect(facts.filter((f) => f.kind === 'broadcast-all').map((f) => `${f.name} ${f.value ?? '-'} ${f.evidence} ${f.note}`)).toEqual([
      'clients only src/server.js:13 `c.send` runs for every socket in `clients` but the sender (`c === ws`), and no other test in that loop picks some of them: each message sent there reaches every other connection the process holds.',
      'wss.clients only src/server.js:9 `c.send` runs for every socket in `wss.clients` but the sender (`c !== ws`), and no other test in that loop picks some of them: each message sent there reaches every other connection the process holds.',
    ]);
  });

  it('plain ws: a room filter beside the sender check still leaves the sender out; so does a local helper whose loop skips the socket its caller passes', async () => {
    const pkg = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '8.18.0' } });
    const server =
      "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nfunction broadcast(frame, except) {\n  for (const s of wss.clients) if (s !== except) s.send(JSON.stringify(frame));\n}\nwss.on('connection', (ws) => {\n  ws.on('message', (raw) => {\n    const m = JSON.parse(raw);\n    wss.clients.forEach((c) => c.id !== ws.id && c.room === ws.room && c.send(JSON.stringify({ type: 'typing', id: ws.id })));\n    broadcast({ type: 'chat', text: m.text }, ws);\n  });\n});\n";
    const facts = (await analyzeTree({ 'package.json': pkg, 'src/server.js': server })).modelFacts ?? [];
    expect(facts.filter((f) => f.kind === 'sender-excluded').map((f) => `${f.name} ${f.value} ${f.evidence}`)).toEqual([
      'chat broadcast(…, ws) src/server.js:10',
      'typing c.id !== ws.id src/server.js:9',
    ]);
  });

  it("plain ws: a loop that compares the sender's room (room, roomId) or user (userId: all their tabs) does not leave out one connection; one comparing socketId does", async () => {
    const pkg = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '8.18.0' } });
    const server =
      "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => {\n  ws.on('message', (raw) => {\n    wss.clients.forEach((c) => c.room !== ws.room && c.send(JSON.stringify({ type: 'lobby' })));\n    wss.clients.forEach((c) => c.roomId !== ws.roomId && c.send(JSON.stringify({ type: 'others' })));\n    wss.clients.forEach((c) => c.userId !== ws.userId && c.send(JSON.stringify({ type: 'seen' })));\n    wss.clients.forEach((c) => c.socketId !== ws.socketId && c.send(JSON.stringify({ type: 'typing' })));\n  });\n});\n";
    const facts = (await analyzeTree({ 'package.json': pkg, 'src/server.js': server })).modelFacts ?? [];
    expect(facts.filter((f) => f.kind === 'sender-excluded').map((f) => `${f.name} ${f.value} ${f.evidence}`)).toEqual([
      'typing c.socketId !== ws.socketId src/server.js:8',
    ]);
  });

  it('plain ws: a broadcast(frame, except) helper, here or imported (by name or whole), leaves out the sender its caller passes; without it, another socket, or a helper that skips nothing, it reaches all', async () => {
    const pkg = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '8.18.0' } });
    const hub = src(
      "import type { WebSocket } from 'ws';",
      'const clients = new Set<WebSocket>();',
      'export function broadcast(data: string, sender?: WebSocket) {',
      '  clients.forEach((c) => {',
      '    if (c === sender) return;',
      '    c.send(data);',
      '  });',
      '}',
      'export const toRoom = (room: string, frame: object, except?: WebSocket) => {',
      '  for (const c of clients) if ((c as any).room === room) c.send(JSON.stringify(frame));',
      '};',
      'export function track(ws: WebSocket) {',
      '  clients.add(ws);',
      '}',
    );
    const server = src(
      "import { WebSocketServer } from 'ws';",
      "import { broadcast, toRoom, track } from './hub';",
      "import * as hubAll from './hub';",
      'const wss = new WebSocketServer({ port: 8080 });',
      "wss.on('connection', (ws) => {",
      '  track(ws);',
      "  broadcast(JSON.stringify({ type: 'joined' }), ws);",
      "  ws.on('message', (raw) => {",
      '    const { type, payload } = JSON.parse(raw.toString());',
      '    const other = [...wss.clients][0];',
      '    switch (type) {',
      "      case 'move':",
      "        broadcast(JSON.stringify({ type: 'moved', payload }), ws);",
      '        break;',
      "      case 'draw': {",
      "        const out = JSON.stringify({ type: 'drawn', payload });",
      '        hubAll.broadcast(out, ws);',
      '        break;',
      '      }',
      "      case 'reset':",
      "        broadcast(JSON.stringify({ type: 'reset' }));",
      "        broadcast(JSON.stringify({ type: 'poke' }), other);",
      "        toRoom('a', { type: 'room-note' }, ws);",
      '        break;',
      '    }',
      '  });',
      '});',
    );
    const facts = (await analyzeTree({ 'package.json': pkg, 'src/server.ts': server, 'src/hub.ts': hub })).modelFacts ?? [];
    expect(facts.filter((f) => f.kind === 'sender-excluded').map((f) => `${f.name} ${f.value} ${f.evidence} ${f.note}`)).toEqual([
      'moved broadcast(…, ws) src/server.ts:13 `moved` is sent with `broadcast(…, ws)`, whose loop skips that socket (`c === sender` at src/hub.ts:6), which leaves the sender out: each message reaches the room size − 1 recipients.',
      'drawn hubAll.broadcast(…, ws) src/server.ts:17 `drawn` is sent with `hubAll.broadcast(…, ws)`, whose loop skips that socket (`c === sender` at src/hub.ts:6), which leaves the sender out: each message reaches the room size − 1 recipients.',
    ]);
    expect(facts.filter((f) => f.kind === 'broadcast-all').map((f) => `${f.name} ${f.value ?? '-'} ${f.evidence} ${f.note}`)).toEqual([
      'clients - src/hub.ts:6 `c.send` runs for every socket in `clients` but the one its caller passes to be left out (`c === sender`), and no other test in that loop picks some of them: each message sent there reaches every connection the process holds but that one.',
    ]);
  });

  it('plain ws: a handler in another module passes on the socket every caller fills with its sender; a handler also called with another socket, or never called, says nothing', async () => {
    const pkg = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '8.18.0' } });
    const hub = src(
      'const clients = new Set();',
      'export const track = (ws) => clients.add(ws);',
      'export function broadcast(frame, except) {',
      '  for (const c of clients) {',
      '    if (c === except) continue;',
      '    c.send(JSON.stringify(frame));',
      '  }',
      '}',
    );
    const handlers = src(
      "import { broadcast } from './hub.js';",
      'export function onMove(ws, msg) {',
      "  broadcast({ type: 'moved', x: msg.x }, ws);",
      '}',
      'export function onDraw(ws, msg) {',
      "  broadcast({ type: 'drawn', path: msg.path }, ws);",
      '}',
      'export function onErase(ws, msg) {',
      "  broadcast({ type: 'erased', id: msg.id }, ws);",
      '}',
    );
    const server = src(
      "import { WebSocketServer } from 'ws';",
      "import { track } from './hub.js';",
      "import { onMove, onDraw } from './handlers.js';",
      'const wss = new WebSocketServer({ port: 8080 });',
      "wss.on('connection', (ws) => {",
      '  track(ws);',
      "  onDraw([...wss.clients][0], { path: 'init' });",
      "  ws.on('message', (raw) => {",
      '    const msg = JSON.parse(raw);',
      '    switch (msg.type) {',
      "      case 'move':",
      '        onMove(ws, msg);',
      '        break;',
      "      case 'draw':",
      '        onDraw(ws, msg);',
      '        break;',
      '    }',
      '  });',
      '});',
    );
    const facts = (await analyzeTree({ 'package.json': pkg, 'src/server.js': server, 'src/hub.js': hub, 'src/handlers.js': handlers })).modelFacts ?? [];
    expect(facts.filter((f) => f.kind === 'sender-excluded').map((f) => `${f.name} ${f.value} ${f.evidence}`)).toEqual([
      'moved broadcast(…, ws) src/handlers.js:3',
    ]);
  });

  it('plain ws: a helper that compares each socket id with its parameter leaves out the sender whose id the caller passes; one that compares a room leaves out a group, not the sender', async () => {
    const pkg = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '8.18.0' } });
    const server = src(
      "import { WebSocketServer } from 'ws';",
      "import { randomUUID } from 'node:crypto';",
      'const wss = new WebSocketServer({ port: 8080 });',
      'const sendOthers = (frame, exceptId) => {',
      '  wss.clients.forEach((c) => {',
      '    if (c.id !== exceptId) c.send(JSON.stringify(frame));',
      '  });',
      '};',
      'function sendOutside(frame, room) {',
      '  for (const c of wss.clients) if (c.room !== room) c.send(JSON.stringify(frame));',
      '}',
      "wss.on('connection', (ws) => {",
      '  ws.id = randomUUID();',
      "  ws.on('message', (raw) => {",
      '    const msg = JSON.parse(raw);',
      "    if (msg.type === 'cursor') sendOthers({ type: 'cursor', x: msg.x }, ws.id);",
      "    if (msg.type === 'ping') sendOthers({ type: 'pinged' }, ws);",
      "    if (msg.type === 'shout') sendOutside({ type: 'shout', text: msg.text }, ws.room);",
      '  });',
      '});',
    );
    const facts = (await analyzeTree({ 'package.json': pkg, 'src/server.js': server })).modelFacts ?? [];
    expect(facts.filter((f) => f.kind === 'sender-excluded').map((f) => `${f.name} ${f.value} ${f.evidence}`)).toEqual([
      'cursor sendOthers(…, ws.id) src/server.js:16',
    ]);
  });

  it('plain ws: a loop that checks only the open state reaches every connection, sender included', async () => {
    const pkg = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '8.18.0' } });
    const server =
      "import { WebSocketServer, WebSocket } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => {\n  ws.on('message', () => {\n    wss.clients.forEach((c) => {\n      if (c.readyState === WebSocket.OPEN) c.send(JSON.stringify({ type: 'members', n: 2 }));\n    });\n  });\n});\n";
    const facts = (await analyzeTree({ 'package.json': pkg, 'src/server.js': server })).modelFacts ?? [];
    expect(facts.filter((f) => f.kind === 'sender-excluded')).toEqual([]);
    expect(facts.filter((f) => f.kind === 'broadcast-all').map((f) => `${f.name} ${f.value ?? '-'} ${f.evidence} ${f.note}`)).toEqual([
      'wss.clients only src/server.js:6 `c.send` runs for every socket in `wss.clients`, and no test in that loop picks some of them: each message sent there reaches every connection the process holds.',
    ]);
  });
});
