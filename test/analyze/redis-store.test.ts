// Writes through a Redis client the project creates (model/redis-store.ts): node-redis v4's
// camelCase commands and ioredis's lowercase ones, followed from the module that creates the
// client into the ones that import it; a client only handed to the Socket.IO adapter is no store.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

async function writes(files: Record<string, string>): Promise<string[]> {
  return ((await analyzeTree(files)).modelFacts ?? []).filter((f) => f.kind === 'redis-write').map((f) => `${f.name} ${f.value} ${f.store} ${f.evidence}`);
}

const SIO = (deps: Record<string, string>): string =>
  JSON.stringify({ name: 'b', type: 'module', dependencies: { 'socket.io': '4.7.5', '@socket.io/redis-adapter': '8.3.0', ...deps } });
const SERVER =
  "import { Server } from 'socket.io';\nimport { attach } from './redis.js';\nimport { moveCard } from './state.js';\nconst io = new Server(3000);\nattach(io);\nio.on('connection', (socket) => {\n  socket.on('card:move', async (m) => {\n    await moveCard(m.boardId, m.cardId, m.column);\n    socket.to(`board:${m.boardId}`).emit('card:moved', m);\n  });\n});\n";

describe('Redis writes', () => {
  it('node-redis v4: a duplicate of the adapter client, imported by a state module, writes a hash and a set (camelCase)', async () => {
    const redis =
      "import { createAdapter } from '@socket.io/redis-adapter';\nimport { createClient } from 'redis';\nconst pub = createClient({ url: process.env.REDIS_URL });\nconst sub = pub.duplicate();\nexport const store = pub.duplicate();\nexport async function attach(io) {\n  await Promise.all([pub.connect(), sub.connect(), store.connect()]);\n  io.adapter(createAdapter(pub, sub));\n}\n";
    const state =
      "import { store } from './redis.js';\nconst cardsKey = (boardId) => `board:${boardId}:cards`;\nexport async function moveCard(boardId, cardId, column) {\n  await store.hSet(cardsKey(boardId), cardId, column);\n  await store.sAdd(`board:${boardId}:moved`, cardId);\n  await store.expire(cardsKey(boardId), 60);\n  return store.hGetAll(cardsKey(boardId));\n}\n";
    expect(await writes({ 'package.json': SIO({ redis: '4.7.0' }), 'src/server.js': SERVER, 'src/redis.js': redis, 'src/state.js': state })).toEqual([
      'store.hSet HSET board:{boardId}:cards src/state.js:4',
      'store.sAdd SADD board:{boardId}:moved src/state.js:5',
    ]);
  });

  it('ioredis: a default-imported client writes lowercase commands; a string key is kept as written', async () => {
    const redis =
      "import Redis from 'ioredis';\nimport { createAdapter } from '@socket.io/redis-adapter';\nconst pub = new Redis(process.env.REDIS_URL);\nconst sub = pub.duplicate();\nexport const kv = new Redis(process.env.REDIS_URL);\nexport function attach(io) {\n  io.adapter(createAdapter(pub, sub));\n}\n";
    const state =
      "import { kv } from './redis.js';\nexport async function moveCard(boardId, cardId, column) {\n  await kv.hset(`cards:${boardId}`, cardId, column);\n  await kv.set('last-move', cardId);\n  await kv.publish('moves', cardId);\n}\n";
    expect(await writes({ 'package.json': SIO({ ioredis: '5.4.1' }), 'src/server.js': SERVER, 'src/redis.js': redis, 'src/state.js': state })).toEqual([
      'kv.hset HSET cards:{boardId} src/state.js:3',
      'kv.set SET last-move src/state.js:4',
    ]);
  });

  it('clients only handed to the Socket.IO adapter (pub/sub) and a Map with a set method are no store', async () => {
    const redis =
      "import { createAdapter } from '@socket.io/redis-adapter';\nimport { createClient } from 'redis';\nconst pub = createClient();\nconst sub = pub.duplicate();\nexport async function attach(io) {\n  await Promise.all([pub.connect(), sub.connect()]);\n  io.adapter(createAdapter(pub, sub));\n}\n";
    const state = 'const cards = new Map();\nexport async function moveCard(boardId, cardId, column) {\n  cards.set(cardId, column);\n}\n';
    expect(await writes({ 'package.json': SIO({ redis: '4.7.0' }), 'src/server.js': SERVER, 'src/redis.js': redis, 'src/state.js': state })).toEqual([]);
  });
});
