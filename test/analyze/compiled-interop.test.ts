// Server code compiled to CommonJS by Babel, tsc, SWC or esbuild reaches its imports through an
// interop helper (`_interopRequireDefault(require('socket.io'))`) and calls them as `(0, _socket["default"])(server)`:
// the same servers as the source's `import io from 'socket.io'; io(server)`.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const sio = JSON.stringify({ name: 'machine', dependencies: { 'socket.io': '^4.8.1' } });
const ws = JSON.stringify({ name: 'feed', dependencies: { ws: '^8.18.0' } });
const entries = (a: Awaited<ReturnType<typeof analyzeTree>>): string[] => a.stack.entrypoints.map((e) => `${e.kind} ${e.file}:${e.line}`);

describe('a compiled default import of socket.io', () => {
  it('is a Socket.IO server as Babel emits it, with the events its connection handler listens to', async () => {
    const a = await analyzeTree({
      'package.json': sio,
      'lib/engine.js': [
        '"use strict";',
        'var _socket = _interopRequireDefault(require("socket.io"));',
        'function _interopRequireDefault(e) { return e && e.__esModule ? e : { "default": e }; }',
        'class Engine {',
        '  start(server) {',
        '    this.io = (0, _socket["default"])(server, { path: "/socket.io" });',
        "    this.io.on('connection', function (socket) {",
        "      socket.on('list', function () { socket.emit('port:list', []); });",
        '    });',
        '  }',
        '}',
        'exports["default"] = Engine;',
      ].join('\n'),
    });
    expect(entries(a)).toEqual(['socket-server lib/engine.js:6']);
    expect(a.events.map((e) => `${e.direction} ${e.name}`).sort()).toEqual(['client-to-server list', 'server-to-client port:list']);
  });

  it('is a Socket.IO server as tsc emits it (__importDefault) and as a named import', async () => {
    const a = await analyzeTree({
      'package.json': sio,
      'lib/a.js': [
        '"use strict";',
        'const socket_io_1 = __importDefault(require("socket.io"));',
        'const io = (0, socket_io_1.default)(3000);',
        "io.on('connection', (s) => s.emit('hello', 1));",
      ].join('\n'),
      'lib/b.js': [
        '"use strict";',
        'const tslib_1 = require("tslib");',
        'const sio = tslib_1.__importStar(require("socket.io"));',
        'const io = new sio.Server(3001);',
      ].join('\n'),
    });
    expect(entries(a)).toEqual(['socket-server lib/a.js:3', 'socket-server lib/b.js:4']);
  });

  it('is not read into a helper of another module, nor into a local call of the same shape', async () => {
    const a = await analyzeTree({
      'package.json': sio,
      'lib/c.js': [
        '"use strict";',
        'var _logger = _interopRequireDefault(require("./logger"));',
        'var log = (0, _logger["default"])("engine");',
        'log.info("up");',
      ].join('\n'),
    });
    expect(entries(a)).toEqual([]);
  });
});

describe('a compiled arrow function', () => {
  it("reads `_this` (Babel's and tsc's capture of `this`) as `this`: the room broadcast reaches the server's clients", async () => {
    const a = await analyzeTree({
      'package.json': sio,
      'lib/engine.js': [
        '"use strict";',
        'var _socket = _interopRequireDefault(require("socket.io"));',
        'var Engine = { start: function start(server) {',
        '  var _this = this;',
        '  this.io = (0, _socket["default"])(server);',
        "  this.io.on('connection', function (socket) {",
        "    socket.on('command', function (room) { _this.io.to(room).emit('state', { room: room }); });",
        '  });',
        '} };',
      ].join('\n'),
    });
    expect(a.events.map((e) => `${e.direction} ${e.name} ${e.evidence}`).sort()).toEqual([
      'client-to-server command lib/engine.js:7',
      'server-to-client state lib/engine.js:7',
    ]);
  });
});

describe('a handshake middleware made by a factory', () => {
  it('is an auth gate where the factory names authentication, and not otherwise', async () => {
    const tree = (factory: string) =>
      analyzeTree({
        'package.json': sio,
        'lib/engine.js': [
          '"use strict";',
          'var _socket = _interopRequireDefault(require("socket.io"));',
          'var _mw = _interopRequireDefault(require("./mw"));',
          'var io = (0, _socket["default"])(3000);',
          `io.use(${factory}({ secret: process.env.SECRET, handshake: true }));`,
        ].join('\n'),
      });
    const gated = await tree('_mw["default"].authorize');
    expect([gated.stack.auth, gated.stack.authGate]).toEqual([[], 'lib/engine.js:5']);
    // A local module's factory names no package: nothing is said of what it does.
    expect(gated.stack.authGateFrom).toBeUndefined();
    expect((await tree('_mw["default"].rateLimit')).stack.auth).toEqual([{ kind: 'none', evidence: 'lib/engine.js:4' }]);
  });
});

