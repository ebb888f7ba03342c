// The core design derives each domain object's decisions from facts (event names, payload
// fields, findings, context sentences): a kanban card, a chat message and a poll vote must
// not get the same policy, and nothing the code does not show is filled in.
import { describe, expect, it } from 'vitest';
import { coreDesign, type CoreInputs } from '../../../src/design/core/index.js';
import { objectFromContext, withMoves } from '../../../src/design/core/objects.js';
import { nameIn, parseName, projectStyle, singular } from '../../../src/design/core/names.js';
import type { RtEvent } from '../../../src/types.js';

const at = (file: string) => `inferred from ${file}`;
function evt(name: string, direction: RtEvent['direction'], evidence: string, fields: string[]): RtEvent {
  return { name, direction, origin: 'existing', evidence, payload: fields.map((n) => ({ name: n, type: 'unknown', description: at(evidence) })) };
}
function inputs(events: RtEvent[], extra: Partial<CoreInputs> = {}): CoreInputs {
  return { events, findings: [], requirements: [], scenarios: ['state-sync'], entity: 'resource', crdt: false, contextText: '', ...extra };
}

describe('core design', () => {
  it('provider data messages named by their topic are one object per topic, and one sent lossy by every call is droppable', () => {
    const data = (topic: string, direction: RtEvent['direction'], evidence: string, fields: string[], mode?: 'reliable' | 'lossy'): RtEvent => ({
      ...evt(`data:${topic}`, direction, evidence, fields),
      sdk: `publishData(…, { topic: '${topic}' })`,
      topic,
      ...(mode ? { delivery: { mode, evidence } } : {}),
    });
    const core = coreDesign(
      inputs([
        data('reactions', 'client-to-server', 'components/Room.tsx:33', ['type', 'emoji'], 'reliable'),
        data('headcount', 'server-to-client', 'app/webhook/route.ts:9', ['type', 'count'], 'reliable'),
        data('cursor', 'client-to-server', 'components/Room.tsx:40', ['x', 'y'], 'lossy'),
        data('notes', 'client-to-server', 'components/Room.tsx:50', ['text'], 'lossy'),
      ]),
    );
    expect(core.objects.map((o) => [o.name, o.kind, o.decision.delivery, o.events.map((e) => e.name)])).toEqual([
      ['reaction', 'record', 'reliable', ['data:reactions']],
      ['headcount', 'derived', 'droppable', ['data:headcount']],
      ['cursor', 'pointer', 'droppable', ['data:cursor']],
      ['note', 'document', 'droppable', ['data:notes']],
    ]);
  });

  it('another entity the context says clients follow is an object with its membership, and its events move them, not the membership of the first entity', () => {
    const sentence = "Clients subscribe to an agent to stream the agent's output and status changes; workspace updates go to everyone watching the workspace.";
    const core = coreDesign(
      inputs(
        [
          evt('agent:output', 'server-to-client', 'server/ws.ts:38', ['agentId', 'content']),
          evt('subscribe:agent', 'client-to-server', 'server/ws.ts:28', ['agentId']),
        ],
        {
          requirements: [{ kind: 'feature', feature: 'subscriptions', sentence, evidence: 'ctx.md:3' }],
          scenarios: ['subscriptions'],
          entity: 'agent',
        },
      ),
    );
    expect(core.objects.map((o) => [o.name, o.kind, o.origin])).toEqual([
      ['agent', 'stream', 'code'],
      ['agent membership', 'presence', 'code'],
      ['workspace', 'record', 'context'],
      ['workspace membership', 'presence', 'context'],
    ]);
    const proposed = (name: string, direction: RtEvent['direction']) => ({ name, direction, payload: [] });
    const moved = withMoves(core.objects, [
      proposed('agent:status', 'server-to-client'),
      proposed('subscribe:workspace', 'client-to-server'),
      proposed('unsubscribe:workspace', 'client-to-server'),
      proposed('workspace:update', 'server-to-client'),
    ]);
    expect(moved.map((o) => [o.name, o.moves])).toEqual([
      ['agent', ['agent:output', 'agent:status']],
      ['agent membership', ['subscribe:agent']],
      ['workspace', ['workspace:update']],
      ['workspace membership', ['subscribe:workspace', 'unsubscribe:workspace']],
    ]);
  });

  it('a kanban card is a movable with a parent, a server-stamped owner and an unknown position meaning; cursors are transient', () => {
    const core = coreDesign(
      inputs(
        [
          evt('card:move', 'client-to-server', 'src/board.js:4', ['boardId', 'cardId', 'column', 'position']),
          evt('card:moved', 'server-to-client', 'src/board.js:6', ['cardId', 'column', 'position', 'by']),
          evt('cursor:move', 'client-to-server', 'src/board.js:10', ['boardId', 'x', 'y']),
        ],
        { findings: [{ id: 'volatile-critical-emit', severity: 'high', message: 'volatile', evidence: 'src/board.js:6', fix: '' }] },
      ),
    );
    const [card, cursor] = core.objects;
    expect(core.style).toBe('colon');
    expect(card).toMatchObject({
      name: 'card',
      kind: 'movable',
      parent: { field: 'board', at: 'src/board.js:4' },
      id: { field: 'cardId', at: 'src/board.js:4' },
      owner: { field: 'by', by: 'server', at: 'src/board.js:6' },
      container: { field: 'column' },
      order: { field: 'position' },
      findings: [{ id: 'volatile-critical-emit', at: 'src/board.js:6' }],
      decision: {
        lifetime: 'persisted',
        delivery: 'reliable',
        versioning: 'seq-per-parent',
        conflict: 'whole-move-in-server-order',
        unknowns: ['order-meaning', 'store'],
      },
    });
    expect(cursor).toMatchObject({
      name: 'cursor',
      kind: 'pointer',
      decision: { lifetime: 'transient', delivery: 'droppable', conflict: 'latest-per-sender', unknowns: [] },
    });
  });

  it('a chat message is append-only; the author of a two-way event is one the server must set (its payload merges sent and received fields); a Map the audit found is its store', () => {
    const core = coreDesign(
      inputs([evt('chatMessage', 'both', 'server.js:27', ['roomId', 'text', 'userId']), evt('joinRoom', 'client-to-server', 'server.js:22', ['roomId'])], {
        scenarios: ['chat-collab'],
        findings: [
          { id: 'in-process-state-multi-node', severity: 'high', message: 'Module-level Map `messages` holds state', evidence: 'server.js:5', fix: '' },
        ],
      }),
    );
    expect(core.style).toBe('camel');
    expect(core.objects.map((o) => [o.name, o.kind])).toEqual([
      ['message', 'message'],
      ['room membership', 'presence'],
    ]);
    expect(core.objects[0]).toMatchObject({
      owner: { field: 'userId', by: 'server' },
      store: { field: 'messages', at: 'server.js:5' },
      decision: { conflict: 'append-only', versioning: 'seq-per-parent', unknowns: ['id'] },
    });
  });

  it('a poll vote counts once per user, its results are server-only; with no events the context gives the objects', () => {
    const poll = coreDesign(
      inputs([evt('vote', 'client-to-server', 'index.js:40', ['pollId', 'option']), evt('poll:results', 'server-to-client', 'index.js:42', [])]),
    );
    expect(poll.objects.map((o) => [o.name, o.kind, o.decision.conflict])).toEqual([
      ['vote', 'submission', 'once-per-user'],
      ['poll results', 'derived', 'server-only'],
    ]);
    const none = coreDesign(inputs([], { scenarios: ['collab-editing', 'notifications'], crdt: true }));
    expect(none.fromCode).toBe(false);
    expect(none.objects.map((o) => [o.name, o.origin, o.decision.conflict, o.decision.unknowns])).toEqual([
      ['document', 'context', 'crdt-merge', []],
      ['notification', 'context', 'append-only', []],
    ]);
  });

  it('reads and writes names in the project style', () => {
    expect(parseName('joinRoom')).toEqual({ noun: 'room', action: 'join', style: 'camel' });
    expect(parseName('price.tick')).toEqual({ noun: 'price', action: 'tick', style: 'dot' });
    expect(parseName('client-typing')).toEqual({ noun: 'typing', action: null, style: 'dash' });
    expect(parseName('sys:ack')).toBeNull();
    expect(parseName('note:error')).toBeNull();
    expect(projectStyle(['price.tick', 'price.snapshot', 'subscribe'])).toBe('dot');
    expect([nameIn('colon', 'board', 'sync'), nameIn('dot', 'board', 'sync'), nameIn('camel', 'board', 'sync')]).toEqual([
      'board:sync',
      'board.sync',
      'syncBoard',
    ]);
  });
});

