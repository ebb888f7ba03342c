// Sends whose payload is the whole of a module-level collection (model/whole-collection.ts): one
// message is a snapshot of every item, followed through a method of an imported object, a function
// of the same module and a value written in the payload; a filtered or single-item payload is not one.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

async function whole(files: Record<string, string>): Promise<string[]> {
  return ((await analyzeTree(files)).modelFacts ?? [])
    .filter((f) => f.kind === 'whole-collection-send')
    .map((f) => `${f.name} ${f.value} ${f.store} ${f.storeAt} ${f.evidence}${f.onConnect ? ' on-connect' : ''}`);
}

describe('whole-collection sends', () => {
  it('ws: a method of an imported object returning [...all.values()], on connect and in a broadcast loop', async () => {
    const pkg = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '8.18.0' } });
    const builds =
      "type Build = { id: string; status: string };\nconst all = new Map<string, Build>();\nconst listeners: (() => void)[] = [];\nexport const builds = {\n  all: () => [...all.values()],\n  one: (id: string) => all.get(id),\n  run(name: string) {\n    all.set(name, { id: name, status: 'running' });\n    listeners.forEach((l) => l());\n  },\n  onChange: (l: () => void) => listeners.push(l),\n};\n";
    const server =
      "import { WebSocketServer } from 'ws';\nimport { builds } from './builds.js';\nconst wss = new WebSocketServer({ port: 4000 });\nconst clients = new Set();\nwss.on('connection', (ws) => {\n  clients.add(ws);\n  ws.send(JSON.stringify({ type: 'state', builds: builds.all() }));\n  ws.send(JSON.stringify({ type: 'build', build: builds.one('a') }));\n});\nbuilds.onChange(() => {\n  for (const ws of clients) ws.send(JSON.stringify({ type: 'state', builds: builds.all() }));\n});\n";
    expect(await whole({ 'package.json': pkg, 'src/builds.ts': builds, 'src/server.ts': server })).toEqual([
      // Model facts come in the order of their evidence as text.
      'state builds all src/builds.ts:2 src/server.ts:11',
      'state builds all src/builds.ts:2 src/server.ts:7 on-connect',
    ]);
  });

  it('Socket.IO: a function of the same module, Object.values and Array.from written in the payload; a filter is not whole', async () => {
    const pkg = JSON.stringify({ name: 's', type: 'module', dependencies: { 'socket.io': '4.7.5' } });
    const server =
      "import { Server } from 'socket.io';\nconst io = new Server(3000);\nconst rooms = new Map();\nconst list = () => Array.from(rooms.values());\nio.on('connection', (socket) => {\n  rooms.set(socket.id, { id: socket.id });\n  socket.emit('rooms', { rooms: list() });\n  io.emit('rooms:all', { rooms: Object.values(rooms) });\n  io.emit('rooms:copy', { rooms: Array.from(rooms.values()) });\n  io.emit('rooms:open', { rooms: [...rooms.values()].filter((r) => r.open) });\n});\n";
    expect(await whole({ 'package.json': pkg, 'src/server.js': server })).toEqual([
      'rooms rooms rooms src/server.js:3 src/server.js:7 on-connect',
      'rooms:all rooms rooms src/server.js:3 src/server.js:8 on-connect',
      'rooms:copy rooms rooms src/server.js:3 src/server.js:9 on-connect',
    ]);
  });
});
