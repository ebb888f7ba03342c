// Race conditions and edge cases: the ones this project's code, figures or context make real,
// each tied to its evidence (an event's file:line, a finding, a context sentence, the capacity
// figures). The generic catalog every long-lived connection shares lives in the protocol note
// (templates/knowledge/rt-plan-protocol.md), cited once instead of pasted into every plan.
import type { RtEvent } from '../types.js';
import type { DesignCtx } from './context.js';
import type { EdgeCase } from './types.js';
import type { ScenarioModule } from './scenarios/kit.js';
import { MODULES, seqless, snapshotVersioned, stateVectors } from './scenarios/index.js';
import { existingFor, shownBy } from './scenarios/roles.js';
import { ownExpiryMd, tokenExpiryOf } from './connection.js';
import { code, fmt, list, text } from './md.js';
import { bufferLimits, fetchStream } from './ops.js';
import { defaultRateMd, roomSizeOf } from './capacity.js';
import { reconnectStorm } from './steps.js';
import { profileOf } from './profiles/index.js';
import { protocolTraits } from './profiles/protocol.js';
import { buildCatalog, extended, unsentByClients } from './protocol.js';
import { traitsOf } from './profiles/transports.js';
import { streamSdk } from './profiles/ai-streams.js';
import { runsOwnFleet } from './profiles/fleet.js';
import { coreOf } from './core/context.js';
import { gapRuleMd, recordOrdered } from './ordering.js';
import { sharedStoreOf, snapshotVersionSource } from './scenarios/state-sync.js';
import { ATOMIC_COUNTER } from './profiles/stores.js';

function clientEvents(ctx: DesignCtx): RtEvent[] {
  return ctx.input.analysis.events.filter((e, i, all) => e.direction !== 'server-to-client' && all.findIndex((o) => o.name === e.name) === i);
}

/**
 * Out-of-order delivery where the library protocol replays nothing and a reconnect refetches (graphql-ws):
 * no seq of ours; what tells two copies of one record apart is the change time its payload carries, where it carries one.
 * A time orders them only as well as the clock that sets it: the database's (a `change-time` fact: one clock, read when
 * the transaction starts, not when it commits) or, where rt-plan sees none, possibly each instance's own, which can skew.
 * A version the database raises in the same write orders them without a clock.
 */
function refetchOrdering(ctx: DesignCtx, label: string): Pick<EdgeCase, 'riskMd' | 'mitigationMd'> {
  const r = ctx.capacity.result;
  const o = coreOf(ctx).objects.find((x) => x.decision.versioning === 'refetch' && x.updated);
  const norm = (s: string): string => s.replace(/_/g, '').toLowerCase();
  const clock = o?.updated ? (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'change-time' && norm(f.name) === norm(o.updated!.field)) : undefined;
  const versionMd = `A ${code('version')} column the same write raises (${code('version = version + 1')}, returned with the row) and sent with each ${o?.name ?? ctx.entity} orders them without a clock: compare that instead once it is added.`;
  const clockMd = clock
    ? `The database sets it (${code(`${clock.name} = ${clock.value}`)}, ${code(clock.evidence)}): one clock for every instance, but read when the transaction or statement starts, not when it commits, so two overlapping updates of one ${o?.name ?? ctx.entity} can commit in the other order of their times, and two in the same tick tie.`
    : `rt-plan does not see what sets it: where the app sets it (${code('new Date()')}) on each of the ${fmt(r.instances)} instances, their clocks can skew and a newer change can carry an earlier time; where the database sets it, its ${code('now()')} is read when the transaction or statement starts, not when it commits.`;
  return {
    riskMd: `With ${fmt(r.instances)} instances publishing through pub/sub, two changes to one ${o ? o.name : ctx.entity} can reach a client in different orders, and the refetch after a reconnect can race a live update.`,
    mitigationMd: o?.updated
      ? `No seq or log of ours: ${label} replays nothing, so a reconnect refetches the current state. The client keeps, per ${o.name}, the copy with the later ${code(o.updated.field)}${o.updated.at ? ` (${code(o.updated.at)})` : ''}, so that an older one arriving late, from another instance or from a refetch that raced a live update, does not replace a newer one. ${clockMd} ${versionMd}`
      : `No seq or log of ours: ${label} replays nothing, so a reconnect refetches the current state. rt-plan sees no version or change time in the payload to tell an older copy from a newer one: until one is sent, a late older copy can replace a newer one until the next refetch.`,
  };
}

