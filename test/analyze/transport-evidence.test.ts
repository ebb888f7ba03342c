// A transport is the project's only where the package always uses it or the code chooses it: a client
// SDK that can fall back to SSE (centrifuge-js lists its transports only when the code passes a list)
// connects over WebSocket by default, so its package alone says WebSocket.
// https://centrifugal.dev/docs/transports/client_sdk
import { describe, expect, it } from 'vitest';
import { analyzeTree as analyze } from './tree.js';

const PKG = JSON.stringify({ name: 'x', type: 'module', dependencies: { centrifuge: '5.2.2' } });

describe('transports need evidence', () => {
  it('new Centrifuge(url, { getToken }): WebSocket only, no SSE', async () => {
    const a = await analyze({
      'package.json': PKG,
      'src/realtime.ts':
        "import { Centrifuge } from 'centrifuge';\nexport const client = new Centrifuge('wss://rt.example.com/connection/websocket', { getToken: async () => '' });\nclient.connect();\n",
    });
    expect(a.stack.transports).toEqual(['websocket']);
  });

  it('the package declared with no code using it: no transport', async () => {
    const a = await analyze({ 'package.json': PKG, 'src/index.ts': 'export const x = 1;\n' });
    expect(a.stack.transports).toEqual([]);
  });

  it('a transport list naming sse adds SSE', async () => {
    const a = await analyze({
      'package.json': PKG,
      'src/realtime.ts':
        "import { Centrifuge } from 'centrifuge';\nexport const client = new Centrifuge([\n  { transport: 'websocket', endpoint: 'wss://rt.example.com/connection/websocket' },\n  { transport: 'sse', endpoint: 'https://rt.example.com/connection/sse' },\n]);\nclient.connect();\n",
    });
    expect(a.stack.transports).toEqual(['sse', 'websocket']);
  });

  it('a transport list without sse: WebSocket only', async () => {
    const a = await analyze({
      'package.json': PKG,
      'src/realtime.ts':
        "import { Centrifuge } from 'centrifuge';\nexport const client = new Centrifuge([{ transport: 'websocket', endpoint: 'wss://rt.example.com/connection/websocket' }]);\nclient.connect();\n",
    });
    expect(a.stack.transports).toEqual(['websocket']);
  });
});
