// The workload's shape, read from the session context: the streams of traffic it states (chat
// messages, typing, cursor positions, moves…) each with its own rate, the room size that sets
// the fan-out, and the budgets the load must fit. The capacity model sums the streams; the rows
// here show each stream, the per-room arithmetic, the stated fleet and the budgets, every one
// with its formula and the sentence it comes from.
import type { NumberRequirement, Requirement } from '../types.js';
import type { CapacityRow } from './types.js';
import { fmt, round } from './md.js';
import { ROOM_NOUNS, WORDS } from '../context/figure-rules.js';
import { pluralOf } from '../context/requirements.js';
import { sameRoom } from '../context/room-count.js';
import { flowsIn, type NamedFlow } from '../context/flows.js';

/** A rate stated per user, member or agent is multiplied by the connections; anything else is a total. */
export const PER_CONNECTION =
  /\bper (?:active |connected |online )?(?:user|client|connection|socket|device|session|member|player|person|agent|dispatcher|viewer)\b|\beach (?:user|client|connection|member|player|person|participant|agent)\b|\b(?:users|members|players|people|agents|an? (?:user|agent|player|member)) (?:sends?|posts?|types?|emits?|publish(?:es)?)\b|\btypists?\b/i;

/**
 * A per-user rate that only users acting at that moment send ("per active user", "while the
 * pointer moves"): multiplying it by every connection would size for everyone dragging at once.
 */
const ACTIVE_ONLY =
  /\bper active (?:user|member|player|person|agent)\b|\b(?:an?|the|each|every) (?:fast |busy |active )?typists? (?:produces?|sends?|types?|makes?)\b|\bwhile (?:the |their |a |his |her )?(?:pointer|cursor|mouse|user|finger)?\s*(?:moves|is moving|drags|is dragging|dragging|types|is typing|typing|draws|is drawing|drawing)\b/i;

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
/** Verbs that make a per-user rate what the user receives, and those that make it what the user sends. */
const RECEIVE_VERB = /\b(?:receives?|gets?|sees?|is (?:sent|shown|delivered) to|are (?:sent|shown|delivered) to|delivered to)\b/i;
const SEND_VERB = /\b(?:sends?|posts?|publish(?:es)?|types?|emits?|writes?|submits?|creates?)\b/i;

/** A per-user notification rate, or one whose sentence says the user receives it, counts deliveries. */
function receivedPerUser(kind: string, sentence: string): boolean {
  if (SEND_VERB.test(sentence)) return false;
  return kind === 'notifications' || RECEIVE_VERB.test(sentence);
}

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

/**
 * How many rooms the largest size is stated for: 'the three largest "event" rooms have 2,000',
 * "the 5 busiest channels reach 800". Null where the sentence gives no count.
 */
export function largestRoomCount(sentence: string): number | null {
  const m = new RegExp(`\\b(\\d[\\d,]*|${Object.keys(WORDS).join('|')})\\s+(?:largest|biggest|busiest)\\b`, 'i').exec(sentence);
  if (!m) return null;
  const n = WORDS[m[1]!.toLowerCase()] ?? Number(m[1]!.replace(/,/g, ''));
  return Number.isInteger(n) && n > 0 ? n : null;
}

/**
 * The rooms by class where the context states a typical room and a few larger ones with their
 * count ("median room has 12 people, the three largest rooms have 2,000"): the large rooms hold
 * count × size of the sockets, the typical size holds the rest. The fan-out of the large rooms
 * dominates the deliveries, so the total is summed per class, never the typical size for all.
 */
export interface RoomClasses {
  large: { count: number; size: number; sockets: number; evidence: string };
  rest: { sockets: number; size: number; evidence: string };
}

export function roomClassesOf(room: Figure | null, largest: Figure | null, connections: number): RoomClasses | null {
  if (!room || !largest || largest.value <= room.value) return null;
  const count = largestRoomCount(largest.sentence);
  if (count === null) return null;
  const sockets = count * largest.value;
  if (!(sockets < connections)) return null;
  return {
    large: { count, size: largest.value, sockets, evidence: largest.evidence },
    rest: { sockets: connections - sockets, size: room.value, evidence: room.evidence },
  };
}

/** Within this share of the typical size, the stated room count and the typical room agree. */
const ROOM_FIT = 0.05;

/**
 * How the sockets outside the large rooms fill the other rooms: where the context states the room
 * count, the rooms left after the large ones and their average size, said as not the typical size
 * when the two disagree (a median of 12 over 597 rooms holding 8,000); else the rooms the typical
 * size needs.
 */
