// Payload shapes of existing events, from source strings through the real parser, the fact
// walker, the event detectors and the merge. Fields are compared as `name?: type @file:line`
// strings, so every name, type, optionality and cited line is asserted exactly.
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeEvents } from '../../src/analyze/code/merge.js';
import { loadParser, parseFile } from '../../src/analyze/code/parse.js';
import { analyzeFacts } from '../../src/analyze/code/scan.js';
import { blocksOf } from '../../src/analyze/code/source.js';
import type { PayloadField } from '../../src/types.js';

beforeAll(loadParser);

const SIO = "import { Server } from 'socket.io';\nconst io = new Server(3000);\n";
const CLIENT = "import { io } from 'socket.io-client';\nconst socket = io('/');\n";
const WS = "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\n";

function short(fields: PayloadField[] | undefined): string[] | undefined {
  return fields?.map((f) => `${f.name}${f.optional ? '?' : ''}: ${f.type} @${(f.description ?? '').replace(/^inferred from /, '')}`);
}

/** Event name → its inferred fields, for a project made of `files` (path → source). */
function payloads(files: Record<string, string>): Record<string, string[] | undefined> {
  const raw = Object.keys(files)
    .sort()
    .flatMap((file) => {
      const { facts, error } = parseFile(file, blocksOf(file, files[file] as string));
      expect(error).toBeNull();
      return analyzeFacts(facts, null).events;
    });
  return Object.fromEntries(mergeEvents(raw).map((e) => [e.name, short(e.payload)]));
}

/** One server file whose connection handler body is `body` (lines 4+). */
const server = (body: string): Record<string, string> => ({ 'server.ts': `${SIO}io.on('connection', (socket) => {\n${body}\n});\n` });

