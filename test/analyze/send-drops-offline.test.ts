// model fact send-drops-offline: a send that looks the user's connection up in a Map and returns
// when there is none, before anything stores the event.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'x', dependencies: { express: '^4.19.0', ws: '^8.0.0', 'socket.io': '^4.7.0' } });
const ROUTE = [
  "const { Router } = require('express');",
  "const { streams } = require('../notify');",
  'const router = Router();',
  "router.get('/', (req, res) => {",
  "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
  '  streams.set(req.query.userId, res);',
  '});',
  'module.exports = router;',
  '',
].join('\n');

async function facts(notify: string, route = ROUTE) {
  const a = await analyzeTree({ 'package.json': PKG, 'src/notify.js': notify, 'src/routes/events.js': route });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'send-drops-offline');
}

describe('send-drops-offline', () => {
  it('an SSE res looked up by user id, returned from when missing', async () => {
    const got = await facts(
      [
        'const streams = new Map();',
        'function orderShipped(userId, order) {',
        '  const res = streams.get(userId);',
        '  if (!res) return;',
        '  res.write(`data: ${JSON.stringify(order)}\\n\\n`);',
        '}',
        'module.exports = { streams, orderShipped };',
        '',
      ].join('\n'),
    );
    expect(got.map((f) => [f.name, f.store, f.evidence])).toEqual([['orderShipped', 'streams', 'src/notify.js:4']]);
  });

  it('a Set of ws sockets per user (`=== undefined`)', async () => {
    const got = await facts(
      [
        "const { WebSocketServer } = require('ws');",
        'const wss = new WebSocketServer({ port: 8080 });',
        'const sockets = new Map();',
        "wss.on('connection', (ws, req) => { sockets.set(req.url, new Set([ws])); });",
        'function notify(userId, msg) {',
        '  const set = sockets.get(userId);',
        '  if (set === undefined) { return; }',
        '  for (const ws of set) ws.send(JSON.stringify(msg));',
        '}',
        'module.exports = { notify };',
        '',
      ].join('\n'),
    );
    expect(got.map((f) => f.name)).toEqual(['notify']);
  });

  it('not when the function stores the event before the lookup', async () => {
    const got = await facts(
      [
        'const streams = new Map();',
        'async function orderShipped(userId, order) {',
        '  await db.notifications.insert({ userId, order });',
        '  const res = streams.get(userId);',
        '  if (!res) return;',
        '  res.write(`data: ${JSON.stringify(order)}\\n\\n`);',
        '}',
        'module.exports = { streams, orderShipped };',
        '',
      ].join('\n'),
    );
    expect(got).toEqual([]);
  });

  it('not for a Socket.IO room send, which looks nothing up', async () => {
    const a = await analyzeTree({
      'package.json': PKG,
      'src/server.js': [
        "const { Server } = require('socket.io');",
        'const io = new Server(3000);',
        "io.on('connection', (socket) => socket.join(socket.data.userId));",
        "function notify(userId, n) { io.to(userId).emit('notification', n); }",
        'module.exports = { notify };',
        '',
      ].join('\n'),
    });
    expect((a.modelFacts ?? []).filter((f) => f.kind === 'send-drops-offline')).toEqual([]);
  });
});
