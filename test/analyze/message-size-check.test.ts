// model fact message-size-check: a message handler that lets through only frames up to a size.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'x', dependencies: { ws: '^8.0.0' } });

async function facts(handler: string) {
  const server = [
    "import { WebSocketServer } from 'ws';",
    'const wss = new WebSocketServer({ port: 8080 });',
    handler,
    "wss.on('connection', (ws) => ws.on('message', (raw) => onMessage(ws, String(raw))));",
    '',
  ].join('\n');
  const a = await analyzeTree({ 'package.json': PKG, 'src/server.ts': server });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'message-size-check').map((f) => [f.name, f.value, f.evidence]);
}

describe('message-size-check', () => {
  it('a check of one field of the parsed message is a field cap, not a frame cap', async () => {
    expect(await facts('function onMessage(ws: unknown, msg: { text: string }) { if (msg.text.length > 2000) return; }')).toEqual([]);
  });
  it('a length check in the message handler is its cap', async () => {
    expect(await facts('function onMessage(ws: unknown, raw: string) { if (raw.length > 4096) return; }')).toEqual([['raw.length', '4096', 'src/server.ts:3']]);
  });
  it('not a length check in some other function', async () => {
    expect(await facts('function onMessage(ws: unknown, raw: string) {}\nfunction trim(s: string) { if (s.length > 4096) return s.slice(0, 4096); }')).toEqual(
      [],
    );
  });
});
