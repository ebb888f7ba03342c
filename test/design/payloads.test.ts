// Existing events whose payload the analyzer inferred are typed with those fields in the
// catalog and in the plan's TypeScript; events without an inferred payload keep the explicit
// `data: unknown` placeholder.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/design/index.js';
import { inferredFrom } from '../../src/design/protocol.js';
import type { EventSpec, PayloadField, RtEvent } from '../../src/types.js';
import { chatInput } from './inputs.js';

const EVENTS: RtEvent[] = [
  { name: 'joinRoom', direction: 'client-to-server', origin: 'existing', evidence: 'client/chat.js:15', transport: 'socket.io' },
  {
    name: 'message',
    direction: 'server-to-client',
    origin: 'existing',
    evidence: 'client/chat.js:10',
    transport: 'socket.io',
    payload: [
      { name: 'id', type: 'number', description: 'inferred from server/index.js:35' },
      { name: 'text', type: 'unknown', description: 'inferred from server/index.js:35' },
      { name: 'at', type: 'string', description: 'inferred from server/index.js:35' },
    ],
  },
  {
    name: 'typing',
    direction: 'both',
    origin: 'existing',
    evidence: 'client/chat.js:12',
    transport: 'socket.io',
    payload: [
      { name: 'user', type: 'unknown', optional: true, description: 'inferred from client/chat.js:12' },
      { name: 'roomId', type: 'string', description: 'inferred from client/chat.js:17, server/index.js:40' },
    ],
  },
];

function plan() {
  const input = chatInput();
  input.analysis.events = EVENTS;
  return buildPlan(input);
}

const byName = (events: EventSpec[], name: string): EventSpec => {
  const e = events.find((x) => x.name === name);
  if (!e) throw new Error(`no event ${name}`);
  return e;
};

describe('existing event payloads in the design', () => {
  it('uses the inferred fields and cites where they were read', () => {
    const events = plan().events;
    const message = byName(events, 'message');
    expect(message.payload).toEqual(EVENTS[1]?.payload);
    expect(message.origin).toBe('existing');
    expect(message.summary).toBe('client/chat.js:10; fields from server/index.js:35');
    // The event's own line is not repeated among the places its fields were read.
    expect(byName(events, 'typing').summary).toBe('client/chat.js:12; fields from client/chat.js:17, server/index.js:40');
  });

  it('keeps data: unknown when nothing was inferred', () => {
    const join = byName(plan().events, 'joinRoom');
    expect(join.payload).toEqual<PayloadField[]>([
      { name: 'data', type: 'unknown', description: 'shape not inferred from the code: type it when the handler is touched' },
    ]);
    expect(join.summary).toBe('client/chat.js:15; payload not shown by the code');
  });

  it('renders real field names and types; one source is cited on the interface, several on each field', () => {
    const ts = plan().protocol.typescript;
    expect(ts).toContain(
      [
        '/** message (server-to-client, existing); inferred from server/index.js:35 */',
        'export interface MessagePayload {',
        '  id: number;',
        '  text: unknown;',
        '  at: string;',
        '}',
      ].join('\n'),
    );
    expect(ts).toContain(
      [
        '/** typing (both, existing) */',
        'export interface TypingPayload {',
        '  user?: unknown; // inferred from client/chat.js:12',
        '  roomId: string; // inferred from client/chat.js:17, server/index.js:40',
        '}',
      ].join('\n'),
    );
    // An existing event with no typed field gets no interface of its own: the map types it inline.
    expect(ts).not.toContain('JoinRoomPayload');
    expect(ts).toContain('  "joinRoom": (payload: { data: unknown }) => void;');
    expect(ts).toContain('  "message": (payload: MessagePayload) => void;');
  });

  it('lists distinct inferred places in field order', () => {
    expect(
      inferredFrom([
        { name: 'a', type: 'string', description: 'inferred from b.js:2, a.js:1' },
        { name: 'b', type: 'string', description: 'inferred from a.js:1' },
        { name: 'c', type: 'string', description: 'a hand-written note' },
      ]),
    ).toEqual(['b.js:2', 'a.js:1']);
  });
});
