// Notification fan-out per user and per topic, with replay of what a client missed. Each
// notification has a per-user seq that doubles as the SSE event id, so EventSource's
// Last-Event-ID (or an explicit afterSeq) resumes exactly where the client stopped.
import { sequenceDiagram } from '../../diagrams/builders.js';
import { code, text } from '../md.js';
import { contextAsks } from '../constraints.js';
import { coreOf } from '../core/context.js';
import { nameIn } from '../core/names.js';
import { protocolTraits } from '../profiles/protocol.js';
import { WHOLE_FEED } from '../feed.js';
import type { DesignCtx } from '../context.js';
import { cs, ev, f, managedProvider, providerSteps, send, serverFile, clientFile, type ScenarioModule } from './kit.js';

export const notifications: ScenarioModule = {
  id: 'notifications',
  title: 'Notifications fan-out',
  features: ['notifications'],
  words: ['notification', 'notifications', 'notify', 'alerts', 'inbox', 'push'],
  providers: [],
  eventHint: /notif|alert/i,
  needs: { bidirectional: false, binary: false, media: false, rooms: false },
  defaults: {
    connections: 10_000,
    msgRate: 100,
    payloadBytes: 400,
    fanout: 1,
    why: 'one notification per user every 100 s at peak, delivered to that user only',
    whyBy: {
      connections: '10,000 users connected at peak',
      msgRate: 'one notification per user every 100 s at peak',
      payloadBytes: 'notifications of about 400 bytes',
      fanout: 'each notification delivered to its user only',
    },
  },
  resume: (ctx) => ({
    event: protocolTraits(ctx).lastEventId ? 'Last-Event-ID' : 'notification:replay',
    cursor: protocolTraits(ctx).lastEventId ? 'id' : 'afterSeq',
    mutation: receipts(ctx) ? 'notification:read' : null,
    key: receipts(ctx) ? 'ids' : null,
    catchUpMd: managedProvider(ctx.input) ? undefined : durableCatchUpMd(ctx),
  }),
  summaryMd: (ctx) =>
    `Per-user${topics(ctx) ? ' and per-topic' : ''} notifications with a per-user ${code('seq')}, replay of missed ones after reconnect${receipts(ctx) ? ', and read receipts' : ''}.`,
  events: (ctx) => [
    ev(
      newName(ctx),
      'server-to-client',
      'user/{userId}',
      `A notification for this user${topics(ctx) ? ' (also fanned out from subscribed topics)' : ''}`,
      'NotificationNewPayload',
      [
        f('id', 'string'),
        f('seq', 'integer', 'per user; the SSE id'),
        ...(topics(ctx) ? [f('topic', 'string')] : []),
        f('title', 'string'),
        f('body', 'string'),
        f('createdAt', 'string', 'ISO 8601'),
      ],
    ),
    ...(receipts(ctx)
      ? [
          ev(
            'notification:read',
            'client-to-server',
            'user/{userId}',
            'Mark notifications read (over SSE: POST)',
            'NotificationReadPayload',
            [f('ids', 'string[]')],
            [f('updated', 'integer')],
          ),
        ]
      : []),
    ...(topics(ctx)
      ? [
          ev(
            'topic:subscribe',
            'client-to-server',
            'topic/{topic}',
            'Follow a topic (over SSE: query parameter of the stream URL)',
            'TopicSubscribePayload',
            [f('topic', 'string')],
            [f('ok', 'boolean')],
          ),
        ]
      : []),
    ...(protocolTraits(ctx).lastEventId
      ? []
      : [
          ev(
            'notification:replay',
            'client-to-server',
            'user/{userId}',
            'Ask for notifications after a seq (SSE uses Last-Event-ID instead)',
            'NotificationReplayPayload',
            [f('afterSeq', 'integer')],
            [f('replayed', 'integer')],
          ),
        ]),
  ],
  flows: (ctx) => {
    const n = newName(ctx);
    const parts = [...cs(ctx).filter((p) => p.key !== 'user'), { key: 'bus', label: 'Notification outbox' }];
    const sse = protocolTraits(ctx).lastEventId;
    return [
      {
        title: 'Deliver a notification',
        opens: n,
        summaryMd: `The producer writes to an outbox first (durable), then the server pushes to every connection of the user; a user with no connection gets it on the next replay.`,
        diagram: sequenceDiagram('Deliver a notification', {
          participants: parts,
          steps: [
            { kind: 'message', from: 'bus', to: 'server', text: 'notification for a user, with its seq', style: 'async' },
            {
              kind: 'block',
              type: 'alt',
              label: 'the user is connected on this or another node',
              steps: [{ kind: 'message', from: 'server', to: 'client', text: sse ? `id: seq, event: ${n}` : `${n} with seq`, style: 'async' }],
              else: [{ label: 'offline', steps: [{ kind: 'note', over: ['server'], text: 'kept in the outbox for replay (30 days)' }] }],
            },
          ],
        }),
      },
      {
        title: 'Replay missed notifications',
        opens: n,
        summaryMd: sse
          ? `EventSource reconnects by itself and sends ${code('Last-Event-ID')}; the server replays everything after it before switching to live events, and sets ${code('retry:')} to pace reconnects.`
          : `On reconnect the client sends its last seq; the server replays the rest before live events.`,
        diagram: sequenceDiagram('Replay missed notifications', {
          participants: parts,
          steps: [
            { kind: 'note', over: ['client', 'server'], text: 'connection lost after the last seq it applied' },
            {
              kind: 'message',
              from: 'client',
              to: 'server',
              text: sse ? 'GET the stream with Last-Event-ID: last seq' : send(ctx, 'notification:replay', '(afterSeq: last seq)'),
            },
            { kind: 'message', from: 'server', to: 'bus', text: "read the user's seq > last" },
            { kind: 'message', from: 'server', to: 'client', text: 'the missed ones in seq order, then live', style: 'async' },
          ],
        }),
      },
    ];
  },
  sync: (ctx) => [
    receipts(ctx)
      ? {
          data: 'notifications and read state',
          strategy: 'Append-only list + read flag (LWW, monotonic)',
          whyMd: 'Read can only go from false to true, so concurrent marks from two devices commute.',
        }
      : { data: 'notifications', strategy: 'Append-only list', whyMd: 'Only the server appends; clients never change a notification.' },
  ],
  risks: (ctx) => [
    ...(protocolTraits(ctx).lastEventId
      ? [
          {
            title: 'Browser connection limit',
            riskMd: 'Over HTTP/1.1 a browser shares about 6 connections per origin across tabs; several tabs with SSE starve other requests.',
            mitigationMd: 'Serve the stream over HTTP/2, or one stream per browser shared through a BroadcastChannel leader tab.',
          },
        ]
      : []),
    ...alertOwnerRisk(ctx),
    {
      title: 'Missed event between replay and live',
      riskMd: 'A notification created while replay runs can be skipped.',
      mitigationMd: 'Subscribe to live events first, buffer, replay, then flush the buffer dropping seq ≤ last replayed.',
    },
  ],
  tests: () => [
    'disconnect, create 3 notifications, reconnect with the last id: exactly those 3 arrive in order',
    'a user with two connections receives each notification on both',
  ],
  steps: (ctx) => {
    const p = managedProvider(ctx.input);
    if (p)
      return providerSteps(ctx, p, {
        title: 'Per-user notification channel',
        uses: `notifications stored in the database first, then delivered by ${p.changes}; the unread list is refetched after every (re)subscribe`,
        clientName: 'notifications',
      });
    return [
      {
        title: 'Notification outbox',
        files: [{ path: serverFile(ctx, 'notifications'), action: 'create', why: 'durable per-user seq, replay query, fan-out to live connections' }],
        detailMd: 'Written in the same transaction as the domain change that causes it.',
      },
      {
        title: 'Client notification feed',
        files: [
          {
            path: clientFile(ctx, 'notifications'),
            action: 'create',
            why: receipts(ctx) ? 'stream subscription, unread count, read receipts' : 'stream subscription and the notification list',
          },
        ],
        detailMd: 'Dedupes by id; keeps the last seq in memory for replay.',
      },
    ];
  },
  // The cursor a client resumes with: the EventSource's Last-Event-ID, else the replay request's afterSeq.
  errors: (ctx) => [
    {
      code: 'REPLAY_TOO_OLD',
      when: protocolTraits(ctx).lastEventId ? 'Last-Event-ID older than the retention' : '`afterSeq` older than the retention',
      clientMd: 'reload the notification list over HTTP',
      // Last-Event-ID comes with the stream's own reconnect: the answer is on the stream.
      ...(protocolTraits(ctx).lastEventId ? { onStream: true as const } : {}),
    },
  ],
  metrics: [
    { name: 'notifications_delivered_total', type: 'counter', labels: 'type', whyMd: 'delivery rate per notification type' },
    { name: 'notifications_replayed_total', type: 'counter', labels: '', whyMd: 'replay volume after reconnects' },
  ],
};

