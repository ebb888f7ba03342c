// A server that speaks the Pusher protocol accepts connections anonymously by design: private and
// presence channels are authorized per subscription (https://pusher.com/docs/channels/library_auth_reference/auth-signatures/).
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'p', dependencies: { ws: '8.18.0' } });
const server = (event: string): string =>
  `import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 6001 });\nwss.on('connection', (ws) => {\n  ws.send(JSON.stringify({ event: '${event}', data: JSON.stringify({ socket_id: '1.1' }) }));\n});\n`;

describe('no-handshake-auth on a Pusher-protocol server', () => {
  it('says the handshake is anonymous by the protocol, at info severity, and that the subscription signature was not read', async () => {
    const a = await analyzeTree({ 'package.json': PKG, 'server.js': server('pusher:connection_established') });
    expect(a.findings.filter((f) => f.id === 'no-handshake-auth').map((f) => [f.severity, f.evidence, f.message, f.source])).toEqual([
      [
        'info',
        'server.js:2',
        'Connections are accepted without authentication at the handshake, as the Pusher protocol it speaks (`pusher:connection_established` at server.js:4) has it: only private- and presence- channel subscriptions are authorized, by the `auth` signature of `pusher:subscribe`; rt-plan does not read whether that signature is verified',
        'https://pusher.com/docs/channels/library_auth_reference/auth-signatures/',
      ],
    ]);
  });

  it('stays a high finding on a server with its own protocol', async () => {
    const a = await analyzeTree({ 'package.json': PKG, 'server.js': server('connection_established') });
    expect(a.findings.filter((f) => f.id === 'no-handshake-auth').map((f) => [f.severity, f.message])).toEqual([
      ['high', 'Connections are accepted without any authentication check at the handshake'],
    ]);
  });
});