export function edgeCases(ctx: DesignCtx, modules: ScenarioModule[]): EdgeCase[] {
  const risks = modules.flatMap((m) => m.risks(ctx));
  // A provider-held session, or a library-owned stream on functions: only the scenario's own risks apply.
  if (ctx.providerDirect || (streamSdk(ctx) !== null && modules.every((m) => m.id === 'ai-streaming'))) return risks;
  const r = ctx.capacity.result;
  // The storm onto surviving instances needs instances of ours.
  const out: EdgeCase[] = runsOwnFleet(ctx) ? [reconnectStorm(ctx)] : [];
  if (stateVectors(ctx)) {
    // Yjs updates commute (state vectors, no seq), so ordering is no risk there; awareness traffic is.
    // A receive-only tier for viewers past 50 applies only where a document can hold more than 50: not under a stated smaller room.
    const room = roomSizeOf(ctx.capacity);
    const viewersTier = ctx.capacity.fanoutUnstatedMd !== undefined || room > 50;
    out.push({
      title: 'Awareness storms',
      riskMd:
        'Every cursor move is an awareness update sent to every other editor of the document, so traffic grows with the square of the editors; y-protocols also renews each state every 15 s (half its 30 s timeout).',
      mitigationMd: `Throttle local awareness changes on the client (at most 10 per second), keep the state small (user id, name, colour, cursor range), drop awareness frames above 20 per second per connection on the server${viewersTier ? ', and let viewers beyond the first 50 of a document receive awareness without sending it' : ''}.`,
    });
  } else if (profileOf(ctx).ownFanout && r.instances > 1 && r.pubsubPublishedPerSecond > 0) {
    // Only where messages actually cross nodes through a bus (an AI answer has one recipient on one node).
    out.push({
      title: 'Out-of-order delivery across instances',
      ...(snapshotVersioned(ctx)
        ? {
            riskMd: `With ${fmt(r.instances)} instances publishing through pub/sub, two snapshots can reach a client in the other order, and the older would replace the newer.`,
            mitigationMd: `Take the ${code('version')} from one counter that every instance shares, in ${snapshotVersionSource(ctx).store?.name ?? 'the shared store'} (${snapshotVersionSource(ctx).store?.counterMd ?? ATOMIC_COUNTER.database}); clients drop a snapshot whose version is not above the one they show.`,
          }
        : protocolTraits(ctx).operations && seqless(ctx)
          ? refetchOrdering(ctx, protocolTraits(ctx).operations!.label)
          : {
              riskMd: `With ${fmt(r.instances)} instances publishing through pub/sub, two changes to one channel can reach a client in different orders, and a replay can race live events.`,
              mitigationMd: recordOrdered(ctx)
                ? `The ${code(recordOrdered(ctx)!.field)} the system of record sets orders them, not a seq of ours: clients ${gapRuleMd(code(recordOrdered(ctx)!.field), 'asking for the current state again')}.`
                : `Assign the seq in one place per channel, in ${sharedStoreOf(ctx).name} (${ATOMIC_COUNTER[sharedStoreOf(ctx).kind]}); clients ${gapRuleMd('seq', 'asking for a resync')}.`,
            }),
    });
  }
  // A provider's SDK holds the socket and its send buffer: there is nothing of ours to watch.
  // Where the runtime's sockets expose no send buffer (the Workers runtime), Backpressure says what bounds a room instead.
  if (!profileOf(ctx).socketHost && !profileOf(ctx).noBufferMd && !profileOf(ctx).external) out.push(slowConsumers(ctx));
  const token = ctx.input.analysis.stack.auth.find((a) => a.kind.startsWith('jwt-') && a.evidence);
  const guard = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'message-guard-handshake-token');
  const unverified = ctx.input.analysis.findings.find((f) => f.id === 'unverified-token-identity');
  if (guard) {
    const life = tokenLifetime(ctx);
    out.push({
      title: 'Token expires on a long-lived connection',
      riskMd: `${code(guard.name)} (${text(guard.evidence)}) verifies the handshake's token before every message it guards, and an open connection never changes its handshake: ${life ? `with ${text(life.span)} tokens (context, ${text(life.at)}), every guarded message on a connection older than that is refused` : 'once the token expires, every guarded message on that connection is refused'} until the client reconnects.`,
      mitigationMd: `Verify the token once, when the connection opens (the handshake middleware of Connection management), keep the user and the token's expiry on ${code('socket.data')}, and let ${code(guard.name)} check that expiry instead of verifying the handshake token again. ${ownExpiryMd(ctx) ?? traitsOf(ctx).tokenExpiryMd}`,
    });
  } else if (token?.evidence)
    out.push({
      title: 'Token expires on a long-lived connection',
      riskMd: unverified
        ? `Once the handshake verifies the token (${text(token.evidence)}; today nothing does: ${code(unverified.evidence)}), it does so once, and the connection outlives it.`
        : `The handshake verifies a token (${text(token.evidence)}) once; the connection outlives it.`,
      mitigationMd: ownExpiryMd(ctx) ?? traitsOf(ctx).tokenExpiryMd,
    });
  const rejoin = ctx.input.analysis.findings.find((f) => f.id === 'no-room-rejoin');
  const join = existingFor(ctx.input.analysis.events, 'join');
  const lastSeqMd =
    seqless(ctx) || ctx.scenarios.some((id) => MODULES[id].resume(ctx).cursor === 'refetch')
      ? ''
      : ` with its last ${recordOrdered(ctx) ? code(recordOrdered(ctx)!.field) : 'seq'}`;
  if (rejoin || join?.evidence)
    out.push({
      title: 'Rooms lost on reconnect',
      riskMd: rejoin
        ? !join && rejoin.event
          ? `The client sends ${code(rejoin.event)} once (${text(rejoin.evidence)}) and the server joins the room only when it handles it; rooms belong to the old socket, so after a reconnect it receives nothing for them.`
          : `The client joins once (${text(rejoin.evidence)}); rooms belong to the old socket, so after a reconnect it receives nothing for them.`
        : `Rooms joined with ${code(join!.name)} (${text(join!.evidence!)}) belong to the old socket and are gone on the new one.`,
      mitigationMd: rejoin
        ? join || !rejoin.event
          ? `The client re-sends ${code(join?.name ?? 'its joins')}${lastSeqMd} on every connect, not once per mount; ${onDisconnectMd(ctx)}`
          : // The server joins inside the handler of an event the client sends once (a login): that event goes out again.
            `The client sends ${code(rejoin.event)} again in a ${code("socket.on('connect', …)")} listener, which runs after every reconnect, not once at startup; ${onDisconnectMd(ctx)}`
        : // No join made once per mount was found: a join the client already sends on connect is kept, not doubled.
          `${code(join!.name)} goes out after every connect${lastSeqMd}, not once per mount, and once per connect: where the client already rejoins when the socket opens, that join is the one to keep; ${onDisconnectMd(ctx)}`,
    });
  // Existing client events this plan extends (new fields or an ack) must keep working for clients not yet updated.
  const extendedNames = new Set(
    buildCatalog(
      ctx,
      modules.flatMap((m) => m.events(ctx)),
      [],
    )
      .filter(extended)
      .map((e) => e.name),
  );
  // An event no client sends today has no old clients to keep working.
  const changed = clientEvents(ctx).filter((e) => extendedNames.has(e.name) && e.evidence && !unsentByClients(ctx, e));
  if (changed.length > 0)
    out.push({
      title: 'Old and new clients at once',
      riskMd: `This plan extends existing events (${list(changed.slice(0, 3).map((e) => `${code(e.name)} at ${text(e.evidence!)}`))}) that clients already in use send without the new fields.`,
      mitigationMd: 'New fields stay optional on the server until metrics show no traffic without them for a release; validate both shapes.',
    });
  return [...out, ...risks];
}

