// Chat: rooms, presence and typing, with message ids, acks and at-least-once delivery
// deduplicated by a client-generated id. Typing and presence are fire-and-forget: losing
// one is harmless, retrying one is noise.
import { profileOf } from '../profiles/index.js';
import { sequenceDiagram } from '../../diagrams/builders.js';
import { code, fmt, pascal } from '../md.js';
import type { DesignCtx } from '../context.js';
import { cs, ev, f, managedProvider, providerSteps, send, serverFile, clientFile, type ManagedProvider, type ScenarioModule, type StepDraft } from './kit.js';
import { typingStart } from '../problems.js';
import { coreOf } from '../core/context.js';
import { asksForChat, chatNames, existingFor, shownBy, type ChatNames, type Role } from './roles.js';
import { words } from '../core/names.js';
import { protocolTraits, roomPerConnection } from '../profiles/protocol.js';
import type { EventSpec } from '../../types.js';
import type { EdgeCase, Flow } from '../types.js';
import { projectRooms, roomChannel } from '../rooms.js';
import { livenessFor, removalBudgetOf } from '../removal.js';
import { defaultSource, RECENT_MESSAGES, TYPING_CLEAR_MS } from '../defaults.js';
import { declaredDatabase } from '../profiles/stores.js';
import { tableFeedOf, type TableFeed } from '../profiles/table-feed.js';
import { meetsMd, quoteOf, statedMust } from '../constraints.js';
import { sharedSecretAt } from '../sites.js';
import { readMarkerEvents, readMarkerFlow, readMarkerNames, readMarkerOf, readMarkerStep, readMarkerSync } from './read-markers.js';

/**
 * What a presence entry is keyed by. With one shared secret for every client the server knows no
 * user: an entry is a client, under a random id the client keeps for its tab and sends with its
 * join, so a reconnect can cancel the grace; it identifies no one and authorizes nothing.
 */
/** The member announcements of a provider protocol our server speaks (Pusher's `pusher_internal:member_added` / `member_removed`), with its payloads. */
function servedPresence(ctx: DesignCtx, ch: string): EventSpec[] {
  const e = protocolTraits(ctx).served!.events;
  return [
    ev(e.memberAdded, 'server-to-client', ch, 'A member joined the presence channel (its first connection there)', typeOf(e.memberAdded), [
      f('user_id', 'string'),
      f('user_info', 'Record<string, unknown>', 'as the auth route signed it in channel_data', true),
    ]),
    ev(
      e.memberRemoved,
      'server-to-client',
      ch,
      'A member left the presence channel (its last connection there closed or unsubscribed)',
      typeOf(e.memberRemoved),
      [f('user_id', 'string')],
    ),
  ];
}

export function presenceWho(ctx: Pick<DesignCtx, 'input'>): { field: string; noun: string; noteMd?: string } {
  return sharedSecretAt(ctx)
    ? {
        field: 'clientId',
        noun: 'client',
        noteMd:
          'a random id the client keeps in sessionStorage and sends when it connects, beside the shared secret, which names no user, so it identifies no one and only lets a reconnect cancel the grace',
      }
    : { field: 'userId', noun: 'user' };
}

/**
 * The room a presence entry belongs to, where the code keeps presence per room (its presence events
 * name one: `{ ticketId, viewers }`): the room id field, so entries are per (room, user), not per user.
 * Null where presence is per user (or the code shows none).
 */
export function presenceScope(ctx: DesignCtx): string | null {
  return coreOf(ctx).objects.some((o) => o.kind === 'presence' && o.origin === 'code' && o.parent !== null) ? names(ctx).roomId : null;
}

/** What one presence entry is keyed by: `userId`, or `(ticketId, userId)` where presence is per room. */
function presenceKeyMd(ctx: DesignCtx): string {
  const scope = presenceScope(ctx);
  return scope ? `(${scope}, ${presenceWho(ctx).field})` : presenceWho(ctx).field;
}

/** `MessageSendPayload`-style type names from the event's own name (`chat.send` → `ChatSendPayload`). */
const typeOf = (name: string): string => `${pascal(name)}Payload`;

/** The project's own chat events where it has them (`ticket:join`, `chat.send`), new names in its style for the rest. */
const names = (ctx: DesignCtx): ChatNames => {
  const found = chatNames(ctx.input.analysis.events, coreOf(ctx).style);
  // A provider protocol our server speaks (Pusher's) names the leave and the member announcements itself.
  const served = protocolTraits(ctx).served;
  return served ? { ...found, names: { ...found.names, leave: served.events.unsubscribe, presence: served.events.memberAdded } } : found;
};

/** Where the context keeps messages only while the room lives (Core design lifetime `memory`): its evidence, else null. */
const inMemory = (ctx: DesignCtx): string | null =>
  coreOf(ctx).objects.find((o) => o.kind === 'message' && o.decision.lifetime === 'memory')?.sessionOnly?.at ?? null;

/**
 * Where the context asks for no history of the messages (Core design lifetime `memory`, no versioning)
 * and one process of ours holds each room (a runtime where a socket opens its room: PartyKit, a Durable
 * Object), so it relays a room's messages in one order and its memory is the room's; with a fleet of
 * instances each would keep its own order and its own last messages: a fire-and-forget broadcast, with the last few kept in memory for whoever
 * joins later; no seq, ack, dedup key, replay or offline queue. Its evidence, else null.
 */
const fireAndForget = (ctx: DesignCtx): string | null =>
  managedProvider(ctx.input) || !roomPerConnection(ctx)
    ? null
    : (coreOf(ctx).objects.find((o) => o.kind === 'message' && o.decision.lifetime === 'memory' && o.decision.versioning === 'none')?.sessionOnly?.at ?? null);

/** The event a server sends each client as it connects (its starting state), if the code has one. */
const connectSnapshot = (ctx: DesignCtx): string | null =>
  coreOf(ctx).objects.find((o) => o.snapshot && o.events.some((e) => e.direction !== 'client-to-server'))?.events[0]?.name ?? null;

const EDIT = /^(edit|edits|edited|editing)$/;
const REACTION = /^(react|reacted|reaction|reactions|emoji)$/;

/** Which of edits and reactions the project's events or its context show ("edits and reactions", "reactions"), null when neither. */
function editsShown(ctx: DesignCtx): string | null {
  const eventWords = ctx.input.analysis.events.flatMap((e) => words(e.name));
  const said = (re: RegExp) => ctx.input.sessions.docs.some((d) => d.body.split(/[^A-Za-z]+/).some((w) => re.test(w.toLowerCase())));
  const edit = eventWords.some((w) => EDIT.test(w)) || said(EDIT);
  const reaction = eventWords.some((w) => REACTION.test(w)) || said(REACTION);
  return edit && reaction ? 'edits and reactions' : edit ? 'edits' : reaction ? 'reactions' : null;
}

