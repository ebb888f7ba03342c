// The workload's shape, read from the session context: the streams of traffic it states (chat
// messages, typing, cursor positions, moves…) each with its own rate, the room size that sets
// the fan-out, and the budgets the load must fit. The capacity model sums the streams; the rows
// here show each stream, the per-room arithmetic, the stated fleet and the budgets, every one
// with its formula and the sentence it comes from.
import type { NumberRequirement, Requirement } from '../types.js';
import type { CapacityRow } from './types.js';
import { fmt, round } from './md.js';

/** A rate stated per user, member or agent is multiplied by the connections; anything else is a total. */
export const PER_CONNECTION =
  /\bper (?:active |connected |online )?(?:user|client|connection|socket|device|session|member|player|person|agent|dispatcher|viewer)\b|\beach (?:user|client|connection|member|player|person|participant|agent)\b|\b(?:users|members|players|people|agents|an? (?:user|agent|player|member)) (?:sends?|posts?|types?|emits?|publish(?:es)?)\b|\btypists?\b/i;

/**
 * A per-user rate that only users acting at that moment send ("per active user", "while the
 * pointer moves"): multiplying it by every connection would size for everyone dragging at once.
 */
const ACTIVE_ONLY =
  /\bper active (?:user|member|player|person|agent)\b|\bwhile (?:the |their |a |his |her )?(?:pointer|cursor|mouse|user|finger)?\s*(?:moves|is moving|drags|is dragging|dragging|types|is typing|typing|draws|is drawing|drawing)\b/i;

/** rt-plan's default share of connected users acting at once (templates/knowledge/rt-plan-defaults.md). */
export const DEFAULT_ACTIVE_SHARE = 0.1;

/** "20% of users are active", "about 10% of people drag at once": a stated share wins over the default. */
const STATED_SHARE =
  /\b(\d{1,2}(?:\.\d+)?)\s*%\s*(?:of (?:the |our )?(?:connected |online )?(?:users|people|members|players|viewers|agents|editors|them) )?(?:are |is )?(?:active|acting|drag|dragging|mov|typ|editing)/i;

export interface ActiveShare {
  share: number;
  /** The sentence that states the share; null when it is rt-plan's default. */
  stated: { sentence: string; evidence: string } | null;
}

/** The share of users acting at once: a percentage the context states, else rt-plan's default. */
export function activeShareOf(requirements: Requirement[]): ActiveShare {
  for (const r of requirements) {
    if (!('sentence' in r)) continue;
    const m = STATED_SHARE.exec(r.sentence);
    const value = m ? Number(m[1]) / 100 : 0;
    if (value > 0 && value <= 1) return { share: value, stated: { sentence: r.sentence, evidence: r.evidence } };
  }
  return { share: DEFAULT_ACTIVE_SHARE, stated: null };
}

/**
 * Answers and votes go to the server, which keeps the tally: the room sees a result, not each
 * answer, unless the sentence says each one is broadcast ("triggers a results broadcast to all").
 */
function inboundOnly(kind: string, sentence: string): boolean {
  return (kind === 'votes' || kind === 'answers') && !/\bbroadcasts?\b|\bto (?:all|everyone|every \w+)\b/i.test(sentence);
}

/** "about 150 smaller games (30 players) at the same time": rooms that run beside the largest one. */
export function otherRooms(sentence: string): { count: number; size: number } | null {
  if (!/\b(?:at the same time|concurrently|simultaneously|in parallel)\b/i.test(sentence)) return null;
  const m =
    /\b(\d[\d,]*)\s+(?:smaller |other |small )?(?:games|rooms|matches|boards|channels|sessions|calls|documents)\s*\((\d[\d,]*)\s+(?:players|people|users|viewers|members|participants)(?: each)?\)/i.exec(
      sentence,
    );
  if (!m) return null;
  const count = Number(m[1]!.replace(/,/g, ''));
  const size = Number(m[2]!.replace(/,/g, ''));
  return count > 0 && size > 0 ? { count, size } : null;
}

/** A rate stated for some rooms or moments only, not for everyone all the time. */
const SCOPED = /\bin (?:the )?(?:"?\w+"? ){0,2}(?:rooms|channels|games|boards)\b[^.;]{0,60}\b(?:during|at|while|when)\b/i;

/** "600 rooms with at least one person in them": the number of rooms, stated. */
function roomCountOf(numbers: NumberRequirement[]): Figure | null {
  for (const r of numbers) {
    const m = /\b(\d[\d,]*)\s+(?:active |open |live |occupied )?(?:rooms|channels|boards)\s+(?:with|in use|open|active)\b/i.exec(r.sentence);
    if (m) return { value: Number(m[1]!.replace(/,/g, '')), sentence: r.sentence, evidence: r.evidence };
  }
  return null;
}

/** Traffic that may be dropped or coalesced under load without losing state. */
const DROPPABLE = new Set(['typing', 'positions', 'drag', 'presence', 'price ticks']);

