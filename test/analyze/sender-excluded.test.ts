// Broadcasts that leave their sender out (model/sender-excluded.ts): Socket.IO `socket.to(room)` and
// `socket.broadcast`, PartyKit `room.broadcast(frame, [sender.id])`; `io.to(room)` and a plain
// `room.broadcast(frame)` reach everyone.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

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
});
