// The load against what the context says it may cost: a provider plan's limits (connections,
// messages per day or per second) and the message budgets it states. Each row shows the
// arithmetic, the result and whether the limit holds; past a limit it says what happens and
// what the options are, instead of sizing silently for a load the plan refuses.
import type { CapacityRow } from './types.js';
import { fmt, round, text } from './md.js';
import { planLimits, type QuotaProfile } from './profiles/quotas.js';
import type { Figure, Workload } from './workload.js';

/** A typing indicator throttled to 1 event per 2 s per typist (the plan's client throttle). */
const TYPING_PER_SECOND = 0.5;

const at = (f: { evidence: string }) => `context (\`${f.evidence}\`)`;
/** The stated limit quoted, for the row that checks the load against it: that row is where the plan meets it. */
const quoted = (f: { sentence: string; evidence: string }, more = '') => `context: "${text(f.sentence)}" (\`${f.evidence}\`${more})`;
const pct = (part: number, whole: number) => `${fmt(round((part / whole) * 100, 1))}%`;

export interface QuotaInput {
  w: Workload;
  connections: number;
  /** Where the connection figure comes from, when the context states it. */
  connectionsEvidence: string | null;
  msgRate: number;
  fanout: number;
  /** Members of a room, where the fan-out leaves the sender of a message out (presence events reach every member either way). */
  members?: number;
  payloadBytes: number;
  /** The managed provider that holds the connections, if any. */
  provider: QuotaProfile | null;
  /** Inline citation of the provider's quota note ('' when none was gathered). */
  cite: string;
  /** The task has presence (who is online): join and leave events count where the provider counts them. */
  presence: boolean;
  /** A daily user figure ("8,000 daily users"), for the presence joins and leaves of a day. */
  dailyUsers: Figure | null;
  /** The task has a typing indicator but the context states no typing rate. */
  typingUncounted: boolean;
  /** The task has a typing indicator. */
  typing: boolean;
  /** Channels the code opens per value of an id (`reactions:{messageId}`), with the listener's evidence: each value is one more channel. */
  templatedChannels?: { channel: string; evidence: string }[];
}