/** True when the task asks for chat messages (roles.ts). */
export const chatAsked = (ctx: Pick<DesignCtx, 'input'>): boolean => asksForChat(ctx.input);

/** One connection is one room (a room's URL, a LiveKit room connection): the connection is the join, and no join or leave event is proposed. */
const connectionIsRoom = (ctx: DesignCtx): boolean => roomPerConnection(ctx) || managedProvider(ctx.input)?.connectJoins !== undefined;

/** Typing is proposed with a chat, or where the code or context shows it. */
/** Typing is designed only where the context or the code asks for it: a chat alone does not. */
const typingAsked = (ctx: DesignCtx): boolean => shownBy(ctx.input, 'typing', 'typing') !== null;
/**
 * What typing goes by on a managed provider: the client send the code already makes for it (a typing
 * event the browser sends on the provider's channel, where the provider has client sends), else the
 * provider's server-side broadcast. Decided once, so every section names the same sender.
 */
const typingSendMd = (ctx: DesignCtx, p: ManagedProvider): string =>
  p.clientEventMd && ctx.input.analysis.events.some((e) => e.origin === 'existing' && !e.protocol && e.direction !== 'server-to-client' && typingStart(e.name))
    ? p.clientEventMd
    : p.broadcast;

/**
 * The provider's table feed the code already receives the chat's messages by (Supabase Postgres
 * Changes on the messages table): the table is the store and its rows carry their order, so no
 * seq, ack timeout or offline queue of ours goes on top of it.
 */
const chatFeed = (ctx: DesignCtx): (TableFeed & { key: string; catchUpMd: string }) | null => {
  const feed = chatAsked(ctx) ? tableFeedOf(ctx.input, names(ctx).names.new) : null;
  return feed?.key && feed.catchUpMd ? { ...feed, key: feed.key, catchUpMd: feed.catchUpMd } : null;
};

/** Our own nodes fan out through pub/sub (the capacity model sized that traffic). */
const crossNode = (ctx: DesignCtx): boolean => ctx.capacity.result.pubsubPublishedPerSecond > 0;

