// The model facts Current state names (model/plan-facts.ts), each at its line, and the cases
// where the code does not show them.
import { describe, expect, it } from 'vitest';
import { pageSocketClient } from '../../src/analyze/code/page-clients.js';
import { noteMd } from '../../src/design/model-facts.js';
import { analyzeTree } from './tree.js';

async function facts(files: Record<string, string>): Promise<string[]> {
  return ((await analyzeTree(files)).modelFacts ?? []).map((f) => `${f.kind} ${f.evidence}`);
}

const WS = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '8.18.0', ioredis: '5.4.1' } });
const SERVER = (body: string): string =>
  `import { WebSocketServer } from 'ws';\nimport { vote } from './polls.js';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws, req) => {\n${body}  ws.on('message', (m) => vote(String(m)));\n});\n`;

describe('model facts for Current state', () => {
  it('state a handler module changes, a token read from the URL, and no seeded constant', async () => {
    const server = SERVER("  const params = new URLSearchParams(req.url.split('?')[1]);\n  verifyToken(params.get('token'));\n");
    const polls =
      "const polls = new Map();\nconst ALLOWED = new Set(['a', 'b']);\nexport function vote(id) {\n  if (ALLOWED.has(id)) polls.set(id, (polls.get(id) ?? 0) + 1);\n}\n";
    expect(await facts({ 'package.json': WS, 'src/server.js': server, 'src/polls.js': polls })).toEqual([
      'process-state src/polls.js:1',
      'query-token src/server.js:6',
    ]);
  });

  it('a list filled at load (pushes at the top level, in an if) is configuration; one a function pushes to is state', async () => {
    const server = SERVER('');
    const seeded =
      "let allowed = [];\nif (process.platform === 'win32') {\n  allowed.push('C:/chrome.exe');\n  for (const d of ['D', 'E']) allowed.push(d + ':/chrome.exe');\n} else {\n  allowed = ['chromium'];\n}\nexport function vote(id) {\n  return allowed.includes(id);\n}\n";
    expect(await facts({ 'package.json': WS, 'src/server.js': server, 'src/polls.js': seeded })).toEqual([]);
    const filled = "const seen = [];\nseen.push('boot');\nexport function vote(id) {\n  seen.push(id);\n}\n";
    expect(await facts({ 'package.json': WS, 'src/server.js': server, 'src/polls.js': filled })).toEqual(['process-state src/polls.js:1']);
  });

  it('a Map seeded at load whose entries handlers change in place is state; one only read is configuration', async () => {
    const server = SERVER('');
    const inPlace = "const rooms = new Map();\nrooms.set('lobby', new Set());\nexport function vote(id) {\n  rooms.get(id).add(id);\n}\n";
    expect(await facts({ 'package.json': WS, 'src/server.js': server, 'src/polls.js': inPlace })).toEqual(['process-state src/polls.js:1']);
    const viaLocal = "const rooms = new Map();\nrooms.set('lobby', []);\nexport function vote(id) {\n  const room = rooms.get(id);\n  room.push(id);\n}\n";
    expect(await facts({ 'package.json': WS, 'src/server.js': server, 'src/polls.js': viaLocal })).toEqual(['process-state src/polls.js:1']);
    const readOnly = "const limits = new Map();\nlimits.set('lobby', new Set(['a']));\nexport function vote(id) {\n  return limits.get(id).has(id);\n}\n";
    expect(await facts({ 'package.json': WS, 'src/server.js': server, 'src/polls.js': readOnly })).toEqual([]);
  });

  it('a collection declared in a function assigned to a const is a local, not module state', async () => {
    const server = SERVER('');
    const polls =
      'const tally = new Map();\nconst count = (ids) => {\n  const seen = [];\n  for (const id of ids) seen.push(id);\n  return seen.length;\n};\nexport const vote = async function (id) {\n  const pending = new Set();\n  pending.add(id);\n  tally.set(id, count([id]));\n};\n';
    expect(await facts({ 'package.json': WS, 'src/server.js': server, 'src/polls.js': polls })).toEqual(['process-state src/polls.js:1']);
  });

  it('state a route keeps that publishes through a provider SDK instance (Ably), and none in a route that publishes nothing', async () => {
    const pkg = JSON.stringify({ name: 'a', type: 'module', dependencies: { ably: '2.28.0', express: '4.21.2' } });
    const ably = "import Ably from 'ably';\nexport const ably = new Ably.Rest({ key: process.env.ABLY_API_KEY });\n";
    const db = 'const orders = new Map();\nexport function save(id, status) {\n  orders.set(id, { id, status });\n  return orders.get(id);\n}\n';
    const route =
      "import { ably } from './ably.js';\nimport { save } from './db.js';\nexport async function update(id, status) {\n  const order = save(id, status);\n  await ably.channels.get('orders').publish('order-updated', order);\n}\n";
    const got = await analyzeTree({ 'package.json': pkg, 'src/ably.js': ably, 'src/db.js': db, 'src/orders.js': route });
    expect((got.modelFacts ?? []).filter((f) => f.kind === 'process-state').map((f) => [f.name, f.evidence])).toEqual([['orders', 'src/db.js:1']]);
    // Without the provider instance imported, the module is no server side of a real-time feature.
    const plain = "import { save } from './db.js';\nexport function update(id, status) {\n  return save(id, status);\n}\n";
    const none = await analyzeTree({ 'package.json': pkg, 'src/ably.js': ably, 'src/db.js': db, 'src/orders.js': plain });
    expect((none.modelFacts ?? []).filter((f) => f.kind === 'process-state')).toEqual([]);
  });

  it("a provider client module's own channel removal (supabase.removeChannel), and none in a module that is not the provider's", async () => {
    const pkg = JSON.stringify({ name: 's', type: 'module', dependencies: { '@supabase/supabase-js': '2.47.0', react: '18.3.1' } });
    const lib = "import { createClient } from '@supabase/supabase-js';\nexport const supabase = createClient('https://x.supabase.co', 'anon');\n";
    const hook =
      "import { supabase } from './supabase.js';\nexport function follow(id, fn) {\n  const channel = supabase.channel(`room:${id}`).on('broadcast', { event: 'm' }, fn).subscribe();\n  return () => {\n    supabase.removeChannel(channel);\n  };\n}\n";
    const other = 'export function stop(feed) {\n  feed.unsubscribe();\n}\n';
    const got = await analyzeTree({ 'package.json': pkg, 'src/supabase.js': lib, 'src/hook.js': hook, 'src/other.js': other });
    expect((got.modelFacts ?? []).filter((f) => f.kind === 'channel-cleanup').map((f) => [f.name, f.evidence])).toEqual([
      ['supabase.removeChannel', 'src/hook.js:5'],
    ]);
  });

  it('a leave call counts only on the channel or client it leaves: not an auth listener, an observer or another subscription', async () => {
    const pkg = JSON.stringify({ name: 's', type: 'module', dependencies: { '@supabase/supabase-js': '2.47.0', 'livekit-client': '2.5.0', react: '18.3.1' } });
    const lib = "import { createClient } from '@supabase/supabase-js';\nexport const supabase = createClient('https://x.supabase.co', 'anon');\n";
    const cleanups = async (files: Record<string, string>) =>
      ((await analyzeTree({ 'package.json': pkg, 'src/supabase.js': lib, ...files })).modelFacts ?? [])
        .filter((f) => f.kind === 'channel-cleanup')
        .map((f) => [f.name, f.evidence]);
    // The review's shape: an auth listener removed, and a channel left open.
    const auth =
      "import { supabase } from './supabase.js';\nexport function watch(id, fn) {\n  supabase.channel(`room:${id}`).on('broadcast', { event: 'm' }, fn).subscribe();\n  const { data: { subscription } } = supabase.auth.onAuthStateChange(fn);\n  const observer = new IntersectionObserver(fn);\n  return () => {\n    subscription.unsubscribe();\n    observer.disconnect();\n  };\n}\n";
    expect(await cleanups({ 'src/hook.js': auth })).toEqual([]);
    const channel =
      "import { supabase } from './supabase.js';\nexport function watch(id, fn) {\n  const channel = supabase.channel(`room:${id}`).on('broadcast', { event: 'm' }, fn).subscribe();\n  return () => {\n    channel.unsubscribe();\n  };\n}\n";
    expect(await cleanups({ 'src/hook.js': channel })).toEqual([['channel.unsubscribe', 'src/hook.js:5']]);
    const room =
      "import { Room } from 'livekit-client';\nimport { useEffect, useState } from 'react';\nexport function Call() {\n  const [room] = useState(() => new Room({ adaptiveStream: true }));\n  useEffect(() => () => {\n    room.disconnect();\n  }, [room]);\n  return null;\n}\n";
    expect(await cleanups({ 'src/Call.jsx': room })).toEqual([['room.disconnect', 'src/Call.jsx:6']]);
  });

  it('an array trimmed to its last entries says how many it keeps and where; one trimmed by nothing says nothing', async () => {
    const server = SERVER('');
    const trimmed = 'const recent = [];\nexport function vote(id) {\n  recent.push(id);\n  if (recent.length > 500) recent.shift();\n}\n';
    const got = await analyzeTree({ 'package.json': WS, 'src/server.js': server, 'src/polls.js': trimmed });
    expect((got.modelFacts ?? []).filter((f) => f.kind === 'process-state').map((f) => [f.name, f.evidence, f.keeps, f.keepsAt])).toEqual([
      ['recent', 'src/polls.js:1', 500, 'src/polls.js:4'],
    ]);
    // A size check with nothing dropped is a guard, not a trim.
    const guarded = 'const recent = [];\nexport function vote(id) {\n  if (recent.length > 500) return;\n  recent.push(id);\n}\n';
    const bare = await analyzeTree({ 'package.json': WS, 'src/server.js': server, 'src/polls.js': guarded });
    expect((bare.modelFacts ?? []).filter((f) => f.kind === 'process-state').map((f) => [f.name, f.keeps])).toEqual([['recent', undefined]]);
  });

  it('a Redis client duplicated per connection, not one made at startup', async () => {
    const perConn = SERVER("  const sub = redis.duplicate();\n  ws.on('close', () => sub.quit());\n");
    const head = "import { Redis } from 'ioredis';\nconst redis = new Redis();\n";
    const polls = 'export function vote() {}\n';
    expect(await facts({ 'package.json': WS, 'src/server.js': head + perConn, 'src/polls.js': polls })).toEqual(['per-connection-client src/server.js:7']);
    const once = `${head}const sub = redis.duplicate();\n${SERVER('')}`;
    expect(await facts({ 'package.json': WS, 'src/server.js': once, 'src/polls.js': polls })).toEqual([]);
  });

  it('an SSE stream that writes ids and reads the resume id from the header or the query, and a client that carries it', async () => {
    const pkg = JSON.stringify({ name: 's', dependencies: { express: '4.21.0' } });
    const server =
      "const express = require('express');\nconst app = express();\napp.get('/events', (req, res) => {\n  res.writeHead(200, { 'Content-Type': 'text/event-stream' });\n  const from = req.headers['last-event-id'] ?? req.query.lastEventId;\n  const t = setInterval(() => res.write(': ping\\n\\n'), 15000);\n  res.write(`id: ${from}\\ndata: {}\\n\\n`);\n  req.on('close', () => clearInterval(t));\n});\napp.listen(3000);\n";
    const client =
      "let last = '';\nfunction open() {\n  const es = new EventSource('/events' + (last ? '?lastEventId=' + last : ''));\n  es.onmessage = (e) => { last = e.lastEventId; };\n}\nopen();\n";
    const got = await analyzeTree({ 'package.json': pkg, 'src/server.js': server, 'public/app.js': client });
    expect((got.modelFacts ?? []).map((f) => `${f.kind} ${f.name} ${f.evidence}`)).toEqual([
      'sse-client-resume lastEventId public/app.js:3',
      'http-route GET /events src/server.js:3',
      'sse-route /events src/server.js:3',
      'sse-resume Last-Event-ID lastEventId:5 src/server.js:5',
      'sse-keepalive-comment : ping src/server.js:6',
      'sse-resume id src/server.js:7',
    ]);
    // Without them, nothing is claimed.
    const bare =
      "const express = require('express');\nconst app = express();\napp.get('/events', (req, res) => {\n  res.writeHead(200, { 'Content-Type': 'text/event-stream' });\n  res.write('data: {}\\n\\n');\n});\napp.listen(3000);\n";
    expect(await facts({ 'package.json': pkg, 'src/server.js': bare, 'public/app.js': "new EventSource('/events');\n" })).toEqual([
      'http-route src/server.js:3',
      'sse-route src/server.js:3',
    ]);
  });

  it('function tools a voice session declares: an imported OpenAI TOOLS constant and Gemini functionDeclarations, not a constant nobody sends', async () => {
    const pkg = JSON.stringify({ name: 'v', dependencies: { '@google/genai': '1.20.0' } });
    const tools =
      "export const TOOLS = [\n  { type: 'function', name: 'find_slot', description: 'Find a free slot', parameters: {} },\n  { type: 'function', name: 'book_slot', parameters: { type: 'object', properties: { slotId: { type: 'string' }, name: { type: 'string' } } } },\n];\nexport const UNUSED = [{ type: 'function', name: 'never_sent' }];\n";
    const oai =
      "import { TOOLS } from './tools';\nconst pc = new RTCPeerConnection();\nconst dc = pc.createDataChannel('oai-events');\nconst send = (e) => dc.send(JSON.stringify(e));\ndc.addEventListener('open', () => send({ type: 'session.update', session: { tools: TOOLS } }));\n";
    const gemini =
      "import { GoogleGenAI } from '@google/genai';\nconst ai = new GoogleGenAI({ apiKey: 'x' });\nconst FNS = [{ name: 'cancel_order', description: 'Cancel an order' }];\nconst tools = [{ functionDeclarations: FNS }];\nexport const s = ai.live.connect({ model: 'm', config: { tools } });\n";
    const got = await analyzeTree({ 'package.json': pkg, 'src/tools.ts': tools, 'src/oai.ts': oai, 'src/gemini.ts': gemini });
    expect(
      (got.modelFacts ?? []).filter((f) => f.kind === 'tool-declaration').map((f) => `${f.name} ${f.evidence} ${f.value ?? '-'} ${f.params?.join(',') ?? '-'}`),
    ).toEqual(['cancel_order src/gemini.ts:3 Cancel an order -', 'find_slot src/tools.ts:2 Find a free slot -', 'book_slot src/tools.ts:3 - slotId,name']);
  });

  it('audio the browser opens: the microphone and an AudioContext with their sample rates, and whether the code stops or closes them', async () => {
    const pkg = JSON.stringify({ name: 'v', dependencies: { '@google/genai': '1.20.0' } });
    const open =
      'export async function openAudio() {\n  const mic = await navigator.mediaDevices.getUserMedia({ audio: { sampleRate: 16000 } });\n  const ctx = new AudioContext({ sampleRate: 24000 });\n  return { mic, ctx };\n}\n';
    const stop = 'export function closeAudio({ mic, ctx }) {\n  mic.getTracks().forEach((t) => t.stop());\n  ctx.close();\n}\n';
    const notes = async (files: Record<string, string>) =>
      ((await analyzeTree({ 'package.json': pkg, ...files })).modelFacts ?? [])
        .filter((f) => f.kind === 'audio-capture' || f.kind === 'audio-context')
        .map((f) => `${f.kind} ${f.evidence} ${f.value ?? '-'}: ${f.note}`);
    expect(await notes({ 'src/audio.ts': open })).toEqual([
      "audio-capture src/audio.ts:2 16000: `getUserMedia` opens the microphone here, asking for a `sampleRate` of 16000 Hz (a request the browser may not honour); rt-plan found no `stop()` of the stream's tracks in the code, so the microphone stays on after the session ends until the page is closed.",
      'audio-context src/audio.ts:3 24000: An `AudioContext` is created here at a `sampleRate` of 24000 Hz; rt-plan found no `close()` of it in the code, so its audio thread keeps running after the session ends.',
    ]);
    expect(await notes({ 'src/audio.ts': open, 'src/close.ts': stop })).toEqual([
      'audio-capture src/audio.ts:2 16000: `getUserMedia` opens the microphone here, asking for a `sampleRate` of 16000 Hz (a request the browser may not honour); a track `stop()` is at `src/close.ts:2`.',
      'audio-context src/audio.ts:3 24000: An `AudioContext` is created here at a `sampleRate` of 24000 Hz; a `close()` that may be its own is at `src/close.ts:3`.',
    ]);
  });

  it('notes are inert Markdown: code spans fenced, the rest escaped', () => {
    expect(noteMd('`a|b` is *here*')).toBe('`a|b` is \\*here\\*');
  });
});