export function restRooms(c: RoomClasses, roomCount: number | null): { formula: string; basis: string } {
  const left = roomCount === null ? 0 : roomCount - c.large.count;
  if (roomCount === null || left <= 0) {
    const need = Math.ceil(c.rest.sockets / c.rest.size);
    return {
      formula: `⌈${fmt(c.rest.sockets)} ÷ ${fmt(c.rest.size)}⌉ = ${fmt(need)} rooms`,
      basis: `every socket not in a large room is taken to be in a room of the typical size, ${fmt(need)} rooms (assumption)`,
    };
  }
  const avg = c.rest.sockets / left;
  const formula = `${fmt(c.rest.sockets)} ÷ (${fmt(roomCount)} − ${fmt(c.large.count)}) = ${fmt(round(avg, 1))} a room`;
  if (Math.abs(avg - c.rest.size) <= c.rest.size * ROOM_FIT)
    return { formula, basis: `the stated ${fmt(roomCount)} rooms leave ${fmt(left)} for the other sockets, about the typical ${fmt(c.rest.size)} each` };
  return {
    formula,
    basis: `the stated ${fmt(roomCount)} rooms leave ${fmt(left)} for the other ${fmt(c.rest.sockets)} sockets, ${fmt(round(avg, 1))} a room on average, ${avg > c.rest.size ? 'more' : 'fewer'} than the typical ${fmt(c.rest.size)} (\`${c.rest.evidence}\`), which a typical (median) room of ${fmt(c.rest.size)} allows; rt-plan counts ${fmt(left)} rooms and sizes the fan-out from the typical ${fmt(c.rest.size)} (assumption; ${fmt(Math.ceil(c.rest.sockets / c.rest.size))} rooms would hold them at ${fmt(c.rest.size)})`,
  };
}

/** A rate stated for some rooms or moments only, not for everyone all the time. */
const SCOPED = /\bin (?:the )?(?:"?\w+"? ){0,2}(?:rooms|channels|games|boards)\b[^.;]{0,60}\b(?:during|at|while|when)\b/i;

/**
 * "600 rooms with at least one person in them", "25 rooms", or "40 shops" next to "12 staff per
 * shop": the number of rooms, stated. "150 teams" next to "rooms of up to 25" is one room per
 * team, which the plan labels as its reading.
 */
const ROOM_COUNT = new RegExp(String.raw`\b(\d[\d,]*)\s+(?:active |open |live |occupied )?(?:${ROOM_NOUNS})\s+(?:with|in use|open|active)\b`, 'i');

export function roomCountOf(numbers: NumberRequirement[]): (Figure & { note?: string; noun?: string }) | null {
  // A count the context reader took as the rooms ("300 stores with 2-4 screens each", context/room-count.ts).
  const counted = numbers.find((n) => n.metric === 'rooms');
  if (counted) return { value: counted.value, sentence: counted.sentence, evidence: counted.evidence, ...(counted.entity ? { noun: counted.entity } : {}) };
  for (const r of numbers) {
    const m = ROOM_COUNT.exec(r.sentence);
    if (m) return { value: Number(m[1]!.replace(/,/g, '')), sentence: r.sentence, evidence: r.evidence };
  }
  for (const room of numbers.filter((n) => n.metric === 'room-size')) {
    const noun = /\b(?:per|in each|in a|each|in one|in every|on a|on each|on one)\s+(room|channel|board|game|shop|store|team|page|call)\b/i
      .exec(room.sentence)?.[1]
      ?.toLowerCase();
    const nouns = [...new Set([...(noun ? [noun] : []), ...(/\brooms?\b/i.test(room.sentence) ? ['room', 'team'] : [])])];
    for (const n of nouns) {
      const m = new RegExp(`(?<![\\d.,])(\\d[\\d,]*)\\s+${n}s\\b(?!\\s+(?:of|with)\\b)`, 'i').exec(room.sentence);
      if (m)
        return {
          value: Number(m[1]!.replace(/,/g, '')),
          sentence: room.sentence,
          evidence: room.evidence,
          ...(n !== noun && n !== 'room' ? { note: `one room per ${n}` } : {}),
        };
    }
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
  /**
   * A per-user rate of what each user receives ("one notification per agent every 40 s", "each
   * user gets 3 messages a second"): already deliveries, so a fan-out must not multiply it.
   */
  received?: true;
  /**
   * The rate is stated per room or per entity ("5 a second per room", "50 updates per second per
   * symbol"): it is multiplied by their count. A room count not stated is derived from the room
   * size; an entity count not stated is unknown (`count` null), so the total is too.
   */
  scope: Scope | null;
  /** How many stated rates of this kind there were; the largest is the peak taken. */
  stated: number;
  /** A per-room or per-entity rate of the same kind the stated total was taken over: its product, for comparison. */
  beside?: { formula: string; published: number; evidence: string };
  /**
   * The same kind of traffic stated as a burst ("bursts of 30 per minute when a major incident
   * opens tickets"): its peak, kept apart from the steady rate this stream sizes from.
   */
  burst?: { rate: number; published: number; formula: string; evidence: string };
  /**
   * The lower rate the sentence states for the rest of the time ("0.1/s otherwise"): `rest` is what
   * the users outside the active share send at it during the peak (in `published`), `quiet` what
   * everyone sends at it when no one is in the higher phase (`phase`, where the sentence names it).
   */
  otherwise?: { rate: number; rest: number; quiet: number; phase?: string };
  sentence: string;
  evidence: string;
}

export interface Scope {
  /** The entity, singular, as the context names it ("room", "symbol"). */
  noun: string;
  count: number | null;
  /** The count is the context's (`evidence`); else derived (rooms) or unknown (entities). */
  stated: boolean;
  room: boolean;
  evidence?: string;
  /** The rate is the busiest entity's or a ceiling ("up to 50 … on the busiest ones"): rate × count is an upper bound. */
  ceiling: boolean;
  /**
   * A room count the context states that the rate does not use as it stands: more rooms than the
   * connections fill at once at the stated room size (`capped`), or rooms of another kind.
   */
  statedRooms?: { value: number; noun: string; evidence: string; capped: boolean };
}

/** Words that make a per-entity rate the busiest one's or a ceiling, not every entity's. */
const RATE_CEILING = /\b(?:up to|at most|max(?:imum)?|busiest|hottest|most active|peaks?)\b/i;

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
  roomCount: (Figure & { note?: string }) | null;
  /** The typical rooms and the few larger ones, each with the sockets it holds, where the context counts the larger ones. */
  roomClasses: RoomClasses | null;
  /** Limits of a provider plan the context states ("Startup plan: 500 concurrent connections"). */
  quotas: NumberRequirement[];
  /** The share used for the streams only active users send. */
  active: ActiveShare;
  /** Entities one connection follows, as stated: the typical count and the maximum ("20 symbols on average (50 max)"). */
  follows: { typical: NumberRequirement | null; max: NumberRequirement | null };
  /** The delivery latency the context states, if any. */
  latency: NumberRequirement | null;
  /** The streams the context names for the entities clients follow ("the agent's output and status changes"), with or without a rate. */
  named: NamedFlow[];
}