export const chatCollab: ScenarioModule = {
  id: 'chat-collab',
  title: 'Chat rooms, presence and typing',
  // A task that asks for no chat (a head count, reactions) is not called a chat.
  titleFor: (input) =>
    asksForChat(input)
      ? shownBy(input, 'typing', 'typing') !== null
        ? 'Chat rooms, presence and typing'
        : 'Chat rooms and presence'
      : shownBy(input, 'typing', 'typing') !== null
        ? 'Rooms, presence and typing'
        : 'Rooms and presence',
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
    const n = names(ctx).names;
    const base = { event: n.join, cursor: 'afterSeq', mutation: n.send, key: 'clientMsgId' };
    // Presence only: nothing is stored or ordered, so nothing is replayed; a client reads who is there now.
    if (!chatAsked(ctx))
      return {
        event: roomPerConnection(ctx) ? 'room URL' : (p?.connectJoins ?? n.join),
        cursor: names(ctx).roomId,
        mutation: null,
        key: null,
        seq: false,
        catchUpLabel: 'Reading who is in the room',
        catchUpMd: `Rooms with presence: nothing is replayed after a reconnect, since who is in a ${names(ctx).room} is current state, not a log: the client takes the members from ${p ? p.presence : `the answer to ${code(n.join)}`} once it is back, and events sent while it was away are not delivered again.`,
        optimisticMd: 'Nothing is applied optimistically: a client changes only its own presence, which the provider or the server announces.',
        offlineMd: 'Nothing is queued offline: presence and room events sent while disconnected are stale by the time the client is back.',
      };
    // No history asked: nothing carries a seq or is replayed; the recent messages come with the connect (or the join).
    const ephemeral = fireAndForget(ctx);
    if (ephemeral) {
      const { room } = names(ctx);
      const snap = connectSnapshot(ctx);
      const on = roomPerConnection(ctx) ? 'on every connect' : `in the answer to every ${code(n.join)}`;
      return {
        event: roomPerConnection(ctx) ? 'room URL' : n.join,
        cursor: names(ctx).roomId,
        mutation: null,
        key: null,
        seq: false,
        catchUpLabel: 'Reading the recent messages',
        catchUpMd: `Nothing is replayed: the context asks for no history (${code(ephemeral)}), so messages carry no seq and a reconnecting client is not caught up message by message; ${on} the ${room} sends the last ${RECENT_MESSAGES} messages it holds in memory (${defaultSource(ctx, false)})${snap ? ` (with ${code(snap)}, the state it already sends as a client connects)` : ''}, which replace what the client shows. They live as long as the ${room} does, so a deploy, or the ${room} being unloaded once idle, starts the chat afresh.`,
        optimisticMd: `A sent ${code(n.send)} is shown by its sender at once and broadcast by the server to the ${room} as it arrives: it is neither acked nor retried, so a message sent into a connection that has just dropped is lost without notice (add an ack only if the team needs that).`,
        offlineMd: `Nothing is queued offline: the message input is disabled while the connection is down, since the chat keeps no history to fit a late message into.`,
      };
    }
    if (roomPerConnection(ctx))
      return {
        ...base,
        event: 'room URL',
        catchUpLabel: 'Catching up (room URL with afterSeq)',
        catchUpMd: inMemory(ctx)
          ? `A reconnecting client opens its room's URL again with ${code('afterSeq')} in the query: the room replays the messages after it from the ones it holds in memory before live ones; they live as long as the room does, so a deploy, or the room being unloaded once idle, starts the chat afresh, which the context allows (${code(inMemory(ctx)!)}).`
          : `A reconnecting client opens its room's URL again with ${code('afterSeq')} in the query: the room's object replays the messages after it from its own storage before live ones, or, past what it keeps, sends the recent history whole.`,
      };
    // A managed channel replays nothing: the database is the log the client catches up from.
    // Past the log, the join's answer says so and the latest messages replace what the client held.
    if (!p)
      return {
        ...base,
        catchUpMd: `After every reconnect the client re-sends ${code(n.join)} with ${code('afterSeq')} for each ${names(ctx).room} it shows; the server replays the messages after it from a bounded log (10 minutes or 10,000 per ${names(ctx).room}) or, past that, answers ${code("mode: 'reset'")} and sends the ${names(ctx).room}'s latest messages, which replace what the client held.`,
      };
    // The code already receives the messages as the provider's table rows: the table is the log, its rows their own order.
    const feed = chatFeed(ctx);
    if (feed)
      return {
        ...base,
        event: p.connectJoins ?? `the ${p.label} channel's rejoin`,
        cursor: feed.key,
        seq: false,
        catchUpLabel: `Catching up (${p.label} rejoin, then a query of the ${feed.table} table)`,
        recoverWithMd: `its ${p.label} channel's rejoin and a query of the room's ${code(feed.table)} rows in the catch-up window (State synchronization), merged by id`,
        catchUpMd: `Chat rooms, presence and typing: ${feed.catchUpMd}.`,
        optimisticMd: `Chat rooms, presence and typing: a sent ${code(n.send)} shows as pending until its insert returns the stored row (${code('.insert(…).select()')}), which replaces it; a refused or failed insert marks it not sent, and a retry reuses its ${code('clientMsgId')}. No ack timeout or rebuild of ours: the row ${code(feed.event)} delivers is the message.`,
        offlineMd: `Chat rooms, presence and typing: nothing is queued offline: a message is a row the browser inserts over HTTP, not a frame on the ${p.label} socket, so while the insert cannot reach the database the message shows as not sent and the user retries it.`,
      };
    return {
      ...base,
      // The SDK rejoins the channel itself (LiveKit: a new room.connect): no join message of ours carries the cursor.
      event: p.connectJoins ?? `the ${p.label} channel's rejoin`,
      catchUpLabel: `Catching up (${p.label} rejoin, then a query after afterSeq)`,
      recoverWithMd: `its ${p.label} channel's rejoin and a query for the messages after its ${code('afterSeq')}`,
      catchUpMd: `Chat rooms, presence and typing: a reconnecting client waits for its ${p.label} channel to rejoin, then selects the messages with ${code('seq')} above its ${code('afterSeq')} ${p.catchUpReadMd}; ${p.label} itself replays nothing missed while offline.`,
    };
  },
  summaryMd: (ctx) => {
    const p = managedProvider(ctx.input);
    if (!chatAsked(ctx))
      return p
        ? `Rooms on the existing ${p.label} client: ${p.channel}; ${p.presence} for who is in each room${typingAsked(ctx) ? `; ${typingSendMd(ctx, p)} for typing` : ''}. No chat messages are proposed: the task asks for none. No WebSocket server of our own.`
        : `Rooms with presence${typingAsked(ctx) ? ' and typing indicators' : ''}: who is in each room, announced as members join and leave. No chat messages are proposed: the task asks for none.`;
    if (p)
      return `Rooms on the existing ${p.label} client: ${p.channel}; messages stored in the database under a unique (${code(names(ctx).roomId)}, ${code('clientMsgId')}) key and delivered by ${p.changes}; ${p.presence} for who is online${typingAsked(ctx) ? `; ${typingSendMd(ctx, p)} for typing` : ''}. No WebSocket server of our own.`;
    if (fireAndForget(ctx))
      return `Rooms with presence${typingAsked(ctx) ? ' and typing indicators' : ''}; chat messages are broadcast to the ${names(ctx).room} as they arrive (fire-and-forget: no seq, ack or offline queue), and the ${names(ctx).room} keeps the last ${RECENT_MESSAGES} in memory for members who join later, since the context asks for no history (${code(fireAndForget(ctx)!)}).`;
    return `Rooms with presence${typingAsked(ctx) ? ' and typing indicators' : ''}; messages carry a client id (${code('clientMsgId')}) and a server ${code('seq')}, are acknowledged, and are delivered at least once with deduplication.${readMarkerOf(ctx) ? ` Unread counts and mentions follow one read marker per (user, room), the highest ${code('readSeq')} the user's devices reported, sent to all of them (${code(readMarkerNames(ctx, readMarkerOf(ctx)!).moved)}).` : ''}`;
  },
  events: (ctx) => {
    const { room, roomId: rid, names: n } = names(ctx);
    const ch = chatChannel(ctx, 'typing');
    // On a managed provider there is no server of ours to ack a join or stamp a typing event.
    const p = managedProvider(ctx.input);
    // Opening the socket on the room's URL is the join, closing it the leave: no events for them.
    // On a managed provider the SDK's channel subscribe is the join, allowed by the credential our route signs: no join or leave message of ours.
    const membership =
      connectionIsRoom(ctx) || p
        ? []
        : [
            joinEvent(ctx),
            ev(n.leave, 'client-to-server', ch, p ? `Unsubscribe from the ${room} channel` : `Leave a ${room}`, typeOf(n.leave), [
              // The provider protocol our server speaks names the channel in its own field (Pusher's `channel`).
              f(protocolTraits(ctx).served ? 'channel' : rid, 'string'),
            ]),
          ];
    const chat = chatAsked(ctx);
    const typing = typingAsked(ctx);
    return [
      ...membership,
      ...(chat ? chatEvents(ctx) : []),
      ...(chat && readMarkerOf(ctx) ? readMarkerEvents(ctx, readMarkerOf(ctx)!) : []),
      // A managed provider announces members itself (Pusher's `pusher:member_added`, LiveKit's participants, Ably and
      // Supabase presence): its own presence is the primitive, and no presence event of ours is proposed beside it.
      ...(p
        ? []
        : protocolTraits(ctx).served
          ? servedPresence(ctx, ch)
          : [
              ev(n.presence, 'server-to-client', ch, 'A member came online, went idle or left', typeOf(n.presence), [
                f(rid, 'string'),
                f(presenceWho(ctx).field, 'string', presenceWho(ctx).noteMd),
                f('status', "'online' | 'away' | 'offline'"),
              ]),
            ]),
      ...(typing
        ? [
            ev(
              n.typing,
              'both',
              ch,
              p ? `Typing started or stopped, sent with ${typingSendMd(ctx, p)}; never acked` : 'Typing started or stopped; throttled, never acked',
              typeOf(n.typing),
              [
                f(rid, 'string'),
                f(
                  presenceWho(ctx).field,
                  'string',
                  p ? 'set by the sending client: display only, never used for authorization' : 'set by the server, ignored from clients',
                  true,
                ),
                f('typing', 'boolean'),
              ],
            ),
          ]
        : []),
    ];
  },
  flows: (ctx) => {
    // Presence only: no message flow, and the join replays nothing.
    if (!chatAsked(ctx)) return [];
    const marker = readMarkerOf(ctx);
    // The read markers are what the context asked for beyond the chat itself: drawn right after the send.
    const [first, ...rest] = chatFlows(ctx);
    return [...(first ? [first] : []), ...(marker ? [readMarkerFlow(ctx, marker)] : []), ...rest];
  },
  sync: (ctx) => {
    const marker = chatAsked(ctx) ? readMarkerOf(ctx) : null;
    return [...chatSync(ctx), ...(marker ? [readMarkerSync(marker)] : [])];
  },
  risks: (ctx) => chatRisks(ctx),
  tests: (ctx) => [
    ...(chatAsked(ctx) && fireAndForget(ctx)
      ? [
          `a member who joins a ${names(ctx).room} is sent its last ${RECENT_MESSAGES} messages and no older one`,
          `every member of a ${names(ctx).room} receives each ${names(ctx).names.new} once, in the order the server broadcast them`,
        ]
      : []),
    ...(chatAsked(ctx) && !fireAndForget(ctx)
      ? [
          `retrying ${names(ctx).names.send} with the same clientMsgId stores one message`,
          chatFeed(ctx)
            ? `two members in one ${names(ctx).room} receive ${names(ctx).names.new} in the same order, and a member back from a drop shows each ${code(chatFeed(ctx)!.table)} row once`
            : `two members in one ${names(ctx).room} receive ${names(ctx).names.new} in the same seq order`,
        ]
      : []),
    profileOf(ctx).presenceKey?.testMd ??
      `presence shows offline only after ${presenceGrace(ctx).phraseMd} and not on a quick reconnect${crossNode(ctx) ? ', also when the reconnect lands on another instance' : ''}`,
    ...(shownBy(ctx.input, 'typing', 'typing') ? [`a typing indicator clears ${fmt(TYPING_CLEAR_MS / 1000)} s after its sender's last typing event`] : []),
  ],
  steps: (ctx) => {
    const marker = chatAsked(ctx) ? readMarkerOf(ctx) : null;
    return [...chatSteps(ctx), ...(marker ? [readMarkerStep(ctx, marker)] : [])];
  },
  // On a managed provider with no messages of ours, nothing of ours receives an event for a room: the provider refuses the join itself.
  // Where a socket opens its room's URL (a PartyKit room, a Durable Object), it belongs to that one room: no event names another.
  // With no server of ours (the browser writes rows under the provider's row policies), nothing checks room membership
  // on an event: a refused write is the policy's refusal, FORBIDDEN, so no step or rule could produce NOT_A_MEMBER.
  errors: (ctx) =>
    // A provider protocol our server speaks (Pusher's) refuses a subscription with its own `pusher:subscription_error`.
    (managedProvider(ctx.input) && !chatAsked(ctx)) ||
    roomPerConnection(ctx) ||
    profileOf(ctx).noServer !== undefined ||
    protocolTraits(ctx).served !== undefined
      ? []
      : [{ code: 'NOT_A_MEMBER', when: 'event for a room the user has not joined', clientMd: 're-join or leave the view' }],
  metrics: [
    {
      name: 'chat_message_ack_seconds',
      type: 'histogram',
      labels: 'room_size_bucket',
      whyMd: 'send-to-ack latency against the p95 SLO',
      onlyIf: (ctx) => chatAsked(ctx) && !fireAndForget(ctx),
    },
    { name: 'presence_online_users', type: 'gauge', labels: '', whyMd: 'members shown online (one per presence entry), not sockets' },
  ],
};