describe('room names the code uses (room-name)', () => {
  const IO = JSON.stringify({ name: 'r', type: 'module', dependencies: { 'socket.io': '4.8.1' } });
  const rooms = async (files: Record<string, string>) =>
    ((await analyzeTree({ 'package.json': IO, ...files })).modelFacts ?? [])
      .filter((f) => f.kind === 'room-name')
      .map((f) => `${f.name} ${f.value} ${f.evidence}`);

  it('a template, a concatenation, and a helper in another module name the same room', async () => {
    const server =
      "import { Server } from 'socket.io';\nimport { roomFor } from './rooms.js';\nconst io = new Server(3000);\nio.on('connection', (socket) => {\n  socket.on('ticket:join', (ticketId) => socket.join(roomFor(ticketId)));\n  socket.on('note:join', ({ noteId }) => socket.join('note:' + noteId));\n  socket.on('ticket:send', (m) => io.to(`ticket:${m.ticketId}`).emit('ticket:new', m));\n});\n";
    const helper = 'export const roomFor = (id) => `ticket:${id}`;\n';
    expect(await rooms({ 'src/server.js': server, 'src/rooms.js': helper })).toEqual([
      'ticket:{ticketId} roomFor() src/server.js:5',
      'note:{noteId} `note:${noteId}` src/server.js:6',
    ]);
  });

  it('path joins, array joins and bare room ids are not room names', async () => {
    const server =
      "import { Server } from 'socket.io';\nimport path from 'node:path';\nconst io = new Server(3000);\nconst dir = path.join(`tmp-${process.pid}`);\nio.on('connection', (socket) => {\n  socket.on('room:join', (room) => socket.join(room));\n  socket.on('list', (xs) => socket.emit('list', xs.join(',')));\n});\n";
    expect(await rooms({ 'src/server.js': server })).toEqual([]);
  });
});