export interface Stream {
  kind: string;
  /** The stated rate: per user when `perUser`, else for the whole system. */
  rate: number;
  perUser: boolean;
  /** Only users acting at that moment send it: the share of connections that do, else 1. */
  activeShare: number;
  /** Messages per second the whole system publishes for this stream. */
  published: number;
  droppable: boolean;
  /** Sent to the server only (answers, votes): received once, never fanned out to the room. */
  inbound: boolean;
  /** How many stated rates of this kind there were; the largest is the peak taken. */
  stated: number;
  sentence: string;
  evidence: string;
}

export interface Figure {
  value: number;
  sentence: string;
  evidence: string;
}

export interface Workload {
  streams: Stream[];
  /** The room size the fan-out comes from, when the context states one. */
  room: Figure | null;
  /** A larger room the context also states ("40 for the all-hands board"). */
  largestRoom: Figure | null;
  budgets: NumberRequirement[];
  /** A higher per-user rate the context scopes to some rooms or moments ("in event rooms … during highlights"). */
  scopedPeak: { rate: number; sentence: string; evidence: string } | null;
  /** A room count the context states ("600 rooms with at least one person"). */
  roomCount: Figure | null;
  /** The share used for the streams only active users send. */
  active: ActiveShare;
}

/**
 * One stream per kind of traffic. Two rates of the same kind are a normal and a peak figure,
 * so the larger is taken; different kinds add up, since a user moves a cursor while cards move.
 */
export function workloadOf(requirements: Requirement[], connections: number): Workload {
  const numbers = requirements.filter((r): r is NumberRequirement => r.kind === 'number');
  const byKind = new Map<string, Stream>();
  let peak: Workload['scopedPeak'] = null;
  const active = activeShareOf(requirements);
  for (const r of numbers.filter((n) => n.metric === 'message-rate')) {
    const kind = r.stream ?? 'messages';
    const perUser = PER_CONNECTION.test(r.sentence);
    const activeShare = perUser && ACTIVE_ONLY.test(r.sentence) ? active.share : 1;
    const published = round(perUser ? r.value * connections * activeShare : r.value, 2);
    const prev = byKind.get(kind);
    const stream: Stream = {
      kind,
      rate: r.value,
      perUser,
      activeShare,
      published,
      droppable: DROPPABLE.has(kind),
      inbound: inboundOnly(kind, r.sentence),
      stated: (prev?.stated ?? 0) + 1,
      sentence: r.sentence,
      evidence: r.evidence,
    };
    // "one a minute; in event rooms up to one every 10 s during highlights": the second rate is
    // scoped to some rooms, so everyone keeps the first and the scoped one sizes the largest room.
    if (prev && prev.sentence === r.sentence && SCOPED.test(r.sentence)) {
      if (!peak || r.value > peak.rate) peak = { rate: r.value, sentence: r.sentence, evidence: r.evidence };
    } else if (!prev || published > prev.published) byKind.set(kind, stream);
    else prev.stated = stream.stated;
  }
  const rooms = numbers.filter((n) => n.metric === 'room-size');
  const figure = (r: NumberRequirement | undefined): Figure | null => (r ? { value: r.value, sentence: r.sentence, evidence: r.evidence } : null);
  const largest = rooms.reduce<NumberRequirement | undefined>((a, r) => (!a || r.value > a.value ? r : a), undefined);
  return {
    streams: [...byKind.values()],
    room: figure(rooms[0]),
    largestRoom: largest && rooms[0] && largest.value > rooms[0].value ? figure(largest) : null,
    budgets: numbers.filter((n) => n.metric === 'budget' && /^(?:msg\/month|msg\/day|requests\/user\/hour)$/.test(n.unit)),
    scopedPeak: peak,
    roomCount: roomCountOf(numbers),
    active,
  };
}

const at = (f: { evidence: string }) => `context (\`${f.evidence}\`)`;

