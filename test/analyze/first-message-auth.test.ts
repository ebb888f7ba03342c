// A server that authenticates by the first message (an `auth` listener that refuses bad credentials
// and registers the other listeners only once they pass) has connection auth, at that listener.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const pkg = JSON.stringify({ name: 'bouncer', dependencies: { 'socket.io': '^4.8.1' } });

describe('authentication by the first message', () => {
  it('is read through a named handler, closures and a function that registers the listeners', async () => {
    const a = await analyzeTree({
      'package.json': pkg,
      'src/server.js': [
        "const io = require('socket.io')(3000);",
        "io.on('connect', (socket) => {",
        "  socket.on('auth', login);",
        '});',
        'function login(data) {',
        '  const socket = this;',
        '  const done = (ok) => {',
        '    if (!ok) {',
        "      socket.emit('auth', { success: false });",
        '      return;',
        '    }',
        '    attach(socket);',
        '  };',
        '  check(data.user, data.password, done);',
        '}',
        'function attach(socket) {',
        "  socket.on('input', (d) => socket.emit('msg', d));",
        '}',
      ].join('\n'),
    });
    expect(a.stack.auth).toEqual([{ kind: 'first-message', evidence: 'src/server.js:3' }]);
    expect(a.findings.filter((f) => f.id === 'no-handshake-auth').map((f) => [f.evidence, f.message])).toEqual([
      [
        'src/server.js:1',
        'Connections are accepted without authentication at the handshake; the first message authenticates them (src/server.js:3) before any other handler is registered',
      ],
    ]);
  });

  it('is not read where the handler refuses nothing, registers nothing, or is no sign-in', async () => {
    const a = await analyzeTree({
      'package.json': pkg,
      'src/server.js': [
        "const io = require('socket.io')(3000);",
        "io.on('connection', (socket) => {",
        "  socket.on('auth', (d) => { socket.on('input', () => {}); });",
        "  socket.on('login', (d) => { if (!d) return; socket.emit('ok'); });",
        "  socket.on('join', (d) => { if (!d) return; socket.on('leave', () => {}); });",
        '});',
      ].join('\n'),
    });
    expect(a.stack.auth).toEqual([{ kind: 'none', evidence: 'src/server.js:1' }]);
  });
});
