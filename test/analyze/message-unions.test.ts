// Payloads from declared message unions (model/message-unions.ts): a `type`-discriminated union
// named as messages completes an event whose sites name only some of its fields; an unrelated
// union, or two declarations of one `type` that disagree, complete nothing.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'x', dependencies: { ws: '^8.0.0' } });
const SERVER = [
  "import { WebSocketServer } from 'ws';",
  "import type { ServerFrame } from './types';",
  'const wss = new WebSocketServer({ port: 8080 });',
  "wss.on('connection', (ws) => {",
  "  ws.on('message', (raw) => {",
  '    const msg = JSON.parse(String(raw));',
  "    if (msg.type === 'chat.send') {",
  '      const out: ServerFrame = makeFrame(msg.text);',
  '      for (const c of wss.clients) c.send(JSON.stringify(out));',
  '    }',
  '  });',
  '});',
  'declare function makeFrame(text: string): ServerFrame;',
  '',
].join('\n');
const CLIENT = [
  "const ws = new WebSocket('wss://example.test/ws');",
  "ws.addEventListener('message', (e) => {",
  '  const msg = JSON.parse(e.data);',
  '  switch (msg.type) {',
  "    case 'chat.new':",
  '      render(msg.from, msg.text);',
  '      break;',
  '  }',
  '});',
  "ws.send(JSON.stringify({ type: 'chat.send', text: 'hi' }));",
  'declare function render(a: unknown, b: unknown): void;',
  '',
].join('\n');

async function chatNew(types: string) {
  const a = await analyzeTree({ 'package.json': PKG, 'src/server.ts': SERVER, 'src/types.ts': types, 'web/client.ts': CLIENT });
  return a.events.find((e) => e.name === 'chat.new');
}

describe('declared message unions', () => {
  it('complete the payload of an event a handler reads only part of, cited at the member', async () => {
    const e = await chatNew(
      [
        'export type ServerFrame =',
        "  | { type: 'chat.new'; id: string; from: string; text: string; at: number }",
        "  | { type: 'typing'; name: string };",
        '',
      ].join('\n'),
    );
    expect(e?.closed).toEqual({ evidence: 'src/types.ts:2', fields: ['id', 'from', 'text', 'at'] });
    expect(e?.payload?.map((f) => [f.name, f.type, f.optional ?? false])).toEqual([
      ['id', 'string', false],
      ['from', 'string', false],
      ['text', 'string', false],
      ['at', 'number', false],
    ]);
  });

  it('an union not named as messages (a reducer action) completes nothing', async () => {
    const e = await chatNew(
      [
        'export type ServerFrame = { kind: string };',
        "export type Action = { type: 'chat.new'; id: string; from: string; text: string } | { type: 'reset' };",
        '',
      ].join('\n'),
    );
    expect(e?.closed).toBeUndefined();
  });

  it('two declarations of one type with different fields complete nothing', async () => {
    const e = await chatNew(
      [
        "export type ServerFrame = { type: 'chat.new'; id: string; text: string } | { type: 'typing'; name: string };",
        "export type LegacyFrame = { type: 'chat.new'; body: string } | { type: 'bye' };",
        '',
      ].join('\n'),
    );
    expect(e?.closed).toBeUndefined();
  });
});
