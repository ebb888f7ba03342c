// The capacity model: pure arithmetic over stated inputs. Every figure the plan prints is
// computed here and shown with its formula, so a reader can redo it by hand; the tests do.
import type { NumberRequirement, Requirement } from '../types.js';
import type { CapacityInputs, CapacityRow, SizedInputs } from './types.js';
import { fmt, list, round } from './md.js';
import { quotaRows, type QuotaInput } from './quota-rows.js';
import {
  otherRooms,
  PER_CONNECTION,
  rateFormula,
  reconcileRows,
  roomCountOf,
  scopeBasis,
  scopeFormula,
  workloadOf,
  workloadRows,
  type RoomClasses,
  type Workload,
} from './workload.js';

export interface CapacitySettings {
  /** Connections one instance is sized for (rt-plan's default, templates/knowledge/rt-plan-defaults.md). */
  connectionsPerInstance: number;
  /** Fraction of that target used in steady state; the rest absorbs spikes and failover. */
  utilization: number;
  /**
   * Message deliveries one Node process sustains: a third-party benchmark saw one Socket.IO
   * process saturate near 30k clients each receiving 1 KB/s (realtime-facts.md).
   */
  deliveriesPerInstance: number;
  /** Egress one instance is given (a 1 Gbit/s NIC); the same utilization applies. */
  egressMbpsPerInstance: number;
  /** Memory per idle connection without compression: an assumption the load test must confirm. */
  baseBytesPerConnection: number;
  windowBits: number;
  memLevel: number;
  /** Reduced deflate settings shown as the tuned alternative (python-websockets measured 52 KiB at 11/4). */
  tunedWindowBits: number;
  tunedMemLevel: number;
  /** Linux default ip_local_port_range 32768–60999. */
  ephemeralPorts: number;
  /** Descriptors kept for files, Redis, upstream HTTP and logs. */
  fdReserve: number;
}

export const DEFAULT_SETTINGS: CapacitySettings = {
  connectionsPerInstance: 10_000,
  utilization: 0.7,
  deliveriesPerInstance: 30_000,
  egressMbpsPerInstance: 1_000,
  baseBytesPerConnection: 32 * 1024,
  windowBits: 15,
  memLevel: 8,
  tunedWindowBits: 11,
  tunedMemLevel: 4,
  ephemeralPorts: 28_232,
  fdReserve: 1_024,
};

export type InputSource =
  | { kind: 'flag'; flag: string }
  | { kind: 'context'; sentence: string; evidence: string; note?: string }
  | {
      kind: 'default';
      why: string;
      note?: string /** Markdown, from rt-plan's own wording: why the code could not size it. */;
      noteMd?: string;
      /** A default per-connection rate taken for a default room only, since the stated room is an audience (its size). */
      audience?: number;
    }
  /**
   * Read from the code: the payload estimated from the shapes it sends (payload-size.ts), or the
   * fan-out of a code whose every broadcast reaches every connection (`basis: 'broadcast'`);
   * `fallback` is the default it replaced.
   */
  | { kind: 'code'; evidence: string[]; note: string; fallback: number; basis?: 'broadcast' };

export interface ResolvedInputs {
  values: SizedInputs;
  sources: Record<keyof CapacityInputs, InputSource>;
  /** Instances the session context says the team will run, if it says. */
  planned: { value: number; sentence: string; evidence: string; ceiling?: { sentence: string; evidence: string }; cores?: number; singleHost?: true } | null;
  /** The largest message the context states ("up to 200 KB"), which the payload cap must admit. */
  largestPayload: { value: number; sentence: string; evidence: string } | null;
  /** The streams, room sizes and budgets the context states. */
  workload: Workload;
  /**
   * The context states no subscribers per channel and no fleet of ours is sized from the fan-out (a
   * server product we run holds the sockets): the fan-out is said to be not stated, and no delivery
   * rate or egress is computed from a default as if it were the project's. The text says why.
   */
  fanoutUnstatedMd?: string;
  /**
   * Every stream's broadcast leaves its sender out (`socket.to(room)`, `room.broadcast(…, [sender.id])`):
   * the fan-out is the room size − 1. `room` is the room size; `how` the call, at `evidence`.
   */
  senderExcluded?: { room: number; how: string; evidence: string };
  /**
   * A rate stated per recipient that the code delivers to a whole group (`n.teamId === agent.teamId`):
   * each notification is published once for its group, so publishes are the deliveries ÷ the group's
   * members online. With no group size stated they are counted one per delivery, an upper bound for
   * publishes, pub/sub and a log written once per publish; the deliveries are the stated rate either way.
   */
  groupDelivery?: { group: string; test: string; evidence: string };
  /**
   * The fan-out is the floor connections ÷ entities (the context states both, not how many entities
   * one connection follows): every figure from it is a lower bound in the fan-out, never an "at most".
   */
  fanoutFloor?: number;
}

/** Members of a room: the fan-out, plus the sender where the broadcasts leave it out. */
export function roomSizeOf(c: Pick<ResolvedInputs, 'values' | 'senderExcluded'>): number {
  return c.senderExcluded ? c.senderExcluded.room : c.values.fanout;
}

/** Rows whose figure is the fan-out times the rate: not computed where the fan-out is not stated. */
const FROM_FANOUT = /^(Deliveries per second|Egress bandwidth)/;

export function withoutDefaultFanout(rows: CapacityRow[], c: Pick<ResolvedInputs, 'fanoutUnstatedMd' | 'values'>): CapacityRow[] {
  if (!c.fanoutUnstatedMd) return rows;
  return rows.map((r) =>
    FROM_FANOUT.test(r.quantity)
      ? {
          ...r,
          formula: r.quantity.startsWith('Deliveries') ? `${fmt(c.values.msgRate)} msg/s × subscribers per channel` : 'deliveries × payload × 8',
          value: 'not computed',
          source: 'subscribers per channel not stated (see the inputs above)',
        }
      : r,
  );
}

/**
 * Where the message rate rests on an rt-plan default (the context states no rate and no flag
 * gave one, or a stated per-user rate is multiplied by rt-plan's default share of users acting
 * at once), the words that go next to any figure derived from it, so a default never reads as
 * the project's own number; null when the context or a flag gives the rate in full.
 */
export function defaultRateMd(c: Pick<ResolvedInputs, 'sources' | 'workload'>): { short: string; long: string } | null {
  if (c.sources.msgRate.kind === 'default') return { short: 'default rate', long: "rt-plan's default rate, an assumption: the context states none" };
  const w = c.workload;
  if (c.sources.msgRate.kind === 'context' && w && !w.active.stated && w.streams.some((x) => x.activeShare < 1)) {
    const share = `${fmt(round(w.active.share * 100, 1))}%`;
    return { short: 'default active share', long: `the stated per-user rates × rt-plan's default ${share} of users acting at once, an assumption` };
  }
  return null;
}

/**
 * The stated bursts (workload.ts `burst`): how many times the steady published rate they reach,
 * with the burst rate itself and where it is stated; null when the context states none.
 */