describe('a change sent with the version it is based on', () => {
  it('gets a version check, not last-writer-wins per field; without a base version the policy stays', () => {
    const edited = coreDesign(
      inputs([
        evt('note:edit', 'client-to-server', 'src/client/NoteEditor.tsx:41', ['noteId', 'baseVersion', 'ops']),
        evt('note:patched', 'server-to-client', 'src/client/NoteEditor.tsx:29', ['version']),
      ]),
    ).objects.find((o) => o.name === 'note');
    expect(edited?.version?.field).toBe('baseVersion');
    expect(edited?.decision.conflict).toBe('version-check');
    const plain = coreDesign(inputs([evt('note:edit', 'client-to-server', 'src/a.ts:1', ['noteId', 'text'])])).objects.find((o) => o.name === 'note');
    expect(plain?.decision.conflict).toBe('field-lww-in-server-order');
  });
});

describe('who made a change', () => {
  it('an author field in an event only clients send is client-sent (spoofable); in a two-way event it is not claimed either way', () => {
    const sent = coreDesign(inputs([evt('comment:add', 'client-to-server', 'client.js:4', ['commentId', 'text', 'authorId'])]));
    expect(sent.objects[0]?.owner).toMatchObject({ field: 'authorId', by: 'client' });
    const both = coreDesign(inputs([evt('comment:add', 'both', 'client.js:4', ['commentId', 'text', 'authorId'])]));
    expect(both.objects[0]?.owner).toMatchObject({ field: 'authorId', by: 'server' });
  });

  it('a context that keeps messages for the session only makes them memory-held, not persisted; a snapshot sent on connect is not droppable', () => {
    const must = (sentence: string, line: number) => ({ kind: 'constraint' as const, polarity: 'must' as const, sentence, evidence: `ctx.md:${line}` });
    const events = [
      evt('chat', 'both', 'party/handlers.ts:11', ['id', 'text']),
      evt('sync', 'server-to-client', 'party/server.ts:10', ['cursors']),
      evt('stats', 'server-to-client', 'party/server.ts:20', ['count']),
    ];
    const session = coreDesign(inputs(events, { requirements: [must('chat messages are kept for the session of the room only (no history needed);', 3)] }));
    const [chat, sync, stats] = session.objects;
    expect(chat?.decision).toMatchObject({ lifetime: 'memory', heldFor: 'room', delivery: 'reliable' });
    expect(chat?.decision.unknowns).not.toContain('store');
    expect(sync?.decision).toMatchObject({ lifetime: 'transient', delivery: 'reliable' });
    expect(stats?.decision.delivery).toBe('droppable');
    // Another object's session-only clause, or none, leaves messages persisted.
    const other = coreDesign(inputs(events, { requirements: [must('chat messages are stored for a year; cursors are not persisted', 3)] }));
    expect(other.objects[0]?.decision.lifetime).toBe('persisted');
    expect(coreDesign(inputs(events)).objects[0]?.decision.lifetime).toBe('persisted');
  });

  it('only an explicit "no history" drops the seq of a message held in memory; "for the lifetime of the meeting" keeps its history while the room lives', () => {
    const must = (sentence: string) => ({ kind: 'constraint' as const, polarity: 'must' as const, sentence, evidence: 'ctx.md:3' });
    const events = [evt('chat', 'both', 'party/handlers.ts:11', ['id', 'text'])];
    const none = coreDesign(inputs(events, { requirements: [must('chat messages are kept for the session of the room only (no history needed);')] }));
    expect(none.objects[0]?.decision).toMatchObject({ lifetime: 'memory', versioning: 'none' });
    const lifetime = coreDesign(
      inputs(events, {
        requirements: [must('Chat messages are kept in memory only, for the lifetime of the meeting; late joiners see the whole conversation.')],
      }),
    );
    expect(lifetime.objects[0]?.decision.lifetime).toBe('memory');
    expect(lifetime.objects[0]?.decision.versioning).not.toBe('none');
  });
});