/** Topics users follow, when the context asks for them ("users follow topics", "subscribe to a channel"). */
function topics(ctx: DesignCtx): boolean {
  return contextAsks(ctx, /\btopics?\b|\bfollow(?:s|ed|ing)?\b|\bsubscri(?:be|bes|bed|bing|ption)/i);
}

/** Read state, when the context asks for it ("unread count", "mark as read", "seen by"). */
function receipts(ctx: DesignCtx): boolean {
  return contextAsks(
    ctx,
    /\bunread\b|\bread (?:state|receipts?|status|flags?)\b|\bmark(?:s|ed)? (?:\w+ )?(?:as )?read\b|\bseen by\b|\bmark(?:s|ed)? (?:\w+ )?(?:as )?seen\b|\bbadges?\b/i,
  );
}

/** The project's own notification event when it has one (`notification` at its file:line), else `notification:new`. */
function newName(ctx: DesignCtx): string {
  const own = ctx.input.analysis.events.find((e) => e.origin === 'existing' && e.direction !== 'client-to-server' && /notif/i.test(e.name));
  // A new name follows the project's style (`order-shipped` → `notification-new`), as chat's do.
  return own?.name ?? nameIn(coreOf(ctx).style, 'notification', 'new');
}

/** Alerts a user sets on data ("price alerts", "tell me when NVDA crosses 140"): conditions the server evaluates. */
const USER_ALERT = /\b(?:alerts?|thresholds?)\b/i;