describe('a join announced to the room just joined (join-broadcast)', () => {
  const IO = JSON.stringify({ name: 'j', type: 'module', dependencies: { 'socket.io': '4.8.1' } });
  const storms = async (server: string) =>
    ((await analyzeTree({ 'package.json': IO, 'src/server.js': server })).modelFacts ?? [])
      .filter((f) => f.kind === 'join-broadcast')
      .map((f) => `${f.name} ${f.value} ${f.evidence}`);
  const head = "import { Server } from 'socket.io';\nconst io = new Server(3000);\nio.on('connection', (socket) => {\n";

  it('io.to reaches the joiner too, socket.to leaves it out', async () => {
    expect(
      await storms(
        `${head}  socket.on('game:join', (pin) => {\n    socket.join(\`game:\${pin}\`);\n    io.to(\`game:\${pin}\`).emit('player:joined', { pin });\n  });\n});\n`,
      ),
    ).toEqual(['player:joined room src/server.js:6']);
    expect(
      await storms(`${head}  socket.on('room:join', (room) => {\n    socket.join(room);\n    socket.to(room).emit('user:joined', { room });\n  });\n});\n`),
    ).toEqual(['user:joined others src/server.js:6']);
  });

  it('an emit to another room, or in another handler, is not a join announcement', async () => {
    expect(
      await storms(
        `${head}  socket.on('game:join', (pin) => {\n    socket.join(\`game:\${pin}\`);\n    io.to(\`host:\${pin}\`).emit('player:joined', { pin });\n  });\n  socket.on('game:ping', (pin) => io.to(\`game:\${pin}\`).emit('pong', {}));\n});\n`,
      ),
    ).toEqual([]);
  });
});