const CASES: [title: string, files: Record<string, string>, event: string, expected: string[] | undefined][] = [
  [
    'destructured handler parameter',
    server("  socket.on('chat', ({ roomId, text }) => {});"),
    'chat',
    ['roomId: unknown @server.ts:4', 'text: unknown @server.ts:4'],
  ],
  [
    'default values give literal types and make fields optional',
    server("  socket.on('page', ({ roomId, limit = 10, mode = 'full', tags = [], live = false }) => {});"),
    'page',
    [
      'roomId: unknown @server.ts:4',
      'limit?: number @server.ts:4',
      'mode?: string @server.ts:4',
      'tags?: unknown[] @server.ts:4',
      'live?: boolean @server.ts:4',
    ],
  ],
  [
    'renamed and nested patterns name the key, not the local',
    server("  socket.on('n', ({ roomId: id, user: { name }, items: [first] }) => {});"),
    'n',
    ['roomId: unknown @server.ts:4', 'user: Record<string, unknown> @server.ts:4', 'items: unknown[] @server.ts:4'],
  ],
  ['a parameter default makes every field optional', server("  socket.on('d', ({ a } = {}) => {});"), 'd', ['a?: unknown @server.ts:4']],
  ['rest element: no claim about the keys it collects', server("  socket.on('r', ({ roomId, ...rest }) => {});"), 'r', ['roomId: unknown @server.ts:4']],
  ['a scalar parameter is not destructured: no fields', server("  socket.on('join', (roomId) => {});"), 'join', undefined],
  // Read, never seen sent: named by the code, optional (hedged), and the list stays open (`complete: false`).
  [
    'a parameter that is not destructured: the fields it reads, optional',
    server("  socket.on('m', (msg) => { use(msg.text); });"),
    'm',
    ['text?: unknown @server.ts:4'],
  ],
  [
    'a nested function with a parameter of the same name reads its own',
    server("  socket.on('m', (msg) => { use(msg.text); list.map((msg) => msg.other); });"),
    'm',
    ['text?: unknown @server.ts:4'],
  ],
  ['a TS scalar parameter: no fields', server("  socket.on('join', (roomId: string) => {});"), 'join', undefined],
  [
    'inline TS type literal gives real types',
    server("  socket.on('t', (msg: { roomId: string; text?: string; n: number[]; k: 'a' | 'b'; r: Record<string, number>; d: Date }) => {});"),
    't',
    [
      'roomId: string @server.ts:4',
      'text?: string @server.ts:4',
      'n: number[] @server.ts:4',
      "k: 'a' | 'b' @server.ts:4",
      'r: Record<string, number> @server.ts:4',
      'd: unknown @server.ts:4',
    ],
  ],
  [
    'named interface declared in the file (even after use)',
    {
      'server.ts': `${SIO}io.on('connection', (socket) => {\n  socket.on('send', (msg: SendMsg, ack) => {});\n});\nexport interface SendMsg {\n  roomId: string;\n  body: Array<string>;\n  at?: number | null;\n  reply(): void;\n}\n`,
    },
    'send',
    ['roomId: string @server.ts:7', 'body: string[] @server.ts:8', 'at?: number | null @server.ts:9'],
  ],
  [
    'type alias, and an alias of a scalar inside it',
    {
      'server.ts': `${SIO}type RoomId = string;\ntype Join = { roomId: RoomId; seq: number };\nio.on('connection', (socket) => {\n  socket.on('join', ({ roomId }: Join) => {});\n});\n`,
    },
    'join',
    ['roomId: string @server.ts:4', 'seq: number @server.ts:4'],
  ],
  [
    'emitted object literal: literal, template, Date and array types',
    server(
      "  socket.emit('m', { s: 'a', n: 1, b: true, t: `x${1}`, at: new Date().toISOString(), ts: Date.now(), ns: [1, 2], mixed: ['a', 1], o: { k: 1 }, v: socket.id, len: [].length, ok: a === b });",
    ),
    'm',
    [
      's: string @server.ts:4',
      'n: number @server.ts:4',
      'b: boolean @server.ts:4',
      't: string @server.ts:4',
      'at: string @server.ts:4',
      'ts: number @server.ts:4',
      'ns: number[] @server.ts:4',
      'mixed: unknown[] @server.ts:4',
      'o: Record<string, unknown> @server.ts:4',
      'v: unknown @server.ts:4',
      'len: number @server.ts:4',
      'ok: boolean @server.ts:4',
    ],
  ],
  [
    'a const object literal in the same function scope, and consts with known types',
    server(
      "  socket.on('chat', ({ roomId, text }) => {\n    const at = new Date().toISOString();\n    const message = { id: Date.now(), roomId, text, at };\n    io.to(roomId).emit('message', message);\n  });",
    ),
    'message',
    ['id: number @server.ts:6', 'roomId: unknown @server.ts:6', 'text: unknown @server.ts:6', 'at: string @server.ts:6'],
  ],
  [
    'a const object that gains keys later no longer closes the key set',
    server("  const base = { a: 1 };\n  base.b = 2;\n  socket.emit('g', base);\n  socket.emit('g', { c: 'x' });"),
    'g',
    ['a?: number @server.ts:4', 'c: string @server.ts:7'],
  ],
  [
    'a parameter shadowing an outer const is not that const',
    { 'server.ts': `${SIO}const message = { a: 1 };\nio.on('connection', (socket) => {\n  socket.on('x', (message) => socket.emit('echo', message));\n});\n` },
    'echo',
    undefined,
  ],
  ['spread: the named keys only, no claim for the spread ones', server("  socket.emit('s', { ...base, a: 1 });"), 's', ['a: number @server.ts:4']],
  ['computed keys are ignored', server("  socket.emit('c', { [key]: 1, ['lit']: 'x', b: 2 });"), 'c', ['lit: string @server.ts:4', 'b: number @server.ts:4']],
  ['an ack callback is not the payload', server("  socket.emit('a', (res) => {});\n  socket.on('a', (data, ack) => {});"), 'a', undefined],
  [
    'JSON type messages: every key but type',
    { 'server.js': `${WS}wss.on('connection', (ws) => {\n  ws.send(JSON.stringify({ type: 'hello', id: 'x', n: 2 }));\n});\n` },
    'hello',
    ['id: string @server.js:4', 'n: number @server.js:4'],
  ],
  [
    'switch on msg.type: member reads in the case are optional unknowns; methods and the type are not fields',
    {
      'server.js': `${WS}wss.on('connection', (ws) => {\n  ws.on('message', (raw) => {\n    const msg = JSON.parse(raw);\n    switch (msg.type) {\n      case 'join':\n        rooms.add(msg.roomId, msg.user.name, msg['seq']);\n        msg.toString();\n        break;\n      case 'a':\n      case 'b': {\n        const { z } = msg;\n        break;\n      }\n    }\n  });\n});\n`,
    },
    'join',
    ['roomId?: unknown @server.js:8', 'user?: Record<string, unknown> @server.js:8', 'seq?: unknown @server.js:8'],
  ],
  [
    'switch on msg.type: destructuring the message in a case',
    {
      'server.js': `${WS}wss.on('connection', (ws) => {\n  ws.on('message', (raw) => {\n    const msg = JSON.parse(raw);\n    switch (msg.type) {\n      case 'b': {\n        const { z, ...others } = msg;\n        break;\n      }\n    }\n  });\n});\n`,
    },
    'b',
    ['z?: unknown @server.js:8'],
  ],
  [
    'a fall-through case shares the next body',
    {
      'server.js': `${WS}wss.on('connection', (ws) => {\n  ws.on('message', (raw) => {\n    const msg = JSON.parse(raw);\n    switch (msg.type) {\n      case 'a':\n      case 'b':\n        use(msg.z);\n    }\n  });\n});\n`,
    },
    'a',
    ['z?: unknown @server.js:9'],
  ],
  [
    'if-chains on msg.type read like cases',
    {
      'server.js': `${WS}wss.on('connection', (ws) => {\n  ws.on('message', (raw) => {\n    const msg = JSON.parse(raw);\n    if (msg && msg.type === 'edit') apply(msg.ops);\n    else if (msg.type === 'cursor') move(msg.at);\n  });\n});\n`,
    },
    'cursor',
    ['at?: unknown @server.js:7'],
  ],
  [
    "an app's own send wrapper called with an object literal: the object is the payload",
    {
      'server.ts': `${WS}function broadcast(type: string, payload: unknown) {\n  const data = JSON.stringify({ type, payload });\n  for (const c of wss.clients) c.send(data);\n}\nbroadcast('poll:results', { pollId: 'p1', counts: [] });\n`,
    },
    'poll:results',
    ['pollId: string @server.ts:7', 'counts: unknown[] @server.ts:7'],
  ],
  [
    'LiveKit data bytes encoded from a JSON object literal, also through a const',
    {
      'room.ts':
        "import { Room } from 'livekit-client';\nconst room = new Room();\nconst enc = new TextEncoder();\nconst bytes = enc.encode(JSON.stringify({ type: 'reaction', emoji: 'x', at: Date.now() }));\nroom.localParticipant.publishData(bytes, { reliable: true, topic: 'reactions' });\n",
    },
    'data:reactions',
    ['type: string @room.ts:4', 'emoji: string @room.ts:4', 'at: number @room.ts:4'],
  ],
  [
    "Ably publish(name, data): data's keys",
    {
      'pub.ts':
        "import Ably from 'ably';\nconst ably = new Ably.Rest({ key: process.env.ABLY_KEY });\nconst ch = ably.channels.get('orders');\nexport const send = (id: string) => ch.publish('order-updated', { id, status: 'ready' });\n",
    },
    'order-updated',
    // `id: string` is the sender's annotated parameter.
    ['id: string @pub.ts:4', 'status: string @pub.ts:4'],
  ],
];