/**
 * The channel a room's events of one role travel on. On a managed provider the channel is the
 * provider's, named as the code names it: the channel the project's own event of that role (or its
 * message events) travels on (`presence-project-${projectId}` at a `pusher.subscribe`); without one, a
 * new channel under the provider's naming rule; else rt-plan's room naming.
 */
export function chatChannel(ctx: DesignCtx, role: Role): string {
  const { room, roomId: rid } = names(ctx);
  const p = managedProvider(ctx.input);
  if (!p) return roomChannel(ctx, room, rid);
  const events = ctx.input.analysis.events;
  const own = (r: Role) => existingFor(events, r)?.room;
  const found = role === 'new' || role === 'send' ? (own('new') ?? own('send')) : (own(role) ?? own('new') ?? own('send'));
  if (found) return found;
  return p.roomChannel && projectRooms(ctx).length === 0 ? p.roomChannel.name(room, rid) : roomChannel(ctx, room, rid);
}

/**
 * The route of ours that already takes a message: the POST whose handler publishes the project's
 * stored-message event (the publish line within the handler, `route-body`), with the body fields it
 * reads and the first path parameter. The plan extends it rather than proposing a route with other
 * field names, which the client that posts to it today would not send.
 */
export function existingSendRoute(ctx: DesignCtx): { route: string; evidence: string; fields: string[]; param: string | null } | null {
  const published = existingFor(ctx.input.analysis.events, 'new');
  const at = published?.direction === 'server-to-client' ? published.evidence : null;
  if (!at) return null;
  const file = at.replace(/:\d+$/, '');
  const line = Number(at.slice(file.length + 1));
  const body = (ctx.input.analysis.modelFacts ?? []).find((x) => {
    if (x.kind !== 'route-body' || !/^(?:POST|PUT|PATCH) /.test(x.name) || x.handlerEnd === undefined) return false;
    const own = x.evidence.replace(/:\d+$/, '');
    const from = Number(x.evidence.slice(own.length + 1));
    return own === file && line >= from && line <= x.handlerEnd;
  });
  if (!body) return null;
  return {
    route: body.name,
    evidence: body.evidence,
    fields: (body.value ?? '').split(', ').filter(Boolean),
    param: /\/:(\w+)/.exec(body.name)?.[1] ?? null,
  };
}

/** The message send and the stored message, with ack and dedup. */
function chatEvents(ctx: DesignCtx): EventSpec[] {
  const { room, roomId: rid, names: n } = names(ctx);
  const ch = chatChannel(ctx, 'new');
  const p = managedProvider(ctx.input);
  // On a provider our route stores and publishes: where that route exists, the send is it, with its own field names.
  const route = p && !p.rowWriteMd ? existingSendRoute(ctx) : null;
  const key = route?.param ?? rid;
  const send = ev(
    n.send,
    'client-to-server',
    ch,
    p?.rowWriteMd
      ? `${p.rowWriteMd} (unique ${rid} + clientMsgId); the returned row is the ack`
      : route
        ? `The existing ${route.route} (${route.evidence}), extended: it keeps its path and the body fields it reads today (${route.fields.join(', ')}), so the client that posts them keeps working, adds clientMsgId, stores the row under a unique (${key}, clientMsgId) key and answers with it (the ack); the message reaches the channel by ${p!.changes}`
        : p
          ? `An HTTP POST to our route: it stores the row under a unique (${rid}, clientMsgId) key and answers with it (the ack); the message reaches the channel by ${p.changes}`
          : 'Post a message; retried with the same clientMsgId until acked',
    typeOf(n.send),
    route
      ? [...route.fields.map((x) => f(x, 'unknown', 'as the route reads it today')), f('clientMsgId', 'string', 'UUID, dedup key')]
      : [f(rid, 'string'), f('clientMsgId', 'string', 'UUID, dedup key'), f('text', 'string', 'max 4,000 characters')],
    [f('clientMsgId', 'string'), f('messageId', 'string'), ...(chatFeed(ctx) ? [] : [f('seq', 'integer')])],
  );
  if (route) send.route = route.route;
  // No history asked: a broadcast as it arrives, with no dedup key, ack or seq.
  if (fireAndForget(ctx))
    return [
      ev(n.send, 'client-to-server', ch, `Post a message; broadcast to the ${room} as it arrives, never acked or retried`, typeOf(n.send), [
        f(rid, 'string'),
        f('text', 'string', 'max 4,000 characters'),
      ]),
      ev(
        n.new,
        'server-to-client',
        ch,
        `A message, in the order the server broadcast it; the last ${RECENT_MESSAGES} are kept in the ${room}'s memory`,
        typeOf(n.new),
        [f(rid, 'string'), f('authorId', 'string'), f('text', 'string'), f('sentAt', 'string', 'ISO 8601, server clock')],
      ),
    ];
  // On a provider the send is an HTTP request (our route, or a row under the provider's policies), never a message on the channel.
  if (p) send.overHttp = true;
  return [
    send,
    ev(n.new, 'server-to-client', ch, p ? `A stored message, delivered by ${p.changes}` : `A stored message, in ${room} seq order`, typeOf(n.new), [
      f(rid, 'string'),
      f('messageId', 'string'),
      f('clientMsgId', 'string'),
      ...(chatFeed(ctx) ? [] : [f('seq', 'integer')]),
      f('authorId', 'string'),
      f('text', 'string'),
      f('sentAt', 'string', 'ISO 8601, server clock'),
    ]),
  ];
}