/** The streams the context's sentences name for what clients follow, once per entity and flow. */
export function namedFlowsOf(requirements: readonly Requirement[]): NamedFlow[] {
  const seen = new Set<string>();
  const out: NamedFlow[] = [];
  for (const r of requirements) {
    if (!('sentence' in r) || seen.has(`${r.evidence}\u0000${r.sentence}`)) continue;
    seen.add(`${r.evidence}\u0000${r.sentence}`);
    for (const f of flowsIn(r.sentence, r.evidence)) if (!out.some((x) => x.entity === f.entity && x.flow === f.flow)) out.push(f);
  }
  return out;
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
  const roomCount = roomCountOf(numbers);
  const firstRoom = numbers.find((n) => n.metric === 'room-size');
  const bursts = new Map<string, Stream>();
  const rates = numbers.filter((n) => n.metric === 'message-rate' && !n.quota);
  // A burst sizes the steady rate only where no other rate of its kind is stated.
  const steadyKinds = new Set(rates.filter((n) => !n.burst).map((n) => n.stream ?? 'messages'));
  for (const r of rates) {
    const kind = r.stream ?? 'messages';
    const scope = scopeOf(r, numbers, roomCount, firstRoom, connections);
    const perUser = !scope && PER_CONNECTION.test(r.sentence);
    const activeShare = perUser && ACTIVE_ONLY.test(r.sentence) ? active.share : 1;
    // An unknown entity count leaves one entity's rate: a lower bound, labelled so wherever it shows.
    const count = scope ? (scope.count ?? 1) : perUser ? connections : 1;
    // "2/s per active user during triage, 0.1/s otherwise": the users outside the active share send the lower rate meanwhile.
    const otherwise = r.otherwise
      ? {
          rate: r.otherwise.value,
          rest: perUser ? r.otherwise.value * connections * (1 - activeShare) : 0,
          quiet: r.otherwise.value * count,
          ...(r.otherwise.phase ? { phase: r.otherwise.phase } : {}),
        }
      : undefined;
    // Exact: rounded only where it is shown (fmt), never before it is multiplied.
    const published = r.value * count * (perUser ? activeShare : 1) + (otherwise?.rest ?? 0);
    if (r.burst && steadyKinds.has(kind)) {
      const b = bursts.get(kind);
      if (!b || published > b.published)
        bursts.set(kind, {
          kind,
          rate: r.value,
          perUser,
          activeShare,
          published,
          droppable: false,
          inbound: false,
          scope,
          stated: 1,
          sentence: r.sentence,
          evidence: r.evidence,
        });
      continue;
    }
    const prev = byKind.get(kind);
    const stream: Stream = {
      kind,
      rate: r.value,
      perUser,
      activeShare,
      published,
      droppable: DROPPABLE.has(kind),
      inbound: inboundOnly(kind, r.sentence),
      ...(perUser && receivedPerUser(kind, r.sentence) ? { received: true as const } : {}),
      ...(otherwise ? { otherwise } : {}),
      scope,
      stated: (prev?.stated ?? 0) + 1,
      sentence: r.sentence,
      evidence: r.evidence,
    };
    // "one a minute; in event rooms up to one every 10 s during highlights": the second rate is
    // scoped to some rooms, so everyone keeps the first and the scoped one sizes the largest room.
    if (prev && prev.sentence === r.sentence && SCOPED.test(r.sentence)) {
      if (!peak || r.value > peak.rate) peak = { rate: r.value, sentence: r.sentence, evidence: r.evidence };
    }
    // "16 per minute per store, about 4,800 per minute chain-wide": a total the context states wins
    // over a per-room or per-entity rate multiplied by a count, whichever is larger.
    else if (!prev || (derivedProduct(prev) && !derivedProduct(stream)) || (derivedProduct(prev) === derivedProduct(stream) && published > prev.published)) {
      const beside = prev && derivedProduct(prev) && !derivedProduct(stream) ? besideOf(prev) : prev?.beside;
      byKind.set(kind, beside ? { ...stream, beside } : stream);
    } else {
      prev.stated = stream.stated;
      if (derivedProduct(stream) && !derivedProduct(prev)) prev.beside = besideOf(stream);
    }
  }
  for (const [kind, b] of bursts) {
    const steady = byKind.get(kind);
    if (steady) byKind.set(kind, { ...steady, burst: { rate: b.rate, published: b.published, formula: rateFormula(b, connections), evidence: b.evidence } });
  }
  const rooms = numbers.filter((n) => n.metric === 'room-size');
  const figure = (r: NumberRequirement | undefined): Figure | null => (r ? { value: r.value, sentence: r.sentence, evidence: r.evidence } : null);
  const largest = rooms.reduce<NumberRequirement | undefined>((a, r) => (!a || r.value > a.value ? r : a), undefined);
  const largestRoom = largest && rooms[0] && largest.value > rooms[0].value ? figure(largest) : null;
  return {
    streams: [...byKind.values()],
    room: figure(rooms[0]),
    largestRoom,
    roomClasses: roomClassesOf(figure(rooms[0]), largestRoom, connections),
    budgets: numbers.filter((n) => n.metric === 'budget' && /^(?:msg\/month|msg\/day|requests\/user\/hour|Mbit\/s|B\/s per client)$/.test(n.unit)),
    scopedPeak: peak,
    roomCount,
    quotas: numbers.filter((n) => n.quota !== undefined),
    follows: {
      typical: numbers.find((n) => n.metric === 'subscriptions' && n.bound !== 'max') ?? null,
      max: numbers.find((n) => n.metric === 'subscriptions' && n.bound === 'max') ?? null,
    },
    latency: numbers.find((n) => n.metric === 'latency') ?? null,
    active,
    named: namedFlowsOf(requirements),
  };
}