export function quotaRows(q: QuotaInput): CapacityRow[] {
  const rows: CapacityRow[] = [];
  const p = q.provider;
  const conn = q.connectionsEvidence ? ` and \`${q.connectionsEvidence}\`` : '';
  const connectionQuotas = q.w.quotas.filter((r) => r.metric === 'concurrent-users');
  if (p && connectionQuotas.length === 0)
    rows.push({
      quantity: `Peak connections on ${p.label}`,
      formula: fmt(q.connections),
      value: fmt(q.connections),
      source: `the context states no plan: check this against the connection limit on ${p.label}'s current pricing page (${p.perConnectionMd})${q.cite}`,
    });
  // A channel per value of an id (one per message shown) grows with the page, against a fixed cap per connection.
  const templated = q.templatedChannels ?? [];
  if (p?.channelsPerConnection && templated.length > 0)
    rows.push({
      quantity: `Channels per connection against ${p.label}'s ${fmt(p.channelsPerConnection)}`,
      formula: templated.map((c) => c.channel).join(' + '),
      value: `one per value of each id a tab shows at once`,
      source: `${p.label} limits a connection to ${fmt(p.channelsPerConnection)} channels (its limits page; an Enterprise project can have more)${q.cite}; the code opens ${templated.map((c) => `\`${c.channel}\` (listener at ${c.evidence})`).join(' and ')}: a channel per item (one per message) passes the cap once a tab shows that many, so carry such items on one channel per room (a filter on the room's id) instead`,
    });
  for (const quota of connectionQuotas) {
    const over = q.connections > quota.value;
    rows.push({
      quantity: `Peak connections against the ${quota.quota}'s ${fmt(quota.value)}`,
      formula: `${fmt(q.connections)} ÷ ${fmt(quota.value)}`,
      value: over ? `${pct(q.connections, quota.value)}: over by ${fmt(q.connections - quota.value)}` : `${pct(q.connections, quota.value)}: within`,
      source: over
        ? `${quoted(quota, conn)}; ${p ? p.overConnectionsMd : 'past the limit new connections are refused'}${q.cite}: move to a plan with at least ${fmt(q.connections)} connections before the peak, or hold fewer (${p ? p.perConnectionMd : 'each tab is a connection'}: share one per browser, disconnect hidden tabs)`
        : `${quoted(quota, conn)}; ${fmt(quota.value - q.connections)} to spare${p ? `, and ${p.perConnectionMd}: ${fmt(Math.floor(quota.value / Math.max(1, q.connections)) + 1)} tabs per user would pass it` : ''}${q.cite}`,
    });
    const limits = p ? planLimits(p, quota.quota!) : null;
    if (limits) {
      const deliveries = q.msgRate * q.fanout;
      // Typing and presence travel on the same quota: left out of the sum, they are said with it, never silently dropped.
      const spare = limits.messagesPerSecond - (q.msgRate + deliveries);
      const perTypist = TYPING_PER_SECOND * (1 + q.fanout);
      const typingMd = q.typingUncounted
        ? `; typing is not in it (the context states no typing rate): at the 1 per 2 s throttle each typist adds ${fmt(TYPING_PER_SECOND)} published + ${fmt(round(TYPING_PER_SECOND * q.fanout, 2))} delivered a second in a room of ${fmt(q.fanout)}, so ${spare > 0 ? `${fmt(Math.floor(spare / perTypist))} typists at once use up the rest` : 'any typing goes over it'}`
        : '';
      const presenceMd = q.presence
        ? `; presence joins, leaves and \`track()\` updates count against the ${fmt(limits.presencePerSecond)} presence messages/s: track on join and on a real change of state, never on a timer or per keystroke`
        : '';
      rows.push({
        quantity: `Messages per second against the ${quota.quota}'s ${fmt(limits.messagesPerSecond)}`,
        formula: `${fmt(q.msgRate)} published + ${fmt(deliveries)} delivered`,
        value: `${fmt(round(q.msgRate + deliveries, 2))}/s: ${q.msgRate + deliveries <= limits.messagesPerSecond ? 'within' : 'over'}`,
        source: `${p!.label}'s published limits for this plan: ${fmt(limits.messagesPerSecond)} messages/s, ${fmt(limits.presencePerSecond)} presence messages/s${q.cite}; publishes and deliveries added up is the upper bound${typingMd}${presenceMd}`,
      });
    }
  }
  for (const b of q.w.budgets.filter((x) => x.unit === 'Mbit/s')) {
    const deliveries = q.msgRate * q.fanout;
    const mbps = (deliveries * q.payloadBytes * 8) / 1e6;
    const over = mbps > b.value;
    rows.push({
      quantity: `Egress against the stated ${fmt(b.value)} Mbit/s`,
      formula: `${fmt(deliveries)} deliveries/s × ${fmt(q.payloadBytes)} B × 8 ÷ ${fmt(b.value)} Mbit/s`,
      value: `${pct(mbps, b.value)}: ${over ? 'over' : 'within'}`,
      // The sentence quoted: this row is where the plan checks the stated cap, over or within.
      source: `${at(b)}: "${b.sentence}"`,
    });
    if (over && deliveries > 0) {
      const fits = Math.floor((b.value * 1e6) / 8 / deliveries);
      rows.push({
        quantity: `Payload per delivery that fits ${fmt(b.value)} Mbit/s`,
        formula: `${fmt(b.value)} Mbit/s ÷ 8 ÷ ${fmt(deliveries)} deliveries/s`,
        value: `${fmt(fits)} B`,
        source: `the ${fmt(q.payloadBytes)} B per message is ${fmt(Math.ceil(q.payloadBytes / Math.max(1, fits)))}× that: send the change, not the whole object, and coalesce what can wait; no number of instances fixes a bandwidth cap`,
      });
    }
  }
  // A per-client bandwidth cap and superseded values (price ticks, positions): conflate each entity
  // to its newest value per client, at most one update per entity every N ms, N sized to the cap.
  const superseded = q.w.streams.filter((x) => x.droppable);
  for (const b of q.w.budgets.filter((x) => x.unit === 'B/s per client')) {
    if (superseded.length === 0) break;
    const perSecond = Math.floor(b.value / Math.max(1, q.payloadBytes));
    rows.push({
      quantity: `Updates one client may receive within the stated ${fmt(b.value / 1024)} KB/s`,
      formula: `${fmt(b.value)} B/s ÷ ${fmt(q.payloadBytes)} B`,
      value: `${fmt(perSecond)} msg/s`,
      source: `${at(b)}: "${b.sentence}"; payload only`,
    });
    if (perSecond <= 0) continue;
    rows.push(conflationRow(q, superseded.map((x) => x.kind).join(' and '), b.value, perSecond));
  }
  if (p?.clientEvents && q.typing) {
    const typing = q.w.streams.find((s) => s.kind === 'typing');
    const stated = typing?.perUser ? typing.rate : null;
    rows.push({
      quantity: 'Typing events one connection may send (client events)',
      formula: stated !== null ? `${fmt(stated)}/s stated ≤ ${fmt(p.clientEvents.perSecond)}/s` : `≤ ${fmt(p.clientEvents.perSecond)}/s`,
      value: stated !== null ? (stated <= p.clientEvents.perSecond ? 'within' : 'over') : `${fmt(p.clientEvents.perSecond)}/s`,
      source: `the ${p.label} limit per client: past it ${p.clientEvents.overMd}${q.cite}; send typing on a timer (a start and a stop, or one event every few seconds while typing), never per keystroke`,
    });
  }
  const room = q.w.largestRoom ?? q.w.room;
  if (p?.presenceMembers && q.presence && room) {
    const max = p.presenceMembers.max;
    const over = room.value > max;
    rows.push({
      quantity: `Members of the largest room against a presence channel's ${fmt(max)}`,
      formula: `${fmt(room.value)} ÷ ${fmt(max)}`,
      value: over ? `${pct(room.value, max)}: over by ${fmt(room.value - max)}` : `${pct(room.value, max)}: within`,
      source: `${at(room)}; a ${p.label} presence channel holds at most ${fmt(max)} members${q.cite}${over ? `: ${p.presenceMembers.optionsMd}` : ''}`,
    });
  }
  const budgets = q.w.budgets.filter((b) => b.unit === 'msg/day' || b.unit === 'msg/month');
  // A provider that bills by counted messages gets the day's count even without a stated budget.
  if (budgets.length === 0 && !p?.counting) return rows;
  // What one second of peak costs in counted messages: the provider's own rule, else one per delivery.
  const c = p?.counting ?? { perPublish: 0, perDelivery: 1, presence: false };
  const peakRows = (fanout: number, label: string): { perDay: number; formula: string } => {
    // Exact through the day's product: rounded only where shown (fmt).
    const deliveries = q.msgRate * fanout;
    const perSecond = q.msgRate * c.perPublish + deliveries * c.perDelivery;
    return {
      perDay: Math.round(perSecond * 86_400),
      formula: `${c.perPublish ? `(${fmt(q.msgRate)} + ${fmt(deliveries)}${label})` : fmt(deliveries)} msg/s × 86,400`,
    };
  };
  const base = peakRows(q.fanout, '');
  rows.push({
    quantity: 'Messages a day at peak all day (upper bound)',
    formula: base.formula,
    value: fmt(base.perDay),
    source: `${p?.counting ? `${p.label} counts each publish and each delivery to a subscriber${q.cite}` : 'each delivery counted as one message'}${
      q.typingUncounted ? '; typing events are not in it (the context states no typing rate): what they may add is sized against each budget below' : ''
    }${budgets.length === 0 ? `; the context states no plan or budget: compare it with the message allowance on ${p!.label}'s current pricing page` : ''}`,
  });
  let presencePerDay = 0;
  if (p?.counting?.presence && q.presence && q.dailyUsers) {
    const members = q.members ?? q.fanout;
    presencePerDay = q.dailyUsers.value * 2 * members;
    rows.push({
      quantity: 'Presence joins and leaves a day',
      formula: `${fmt(q.dailyUsers.value)} users × 2 × ${fmt(members)} members`,
      value: fmt(presencePerDay),
      source: `${at(q.dailyUsers)}; one visit per user a day (assumption); each join and leave is delivered to every member${q.cite}`,
    });
  }
  const largest = q.w.largestRoom;
  // The largest room's recipients counted as the room's are: where a send leaves its sender out, a room of n reaches n − 1.
  const bigFanout = largest ? Math.max(0, largest.value - (q.members !== undefined ? q.members - q.fanout : 0)) : 0;
  const big = largest ? peakRows(bigFanout, ` at ${fmt(largest.value)}`) : null;
  for (const b of budgets) {
    const monthly = b.unit === 'msg/month';
    const days = monthly ? 30 : 1;
    const total = (base.perDay + presencePerDay) * days;
    const name = b.quota ? `the ${b.quota}'s ${fmt(b.value)}` : `the budget of ${fmt(b.value)}`;
    const hours = base.perDay > 0 ? round(((b.value / days - presencePerDay) / base.perDay) * 24, 1) : Infinity;
    const holds = total <= b.value;
    rows.push({
      quantity: `Messages a ${monthly ? 'month (30 days)' : 'day'} against ${name}`,
      formula: `(${fmt(base.perDay)}${presencePerDay ? ` + ${fmt(presencePerDay)}` : ''})${monthly ? ' × 30' : ''}`,
      value: `${fmt(total)}: ${holds ? 'within' : 'over'}`,
      source: `${quoted(b)}; ${
        holds
          ? `${pct(total, b.value)} of it even at peak all day`
          : `holds only if the peak lasts under ${fmt(Math.max(0, hours))} h a day${p?.overMessagesMd && b.quota ? `; ${p.overMessagesMd}` : ''}`
      }${big ? `; with rooms of ${fmt(largest!.value)} (${at(largest!)}) a peak day is ${fmt((big.perDay + presencePerDay) * days)}${bigFanout !== largest!.value ? ` (${fmt(bigFanout)} recipients a message, the sender left out as above)` : ''}${presencePerDay ? `, presence joins and leaves as counted above at ${fmt(q.members ?? q.fanout)} members` : ''}: ${(big.perDay + presencePerDay) * days <= b.value ? 'within' : 'over'}` : ''}`,
    });
    // Typing is counted like any other message (once sent, once per member it reaches): with no typing rate
    // stated, the row says how many seconds of typing per message, at the throttle, the rest of the budget pays for.
    const comments = q.msgRate * 86_400;
    const perEvent = c.perPublish + q.fanout * c.perDelivery;
    const rest = b.value / days - (base.perDay + presencePerDay);
    if (q.typingUncounted && comments > 0 && perEvent > 0) {
      const seconds = rest > 0 ? round(rest / (comments * TYPING_PER_SECOND * perEvent), 1) : 0;
      rows.push({
        quantity: `Typing per message that ${name} leaves room for, at the 1 per 2 s throttle`,
        formula: `(${fmt(b.value / days)} − ${fmt(base.perDay + presencePerDay)}) ÷ (${fmt(Math.round(comments))} messages × ${fmt(TYPING_PER_SECOND)}/s × ${fmt(perEvent)})`,
        value: `${fmt(seconds)} s of typing per message`,
        source: `${c.perPublish ? `each typing event counts once${c.perDelivery ? ` and once per member it reaches (${fmt(q.fanout)})` : ''}` : `each typing event counts once per member it reaches (${fmt(q.fanout)})`}${q.cite}, and the context states no typing time: ${rest > 0 ? `typing for longer than that before each message goes over it at peak all day; a start and a stop event per message cost ${fmt(2 * perEvent)} messages instead` : 'no typing fits the rest of it at peak all day'}`,
      });
    }
  }
  return rows;
}