export function burstOf(c: Pick<ResolvedInputs, 'workload'>): { factor: number; published: number; evidence: string } | null {
  const streams = (c.workload?.streams ?? []).filter((x) => !x.inbound);
  const first = streams.find((x) => x.burst);
  if (!first?.burst) return null;
  const steady = streams.reduce((n, x) => n + x.published, 0);
  const peak = streams.reduce((n, x) => n + (x.burst?.published ?? x.published), 0);
  return steady > 0 ? { factor: peak / steady, published: round(peak, 2), evidence: first.burst.evidence } : null;
}

/** Deflate memory per connection, RFC 7692 window sizes with zlib's formula (realtime-facts.md). */
export function deflateBytes(windowBits: number, memLevel: number): { compressor: number; decompressor: number; total: number } {
  const compressor = (1 << (windowBits + 2)) + (1 << (memLevel + 9));
  const decompressor = 1 << windowBits;
  return { compressor, decompressor, total: compressor + decompressor };
}

/** Flags win, then the session context, then the scenario's stated default. */
export function resolveCapacityInputs(
  requirements: Requirement[],
  flags: Partial<CapacityInputs>,
  defaults: CapacityInputs & { why: Record<keyof CapacityInputs, string> },
  /** Where every broadcast the code sends goes to every connection (a loop over all sockets): its sites. */
  broadcastsToAll: string[] = [],
  /** The call that leaves the sender out of every broadcast of a stream of this kind, where the code does. */
  excludedFor: (kind: string) => { how: string; evidence: string } | null = () => null,
  /** The group the code delivers each pushed message to, where a delivery filter compares a group's field. */
  deliveredTo: { group: string; test: string; evidence: string } | null = null,
): ResolvedInputs {
  const numbers = requirements.filter((r): r is NumberRequirement => r.kind === 'number');
  // A provider plan's limit ("Startup plan: 500 concurrent connections") is what the load is
  // compared with, never the load itself.
  const first = (metric: NumberRequirement['metric']) => numbers.find((r) => r.metric === metric && r.quota === undefined);
  const fromContext = (r: NumberRequirement): InputSource => ({ kind: 'context', sentence: r.sentence, evidence: r.evidence });

  const pick = (key: keyof CapacityInputs, flag: string, req: NumberRequirement | undefined, map?: (r: NumberRequirement) => number) => {
    const flagged = flags[key];
    if (flagged !== undefined) return { value: flagged, source: { kind: 'flag', flag } as InputSource };
    if (req) return { value: map ? map(req) : req.value, source: fromContext(req) };
    return { value: defaults[key], source: { kind: 'default', why: defaults.why[key] } as InputSource };
  };

  // Total users, when no concurrent figure is stated, bound the concurrent peak from above.
  const total = first('concurrent-users') ? undefined : first('users');
  const connections = pick('connections', '--connections', first('concurrent-users') ?? total);
  if (total && connections.source.kind === 'context') connections.source = { ...connections.source, note: 'all users online at once: an upper bound' };
  // "1,200 online at peak, 2,500 at the end of the quarter": the fleet is sized for the larger,
  // later figure, and the smaller one is named beside it.
  const grown = (first('concurrent-users') ?? total)?.later;
  if (grown && connections.source.kind === 'context') {
    const was = connections.value;
    connections.value = grown.value;
    const notes = [
      `sized for the ${fmt(grown.value)} stated ${grown.when}; the smaller figure stated is ${fmt(was)}${grown.scope ? ` ${grown.scope}` : ''}`,
      ...(connections.source.note ? [connections.source.note] : []),
    ];
    connections.source = { ...connections.source, note: notes.join('; ') };
  }
  // "40 shops, up to 12 staff per shop" states the users as rooms × their size: every room full at once.
  const rooms = roomCountOf(numbers);
  const sized = first('room-size');
  if (connections.source.kind === 'default' && flags.connections === undefined && rooms && sized) {
    connections.value = rooms.value * sized.value;
    connections.source = {
      kind: 'context',
      sentence: sized.sentence,
      evidence: sized.evidence,
      note: `${fmt(rooms.value)} rooms${rooms.note ? ` (${rooms.note}, assumption)` : ''} × ${fmt(sized.value)}: every room full at once, an upper bound`,
    };
  }
  // A stated room larger than the connection figure needs all its members online at once
  // ("3,000 players in one game" while today's biggest game had 400): the room wins, plus the
  // other rooms the same sentence says run at the same time.
  const largest = numbers.filter((r) => r.metric === 'room-size').reduce<NumberRequirement | undefined>((a, r) => (!a || r.value > a.value ? r : a), undefined);
  if (flags.connections === undefined && largest && largest.value > connections.value) {
    const others = otherRooms(largest.sentence);
    const before = connections.value;
    connections.value = largest.value + (others ? others.count * others.size : 0);
    const was = connections.source.kind === 'context' ? 'stated elsewhere' : 'default';
    connections.source = {
      kind: 'context',
      sentence: largest.sentence,
      evidence: largest.evidence,
      note: `${others ? `${fmt(largest.value)} + ${fmt(others.count)} × ${fmt(others.size)} at the same time` : `one room of ${fmt(largest.value)} online at once`}; the ${fmt(before)} ${was} cannot hold it`,
    };
  }
  // Every stated stream of traffic adds up (chat, typing, cursors, moves): see workload.ts.
  const workload = workloadOf(requirements, connections.value);
  // Answers and votes sent to the server only are received once, never fanned out: they are
  // not the published rate (workloadRows shows them on their own row).
  const streams = workload.streams.filter((x) => !x.inbound);
  const inbound = workload.streams.filter((x) => x.inbound);
  const rateReq = streams[0] ? numbers.find((r) => r.metric === 'message-rate' && r.evidence === streams[0]!.evidence) : undefined;
  // The streams' exact sum: a rate rounded here (300 an hour to 0.08/s) would be multiplied by a day's seconds.
  const msgRate = pick('msgRate', '--msg-rate', rateReq, () => streams.reduce((a, x) => a + x.published, 0));
  if (rateReq && msgRate.source.kind === 'context' && (streams.length > 1 || PER_CONNECTION.test(rateReq.sentence) || streams[0]!.scope))
    msgRate.source = {
      ...msgRate.source,
      note: streams
        .map((x) =>
          x.scope
            ? `${x.kind} ${scopeFormula(x)}${x.scope.room ? '' : ` (${scopeBasis(x.scope, false)})`}`
            : x.perUser
              ? `${x.kind} ${rateFormula(x, connections.value)}`
              : `${x.kind} ${fmt(x.rate)} msg/s`,
        )
        .join(' + ')
        // The active share is rt-plan's default unless the context states one: an assumption.
        .concat(
          !workload.active.stated && streams.some((x) => x.activeShare < 1)
            ? `; the ${fmt(round(workload.active.share * 100, 1))}% active share is rt-plan's default (assumption)`
            : '',
        ),
    };
  // A default rate follows the connection count so that a flagged --connections scales it.
  if (msgRate.source.kind === 'default') msgRate.value = round(connections.value * (defaults.msgRate / defaults.connections), 2);
  // A ceiling ("notes are up to 200 KB") is the largest message, for the payload cap; the
  // average that egress is sized from stays the stated typical size or the scenario's default.
  const payload = pick(
    'payloadBytes',
    '--payload-bytes',
    numbers.find((r) => r.metric === 'payload-size' && r.bound !== 'max'),
  );
  const ceiling = numbers
    .filter((r) => r.metric === 'payload-size' && r.bound === 'max')
    .reduce<NumberRequirement | undefined>((a, r) => (!a || r.value > a.value ? r : a), undefined);
  const fanout = pick('fanout', '--fanout', first('room-size'));
  // Per-entity subscriptions: each connection follows N of E entities ("a watchlist has 20 symbols
  // … across 8,000 symbols"), so an update of one entity reaches connections × N ÷ E watchers on
  // average, when updates spread evenly over the entities.
  const follows = numbers.find((r) => r.metric === 'subscriptions' && r.bound !== 'max');
  const entities = follows ? numbers.find((r) => r.metric === 'entities' && r.entity === follows.entity) : undefined;
  if (fanout.source.kind === 'default' && follows && entities && entities.value > 0) {
    fanout.value = Math.max(1, round((connections.value * follows.value) / entities.value, 1));
    fanout.source = {
      kind: 'context',
      sentence: follows.sentence,
      evidence: follows.evidence,
      note: `${fmt(connections.value)} connections × ${fmt(follows.value)} ${follows.entity} each ÷ ${fmt(entities.value)} ${follows.entity} (${entities.evidence}): the average watchers of one, if updates spread evenly; the busiest ${follows.entity} tick most and are likely watched most, so measure the real figure`,
    };
  }
  // The context states the connections and the entities they follow ("20,000 viewers … 500 symbols")
  // but not how many each follows: every connection follows at least one, so one entity has at least
  // connections ÷ entities watchers on average. A default fan-out below that floor is raised to it.
  let fanoutFloor: number | undefined;
  const among = follows ? undefined : numbers.find((r) => r.metric === 'entities' && r.quota === undefined);
  if (fanout.source.kind === 'default' && among && among.value > 0 && connections.source.kind !== 'default') {
    const floor = round(connections.value / among.value, 1);
    if (floor > fanout.value) {
      fanout.value = floor;
      fanoutFloor = floor;
      fanout.source = {
        kind: 'context',
        sentence: among.sentence,
        evidence: among.evidence,
        note: `at least ${fmt(connections.value)} connections ÷ ${fmt(among.value)} ${among.entity ?? among.unit} = ${fmt(floor)}: each connection follows at least one, and the context does not say how many, so the average watchers of one is at least this (a floor, not the figure: pass --fanout with connections × ${among.entity ?? among.unit} each ÷ ${fmt(among.value)})`,
      };
    }
  }
  // A rate stated per recipient ("one notification per agent every 40 s") already counts
  // deliveries: each is published for that recipient, so a default fan-out would count it again.
  let groupDelivery: ResolvedInputs['groupDelivery'];
  if (fanout.source.kind === 'default' && rateReq && streams.length > 0 && streams.every((x) => x.received)) {
    fanout.value = 1;
    groupDelivery = deliveredTo ?? undefined;
    fanout.source = {
      kind: 'context',
      sentence: rateReq.sentence,
      evidence: rateReq.evidence,
      note: deliveredTo
        ? `the rate is stated per recipient, so each message counted is already a delivery; the code sends each one to every connection of its ${deliveredTo.group} (\`${deliveredTo.test}\`, \`${deliveredTo.evidence}\`), so the server publishes the deliveries ÷ the members of a ${deliveredTo.group} online, and the context states no ${deliveredTo.group} size: publishes are counted one per delivery (a ${deliveredTo.group} of one), an upper bound for publishes, pub/sub and the ${deliveredTo.group} logs; deliveries and egress do not depend on it`
        : 'the rate is stated per recipient, so each message counted is already a delivery (one publish per delivery at most)',
    };
  }
  // A code whose every broadcast loops over all the sockets it holds sends each message to every
  // connection: the fan-out is the connection count, not a default room (the context states none).
  if (fanout.source.kind === 'default' && broadcastsToAll.length > 0 && connections.value > fanout.value) {
    fanout.value = connections.value;
    fanout.source = {
      kind: 'code',
      basis: 'broadcast',
      evidence: broadcastsToAll,
      fallback: defaults.fanout,
      note: 'every broadcast in the code goes to every connection, and the context states no room size',
    };
  }
  // The default rate is per member of a default-sized room. A stated audience (over 100 per
  // room) has more listeners, not more senders, so it publishes what a default room does. So does
  // a code whose every broadcast reaches every connection: its connections watch (builds, a
  // machine's state), and a message is sent when the state changes, not once per watcher. A room
  // whose members all send (a stated inbound stream) is not an audience; a send rate the context
  // states per connection is not a default and multiplies by the connections as stated.
  if (msgRate.source.kind === 'default' && fanout.source.kind !== 'default' && fanout.value > Math.max(defaults.fanout, AUDIENCE)) {
    msgRate.value = round((msgRate.value * defaults.fanout) / fanout.value, 2);
    msgRate.source = {
      kind: 'default',
      why: msgRate.source.why,
      audience: fanout.value,
      // Where every member sends (answers, votes) the room is not an audience: it is their
      // sends to the server, not the broadcasts to the room, that grow with its size.
      note: inbound[0]
        ? `a room of ${fmt(fanout.value)} publishes what a default room of ${fmt(defaults.fanout)} does; its members' ${inbound[0].kind} (${fmt(inbound[0].published)} msg/s at peak) go to the server only and are not fanned out`
        : fanout.source.kind === 'code'
          ? `every connection receives each broadcast, so the connections publish what a default room of ${fmt(defaults.fanout)} does (more listeners, not more senders)`
          : `a room of ${fmt(fanout.value)} is an audience: it publishes what a default room of ${fmt(defaults.fanout)} does (more listeners, not more senders)`,
    };
  }
  // The stated room size counts the sender too: where the code's broadcasts of every stream leave
  // the sender out, each message reaches the others only (room size − 1).
  const roomReq = first('room-size');
  const exclusions = streams.map((x) => excludedFor(x.kind));
  let senderExcluded: ResolvedInputs['senderExcluded'];
  if (
    flags.fanout === undefined &&
    roomReq &&
    fanout.source.kind === 'context' &&
    fanout.source.evidence === roomReq.evidence &&
    fanout.value > 1 &&
    exclusions.length > 0 &&
    exclusions.every((x) => x !== null)
  ) {
    const x = exclusions[0]!;
    senderExcluded = { room: fanout.value, how: x.how, evidence: x.evidence };
    fanout.source = { ...fanout.source, note: `room size ${fmt(fanout.value)} − 1: \`${x.how}\` (${x.evidence}) leaves the sender out` };
    fanout.value -= 1;
  }
  // Rooms of two classes ("median 12, the three largest 2,000"): the deliveries are summed per
  // class, each class's sockets at the per-user rate times its own fan-out.
  const classes = workload.roomClasses;
  const deliveries =
    classes && flags.fanout === undefined && flags.msgRate === undefined && fanout.source.kind === 'context' && fanout.source.evidence === roomReq?.evidence
      ? round(classDeliveries(classes, msgRate.value / Math.max(1, connections.value), senderExcluded !== undefined), 2)
      : undefined;
  // A process count is the fleet; a machine count ("one 4-vCPU VM") only where none is stated.
  const instances = numbers.find((r) => r.metric === 'instances' && r.unit === 'instances' && r.quota === undefined) ?? first('instances');
  return {
    values: {
      connections: connections.value,
      msgRate: msgRate.value,
      payloadBytes: payload.value,
      fanout: fanout.value,
      ...(deliveries !== undefined ? { deliveries } : {}),
    },
    sources: { connections: connections.source, msgRate: msgRate.source, payloadBytes: payload.source, fanout: fanout.source },
    planned: instances
      ? {
          value: Math.round(instances.value),
          sentence: instances.sentence,
          evidence: instances.evidence,
          ...(instances.ceiling ? { ceiling: instances.ceiling } : {}),
          ...(instances.cores ? { cores: instances.cores } : {}),
          ...(instances.singleHost ? { singleHost: true as const } : {}),
        }
      : null,
    largestPayload: ceiling ? { value: ceiling.value, sentence: ceiling.sentence, evidence: ceiling.evidence } : null,
    workload,
    ...(senderExcluded ? { senderExcluded } : {}),
    ...(groupDelivery ? { groupDelivery } : {}),
    ...(fanoutFloor !== undefined ? { fanoutFloor } : {}),
  };
}