/** A rate's arithmetic as the capacity table writes it, with the lower rate the users outside the active share send meanwhile. */
export function rateFormula(s: Pick<Stream, 'rate' | 'scope' | 'perUser' | 'activeShare' | 'otherwise'>, connections: number): string {
  if (s.scope) return scopeFormula(s);
  if (!s.perUser) return `${fmt(s.rate)} msg/s`;
  const pct = (x: number) => `${fmt(round(x * 100, 1))}%`;
  const rest =
    s.otherwise && s.otherwise.rest > 0 ? ` + ${fmt(s.otherwise.rate)} msg/s per user × ${fmt(connections)} × ${pct(1 - s.activeShare)} the rest` : '';
  return `${fmt(s.rate)} msg/s per user × ${fmt(connections)}${s.activeShare < 1 ? ` × ${pct(s.activeShare)} active` : ''}${rest}`;
}

/** The lower rate alone, as the capacity table writes it: everyone at it, when no one is in the higher phase. */
function quietFormula(s: Stream, connections: number): string {
  const o = s.otherwise!;
  if (s.scope) return scopeFormula({ rate: o.rate, scope: s.scope });
  return s.perUser ? `${fmt(o.rate)} msg/s per user × ${fmt(connections)}` : `${fmt(o.rate)} msg/s`;
}

const besideOf = (s: Stream): NonNullable<Stream['beside']> => ({ formula: scopeFormula(s), published: s.published, evidence: s.evidence });

