// The Summary's protocol and consistency lines. Names are described in the project's own style
// (core/names.ts), and a library that owns the stream is named as what the plan keeps.
import { protocolTraits } from './profiles/protocol.js';
import { orderingOf } from './ordering.js';
import { runsOwnFleet } from './profiles/fleet.js';
import type { EventSpec } from '../types.js';
import type { DesignCtx } from './context.js';
import { coreOf } from './core/context.js';
import { styleOf, type NameStyle } from './core/names.js';
import { code, fmt, list } from './md.js';
import { streamSdk } from './profiles/ai-streams.js';
import { profileOf } from './profiles/index.js';
import { droppableCoalescedOf } from './ops.js';
import type { ScenarioModule } from './scenarios/kit.js';

const STYLE: Record<NameStyle, string> = {
  colon: code('domain:action'),
  dot: code('domain.action'),
  dash: code('domain-action'),
  camel: `camelCase (${code('actionDomain')})`,
};

export function protocolSummary(ctx: DesignCtx, events: EventSpec[], noSeq: boolean): string {
  const existing = events.filter((e) => e.origin === 'existing');
  const kept = `${fmt(events.length)} events (${fmt(existing.length)} existing kept)`;
  if (noSeq)
    return `Protocol: ${kept}, binary y-protocols sync and awareness messages on the document endpoint: no JSON envelope, no acks or idempotency keys (Yjs updates are idempotent), errors on that channel as close codes, not ${code('sys:error')}.`;
  const sdk = streamSdk(ctx);
  if (sdk && ctx.scenarios.every((s) => s === 'ai-streaming'))
    return `Protocol: the ${sdk.label}'s UI message stream as it is (${list(sdk.parts.map((p) => code(p.name)))}), plus one resume request.`;
  // A channel server's wire: a publication per channel, subscribed with the server's own command.
  const server = protocolTraits(ctx).channels;
  if (server) {
    const pubs = events.filter((e) => e.protocol === undefined);
    return `Protocol: ${server.label}'s own client protocol; ${fmt(pubs.length)} publication${pubs.length === 1 ? '' : 's'} on ${list([...new Set(pubs.map((e) => code(e.channel)))])} (${fmt(pubs.filter((e) => e.origin === 'existing').length)} existing kept), subscribed with ${server.label}'s subscribe command; no event, ack or ${code('sys:error')} of ours.`;
  }
  // A provider protocol our server speaks (Pusher's): its own events, under its names.
  const served = protocolTraits(ctx).served;
  if (served)
    return `Protocol: ${kept}, all in ${served.label} its clients speak, under its own names and frames; no envelope, ack or ${code('sys:error')} of ours.`;
  // A browser talking straight to a provider: every event is the provider's, under its own names.
  if (events.length > 0 && events.every((e) => e.protocol !== undefined))
    return `Protocol: ${kept}, all of them the provider's own messages on the provider connection, under its names and schemas; no event of ours.`;
  const style = STYLE[coreOf(ctx).style];
  // "As the existing events use" only where some existing name is in that style (`move`, `state` are in none);
  // rt-plan's labels for a provider SDK's calls (`presence:enter`, `data:reactions`) are no names the project chose.
  const named = existing.filter((e) => e.sdk === undefined && e.protocol === undefined);
  const same = named.filter((e) => styleOf(e.name) === coreOf(ctx).style).length;
  const names =
    same > 0 && same === named.length
      ? `${style} names, as the existing events use`
      : same > 0
        ? `${style} names, as ${fmt(same)} of the ${fmt(named.length)} existing events use`
        : named.length > 0
          ? `${style} names for new events (the existing ${list(named.slice(0, 4).map((e) => code(e.name)))} ${named.length === 1 ? 'keeps its name' : 'keep theirs'})`
          : `${style} names`;
  // Acks answer what clients send: a stream that only pushes to clients has none to describe.
  const acks = events.some((e) => (e.ack ?? []).length > 0)
    ? ', acks with idempotency keys'
    : events.every((e) => e.direction === 'server-to-client')
      ? ', server → client only'
      : '';
  return `Protocol: ${kept}, ${names}${acks}${events.some((e) => e.name === 'sys:error') ? `, one ${code('sys:error')} event` : ''}.`;
}