/** Each class's sockets × the per-user rate × its reach (the room size, less the sender where the code leaves it out). */
export function classDeliveries(c: RoomClasses, perUser: number, senderExcluded: boolean): number {
  const reach = (size: number) => (senderExcluded ? size - 1 : size);
  return c.large.sockets * perUser * reach(c.large.size) + c.rest.sockets * perUser * reach(c.rest.size);
}

/** "6,000 × 0.017 msg/s × 2,000 + 8,000 × 0.017 msg/s × 12": the per-class sum, where the inputs carry one. */
function classesFormula(i: SizedInputs, shape: { workload: Workload; senderExcluded?: { room: number } } | undefined): string | null {
  const c = shape?.workload.roomClasses;
  if (i.deliveries === undefined || !c) return null;
  const perUser = fmt(round(i.msgRate / Math.max(1, i.connections), 4));
  const reach = (size: number) => (shape?.senderExcluded ? `(${fmt(size)} − 1)` : fmt(size));
  return `${fmt(c.large.sockets)} × ${perUser} msg/s × ${reach(c.large.size)} + ${fmt(c.rest.sockets)} × ${perUser} msg/s × ${reach(c.rest.size)}`;
}

/** Members per room above which rt-plan treats a room as an audience rather than a group of senders. */
const AUDIENCE = 100;

