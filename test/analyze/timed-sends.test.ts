// A server message sent on a timer that is not a ping: where no heartbeat is found, the stack says
// what the timer sends, and where it is, instead of "none found" (it detects no dead peer).
import { describe, expect, it } from 'vitest';
import { analyzeTree as analyze } from './tree.js';

const pkg = JSON.stringify({ name: 'x', type: 'module', dependencies: { ws: '^8.18.0' } });
const server = (type: string) =>
  `import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => {\n  const t = setInterval(() => ws.send(JSON.stringify({ type: '${type}' })), 30000);\n  ws.on('close', () => clearInterval(t));\n});\n`;

describe('a server message on a timer', () => {
  it('an unasked `pong` every 30 s is no heartbeat, and is said with its line and interval', async () => {
    const a = await analyze({ 'package.json': pkg, 'server.js': server('pong') });
    expect(a.stack.heartbeat).toEqual({ present: false, evidence: null, timedSend: { name: 'pong', evidence: 'server.js:4', intervalMs: 30000 } });
  });

  it('a `ping` message on a timer stays the heartbeat it was', async () => {
    const a = await analyze({ 'package.json': pkg, 'server.js': server('ping') });
    expect(a.stack.heartbeat).toEqual({ present: true, evidence: 'server.js:4', intervalMs: 30000 });
  });

  it('one list of heartbeat names serves the JSON envelope and a bare string: `keepalive` either way is a heartbeat', async () => {
    const a = await analyze({ 'package.json': pkg, 'server.js': server('keepalive') });
    expect(a.stack.heartbeat).toEqual({ present: true, evidence: 'server.js:4', intervalMs: 30000 });
    const bare = server('x').replace("ws.send(JSON.stringify({ type: 'x' }))", "ws.send('keepalive')");
    const b = await analyze({ 'package.json': pkg, 'server.js': bare });
    expect(b.stack.heartbeat).toEqual({ present: true, evidence: 'server.js:4', intervalMs: 30000 });
  });

  it('a client that sends on a timer is no server message', async () => {
    const client = "const ws = new WebSocket('/ws');\nsetInterval(() => ws.send(JSON.stringify({ type: 'presence' })), 5000);\n";
    const a = await analyze({ 'package.json': pkg, 'public/app.js': client });
    expect(a.stack.heartbeat).toEqual({ present: false, evidence: null });
  });

  it('a frame bound to a const and sent to every client on a timer is one', async () => {
    const bound =
      "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nsetInterval(() => {\n  const frame = JSON.stringify({ type: 'tick' });\n  for (const c of wss.clients) c.send(frame);\n}, 1000);\n";
    const a = await analyze({ 'package.json': pkg, 'server.js': bound });
    expect(a.stack.heartbeat).toEqual({ present: false, evidence: null, timedSend: { name: 'tick', evidence: 'server.js:3', intervalMs: 1000 } });
  });

  it('a stringify logged or published to Redis on a timer reaches no socket', async () => {
    const logged =
      "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nsetInterval(() => {\n  console.log(JSON.stringify({ type: 'metrics', n: wss.clients.size }));\n  redis.publish('ticks', JSON.stringify({ type: 'tick' }));\n}, 10000);\n";
    const a = await analyze({ 'package.json': pkg, 'server.js': logged });
    expect(a.stack.heartbeat).toEqual({ present: false, evidence: null });
  });
});
