// Payloads the code types elsewhere (model/declared-types.ts) or passes on (merge.ts echoes): an
// annotation naming an imported interface, an array of one, a typed function's return value or
// parameter, a typed value serialized into an SSE frame, a handler parameter sent on unchanged.
// An `any`, a name whose import does not resolve, and a spread of unknown stay "not shown".
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const SIO = JSON.stringify({ name: 'x', dependencies: { 'socket.io': '^4.7.0' } });
const TYPES = ['export interface Score {', '  player: string;', '  points: number;', '}', ''].join('\n');

async function sio(server: string, extra: Record<string, string> = {}) {
  const a = await analyzeTree({ 'package.json': SIO, 'src/server.ts': server, 'src/types.ts': TYPES, ...extra });
  return (name: string) => a.events.find((e) => e.name === name);
}

const fields = (e: { payload?: { name: string; type: string; description?: string }[] } | undefined) => e?.payload?.map((f) => [f.name, f.type, f.description]);

describe('payloads typed by a declaration', () => {
  it('follows a handler parameter annotated with an imported interface to its fields and names the type', async () => {
    const ev = await sio(
      [
        "import { Server } from 'socket.io';",
        "import type { Score } from './types';",
        'const io = new Server(3000);',
        "io.on('connection', (socket) => {",
        "  socket.on('score:add', (s: Score) => console.log(s));",
        '});',
        '',
      ].join('\n'),
    );
    const e = ev('score:add');
    expect(fields(e)).toEqual([
      ['player', 'string', 'inferred from src/types.ts:2'],
      ['points', 'number', 'inferred from src/types.ts:3'],
    ]);
    expect(e?.declaredType).toEqual({ name: 'Score', evidence: 'src/types.ts:1' });
  });

  it('follows the name through a barrel that re-exports it', async () => {
    const ev = await sio(
      [
        "import { Server } from 'socket.io';",
        "import type { Score } from './index';",
        'const io = new Server(3000);',
        'export function send(s: Score) {',
        "  io.emit('score:new', s);",
        '}',
        '',
      ].join('\n'),
      { 'src/index.ts': "export type * from './types';\n" },
    );
    expect(ev('score:new')?.declaredType).toEqual({ name: 'Score', evidence: 'src/types.ts:1' });
  });

  it('types an emitted array of an imported interface as one array of its shape', async () => {
    const ev = await sio(
      [
        "import { Server } from 'socket.io';",
        "import type { Score } from './types';",
        'const io = new Server(3000);',
        'export function board(list: Score[]) {',
        "  io.emit('board:update', list);",
        '}',
        '',
      ].join('\n'),
    );
    const e = ev('board:update');
    expect(e?.payload).toBeUndefined();
    expect(e?.bare).toEqual({ type: '{ player: string; points: number }[]', evidence: 'src/types.ts:1' });
  });

  it('follows a handler parameter handed on to a typed function in another module', async () => {
    const ev = await sio(
      [
        "import { Server } from 'socket.io';",
        "import { addScore } from './game';",
        'const io = new Server(3000);',
        "io.on('connection', (socket) => {",
        "  socket.on('score:add', (msg) => addScore(socket, msg));",
        '});',
        '',
      ].join('\n'),
      { 'src/game.ts': ["import type { Score } from './types';", 'export function addScore(socket: unknown, msg: Score) {}', ''].join('\n') },
    );
    expect(ev('score:add')?.declaredType).toEqual({ name: 'Score', evidence: 'src/types.ts:1' });
  });

  it('types a value a typed function returns', async () => {
    const ev = await sio(
      ["import { Server } from 'socket.io';", "import { totals } from './totals';", 'const io = new Server(3000);', "io.emit('totals', totals());", ''].join(
        '\n',
      ),
      { 'src/totals.ts': 'export function totals(): Record<string, { points: number }> {\n  return {};\n}\n' },
    );
    expect(ev('totals')?.bare).toEqual({ type: 'Record<string, { points: number }>', evidence: 'src/totals.ts:1' });
  });

  it('keeps "not shown" for an any, an unresolved import and a spread of unknown', async () => {
    const ev = await sio(
      [
        "import { Server } from 'socket.io';",
        "import type { Missing } from './nowhere';",
        'const io = new Server(3000);',
        'export function a(x: any, y: Missing, z: unknown) {',
        "  io.emit('any:sent', x);",
        "  io.emit('missing:sent', y);",
        "  io.emit('spread:sent', { ...(z as object) });",
        '}',
        '',
      ].join('\n'),
    );
    for (const name of ['any:sent', 'missing:sent', 'spread:sent']) {
      expect(ev(name)?.payload, name).toBeUndefined();
      expect(ev(name)?.bare, name).toBeUndefined();
      expect(ev(name)?.declaredType, name).toBeUndefined();
    }
  });
});