export interface CapacityResult {
  usablePerInstance: number;
  /** Instances each limit needs on its own; the load needs the largest. */
  instancesBy: { connections: number; deliveries: number; egress: number };
  instancesForLoad: number;
  instances: number;
  plannedInstances: number | null;
  /** The context caps the fleet at plannedInstances: the plan never sizes above it. */
  capped: boolean;
  connectionsPerInstance: number;
  failoverPerInstance: number;
  deflate: { compressor: number; decompressor: number; total: number };
  tunedDeflate: { compressor: number; decompressor: number; total: number };
  bytesPerConnection: number;
  bytesPerConnectionDeflate: number;
  bytesPerConnectionTuned: number;
  memoryPerInstance: number;
  memoryPerInstanceDeflate: number;
  deliveriesPerSecond: number;
  egressBytesPerSecond: number;
  egressMbps: number;
  pubsubPublishedPerSecond: number;
  pubsubReceivedPerSecond: number;
  fdsPerInstance: number;
  proxySourceIps: number;
}

/** crossNode: false when every message is produced on the node that holds its recipient (1:1 streams). */
export function computeCapacity(
  inputs: SizedInputs,
  s: CapacitySettings = DEFAULT_SETTINGS,
  crossNode = true,
  plannedInstances: number | null = null,
  /** The context will not run more than plannedInstances ("not planning more instances this year"). */
  ceiling = false,
): CapacityResult {
  const usablePerInstance = Math.floor(s.connectionsPerInstance * s.utilization);
  const deliveriesPerSecond = round(inputs.deliveries ?? inputs.msgRate * inputs.fanout, 2);
  const egressBytesPerSecond = round(deliveriesPerSecond * inputs.payloadBytes, 2);
  const egressMbps = round((egressBytesPerSecond * 8) / 1e6, 2);
  // Connections are not the only limit: a fleet sized for idle sockets can still drown in
  // fan-out, so deliveries per second and egress size the fleet too.
  const instancesBy = {
    connections: Math.max(1, Math.ceil(inputs.connections / usablePerInstance)),
    deliveries: Math.max(1, Math.ceil(deliveriesPerSecond / (s.deliveriesPerInstance * s.utilization))),
    egress: Math.max(1, Math.ceil(egressMbps / (s.egressMbpsPerInstance * s.utilization))),
  };
  const instancesForLoad = Math.max(instancesBy.connections, instancesBy.deliveries, instancesBy.egress);
  // N+1: one instance can fail or drain during a deploy without exceeding the target. A larger
  // fleet the team already plans is kept: it only adds headroom, and every figure follows it.
  // A fleet the context caps is never sized above: where the load needs more, the rows say so.
  const capped = ceiling && plannedInstances !== null && plannedInstances > 0;
  const instances = capped ? plannedInstances : Math.max(instancesForLoad + 1, plannedInstances ?? 0);
  const connectionsPerInstance = Math.ceil(inputs.connections / instances);
  const failoverPerInstance = Math.ceil(inputs.connections / Math.max(1, instances - 1));
  const deflate = deflateBytes(s.windowBits, s.memLevel);
  const tunedDeflate = deflateBytes(s.tunedWindowBits, s.tunedMemLevel);
  const bytesPerConnection = s.baseBytesPerConnection;
  const bytesPerConnectionDeflate = bytesPerConnection + deflate.total;
  const viaBus = crossNode && instances > 1;
  return {
    usablePerInstance,
    instancesBy,
    instancesForLoad,
    instances,
    plannedInstances,
    capped,
    connectionsPerInstance,
    failoverPerInstance,
    deflate,
    tunedDeflate,
    bytesPerConnection,
    bytesPerConnectionDeflate,
    bytesPerConnectionTuned: bytesPerConnection + tunedDeflate.total,
    memoryPerInstance: failoverPerInstance * bytesPerConnection,
    memoryPerInstanceDeflate: failoverPerInstance * bytesPerConnectionDeflate,
    deliveriesPerSecond,
    egressBytesPerSecond,
    egressMbps,
    pubsubPublishedPerSecond: viaBus ? inputs.msgRate : 0,
    pubsubReceivedPerSecond: viaBus ? round(inputs.msgRate * (instances - 1), 2) : 0,
    fdsPerInstance: failoverPerInstance + s.fdReserve,
    proxySourceIps: Math.ceil(failoverPerInstance / s.ephemeralPorts),
  };
}

/**
 * The load the plan designs where its Implementation steps coalesce the broadcasts to a rate the
 * context caps per channel ("updating it 5 times a second is plenty"): every room then publishes
 * at most that rate, whatever the number of changes, so the fleet is sized for rooms × cap.
 */
export interface Coalesced {
  /** The cap per channel, and the Implementation step that coalesces to it. */
  perSecond: number;
  step: number;
  rooms: number;
  /** How the room count was found, for the row's basis. */
  roomsMd: string;
  inputs: CapacityInputs;
  result: CapacityResult;
}