describe('payload inference', () => {
  it.each(CASES)('%s', (_title, files, event, expected) => {
    const all = payloads(files);
    expect(Object.keys(all)).toContain(event);
    expect(all[event]).toEqual(expected);
  });
});

describe('merging both sides', () => {
  it('unions field names in file then line order; a complete sender without a field makes it optional', () => {
    const all = payloads({
      'client.js': `${CLIENT}socket.on('typing', ({ user }) => {});\nsocket.emit('typing', { roomId: 'r' });\n`,
      'server.js': `${SIO}io.on('connection', (socket) => {\n  socket.on('typing', ({ roomId }) => {\n    socket.to(roomId).emit('typing', { roomId, user: socket.data.name });\n  });\n});\n`,
    });
    expect(all.typing).toEqual(['user?: unknown @client.js:3', 'roomId: string @client.js:4']);
  });

  it('conflicting types become unknown; a literal union still fits its base type', () => {
    const all = payloads(
      server("  socket.emit('n', { n: 1, s: 'a' });\n  socket.emit('n', { n: 'one', s: 'b' });\n  socket.on('n', (m: { n: number; s: 'a' | 'b' }) => {});"),
    );
    expect(all.n).toEqual(['n: unknown @server.ts:4', 's: string @server.ts:4']);
  });

  it('an emit without payload makes every field optional', () => {
    const all = payloads(server("  socket.emit('tick', { at: Date.now() });\n  socket.emit('tick');"));
    expect(all.tick).toEqual(['at?: number @server.ts:4']);
  });

  it('a field a sender sends is required even when a type-dispatch handler only reads it', () => {
    const all = payloads({
      'client.js': `const ws = new WebSocket('wss://x');\nws.onmessage = (e) => {\n  const msg = JSON.parse(e.data);\n  if (msg.type === 'price') show(msg.symbol, msg.stale);\n};\n`,
      'server.js': `${WS}export function publish(symbol) {\n  const data = JSON.stringify({ type: 'price', symbol, price: 1 });\n  wss.clients.forEach((c) => c.send(data));\n}\n`,
    });
    expect(all.price).toEqual(['symbol: unknown @client.js:4', 'stale?: unknown @client.js:4', 'price: number @server.js:4']);
  });

  it('cites both places when the type comes from a later site than the first sight', () => {
    const all = payloads({
      'a.js': `${CLIENT}socket.on('x', ({ n }) => {});\n`,
      'b.js': `${SIO}io.on('connection', (socket) => socket.emit('x', { n: 1 }));\n`,
    });
    expect(all.x).toEqual(['n: number @a.js:3, b.js:3']);
  });
});