/**
 * A per-room or per-entity rate multiplied out by a count: "16 per minute per store" × 300 stores is
 * the context's figure times a count (derived, or stated elsewhere), not a total it states.
 */
const derivedProduct = (s: Stream): boolean => !!s.scope;

/** The room a per-room rate names ("16 per minute per store" → store). */
const PER_ROOM_NOUN =
  /\b(?:per|in each|for each|in every|(?:into|in|to|for) (?:one|a single|a|each|every|any one|the one))\s+(room|channel|game|board|canvas|call|match|page|document|doc|shop|store|team|class|hall|lobby|session)\b/i;

/** The room or entity a rate is stated per, with their count: stated, derived (rooms) or unknown (entities). */
function scopeOf(
  r: NumberRequirement,
  numbers: NumberRequirement[],
  roomCount: (Figure & { noun?: string }) | null,
  firstRoom: NumberRequirement | undefined,
  connections: number,
): Scope | null {
  // A stated count of one kind of room ("300 stores") is not the count of another the rate names ("per channel").
  const perNoun = PER_ROOM_NOUN.exec(r.sentence)?.[1];
  const rooms = roomCount && (!roomCount.noun || !perNoun || sameRoom(perNoun, roomCount.noun)) ? roomCount : null;
  if (r.perRoom) {
    const full = Math.max(1, Math.ceil(connections / Math.max(1, firstRoom?.value ?? connections)));
    // "90 halls, up to 450 per hall, 9,000 connected": the connections fill at most 20 of them at once,
    // and a per-room rate is a full room's, so the rates use 20; the 90 stay stated beside it.
    const capped = !!roomCount && !!firstRoom && roomCount.value * firstRoom.value > connections;
    const statedRooms = roomCount ? { statedRooms: { value: roomCount.value, noun: roomCount.noun ?? 'room', evidence: roomCount.evidence, capped } } : {};
    return rooms && !capped
      ? { noun: 'room', count: rooms.value, stated: true, room: true, evidence: rooms.evidence, ceiling: false }
      : { noun: 'room', count: full, stated: false, room: true, ceiling: false, ...statedRooms };
  }
  if (!r.perEntity) return null;
  const counted = numbers.find((n) => n.metric === 'entities' && n.entity === pluralOf(r.perEntity!));
  return {
    noun: r.perEntity,
    count: counted ? counted.value : null,
    stated: !!counted,
    room: false,
    ...(counted ? { evidence: counted.evidence } : {}),
    ceiling: RATE_CEILING.test(r.sentence),
  };
}

/** "50 msg/s per symbol × 500 symbols", or "× ? symbols" when the count is unknown. */
export function scopeFormula(s: Pick<Stream, 'rate' | 'scope'>): string {
  const sc = s.scope!;
  return `${fmt(s.rate)} msg/s per ${sc.noun} × ${sc.count === null ? '?' : fmt(sc.count)} ${pluralOf(sc.noun)}`;
}

/** What a scoped total rests on: the count's sentence, the derived room count, or the unknown entity count. */
export function scopeBasis(sc: Scope, md = true): string {
  const many = pluralOf(sc.noun);
  if (sc.count === null) return `the total is unknown: the context states no count of ${many}, so only one ${sc.noun}'s rate is counted (a lower bound)`;
  if (!sc.stated) return `${many} count derived, none stated`;
  const where = md ? `context (\`${sc.evidence}\`)` : `context, ${sc.evidence}`;
  return `${many}: ${where}${sc.room ? '' : `; every ${sc.noun} at that rate${sc.ceiling ? ', while the context gives it for the busiest: an upper bound' : ''}`}`;
}

const at = (f: { evidence: string }) => `context (\`${f.evidence}\`)`;

/**
 * A stream's published rate with what it rests on: "50 msg/s stated" only when the context states
 * that very figure; a rate multiplied out of a per-user or per-room figure says so, and names
 * the active share or room count when that is rt-plan's default, not the context's.
 */