/**
 * Null unless the coalescing lowers the published rate. Only one stream of broadcasts is
 * coalesced by the step (the event the context names), so with more than one broadcast stream,
 * or a rate that is rt-plan's default, the designed load is not known and nothing changes.
 */
export function coalescedCapacity(
  c: Pick<ResolvedInputs, 'values' | 'sources' | 'workload' | 'planned' | 'senderExcluded'>,
  coalesce: { perSecond: number; step: number } | null,
  crossNode: boolean,
  s: CapacitySettings = DEFAULT_SETTINGS,
): Coalesced | null {
  if (!coalesce || !(coalesce.perSecond > 0) || c.sources.msgRate.kind !== 'context') return null;
  const broadcasts = c.workload.streams.filter((x) => !x.inbound);
  if (broadcasts.length !== 1) return null;
  const { connections } = c.values;
  // Rooms are counted by their members, the sender included.
  const fanout = roomSizeOf(c);
  const stream = broadcasts[0]!;
  // Coalescing caps each channel; with an entity count unknown, so are the channels and the designed load.
  if (stream.scope && stream.scope.count === null) return null;
  const rooms = stream.scope
    ? stream.scope.count!
    : c.workload.roomCount
      ? c.workload.roomCount.value
      : Math.max(1, Math.ceil(connections / Math.max(1, fanout)));
  const roomsMd = stream.scope
    ? stream.scope.stated
      ? `${stream.scope.room ? 'rooms' : `${stream.scope.noun} count`} stated`
      : `rooms: ⌈${fmt(connections)} ÷ ${fmt(fanout)}⌉`
    : c.workload.roomCount
      ? 'rooms stated'
      : `rooms: ⌈${fmt(connections)} ÷ ${fmt(fanout)}⌉`;
  const msgRate = round(rooms * coalesce.perSecond, 2);
  if (!(msgRate < c.values.msgRate)) return null;
  // Coalesced rooms publish at the cap whatever their size: the per-class sum of today does not apply.
  const { deliveries: _today, ...values } = c.values;
  const inputs = { ...values, msgRate };
  const result = computeCapacity(inputs, s, crossNode, c.planned?.value ?? null, c.planned?.ceiling !== undefined);
  return { ...coalesce, rooms, roomsMd, inputs, result };
}

/** The window Performance and scaling coalesces a droppable stream to: one message per channel per window (ops.ts). */
export const COALESCE_WINDOW_MS = 50;

/**
 * What the server sends where Performance and scaling coalesces the one broadcast stream, a
 * droppable one, per channel every COALESCE_WINDOW_MS: each channel sends at most one message per
 * window, whatever the number of changes. Clients still send at the stated rate; only what the
 * server fans out changes. Each coalesced message carries the latest value of every sender that
 * changed in the window (a room's members) or of its one entity (a symbol), so its bytes are an
 * upper bound.
 */
export interface DroppableCoalesced {
  kind: string;
  /** `room`, or the entity the rate is stated per (`symbol`). */
  noun: string;
  channels: number;
  perChannel: number;
  /** Broadcasts per second the server sends, coalesced, and the same as the code sends today. */
  published: number;
  today: number;
  recipients: number;
  deliveries: number;
  /** At most this many values in one coalesced message. */
  batch: number;
  egressMbps: number;
  /** The coalesced stream's own deliveries (`deliveries` adds the other streams' to them). */
  coalescedDeliveries: number;
  /** Each change reaches each member that wants it at most once: the values the coalesced messages carry are capped there (`today × wanting`). */
  valuesCapped: boolean;
  /** The members one change is for: a room's others, an entity's subscribers. */
  wanting: number;
  /**
   * The other broadcast streams, sent as the code sends them today (card moves beside coalesced
   * cursor positions): `published`, `deliveries` and `egressMbps` above include them.
   */
  others?: { kinds: string[]; published: number; deliveries: number; fanout: number };
}

/**
 * Null unless the coalescing lowers what the server sends: one droppable broadcast stream, stated
 * by the context, whose channels are known and send more than one message per window today. The
 * other broadcast streams (none droppable) are sent as today and added to the totals.
 * `perClient`: a per-client bandwidth budget sizes the interval per client instead (no fixed window).
 */
export function coalescedDroppable(
  c: Pick<ResolvedInputs, 'values' | 'sources' | 'workload' | 'senderExcluded'>,
  perClient: boolean,
): DroppableCoalesced | null {
  if (perClient || c.sources.msgRate.kind !== 'context') return null;
  const broadcasts = c.workload.streams.filter((x) => !x.inbound && x.published > 0);
  const droppable = broadcasts.filter((x) => x.droppable);
  const stream = droppable[0];
  if (droppable.length !== 1 || !stream || broadcasts.some((x) => x.received)) return null;
  const rest = broadcasts.filter((x) => x !== stream);
  const { connections, fanout, payloadBytes } = c.values;
  const size = Math.max(1, roomSizeOf(c));
  const entity = stream.scope !== null && !stream.scope.room;
  const channels = stream.scope
    ? stream.scope.count
    : c.workload.roomCount && c.workload.roomCount.value * size <= connections
      ? c.workload.roomCount.value
      : Math.ceil(connections / size);
  if (channels === null || !(channels > 0)) return null;
  const perChannel = 1000 / COALESCE_WINDOW_MS;
  const today = stream.published;
  if (!(today / channels > perChannel)) return null;
  const coalesced = round(channels * perChannel, 2);
  // A room's coalesced message goes to every member (each sees the others' latest values); an entity's to its subscribers.
  const recipients = entity ? fanout : size;
  const coalescedDeliveries = round(coalesced * recipients, 2);
  // Values per message: one per entity; in a room, one per member that changed in the window, never more than changes arrived.
  const senders = Math.max(1, Math.ceil(size * stream.activeShare));
  const batch = entity ? 1 : Math.max(1, Math.min(senders, Math.ceil(today / channels / perChannel)));
  // Each change reaches each member that wants it at most once, however the windows batch it: in a room the
  // others (a member is not sent its own value), for an entity its subscribers.
  const wanting = entity ? recipients : Math.max(1, recipients - 1);
  const valuesCapped = coalescedDeliveries * batch > today * wanting;
  const values = valuesCapped ? today * wanting : coalescedDeliveries * batch;
  // The other streams go out as today: each message to the fan-out.
  const othersPublished = round(
    rest.reduce((a, x) => a + x.published, 0),
    2,
  );
  const othersDeliveries = round(othersPublished * fanout, 2);
  const published = round(coalesced + othersPublished, 2);
  const deliveries = round(coalescedDeliveries + othersDeliveries, 2);
  const egressMbps = round(((values + othersDeliveries) * payloadBytes * 8) / 1_000_000, 2);
  return {
    kind: stream.kind,
    noun: entity ? stream.scope!.noun : 'room',
    channels,
    perChannel,
    published,
    today,
    recipients,
    deliveries,
    batch,
    egressMbps,
    coalescedDeliveries,
    valuesCapped,
    wanting,
    ...(rest.length > 0 ? { others: { kinds: rest.map((x) => x.kind), published: othersPublished, deliveries: othersDeliveries, fanout } } : {}),
  };
}

