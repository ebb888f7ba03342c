// The plan's event protocol as an AsyncAPI 3.0 document, described from the server's side:
// client-to-server events are operations the server receives, server-to-client events
// operations it sends. Objects are built in a fixed key order and events keep the plan's
// order, so the YAML is byte-identical for the same plan.

import { parse, stringify } from 'yaml';
import { describeError } from '../errors.js';
import type { EventSpec, PayloadField, PlanCore } from '../types.js';

type Json = Record<string, unknown>;

// ─── payload schemas ──
// JSON Schema from PayloadField.type, the small TypeScript type language of src/types.ts:
// 'string', 'number', 'integer', 'boolean', 'T[]', literal unions "'a' | 'b'",
// 'Record<string, T>', 'unknown'. Anything else becomes an unconstrained schema that
// names the TypeScript type, rather than a guess.

type Schema = Record<string, unknown>;

/** Splits on `|` outside quotes and angle brackets. */
function splitUnion(type: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (const ch of type) {
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '<' || ch === '(') depth++;
    else if (ch === '>' || ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current.trim());
  return parts.filter((p) => p.length > 0);
}

const PRIMITIVES: Record<string, Schema> = {
  string: { type: 'string' },
  number: { type: 'number' },
  integer: { type: 'integer' },
  boolean: { type: 'boolean' },
  null: { type: 'null' },
  unknown: {},
  any: {},
};

const STRING_LITERAL = /^'([^']*)'$|^"([^"]*)"$/;

export function typeSchema(type: string): Schema {
  const text = type.trim();
  const parts = splitUnion(text);
  if (parts.length > 1) {
    const literals = parts.map((p) => STRING_LITERAL.exec(p));
    if (literals.every((m) => m !== null)) return { type: 'string', enum: literals.map((m) => m![1] ?? m![2]) };
    return { oneOf: parts.map(typeSchema) };
  }
  const primitive = PRIMITIVES[text];
  if (primitive) return { ...primitive };
  const literal = STRING_LITERAL.exec(text);
  if (literal) return { type: 'string', const: literal[1] ?? literal[2] };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { type: 'number', const: Number(text) };
  if (text.endsWith('[]')) return { type: 'array', items: typeSchema(text.slice(0, -2)) };
  const array = /^Array<(.+)>$/.exec(text);
  if (array) return { type: 'array', items: typeSchema(array[1] ?? 'unknown') };
  if (text.startsWith('(') && text.endsWith(')')) return typeSchema(text.slice(1, -1));
  const record = /^Record<\s*string\s*,\s*(.+)>$/.exec(text);
  if (record) {
    const value = (record[1] ?? 'unknown').trim();
    return { type: 'object', additionalProperties: value === 'unknown' || value === 'any' ? true : typeSchema(value) };
  }
  return { description: `TypeScript type ${text}` };
}

/** `closed`: the design defines every key (proposed events); an existing event's inferred fields may not be all it carries. */
export function payloadSchema(fields: PayloadField[], closed = true): Schema {
  const properties: Schema = {};
  const required: string[] = [];
  for (const field of fields) {
    const schema = typeSchema(field.type);
    properties[field.name] = field.description ? { ...schema, description: field.description } : schema;
    if (!field.optional) required.push(field.name);
  }
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    ...(closed ? { additionalProperties: false } : {}),
  };
}

// ─── the document ──

const WS_BINDING = { ws: { bindingVersion: '0.1.0' } };

/** AsyncAPI component and channel ids must match ^[\w.-]+$; ids stay unique. */
class Ids {
  private readonly used = new Set<string>();
  private readonly byName = new Map<string, string>();
  get(name: string): string {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    const base = name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'item';
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.byName.set(name, id);
    return id;
  }
}

function server(info: { serverUrl?: string }): Json {
  if (info.serverUrl === undefined) {
    return {
      host: 'localhost:3000',
      protocol: 'ws',
      description: 'Assumed development server: the plan found no deployed URL. Replace with the real host.',
      bindings: WS_BINDING,
    };
  }
  const url = new URL(info.serverUrl);
  const protocol = url.protocol.replace(/:$/, '');
  return {
    host: url.host,
    protocol: protocol === 'wss' || protocol === 'https' ? 'wss' : 'ws',
    ...(url.pathname !== '/' ? { pathname: url.pathname } : {}),
    bindings: WS_BINDING,
  };
}

