// Per-file detectors on source strings: no disk, exact values.
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeEvents } from '../../src/analyze/code/merge.js';
import { loadParser, parseFile } from '../../src/analyze/code/parse.js';
import { analyzeFacts } from '../../src/analyze/code/scan.js';

beforeAll(loadParser);

function analyze(code: string, file = 'src/x.ts', sio: 'server' | 'client' | null = null) {
  const lang = /\.tsx$/.test(file) ? 'tsx' : /\.ts$/.test(file) ? 'ts' : 'jsx';
  return analyzeFacts(parseFile(file, [{ code, lang, lineOffset: 0 }]).facts, sio);
}

describe('Socket.IO events', () => {
  it('reads direction, namespace and room on the server', () => {
    const a = analyze(
      [
        "import { Server } from 'socket.io';",
        'const io = new Server(3000);',
        "const admin = io.of('/admin');",
        "admin.on('connection', (s) => {",
        "  s.on('kick', (id) => admin.to('ops').emit('kicked', id));",
        '});',
        "io.on('connection', (socket) => { socket.emit('hello'); socket.on('disconnect', () => {}); });",
      ].join('\n'),
    );
    expect(a.entries.map((e) => [e.kind, e.line])).toEqual([['socket-server', 2]]);
    expect(mergeEvents(a.events)).toEqual([
      // `emit('hello')` with no argument: the message carries nothing besides its name.
      {
        name: 'hello',
        direction: 'server-to-client',
        origin: 'existing',
        evidence: 'src/x.ts:7',
        transport: 'socket.io',
        closed: { evidence: 'src/x.ts:7', fields: [] },
      },
      { name: 'kick', direction: 'client-to-server', origin: 'existing', evidence: 'src/x.ts:5', transport: 'socket.io', namespace: '/admin' },
      { name: 'kicked', direction: 'server-to-client', origin: 'existing', evidence: 'src/x.ts:5', transport: 'socket.io', namespace: '/admin', room: 'ops' },
    ]);
  });

  it('uses the workspace side for handler modules that import neither package', () => {
    const code = "export function register(socket) { socket.on('join', () => {}); socket.emit('joined'); }";
    expect(mergeEvents(analyze(code, 'src/h.js', 'server').events).map((e) => [e.name, e.direction])).toEqual([
      ['join', 'client-to-server'],
      ['joined', 'server-to-client'],
    ]);
    expect(mergeEvents(analyze(code, 'src/h.js', 'client').events).map((e) => [e.name, e.direction])).toEqual([
      ['join', 'server-to-client'],
      ['joined', 'client-to-server'],
    ]);
    expect(analyze(code, 'src/h.js', null).events).toEqual([]);
  });

  it('ignores commented-out code and event names in strings', () => {
    const a = analyze(
      [
        "import { Server } from 'socket.io';",
        "// const io = new Server(3000); io.on('connection', (s) => s.emit('x'));",
        "/* new WebSocket('ws://a?token=1') */",
        'const doc = "io.emit(\'fake\')";',
      ].join('\n'),
    );
    expect(a.entries).toEqual([]);
    expect(a.events).toEqual([]);
    expect(a.signals.auth).toEqual([]);
  });
});