/** The instances the coalesced load needs: the connections as today, the deliveries and egress as designed. */
export function droppableInstances(
  d: DroppableCoalesced,
  r: CapacityResult,
  s: CapacitySettings = DEFAULT_SETTINGS,
): { n: number; byDeliveries: number; byEgress: number } {
  const byDeliveries = Math.max(1, Math.ceil(d.deliveries / (s.deliveriesPerInstance * s.utilization)));
  const byEgress = Math.max(1, Math.ceil(d.egressMbps / (s.egressMbpsPerInstance * s.utilization)));
  return { n: Math.max(r.instancesBy.connections, byDeliveries, byEgress), byDeliveries, byEgress };
}

/** How the designed figure is reached, for the sentences that set it beside today's. */
export function droppableByMd(d: DroppableCoalesced): string {
  return `${d.kind} coalesced every ${fmt(1000 / d.perChannel)} ms`;
}

/** The coalesced stream's deliveries and egress, as Backpressure and compression designs them. */
function droppableRows(d: DroppableCoalesced, payloadBytes: number, fanoutFloor?: number): CapacityRow[] {
  const each = `one message per ${d.noun} every ${fmt(COALESCE_WINDOW_MS)} ms, latest value only (Backpressure and compression, below)`;
  const o = d.others;
  const othersMd = o ? list(o.kinds) : '';
  const values = d.valuesCapped
    ? `${fmt(d.today)} changes/s × ${fmt(d.wanting)} ${d.noun === 'room' ? 'others' : 'subscribers'}`
    : `${fmt(d.coalescedDeliveries)} × ${fmt(d.batch)} ${d.batch === 1 ? 'value' : 'values'}`;
  return [
    {
      quantity: `Deliveries per second (${d.kind} coalesced, as designed)`,
      formula: `${fmt(d.channels)} ${d.noun}s × ${fmt(d.perChannel)}/s × ${fmt(d.recipients)} recipients${o ? ` + ${fmt(o.published)} msg/s × ${fmt(o.fanout)} (${othersMd})` : ''}`,
      value: fmt(d.deliveries),
      source: `${each}; the changes still arrive at ${fmt(d.today)} msg/s${o ? `; ${othersMd} as the code sends ${o.kinds.length === 1 ? 'it' : 'them'} today, each message to the fan-out` : ''}`,
    },
    {
      // A fan-out that is only a floor makes this a floor in the recipients too: no "at most".
      quantity: `Egress bandwidth (payload only; ${d.kind} coalesced, ${fanoutFloor !== undefined ? `at the fan-out floor of ${fmt(fanoutFloor)}` : 'at most'})`,
      formula: o ? `(${values} + ${fmt(o.deliveries)}) × ${fmt(payloadBytes)} B × 8` : `${values} × ${fmt(payloadBytes)} B × 8`,
      value: `${fmt(d.egressMbps)} Mbit/s`,
      source: `${d.batch === 1 ? `each message carries one ${d.noun}'s latest value` : `each message carries at most the latest value of each of the ${fmt(d.batch)} members that changed in the window`}${d.valuesCapped ? `, and each change reaches each of the ${d.noun === 'room' ? 'others' : 'subscribers'} at most once` : ''}${o ? `; ${othersMd} as today` : ''}; excludes frame and TLS overhead`,
    },
  ];
}

/**
 * Today's traffic figures with the fleet the designed (coalesced) load needs: the instances
 * and everything per instance follow the coalesced sizing; deliveries, egress and pub/sub stay
 * what the code sends today, and the rows label them so.
 */
export function sizedForDesign(today: CapacityResult, designed: CapacityResult, msgRate: number): CapacityResult {
  const viaBus = today.pubsubPublishedPerSecond > 0 && designed.instances > 1;
  return {
    ...today,
    instances: designed.instances,
    capped: designed.capped,
    connectionsPerInstance: designed.connectionsPerInstance,
    failoverPerInstance: designed.failoverPerInstance,
    memoryPerInstance: designed.memoryPerInstance,
    memoryPerInstanceDeflate: designed.memoryPerInstanceDeflate,
    fdsPerInstance: designed.fdsPerInstance,
    proxySourceIps: designed.proxySourceIps,
    pubsubPublishedPerSecond: viaBus ? today.pubsubPublishedPerSecond : 0,
    pubsubReceivedPerSecond: viaBus ? round(msgRate * (designed.instances - 1), 2) : 0,
  };
}

const KIB = 1024;
const MIB = 1024 * 1024;
function bytes(n: number): string {
  if (n >= 1024 * MIB) return `${fmt(round(n / (1024 * MIB), 2))} GiB`;
  if (n >= MIB) return `${fmt(round(n / MIB, 1))} MiB`;
  if (n >= KIB) return `${fmt(round(n / KIB, 1))} KiB`;
  return `${fmt(n)} B`;
}

/** The arithmetic as table rows; `cite` maps a topic list to an inline citation or ''. */
/** Where the stated fleet size comes from, so the row that uses it cites the sentence. */
function plannedSource(shape: Pick<ResolvedInputs, 'planned'> | undefined): string {
  return shape?.planned ? ` (context, \`${shape.planned.evidence}\`)` : '';
}