describe('payloads passed on', () => {
  it('an echoed handler parameter carries the handled event payload, and a room-id parameter is one bare value', async () => {
    const ev = await sio(
      [
        "import { Server } from 'socket.io';",
        'const io = new Server(3000);',
        "io.on('connection', (socket) => {",
        "  socket.on('board:join', (id) => socket.join(`board:${id}`));",
        "  socket.on('card:move', (move) => io.to(`board:${move.boardId}`).emit('card:moved', move));",
        '});',
        '',
      ].join('\n'),
    );
    expect(ev('board:join')?.bare).toEqual({ type: 'unknown', name: 'id', evidence: 'src/server.ts:4', room: true });
    const moved = ev('card:moved');
    expect(moved?.echoes).toEqual({ event: 'card:move', evidence: 'src/server.ts:5' });
    expect(moved?.payload?.map((f) => f.name)).toEqual(['boardId']);
  });

  it('a parameter changed before it is sent on echoes nothing', async () => {
    const ev = await sio(
      [
        "import { Server } from 'socket.io';",
        'const io = new Server(3000);',
        "io.on('connection', (socket) => {",
        "  socket.on('card:move', (move) => {",
        '    move.at = Date.now();',
        "    io.to(`board:${move.boardId}`).emit('card:moved', move);",
        '  });',
        '});',
        '',
      ].join('\n'),
    );
    expect(ev('card:moved')?.echoes).toBeUndefined();
    expect(ev('card:moved')?.payload).toBeUndefined();
  });

  it('reads an SSE frame whose data line serializes a typed value', async () => {
    const a = await analyzeTree({
      'package.json': JSON.stringify({ name: 'x', dependencies: { express: '^4.0.0' } }),
      'src/types.ts': TYPES,
      'src/stream.ts': [
        "import express from 'express';",
        "import type { Score } from './types';",
        'const app = express();',
        "app.get('/stream', (req, res) => {",
        "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
        '  const send = (s: Score) => res.write(`event: score\\ndata: ${JSON.stringify(s)}\\n\\n`);',
        "  send({ player: 'a', points: 1 });",
        '});',
        '',
      ].join('\n'),
    });
    const e = a.events.find((x) => x.name === 'score');
    expect(fields(e)).toEqual([
      ['player', 'string', 'inferred from src/types.ts:2'],
      ['points', 'number', 'inferred from src/types.ts:3'],
    ]);
  });
});

describe('envelope wrappers', () => {
  it('a `{ type, payload }` wrapper given a typed function value carries what that function declares it returns', async () => {
    const a = await analyzeTree({
      'package.json': JSON.stringify({ name: 'x', dependencies: { ws: '^8.0.0' } }),
      'src/prices.ts': 'export function latest(): Record<string, { price: number }> {\n  return {};\n}\n',
      'src/server.ts': [
        "import { WebSocketServer, type WebSocket } from 'ws';",
        "import { latest } from './prices';",
        'function reply(ws: WebSocket, type: string, payload: unknown): void {',
        '  ws.send(JSON.stringify({ type, payload }));',
        '}',
        'const wss = new WebSocketServer({ port: 8080 });',
        "wss.on('connection', (ws) => {",
        "  reply(ws, 'snapshot', latest());",
        "  reply(ws, 'other', compute());",
        '});',
        'declare function compute(): any;',
        '',
      ].join('\n'),
    });
    const ev = (n: string) => a.events.find((e) => e.name === n);
    expect(ev('snapshot')?.bare).toEqual({ type: 'Record<string, { price: number }>', evidence: 'src/prices.ts:1' });
    // A function whose return type is `any`, or not declared where the model can read it, says nothing.
    expect(ev('other')?.bare).toBeUndefined();
    expect(ev('other')?.payload).toBeUndefined();
  });
});
