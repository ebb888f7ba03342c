// A version the system of record sets (model/record-version.ts): a handler sends another
// system's answer, whose type names a `version`, as an event's payload.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

async function versions(files: Record<string, string>): Promise<string[]> {
  return ((await analyzeTree(files)).modelFacts ?? [])
    .filter((f) => f.kind === 'record-version')
    .map((f) => `${f.store} ${f.name} ${f.value} ${f.evidence} ${f.answeredAt}`);
}

const fixture = (rel: string): string => readFileSync(path.join(__dirname, '../fixtures/projects/model-handlers-elsewhere', rel), 'utf8');

describe('record-version', () => {
  it('model-handlers-elsewhere: note:patched carries the notes API answer and its version', async () => {
    const files: Record<string, string> = {};
    for (const f of [
      'package.json',
      'src/server.ts',
      'src/app.ts',
      'src/realtime/auth.ts',
      'src/realtime/connection.ts',
      'src/realtime/handlers.ts',
      'src/realtime/heartbeat.ts',
      'src/realtime/notes.ts',
      'src/realtime/rooms.ts',
    ])
      files[f] = fixture(f);
    expect(await versions(files)).toEqual([
      'note:snapshot version loadNote src/realtime/handlers.ts:11 src/realtime/notes.ts:11',
      'note:patched version applyPatch src/realtime/handlers.ts:14 src/realtime/notes.ts:20',
    ]);
  });
});

describe('record-version: what does not count', () => {
  const pkg = JSON.stringify({ name: 'r', type: 'module', dependencies: { ws: '8.18.0' } });
  const rooms =
    "import type { WebSocket } from 'ws';\nconst rooms = new Map<string, Set<WebSocket>>();\nexport function broadcast(id: string, event: string, data: unknown, except?: WebSocket): void {\n  const frame = JSON.stringify({ event, data });\n  for (const ws of rooms.get(id) ?? []) if (ws !== except) ws.send(frame);\n}\n";
  const server = (api: string): string =>
    `import { WebSocketServer } from 'ws';\nimport { broadcast } from './rooms.js';\nimport { save } from './api.js';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => {\n  ws.on('message', async (raw) => {\n    const m = JSON.parse(String(raw));\n    const saved = await save(m.id, m.text);\n    broadcast(m.id, 'doc:saved', saved, ws);\n  });\n});\n${api}`;

  it('a named interface and a Promise<T> return type name the field too', async () => {
    const api =
      "export interface Doc { id: string; rev: number; text: string }\nexport async function save(id: string, text: string): Promise<Doc> {\n  const res = await fetch(`/docs/${id}`, { method: 'POST', body: text });\n  return res.json();\n}\n";
    expect(await versions({ 'package.json': pkg, 'src/rooms.ts': rooms, 'src/server.ts': server(''), 'src/api.ts': api })).toEqual([
      'doc:saved rev save src/server.ts:8 src/api.ts:4',
    ]);
  });

  it('no version-like field, an answer not from a response, or a counter of ours: nothing', async () => {
    const noField =
      "export async function save(id: string, text: string) {\n  const res = await fetch(`/docs/${id}`, { method: 'POST', body: text });\n  return (await res.json()) as { id: string; count: number };\n}\n";
    const ours = 'let version = 0;\nexport async function save(id: string, text: string) {\n  version += 1;\n  return { id, text, version };\n}\n';
    for (const api of [noField, ours])
      expect(await versions({ 'package.json': pkg, 'src/rooms.ts': rooms, 'src/server.ts': server(''), 'src/api.ts': api })).toEqual([]);
  });
});

describe('overlapping-messages', () => {
  it("model-handlers-elsewhere: the async message listener awaits its handler, so one connection's messages overlap", async () => {
    const files: Record<string, string> = {};
    for (const f of [
      'package.json',
      'src/server.ts',
      'src/realtime/connection.ts',
      'src/realtime/handlers.ts',
      'src/realtime/notes.ts',
      'src/realtime/rooms.ts',
      'src/realtime/auth.ts',
    ])
      files[f] = fixture(f);
    const facts = ((await analyzeTree(files)).modelFacts ?? []).filter((f) => f.kind === 'overlapping-messages');
    expect(facts.map((f) => `${f.name} ${f.value} ${f.evidence}`)).toEqual(['message 22 src/realtime/connection.ts:17']);
  });

  it('a sync listener, or an async one that never awaits, is not counted', async () => {
    const pkg = JSON.stringify({ name: 'o', type: 'module', dependencies: { ws: '8.18.0' } });
    const server =
      "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => {\n  ws.on('message', (raw) => ws.send(raw));\n  ws.on('close', async () => { await Promise.resolve(); });\n  ws.on('message', async (raw) => { ws.send(String(raw)); });\n});\n";
    const facts = ((await analyzeTree({ 'package.json': pkg, 'src/server.ts': server })).modelFacts ?? []).filter((f) => f.kind === 'overlapping-messages');
    expect(facts).toEqual([]);
  });
});
