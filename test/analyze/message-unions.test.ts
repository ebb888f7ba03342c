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

// A `{ type, payload }` envelope: the client's wrapper puts its argument under `payload`, the server
// reads `msg.payload.symbols`, and a zod schema of the inbound messages declares each one.
const ENVELOPE_PKG = JSON.stringify({ name: 'e', type: 'module', dependencies: { ws: '^8.0.0', zod: '^3.23.0' } });
const PROTOCOL = [
  "import { z } from 'zod';",
  'export const MessageType = { Subscribe: "subscribe", Unsubscribe: "unsubscribe" } as const;',
  'const inbound = z.discriminatedUnion("type", [',
  '  z.object({ type: z.literal(MessageType.Subscribe), payload: z.object({ symbols: z.array(z.string().max(12)).max(50), depth: z.number().optional() }) }),',
  "  z.object({ type: z.literal('unsubscribe'), payload: z.object({ symbols: z.array(z.string()) }) }),",
  ']);',
  'export function parseInbound(raw: string) { const r = inbound.safeParse(JSON.parse(raw)); return r.success ? r.data : null; }',
  '',
].join('\n');
const ENVELOPE_SERVER = [
  "import { WebSocketServer } from 'ws';",
  "import { MessageType, parseInbound } from './protocol.js';",
  'const wss = new WebSocketServer({ port: 8080 });',
  "wss.on('connection', (ws) => {",
  "  ws.on('message', (data) => {",
  '    const msg = parseInbound(data.toString());',
  '    if (!msg) return;',
  '    switch (msg.type) {',
  '      case MessageType.Subscribe:',
  '        watch(msg.payload.symbols);',
  '        break;',
  '      case MessageType.Unsubscribe:',
  '        unwatch(msg.payload.symbols);',
  '        break;',
  '    }',
  '  });',
  '});',
  'declare function watch(s: unknown): void;',
  'declare function unwatch(s: unknown): void;',
  '',
].join('\n');
const ENVELOPE_CLIENT = [
  "import { MessageType } from '../src/protocol';",
  'export class Market {',
  '  private ws = new WebSocket("wss://example.test/ws");',
  '  private readonly symbols = new Set<string>();',
  '  resubscribe(): void {',
  '    this._send(MessageType.Subscribe, { symbols: [...this.symbols] });',
  '  }',
  '  unwatch(symbols: string[]): void {',
  '    this._send(MessageType.Unsubscribe, { symbols });',
  '  }',
  '  private _send(type: string, payload: unknown): void {',
  '    this.ws.send(JSON.stringify({ type, payload }));',
  '  }',
  '}',
  '',
].join('\n');

describe('envelope payloads', () => {
  it('nests a wrapper argument under the key the server reads, typed by the zod schema of the inbound messages', async () => {
    const a = await analyzeTree({
      'package.json': ENVELOPE_PKG,
      'src/protocol.ts': PROTOCOL,
      'src/server.ts': ENVELOPE_SERVER,
      'web/market.ts': ENVELOPE_CLIENT,
    });
    const shape = (name: string) => {
      const e = a.events.find((x) => x.name === name);
      return { payload: e?.payload, closed: e?.closed };
    };
    expect(shape('subscribe')).toEqual({
      payload: [
        {
          name: 'payload',
          type: 'Record<string, unknown>',
          description: 'inferred from src/protocol.ts:4',
          fields: [
            { name: 'symbols', type: 'string[]' },
            { name: 'depth', type: 'number' },
          ],
        },
      ],
      closed: { evidence: 'src/protocol.ts:4', fields: ['payload'] },
    });
    expect(shape('unsubscribe')).toEqual({
      payload: [
        {
          name: 'payload',
          type: 'Record<string, unknown>',
          description: 'inferred from src/protocol.ts:5',
          fields: [{ name: 'symbols', type: 'string[]' }],
        },
      ],
      closed: { evidence: 'src/protocol.ts:5', fields: ['payload'] },
    });
  });

  it('without the schema, still nests under `payload`; an `{ event, data }` framing whose handlers get `data` stays flat', async () => {
    const a = await analyzeTree({
      'package.json': ENVELOPE_PKG,
      'src/protocol.ts':
        'export const MessageType = { Subscribe: "subscribe", Unsubscribe: "unsubscribe" } as const;\nexport function parseInbound(raw: string): any { return JSON.parse(raw); }\n',
      'src/server.ts': ENVELOPE_SERVER,
      'web/market.ts': ENVELOPE_CLIENT,
    });
    expect(a.events.find((x) => x.name === 'unsubscribe')?.payload).toEqual([
      {
        name: 'payload',
        type: 'Record<string, unknown>',
        description: 'inferred from src/server.ts:13, web/market.ts:9',
        fields: [{ name: 'symbols', type: 'string[]' }],
      },
    ]);
    const flat = await analyzeTree({
      'package.json': ENVELOPE_PKG,
      'src/server.ts':
        "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nconst handlers = { 'note:join': (ws, data: { noteId: string }) => {} };\nwss.on('connection', (ws) => {\n  ws.on('message', (raw) => {\n    const { event, data } = JSON.parse(String(raw));\n    handlers[event]?.(ws, data);\n  });\n});\n",
      'web/client.ts':
        "const ws = new WebSocket('wss://example.test/ws');\nfunction send(event: string, data: unknown) {\n  ws.send(JSON.stringify({ event, data }));\n}\nsend('note:join', { noteId: 'n1' });\n",
    });
    expect(flat.events.find((x) => x.name === 'note:join')?.payload).toEqual([
      { name: 'noteId', type: 'string', description: 'inferred from web/client.ts:5' },
    ]);
  });
});