describe('read markers', () => {
  const feature = (sentence: string, line: number) => ({ kind: 'feature' as const, feature: 'state-sync' as const, sentence, evidence: `ctx.md:${line}` });
  const chat = [
    evt('chatMessage', 'client-to-server', 'server.js:27', ['roomId', 'text']),
    evt('message', 'server-to-client', 'server.js:30', ['roomId', 'text', 'from']),
  ];

  it('unread counts asked for in a chat become one read marker per (user, room): the highest readSeq wins, persisted, quoting the sentence', () => {
    const sentence = 'Unread counts and mentions should stay in sync between the browser and the desktop app.';
    const core = coreDesign(inputs(chat, { scenarios: ['chat-collab'], requirements: [feature(sentence, 14)] }));
    const marker = core.objects.find((o) => o.kind === 'read-marker');
    expect(marker).toMatchObject({
      name: 'read marker',
      origin: 'context',
      parent: { field: 'room', at: null },
      context: [{ sentence, at: 'ctx.md:14' }],
      decision: { lifetime: 'persisted', delivery: 'reliable', versioning: 'per-user', conflict: 'highest-wins', unknowns: [] },
    });
  });

  it.each([
    'Show a badge with the unread messages per room.',
    'Read receipts must show who has seen a message.',
    'Keep the last-read position when the app restarts.',
    'Messages marked as read on the phone are read on the laptop.',
  ])('%s → a read marker', (sentence) => {
    const core = coreDesign(inputs(chat, { scenarios: ['chat-collab'], requirements: [feature(sentence, 3)] }));
    expect(core.objects.filter((o) => o.kind === 'read-marker')).toHaveLength(1);
  });

  it.each(['As the README mentions, rooms hold up to 50 people.', 'Read the room history from the database on join.', 'Threads are read-only for guests.'])(
    '%s → no read marker',
    (sentence) => {
      const core = coreDesign(inputs(chat, { scenarios: ['chat-collab'], requirements: [feature(sentence, 3)] }));
      expect(core.objects.some((o) => o.kind === 'read-marker')).toBe(false);
    },
  );

  it('no chat message, no read marker: an unread count of notifications is the notification object itself', () => {
    const core = coreDesign(
      inputs([evt('order:updated', 'server-to-client', 'server.js:9', ['orderId', 'status'])], {
        requirements: [feature('Show unread counts on the bell.', 2)],
      }),
    );
    expect(core.objects.some((o) => o.kind === 'read-marker')).toBe(false);
  });
});