function chatFlows(ctx: DesignCtx): Flow[] {
  const { room, roomId: rid, names: n } = names(ctx);
  const parts = [
    ...cs(ctx).filter((p) => p.key !== 'user'),
    { key: 'peer', label: `Other members of the ${room}` },
    { key: 'db', label: inMemory(ctx) ? `Messages in the ${room}'s memory` : 'Message store' },
  ];
  if (fireAndForget(ctx)) {
    const title = `${n.send} broadcast`;
    return [
      {
        title,
        opens: n.send,
        summaryMd: `The server appends the message to the ${room}'s last ${RECENT_MESSAGES} in memory and broadcasts it to the others; nothing is acked, deduplicated or stored, since the context asks for no history (${code(fireAndForget(ctx)!)}).`,
        diagram: sequenceDiagram(title, {
          participants: parts,
          autonumber: true,
          steps: [
            { kind: 'message', from: 'client', to: 'server', text: send(ctx, n.send, 'text') },
            { kind: 'message', from: 'server', to: 'db', text: `append, keep the last ${RECENT_MESSAGES}` },
            { kind: 'message', from: 'server', to: 'peer', text: n.new, style: 'async' },
          ],
        }),
      },
    ];
  }
  const sendTitle = `${n.send} with ack and dedup`;
  const joinTitle = `${n.join} with catch-up and presence`;
  return [
    {
      title: sendTitle,
      opens: n.send,
      summaryMd: `The server ${inMemory(ctx) ? `keeps the message in the ${room}'s memory` : 'stores the message'} under a unique (${code(rid)}, ${code('clientMsgId')}) key before acking, so a retry after a lost ack returns the stored ${code('messageId')} and ${code('seq')} instead of a duplicate.${inMemory(ctx) ? '' : noStoreMd(ctx)}`,
      diagram: sequenceDiagram(sendTitle, {
        participants: parts,
        autonumber: true,
        steps: [
          { kind: 'message', from: 'client', to: 'server', text: send(ctx, n.send, '+ clientMsgId') },
          { kind: 'message', from: 'server', to: 'db', text: `insert unless (${rid}, clientMsgId) exists` },
          { kind: 'message', from: 'server', to: 'client', text: 'ack messageId, seq', style: 'reply' },
          { kind: 'message', from: 'server', to: 'peer', text: `${n.new} with seq`, style: 'async' },
          {
            kind: 'block',
            type: 'opt',
            label: 'ack lost, client retries after 5 s',
            steps: [
              { kind: 'message', from: 'client', to: 'server', text: send(ctx, n.send, 'same clientMsgId') },
              { kind: 'message', from: 'server', to: 'client', text: 'ack with the stored messageId and seq, no second insert', style: 'reply' },
            ],
          },
        ],
      }),
    },
    // On a room-per-connection runtime the join is the connection itself, and on a managed provider the SDK's channel subscribe: no join flow to draw.
    ...(connectionIsRoom(ctx) || managedProvider(ctx.input)
      ? []
      : [
          {
            title: joinTitle,
            opens: n.join,
            summaryMd: `${code(n.join)} carries ${code('afterSeq')}: the server replays the messages after it and announces the member; ${presenceScope(ctx) ? `a member leaves the ${room}'s viewers` : `presence goes ${code('offline')}`} only after ${presenceGrace(ctx).phraseMd} so reconnects do not flicker.`,
            diagram: sequenceDiagram(joinTitle, {
              participants: parts,
              steps: [
                { kind: 'message', from: 'client', to: 'server', text: send(ctx, n.join, `${rid}, afterSeq`) },
                { kind: 'message', from: 'server', to: 'client', text: 'ack members, headSeq', style: 'reply' },
                { kind: 'message', from: 'server', to: 'client', text: `${n.new} for seq > afterSeq (replay)`, style: 'async' },
                { kind: 'message', from: 'server', to: 'peer', text: presenceAnnounce(ctx), style: 'async' },
              ],
            }),
          },
        ]),
  ];
}

/**
 * What the join flow's presence announcement carries, from the same decision as the protocol: an
 * existing presence event keeps the payload the code sends (`presence:update ticketId, viewers`,
 * the room's viewer list), and the proposed one carries `status: 'online'`.
 */
function presenceAnnounce(ctx: DesignCtx): string {
  const n = names(ctx).names;
  const fields = ctx.input.analysis.events.find((e) => e.name === n.presence && e.origin === 'existing' && (e.payload?.length ?? 0) > 0)?.payload;
  return fields ? `${n.presence} ${[...new Set(fields.map((f) => f.name))].join(', ')}` : `${n.presence} online`;
}

