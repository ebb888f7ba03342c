// Inbound events read from a switch on the message's name (code/facts.ts typeCases): `switch
// (msg.event)` of the `{ event, data }` envelope, `switch (data.type)`, and a local destructured from
// the parsed message (`const { type, payload } = JSON.parse(raw)`, `const { event: name } = msg`).
// Each case literal is an event the server handles, at the case's line; a case that calls a guard
// imported from another module carries that module's check (model/role-checks.ts).
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const src = (...lines: string[]): string => `${lines.join('\n')}\n`;
const pkg = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '8.18.0' } });

async function inbound(files: Record<string, string>): Promise<string[]> {
  const a = await analyzeTree({ 'package.json': pkg, ...files });
  return a.events.filter((e) => e.direction !== 'server-to-client').map((e) => `${e.name} ${e.direction} ${e.evidence}`);
}

describe('switch dispatch in a ws message listener', () => {
  it('an else-if chain on message.event after `message = JSON.parse(…)` reassigns the parameter: each compared literal is an inbound event', async () => {
    const server = src(
      "import { WebSocketServer } from 'ws';",
      'const wss = new WebSocketServer({ port: 8080 });',
      'class WsHandler {',
      '  onMessage(ws, message) {',
      '    if (typeof message !== "object") message = JSON.parse(String(message));',
      "    if (message.event === 'pusher:ping') ws.send('pong');",
      "    else if (message.event === 'pusher:subscribe') this.subscribe(ws, message);",
      "    else if (message.event === 'pusher:signin') this.signin(ws, message);",
      '  }',
      '}',
      'const handler = new WsHandler();',
      "wss.on('connection', (ws) => ws.on('message', (raw) => handler.onMessage(ws, raw)));",
    );
    expect(await inbound({ 'src/server.js': server })).toEqual([
      'pusher:ping client-to-server src/server.js:6',
      'pusher:signin client-to-server src/server.js:8',
      'pusher:subscribe client-to-server src/server.js:7',
    ]);
  });

  it('switch (msg.event) and an if chain on data.event: each case or compared literal is an inbound event at its line', async () => {
    const server = src(
      "import { WebSocketServer } from 'ws';",
      'const wss = new WebSocketServer({ port: 8080 });',
      "wss.on('connection', (ws) => {",
      "  ws.on('message', (raw) => {",
      '    const msg = JSON.parse(raw);',
      '    switch (msg.event) {',
      "      case 'join':",
      "      case 'rejoin':",
      "        ws.send(JSON.stringify({ event: 'joined', data: { room: msg.data.room } }));",
      '        break;',
      "      case 'leave':",
      '        ws.close();',
      '        break;',
      '    }',
      '  });',
      "  ws.on('message', (raw) => {",
      '    const data = JSON.parse(raw);',
      "    if (data.event === 'cursor') ws.send('ok');",
      '  });',
      '});',
    );
    expect(await inbound({ 'src/server.js': server })).toEqual([
      'cursor client-to-server src/server.js:18',
      'join client-to-server src/server.js:7',
      'leave client-to-server src/server.js:11',
      'rejoin client-to-server src/server.js:8',
    ]);
  });

  it("a webhook route's req.body.event in the same file is no inbound frame; a 'message' listener's parameter is one", async () => {
    const server = src(
      "import express from 'express';",
      "import { WebSocketServer } from 'ws';",
      'const app = express();',
      'const wss = new WebSocketServer({ port: 8080 });',
      "app.post('/webhooks/clerk', (req, res) => {",
      '  switch (req.body.event) {',
      "    case 'user.created':",
      '      break;',
      '  }',
      "  if (req.body.event === 'user.deleted') res.sendStatus(204);",
      '});',
      "wss.on('connection', (ws) => {",
      "  ws.on('message', (frame) => {",
      "    if (frame.event === 'cursor') ws.send('ok');",
      '  });',
      '});',
    );
    expect(await inbound({ 'src/server.js': server })).toEqual(['cursor client-to-server src/server.js:14']);
  });

  it('a local destructured from the parsed message, by its own name or renamed, directly or from a parsed name; a switch on a local not read from a message is none', async () => {
    const server = src(
      "import { WebSocketServer } from 'ws';",
      "import { handleChat } from './chat';",
      'const wss = new WebSocketServer({ port: 8080 });',
      "wss.on('connection', (ws) => {",
      "  ws.on('message', (raw) => {",
      '    const { type: kind, payload } = JSON.parse(raw.toString()) as { type: string; payload: unknown };',
      '    switch (kind) {',
      "      case 'chat':",
      '        handleChat(ws, payload);',
      '        break;',
      '    }',
      '  });',
      "  ws.on('message', (raw) => {",
      '    const msg = JSON.parse(raw.toString());',
      '    const { event } = msg;',
      '    switch (event) {',
      "      case 'typing':",
      '        break;',
      '    }',
      '  });',
      '  const mode = process.env.MODE;',
      '  switch (mode) {',
      "    case 'debug':",
      '      break;',
      '  }',
      '});',
    );
    const chat = src('export function handleChat(ws: any, payload: unknown) {', "  ws.send(JSON.stringify({ type: 'chat:ok' }));", '}');
    expect(await inbound({ 'src/server.ts': server, 'src/chat.ts': chat })).toEqual([
      'chat client-to-server src/server.ts:8',
      'typing client-to-server src/server.ts:17',
    ]);
  });

  it('a case that calls a handler imported from another module carries the check that handler makes of the connection; a case whose handler checks nothing carries none', async () => {
    const server = src(
      "import { WebSocketServer } from 'ws';",
      "import { onPollOpen, onVote } from './polls.js';",
      'const wss = new WebSocketServer({ port: 8080 });',
      "wss.on('connection', (ws) => {",
      "  ws.on('message', (raw) => {",
      '    const msg = JSON.parse(raw);',
      '    switch (msg.event) {',
      "      case 'poll:open':",
      '        onPollOpen(ws, msg);',
      '        break;',
      "      case 'vote':",
      '        onVote(ws, msg);',
      '        break;',
      '    }',
      '  });',
      '});',
    );
    const polls = src(
      'export function onPollOpen(ws, msg) {',
      "  if (ws.role !== 'teacher') throw new Error('forbidden');",
      "  ws.send(JSON.stringify({ event: 'poll:opened', data: { id: msg.data.id } }));",
      '}',
      'export function onVote(ws, msg) {',
      "  ws.send(JSON.stringify({ event: 'voted', data: { id: msg.data.id } }));",
      '}',
    );
    const a = await analyzeTree({ 'package.json': pkg, 'src/server.js': server, 'src/polls.js': polls });
    expect(
      (a.modelFacts ?? [])
        .filter((f) => f.kind === 'connection-check')
        .map((f) => `${f.name} ${f.store} ${f.value} ${f.evidence} ${f.condition} ${f.checkedAt}`),
    ).toEqual(["poll:open assert onPollOpen(ws, msg) src/server.js:9 ws.role !== 'teacher' src/polls.js:2"]);
  });
});
