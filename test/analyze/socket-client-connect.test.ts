// The Socket.IO client's io() call as the plan's client snippet repeats it: its URL as written,
// whether it is the page's own origin, the namespace its URL names, and its literal options.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const pkg = JSON.stringify({ name: 'chat', dependencies: { 'socket.io': '^4.8.1', 'socket.io-client': '^4.8.1' } });
const server =
  "const { Server } = require('socket.io');\nconst io = new Server(3000);\nio.on('connection', (s) => s.on('chatMessage', (m) => io.emit('message', m)));\n";

async function connectOf(client: string) {
  const a = await analyzeTree({ 'package.json': pkg, 'server.js': server, 'web/client.js': client });
  return a.stack.socketClient;
}

describe('the Socket.IO client connect call', () => {
  it('io({…}) without a URL is the page origin and the main namespace', async () => {
    expect(await connectOf("import { io } from 'socket.io-client';\nconst socket = io({ query: { token: 't' } });\n")).toEqual({
      evidence: 'web/client.js:2',
      sameOrigin: true,
      options: [],
    });
  });

  it('a template URL keeps its expression and names the namespace after it, with the literal options', async () => {
    expect(
      await connectOf(
        "import { io } from 'socket.io-client';\nexport const socket = io(`${import.meta.env.VITE_API_URL}/support`, {\n  autoConnect: false,\n  transports: ['websocket'],\n});\n",
      ),
    ).toEqual({
      evidence: 'web/client.js:2',
      url: '`${import.meta.env.VITE_API_URL}/support`',
      sameOrigin: false,
      namespace: '/support',
      options: [{ key: 'autoConnect', value: 'false' }],
    });
  });

  it('an absolute URL names its path as the namespace; a path alone is the page origin', async () => {
    expect(await connectOf("import { io } from 'socket.io-client';\nconst socket = io('https://chat.example.com/chat');\n")).toEqual({
      evidence: 'web/client.js:2',
      url: "'https://chat.example.com/chat'",
      sameOrigin: false,
      namespace: '/chat',
      options: [],
    });
    expect(await connectOf("import { io } from 'socket.io-client';\nconst socket = io('/admin', { path: '/rt' });\n")).toEqual({
      evidence: 'web/client.js:2',
      url: "'/admin'",
      sameOrigin: true,
      namespace: '/admin',
      options: [{ key: 'path', value: "'/rt'" }],
    });
  });

  it('window.location.origin is the page origin; an env URL is neither same-origin nor a known namespace', async () => {
    expect(
      await connectOf(
        "import { io } from 'socket.io-client';\nconst base = '/t';\nconst socket = io(window.location.origin, { path: `${base}/socket.io`, auth: (cb) => cb({}) });\n",
      ),
    ).toEqual({
      evidence: 'web/client.js:3',
      url: 'window.location.origin',
      sameOrigin: true,
      options: [{ key: 'path', value: "'/t/socket.io'" }],
    });
    expect(await connectOf("import { io } from 'socket.io-client';\nconst socket = io(import.meta.env.VITE_API_URL);\n")).toEqual({
      evidence: 'web/client.js:2',
      url: 'import.meta.env.VITE_API_URL',
      sameOrigin: false,
      options: [],
    });
  });

  it('is absent when two clients connect differently', async () => {
    const a = await analyzeTree({
      'package.json': pkg,
      'server.js': server,
      'web/a.js': "import { io } from 'socket.io-client';\nconst a = io('/a');\n",
      'web/b.js': "import { io } from 'socket.io-client';\nconst b = io('/b');\n",
    });
    expect(a.stack.socketClient).toBeUndefined();
  });

  // A credential in the URL never reaches a plan: the query, fragment and userinfo are left out.
  it('a URL with a query string or userinfo is kept without them, and says so', async () => {
    expect(
      await connectOf(
        "import { io } from 'socket.io-client';\nconst socket = io('https://rt.example.com/board?token=8f3a9c1e77b24d0a9e5f6c3b2a1d0e9f8c7b6a5d', { autoConnect: false });\n",
      ),
    ).toEqual({
      evidence: 'web/client.js:2',
      url: "'https://rt.example.com/board'",
      urlQueryDropped: true,
      sameOrigin: false,
      namespace: '/board',
      options: [{ key: 'autoConnect', value: 'false' }],
    });
    expect(await connectOf("import { io } from 'socket.io-client';\nconst socket = io('https://bob:hunter2hunter2@rt.example.com/chat#x');\n")).toEqual({
      evidence: 'web/client.js:2',
      url: "'https://rt.example.com/chat'",
      urlQueryDropped: true,
      sameOrigin: false,
      namespace: '/chat',
      options: [],
    });
    expect(await connectOf("import { io } from 'socket.io-client';\nconst socket = io(`${API_URL}/support?token=${token}&v=2`);\n")).toEqual({
      evidence: 'web/client.js:2',
      url: '`${API_URL}/support`',
      urlQueryDropped: true,
      sameOrigin: false,
      namespace: '/support',
      options: [],
    });
  });
});
