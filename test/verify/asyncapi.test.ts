import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildAsyncApi, typeSchema, validateAsyncApi } from '../../src/render/asyncapi.js';
import { PLAN } from './plan-core.js';

describe('buildAsyncApi', () => {
  const text = buildAsyncApi(PLAN, { projectName: 'chat-app' });
  const doc = parse(text) as Record<string, Record<string, Record<string, unknown>>>;

  it('validates with @asyncapi/parser without error diagnostics', async () => {
    expect(await validateAsyncApi(text)).toEqual({ valid: true, errors: [] });
  });

  it('is deterministic and has no YAML aliases', () => {
    expect(buildAsyncApi(PLAN, { projectName: 'chat-app' })).toBe(text);
    expect(text).not.toMatch(/[&*]a\d/);
  });

  it('describes servers, channels, operations and messages from the plan', () => {
    expect(doc['asyncapi']).toBe('3.0.0');
    expect(doc['servers']!['main']).toMatchObject({ protocol: 'ws', bindings: { ws: { bindingVersion: '0.1.0' } } });
    expect(Object.keys(doc['channels']!)).toEqual(['room_roomId', 'presence']);
    expect(doc['channels']!['room_roomId']).toMatchObject({
      address: 'room:{roomId}',
      parameters: { roomId: { description: 'Value of roomId in the channel address.' } },
    });
    const ops = doc['operations']!;
    expect(Object.entries(ops).map(([id, op]) => [id, (op as { action: string }).action])).toEqual([
      ['receive_chat_message', 'receive'],
      ['send_chat_new', 'send'],
      ['receive_presence_update', 'receive'],
      ['send_presence_update', 'send'],
    ]);
    expect(ops['receive_chat_message']).toMatchObject({
      reply: { messages: [{ $ref: '#/channels/room_roomId/messages/chat_message_ack' }] },
    });
    expect(doc['components']!['schemas']!['ChatMessagePayload']).toEqual({
      type: 'object',
      properties: {
        roomId: { type: 'string' },
        text: { type: 'string', description: 'At most 2000 characters.' },
        clientId: { type: 'string' },
        kind: { type: 'string', enum: ['text', 'image'] },
      },
      required: ['roomId', 'text', 'kind'],
    });
    // An existing event's fields were inferred from code: others may exist. A proposed event's
    // payload is the design's own, so it is closed.
    expect(doc['components']!['schemas']!['ChatMessagePayload']).not.toHaveProperty('additionalProperties');
    expect(doc['components']!['schemas']!['PresencePayload']).toMatchObject({ additionalProperties: false });
  });

  it('takes the server from a URL', () => {
    const withUrl = parse(buildAsyncApi(PLAN, { projectName: 'x', serverUrl: 'wss://chat.example.com/socket.io/' })) as {
      servers: { main: unknown };
    };
    expect(withUrl.servers.main).toEqual({
      host: 'chat.example.com',
      protocol: 'wss',
      pathname: '/socket.io/',
      bindings: { ws: { bindingVersion: '0.1.0' } },
    });
  });
});

describe('typeSchema', () => {
  it.each([
    ['string', { type: 'string' }],
    ['integer', { type: 'integer' }],
    ['number[]', { type: 'array', items: { type: 'number' } }],
    ["'a' | 'b'", { type: 'string', enum: ['a', 'b'] }],
    ['string | null', { oneOf: [{ type: 'string' }, { type: 'null' }] }],
    ['Record<string, number>', { type: 'object', additionalProperties: { type: 'number' } }],
    ['Record<string, unknown>', { type: 'object', additionalProperties: true }],
    ['unknown', {}],
    ['UserProfile', { description: 'TypeScript type UserProfile' }],
  ])('%s', (type, schema) => {
    expect(typeSchema(type)).toEqual(schema);
  });
});

describe('validateAsyncApi', () => {
  it('refuses a remote $ref before parsing, so nothing is fetched', async () => {
    const text = buildAsyncApi(PLAN, { projectName: 'chat-app' }).replace(
      '$ref: "#/components/schemas/PresencePayload"',
      '$ref: "http://127.0.0.1:9/schemas/presence.json"',
    );
    expect(await validateAsyncApi(text)).toEqual({
      valid: false,
      errors: ['non-local $ref refused (validation never uses the network): http://127.0.0.1:9/schemas/presence.json'],
    });
    const fileRef = text.replace('http://127.0.0.1:9/schemas/presence.json', './presence.yaml');
    expect((await validateAsyncApi(fileRef)).errors).toEqual(['non-local $ref refused (validation never uses the network): ./presence.yaml']);
  });

  it('reports error diagnostics with their line', async () => {
    const result = await validateAsyncApi('asyncapi: 3.0.0\ninfo:\n  title: x\n');
    expect(result.valid).toBe(false);
    expect(result.errors).toContain('line 2: "info" property must have required property "version" (at info)');
  });

  it('reports invalid YAML', async () => {
    expect(await validateAsyncApi('asyncapi: [\n')).toMatchObject({ valid: false });
  });
});