export function publishedMd(w: Workload, s: Stream, connections: number): string {
  const where = `\`${s.evidence}\``;
  if (s.scope?.room)
    return `${fmt(s.published)} msg/s: the stated ${fmt(s.rate)} msg/s per room × ${fmt(s.scope.count!)} rooms${s.scope.stated ? '' : s.scope.statedRooms?.capped ? ` (the most rooms ${fmt(connections)} connections fill at once; ${fmt(s.scope.statedRooms.value)} ${pluralOf(s.scope.statedRooms.noun)} stated)` : s.scope.statedRooms ? ` (room count derived; the ${fmt(s.scope.statedRooms.value)} ${pluralOf(s.scope.statedRooms.noun)} stated are other rooms)` : ' (room count derived, none stated)'}, ${where}`;
  if (s.scope) {
    const sc = s.scope;
    if (sc.count === null) return `${fmt(s.rate)} msg/s per ${sc.noun} stated, ${where}; ${scopeBasis(sc)}`;
    const counted = sc.evidence && sc.evidence !== s.evidence ? ` (${pluralOf(sc.noun)}: \`${sc.evidence}\`)` : '';
    return `${sc.ceiling ? 'up to ' : ''}${fmt(s.published)} msg/s: the stated ${scopeFormula(s)}${sc.ceiling ? `, every ${sc.noun} at the busiest rate` : ''}, ${where}${counted}`;
  }
  if (!s.perUser) return `${fmt(s.published)} msg/s stated, ${where}`;
  const share =
    s.activeShare < 1 ? ` × ${fmt(round(s.activeShare * 100, 1))}% active${w.active.stated ? '' : " (rt-plan's default share, an assumption)"}` : '';
  const rest =
    s.otherwise && s.otherwise.rest > 0
      ? ` + the stated lower ${fmt(s.otherwise.rate)} msg/s per user × the other ${fmt(round((1 - s.activeShare) * 100, 1))}%`
      : '';
  return `${fmt(s.published)} msg/s: the stated ${fmt(s.rate)} msg/s per user × ${fmt(connections)}${share}${rest}, ${where}`;
}

/**
 * Where a per-room rate's room count comes from when the rate does not take a stated one as it
 * stands: the rooms the connections fill, with the stated count beside it and why it is not used.
 */
export function derivedRoomsMd(sc: Scope, connections: number, size: number): string {
  const rooms = `rooms: ⌈${fmt(connections)} ÷ ${fmt(size)}⌉ = ${fmt(sc.count ?? 0)}`;
  const st = sc.statedRooms;
  if (!st) return `${rooms} (no room count stated)`;
  const stated = `${fmt(st.value)} ${pluralOf(st.noun)} stated (\`${st.evidence}\`)`;
  if (st.capped)
    return `${rooms}: ${stated}, but ${fmt(connections)} connections fill at most ${fmt(sc.count ?? 0)} rooms of ${fmt(size)} at once${connections % size === 0 ? '' : ' (the last partly)'}, which is what the rates use`;
  return `${rooms}, derived: the ${stated} are not what this rate is stated per`;
}

/** A stated room count the connections cannot fill at the room size: how many they fill at once, and whether the rates use that. */
function fullAtOnceMd(w: Workload, connections: number, room: number): string {
  if (!w.roomCount || w.roomCount.value * room <= connections) return '';
  const full = Math.max(1, Math.ceil(connections / Math.max(1, room)));
  const used = w.streams.some((s) => s.scope?.room && s.scope.statedRooms?.capped);
  return `; ${fmt(connections)} connections fill at most ${fmt(full)} of them at once at ${fmt(room)} each${used ? `: the per-room rates use ${fmt(full)}` : ''}`;
}