const TOKEN_SPAN =
  /\b(\d+)[ -]?(min(?:ute)?s?|h(?:ours?)?|s(?:ec(?:ond)?s?)?)\b[^.;]{0,30}\b(access |auth |id )?tokens?\b|\btokens?\b[^.;]{0,30}\b(?:expire|valid|live)s?\b[^.;]{0,20}\b(\d+)[ -]?(min(?:ute)?s?|h(?:ours?)?)\b/i;

/** The token lifetime the context states ("15 min access tokens"), as written, with its line. */
function tokenLifetime(ctx: DesignCtx): { span: string; at: string } | null {
  for (const r of ctx.input.sessions.requirements) {
    const m = TOKEN_SPAN.exec(r.sentence);
    if (!m) continue;
    const n = m[1] ?? m[5];
    const unit = (m[2] ?? m[6] ?? '').toLowerCase();
    const short = unit.startsWith('m') ? 'min' : unit.startsWith('h') ? 'h' : 's';
    return { span: `${n} ${short}`, at: r.evidence };
  }
  return null;
}

/**
 * What the server does with a socket's entries on disconnect. A participant the core design keeps
 * across reconnects (reclaim token) is marked disconnected and kept for its reclaim window, not
 * dropped: dropping it would lose what the reclaim is for.
 */
