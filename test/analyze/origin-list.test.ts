// An `origin` list holding '*' is no Origin allow-list: the handshake still accepts any site.
import { ruleTester } from './rule-tester.js';

const ioServer = (origin: string): string =>
  [
    "const { Server } = require('socket.io');",
    `const io = new Server(3000, { cors: { credentials: true, origin: ${origin} } });`,
    "io.on('connection', (socket) => {});",
  ].join('\n');

ruleTester('no-origin-check', {
  valid: [{ name: 'a Socket.IO server whose cors.origin lists the sites', files: { 'server.js': ioServer("['https://a.example', 'https://b.example']") } }],
  invalid: [
    {
      name: "a Socket.IO server whose cors.origin is ['*']",
      files: { 'server.js': ioServer("['*']") },
      errors: ['server.js:2'],
    },
    {
      name: "a uWebSockets.js server next to default options whose cors.origin is ['*'] (a Pusher-protocol server's HTTP API)",
      files: {
        'server.js': [
          "const uWS = require('uWebSockets.js');",
          "const defaults = Object.assign({}, { cors: { credentials: true, origin: ['*'], methods: ['GET', 'POST'] } });",
          'const app = uWS.App();',
          "app.ws('/app/:id', { idleTimeout: 120, message: (ws, message) => ws.send(message) });",
          'app.listen(6001, () => {});',
          "process.on('uncaughtException', (err, origin) => console.error({ err, origin }));",
          'module.exports = { app, defaults };',
        ].join('\n'),
      },
      errors: ['server.js:4'],
    },
  ],
});