export function consistencySummary(ctx: DesignCtx, modules: ScenarioModule[], noSeq: boolean): string {
  const lines = modules
    .flatMap((m) => m.sync(ctx))
    .slice(0, 3)
    .map(
      (s) => `${s.data.replace(/\s*\(.*\)$/, '')}: ${/^[A-Z][a-z]/.test(s.strategy) ? s.strategy.charAt(0).toLowerCase() + s.strategy.slice(1) : s.strategy}`,
    )
    .join('; ');
  const sdkOwned = streamSdk(ctx) !== null && ctx.scenarios.every((s) => s === 'ai-streaming');
  // A log whose ids order the events (ordering.ts) replaces our seq and its gap checks.
  const order = orderingOf(ctx);
  const tail = noSeq
    ? '; state vectors, not seq numbers, bring a reconnecting client up to date'
    : order.by === 'none' || ctx.providerDirect
      ? ''
      : order.by === 'log-id' && order.log
        ? `; the ids of the log the code already writes (${code(order.log.evidence)}) order the events and resume the stream`
        : order.by === 'record-version' && order.record
          ? `; the ${code(order.record.field)} the system of record sets orders the events and is what a client resumes from, with gap detection and resync`
          : sdkOwned
            ? ''
            : protocolTraits(ctx).operations
              ? ''
              : '; every ordered stream carries a server-assigned seq, with gap detection and resync';
  return `Consistency: ${lines}${tail}.`;
}

/** A stream the library owns reconnects the library's way, not with a backoff loop of ours. */
export function sdkConnectionsSummary(ctx: DesignCtx): string | null {
  const sdk = streamSdk(ctx);
  if (!sdk || !ctx.scenarios.every((s) => s === 'ai-streaming')) return null;
  return `Connections: one POST per answer, read by ${code(sdk.hook)}, which does not reconnect by itself: a reload shows the saved chat, and ${code('resume: true')} reattaches to a running answer.`;
}

/** On a serverless host every stream is a function invocation the host places and scales. */
export function serverlessCapacitySummary(ctx: DesignCtx): string | null {
  const p = profileOf(ctx);
  const host = p.serverless?.host;
  if (host)
    return `Capacity: ${fmt(ctx.capacity.values.connections)} concurrent streams at peak, each a function invocation that ${host} places and scales: no instance count of ours.`;
  // Where the runtime or a provider holds the connections, an N+1 instance count would be a fleet we do not run.
  if (runsOwnFleet(ctx)) return null;
  // A client-only repository: the server and its egress are its owner's, sized by that team.
  if (p.external)
    return `Capacity: ${fmt(ctx.capacity.values.connections)} concurrent connections at peak to a server that is not in this repository: how many instances it runs and what they send is its owner's to size, not this plan's.`;
  const holder =
    p.socketHost?.label ?? (p.front ? `the platform (${p.front.holderLabel.replace(/ \(.*\)$/, '')})` : 'the provider (the browser connects to it directly)');
  // A voice session without stated traffic has no rate of ours: its egress would be a default's.
  const egress =
    (ctx.providerDirect && ctx.capacity.workload.streams.length === 0) || ctx.capacity.fanoutUnstatedMd
      ? ''
      : (droppableEgressMd(ctx) ?? `, ${fmt(ctx.capacity.result.egressMbps)} Mbit/s egress`);
  const connections = ctx.capacity.values.connections;
  const quota = ctx.capacity.workload.quotas.find((r) => r.metric === 'concurrent-users');
  const against = quota
    ? `; that is ${fmt(Math.round((connections / quota.value) * 1000) / 10)}% of the ${quota.quota}'s ${fmt(quota.value)}${connections > quota.value ? ', over it (see Performance and scaling)' : ''}`
    : '';
  return `Capacity: ${fmt(connections)} concurrent ${ctx.providerDirect && egress === '' ? 'sessions' : 'connections'} at peak, held by ${holder}: no instance count of ours${egress}${against}.`;
}

/** Egress where Performance and scaling coalesces the droppable stream: the designed figure first, today's beside it. */
export function droppableEgressMd(ctx: DesignCtx): string | null {
  const d = droppableCoalescedOf(ctx);
  // Coalescing that does not lower the egress bound (each change still reaches every other member) leaves today's figure alone.
  return d && d.egressMbps < ctx.capacity.result.egressMbps
    ? `, ${ctx.capacity.fanoutFloor !== undefined ? '' : 'at most '}${fmt(d.egressMbps)} Mbit/s egress with ${d.kind} coalesced every ${fmt(1000 / d.perChannel)} ms (${fmt(ctx.capacity.result.egressMbps)} Mbit/s as the code sends today)${ctx.capacity.fanoutFloor !== undefined ? `, both at the fan-out floor of ${fmt(ctx.capacity.fanoutFloor)} recipients per message (more where a connection follows more than one)` : ''}`
    : null;
}