export function capacityRows(
  i: SizedInputs,
  r: CapacityResult,
  cite: (topics: string[]) => string,
  s: CapacitySettings = DEFAULT_SETTINGS,
  /** False where we run no socket server of our own (SSE, managed providers, provider-direct media). */
  deflate = true,
  /** The context's streams, rooms, fleet and budgets, when the inputs came from it. */
  shape?: Pick<ResolvedInputs, 'workload' | 'planned' | 'senderExcluded' | 'groupDelivery' | 'fanoutFloor'> & { connectionsEvidence?: string | null },
  /** False where the connections are held by a serverless host, the edge runtime or a provider: no instances of ours to count. */
  fleet = true,
  /** The provider's quota profile and the figures the budget rows need; without it, budgets count one message per delivery. */
  quota: Pick<QuotaInput, 'provider' | 'cite' | 'presence' | 'dailyUsers' | 'typingUncounted' | 'typing' | 'templatedChannels'> = {
    provider: null,
    cite: '',
    presence: false,
    dailyUsers: null,
    typingUncounted: false,
    typing: false,
  },
  /** The load the plan designs where its steps coalesce the broadcasts: the fleet is sized for it. */
  coalesced: Coalesced | null = null,
  /** What the server sends where Performance and scaling coalesces the one droppable stream every 50 ms. */
  droppable: DroppableCoalesced | null = null,
): CapacityRow[] {
  const w = `${s.windowBits}/${s.memLevel}`;
  const perDelivery = s.deliveriesPerInstance * s.utilization;
  const fleetRows = (rows: CapacityRow[]): CapacityRow[] => (fleet ? rows : []);
  // With the broadcasts coalesced, today's traffic rows say that they are today's, so they do not
  // read as the load the fleet is sized for.
  const today = coalesced || droppable ? ' (as the code sends today)' : '';
  const designed = coalesced ? { ...coalesced, n: coalesced.result.instancesForLoad } : null;
  const rows: CapacityRow[] = [
    // A room's deliveries today are not what it sends once the plan coalesces them: the rows say which they are.
    ...(shape
      ? workloadRows(shape.workload, i.connections, i.fanout, i.msgRate, shape.senderExcluded).map((row) =>
          today && /^Deliveries (per room|in the largest room)/.test(row.quantity) ? { ...row, quantity: `${row.quantity}${today}` } : row,
        )
      : []),
    ...fleetRows([
      {
        // One row for the three limits: connections, deliveries and egress; the tightest decides.
        quantity: 'Instances for the load (connections, deliveries, egress)',
        formula: `max(⌈${fmt(i.connections)} ÷ ${fmt(r.usablePerInstance)}⌉, ⌈${fmt(r.deliveriesPerSecond)} ÷ ${fmt(perDelivery)}⌉, ⌈${fmt(r.egressMbps)} ÷ ${fmt(s.egressMbpsPerInstance * s.utilization)} Mbit/s⌉)`,
        value: `${fmt(r.instancesForLoad)} (${fmt(r.instancesBy.connections)}, ${fmt(r.instancesBy.deliveries)}, ${fmt(r.instancesBy.egress)})`,
        source: `per Node process ${fmt(s.connectionsPerInstance)} connections, ${fmt(s.deliveriesPerInstance)} deliveries/s and 1 Gbit/s, each at ${Math.round(s.utilization * 100)}% (rt-plan defaults from a third-party Socket.IO benchmark${cite(['defaults'])}, assumption)`,
      },
      ...(droppable && !coalesced
        ? [
            (() => {
              const n = droppableInstances(droppable, r, s);
              return {
                quantity: `Instances with ${droppableByMd(droppable)} (Backpressure and compression)`,
                formula: `max(⌈${fmt(i.connections)} ÷ ${fmt(r.usablePerInstance)}⌉, ⌈${fmt(droppable.deliveries)} ÷ ${fmt(perDelivery)}⌉, ⌈${fmt(droppable.egressMbps)} ÷ ${fmt(s.egressMbpsPerInstance * s.utilization)} Mbit/s⌉)`,
                value: `${fmt(n.n)} (${fmt(r.instancesBy.connections)}, ${fmt(n.byDeliveries)}, ${fmt(n.byEgress)})`,
                source: `the coalesced deliveries and egress below; the same per-process figures; the instances deployed stay sized for the load as the code sends today`,
              };
            })(),
          ]
        : []),
      ...(coalesced
        ? [
            {
              quantity: `Instances with broadcasts coalesced to ${fmt(coalesced.perSecond)}/s per channel (step ${fmt(coalesced.step)})`,
              formula: `max(⌈${fmt(i.connections)} ÷ ${fmt(r.usablePerInstance)}⌉, ⌈${fmt(coalesced.rooms)} rooms × ${fmt(coalesced.perSecond)}/s × ${fmt(i.fanout)} = ${fmt(coalesced.result.deliveriesPerSecond)} ÷ ${fmt(perDelivery)}⌉, ⌈${fmt(coalesced.result.deliveriesPerSecond)} × ${fmt(i.payloadBytes)} B × 8 = ${fmt(coalesced.result.egressMbps)} ÷ ${fmt(s.egressMbpsPerInstance * s.utilization)} Mbit/s⌉)`,
              value: `${fmt(coalesced.result.instancesForLoad)} (${fmt(coalesced.result.instancesBy.connections)}, ${fmt(coalesced.result.instancesBy.deliveries)}, ${fmt(coalesced.result.instancesBy.egress)})`,
              source: `Implementation step ${fmt(coalesced.step)} sends at most ${fmt(coalesced.perSecond)} broadcasts per second per channel, whatever the number of changes; ${coalesced.roomsMd}; the same per-process figures`,
            },
          ]
        : []),
      (() => {
        const window = droppable && !coalesced ? { n: droppableInstances(droppable, r, s).n, md: droppableByMd(droppable) } : null;
        const row = instancesRow(r, shape, designed, window);
        return { ...row, source: `${row.source}${r.plannedInstances !== null ? plannedSource(shape) : ''}` };
      })(),
      // A fleet of one has no instance to fail over to: every connection is on it, and comes back to it after a restart.
      r.instances === 1
        ? {
            quantity: 'Connections per instance (the only one)',
            formula: `${fmt(i.connections)} ÷ 1`,
            value: fmt(r.connectionsPerInstance),
            source: `no spare: a restart or deploy drops all ${fmt(i.connections)}, and they reconnect to it; size memory and \`ulimit -n\` (above ${fmt(r.fdsPerInstance)}) for them`,
          }
        : {
            quantity: 'Connections per instance (steady; one instance down)',
            formula: `⌈${fmt(i.connections)} ÷ ${fmt(r.instances)}⌉; ⌈${fmt(i.connections)} ÷ ${fmt(r.instances - 1)}⌉`,
            value: `${fmt(r.connectionsPerInstance)}; ${fmt(r.failoverPerInstance)}`,
            source: `size memory and \`ulimit -n\` (above ${fmt(r.fdsPerInstance)}) for the second`,
          },
      {
        quantity: r.instances === 1 ? 'Connection memory per instance (the only one)' : 'Connection memory per instance (one instance down)',
        // The zlib state is shown apart from the baseline, so it reads as the same 288 KiB figure
        // the compression decision quotes, not as a second, disagreeing one.
        formula: `${fmt(r.failoverPerInstance)} × ${bytes(r.bytesPerConnection)}${deflate ? ` (with deflate ${w}: × (${bytes(r.bytesPerConnection)} + ${bytes(r.deflate.total)} zlib state))` : ''}`,
        value: deflate
          ? `${bytes(r.memoryPerInstance)} (${bytes(r.memoryPerInstance)} + ${bytes(r.failoverPerInstance * r.deflate.total)} = ${bytes(r.memoryPerInstanceDeflate)})`
          : bytes(r.memoryPerInstance),
        source: `${bytes(r.bytesPerConnection)} per idle connection (assumption: measure it in the load test)${deflate ? '; zlib needs (1 << (w + 2)) + (1 << (m + 9)) + (1 << w) bytes for deflate' : ''}`,
      },
    ]),
    {
      quantity: `Deliveries per second${today}`,
      formula: classesFormula(i, shape) ?? `${fmt(i.msgRate)} msg/s × fan-out ${fmt(i.fanout)}`,
      value: fmt(r.deliveriesPerSecond),
      source: `${i.deliveries !== undefined && shape?.workload.roomClasses ? 'summed per room class: the large rooms dominate' : 'computed'}${shape?.senderExcluded ? `; fan-out ${fmt(shape.senderExcluded.room)} − 1: the sender is left out` : ''}`,
    },
    {
      quantity: `Egress bandwidth (payload only${coalesced || droppable ? '; as the code sends today' : ''})`,
      formula: `${fmt(r.deliveriesPerSecond)} × ${fmt(i.payloadBytes)} B × 8`,
      value: `${fmt(r.egressMbps)} Mbit/s`,
      source: 'excludes frame and TLS overhead',
    },
    ...(droppable ? droppableRows(droppable, i.payloadBytes, shape?.fanoutFloor) : []),
    ...(fleet && r.pubsubPublishedPerSecond > 0
      ? [
          {
            quantity: `Pub/sub: published; received across nodes${today}`,
            formula: `${fmt(i.msgRate)}; ${fmt(i.msgRate)} × (${fmt(r.instances)} − 1)`,
            value: `${fmt(r.pubsubPublishedPerSecond)}; ${fmt(r.pubsubReceivedPerSecond)}`,
            source: `every broadcast goes through the adapter${cite(['scaling'])}; worst case: every node subscribed to every room${shape?.groupDelivery ? `; an upper bound: one publish per ${shape.groupDelivery.group} notification, counted here one per delivery (a ${shape.groupDelivery.group} of one), since the context states no ${shape.groupDelivery.group} size` : ''}`,
          },
        ]
      : []),
    ...(fleet && r.proxySourceIps > 1
      ? [
          {
            quantity: 'Proxy source IPs per backend',
            formula: `⌈${fmt(r.failoverPerInstance)} ÷ ${fmt(s.ephemeralPorts)} ephemeral ports⌉`,
            value: fmt(r.proxySourceIps),
            source: 'default port range 32768–60999',
          },
        ]
      : []),
    ...(shape
      ? reconcileRows(
          shape.workload,
          i,
          perDelivery,
          // Budgets apply wherever the messages go; a stated instance count only to a fleet of ours.
          fleet ? shape.planned : null,
          (designed?.result ?? r).instancesForLoad + 1,
          (designed?.result ?? r).instancesBy.deliveries >=
            Math.max((designed?.result ?? r).instancesBy.connections, (designed?.result ?? r).instancesBy.egress),
          designed ? ` with the coalescing of step ${fmt(designed.step)} (${fmt(r.instancesForLoad + 1)} as the code sends today)` : '',
        )
      : []),
    ...(shape
      ? quotaRows({
          ...quota,
          w: shape.workload,
          connections: i.connections,
          connectionsEvidence: shape.connectionsEvidence ?? null,
          msgRate: i.msgRate,
          fanout: i.fanout,
          ...(shape.senderExcluded ? { members: shape.senderExcluded.room } : {}),
          payloadBytes: i.payloadBytes,
        })
      : []),
  ];
  return rows;
}

