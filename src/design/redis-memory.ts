// Redis memory against the budget the context states ("keep Redis memory for boards under
// 200 MB", "one ElastiCache node, 1.37 GiB, for real-time state"). The rows list what this plan
// keeps in Redis at rest (an existing Stream log and its cap, presence entries, per-channel seq
// counters, a Streams adapter's stream) and, apart from it, what pub/sub can hold for a while
// (each subscriber's output buffer, up to Redis's default limit). Only where a budget is stated:
// a plan for a project that gives none gets no row. Sizes per entry beyond the payload are an
// estimate, said as one, with the command that measures them.
import type { EventSpec, NumberRequirement } from '../types.js';
import type { DesignCtx } from './context.js';
import { formatBytes, roomSizeOf, statedBytesMd } from './capacity.js';
import { orderingOf } from './ordering.js';
import { addedFieldsSize, streamEventSize } from './payload-size.js';
import { runsOwnFleet } from './profiles/fleet.js';
import { REDIS_BUSES } from './profiles/redis-stores.js';
import { streamLogOf } from './stream-resume.js';
import { notificationReplayLog } from './scenarios/notifications.js';
import type { CapacityRow } from './types.js';
import { code, fmt, round } from './md.js';
import { REPLAY_LOG, REPLAY_LOG_MD } from './defaults.js';
import { roomCountOf, type Stream, workloadOf } from './workload.js';

/** A stated memory figure about Redis (or a managed Redis), not a browser tab's or a container's. */
const REDIS_WORDS = /\bRedis\b|\bElastiCache\b|\bMemorystore\b|\bUpstash\b|\bValkey\b|\bKeyDB\b/i;
/** Per key or per entry beyond its payload (key name, encoding, dictionary entry): an estimate. */
const OVERHEAD = 100;
/** Redis's default `client-output-buffer-limit pubsub 32mb 8mb 60`. */
const PUBSUB_HARD = 32 * 1024 * 1024;
const PUBSUB_NOTE =
  'Redis closes a subscriber whose output buffer passes 32 MB, or stays above 8 MB for 60 s (default `client-output-buffer-limit pubsub 32mb 8mb 60`, https://redis.io/docs/latest/develop/reference/clients/); that instance then misses messages until it subscribes again, so the PubSubLag alert and resync on reconnect cover it';

export function redisBudgets(ctx: DesignCtx): NumberRequirement[] {
  return ctx.input.sessions.requirements.filter(
    (r): r is NumberRequirement => r.kind === 'number' && r.metric === 'budget' && r.unit === 'bytes' && REDIS_WORDS.test(r.sentence),
  );
}

/**
 * One entry of the change log: the change events it holds as the code sends them, plus the fields
 * the plan adds to them (`seq`, `mutationId`), weighted by their rates where several streams are
 * logged; a stream the code does not size stays at the default the average gave it. Null where
 * nothing is logged.
 */
export function logEntryPayload(
  kept: readonly Stream[],
  analysisEvents: DesignCtx['input']['analysis']['events'],
  catalog: readonly Pick<EventSpec, 'name' | 'payload'>[],
  /** The default the average used for a stream the code does not size (a message with free text). */
  fallback: number,
): { bytes: number; md: string } | null {
  const logged = kept.filter((x) => x.published > 0 && !x.inbound);
  if (logged.length === 0) return null;
  const per = logged.map((x) => {
    const size = streamEventSize(x.kind, analysisEvents);
    if (!size)
      return { s: x, bytes: fallback, md: `one of the ${x.kind} at rt-plan's ${fmt(fallback)}-byte default, as in the average (the code does not size them)` };
    const shown = new Set(
      analysisEvents.filter((e) => e.name === size.event).flatMap((e) => [...(e.payload ?? []).map((f) => f.name), ...(e.closed?.fields ?? [])]),
    );
    const spec = catalog.find((e) => e.name === size.event);
    const added = addedFieldsSize((spec?.payload ?? []).filter((f) => !shown.has(f.name)));
    const addedMd = added.parts.length ? ` + ${added.parts.map((f) => `${code(f.name)} ~${fmt(f.bytes)} B`).join(', ')} the plan adds` : '';
    const unsizedMd = added.unsized.length ? ` (${added.unsized.map(code).join(', ')} not counted: no size in the code)` : '';
    return {
      s: x,
      bytes: size.bytes + added.bytes,
      md: `a ${code(size.event)} ≈ ${fmt(size.bytes + added.bytes)} B (${fmt(size.bytes)} B as the code sends it${addedMd}${unsizedMd})`,
    };
  });
  const known = per;
  const total = known.reduce((a, x) => a + x.s.published, 0);
  const bytes = Math.ceil(known.reduce((a, x) => a + x.s.published * x.bytes, 0) / total);
  const mix = known.length > 1 ? `; weighted by their rates: (${known.map((x) => `${fmt(x.s.published)} × ${fmt(x.bytes)}`).join(' + ')}) ÷ ${fmt(total)}` : '';
  return { bytes, md: `each entry holds ${known.map((x) => x.md).join(' or ')}${mix}` };
}