describe('an emit to a room (room-broadcast)', () => {
  const IO = JSON.stringify({ name: 'b', type: 'module', dependencies: { 'socket.io': '4.8.1' } });
  const broadcasts = async (server: string) =>
    ((await analyzeTree({ 'package.json': IO, 'src/server.js': server })).modelFacts ?? [])
      .filter((f) => f.kind === 'room-broadcast')
      .map((f) => `${f.name} ${f.store} ${f.evidence}`);

  it('io.to(room).emit and socket.to(room).emit reach the room; a user or socket room is a private send; a plain emit is none', async () => {
    expect(
      await broadcasts(
        "import { Server } from 'socket.io';\nconst io = new Server(3000);\nio.on('connection', (socket) => {\n  socket.on('q:next', (pin) => io.to(`game:${pin}`).emit('question:start', {}));\n  socket.on('chat', (m) => socket.to(m.room).emit('chat:new', m));\n  socket.on('dm', (m) => io.to(`user:${m.userId}`).emit('dm:new', m));\n  socket.on('ping2', () => socket.emit('pong2'));\n});\n",
      ),
    ).toEqual(['question:start `game:${pin}` src/server.js:4', 'chat:new m.room src/server.js:5']);
  });
});

describe('a send in a loop over every socket (broadcast-all)', () => {
  const pkg = JSON.stringify({ name: 'b', type: 'module', dependencies: { ws: '8.18.0' } });
  // A socket index is known by its type (`Set<WebSocket>`); a plain `new Set()` is not believed to hold sockets.
  const head =
    "import { WebSocketServer, type WebSocket } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nconst clients = new Set<WebSocket>();\nwss.on('connection', (ws) => {\n  clients.add(ws);\n  ws.on('close', () => clients.delete(ws));\n});\n";
  const kinds = async (body: string): Promise<string[]> =>
    ((await analyzeTree({ 'package.json': pkg, 'src/server.ts': head + body })).modelFacts ?? [])
      .filter((f) => f.kind === 'broadcast-all')
      .map((f) => `${f.name} ${f.evidence}${f.value === 'only' ? '' : ' (beside picked sends)'}`);

  it('for-of over a socket index and wss.clients.forEach reach every socket; open-state, slow-consumer and sender checks pick none', async () => {
    expect(await kinds('export function a(d) {\n  for (const c of clients) c.send(d);\n}\n')).toEqual(['clients src/server.ts:9']);
    expect(await kinds('export function a(d) {\n  wss.clients.forEach((c) => {\n    if (c.readyState === 1) c.send(d);\n  });\n}\n')).toEqual([
      'wss.clients src/server.ts:10',
    ]);
    expect(
      await kinds(
        'export function a(d, from) {\n  for (const c of wss.clients) {\n    if (c.bufferedAmount > 1e6) continue;\n    if (c !== from) c.send(d);\n  }\n}\n',
      ),
    ).toEqual(['wss.clients src/server.ts:11']);
  });

  it('a test that picks members (a room, a subscription), a loop over something else, or a ping is none', async () => {
    expect(await kinds('export function a(d, room) {\n  for (const c of clients) if (c.room === room) c.send(d);\n}\n')).toEqual([]);
    expect(await kinds('export function a(d, id) {\n  wss.clients.forEach((c) => c.topics.has(id) && c.send(d));\n}\n')).toEqual([]);
    expect(await kinds('export function a(d, room) {\n  for (const c of clients) {\n    if (!c.rooms.has(room)) continue;\n    c.send(d);\n  }\n}\n')).toEqual(
      [],
    );
    expect(await kinds('const subs = new Map();\nexport function a(d, k) {\n  for (const c of subs.get(k) ?? []) c.send(d);\n}\n')).toEqual([]);
    expect(await kinds('setInterval(() => {\n  for (const c of wss.clients) c.ping();\n}, 30000);\n')).toEqual([]);
    // Beside a loop that sends to a room, the loop to everyone is not every broadcast.
    expect(
      await kinds(
        'export function a(d) {\n  for (const c of clients) c.send(d);\n}\nexport function b(d, r) {\n  for (const c of clients) if (c.room === r) c.send(d);\n}\n',
      ),
    ).toEqual(['clients src/server.ts:9 (beside picked sends)']);
    // A room's own clients are some of the sockets, whatever the property is called.
    expect(await kinds('export function a(room: { clients: Set<WebSocket> }, d: string) {\n  for (const c of room.clients) c.send(d);\n}\n')).toEqual([]);
  });

  it('a table a room object creates only where it does not exist, and an INSERT by position: the columns an existing table keeps', async () => {
    const pkg = JSON.stringify({ name: 'e', devDependencies: { wrangler: '3.90.0', '@cloudflare/workers-types': '4.20241127.0' } });
    const room =
      "import { DurableObject } from 'cloudflare:workers';\nexport class Room extends DurableObject {\n  constructor(ctx, env) {\n    super(ctx, env);\n    this.ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, sender TEXT, body TEXT, at INTEGER, UNIQUE (sender, at))');\n  }\n  async webSocketMessage(ws, raw) {\n    this.ctx.storage.sql.exec('INSERT INTO messages VALUES (?, ?, ?, ?)', 1, 2, 3, 4);\n    this.ctx.storage.sql.exec('INSERT INTO messages (id, body) VALUES (?, ?)', 1, 2);\n  }\n}\n";
    const got = ((await analyzeTree({ 'package.json': pkg, 'src/room.js': room })).modelFacts ?? []).filter((f) =>
      ['storage-table', 'positional-insert', 'storage-write'].includes(f.kind),
    );
    expect(got.map((f) => `${f.kind} ${f.store} ${f.value ?? ''} ${f.ifNotExists ?? ''} ${f.evidence}`)).toEqual([
      'storage-table messages id,sender,body,at true src/room.js:5',
      'positional-insert messages   src/room.js:8',
      'storage-write messages INSERT  src/room.js:8',
      'storage-write messages INSERT  src/room.js:9',
    ]);
  });
});