function onDisconnectMd(ctx: DesignCtx): string {
  const p = coreOf(ctx).objects.find((o) => o.keyedBy);
  if (!p) return 'the server drops all entries of a socket on disconnect.';
  const span = p.reclaimWindow ? `${fmt(p.reclaimWindow.seconds)} s` : 'the reclaim window';
  return `on disconnect the server marks the ${text(p.name)} disconnected and keeps its entry for ${span} (the reclaim window of Core design), then drops it; a join with its reclaim token within that time takes it back.`;
}

/** The catalog's risks (templates/knowledge/rt-plan-protocol.md), each with the titles of this plan's cases that already cover it. */
// `applies` says when a risk is real for this project: a feature it has (its events, its context or
// this plan's catalog), or a credential that expires. A risk of a feature the project lacks is not named.
const CATALOG: { label: string; covered: RegExp; applies?: (ctx: DesignCtx, events: readonly { name: string }[]) => boolean }[] = [
  { label: 'out-of-order delivery', covered: /out-of-order|before the snapshot|between replay and live/i },
  { label: 'stale subscriptions after a reconnect', covered: /lost on reconnect|stale subscriptions|catch up after a reconnect/i },
  { label: 'token expiry', covered: /token expires/i, applies: (ctx) => tokenExpiryOf(ctx) !== undefined },
  {
    label: 'typing storms',
    covered: /typing storm|awareness storm/i,
    applies: (ctx, events) => shownBy(ctx.input, 'typing', 'typing') !== null || events.some((e) => /typing|awareness/i.test(e.name)),
  },
  {
    label: 'presence flicker',
    covered: /presence flicker/i,
    applies: (ctx, events) => shownBy(ctx.input, 'presence', 'presence') !== null || events.some((e) => /presence|awareness/i.test(e.name)),
  },
  { label: 'old and new clients at once', covered: /old and new clients/i },
  { label: 'slow consumers', covered: /slow consumer/i },
];

/** The note every plan cites for the generic catalog: the catalog's risks this plan does not already treat above. */
export function edgeCasesNoteMd(ctx: DesignCtx, cases: EdgeCase[], events: readonly { name: string }[] = []): string {
  const note = ctx.cite.cite(['edge-case-catalog'], 'rt-plan');
  const open = CATALOG.filter((c) => !cases.some((e) => c.covered.test(e.title)));
  const rest = open.filter((c) => !c.applies || c.applies(ctx, events)).map((c) => c.label);
  if (rest.length === 0)
    return open.length === 0
      ? `Every risk in the edge-case catalog of long-lived connections${note} is treated above, as this project's code, figures or context make it real.`
      : `Every risk in the edge-case catalog of long-lived connections${note} that this project's features make real is treated above.`;
  return rest.length === 1
    ? `The catalog${note} also holds the standard answer to ${rest[0]}, a risk of any long-lived connection; the ones above are those this project's code, figures or context make real.`
    : `The catalog${note} also holds the standard answers to ${list(rest)}, risks of any long-lived connection; the ones above are those this project's code, figures or context make real.`;
}

/**
 * What each client receives on average, said as it is: "2 msg/s", or "one message every 100 s"
 * below one per second, where only a burst (a backlog after a reconnect, a broadcast storm) can
 * outrun a slow client.
 */
function perClientMd(rate: number, assumed: string | null, replays = true): string {
  const basis = assumed ? ` (at ${assumed})` : '';
  if (rate >= 1) return `A client on a bad network cannot keep up with ${fmt(Math.round(rate))} msg/s${basis}`;
  return `Each client averages one message every ${fmt(Math.round(1 / Math.max(rate, 1e-6)))} s${basis}, so only a burst (${replays ? 'a replay after a reconnect, ' : ''}many events at once) outruns a client on a bad network`;
}

function slowConsumers(ctx: DesignCtx): EdgeCase {
  const r = ctx.capacity.result;
  return {
    title: 'Slow consumers',
    riskMd: `${perClientMd(r.deliveriesPerSecond / Math.max(1, ctx.capacity.values.connections), defaultRateMd(ctx.capacity)?.long ?? null, !seqless(ctx) || stateVectors(ctx))}; its send buffer grows and memory with it.`,
    // A server library with its own buffer API (uWebSockets.js) says it its way.
    mitigationMd:
      profileOf(ctx).backpressureMd?.({ ...bufferLimits(ctx), payloadBytes: ctx.capacity.values.payloadBytes, fetchStream: false, sendsMd: null }) ??
      protocolTraits(ctx).slowMd({ ...bufferLimits(ctx), framework: ctx.layout.framework, fetchStream: fetchStream(ctx) }),
  };
}