/**
 * With more than one instance evaluating user alerts, each instance that sees the crossing would
 * fire it: one alert, one notification per instance. Each alert needs one owner.
 */
function alertOwnerRisk(ctx: DesignCtx): { title: string; riskMd: string; mitigationMd: string }[] {
  const n = ctx.capacity.result.instances;
  if (n <= 1 || managedProvider(ctx.input)) return [];
  const reqs = ctx.input.sessions.requirements;
  const alert = reqs.find((r) => r.kind === 'feature' && r.feature === 'notifications' && USER_ALERT.test(r.sentence));
  if (!alert) return [];
  const feed = reqs.find((r) => WHOLE_FEED.test(r.sentence));
  const why = feed
    ? `The context says "${feed.sentence}" (${code(feed.evidence)}): with the ${n} instances this plan sizes, every one of them sees the same crossing`
    : `If every one of the ${n} instances evaluates the alerts against the events it sees, each sees the same crossing`;
  return [
    {
      title: 'Alerts fired once per instance',
      riskMd: `${why} and fires the alert ("${alert.sentence}", ${code(alert.evidence)}): one alert, up to ${n} notifications.`,
      mitigationMd: `Give each alert one owner: partition the alerts across instances by a hash of the alert id (an instance evaluates only its share, reassigned when the fleet changes), or let the instance that sees the crossing claim it atomically before notifying, ${code('UPDATE alerts SET fired_at = now() WHERE id = $1 AND fired_at IS NULL')}, and notify only when that updated one row; write the claim and the notification outbox row in one transaction, so a crash between them neither loses nor repeats the alert.`,
    },
  ];
}

/**
 * "come back after a few days", "offline for hours": an absence the context states, in hours or
 * longer, which no short replay window (minutes) spans.
 */
const ABSENCE_SPAN = /\b(?:\d+|a few|few|several|a couple of|many)?\s*(?:hours?|days?|weeks?|months?)\b/i;
const ABSENCE_WORDS = /\b(?:offline|away|come back|comes back|coming back|return|returns|log(?:s)? (?:back )?in|later|absent|missed)\b/i;

function statedAbsence(ctx: DesignCtx): { sentence: string; evidence: string } | undefined {
  const says = (t: string) => ABSENCE_SPAN.test(t) && ABSENCE_WORDS.test(t) && !/\bper (?:hour|day|week|month)\b/i.test(t);
  const req = ctx.input.sessions.requirements.find((r) => says(r.sentence));
  if (req) return req;
  // Not every sentence becomes a requirement: read the session lines themselves. A line number
  // is given only where the body is the whole file (no front matter shifts it).
  for (const d of ctx.input.sessions.docs) {
    const lines = d.body.split('\n');
    const i = lines.findIndex((l) => says(l));
    if (i >= 0) return { sentence: lines[i]!.trim(), evidence: Object.keys(d.data).length === 0 ? `${d.path}:${i + 1}` : d.path };
  }
  return undefined;
}

/**
 * Notifications are persisted (Core design), so what a user missed while away is read from that
 * durable store on connect, after the last id the client saw: a short replay buffer (minutes in
 * memory or Redis) only spans a brief reconnect, never a user who comes back hours or days later.
 */
function durableCatchUpMd(ctx: DesignCtx): string {
  const sse = protocolTraits(ctx).lastEventId;
  const cursor = sse
    ? `the last event id it applied (${code('Last-Event-ID')} on the browser's own reconnects, ${code('?lastEventId=')} on a new ${code('EventSource')})`
    : `its last ${code('seq')} (${code('notification:replay')} with ${code('afterSeq')})`;
  const away = statedAbsence(ctx);
  const why = away ? `The context says users are away longer than any short replay window ("${text(away.sentence)}", ${code(away.evidence)}): ` : '';
  return `A reconnecting client resumes from ${cursor}; the server reads the notifications it missed from the durable notifications store (the outbox of Implementation steps, one row per user and seq), every row after that id, before going live. ${why}${away ? 'a' : 'A'} short in-memory or Redis replay buffer (minutes) only covers brief reconnects, so missed notifications always come from that table; a client whose id is older than what the table keeps reloads the notification list over HTTP.`;
}