/**
 * The conflation interval N that keeps one client under its stated bandwidth: each entity it
 * follows sends at most one update every N ms, so N ≥ entities × 1,000 ms ÷ the updates per second
 * the budget allows. N is added to the delivery latency of a superseded value, so it is checked
 * against the stated latency target: where it does not fit, the row says so and what would.
 */
function conflationRow(q: QuotaInput, kinds: string, budget: number, perSecond: number): CapacityRow {
  const n = (entities: number): number => Math.ceil((entities * 1000) / perSecond / 10) * 10;
  const { typical, max } = q.w.follows;
  const stated = [typical, max].filter((x): x is NonNullable<typeof x> => x !== null);
  const counts = stated.length > 0 ? stated.map((x) => x.value) : [10, 20, 50];
  const noun = typical?.entity ?? max?.entity ?? 'entities';
  const head = stated[0] ?? null;
  const at = head ? head.value : 20;
  const followed = head
    ? `the ${typical ? fmt(typical.value) : ''}${typical && max ? ` (${fmt(max.value)} at most)` : max && !typical ? `up to ${fmt(max.value)}` : ''} ${noun} one client follows (context, \`${head.evidence}\`)`
    : 'the entities one client follows (the context states no count: the rows give it for several)';
  const lat = q.w.latency;
  let latencyMd = 'and adds up to N to the delivery latency';
  if (lat) {
    const target = `the stated ${fmt(lat.value)} ms${lat.percentile ? ` p${fmt(lat.percentile)}` : ''} (\`${lat.evidence}\`)`;
    const over = counts.filter((c) => n(c) >= lat.value);
    if (over.length === 0)
      latencyMd = `and adds up to N to the delivery latency: at ${fmt(n(Math.max(...counts)))} ms it leaves ${fmt(lat.value - n(Math.max(...counts)))} ms of ${target} for the network and the server; check it in the load test`;
    else {
      const c = Math.min(...over);
      const fits = Math.floor((budget * lat.value) / (c * 1000));
      latencyMd = `and adds up to N to the delivery latency: at ${fmt(c)} ${noun}, N = ${fmt(n(c))} ms is not below ${target}, so both targets cannot hold for such a client: the latency target then holds for events that are not conflated, and conflated ${kinds} trade up to ${fmt(n(c))} ms of latency for bandwidth; to keep both, send at most ${fmt(fits)} B per update (${fmt(budget)} B/s × ${fmt(lat.value)} ms ÷ ${fmt(c)} ${noun}, payload only) or fewer ${noun} per client`;
    }
  }
  return {
    quantity: `Conflation interval N per entity and client for ${kinds} (newest value wins)`,
    formula: `N ≥ ${noun} followed × 1,000 ms ÷ ${fmt(perSecond)} msg/s: ${counts.map((c) => `${fmt(c)} → ${fmt(n(c))} ms`).join('; ')}`,
    value: `${fmt(n(at))} ms at ${fmt(at)} ${noun}`,
    source: `each client gets at most one message per entity every N ms, holding only the newest value; N grows with ${followed}, rounded up to 10 ms, ${latencyMd}; only for values a newer one supersedes, never for messages that must all arrive`,
  };
}