describe('an in-memory graphql-subscriptions PubSub', () => {
  it('names where the code publishes through it (a mutation resolver in another module)', async () => {
    const { analyzeProject } = await import('../../src/analyze/index.js');
    const path = await import('node:path');
    const a = await analyzeProject(path.join(import.meta.dirname, '..', 'fixtures', 'projects', 'model-graphql-ws-apollo'));
    const pubsub = (a.modelFacts ?? []).find((f) => f.kind === 'process-state' && f.name === 'pubsub');
    expect(pubsub?.evidence).toBe('server/src/pubsub.ts:4');
    expect(pubsub?.note).toBe(
      '`pubsub` is an in-memory PubSub (graphql-subscriptions): a `publish` reaches only the subscriptions held by the same process. The code publishes through it at `server/src/schema/resolvers.ts:12` (in `setOrderStatus`): only the subscribers of the process that ran it receive that change.',
    );
  });
});

// A chat-completions call that asks for no stream waits for the whole answer: a plan that streams
// the answer says so at that line, and only there (a call with stream: true, or one set from a
// variable rt-plan cannot read, is not claimed).
describe('a completion that asks for no stream (unstreamed-completion)', () => {
  const pkg = JSON.stringify({ name: 'a', dependencies: { next: '15.0.0', openai: '4.70.0' } });
  const lib = "import OpenAI from 'openai';\nexport const openai = new OpenAI();\n";
  const route = (opts: string) =>
    `import { openai } from '../../../lib/openai';\n\nexport async function POST(req: Request) {\n  const { question } = await req.json();\n  const c = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }]${opts} });\n  return Response.json({ answer: c.choices[0]?.message.content });\n}\n`;
  const facts = async (opts: string) =>
    ((await analyzeTree({ 'package.json': pkg, 'lib/openai.ts': lib, 'app/api/answer/route.ts': route(opts) })).modelFacts ?? [])
      .filter((f) => f.kind === 'unstreamed-completion')
      .map((f) => `${f.name} ${f.evidence}`);

  it('is claimed without a stream key and with stream: false, at the call', async () => {
    expect(await facts('')).toEqual(['openai.chat.completions.create app/api/answer/route.ts:5']);
    expect(await facts(', stream: false')).toEqual(['openai.chat.completions.create app/api/answer/route.ts:5']);
  });

  const titled = (answerOpts: string) =>
    `import { openai } from '../../../lib/openai';\n\nasync function titleFor(q: string) {\n  const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: q }] });\n  return r.choices[0]?.message.content ?? '';\n}\n\nexport async function POST(req: Request) {\n  const { question } = await req.json();\n  void titleFor(question);\n  const c = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }]${answerOpts} });\n  return Response.json({ answer: c });\n}\n`;
  const titledFacts = async (answerOpts: string) =>
    ((await analyzeTree({ 'package.json': pkg, 'lib/openai.ts': lib, 'app/api/answer/route.ts': titled(answerOpts) })).modelFacts ?? [])
      .filter((f) => f.kind === 'unstreamed-completion')
      .map((f) => `${f.name} ${f.evidence}`);

  it('is the call the route answers with, not a helper whose result is never sent (a sidebar title)', async () => {
    expect(await titledFacts('')).toEqual(['openai.chat.completions.create app/api/answer/route.ts:11']);
  });

  it('is not claimed where the module already streams its answer', async () => {
    expect(await titledFacts(', stream: true')).toEqual([]);
  });

  it('is not claimed with stream: true or a stream value rt-plan cannot read', async () => {
    expect(await facts(', stream: true')).toEqual([]);
    expect(await facts(', stream: wantsStream')).toEqual([]);
  });
});