function chatSync(ctx: DesignCtx): { data: string; strategy: string; whyMd: string }[] {
  const typing = shownBy(ctx.input, 'typing', 'typing') !== null;
  const p = managedProvider(ctx.input);
  // On a managed provider the provider keeps the member list and drops a member whose connection goes:
  // no TTL or heartbeat of ours; only a typing indicator is timed by the clients.
  const held = p
    ? [
        {
          data: 'presence',
          strategy: `Ephemeral, kept by ${p.label} (${p.presence}): no TTL or heartbeat of ours`,
          whyMd: `${p.label} removes a member when its connection leaves or closes; a reconnecting client reads the list again. Never persisted.`,
        },
        ...(typing
          ? [
              {
                data: 'typing',
                strategy: 'Ephemeral, soft state with TTL',
                whyMd: `Each receiver clears a sender's indicator ${fmt(TYPING_CLEAR_MS / 1000)} s after its last typing event; never persisted.`,
              },
            ]
          : []),
      ]
    : [
        {
          data: typing ? 'presence and typing' : 'presence',
          strategy: 'Ephemeral, soft state with TTL',
          whyMd: 'Rebuilt from heartbeats after any failure; never persisted.',
        },
      ];
  // No messages proposed: no message order, edits or reactions on messages to decide.
  if (!chatAsked(ctx)) return held;
  const edits = editsShown(ctx);
  const ephemeral = fireAndForget(ctx);
  return [
    ephemeral
      ? {
          data: 'chat messages',
          strategy: `Broadcast as they arrive; the last ${RECENT_MESSAGES} kept in the ${names(ctx).room}'s memory`,
          whyMd: `The context asks for no history (${code(ephemeral)}): one server relays each ${names(ctx).room}'s messages in the order it receives them, so no seq is needed; a member who joins is sent the recent ones.`,
        }
      : chatFeed(ctx)
        ? {
            data: 'chat messages',
            strategy: `Append-only rows of ${code(chatFeed(ctx)!.table)}, in commit order`,
            whyMd: `Messages are immutable once stored: ${chatFeed(ctx)!.orderMd}.`,
          }
        : {
            data: 'chat messages',
            strategy: 'Append-only, server seq per room',
            whyMd: 'Messages are immutable once stored; the server seq gives every member the same order.',
          },
    // Only where the project or its context has edits or reactions: a policy for objects it does not have is noise.
    ...(edits
      ? [
          {
            data: `message ${edits}`,
            strategy: edits === 'reactions' ? 'One set per message, keyed by user' : 'Last-writer-wins per message field',
            whyMd: [
              edits !== 'reactions' ? 'Edits by one author rarely race' : '',
              edits !== 'edits' ? 'reactions are a set keyed by user, so concurrent adds commute' : '',
            ]
              .filter(Boolean)
              .join('; ')
              .replace(/^./, (c) => c.toUpperCase())
              .concat('.'),
          },
        ]
      : []),
    ...held,
  ];
}

/** The columns dedup and ordering add to each stored message. */
const DEDUP_COLUMNS = [
  { name: 'clientMsgId', type: 'TEXT' },
  { name: 'seq', type: 'INTEGER' },
] as const;

/**
 * The table the code creates and inserts its messages into, where it lacks the columns dedup and
 * ordering add: a table every existing object (or database) already has keeps its columns
 * (`CREATE TABLE IF NOT EXISTS` never alters it), so the step migrates it once, and names the
 * columns of an INSERT that lists its values by position.
 */
function tableMigration(ctx: DesignCtx): { path: string; action: 'change'; why: string; lines: string[] }[] {
  const facts = ctx.input.analysis.modelFacts ?? [];
  const inserted = new Set(facts.filter((x) => x.kind === 'storage-write' && x.value === 'INSERT').map((x) => x.store ?? ''));
  const tables = facts.filter((x) => x.kind === 'storage-table' && inserted.has(x.store ?? ''));
  if (tables.length !== 1) return [];
  const t = tables[0]!;
  const has = new Set((t.value ?? '').split(',').map((c) => c.toLowerCase()));
  const missing = DEDUP_COLUMNS.filter((c) => !has.has(c.name.toLowerCase()));
  if (missing.length === 0) return [];
  const line = t.evidence.split(':').pop();
  const positional = facts.filter((x) => x.kind === 'positional-insert' && x.store === t.store);
  const alters = missing.map((c) => code(`ALTER TABLE ${t.store} ADD COLUMN ${c.name} ${c.type}`)).join(' and ');
  return [
    {
      path: t.evidence.replace(/:\d+$/, ''),
      action: 'change',
      why: `the ${code(t.store ?? '')} table (line ${line}) has no ${missing.map((c) => code(c.name)).join(' or ')} column, and ${t.ifNotExists ? `${code('CREATE TABLE IF NOT EXISTS')} never alters a table that already exists` : 'a table that already exists keeps its columns'}: migrate each object's existing table once, ${alters}, then ${code(`CREATE UNIQUE INDEX IF NOT EXISTS ${t.store}_dedup ON ${t.store} (clientMsgId)`)} (the table is the room object's own, so the room is implied), guarded by a schema version kept in the same storage and checked before the first message is handled${positional.length > 0 ? `; name the columns in the INSERT at line ${positional.map((x) => x.evidence.split(':').pop()).join(', ')}, which lists its values by position and fails once the table has more columns` : ''}`,
      lines: [line!, ...positional.filter((x) => x.evidence.replace(/:\d+$/, '') === t.evidence.replace(/:\d+$/, '')).map((x) => x.evidence.split(':').pop()!)],
    },
  ];
}