interface Part {
  what: string;
  formula: string;
  bytes: number;
  /** Counted for one key of a log kept per channel: the row says how many such keys fit. */
  perKey?: boolean;
}

function parts(ctx: DesignCtx, catalog: readonly Pick<EventSpec, 'name' | 'payload'>[]): Part[] {
  const v = ctx.capacity.values;
  const numbers = ctx.input.sessions.requirements.filter((r): r is NumberRequirement => r.kind === 'number');
  const stated = roomCountOf(numbers);
  const channels = stated
    ? { count: stated.value, stated: true }
    : { count: Math.max(1, Math.ceil(v.connections / Math.max(1, roomSizeOf(ctx.capacity)))), stated: false };
  const entry = v.payloadBytes + OVERHEAD;
  const atRest: Part[] = [];
  const log = streamLogOf(ctx.input.analysis);
  if (log && log.cap !== null)
    atRest.push({
      what: `the Stream log at ${code(log.evidence)}, counted for one key (${code('MAXLEN ~')} ${fmt(log.cap)} caps each key, not the number of keys: a key per channel that nothing expires stays after the channel ends, so expire or delete it then)`,
      formula: `${fmt(log.cap)} entries × ${fmt(entry)} B`,
      bytes: log.cap * entry,
      perKey: true,
    });
  const bus = REDIS_BUSES[ctx.input.analysis.stack.scaling[0]?.name ?? ''];
  if (bus?.streamMaxLen && ctx.capacity.result.pubsubPublishedPerSecond > 0)
    atRest.push({
      what: `the adapter's stream (${code('maxLen')} ${fmt(bus.streamMaxLen)} by default)`,
      formula: `${fmt(bus.streamMaxLen)} entries × ${fmt(entry)} B`,
      bytes: bus.streamMaxLen * entry,
    });
  // The notifications' replay log, where the plan keeps it in the one store the context allows.
  const replay = notificationReplayLog(ctx);
  if (replay && REDIS_WORDS.test(replay.store))
    atRest.push({
      what: `the notifications' replay logs, one per ${replay.per}, kept ${replay.window} at the modelled rate (all logs together)${ctx.capacity.groupDelivery ? `, an upper bound: one entry per ${replay.per} notification, counted one per delivery since the context states no ${replay.per} size` : ''}`,
      formula: `${fmt(replay.entries)} entries × ${fmt(replay.entryBytes)} B`,
      bytes: replay.entries * replay.entryBytes,
    });
  const several = ctx.capacity.result.instances > 1;
  if (several && ctx.scenarios.includes('chat-collab'))
    atRest.push({
      // Each connection is a member of its user's set and a field of its instance's hash (the presence step).
      what: "presence entries (each connection in its user's set and in its instance's hash)",
      formula: `${fmt(v.connections)} connections × 2 × ${fmt(OVERHEAD)} B`,
      bytes: v.connections * 2 * OVERHEAD,
    });
  if (several && orderingOf(ctx).by === 'server-seq')
    atRest.push({
      what: `per-channel seq counters, if they are kept in Redis (${code('INCR')})${
        channels.stated
          ? ''
          : ctx.capacity.groupDelivery
            ? `; channels: one per ${ctx.capacity.groupDelivery.group}, at most one per connection (${fmt(v.connections)}), since the context states no ${ctx.capacity.groupDelivery.group} size or count`
            : `; channels: ${fmt(v.connections)} connections ÷ ${fmt(roomSizeOf(ctx.capacity))} per room, no count stated`
      }`,
      formula: `${fmt(channels.count)} channels × ${fmt(OVERHEAD)} B`,
      bytes: channels.count * OVERHEAD,
    });
  // The replay log behind those seqs: several instances answer a resync, so it lives in Redis too. A channel holds
  // what its window brings at the rate of the changes that must arrive (droppable ones are not logged), up to the cap.
  // Where the notifications' replay log is already counted above, it is that log: not counted twice.
  if (several && orderingOf(ctx).by === 'server-seq' && !(replay && REDIS_WORDS.test(replay.store))) {
    const streams = workloadOf(ctx.input.sessions.requirements, v.connections).streams;
    const kept = streams.filter((x) => !x.droppable);
    const rate = streams.length > 0 ? kept.reduce((sum, x) => sum + x.published, 0) : v.msgRate;
    const window = REPLAY_LOG.minutes * 60;
    const perChannel = Math.min(REPLAY_LOG.entries, Math.ceil((rate / channels.count) * window));
    const capped = perChannel === REPLAY_LOG.entries;
    // An entry is the change it holds, not the average of every event (cursor positions are not logged).
    // Only where the average was estimated from the code: a stated or flagged size stays the size.
    const estimated = ctx.capacity.sources.payloadBytes;
    const held = streams.length > 0 && estimated.kind === 'code' ? logEntryPayload(kept, ctx.input.analysis.events, catalog, estimated.fallback) : null;
    const logEntry = held ? held.bytes + OVERHEAD : entry;
    atRest.push({
      what: `the change log each channel keeps for replay (${REPLAY_LOG_MD}), shared by the ${fmt(ctx.capacity.result.instances)} instances: ${fmt(round(rate, 2))} msg/s${streams.length > 0 ? ' of changes that must arrive' : ''} over ${fmt(channels.count)} channels for ${fmt(REPLAY_LOG.minutes)} minutes${capped ? ', held at the entry cap' : ''}${held ? `; ${held.md}` : ''}`,
      formula: held
        ? `${fmt(channels.count)} channels × ${fmt(perChannel)} entries × (${fmt(held.bytes)} B + ${fmt(OVERHEAD)} B)`
        : `${fmt(channels.count)} channels × ${fmt(perChannel)} entries × ${fmt(entry)} B`,
      bytes: channels.count * perChannel * logEntry,
    });
  }
  return atRest;
}