describe('a handshake middleware made by a package', () => {
  it('names the package its factory is imported from, compiled or not', async () => {
    const compiled = await analyzeTree({
      'package.json': sio,
      'lib/engine.js': [
        '"use strict";',
        'var _socket = _interopRequireDefault(require("socket.io"));',
        'var _socketioJwt = _interopRequireDefault(require("socketio-jwt"));',
        'var io = (0, _socket["default"])(3000);',
        'io.use(_socketioJwt["default"].authorize({ secret: process.env.SECRET, handshake: true }));',
      ].join('\n'),
    });
    expect([compiled.stack.authGate, compiled.stack.authGateFrom]).toEqual(['lib/engine.js:5', 'socketio-jwt']);
    const esm = await analyzeTree({
      'package.json': sio,
      'src/server.js': [
        "import { Server } from 'socket.io';",
        "import socketioJwt from 'socketio-jwt';",
        'const io = new Server(3000);',
        'io.use(socketioJwt.authorize({ secret: process.env.SECRET, handshake: true }));',
      ].join('\n'),
    });
    expect([esm.stack.authGate, esm.stack.authGateFrom]).toEqual(['src/server.js:4', 'socketio-jwt']);
  });

  it('is kept beside a query token it may consume, with the decodedPropertyName its options set', async () => {
    const a = await analyzeTree({
      'package.json': sio,
      'src/server.js': [
        "import { Server } from 'socket.io';",
        "import socketioJwt from 'socketio-jwt';",
        'const io = new Server(3000);',
        "io.use(socketioJwt.authorize({ secret: process.env.SECRET, handshake: true, decodedPropertyName: 'user' }));",
      ].join('\n'),
      'src/client.js': ["import { io } from 'socket.io-client';", "const socket = io('https://rt.example.com', { query: { token: localStorage.jwt } });"].join(
        '\n',
      ),
    });
    const { auth, authGate, authGateFrom, authGateProperty } = a.stack;
    expect({ auth, authGate, authGateFrom, authGateProperty }).toEqual({
      auth: [{ kind: 'jwt-query', evidence: 'src/client.js:2' }],
      authGate: 'src/server.js:4',
      authGateFrom: 'socketio-jwt',
      authGateProperty: 'user',
    });
    const unread = await analyzeTree({
      'package.json': sio,
      'src/server.js': [
        "import { Server } from 'socket.io';",
        "import socketioJwt from 'socketio-jwt';",
        'const io = new Server(3000);',
        'io.use(socketioJwt.authorize({ secret: process.env.SECRET, handshake: true, decodedPropertyName: process.env.PROP }));',
      ].join('\n'),
    });
    expect(unread.stack.authGateProperty).toBeNull();
  });
});

describe('a compiled import of ws', () => {
  it('is a WebSocket server as a named import, a default import and an inline require', async () => {
    const a = await analyzeTree({
      'package.json': ws,
      'lib/a.js': ['"use strict";', 'var _ws = require("ws");', 'var wss = new _ws.WebSocketServer({ port: 8080 });'].join('\n'),
      'lib/b.js': ['"use strict";', 'var _ws = _interopRequireDefault(require("ws"));', 'var wss = new _ws["default"].Server({ port: 8081 });'].join('\n'),
      'lib/c.js': ['"use strict";', 'var wss = new (_interopRequireDefault(require("ws"))["default"].Server)({ port: 8082 });'].join('\n'),
      'lib/d.js': ['"use strict";', 'const wss = new (require("ws").Server)({ port: 8083 });'].join('\n'),
    });
    expect(entries(a)).toEqual(['ws-server lib/a.js:3', 'ws-server lib/b.js:3', 'ws-server lib/c.js:2', 'ws-server lib/d.js:2']);
  });
});

describe('Redis pub/sub on the fields of a class', () => {
  it('is read where the class sets the fields to ioredis clients and publishes on a computed channel', async () => {
    const a = await analyzeTree({
      'package.json': JSON.stringify({ name: 'relay', dependencies: { ws: '^8.18.0', ioredis: '^5.4.1' } }),
      'lib/bus.js': [
        '"use strict";',
        'const ioredis_1 = require("ioredis");',
        'class Bus {',
        '  init(opts) {',
        '    this.sub = opts.cluster ? new ioredis_1.Cluster(opts.nodes) : new ioredis_1.default(opts);',
        '    this.pub = new ioredis_1.default(opts);',
        '    this.sub.subscribe(this.channel, () => {});',
        '  }',
        '  send(channel, data) {',
        '    this.pub.publish(channel, data);',
        '  }',
        '}',
        'exports.Bus = Bus;',
      ].join('\n'),
      'lib/other.js': ['"use strict";', 'class Feed {', '  init() { this.pub = new Map(); }', '  send(c, d) { this.pub.publish(c, d); }', '}'].join('\n'),
    });
    expect(a.stack.scaling).toEqual([{ name: 'redis-pubsub', evidence: 'lib/bus.js:7' }]);
  });
});
