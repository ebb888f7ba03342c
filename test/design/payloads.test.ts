// Existing events whose payload the analyzer inferred keep those fields in the catalog; a
// scenario that needs the same purpose (chat's send, new message, join) extends the project's
// event with its delivery fields only, and only proposed events and proposed changes are typed.
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
  it('uses the inferred fields, adds only the delivery fields the scenario needs, and cites where they were read', () => {
    const events = plan().events;
    const message = byName(events, 'message');
    expect(message.payload).toEqual([
      ...(EVENTS[1]?.payload ?? []),
      { name: 'clientMsgId', type: 'string', description: 'proposed' },
      { name: 'seq', type: 'integer', description: 'proposed' },
    ]);
    expect(message.origin).toBe('existing');
    expect(message.channel).toBe('/');
    expect(message.summary).toBe('client/chat.js:10; fields from server/index.js:35; keep it, add clientMsgId and seq');
    // The event's own line is not repeated among the places its fields were read; typing needs nothing added.
    expect(byName(events, 'typing').summary).toBe('client/chat.js:12; fields from client/chat.js:17, server/index.js:40');
    expect(byName(events, 'typing').payload).toEqual(EVENTS[2]?.payload);
  });

  it('extends a join whose payload the code does not show with afterSeq and an ack, and proposes no second join', () => {
    const events = plan().events;
    const join = byName(events, 'joinRoom');
    expect(join.payload).toEqual<PayloadField[]>([
      { name: 'afterSeq', type: 'integer', optional: true, description: 'proposed: messages after this seq are replayed' },
    ]);
    expect(join.ack?.map((p) => p.name)).toEqual(['ok', 'members', 'headSeq', 'mode']);
    expect(join.summary).toBe('client/chat.js:15; payload not shown by the code; keep it, add afterSeq, and an ack');
    expect(events.map((e) => e.name).filter((n) => /join/i.test(n))).toEqual(['joinRoom']);
    // The missing roles are named in the project's style (camelCase here), next to its own events.
    expect(events.filter((e) => e.origin === 'proposed').map((e) => e.name)).toEqual([
      'leaveRoom',
      'sendMessage',
      'updatePresence',
      'sys:error',
      'auth:refresh',
    ]);
  });

  it('types the proposed changes to existing events only (proposed events are typed inline in their rows); one source is cited on the interface, additions say proposed', () => {
    const ts = plan().protocol.typescript;
    expect(ts).toContain(
      [
        '/** message (server-to-client, existing, extended); inferred from server/index.js:35 */',
        'export interface MessagePayload {',
        '  id: number;',
        '  text: unknown;',
        '  at: string;',
        '  clientMsgId: string; // proposed',
        '  seq: number; // proposed',
        '}',
      ].join('\n'),
    );
    // An extension of a payload the code does not show is typed in its row ("as today + { … }"), not in an interface.
    expect(ts).not.toContain('JoinRoomPayload');
    expect(plan().protocol.rows?.find((r) => r.name === 'joinRoom')?.payloadMd).toBe('as today (not shown by the code) + `{ afterSeq?: number }`');
    // An existing event the plan keeps as it is, and the standard sys events, get no type in the plan.
    expect(ts).not.toContain('TypingPayload');
    expect(ts).not.toContain('"typing"');
    expect(ts).not.toContain('sys:error');
    // The catalog rows give direction, payload and ack: no Socket.IO event map repeats them.
    expect(ts).not.toContain('ServerToClientEvents');
  });

  it("puts a field added to a bare join before the handler's ack callback, never after it (Socket.IO passes the ack last)", () => {
    const input = chatInput();
    input.analysis.events = [{ ...EVENTS[0]!, bare: { type: 'string', name: 'roomId', evidence: 'server/index.js:20', ack: 'ack' } }, EVENTS[1]!, EVENTS[2]!];
    const p = buildPlan(input);
    const join = byName(p.events, 'joinRoom');
    expect(join.summary).toBe(
      "client/chat.js:15; its payload is one bare string, not an object, and the handler's last parameter ack is the ack callback; keep it, add afterSeq as a second argument, before the ack callback `ack`, never after it (Socket.IO always passes the ack last, so a field sent after it would arrive in `ack`): the handler becomes `(roomId, opts, ack)` and, when `typeof opts === 'function'`, takes it as the ack of a client that still sends today's arguments, and an ack",
    );
    expect(p.protocol.rows?.find((r) => r.name === 'joinRoom')?.payloadMd).toBe(
      'the bare `string` `roomId` (server/index.js:20), then `{ afterSeq?: number }`, then the ack callback `ack`',
    );
    expect(join.summary).not.toContain('one more argument after ack');
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
