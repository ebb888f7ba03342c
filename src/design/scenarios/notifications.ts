// Notification fan-out per user and per topic, with replay of what a client missed. Each
// notification has a per-user seq that doubles as the SSE event id, so EventSource's
// Last-Event-ID (or an explicit afterSeq) resumes exactly where the client stopped.
import { sequenceDiagram } from '../../diagrams/builders.js';
import { code, fmt, round, text } from '../md.js';
import { contextAsks } from '../constraints.js';
import { coreOf } from '../core/context.js';
import { nameIn } from '../core/names.js';
import { protocolTraits } from '../profiles/protocol.js';
import { WHOLE_FEED } from '../feed.js';
import type { DesignCtx } from '../context.js';
import { audienceOf, type Audience } from '../audience.js';
import { GAP_MARGIN, retentionFor, statedGap } from '../replay-window.js';
import { contextStore, declaredDatabase } from '../profiles/stores.js';
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
  summaryMd: (ctx) => {
    const a = audience(ctx);
    const who = a.kind === 'group' ? `Per-${a.group}` : 'Per-user';
    const why =
      a.kind === 'group' ? ` (the stream sends each one to every connection whose ${code(a.field)} matches: ${code(a.test)}, ${code(a.evidence)})` : '';
    return `${who}${topics(ctx) ? ' and per-topic' : ''} notifications with a per-${unit(ctx)} ${code('seq')}${why}, replay of missed ones after reconnect${receipts(ctx) ? ', and read receipts' : ''}.`;
  },
  events: (ctx) => [
    ev(
      newName(ctx),
      'server-to-client',
      channelOf(ctx),
      `A notification for this ${unit(ctx)}${topics(ctx) ? ' (also fanned out from subscribed topics)' : ''}`,
      'NotificationNewPayload',
      [
        f('id', 'string'),
        f('seq', 'integer', `per ${unit(ctx)}; the SSE id`),
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
            channelOf(ctx),
            'Ask for notifications after a seq (SSE uses Last-Event-ID instead)',
            'NotificationReplayPayload',
            [f('afterSeq', 'integer')],
            [f('replayed', 'integer')],
          ),
        ]),
  ],
  flows: (ctx) => {
    const n = newName(ctx);
    const parts = [
      ...cs(ctx).filter((p) => p.key !== 'user'),
      { key: 'bus', label: keptIn(ctx).store ? `Replay log (${keptIn(ctx).store})` : 'Notification outbox' },
    ];
    const sse = protocolTraits(ctx).lastEventId;
    return [
      {
        title: 'Deliver a notification',
        opens: n,
        summaryMd: `The producer writes to ${keptIn(ctx).what} first, then the server pushes to every connection of the ${unit(ctx)}; a ${unit(ctx) === 'user' ? 'user' : 'member'} with no connection gets it on the next replay${keptIn(ctx).window ? `, when it reconnects within ${keptIn(ctx).window}` : ''}.`,
        diagram: sequenceDiagram('Deliver a notification', {
          participants: parts,
          steps: [
            { kind: 'message', from: 'bus', to: 'server', text: `notification for a ${unit(ctx)}, with its seq`, style: 'async' },
            {
              kind: 'block',
              type: 'alt',
              label:
                unit(ctx) === 'user' ? 'the user is connected on this or another node' : `a member of the ${unit(ctx)} is connected on this or another node`,
              steps: [{ kind: 'message', from: 'server', to: 'client', text: sse ? `id: seq, event: ${n}` : `${n} with seq`, style: 'async' }],
              else: [
                {
                  label: 'offline',
                  steps: [
                    { kind: 'note', over: ['server'], text: `kept in ${keptIn(ctx).short} for replay${keptIn(ctx).window ? ` (${keptIn(ctx).window})` : ''}` },
                  ],
                },
              ],
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
            { kind: 'message', from: 'server', to: 'bus', text: `read the ${unit(ctx)}'s seq > last` },
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
  tests: (ctx) => [
    'disconnect, create 3 notifications, reconnect with the last id: exactly those 3 arrive in order',
    unit(ctx) === 'user'
      ? 'a user with two connections receives each notification on both'
      : `two members of one ${unit(ctx)} connected to different instances both receive each notification for it; a member of another ${unit(ctx)} receives none`,
  ],
  steps: (ctx) => {
    const p = managedProvider(ctx.input);
    if (p)
      return providerSteps(ctx, p, {
        title: 'Per-user notification channel',
        uses: `notifications stored in the database first, then delivered by ${p.changes}; the unread list is refetched after every (re)subscribe`,
        clientName: 'notifications',
      });
    const kept = keptIn(ctx);
    return [
      kept.store
        ? {
            title: 'Notification replay log',
            files: [
              {
                path: serverFile(ctx, 'notifications'),
                action: 'create',
                why: `per-${unit(ctx)} seq and replay log in ${kept.store}${kept.window ? ` kept ${kept.window}` : ''}, replay query, fan-out to live connections`,
              },
            ],
            detailMd: `Each notification is appended to its ${unit(ctx)}'s log before it is published to the live connections, so every instance replays from the same log.`,
          }
        : {
            title: 'Notification outbox',
            files: [
              { path: serverFile(ctx, 'notifications'), action: 'create', why: `durable per-${unit(ctx)} seq, replay query, fan-out to live connections` },
            ],
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

/** Who one notification is for, from the stream's delivery filter: a group it is keyed on, else the user. */
function audience(ctx: Pick<DesignCtx, 'input'>): Audience {
  return audienceOf(ctx.input.analysis.modelFacts ?? []);
}

/** What the seq, the channel and the replay are per: the filter's group (`team`), else `user`. */
function unit(ctx: Pick<DesignCtx, 'input'>): string {
  const a = audience(ctx);
  return a.kind === 'group' ? a.group : 'user';
}

/** The channel one notification is published on: `team/{teamId}` for a group, `user/{userId}` by default. */
function channelOf(ctx: Pick<DesignCtx, 'input'>): string {
  const a = audience(ctx);
  return a.kind === 'group' ? `${a.group.replace(/ /g, '-')}/{${a.field}}` : 'user/{userId}';
}

/**
 * Where missed notifications are kept for replay, and for how long. The window covers the gap the
 * context says must lose nothing, with margin (replay-window.ts); none is named where it states
 * none. Where the context rules out new infrastructure but one store and the code shows no
 * database, the replay lives in that store, one log per audience (team or user).
 */
function keptIn(ctx: DesignCtx): { what: string; short: string; window: string | null; store: string | null } {
  const gap = statedGap(ctx.input.sessions.requirements);
  const window = gap ? retentionFor(gap).md : null;
  const allowed = declaredDatabase(ctx) ? null : contextStore(ctx);
  if (allowed?.label) return { what: `the ${unit(ctx)}'s replay log in ${allowed.label}`, short: `the ${unit(ctx)}'s log`, window, store: allowed.label };
  return { what: 'an outbox (durable)', short: 'the outbox', window, store: null };
}

/** The store the notifications' replay log is proposed in (the one the context allows), or null for an outbox of its own. */
export function notificationStore(ctx: DesignCtx): string | null {
  return ctx.scenarios.includes('notifications') && !managedProvider(ctx.input) ? keptIn(ctx).store : null;
}

/** Who notifications are for and the channel each is published on, for the sections outside this scenario. */
export function notificationAudience(ctx: Pick<DesignCtx, 'input'>): { unit: string; channel: string; written: string } {
  const store = declaredDatabase(ctx) ? null : contextStore(ctx)?.label;
  return { unit: unit(ctx), channel: channelOf(ctx), written: store ? `it to the ${unit(ctx)}'s replay log in ${store}` : 'its outbox row' };
}

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
  const kept = keptIn(ctx);
  const a = audience(ctx);
  const per = unit(ctx);
  // A group's notification goes to every member's connection: one log entry per notification, not one per member.
  const once =
    a.kind === 'group'
      ? ` The stream sends each notification to every connection of its ${per} (${code(a.test)}, ${code(a.evidence)}), so it is written once per ${per}, never once per member.`
      : '';
  const memory = processMemoryMd(ctx);
  if (kept.store) {
    const allowed = contextStore(ctx)!;
    const gap = statedGap(ctx.input.sessions.requirements);
    const windowMd = gap
      ? `The context asks that a client gone up to ${gap.md} loses nothing ("${text(gap.sentence)}", ${code(gap.evidence)}): keep each ${per}'s log for ${kept.window} (${GAP_MARGIN}× that gap: the wake-up and the reconnect come on top of it), trimmed by age rather than by count, so a burst cannot push out entries still inside the window. ${sizeMd(ctx)}`
      : `The context states no gap a client must survive, so how long each ${per}'s log is kept is not decided here: set it from how long a client may be away. `;
    return `A reconnecting client resumes from ${cursor}; the server reads what it missed from ${kept.what} (proposed: the one store the context allows, ${code(allowed.evidence)}), one log per ${per}, every entry after that id, before going live.${once} ${windowMd}${memory}A client whose id is older than the log reaches reloads the notification list over HTTP.`;
  }
  const away = statedAbsence(ctx);
  const why = away ? `The context says users are away longer than any short replay window ("${text(away.sentence)}", ${code(away.evidence)}): ` : '';
  return `A reconnecting client resumes from ${cursor}; the server reads the notifications it missed from the durable notifications store (the outbox of Implementation steps, one row per ${per} and seq), every row after that id, before going live.${once} ${memory}${why}${away ? 'a' : 'A'} short in-memory or Redis replay buffer (minutes) only covers brief reconnects, so missed notifications always come from that table; a client whose id is older than what the table keeps reloads the notification list over HTTP.`;
}

/** State in one process's memory the real-time handlers use (process-state facts): no instance can replay from another's. */
function processMemoryMd(ctx: DesignCtx): string {
  const n = ctx.capacity.result.instances;
  // State a feed every instance consumes fills alike on each instance (a price cache): not what a reconnect loses.
  const held = (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'process-state' && !f.feed);
  if (n <= 1 || held.length === 0) return '';
  const names = held.map((f) => `${code(f.name)} (${code(f.evidence)})`);
  const gap = statedGap(ctx.input.sessions.requirements);
  const rate = ctx.capacity.values.msgRate;
  // An array trimmed to its last entries spans only so long at the modelled rate: said against the stated gap.
  const trimmed = held
    .filter((f) => f.keeps !== undefined)
    .map((f) => {
      const span = rate > 0 ? f.keeps! / rate : null;
      const group = ctx.capacity.groupDelivery?.group;
      // One entry per group notification: the per-recipient rate is an upper bound on its writes, so the span is a lower bound.
      const spanMd =
        span === null
          ? ''
          : group
            ? `: if every notification passes through it, once per ${group}, it takes at most ${fmt(rate)}/s (the deliveries; the context states no ${group} size), so it holds at least about ${fmt(Math.round(span))} s of history, that × the members of a ${group} online${gap && span * 1000 < gap.ms ? `; it spans the ${gap.md} the context asks only where a ${group} has ${fmt(Math.ceil(gap.ms / 1000 / span))} or more members online` : ''}`
            : `: if every notification passes through it, at the modelled ${fmt(rate)}/s that is about ${fmt(Math.round(span))} s of history${gap ? `, ${span * 1000 < gap.ms ? 'short of' : 'against'} the ${gap.md} the context asks` : ''}`;
      return ` ${code(f.name)} keeps only its last ${fmt(f.keeps!)} entries (${code(f.keepsAt ?? f.evidence)}), one array per process, not one per ${unit(ctx)}${spanMd}.`;
    })
    .join('');
  return `The process memory the real-time handlers use today (${names.join(', ')}) cannot hold this replay: each of the ${fmt(n)} instances has its own, so a client that reconnects to another instance is replayed nothing it missed from there.${trimmed} `;
}

/** Per entry beyond its payload (key, id, encoding): an estimate, as in redis-memory.ts. */
const ENTRY_OVERHEAD_BYTES = 100;

/**
 * The replay log this scenario proposes in the one store the context allows, sized over its
 * window at the modelled rate: entries and bytes. Null where it proposes none or states no gap.
 */
export function notificationReplayLog(
  ctx: DesignCtx,
): { per: string; store: string; window: string; seconds: number; entries: number; entryBytes: number } | null {
  if (!ctx.scenarios.includes('notifications') || managedProvider(ctx.input)) return null;
  const kept = keptIn(ctx);
  const gap = statedGap(ctx.input.sessions.requirements);
  if (!kept.store || !gap || !kept.window) return null;
  const seconds = retentionFor(gap).ms / 1000;
  return {
    per: unit(ctx),
    store: kept.store,
    window: kept.window,
    seconds,
    entries: Math.ceil(ctx.capacity.values.msgRate * seconds),
    entryBytes: ctx.capacity.values.payloadBytes + ENTRY_OVERHEAD_BYTES,
  };
}

/** What the replay log holds over its window at the modelled rate (and a burst, where stated). */
function sizeMd(ctx: DesignCtx): string {
  const log = notificationReplayLog(ctx);
  if (!log) return '';
  const burst = ctx.capacity.workload.streams.find((x) => x.burst)?.burst;
  const peak = burst ? Math.ceil(burst.published * log.seconds) : null;
  const mib = (entries: number) => `${fmt(round((entries * log.entryBytes) / 1_048_576, 1))} MiB`;
  const group = ctx.capacity.groupDelivery?.group;
  // Written once per group: the stated per-recipient rate over-counts the writes by the group's members online.
  if (group)
    return `Each ${group}'s log gets one entry per notification of the ${group}: the ${fmt(ctx.capacity.values.msgRate)} deliveries/s ÷ the members of a ${group} online, and the context states no ${group} size, so the figures here count one entry per delivery (a ${group} of one) and are upper bounds: the logs of all ${group}s together hold at most about ${fmt(log.entries)} entries over ${log.window}, ${mib(log.entries)} at ${fmt(log.entryBytes)} B each${peak ? `; a burst at ${fmt(burst!.published)} deliveries/s lasting the whole window, at most ${fmt(peak)} entries, ${mib(peak)}` : ''}. `;
  return `At the modelled ${fmt(ctx.capacity.values.msgRate)} notifications/s the logs of all ${unit(ctx)}s together hold about ${fmt(log.entries)} entries over ${log.window}, ${mib(log.entries)} at ${fmt(log.entryBytes)} B each${peak ? `; a burst at ${fmt(burst!.published)}/s lasting the whole window, ${fmt(peak)} entries, ${mib(peak)}` : ''}. `;
}
