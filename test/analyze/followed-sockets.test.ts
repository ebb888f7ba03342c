// Issue 9 points without a fixture of their own: a socket handed to a React component as a
// prop, a socket kept in a class field, and a Fastify `onRequest` hook that verifies the token
// before the WebSocket route (a handshake check, so no-handshake-auth stays silent).
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';
import { ruleTester } from './rule-tester.js';

const SIO = JSON.stringify({ name: 'c', dependencies: { react: '18.3.1', 'socket.io-client': '4.8.1' } });

describe('sockets followed where they are handed', () => {
  it('a prop: the component emits on the socket its parent created', async () => {
    const a = await analyzeTree({
      'package.json': SIO,
      'src/App.tsx':
        "import { io } from 'socket.io-client';\nimport { Composer } from './Composer';\nconst socket = io('https://chat.example.com');\nexport function App() {\n  return <Composer socket={socket} />;\n}\n",
      'src/Composer.tsx':
        "import type { Socket } from 'socket.io-client';\nexport function Composer({ socket }: { socket: Socket }) {\n  return <button onClick={() => socket.emit('message:send', { text: 'hi' })}>send</button>;\n}\n",
    });
    expect(a.events.map((e) => `${e.name} ${e.direction} ${e.evidence}`)).toEqual(['message:send client-to-server src/Composer.tsx:3']);
  });

  it('a class field: sends and dispatches through this.ws', async () => {
    const a = await analyzeTree({
      'package.json': JSON.stringify({ name: 'k' }),
      'src/feed.ts':
        "export class Feed {\n  private ws!: WebSocket;\n  open() {\n    this.ws = new WebSocket('wss://feed.example.com');\n    this.ws.onopen = () => this.ws.send(JSON.stringify({ type: 'subscribe', topic: 'prices' }));\n    this.ws.onmessage = (e) => {\n      const msg = JSON.parse(e.data);\n      if (msg.type === 'tick') console.log(msg.price);\n    };\n  }\n}\n",
    });
    expect(a.events.map((e) => `${e.name} ${e.direction} ${e.evidence}`)).toEqual([
      'subscribe client-to-server src/feed.ts:5',
      'tick server-to-client src/feed.ts:8',
    ]);
  });
});

const FASTIFY = JSON.stringify({ name: 'f', type: 'module', dependencies: { fastify: '4.28.1', '@fastify/websocket': '10.0.1', '@fastify/jwt': '8.0.1' } });
const SERVER = (hook: string): string =>
  `import Fastify from 'fastify';\nimport websocket from '@fastify/websocket';\nconst app = Fastify();\nawait app.register(websocket);\n${hook}app.register(async (f) => {\n  f.get('/live', { websocket: true }, (socket) => {\n    socket.on('message', (m) => socket.send(m));\n  });\n});\nawait app.listen({ port: 3000 });\n`;

ruleTester('no-handshake-auth', {
  valid: [
    {
      name: 'a Fastify onRequest hook verifies the JWT before the upgrade',
      files: { 'package.json': FASTIFY, 'src/server.js': SERVER("app.addHook('onRequest', async (req) => {\n  await req.jwtVerify();\n});\n") },
    },
  ],
  invalid: [{ name: 'no hook, no check in the route', files: { 'package.json': FASTIFY, 'src/server.js': SERVER('') }, errors: ['src/server.js:6'] }],
});