function channelObject(address: string, description: string | undefined, messages: Json): Json {
  const params = [...address.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1] ?? '');
  const parameters: Json = {};
  for (const name of params) parameters[name] = { description: `Value of ${name} in the channel address.` };
  return {
    address,
    ...(description ? { description } : {}),
    ...(params.length > 0 ? { parameters } : {}),
    messages,
    bindings: WS_BINDING,
  };
}

function actions(event: EventSpec): ('send' | 'receive')[] {
  if (event.direction === 'client-to-server') return ['receive'];
  if (event.direction === 'server-to-client') return ['send'];
  return ['receive', 'send'];
}

export function buildAsyncApi(plan: PlanCore, info: { projectName: string; serverUrl?: string }): string {
  const channelIds = new Ids();
  const messageIds = new Ids();
  const schemaIds = new Ids();
  const channels = new Map<string, { description?: string; messages: Json }>();
  for (const c of plan.channels) channels.set(c.name, { description: c.description, messages: {} });
  for (const e of plan.events) if (!channels.has(e.channel)) channels.set(e.channel, { messages: {} });

  const messages: Json = {};
  const schemas: Json = {};
  const operations: Json = {};
  for (const event of plan.events) {
    const channelId = channelIds.get(event.channel);
    const channel = channels.get(event.channel)!;
    const messageId = messageIds.get(event.name);
    const schemaId = schemaIds.get(event.payloadType);
    schemas[schemaId] = payloadSchema(event.payload, event.origin !== 'existing');
    messages[messageId] = {
      name: event.name,
      title: event.name,
      summary: event.summary,
      contentType: 'application/json',
      payload: { $ref: `#/components/schemas/${schemaId}` },
      'x-origin': event.origin,
    };
    channel.messages[messageId] = { $ref: `#/components/messages/${messageId}` };

    let ackId: string | null = null;
    if (event.ack) {
      ackId = messageIds.get(`${event.name} ack`);
      const ackSchemaId = schemaIds.get(`${event.payloadType}Ack`);
      schemas[ackSchemaId] = payloadSchema(event.ack);
      messages[ackId] = {
        name: `${event.name}:ack`,
        title: `${event.name} acknowledgement`,
        contentType: 'application/json',
        payload: { $ref: `#/components/schemas/${ackSchemaId}` },
      };
      channel.messages[ackId] = { $ref: `#/components/messages/${ackId}` };
    }
    for (const action of actions(event)) {
      const channelRef = { $ref: `#/channels/${channelId}` };
      operations[`${action}_${messageId}`] = {
        action,
        channel: channelRef,
        summary: event.summary,
        messages: [{ $ref: `#/channels/${channelId}/messages/${messageId}` }],
        ...(ackId !== null ? { reply: { channel: channelRef, messages: [{ $ref: `#/channels/${channelId}/messages/${ackId}` }] } } : {}),
      };
    }
  }

  const channelsJson: Json = {};
  for (const [name, channel] of channels) {
    channelsJson[channelIds.get(name)] = channelObject(name, channel.description, channel.messages);
  }
  const doc = {
    asyncapi: '3.0.0',
    info: {
      title: `${info.projectName}: ${plan.title}`,
      version: '1.0.0',
      description: `Event protocol of the rt-plan plan "${plan.task}" (${plan.transport}${plan.library ? `, ${plan.library}` : ''}).`,
      'x-generated-at': plan.generatedAt,
    },
    defaultContentType: 'application/json',
    servers: { main: server(info) },
    channels: channelsJson,
    operations,
    components: { messages, schemas },
  };
  // No YAML anchors: shared objects are written out in full, which readers expect.
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

function collectRefs(value: unknown, out: string[]): void {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref') out.push(String(inner));
      else collectRefs(inner, out);
    }
  }
}

/** Validates offline: a `$ref` that is not local is refused before the parser could fetch it. */
export async function validateAsyncApi(text: string): Promise<{ valid: boolean; errors: string[] }> {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    return { valid: false, errors: [`invalid YAML: ${describeError(error)}`] };
  }
  const refs: string[] = [];
  collectRefs(data, refs);
  const remote = refs.filter((ref) => !ref.startsWith('#'));
  if (remote.length > 0) {
    return { valid: false, errors: remote.map((ref) => `non-local $ref refused (validation never uses the network): ${ref}`) };
  }
  const { Parser } = await import('@asyncapi/parser');
  const { diagnostics } = await new Parser().parse(text);
  const errors = diagnostics
    .filter((d) => d.severity === 0)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}${d.path.length > 0 ? ` (at ${d.path.join('.')})` : ''}`);
  return { valid: errors.length === 0, errors };
}