export { bytes as formatBytes };

/**
 * A byte figure as the context wrote it ("200 MB", "1.37 GiB"), found in its sentence by value,
 * rather than rt-plan's own rendering of the bytes ("190.7 MiB"). Falls back to that rendering
 * when the sentence does not show it.
 */
export function statedBytesMd(r: { value: number; sentence: string }): string {
  for (const m of r.sentence.matchAll(/(\d[\d,]*(?:\.\d+)?)\s*(GB|GiB|MB|MiB)\b/g)) {
    const n = Number(m[1]!.replace(/,/g, '')) * ({ GB: 1e9, GiB: 1024 ** 3, MB: 1e6, MiB: 1024 ** 2 } as Record<string, number>)[m[2]!]!;
    if (Math.abs(n - r.value) < 1) return `${m[1]} ${m[2]}`;
  }
  return bytes(r.value);
}

/** Rows that size a fleet of our own processes: none on a host that runs and scales one function invocation per request. */
const PER_INSTANCE = /^(Instances |Connections per instance|Connection memory per instance)/;

export function hostScaled(rows: CapacityRow[]): CapacityRow[] {
  return rows.filter((r) => !PER_INSTANCE.test(r.quantity));
}

function instancesRow(
  r: CapacityResult,
  shape?: Pick<ResolvedInputs, 'planned'>,
  /** The load the plan designs (broadcasts coalesced by step `step`): the verdict uses it. */
  designed: { n: number; step: number } | null = null,
  /** What the load needs with Backpressure and compression's coalescing: said beside today's, which still sizes the fleet. */
  window: { n: number; md: string } | null = null,
): CapacityRow {
  const need = designed ? designed.n : r.instancesForLoad;
  const n1 = need + 1;
  // What the code needs today, said next to the designed figure so neither reads alone.
  const needs = designed
    ? `as the code sends today the load needs ${fmt(r.instancesForLoad)}; with the coalescing of step ${fmt(designed.step)} it needs ${fmt(need)}`
    : window && window.n < need
      ? `as the code sends today the load needs ${fmt(need)} (with ${window.md}, ${fmt(window.n)})`
      : `the load needs ${fmt(need)}`;
  const planned = r.plannedInstances;
  const cap = shape?.planned?.ceiling;
  if (r.capped && planned === 1 && need <= 1 && shape?.planned?.singleHost && cap) {
    // One host by its nature (a device, a single process): no spare instance exists to add.
    return {
      quantity: 'Instances deployed (one host, as stated)',
      formula: `1 stated; ${needs}`,
      value: '1',
      source: `the context runs it on one host ("${cap.sentence.replace(/\|/g, '\\|')}", \`${cap.evidence}\`): no spare instance is added, so a restart or deploy drops every connection and they reconnect to it`,
    };
  }
  if (r.capped && planned !== null && planned < n1) {
    const over = planned < need;
    return {
      quantity: 'Instances deployed (capped by the context)',
      formula: `${fmt(planned)} stated; ${needs}, N+1 ${fmt(n1)}`,
      value: `${fmt(planned)}: ${over ? 'over' : 'no spare'}`,
      source: `conflict: the context allows no more than ${fmt(planned)} ("${cap ? cap.sentence.replace(/\|/g, '\\|') : ''}", \`${cap?.evidence ?? ''}\`), ${
        over
          ? `and ${needs}: the load must shrink (send changes, not whole objects; coalesce what can wait) or the cap must be lifted`
          : `${designed ? `${needs}, ` : ''}so there is no spare: while one is down or draining, ${fmt(planned - 1)} carr${planned - 1 === 1 ? 'ies' : 'y'} the load ${fmt(planned)} are sized for; shrink the load until ${fmt(planned - 1)} carr${planned - 1 === 1 ? 'ies' : 'y'} it, or accept degraded service while one is down`
      }`,
    };
  }
  if (planned === null) {
    return {
      quantity: 'Instances deployed (N+1)',
      formula: `${fmt(need)} + 1`,
      value: fmt(r.instances),
      source: `one spare for failover and rolling deploys${designed ? `; ${needs}` : ''}`,
    };
  }
  if (planned >= n1) {
    return {
      quantity: 'Instances deployed (planned)',
      formula: `max(${fmt(need)} + 1, ${fmt(planned)} planned)`,
      value: fmt(r.instances),
      source: `the context plans ${fmt(planned)}; N+1 needs ${fmt(n1)}${designed ? ` (${needs})` : ''}, so the plan keeps the team's figure`,
    };
  }
  return {
    quantity: 'Instances deployed (N+1)',
    formula: `${fmt(need)} + 1`,
    value: fmt(r.instances),
    // The team's figure is kept in view: what it gives up is said, so the plan's extra instance is a choice the team can weigh.
    source: `the context plans only ${fmt(planned)}: too few for N+1 at this load${designed ? ` (${needs})` : ''}; ${
      planned >= need
        ? `${fmt(planned)} carry it with no spare: while one is down or draining, ${fmt(planned - 1)} carr${planned - 1 === 1 ? 'ies' : 'y'} what ${fmt(planned)} are sized for, more than ${planned - 1 === 1 ? 'its' : 'their'} usable capacity; keep ${fmt(planned)} only if degraded service during a failure or a deploy is acceptable`
        : `${fmt(planned)} do not carry it even with all of them up`
    }`,
  };
}