function chatSteps(ctx: DesignCtx): StepDraft[] {
  const p = managedProvider(ctx.input);
  const chat = chatAsked(ctx);
  const typing = typingAsked(ctx);
  if (p)
    return providerSteps(ctx, p, {
      title: typing ? 'Rooms, presence and typing' : 'Rooms and presence',
      uses: [...(chat ? [`messages by ${p.changes}`] : []), `online state by ${p.presence}`, ...(typing ? [`typing by ${typingSendMd(ctx, p)}`] : [])].join(
        ', ',
      ),
      clientName: 'room-channel',
    });
  const steps: StepDraft[] = [
    {
      title: 'Room and message handlers',
      files: [
        {
          path: serverFile(ctx, 'rooms'),
          action: 'create',
          why: fireAndForget(ctx)
            ? `${code(names(ctx).names.send)} broadcast to the ${names(ctx).room} as it arrives, the last ${RECENT_MESSAGES} kept in memory and sent to each member ${roomPerConnection(ctx) ? 'as it connects' : `in the answer to ${code(names(ctx).names.join)}`}; no seq, ack or dedup (the context asks for no history)`
            : roomPerConnection(ctx)
              ? `${code(names(ctx).names.send)} with dedup and seq, and the catch-up from ${code('afterSeq')} on connect`
              : `${code(names(ctx).names.join)}, ${code(names(ctx).names.leave)}, ${code(names(ctx).names.send)} with dedup and seq`,
        },
        ...tableMigration(ctx),
        // A handler whose `{ event, data }` return the framework emits instead of acking (Event protocol says why).
        ...(protocolTraits(ctx).returnedAckMd
          ? (ctx.input.analysis.modelFacts ?? [])
              .filter((x) => x.kind === 'ws-response-return' && x.name === names(ctx).names.send)
              .map((x) => ({
                path: x.evidence.replace(/:\d+$/, ''),
                action: 'change' as const,
                why: `the ${code(x.name)} handler (line ${x.evidence.split(':').pop()}) returns the ack value instead of ${code('{ event, data }')}, which Nest emits as ${code(x.value ?? '')} rather than acking (Event protocol)`,
                lines: [x.evidence.split(':').pop()!],
              }))
          : []),
      ],
      detailMd: fireAndForget(ctx)
        ? roomPerConnection(ctx)
          ? 'Authorize the room on connect; relay, never store.'
          : 'Authorize membership on join; relay, never store.'
        : roomPerConnection(ctx)
          ? 'Authorize the room on connect; store before ack.'
          : 'Authorize membership on join; store before ack.',
    },
    {
      title: typing ? 'Presence and typing' : 'Presence',
      files: [
        {
          path: serverFile(ctx, 'presence'),
          action: 'create',
          why: `${presenceWho(ctx).noteMd ? `presence keyed by ${code(presenceWho(ctx).field)}, ${presenceWho(ctx).noteMd}; ` : ''}${profileOf(ctx).presenceWhyMd ?? (presenceScope(ctx) ? `a connection count per ${presenceKeyMd(ctx)}, since presence is per ${names(ctx).room}` : `per-${presenceWho(ctx).noun} connection count`)}${typing ? ', typing throttle' : ''}; ${presenceGrace(ctx).howMd}`,
        },
      ],
      detailMd: crossNode(ctx)
        ? "Presence state in Redis when more than one instance runs, each instance's connections under a key it keeps alive, so an instance that dies takes its users offline."
        : "Presence state lives next to the room's connections, rebuilt from them after a restart.",
    },
    {
      title: 'Client room store',
      files: [
        {
          path: clientFile(ctx, 'room-store'),
          action: 'create',
          // Messages kept only while the room lives need no store that outlives a reload.
          why: fireAndForget(ctx)
            ? `the messages shown, replaced by the last ${RECENT_MESSAGES} the ${names(ctx).room} sends on each connect; the sender's own message shown at once; the input disabled while disconnected (nothing queued)`
            : inMemory(ctx)
              ? 'an in-memory outbox with retries (never IndexedDB: the messages live only as long as the room), dedup by clientMsgId, seq ordering'
              : 'outbox with retries, dedup by clientMsgId, seq ordering',
        },
      ],
      detailMd: fireAndForget(ctx) ? 'No outbox: nothing is acked or retried.' : 'Pending messages render greyed until acked.',
    },
  ];
  if (chat) return steps;
  // Presence only: membership handlers and the presence module; no message store or outbox.
  return [
    {
      title: 'Room membership handlers',
      files: [
        {
          path: serverFile(ctx, 'rooms'),
          action: 'create' as const,
          why: roomPerConnection(ctx) ? 'membership checked on connect' : `${code(names(ctx).names.join)} and ${code(names(ctx).names.leave)}`,
        },
      ],
      detailMd: roomPerConnection(ctx) ? 'Authorize the room on connect.' : 'Authorize membership on join.',
    },
    ...steps.filter((st) => st.title === 'Presence and typing' || st.title === 'Presence'),
  ];
}

/** How long a user with no connection still shows online: one decision every section reads. */
export const PRESENCE_GRACE_MS = 10_000;

/** The presence grace period and how this runtime times it (a timer of ours, or an alarm where a timer would keep a room awake). */
export function presenceGrace(ctx: DesignCtx): { ms: number; phraseMd: string; howMd: string } {
  // A context bound on how soon a gone user disappears leaves one keep-alive of it for the grace (removal.ts).
  const budget = removalBudgetOf(ctx.input.sessions.requirements);
  const ms = budget ? Math.min(PRESENCE_GRACE_MS, livenessFor(budget).keepAliveMs) : PRESENCE_GRACE_MS;
  const grace = `${fmt(ms / 1000)} s`;
  const timed = profileOf(ctx).presenceGraceMd;
  const who = presenceWho(ctx);
  return {
    ms,
    phraseMd: `the ${grace} presence grace period`,
    howMd:
      // One sweep already runs to meet the bound; on a runtime with one alarm per room a second would cancel it.
      budget && profileOf(ctx).sweepMd
        ? `the ${grace} presence grace is checked by the same sweep that removes silent connections (Connection management): it announces offline only for users with no connection for ${grace} or more`
        : timed
          ? `the ${grace} presence grace is ${timed(grace)}`
          : crossNode(ctx)
            ? crossNodeGraceMd(who, ms, presenceScope(ctx), names(ctx).room)
            : `the ${grace} presence grace is a timer per ${who.noun} started when the count reaches 0 and cancelled by a reconnect`,
  };
}

/** How often each instance refreshes its own presence key, how long that key lives, and how often every instance sweeps. */
const INSTANCE_HEARTBEAT_MS = 10_000;
const INSTANCE_ALIVE_MS = 3 * INSTANCE_HEARTBEAT_MS;
const PRESENCE_SWEEP_MS = 2_000;

/**
 * Presence across instances, in Redis. A timer in one process is not cancelled by a reconnect that
 * lands on another instance, and an instance that crashes announces nothing and decrements nothing:
 * so each connection is an entry tagged with its instance, each instance keeps a key alive that
 * expires when it dies, and every instance sweeps both the pending offlines and the dead instances.
 */
function crossNodeGraceMd(who: { field: string; noun: string }, ms: number, scope: string | null = null, room = 'room'): string {
  const grace = `${fmt(ms / 1000)} s`;
  const worst = `${fmt((INSTANCE_ALIVE_MS + PRESENCE_SWEEP_MS + ms) / 1000)} s`;
  // Presence per room: one set per (room, user), and the room's viewers a set of their own that the sweep keeps.
  const key = scope ? `{${scope}}:{${who.field}}` : `{${who.field}}`;
  const entry = scope ? `(${room}, ${who.noun}) pair` : who.noun;
  const viewersMd = scope
    ? `; the ${room}'s viewers are the set ${code(`presence:viewers:{${scope}}`)} of ${who.noun}s with a non-empty set, which every ${code('presence:update')} of that ${room} sends`
    : '';
  const announceMd = scope ? `removes the ${who.noun} from ${code(`presence:viewers:{${scope}}`)} and sends that ${room}'s viewers` : 'announces offline';
  return `the ${grace} presence grace lives in Redis, not in one process's timer, and presence survives an instance that dies: each connection is the member ${code('{instanceId}:{socketId}')} of the set ${code(`presence:conns:${key}`)}, added on ${scope ? 'join' : 'connect'} (with ${code(`ZREM presence:pending ${key}`)}, which cancels a pending offline) and removed on ${scope ? 'leave or disconnect' : 'disconnect'}${viewersMd}, and each instance lists its own members in the hash ${code('presence:instance:{instanceId}')} and refreshes ${code('presence:alive:{instanceId}')} with ${code(`SET … PX ${INSTANCE_ALIVE_MS}`)} every ${fmt(INSTANCE_HEARTBEAT_MS / 1000)} s; when a ${entry}'s set becomes empty the instance adds it to the sorted set ${code('presence:pending')} scored with the time, and every instance sweeps every ${fmt(PRESENCE_SWEEP_MS / 1000)} s: one Lua script removes each pending ${entry} older than ${grace} whose set is still empty, and only the instance whose removal succeeded ${announceMd}; the same sweep finds instances (listed in ${code('presence:instances')}) whose alive key has expired, removes their members from each ${entry}'s set and adds those left with none to ${code('presence:pending')}, so the users of a crashed instance ${scope ? `leave the ${room}s' viewers` : 'go offline'} within about ${worst} instead of staying ${scope ? 'there' : 'online'} for good`;
}