describe('withMoves: who writes an object from the context', () => {
  const ctxObject = () => objectFromContext('parcel', 'record', { events: [], findings: [], requirements: [] });
  it('moved only by server → client publications: only the server writes it', () => {
    const [o] = withMoves([ctxObject()], [{ name: 'parcel:{parcelId}', payload: [], direction: 'server-to-client' }]);
    expect([o!.moves, o!.decision.conflict]).toEqual([['parcel:{parcelId}'], 'server-only']);
  });
  it('a client event that moves it keeps last write per field', () => {
    const [o] = withMoves(
      [ctxObject()],
      [
        { name: 'parcel:{parcelId}', payload: [], direction: 'server-to-client' },
        { name: 'parcel:update', payload: [], direction: 'client-to-server' },
      ],
    );
    expect([o!.moves, o!.decision.conflict]).toEqual([['parcel:{parcelId}', 'parcel:update'], 'field-lww-in-server-order']);
  });
  it('nothing moves it: the policy stays', () => {
    const [o] = withMoves([ctxObject()], []);
    expect(o!.decision.conflict).toBe('field-lww-in-server-order');
  });
});

describe('core design on a library protocol that replays nothing', () => {
  it('an order a GraphQL subscription delivers gets no seq of ours, and the updatedAt in its payload says which copy is newer', () => {
    const events = [evt('orderUpdated', 'server-to-client', 'server/src/schema/schema.graphql:25', ['id', 'storeId', 'items', 'status', 'updatedAt'])];
    const core = coreDesign(inputs(events, { scenarios: ['subscriptions'], entity: 'order', refetchOrder: 'graphql-ws' }));
    const order = core.objects.find((o) => o.events.some((e) => e.name === 'orderUpdated'))!;
    expect(order.decision.versioning).toBe('refetch');
    expect(order.decision.refetchBy).toBe('graphql-ws');
    expect(order.updated).toEqual({ field: 'updatedAt', at: 'server/src/schema/schema.graphql:25' });
    // Without that protocol the same object keeps the seq this plan proposes.
    const plain = coreDesign(inputs(events, { scenarios: ['subscriptions'], entity: 'order' })).objects.find((o) => o.name === order.name)!;
    expect(plain.decision.versioning).toBe('seq-per-parent');
  });

  it('a version the payload already carries stays the version, and no change time is invented where the payload has none', () => {
    const core = coreDesign(
      inputs([evt('orderUpdated', 'server-to-client', 'schema.graphql:9', ['id', 'status', 'version'])], {
        scenarios: ['subscriptions'],
        entity: 'order',
        refetchOrder: 'graphql-ws',
      }),
    );
    const order = core.objects.find((o) => o.events.some((e) => e.name === 'orderUpdated'))!;
    expect(order.decision.versioning).toBe('seq-per-parent');
    expect(order.version).toEqual({ field: 'version', at: 'schema.graphql:9' });
    expect(order.updated).toBeUndefined();
  });
});

