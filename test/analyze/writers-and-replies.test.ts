// What the code already decides about liveness, acks and who writes a document: a ping interval
// given as a parameter default, a Nest handler that answers with `{ event, data }` (which Nest
// emits instead of acking), and a client PUT that replaces a whole resource.
import { describe, expect, it } from 'vitest';
import { analyzeTree as analyze } from './tree.js';

const WS_PKG = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '8.18.0' } });
const HEARTBEAT = (signature: string, call: string): Record<string, string> => ({
  'package.json': WS_PKG,
  'src/server.ts': `import { WebSocketServer } from 'ws';\nimport { startHeartbeat } from './heartbeat.js';\nconst wss = new WebSocketServer({ port: 3000 });\n${call}\n`,
  'src/heartbeat.ts': `import type { WebSocketServer } from 'ws';\nexport function startHeartbeat(${signature}): void {\n  setInterval(() => {\n    for (const ws of wss.clients) ws.ping();\n  }, intervalMs);\n}\n`,
});

describe('a ping interval given as a parameter default', () => {
  it('reads the default inside the function as the interval', async () => {
    const a = await analyze(HEARTBEAT('wss: WebSocketServer, intervalMs = 25_000', 'startHeartbeat(wss);'));
    expect(a.stack.heartbeat).toEqual({ present: true, evidence: 'src/heartbeat.ts:3', intervalMs: 25_000 });
  });

  it('reads no interval from a parameter without a default', async () => {
    const a = await analyze(HEARTBEAT('wss: WebSocketServer, intervalMs: number', 'startHeartbeat(wss, 25_000);'));
    expect(a.stack.heartbeat).toEqual({ present: true, evidence: 'src/heartbeat.ts:3' });
  });
});

const NEST_PKG = JSON.stringify({
  name: 'n',
  dependencies: { '@nestjs/common': '10.4.4', '@nestjs/websockets': '10.4.4', '@nestjs/platform-socket.io': '10.4.4', 'socket.io': '4.8.0' },
});
const GATEWAY = (body: string): string =>
  `import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';\nimport type { Socket } from 'socket.io';\n@WebSocketGateway({ namespace: '/chat' })\nexport class ChatGateway {\n  @SubscribeMessage('chat:send')\n  send(@ConnectedSocket() client: Socket, @MessageBody() dto: { text: string }) {\n    const message = { id: crypto.randomUUID(), text: dto.text };\n    client.to('room').emit('chat:new', message);\n${body}\n  }\n}\n`;

describe('a Nest handler that answers with { event, data }', () => {
  it('is a ws-response-return fact at the return, naming the event Nest emits', async () => {
    const a = await analyze({ 'package.json': NEST_PKG, 'src/chat.gateway.ts': GATEWAY("    return { event: 'chat:new', data: message };") });
    expect((a.modelFacts ?? []).filter((f) => f.kind === 'ws-response-return').map((f) => `${f.name} ${f.value} ${f.evidence}`)).toEqual([
      'chat:send chat:new src/chat.gateway.ts:9',
    ]);
  });

  it('a plain return value (which Nest passes to the ack) is none', async () => {
    const a = await analyze({ 'package.json': NEST_PKG, 'src/chat.gateway.ts': GATEWAY('    return { id: message.id };') });
    expect((a.modelFacts ?? []).filter((f) => f.kind === 'ws-response-return')).toEqual([]);
  });
});

const APP_PKG = JSON.stringify({ name: 'a', type: 'module', dependencies: { express: '4.19.2', react: '18.3.1' } });
const EDITOR = (init: string): string => `export function save(id: string, text: string) {\n  return fetch(\`/api/notes/\${id}\`, ${init});\n}\n`;
const SERVER =
  "import express from 'express';\nconst app = express();\napp.use(express.json());\napp.put('/api/notes/:id', (req, res) => res.json(req.body));\napp.listen(5000);\n";

describe('a client PUT of a whole resource', () => {
  it('is an http-put fact with its body keys and the route that answers it', async () => {
    const a = await analyze({
      'package.json': APP_PKG,
      'client/Editor.ts': EDITOR("{ method: 'PUT', body: JSON.stringify({ text }) }"),
      'server/index.ts': SERVER,
    });
    expect((a.modelFacts ?? []).filter((f) => f.kind === 'http-put').map((f) => `${f.name} {${f.value}} ${f.evidence} ${f.answeredAt}`)).toEqual([
      '/api/notes/${…} {text} client/Editor.ts:2 server/index.ts:4',
    ]);
  });

  it('a POST (which need not replace the resource) is none', async () => {
    const a = await analyze({
      'package.json': APP_PKG,
      'client/Editor.ts': EDITOR("{ method: 'POST', body: JSON.stringify({ text }) }"),
      'server/index.ts': SERVER,
    });
    expect((a.modelFacts ?? []).filter((f) => f.kind === 'http-put')).toEqual([]);
  });
});