describe('keys a handler reads inside a field, and a message with no key besides its type', () => {
  const merged = (files: Record<string, string>) =>
    Object.fromEntries(
      mergeEvents(
        Object.keys(files)
          .sort()
          .flatMap((file) => analyzeFacts(parseFile(file, blocksOf(file, files[file] as string)).facts, null).events),
      ).map((e) => [e.name, e]),
    );
  const server = `${WS}wss.on('connection', (ws) => {\n  const beat = setInterval(() => ws.send(JSON.stringify({ type: 'pong' })), 30000);\n  ws.on('message', (raw) => {\n    const message = JSON.parse(raw);\n    if (message.type === 'unsubscribe:agent') drop(message.payload.agentId);\n    if (message.type === 'tag') tag(message.items.map(String), message.items.length);\n  });\n});\n`;

  it('`message.payload.agentId` makes `payload` an object holding `agentId`; a method of the field is no key', () => {
    const all = merged({ 'server.js': server });
    expect(all['unsubscribe:agent']?.payload).toEqual([
      {
        name: 'payload',
        type: 'Record<string, unknown>',
        optional: true,
        description: 'inferred from server.js:7',
        fields: [{ name: 'agentId', type: 'unknown' }],
      },
    ]);
    expect(all.tag?.payload).toEqual([
      {
        name: 'items',
        type: 'Record<string, unknown>',
        optional: true,
        description: 'inferred from server.js:8',
        fields: [{ name: 'length', type: 'unknown' }],
      },
    ]);
  });

  it("a sender's keys and type win over the handler's reading, and both places are cited", () => {
    const client =
      "const ws = new WebSocket('/ws');\nexport const sub = (agentId: string) => ws.send(JSON.stringify({ type: 'unsubscribe:agent', payload: { agentId } }));\n";
    const all = merged({ 'server.js': server, 'web/client.ts': client });
    expect(all['unsubscribe:agent']?.payload).toEqual([
      {
        name: 'payload',
        type: 'Record<string, unknown>',
        description: 'inferred from server.js:7, web/client.ts:2',
        fields: [{ name: 'agentId', type: 'string' }],
      },
    ]);
  });

  it("`{ type: 'pong' }` is closed with no field, and has no payload", () => {
    const pong = merged({ 'server.js': server }).pong;
    expect(pong?.payload).toBeUndefined();
    expect(pong?.closed).toEqual({ evidence: 'server.js:4', fields: [] });
  });
});