describe('websocket-only clients (client transports)', () => {
  const pkg = JSON.stringify({ name: 'm', dependencies: { 'socket.io': '4.6.1', 'socket.io-client': '4.6.1' } });
  const server = "const { Server } = require('socket.io');\nconst io = new Server(3001);\nio.on('connection', (socket) => socket.emit('hi', 1));\n";
  const client = (opts: string): string => `import { io } from 'socket.io-client';\nexport const socket = io('/', ${opts});\n`;
  const wsOnly = async (files: Record<string, string>): Promise<string[][]> =>
    ((await analyzeTree({ 'package.json': pkg, 'server.js': server, ...files })).modelFacts ?? [])
      .filter((f) => f.kind === 'websocket-only')
      .map((f) => [f.name, f.evidence]);

  it("is said where every Socket.IO client sets transports: ['websocket']", async () => {
    expect(await wsOnly({ 'src/socket.js': client("{ transports: ['websocket'] }") })).toEqual([['client transports', 'src/socket.js:2']]);
  });

  it('is not said when one client keeps the default transports, or sets polling too', async () => {
    expect(await wsOnly({ 'src/a.js': client("{ transports: ['websocket'] }"), 'src/b.js': client('{}') })).toEqual([]);
    expect(await wsOnly({ 'src/socket.js': client("{ transports: ['polling', 'websocket'] }") })).toEqual([]);
  });

  // A page the server serves (public/tv.html) with the served client script and a default io(): it polls first.
  const tv = '<!doctype html><html><body>\n<script src="/socket.io/socket.io.js"></script>\n<script>\n  const socket = io();\n</script></body></html>\n';
  it('is not said when a served page holds a Socket.IO client, whose transports rt-plan does not read', async () => {
    const ws = { 'src/socket.js': client("{ transports: ['websocket'] }") };
    expect(await wsOnly({ ...ws, 'public/tv.html': tv })).toEqual([]);
    expect(await wsOnly({ ...ws, 'views/board.ejs': '<script>\n  var socket = io.connect("/");\n</script>\n' })).toEqual([]);
    // A page with no client changes nothing.
    expect(await wsOnly({ ...ws, 'public/index.html': '<html><body><h1>Board</h1><script src="/app.js"></script></body></html>\n' })).toEqual([
      ['client transports', 'src/socket.js:2'],
    ]);
  });
});

describe('pageSocketClient', () => {
  it('is the line of the served or CDN client script, or of an io( call in an inline script', () => {
    expect(pageSocketClient('<html>\n<body>\n<script src="/socket.io/socket.io.js"></script>\n<script>const s = io();</script>\n')).toBe(3);
    expect(pageSocketClient('<head>\n<script src="https://cdn.socket.io/4.7.5/socket.io.min.js" crossorigin="anonymous"></script>\n')).toBe(2);
    expect(pageSocketClient('<body>\n<p>hi</p>\n<script type="module">\n  const socket = io("/tv");\n</script>\n')).toBe(4);
    expect(pageSocketClient('<body>\n<script>\n  var socket = io.connect();\n</script>\n')).toBe(3);
  });

  it('is null for a page with no client: io( outside a script, a method named like it, another script', () => {
    expect(pageSocketClient('<p>Call io() to connect</p>\n<script src="/app.js"></script>\n')).toBeNull();
    expect(pageSocketClient('<script>\n  radio(1); api.io(2);\n</script>\n')).toBeNull();
  });
});