const share = (part: number, whole: number) => `${fmt(round((part / whole) * 100, 1))}%`;
const at = (r: NumberRequirement) => `\`${r.evidence}\``;

/** `catalog`: the plan's event catalog, whose fields the plan adds to the events a change log holds. */
export function redisMemoryRows(ctx: DesignCtx, catalog: readonly Pick<EventSpec, 'name' | 'payload'>[] = []): CapacityRow[] {
  if (!runsOwnFleet(ctx)) return [];
  const budgets = redisBudgets(ctx);
  if (budgets.length === 0) return [];
  // Two figures ("the node is 1.37 GiB … keep boards under 200 MB"): what the plan stores answers
  // to the smaller; what pub/sub holds for a moment, to the whole node.
  const tight = budgets.reduce((a, b) => (b.value < a.value ? b : a));
  const whole = budgets.reduce((a, b) => (b.value > a.value ? b : a));
  const atRest = parts(ctx, catalog);
  const rows: CapacityRow[] = [];
  const total = atRest.reduce((s, p) => s + p.bytes, 0);
  const perKey = atRest.find((p) => p.perKey);
  const estimate = `${fmt(OVERHEAD)} B per key or entry beyond its payload is an estimate: measure with ${code('MEMORY USAGE <key>')} on staging`;
  rows.push({
    quantity: `Redis memory this plan keeps at rest, against the stated ${statedBytesMd(tight)}`,
    formula: atRest.length ? atRest.map((p) => p.formula).join(' + ') : 'nothing stored',
    value: !atRest.length
      ? '0 B: within'
      : `${formatBytes(total)}: ${share(total, tight.value)}, ${total <= tight.value ? 'within' : 'over'}${perKey ? `; ${fmt(Math.max(0, Math.floor((tight.value - total + perKey.bytes) / perKey.bytes)))} full log keys fit` : ''}`,
    source: atRest.length
      ? `context (${at(tight)}); ${atRest.map((p) => p.what).join('; ')}; ${estimate}`
      : `context (${at(tight)}); the plan adds no key to Redis: messages and their log stay in the database`,
  });
  const bus = REDIS_BUSES[ctx.input.analysis.stack.scaling[0]?.name ?? ''] ?? (ctx.input.analysis.stack.scaling.length === 0 ? REDIS_BUSES[''] : undefined);
  const instances = ctx.capacity.result.instances;
  if (bus?.subscribersPerInstance && ctx.capacity.result.pubsubPublishedPerSecond > 0) {
    const worst = instances * bus.subscribersPerInstance * PUBSUB_HARD;
    rows.push({
      quantity: `Redis pub/sub output buffers, worst case for a moment, against the stated ${statedBytesMd(whole)}`,
      formula: `${fmt(instances)} instances × ${fmt(bus.subscribersPerInstance)} subscriber × 32 MiB`,
      value: `${formatBytes(worst)}: ${share(worst, whole.value)}`,
      source: `context (${at(whole)}); nothing is stored, but ${PUBSUB_NOTE}`,
    });
  }
  return rows;
}