describe('a bare verb a client sends to ask for updates', () => {
  const kinds = (name: string) =>
    coreDesign(inputs([evt(name, 'client-to-server', 'server/index.ts:12', ['symbol'])])).objects.map((o) => [o.name, o.kind, o.subscription ?? false]);

  it('watch / unwatch is a subscription request (a command changing what its own connection receives)', () => {
    expect(kinds('watch')).toEqual([['watch', 'command', true]]);
    expect(kinds('unwatch')).toEqual([['unwatch', 'command', true]]);
  });

  it('follow / unfollow is not read as one: in a social app it is the persisted follower relation', () => {
    expect(kinds('follow')).toEqual([['follow', 'record', false]]);
    expect(kinds('unfollow')).toEqual([['unfollow', 'record', false]]);
  });
});

describe('a bare verb of control a client sends', () => {
  const kinds = (name: string, direction: 'client-to-server' | 'server-to-client' = 'client-to-server') =>
    coreDesign(inputs([evt(name, direction, 'dist/server/engine.js:31', [])])).objects.map((o) => [o.name, o.kind, o.decision.lifetime]);

  it('open / close / stop ask the server to act once: a command, not a persisted record', () => {
    expect(kinds('open')).toEqual([['open', 'command', 'transient']]);
    expect(kinds('close')).toEqual([['close', 'command', 'transient']]);
    expect(kinds('stop')).toEqual([['stop', 'command', 'transient']]);
  });

  it('the same word as the action of a noun, or sent by the server, is not read as one', () => {
    expect(kinds('serialport:close', 'server-to-client').map(([n, k]) => [n, k])).toEqual([['serialport', 'record']]);
    expect(kinds('close', 'server-to-client').map(([n, k]) => [n, k])).toEqual([['close', 'record']]);
  });
});

describe('singular', () => {
  it('cuts a plural ending, not the s of a singular noun', () => {
    const pairs = [
      ['statuses', 'status'],
      ['buses', 'bus'],
      ['bonuses', 'bonus'],
      ['houses', 'house'],
      ['causes', 'cause'],
      ['sizes', 'size'],
      ['prizes', 'prize'],
      ['quizzes', 'quiz'],
      ['caches', 'cache'],
      ['beaches', 'beach'],
      ['dishes', 'dish'],
      ['cases', 'case'],
      ['responses', 'response'],
    ];
    expect(pairs.map(([w]) => singular(w!))).toEqual(pairs.map(([, s]) => s));
    expect(['cards', 'replies', 'addresses', 'matches', 'boxes', 'status', 'class', 'axis', 'symbol'].map(singular)).toEqual([
      'card',
      'reply',
      'address',
      'match',
      'box',
      'status',
      'class',
      'axis',
      'symbol',
    ]);
  });
});