/** Rows before the fleet sizing: each stream's published rate and the per-room fan-out. */
export function workloadRows(w: Workload, connections: number, fanout: number, msgRate: number): CapacityRow[] {
  const share = `${fmt(round(w.active.share * 100, 1))}% active`;
  const shareSource = w.active.stated ? `share stated, ${at(w.active.stated)}` : 'share of users acting at once: rt-plan default (assumption)';
  const rows: CapacityRow[] = w.streams.map((s) => ({
    quantity: `${s.inbound ? 'Received by the server (not fanned out)' : 'Published'}: ${s.kind}${s.stated > 1 ? ` (peak of ${fmt(s.stated)} stated rates)` : ''}`,
    formula: s.perUser ? `${fmt(s.rate)} msg/s per user × ${fmt(connections)}${s.activeShare < 1 ? ` × ${share}` : ''}` : `${fmt(s.rate)} msg/s`,
    value: fmt(s.published),
    source: `${at(s)}${s.activeShare < 1 ? `; only users acting send it, ${shareSource}` : ''}${s.droppable ? '; droppable: coalesce or drop under load' : ''}`,
  }));
  const perUser = round(msgRate / Math.max(1, connections), 4);
  const exactPerUser = msgRate / Math.max(1, connections);
  // "3,000 in one game and 150 games of 30 at the same time" counts the rooms it states.
  const big = w.largestRoom ?? w.room;
  const others = big ? otherRooms(big.sentence) : null;
  if (big && others) {
    rows.push({
      quantity: `Rooms (1 of ${fmt(big.value)}, ${fmt(others.count)} of ${fmt(others.size)})`,
      formula: `1 + ${fmt(others.count)}`,
      value: fmt(1 + others.count),
      source: at(big),
    });
  }
  if (w.room && w.room.value === fanout) {
    const perRoom = round(fanout * exactPerUser, 2);
    if (!others)
      rows.push(
        w.roomCount
          ? { quantity: 'Rooms (stated)', formula: `${fmt(w.roomCount.value)}`, value: fmt(w.roomCount.value), source: at(w.roomCount) }
          : {
              quantity: `Rooms of ${fmt(fanout)}`,
              formula: `⌈${fmt(connections)} ÷ ${fmt(fanout)}⌉`,
              value: fmt(Math.ceil(connections / fanout)),
              source: at(w.room),
            },
      );
    rows.push(
      {
        quantity: 'Published per room',
        // A rate too small per user to print is shown as the total shared by the rooms.
        formula: perUser >= 0.01 ? `${fmt(fanout)} users × ${fmt(perUser)} msg/s` : `${fmt(msgRate)} msg/s × ${fmt(fanout)} ÷ ${fmt(connections)} users`,
        value: `${fmt(perRoom)} msg/s`,
        source: 'computed',
      },
      {
        quantity: 'Deliveries per room',
        formula: `${fmt(perRoom)} × ${fmt(fanout)} recipients`,
        value: `${fmt(round(perRoom * fanout, 2))}/s`,
        source: 'fan-out is the room size',
      },
    );
  }
  if (w.largestRoom && !w.streams.every((s) => s.inbound)) {
    const n = w.largestRoom.value;
    // The rate the context scopes to its larger rooms ("in event rooms … during highlights") is theirs.
    const rate = w.scopedPeak ? w.scopedPeak.rate : perUser;
    const perRoom = round(n * rate, 2);
    rows.push({
      quantity: `Deliveries in the largest room (${fmt(n)})`,
      formula: `${fmt(n)} × ${fmt(rate)} msg/s × ${fmt(n)}`,
      value: `${fmt(round(perRoom * n, 2))}/s`,
      source: `${at(w.largestRoom)}${w.scopedPeak ? `; peak rate ${at(w.scopedPeak)}` : ''}; grows with the square of the room size`,
    });
  }
  return rows;
}

/** Rows after the sizing: what the stated fleet carries, and how long the budgets last at peak. */
export function reconcileRows(
  w: Workload,
  values: { connections: number; msgRate: number; fanout: number },
  deliveriesPerInstance: number,
  planned: Figure | null,
  instancesNeeded: number,
  /** The deliveries, not the connections or egress, set the fleet: only then does a per-user rate fix it. */
  deliveriesLimit = true,
): CapacityRow[] {
  const rows: CapacityRow[] = [];
  const deliveries = round(values.msgRate * values.fanout, 2);
  if (planned && deliveriesLimit && planned.value < instancesNeeded && values.connections > 0 && values.fanout > 0) {
    const serving = Math.max(1, planned.value - 1);
    const carried = round((serving * deliveriesPerInstance) / (values.connections * values.fanout), 2);
    const droppable = w.streams.filter((s) => s.droppable).map((s) => s.kind);
    rows.push({
      quantity: `Per-user rate the stated ${fmt(planned.value)} instances carry`,
      formula: `(${fmt(planned.value)} − 1) × ${fmt(deliveriesPerInstance)} ÷ (${fmt(values.connections)} × ${fmt(values.fanout)})`,
      value: `${fmt(carried)} msg/s`,
      source: `${at(planned)}; the workload needs ${fmt(instancesNeeded)}: ${droppable.length > 0 ? `coalesce ${droppable.join(' and ')} until the total per user fits, or add instances` : 'add instances or lower the fan-out'}`,
    });
  }
  for (const b of w.budgets) {
    if (b.unit === 'requests/user/hour') {
      const perHour = round((values.msgRate / Math.max(1, values.connections)) * 3600, 1);
      rows.push({
        quantity: 'Requests per user per hour at peak',
        formula: `${fmt(round(values.msgRate / Math.max(1, values.connections), 4))} msg/s × 3,600`,
        value: fmt(perHour),
        source: `${at(b)}: budget ${fmt(b.value)} per user per hour, ${perHour <= b.value ? 'within it' : 'over it'}`,
      });
      continue;
    }
    const perDay = b.unit === 'msg/day';
    const hours = deliveries > 0 ? round(b.value / (deliveries * 3600 * (perDay ? 1 : 30)), 2) : 0;
    rows.push({
      quantity: `Hours of peak the ${perDay ? 'daily' : 'monthly'} message budget allows${perDay ? '' : ' per day (30-day month)'}`,
      formula: `${fmt(b.value)} ÷ (${fmt(deliveries)} deliveries/s × 3,600${perDay ? '' : ' × 30'})`,
      value: `${fmt(hours)} h`,
      source: `${at(b)}; each delivery counted as one message`,
    });
  }
  return rows;
}
