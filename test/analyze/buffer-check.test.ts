// model fact buffer-check: a send guarded by the same socket's queued bytes.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'x', dependencies: { ws: '^8.0.0' } });

async function facts(body: string) {
  const server = [
    "import { WebSocketServer } from 'ws';",
    'const wss = new WebSocketServer({ port: 8080 });',
    'export function broadcast(frame: string): void {',
    '  for (const ws of wss.clients) {',
    `    ${body}`,
    '  }',
    '}',
    '',
  ].join('\n');
  const a = await analyzeTree({ 'package.json': PKG, 'src/server.ts': server });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'buffer-check').map((f) => [f.name, f.evidence]);
}

describe('buffer-check', () => {
  it('a send skipped by the socket it would queue on', async () => {
    expect(await facts('if (ws.bufferedAmount > 1_048_576) continue; ws.send(frame);')).toEqual([['ws.bufferedAmount', 'src/server.ts:5']]);
  });
  it('not a read of some other socket than the one sent on', async () => {
    expect(await facts('console.log(other.bufferedAmount); ws.send(frame);')).toEqual([]);
  });
});
