// Socket.IO request and answer (the acknowledgement): a listener that calls its last parameter, a
// sender that passes a function last or calls `emitWithAck`. The design reads such an event as a
// command (asked for, answered once), not a stream a client sends at a rate.
import { describe, expect, it } from 'vitest';
import { scanProject } from '../../src/analyze/code/scan.js';
import { mergeEvents } from '../../src/analyze/code/merge.js';
import { writeTree } from './tree.js';

const BOTH = JSON.stringify({ name: 't', dependencies: { 'socket.io': '4.8.1', 'socket.io-client': '4.8.1' } });

async function acked(files: Record<string, string>): Promise<string[]> {
  const r = await scanProject(writeTree({ 'package.json': BOTH, ...files }), { socketIoSide: () => null, declaresSocketIo: () => true });
  return r.analyses.flatMap((a) => a.events.map((e) => `${e.name} ${e.act} ${e.file}:${e.line}${e.acked ? ' acked' : ''}`));
}

describe('Socket.IO acknowledgements', () => {
  it('a listener that calls its last parameter answers the sender; one that never calls it, or emits instead, does not', async () => {
    const events = await acked({
      'server/index.js':
        "import { Server } from 'socket.io';\nconst io = new Server(3000);\nio.on('connection', (socket) => {\n  socket.on('getDatabaseSize', async (callback) => {\n    callback({ ok: true, size: 0 });\n  });\n  socket.on('addProxy', async (proxy, cb) => {\n    await save(proxy);\n    cb({ ok: true });\n  });\n  socket.on('cursor', (pos, extra) => {\n    socket.broadcast.emit('cursor', pos);\n  });\n});\nfunction save() {}\n",
    });
    expect(events).toEqual([
      'getDatabaseSize handle server/index.js:4 acked',
      'addProxy handle server/index.js:7 acked',
      'cursor handle server/index.js:11',
      'cursor emit server/index.js:12',
    ]);
  });

  it('a sender that passes a function last or calls emitWithAck asks for an answer; a payload-only emit does not', async () => {
    const events = await acked({
      'web/client.js':
        "import { io } from 'socket.io-client';\nconst socket = io('/');\nsocket.emit('getDatabaseSize', (res) => console.log(res.size));\nsocket.emit('deleteProxy', 7, (res) => res);\nawait socket.emitWithAck('list', {});\nsocket.emit('move', { x: 1 });\n",
    });
    expect(events).toEqual([
      'getDatabaseSize emit web/client.js:3 acked',
      'deleteProxy emit web/client.js:4 acked',
      'list emit web/client.js:5 acked',
      'move emit web/client.js:6',
    ]);
  });

  it('the merged event keeps the first site that shows the answer', () => {
    const merged = mergeEvents([
      { name: 'addProxy', act: 'emit', side: 'client', transport: 'socket.io', file: 'src/a.vue', line: 12 },
      { name: 'addProxy', act: 'handle', side: 'server', transport: 'socket.io', file: 'server/p.js', line: 9, acked: true },
    ]);
    expect(merged.map((e) => [e.name, e.direction, e.acked])).toEqual([['addProxy', 'client-to-server', 'server/p.js:9']]);
  });
});

describe('emits after an await in a client event’s listener', () => {
  it('names the listener’s event and the last await before the emit; an emit with no await before it has none', async () => {
    const r = await scanProject(
      writeTree({
        'package.json': BOTH,
        'server/board.js':
          "export function register(io, socket) {\n  socket.on('card:move', async ({ boardId, cardId }) => {\n    await moveCard(boardId, cardId);\n    socket.to(boardId).emit('card:moved', { cardId });\n  });\n  socket.on('cursor:move', ({ boardId, x }) => {\n    socket.to(boardId).emit('cursor:moved', { x });\n  });\n}\nasync function moveCard() {}\n",
      }),
      { socketIoSide: () => 'server', declaresSocketIo: () => true },
    );
    const merged = mergeEvents(r.analyses.flatMap((a) => a.events));
    expect(merged.map((e) => [e.name, e.afterAwait ?? null])).toEqual([
      ['card:move', null],
      ['card:moved', { event: 'card:move', at: 'server/board.js:3' }],
      ['cursor:move', null],
      ['cursor:moved', null],
    ]);
  });
});