/**
 * Where no manifest declares a database, the message store is not there yet: the plan says a durable
 * one is needed, what is written before the ack, and which stated no-loss must it answers.
 */
function noStoreMd(ctx: DesignCtx): string {
  // A platform's own storage with the room (a Durable Object's SQLite) that the code already writes is a store.
  if (declaredDatabase(ctx) || (ctx.input.analysis.modelFacts ?? []).some((f) => f.kind === 'storage-write')) return '';
  const must = statedMust(ctx, /\b(lost|lose|loss|losing)\b/i);
  return ` The project declares no database, so that store does not exist yet: a durable one (a database table, or Redis only with append-only persistence) has to be added, and each message is written to it with its (${code(names(ctx).roomId)}, ${code('clientMsgId')}) key and its ${code('seq')} before the ack${must ? `: that write is what meets ${quoteOf(must)}, since an acked message then survives the instance that took it` : ''}.`;
}

/** The clear-after rule every typing indicator follows. */
function typingClearMd(): string {
  return `Each receiver keeps the time of every sender's last typing event and clears that sender's indicator ${fmt(TYPING_CLEAR_MS / 1000)} s after it (the 1 per 2 s throttle keeps a steady typist shown)`;
}

/** Presence flicker and typing storms, only where the project has presence or typing (its events or its context). */
function chatRisks(ctx: DesignCtx): EdgeCase[] {
  const out: EdgeCase[] = [];
  const presence = shownBy(ctx.input, 'presence', 'presence');
  if (presence)
    out.push({
      title: 'Presence flicker from duplicate connections',
      riskMd: `Presence (${presence}): several tabs, or a reconnect before the old socket timed out, make it wrong: entries kept per connection count a user twice, and entries kept per user are removed when any one of those connections closes, while another is still open.`,
      // The provider's keyed presence drops an entry as its channel is left or its socket closes: that is the exact list a must asks for.
      mitigationMd:
        (profileOf(ctx).presenceKey ? `${profileOf(ctx).presenceKey!.mitigationMd}${meetsMd(ctx, 'exactPresence', 'must')}` : undefined) ??
        `Track presence per ${presenceKeyMd(ctx)} with a connection count; announce offline only when the count reaches 0 and ${presenceGrace(ctx).phraseMd} has passed (timed as the presence step says).`,
    });
  const typing = shownBy(ctx.input, 'typing', 'typing');
  // The code sets a typing indicator and never clears it: the stale name is a risk of its own.
  const stale = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'typing-never-cleared');
  if (stale)
    out.push({
      title: 'Typing indicator never cleared',
      riskMd: `${code(stale.name)} at ${code(stale.evidence)} sets the indicator on every ${code(stale.value ?? 'typing')} event and nothing sets it back: it keeps showing the last sender after they stopped typing or left.`,
      mitigationMd: `${typingClearMd()}; a receiver that sees the sender leave the room clears it at once.`,
    });
  if (typing)
    out.push({
      title: 'Typing storms',
      riskMd: `Typing (${typing}) fires at keystroke rate, multiplied by the room size.`,
      // A runtime whose socket exposes no send buffer (Workers) cannot see a busy one: the server throttles per sender instead.
      mitigationMd:
        (profileOf(ctx).noServer
          ? "Client throttle (1 per 2 s): no server of ours relays typing to thin it out, and every typing event sent counts toward the plan's messages-per-second quota (see Performance and scaling)."
          : profileOf(ctx).socketHost
            ? `Client throttle (1 per 2 s): ${profileOf(ctx).socketHost!.label} holds the sockets and delivers typing, so no send buffer of ours can shed it; the throttle on each client is the only brake.`
            : profileOf(ctx).noBufferMd
              ? 'Client throttle (1 per 2 s); the server forwards at most one typing event per sender per 2 s and drops the rest, since its sockets expose no send buffer to check.'
              : `Client throttle (1 per 2 s); the server drops typing events when the socket's buffer is busy${protocolTraits(ctx).namedEvents ? ' (volatile emit)' : ''}.`) +
        (stale ? '' : ` ${typingClearMd()}.`),
    });
  return out;
}

/** The join: acked with members and the head seq on a server of ours; a plain channel subscribe on a managed provider. */
function joinEvent(ctx: DesignCtx): EventSpec {
  const { room, roomId: rid, names: n } = names(ctx);
  const ch = chatChannel(ctx, 'join');
  const p = managedProvider(ctx.input);
  // Presence only: nothing to catch up after a join, so no cursor and no message replay.
  if (!chatAsked(ctx))
    return p
      ? ev(n.join, 'client-to-server', ch, `Subscribe to the ${room}'s ${p.label} channel; no ack: members come from presence`, typeOf(n.join), [
          f(rid, 'string'),
        ])
      : ev(
          n.join,
          'client-to-server',
          ch,
          `Join a ${room}; ack returns its members`,
          typeOf(n.join),
          [f(rid, 'string')],
          [f('ok', 'boolean'), f('members', 'string[]')],
        );
  return p
    ? ev(
        n.join,
        'client-to-server',
        ch,
        `Subscribe to the ${room}'s ${p.label} channel; no ack: members come from presence, missed messages from a query after afterSeq`,
        typeOf(n.join),
        [f(rid, 'string'), f('afterSeq', 'integer', 'messages after this seq are fetched', true)],
      )
    : ev(
        n.join,
        'client-to-server',
        ch,
        `Join a ${room}; ack returns members, the last seq, and whether the messages after afterSeq follow (replay) or the log no longer holds them (reset: the latest messages follow and replace what the client held)`,
        typeOf(n.join),
        [f(rid, 'string'), f('afterSeq', 'integer', 'messages after this seq are replayed', true)],
        [f('ok', 'boolean'), f('members', 'string[]'), f('headSeq', 'integer'), f('mode', "'replay' | 'reset'")],
      );
}