describe('liveness', () => {
  it('finds a ws ping interval through a named constant', () => {
    const a = analyze(
      [
        "import { WebSocketServer } from 'ws';",
        'const EVERY = 15 * 1000;',
        'const wss = new WebSocketServer({ port: 1 });',
        'setInterval(() => { for (const ws of wss.clients) ws.ping(); }, EVERY);',
      ].join('\n'),
    );
    expect(a.signals.heartbeat).toEqual([{ line: 4, intervalMs: 15000, side: 'server' }]);
  });

  it('reads a Socket.IO server pingTimeout next to its pingInterval, and neither where it sets none', () => {
    const set = analyze(
      [
        "import { Server } from 'socket.io';",
        'export const listen = (server, path) =>',
        '  new Server(server, {',
        '    path: `${path}/socket.io`,',
        '    pingInterval: 3000,',
        '    pingTimeout: 7000,',
        '  });',
      ].join('\n'),
    );
    expect(set.signals.heartbeat).toEqual([{ line: 5, intervalMs: 3000, pingTimeoutMs: 7000, side: 'server' }]);
    const unset = analyze(["import { Server } from 'socket.io';", 'const io = new Server(3000);'].join('\n'));
    expect(unset.signals.heartbeat).toEqual([{ line: 2, side: 'server' }]);
  });

  it('does not take a timer that force-closes sockets for a heartbeat', () => {
    const a = analyze(
      [
        "import { WebSocketServer } from 'ws';",
        'const wss = new WebSocketServer({ port: 1 });',
        'setInterval(() => wss.clients.forEach((ws) => ws.terminate()), 60000);',
      ].join('\n'),
    );
    expect(a.signals.heartbeat).toEqual([]);
  });

  it('tells reconnect with backoff and jitter from a fixed-delay retry', () => {
    const good = analyze(
      [
        'let n = 0;',
        'function connect() {',
        "  const ws = new WebSocket('wss://a');",
        '  ws.onclose = () => setTimeout(connect, Math.min(30000, 500 * 2 ** n++) * (0.5 + Math.random()));',
        '}',
      ].join('\n'),
      'src/c.js',
    );
    expect(good.signals.reconnect).toEqual([{ line: 4, backoff: true, jitter: true }]);
    const fixed = analyze("function connect() { const ws = new WebSocket('wss://a'); ws.onclose = () => setTimeout(connect, 1000); }", 'src/c.js');
    expect(fixed.signals.reconnect).toEqual([{ line: 1, backoff: false, jitter: false }]);
    const text = analyze("export const label = (s) => (s === 'reconnecting' ? 'Reconnecting…' : 'Live');", 'src/c.js');
    expect(text.signals.reconnect).toEqual([]);
  });

  it('reads jitter from a Math.random factor in the delay of a timer that reopens an EventSource, also through a variable', () => {
    const src = (delay: string) =>
      [
        'let source;',
        'let retry = 0;',
        'function open() {',
        "  source = new EventSource('/events');",
        "  source.addEventListener('error', () => {",
        '    if (source.readyState !== EventSource.CLOSED) return;',
        `    const delay = ${delay};`,
        '    setTimeout(open, delay);',
        '  });',
        '}',
      ].join('\n');
    const jittered = analyze(src('Math.min(30000, 1000 * 2 ** retry++) * (0.5 + Math.random())'), 'public/s.js');
    expect(jittered.signals.reconnect).toEqual([
      { line: 4, backoff: false, jitter: false, builtin: true },
      { line: 8, backoff: true, jitter: true },
    ]);
    const fixed = analyze(src('5000'), 'public/s.js');
    expect(fixed.signals.reconnect).toEqual([
      { line: 4, backoff: false, jitter: false, builtin: true },
      { line: 8, backoff: false, jitter: false },
    ]);
  });
});

describe('typed JSON messages', () => {
  it('reads switch cases and if-chains on .type with the file side', () => {
    const a = analyze(
      [
        'const ws = new WebSocket("wss://a");',
        'ws.onmessage = (e) => {',
        '  const msg = JSON.parse(e.data);',
        "  switch (msg.type) { case 'welcome': break; case 'tick': break; }",
        "  if (msg.type === 'bye') ws.close();",
        '};',
        "ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', v: 1 }));",
      ].join('\n'),
      'src/c.js',
    );
    expect(mergeEvents(a.events).map((e) => [e.name, e.direction, e.evidence])).toEqual([
      ['bye', 'server-to-client', 'src/c.js:5'],
      ['hello', 'client-to-server', 'src/c.js:7'],
      ['tick', 'server-to-client', 'src/c.js:4'],
      ['welcome', 'server-to-client', 'src/c.js:4'],
    ]);
  });

  it('does not read reducers in files without a socket', () => {
    const a = analyze("export function reducer(s, action) { switch (action.type) { case 'add': return s; } }", 'src/r.js');
    expect(a.events).toEqual([]);
  });
});

describe('a signature over the request and the user id it carries', () => {
  // Keyed by the function the request belongs to, not by its variable name: every Express handler calls it `req`.
  const a = () =>
    analyze(
      [
        "import express from 'express';",
        'const app = express();',
        'function verify(r, res, next) {',
        '  if (r.query.signature !== sign(r.url)) return res.status(401).end();',
        '  next();',
        '}',
        "app.post('/hook', verify, (req, res) => {",
        '  notify(req.query.userId, () => log(req.query.userId));',
        '});',
        "app.get('/stream', (req, res) => {",
        "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
        '  streams.set(req.query.userId, res);',
        '});',
      ].join('\n'),
      'src/routes.js',
    );

  it('says which function each read belongs to: the one that takes its root as a parameter, also from a callback inside it', () => {
    expect(a().signals.clientIdentity).toEqual([
      { line: 8, expr: 'req.query.userId', request: 'req', fnAt: 7 },
      { line: 8, expr: 'req.query.userId', request: 'req', fnAt: 7 },
      { line: 12, expr: 'req.query.userId', request: 'req', fnAt: 10 },
    ]);
  });

  it('signs the request of the route that runs the check before its handler, and no other', () => {
    expect(a().signals.signedRequest).toEqual([
      { line: 4, request: 'r', fnAt: 3 },
      { line: 7, request: 'req', fnAt: 7 },
    ]);
  });
});
