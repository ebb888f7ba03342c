// Chat: rooms, presence and typing, with message ids, acks and at-least-once delivery
// deduplicated by a client-generated id. Typing and presence are fire-and-forget: losing
// one is harmless, retrying one is noise.
import { profileOf } from '../profiles/index.js';
import { sequenceDiagram } from '../../diagrams/builders.js';
import { code } from '../md.js';
import type { DesignCtx } from '../context.js';
import { cs, ev, f, managedProvider, providerSteps, send, serverFile, clientFile, type ScenarioModule } from './kit.js';

/** Our own nodes fan out through pub/sub (the capacity model sized that traffic). */
const crossNode = (ctx: DesignCtx): boolean => ctx.capacity.result.pubsubPublishedPerSecond > 0;

export const chatCollab: ScenarioModule = {
  id: 'chat-collab',
  title: 'Chat rooms, presence and typing',
  features: ['chat', 'presence', 'typing'],
  words: ['chat', 'room', 'rooms', 'messaging', 'presence', 'typing', 'collaboration'],
  providers: [],
  eventHint: /room|message|typing|presence|chat/i,
  needs: { bidirectional: true, binary: false, media: false, rooms: true },
  defaults: {
    connections: 10_000,
    msgRate: 500,
    payloadBytes: 512,
    fanout: 20,
    why: '20 members per room, one message every 20 s per user',
    whyBy: {
      connections: '10,000 users online at peak',
      msgRate: 'one message every 20 s per user',
      payloadBytes: 'short text messages of about 512 bytes',
      fanout: '20 members per room',
    },
  },
  resume: (ctx) => {
    const p = managedProvider(ctx.input);
    const base = { event: 'room:join', cursor: 'afterSeq', mutation: 'message:send', key: 'clientMsgId' };
    // A managed channel replays nothing: the database is the log the client catches up from.
    if (!p) return base;
    return {
      ...base,
      catchUpMd: `Chat rooms, presence and typing: a reconnecting client waits for its ${p.label} channel to rejoin, then selects the messages with ${code('seq')} above its ${code('afterSeq')} from the database (RLS applies); ${p.label} itself replays nothing missed while offline.`,
    };
  },
  summaryMd: (ctx) => {
    const p = managedProvider(ctx.input);
    if (p)
      return `Rooms on the existing ${p.label} client: ${p.channel}; messages stored in the database under a unique (${code('roomId')}, ${code('clientMsgId')}) key and delivered by ${p.changes}; ${p.presence} for who is online; ${p.broadcast} for typing. No WebSocket server of our own.`;
    return `Rooms with presence and typing indicators; messages carry a client id (${code('clientMsgId')}) and a server ${code('seq')}, are acknowledged, and are delivered at least once with deduplication.`;
  },
  events: (ctx) => {
    const ch = 'room/{roomId}';
    // On a managed provider there is no server of ours to ack a join or stamp a typing event.
    const p = managedProvider(ctx.input);
    return [
      p
        ? ev(
            'room:join',
            'client-to-server',
            ch,
            `Subscribe to the room's ${p.label} channel; no ack: members come from presence, missed messages from a query after afterSeq`,
            'RoomJoinPayload',
            [f('roomId', 'string'), f('afterSeq', 'integer', 'messages after this seq are fetched', true)],
          )
        : ev(
            'room:join',
            'client-to-server',
            ch,
            'Join a room; ack returns members and the last seq',
            'RoomJoinPayload',
            [f('roomId', 'string'), f('afterSeq', 'integer', 'messages after this seq are replayed', true)],
            [f('ok', 'boolean'), f('members', 'string[]'), f('headSeq', 'integer')],
          ),
      ev('room:leave', 'client-to-server', ch, p ? 'Unsubscribe from the room channel' : 'Leave a room', 'RoomLeavePayload', [f('roomId', 'string')]),
      ev(
        'message:send',
        'client-to-server',
        ch,
        p
          ? 'Insert the message row under RLS (unique roomId + clientMsgId); the returned row is the ack'
          : 'Post a message; retried with the same clientMsgId until acked',
        'MessageSendPayload',
        [f('roomId', 'string'), f('clientMsgId', 'string', 'UUID, dedup key'), f('text', 'string', 'max 4,000 characters')],
        [f('clientMsgId', 'string'), f('messageId', 'string'), f('seq', 'integer')],
      ),
      ev(
        'message:new',
        'server-to-client',
        ch,
        p ? `A stored message, delivered by ${p.changes}` : 'A stored message, in room seq order',
        'MessageNewPayload',
        [
          f('roomId', 'string'),
          f('messageId', 'string'),
          f('clientMsgId', 'string'),
          f('seq', 'integer'),
          f('authorId', 'string'),
          f('text', 'string'),
          f('sentAt', 'string', 'ISO 8601, server clock'),
        ],
      ),
      ev(
        'presence:update',
        'server-to-client',
        ch,
        p ? `A member's presence state changed (${p.presence})` : 'A member came online, went idle or left',
        'PresenceUpdatePayload',
        [f('roomId', 'string'), f('userId', 'string'), f('status', "'online' | 'away' | 'offline'")],
      ),
      ev(
        'typing:update',
        'both',
        ch,
        p ? `Typing started or stopped, sent with ${p.broadcast}; never acked` : 'Typing started or stopped; throttled, never acked',
        'TypingUpdatePayload',
        [
          f('roomId', 'string'),
          f('userId', 'string', p ? 'set by the sending client: display only, never used for authorization' : 'set by the server, ignored from clients', true),
          f('typing', 'boolean'),
        ],
      ),
    ];
  },
  flows: (ctx) => {
    const parts = [...cs(ctx), { key: 'peer', label: 'Other room members' }, { key: 'db', label: 'Message store' }];
    return [
      {
        title: 'Send a message with ack and dedup',
        summaryMd: `The server stores the message under a unique (${code('roomId')}, ${code('clientMsgId')}) key before acking, so a retry after a lost ack returns the same ${code('messageId')} instead of a duplicate.`,
        diagram: sequenceDiagram('Send a message with ack and dedup', {
          participants: parts,
          autonumber: true,
          steps: [
            { kind: 'message', from: 'user', to: 'client', text: 'send text' },
            { kind: 'message', from: 'client', to: 'server', text: send(ctx, 'message:send', '(clientMsgId c1)') },
            { kind: 'message', from: 'server', to: 'db', text: 'insert unless (roomId, c1) exists' },
            { kind: 'message', from: 'server', to: 'client', text: 'ack messageId m9, seq 120', style: 'reply' },
            { kind: 'message', from: 'server', to: 'peer', text: 'message:new seq 120', style: 'async' },
            {
              kind: 'block',
              type: 'opt',
              label: 'ack lost, client retries after 5 s',
              steps: [
                { kind: 'message', from: 'client', to: 'server', text: send(ctx, 'message:send', '(same c1)') },
                { kind: 'message', from: 'server', to: 'client', text: 'ack m9, seq 120 (no second insert)', style: 'reply' },
              ],
            },
          ],
        }),
      },
      {
        title: 'Join a room with presence',
        summaryMd: `Joining replays messages after ${code('afterSeq')} and announces the member; presence goes ${code('offline')} only after a 10 s grace period so reconnects do not flicker.`,
        diagram: sequenceDiagram('Join a room with presence', {
          participants: parts,
          steps: [
            { kind: 'message', from: 'client', to: 'server', text: send(ctx, 'room:join', '(afterSeq 118)') },
            { kind: 'message', from: 'server', to: 'client', text: 'ack members, headSeq 120', style: 'reply' },
            { kind: 'message', from: 'server', to: 'client', text: 'message:new 119, 120 (replay)', style: 'async' },
            { kind: 'message', from: 'server', to: 'peer', text: 'presence:update online', style: 'async' },
            { kind: 'message', from: 'user', to: 'client', text: 'types' },
            { kind: 'message', from: 'client', to: 'server', text: 'typing:update true (max 1 per 2 s)' },
            { kind: 'message', from: 'server', to: 'peer', text: 'typing:update (volatile)', style: 'async' },
            { kind: 'note', over: ['peer'], text: 'hide indicator after 5 s without update' },
          ],
        }),
      },
    ];
  },
  sync: () => [
    {
      data: 'chat messages',
      strategy: 'Append-only, server seq per room',
      whyMd: 'Messages are immutable once stored; the server seq gives every member the same order.',
    },
    {
      data: 'message edits and reactions',
      strategy: 'Last-writer-wins per message field',
      whyMd: 'Edits by one author rarely race; reactions are a set keyed by user, so concurrent adds commute.',
    },
    { data: 'presence and typing', strategy: 'Ephemeral, soft state with TTL', whyMd: 'Rebuilt from heartbeats after any failure; never persisted.' },
  ],
  risks: (ctx) => [
    {
      title: 'Presence flicker from duplicate connections',
      riskMd: 'Several tabs or a reconnect before the old socket timed out count the user twice and flicker presence.',
      mitigationMd: 'Track presence per userId with a connection count; emit `offline` only when the count reaches 0 and the 10 s grace expires.',
    },
    // Only nodes of ours that fan out through pub/sub can reorder a room between them.
    ...(crossNode(ctx)
      ? [
          {
            title: 'Out-of-order messages across nodes',
            riskMd: 'Two nodes publishing to the same room can deliver in different orders.',
            mitigationMd: 'Assign `seq` in one place (database sequence or Redis `INCR` per room) and let clients sort by it.',
          },
        ]
      : []),
    {
      title: 'Typing storms',
      riskMd: 'Keystroke-rate typing events multiply by the room size.',
      mitigationMd: 'Client throttle (1 per 2 s), server drop when the socket buffer is busy (volatile emit).',
    },
  ],
  tests: () => [
    'retrying message:send with the same clientMsgId stores one message',
    'two members in one room receive message:new in the same seq order',
    'presence shows offline only after the grace period and not on a quick reconnect',
  ],
  steps: (ctx) => {
    const p = managedProvider(ctx.input);
    if (p)
      return providerSteps(ctx, p, {
        title: 'Rooms, presence and typing',
        uses: `messages by ${p.changes}, online state by ${p.presence}, typing by ${p.broadcast}`,
        clientName: 'room-channel',
      });
    return [
      {
        title: 'Room and message handlers',
        files: [{ path: serverFile(ctx, 'rooms'), action: 'create', why: '`room:join`, `room:leave`, `message:send` with dedup and seq' }],
        detailMd: 'Authorize membership on join; store before ack.',
      },
      {
        title: 'Presence and typing',
        files: [
          {
            path: serverFile(ctx, 'presence'),
            action: 'create',
            why: profileOf(ctx).presenceWhyMd ?? 'per-user connection count, grace timer, typing throttle',
          },
        ],
        detailMd: crossNode(ctx)
          ? 'Presence state in Redis hashes with TTL when more than one instance runs.'
          : "Presence state lives next to the room's connections, rebuilt from them after a restart.",
      },
      {
        title: 'Client room store',
        files: [{ path: clientFile(ctx, 'room-store'), action: 'create', why: 'outbox with retries, dedup by clientMsgId, seq ordering' }],
        detailMd: 'Pending messages render greyed until acked.',
      },
    ];
  },
  errors: [{ code: 'NOT_A_MEMBER', when: 'event for a room the user has not joined', clientMd: 're-join or leave the view' }],
  metrics: [
    { name: 'chat_message_ack_seconds', type: 'histogram', labels: 'room_size_bucket', whyMd: 'send-to-ack latency against the p95 SLO' },
    { name: 'presence_online_users', type: 'gauge', labels: '', whyMd: 'distinct users, not sockets' },
  ],
};