/** Rows before the fleet sizing: each stream's published rate and the per-room fan-out. */
export function workloadRows(
  w: Workload,
  connections: number,
  fanout: number,
  msgRate: number,
  /** The broadcasts leave the sender out: the room holds `room` members, and each message reaches `fanout` = room − 1 of them. */
  excluded?: { room: number; how: string; evidence: string },
): CapacityRow[] {
  const room = excluded ? excluded.room : fanout;
  const roomSize = w.room?.value ?? room;
  const shareSource = w.active.stated ? `share stated, ${at(w.active.stated)}` : 'share of users acting at once: rt-plan default (assumption)';
  const rows: CapacityRow[] = w.streams.flatMap((s) => [
    {
      // A total and the per-room rate it is the sum of are one traffic stated twice, not a normal and a peak figure.
      quantity: `${s.inbound ? 'Received by the server (not fanned out)' : 'Published'}: ${s.kind}${s.stated - (s.beside ? 1 : 0) > 1 ? ` (peak of ${fmt(s.stated)} stated rates)` : s.burst ? ' (steady)' : ''}`,
      formula: rateFormula(s, connections),
      value: s.scope && s.scope.count === null ? `unknown (≥ ${fmt(s.published)})` : fmt(s.published),
      source: `${at(s)}${s.beside ? `; a stated total, taken over ${s.beside.formula} = ${fmt(s.beside.published)} msg/s (\`${s.beside.evidence}\`)` : ''}${s.scope?.room && !s.scope.stated ? `; ${derivedRoomsMd(s.scope, connections, roomSize)}` : s.scope && !s.scope.room ? `; ${scopeBasis(s.scope)}` : ''}${s.activeShare < 1 ? `; only users acting send ${s.otherwise ? 'the higher rate' : 'it'}, ${shareSource}` : ''}${s.otherwise && s.otherwise.rest > 0 ? `, and the rest send the lower ${fmt(s.otherwise.rate)} msg/s stated for the rest of the time meanwhile` : ''}${s.otherwise ? `; this peak sizes the figures below` : ''}${s.droppable ? '; droppable: coalesce or drop under load' : ''}`,
    },
    ...(s.otherwise
      ? [
          {
            quantity: `${s.inbound ? 'Received by the server' : 'Published'} ${s.otherwise.phase ? `outside ${s.otherwise.phase}` : 'the rest of the time'}: ${s.kind}`,
            formula: quietFormula(s, connections),
            value: fmt(s.otherwise.quiet),
            source: `context (\`${s.evidence}\`): the lower rate, stated for the rest of the time, with no one at the higher one: the load between peaks; it sizes none of the figures below`,
          },
        ]
      : []),
    ...(s.burst
      ? [
          {
            quantity: `${s.inbound ? 'Received by the server' : 'Published'} during a burst: ${s.kind}`,
            formula: s.burst.formula,
            value: fmt(s.burst.published),
            source: `context (\`${s.burst.evidence}\`): a burst, not the steady rate: the peak the send buffers, the pub/sub and the load test's burst phase must absorb`,
          },
        ]
      : []),
  ]);
  // Streams the context names with no rate: each has its place here, and the modelled rate stands for them together.
  if (w.streams.length === 0 && w.named.length > 0)
    rows.push({
      quantity: 'Streams the context names (no rate stated)',
      formula: w.named.map((f) => `${f.entity} ${f.flow}`).join(' + '),
      value: 'not stated',
      source: `context (${[...new Set(w.named.map((f) => `\`${f.evidence}\``))].join(', ')}): no rate is stated for any of them, so the published rate in the inputs stands for all ${fmt(w.named.length)} together (assumption); measure each stream's rate in staging`,
    });
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
  if (w.roomClasses) {
    const c = w.roomClasses;
    const fit = restRooms(c, w.roomCount?.value ?? null);
    rows.push({
      quantity: `Sockets by room class (${fmt(c.large.count)} of ${fmt(c.large.size)}; the rest in rooms of ${fmt(c.rest.size)})`,
      formula: `${fmt(c.large.count)} × ${fmt(c.large.size)} = ${fmt(c.large.sockets)}; ${fmt(connections)} − ${fmt(c.large.sockets)} = ${fmt(c.rest.sockets)}; ${fit.formula}`,
      value: `${fmt(c.large.sockets)}; ${fmt(c.rest.sockets)}`,
      source: `context (\`${c.large.evidence}\`); ${fit.basis}`,
    });
  }
  if (w.room && w.room.value === room) {
    const exactPerRoom = room * exactPerUser;
    const perRoom = round(exactPerRoom, 2);
    // A room that publishes less than 0.01 a second is shown per hour, not rounded to 0.
    const hourly = exactPerRoom < 0.01;
    const rate = (n: number, unit = '') =>
      hourly ? `${fmt(round(n * 3600, 1))}${unit ? ` ${unit}` : ''}/h` : `${fmt(round(n, 2))}${unit ? ` ${unit}` : ''}/s`;
    if (!others)
      rows.push(
        w.roomCount
          ? {
              quantity: w.roomCount.note ? `Rooms (${w.roomCount.note})` : 'Rooms (stated)',
              formula: `${fmt(w.roomCount.value)}`,
              value: fmt(w.roomCount.value),
              source: `${at(w.roomCount)}${w.roomCount.note ? `; ${w.roomCount.note} is rt-plan's reading (assumption)` : ''}${fullAtOnceMd(w, connections, room)}`,
            }
          : {
              quantity: `Rooms of ${fmt(room)}`,
              formula: `⌈${fmt(connections)} ÷ ${fmt(room)}⌉`,
              value: fmt(Math.ceil(connections / room)),
              source: at(w.room),
            },
      );
    // The context states the rate per room itself ("55 votes per second into one class"): the row says
    // that rate, not a division of the total the row above multiplied it into.
    const only = w.streams.length === 1 ? w.streams[0]! : null;
    const statedPerRoom = only?.scope?.room && !only.inbound && round(only.rate, 2) === perRoom ? only : null;
    rows.push(
      {
        quantity: 'Published per room',
        // Users are the senders where the context states a rate per user (or none: the scenario's default
        // is per user); a stated total (status changes a server publishes) is shared by the rooms, not
        // sent by their members. A rate too
        // small per user to print is shown as the total shared by the rooms as well.
        formula: statedPerRoom
          ? `stated: ${fmt(statedPerRoom.rate)} msg/s per ${statedPerRoom.scope!.noun}`
          : perUser >= 0.01 && (w.streams.length === 0 || w.streams.some((s) => s.perUser))
            ? `${fmt(room)} users × ${fmt(perUser)} msg/s`
            : w.roomCount && !others && w.roomCount.value * room === connections
              ? `${fmt(msgRate)} msg/s ÷ ${fmt(w.roomCount.value)} rooms`
              : `${fmt(msgRate)} msg/s × ${fmt(room)} ÷ ${fmt(connections)} users`,
        value: hourly ? rate(exactPerRoom, 'msg') : `${fmt(perRoom)} msg/s`,
        source: statedPerRoom ? `context (\`${statedPerRoom.evidence}\`)` : 'computed',
      },
      {
        quantity: 'Deliveries per room',
        formula: excluded
          ? `${hourly ? rate(exactPerRoom, 'msg') : fmt(perRoom)} × (${fmt(room)} − 1) recipients`
          : `${hourly ? rate(exactPerRoom, 'msg') : fmt(perRoom)} × ${fmt(fanout)} recipients`,
        value: hourly ? rate(exactPerRoom * fanout) : `${fmt(round(perRoom * fanout, 2))}/s`,
        source: excluded ? `fan-out is the room size − 1: \`${excluded.how}\` (\`${excluded.evidence}\`) leaves the sender out` : 'fan-out is the room size',
      },
    );
  }
  if (w.largestRoom && !w.streams.every((s) => s.inbound)) {
    const n = w.largestRoom.value;
    // The rate the context scopes to its larger rooms ("in event rooms … during highlights") is theirs.
    const rate = w.scopedPeak ? w.scopedPeak.rate : exactPerUser;
    // Where the broadcasts leave the sender out, each message of the room reaches the n − 1 others.
    const reach = excluded ? n - 1 : n;
    const reachMd = excluded ? `(${fmt(n)} − 1)` : fmt(n);
    const deliveries = n * rate * reach;
    const hourly = deliveries < 0.01;
    rows.push({
      quantity: `Deliveries in the largest room (${fmt(n)})`,
      formula: rate >= 0.0001 ? `${fmt(n)} × ${fmt(round(rate, 4))} msg/s × ${reachMd}` : `${fmt(n)} × ${fmt(round(rate * 3600, 3))} msg/h × ${reachMd}`,
      value: hourly ? `${fmt(round(deliveries * 3600, 1))}/h` : `${fmt(round(deliveries, 2))}/s`,
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
  planned: (Figure & { ceiling?: unknown }) | null,
  instancesNeeded: number,
  /** The deliveries, not the connections or egress, set the fleet: only then does a per-user rate fix it. */
  deliveriesLimit = true,
  /** Where the fleet is sized for a coalesced load: what that figure rests on. */
  neededNote = '',
): CapacityRow[] {
  const rows: CapacityRow[] = [];
  const deliveries = round(values.msgRate * values.fanout, 2);
  if (planned && deliveriesLimit && planned.value < instancesNeeded && values.connections > 0 && values.fanout > 0) {
    const serving = Math.max(1, planned.value - 1);
    const carried = round((serving * deliveriesPerInstance) / (values.connections * values.fanout), 2);
    const droppable = w.streams.filter((s) => s.droppable).map((s) => s.kind);
    rows.push({
      quantity: `Per-user rate the stated ${fmt(planned.value)} instance${planned.value === 1 ? '' : 's'} carr${planned.value === 1 ? 'ies' : 'y'}`,
      // One of several is kept spare; a fleet of one has none to keep.
      formula: `${planned.value > 1 ? `(${fmt(planned.value)} − 1)` : '1'} × ${fmt(deliveriesPerInstance)} ÷ (${fmt(values.connections)} × ${fmt(values.fanout)})`,
      value: `${fmt(carried)} msg/s`,
      // A capped fleet ("not planning more instances") leaves only the load to change.
      source: `${at(planned)}; the workload needs ${fmt(instancesNeeded)}${neededNote}: ${droppable.length > 0 ? `coalesce ${droppable.join(' and ')} until the total per user fits${planned.ceiling ? '' : ', or add instances'}` : planned.ceiling ? 'lower the rate or the fan-out; the context adds no instances' : 'add instances or lower the fan-out'}`,
    });
  }
  // Messages a day or a month are compared in quota-rows.ts.
  for (const b of w.budgets.filter((x) => x.unit === 'requests/user/hour')) {
    const perHour = round((values.msgRate / Math.max(1, values.connections)) * 3600, 1);
    rows.push({
      quantity: 'Requests per user per hour at peak',
      formula: `${fmt(round(values.msgRate / Math.max(1, values.connections), 4))} msg/s × 3,600`,
      value: fmt(perHour),
      source: `${at(b)}: budget ${fmt(b.value)} per user per hour, ${perHour <= b.value ? 'within it' : 'over it'}`,
    });
  }
  return rows;
}