describe("what clients send on a both-ways event, where it is not the server's object", () => {
  function sent(files: Record<string, string>) {
    const raw = Object.keys(files)
      .sort()
      .flatMap((file) => analyzeFacts(parseFile(file, blocksOf(file, files[file] as string)).facts, null).events);
    return Object.fromEntries(mergeEvents(raw).map((e) => [e.name, e.sent]));
  }

  it('a bare value the handler reads, while the server sends an object', () => {
    const server = `${SIO}io.on('connection', (socket) => {\n  socket.on('typing', (ticketId: string) => {\n    socket.to(ticketId).emit('typing', { ticketId, userId: socket.id });\n  });\n  socket.on('send', (m) => socket.emit('send', { id: 1, text: m.text }));\n});\n`;
    expect(sent({ 'server.ts': server })).toEqual({
      typing: { bare: { type: 'string', name: 'ticketId', evidence: 'server.ts:4' }, evidence: 'server.ts:4' },
      send: undefined,
    });
  });

  it("a bare first argument keeps the handler's later arguments, in order, as slots in use", () => {
    const server = `${SIO}io.on('connection', (socket) => {\n  socket.on('open', function (port, options) {\n    socket.join(port);\n    io.to(port).emit('opened', { port, baudrate: options.baudrate });\n  });\n  socket.on('many', (room: string, ...rest) => socket.join(room));\n  socket.on('close', (port) => socket.leave(port));\n});\n`;
    const raw = analyzeFacts(parseFile('server.ts', blocksOf('server.ts', server)).facts, null).events;
    const bare = Object.fromEntries(mergeEvents(raw).map((e) => [e.name, e.bare]));
    expect(bare.open).toEqual({ type: 'string', name: 'port', evidence: 'server.ts:4', room: true, after: ['options'] });
    expect(bare.many).toEqual({ type: 'string', name: 'room', evidence: 'server.ts:8', after: ['...rest'] });
    expect(bare.close).toEqual({ type: 'string', name: 'port', evidence: 'server.ts:9', room: true });
  });

  it("the ack callback a bare event's handler calls is its ack, not a slot a field could go after", () => {
    const server = `${SIO}io.on('connection', (socket) => {\n  socket.on('board:join', async (boardId, ack) => {\n    socket.join(\`board:\${boardId}\`);\n    ack(await loadBoard(boardId));\n  });\n  socket.on('open', (port, options, cb) => { socket.join(port); cb?.({ ok: options.ok }); });\n  socket.on('sub', (room, done) => { socket.join(room); handle(room, done); });\n});\n`;
    const client = "import { io } from 'socket.io-client';\nconst socket = io('/');\nsocket.emit('sub', 'r1', (res) => show(res));\n";
    const raw = ['server.ts', 'client.ts'].flatMap(
      (file) => analyzeFacts(parseFile(file, blocksOf(file, file === 'server.ts' ? server : client)).facts, null).events,
    );
    const bare = Object.fromEntries(mergeEvents(raw).map((e) => [e.name, e.bare]));
    expect(bare['board:join']).toEqual({ type: 'unknown', name: 'boardId', evidence: 'server.ts:4', room: true, ack: 'ack' });
    expect(bare.open).toEqual({ type: 'string', name: 'port', evidence: 'server.ts:8', room: true, after: ['options'], ack: 'cb' });
    // Not called here, but a client passes a function last: the last parameter is the ack.
    expect(bare.sub).toEqual({ type: 'string', name: 'room', evidence: 'client.ts:3', room: true, ack: 'done' });
  });

  it('nothing but the event over a type-field protocol, while the server adds a field', () => {
    const client =
      "const ws = new WebSocket('/ws');\nws.onmessage = (e) => {\n  const f = JSON.parse(e.data);\n  if (f.type === 'typing') show(f.name);\n};\nbox.oninput = () => ws.send(JSON.stringify({ type: 'typing' }));\n";
    const server = `${WS}wss.on('connection', (ws) => {\n  ws.on('message', (raw) => {\n    const f = JSON.parse(String(raw));\n    if (f.type === 'typing') ws.send(JSON.stringify({ type: 'typing', name: 'x' }));\n  });\n});\n`;
    expect(sent({ 'public/app.js': client, 'server.ts': server }).typing).toEqual({ none: true, evidence: 'public/app.js:6' });
  });
});
