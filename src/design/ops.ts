// Error handling and observability. Codes, degraded modes and metric names are derived
// from the chosen transport and the selected scenarios; SLOs come from the context when it
// states a latency, else from rt-plan's default targets, stated as assumptions.
import { clientStopCode } from './model-facts.js';
import { publishedMd } from './workload.js';
import { protocolTraits } from './profiles/protocol.js';
import { runsOwnFleet } from './profiles/fleet.js';
import { contextStates, quoteOf, rulesOut, serverIsFixed, statedRecovery } from './constraints.js';
import type { NumberRequirement } from '../types.js';
import { noSignInFound, type DesignCtx } from './context.js';
import { clientActions, postRoutes, replayRouteMd } from './routes.js';
import type { Plan } from './types.js';
import { managedProvider, moduleErrors, moduleMetrics, type ScenarioModule } from './scenarios/kit.js';
import { orderingOf } from './ordering.js';
import { code, fmt, list, round, snake, text } from './md.js';
import { coreOf } from './core/context.js';
import type { ObjectKind } from './core/types.js';
import { stickySessions, websocketOnly } from './architecture.js';
import { iceWaitMs, libraryFirstDelayMd, libraryReconnect, libraryShareWithin, reconnectsItself, recoveryMd } from './connection.js';
import { onSupabase } from './connection-supabase.js';
import { scenarioSlos, stateVectors } from './scenarios/index.js';
import { defaultSource } from './defaults.js';
import { profileOf } from './profiles/index.js';
import { opsKindOf, opsProfile, type OpsKind, type OpsProfile } from './profiles/ops.js';
import { agentOnly, VOICE } from './profiles/voice.js';
import { voiceTurnMetric } from './voice-capacity.js';
import { COALESCE_WINDOW_MS, coalescedDroppable, type DroppableCoalesced } from './capacity.js';
import { serverSendsMd, sharedSecretAt } from './sites.js';
import { providersOf } from './scenarios/voice.js';
import { sdkBackpressureMd, sdkErrors, sdkOwned } from './profiles/ai-sdk-ops.js';
import { joinStormNotes } from './join-storms.js';

/** An SSE stream read with fetch (AI answers): no EventSource, no automatic retry, no Last-Event-ID. */
export function fetchStream(ctx: DesignCtx): boolean {
  return profileOf(ctx).id === 'sse-fetch';
}

/** The standard codes the note describes; a runtime without error messages of ours lists them per code. */
const BASE_ERRORS: { code: string; when: string; clientMd: string }[] = [
  { code: 'AUTH_FAILED', when: 'missing, invalid or expired token at the handshake', clientMd: 'refresh the token once, then sign the user out' },
  { code: 'FORBIDDEN', when: 'authenticated but not allowed on this channel', clientMd: 'remove the view; do not retry' },
  { code: 'INVALID_PAYLOAD', when: 'schema validation failed or the frame is not JSON', clientMd: 'bug: report with the `ref`, do not retry' },
  { code: 'UNKNOWN_EVENT', when: 'event name not in the catalog', clientMd: 'client is newer than the server: reload' },
  { code: 'RATE_LIMITED', when: 'per-connection or per-user bucket empty', clientMd: 'retry after the `retryAfterMs` hint' },
  { code: 'PAYLOAD_TOO_LARGE', when: 'frame above the payload cap', clientMd: 'split or upload over HTTP' },
  { code: 'VERSION_UNSUPPORTED', when: 'envelope or namespace version no longer served', clientMd: 'reload the app' },
  { code: 'INTERNAL', when: 'unexpected server failure', clientMd: 'retry with backoff; idempotency keys make it safe' },
];

/**
 * The scenario codes in this project's own words: the event a client re-joins or resyncs with,
 * and the entity it subscribes to, where the plan has them (a placeholder keeps the general text).
 */
function projectNames(ctx: DesignCtx, modules: ScenarioModule[]): Record<string, { when?: string; clientMd?: string }> {
  const resume = modules[0]?.resume(ctx);
  const event = resume && /^[\w:.\-/]+$/.test(resume.event) ? code(resume.event) : null;
  const entity = ctx.entity && ctx.entity !== 'resource' ? ctx.entity : null;
  return {
    ...(event
      ? {
          NOT_A_MEMBER: { clientMd: `re-join with ${event} or leave the view` },
          SEQ_GAP: { clientMd: `discard local state and apply the snapshot that answers ${event}` },
        }
      : {}),
    ...(entity
      ? {
          NOT_FOUND: { when: `subscribe to ${/^[aeiou]/i.test(entity) ? 'an' : 'a'} ${text(entity)} that does not exist` },
          LIMIT_EXCEEDED: { clientMd: `unsubscribe from ${text(entity)} entries no longer on screen` },
        }
      : {}),
  };
}

/** Which runtime's error, buffer and test conventions apply. */
export function opsKind(ctx: DesignCtx): OpsKind {
  return opsKindOf(profileOf(ctx).id, { providerDirect: ctx.providerDirect, supabase: onSupabase(ctx), seqless: stateVectors(ctx) });
}

export function errorsSection(ctx: DesignCtx, modules: ScenarioModule[]): Plan['errors'] {
  // A library that owns the answer stream reports errors its own way: no codes or envelope of ours.
  const sdk = sdkOwned(ctx);
  if (sdk) return sdkErrors(sdk);
  const ops = opsProfile(opsKind(ctx));
  const profile = profileOf(ctx);
  const note = ctx.cite.cite(['errors'], 'rt-plan');
  // Where the runtime has its own signal per code, each standard code keeps its row; elsewhere
  // one sentence says how they travel here, and the note has what the client does on each.
  const rows = ops.rows ? BASE_ERRORS.filter((e) => e.code in ops.rows!) : [];
  const named = projectNames(ctx, modules);
  const codes = [...rows, ...modules.flatMap((m) => moduleErrors(m, ctx))]
    .filter((e, i, all) => all.findIndex((x) => x.code === e.code) === i)
    .map((e) => ({
      ...e,
      ...named[e.code],
      ...ops.client?.[e.code],
      signalMd:
        ops.rows?.[e.code] ??
        protocolTraits(ctx).operations?.operationErrorMd ??
        ('onStream' in e && e.onStream === true && ops.streamSignal ? ops.streamSignal : ops.moduleSignal),
    }));
  const standard = BASE_ERRORS.map((e) => code(e.code)).join(', ');
  const posts = postRoutes(
    ctx,
    clientActions([...modules.flatMap((m) => m.events(ctx)), ...ctx.input.analysis.events.filter((e) => e.protocol === undefined)]),
  );
  const operations = protocolTraits(ctx).operations;
  const served = protocolTraits(ctx).served;
  const standardMd = operations
    ? `How errors travel here: ${operations.signalsMd}`
    : served
      ? `How errors travel here: ${served.signalsMd}`
      : ops.signalsMd
        ? `The standard codes (${standard}) and what the client does on each are in rt-plan's operations note${note}. ${
            profile.external
              ? `How they reach this client is the server's to say (${profile.external.askMd}).`
              : `Here ${(sharedSecretAt(ctx) && ops.signalsNoExpiryMd) || (!posts && ops.signalsNoPostMd) || stopSignalsMd(ctx, ops) || ops.signalsMd}`
          }`
        : undefined;
  const resume = modules[0]?.resume(ctx);
  const channelServer = protocolTraits(ctx).channels;
  const catchUp = served
    ? served.catchUpMd
    : operations
      ? 'a refetch of the queries it shows'
      : channelServer
        ? `${channelServer.label}'s recovery from the channel's history (a reload over HTTP past its window)`
        : resume?.recoverWithMd
          ? resume.recoverWithMd
          : orderingOf(ctx).by === 'log-id'
            ? `the last entry id it applied (${code('Last-Event-ID')})`
            : resume && resume.cursor === 'refetch'
              ? `${code(resume.event)}${serverIsFixed(ctx) ? '' : ' (the current values)'}`
              : resume
                ? `${code(resume.event)} (${code(resume.cursor)})`
                : 'its last seq';
  const noPolling = rulesOut(ctx, 'polling');
  // Where there is no HTTP data path to fall back to, the standard fallback (poll over HTTP) does not apply:
  // a CRDT document's sync is its only writer, and a provider-held session has nothing on our HTTP.
  const degraded: string[] = [
    stateVectors(ctx)
      ? `Real-time down, HTTP up: edits keep applying to the local document and wait there, as offline edits always do (State synchronization); no HTTP path carries them, since the document's sync is its only writer; on recovery ${catchUp} brings both sides up to date.`
      : ctx.providerDirect
        ? `Provider unreachable or down, our HTTP up: the session lives between the browser and the provider, so nothing of it can move to our HTTP, and text sent to the same provider would fail with it; after 2 failed attempts the page says the assistant is offline and offers a retry, which catches up with ${catchUp}.`
        : noPolling
          ? `Real-time down, HTTP up: the UI shows "live updates paused" and keeps what it has, without polling, which the context rules out: ${quoteOf(noPolling)}; on recovery it catches up with ${catchUp}.`
          : `Real-time down, HTTP up: the standard fallback${note}, catching up with ${catchUp} on recovery.`,
  ];
  if (ctx.capacity.result.pubsubPublishedPerSecond > 0) {
    const bus = ctx.input.analysis.stack.scaling[0]?.name ?? ops.busLabel;
    degraded.push(
      `${code(bus)} down: nodes keep serving their local sockets; ${ctx.capacity.groupDelivery ? 'up to' : 'about'} ${fmt(ctx.capacity.result.pubsubReceivedPerSecond)} cross-node messages/s are lost, so clients resync on recovery (PubSubLag alert).`,
    );
  }
  if (ctx.scenarios.includes('ai-streaming'))
    degraded.push('LLM provider slow or down: `ai:end` with `finishReason: error` after 30 s without a chunk; the partial answer stays visible.');
  if (ctx.scenarios.includes('voice') && !ctx.providerDirect)
    degraded.push(
      'Voice provider unavailable: the page says the assistant is unavailable and offers a retry later; text sent to the same provider would fail with it, so it is no fallback.',
    );
  const audioRule = ctx.scenarios.includes('voice') ? rulesOut(ctx, 'audio') : undefined;
  const fallbackMd = [
    ...ops.fallbackMd({
      sticky: stickySessions(ctx),
      websocketOnly: websocketOnly(ctx) !== undefined,
      fetchStream: fetchStream(ctx),
      proxiedVoice: providersOf(ctx).some((p) => !VOICE[p].mediaOverRtc),
      audioOffOurSideMd: audioRule ? quoteOf(audioRule) : null,
      logOrdered: orderingOf(ctx).by === 'log-id',
      replayRouteMd: replayRouteMd(ctx),
    }),
    ...(profile.frontFailureMd ? [profile.frontFailureMd] : []),
  ];
  return { codes, ...(standardMd ? { standardMd } : {}), degradedMd: degraded, fallbackMd };
}

export function observabilitySection(ctx: DesignCtx, modules: ScenarioModule[]): Plan['observability'] {
  const prefix = snake(ctx.input.analysis.project.name || 'app');
  const m = (name: string) => `${prefix}_${name}`;
  // Pub/sub lag is ours to watch only where our own nodes fan out through it.
  // On a serverless host the host runs and scales the invocations: no instances, sockets or pub/sub of ours to watch.
  const serverless = profileOf(ctx).serverless !== undefined;
  // …and only where messages cross nodes at all (the capacity model routes none for single-recipient answers).
  const multi = ctx.capacity.result.instances > 1 && ctx.capacity.result.pubsubPublishedPerSecond > 0 && profileOf(ctx).ownFanout && !serverless;
  // The standard counters and alerts are in rt-plan's operations note; the plan lists only what
  // depends on this project's figures and names the rest with its prefix.
  const note = ctx.cite.cite(['observability'], 'rt-plan');
  const buffer = bufferMetric(ctx, m);
  // Where a provider, the edge runtime or a serverless host holds the connections, no instance of
  // ours holds them: their count is that platform's dashboard and quota.
  // A client-only repository connects to someone else's server: its instances are not ours to watch either.
  const ownSockets = runsOwnFleet(ctx) && !profileOf(ctx).external;
  const turn = voiceTurnMetric(ctx);
  const metrics = [
    ...(ownSockets
      ? [
          {
            name: m('connections_active'),
            type: 'gauge',
            labels: 'instance',
            whyMd: profileOf(ctx).unmeasured
              ? `against the usable connections per instance that Run 1 of the load test measures (rt-plan's ${fmt(ctx.capacity.result.usablePerInstance)} is a Socket.IO figure, not measured for ${profileOf(ctx).unmeasured!.library})`
              : `against the ${fmt(ctx.capacity.result.usablePerInstance)} usable connections per instance`,
          },
        ]
      : []),
    turn
      ? { name: m(turn.metric), type: 'histogram', labels: 'provider', whyMd: turn.whyMd }
      : {
          name: m('delivery_latency_seconds'),
          type: 'histogram',
          labels: 'event',
          // A CRDT document's frames are binary y-protocols messages with no envelope: no frame carries a send time.
          whyMd: stateVectors(ctx)
            ? 'edit to receipt on a peer: the document frames carry no send time, so production clients cannot report it; measure it in the load test, timing an insert from one editor to its arrival at a peer in the same process (one clock)'
            : (profileOf(ctx).deliveryLatencyMd ??
              (managedProvider(ctx.input)?.peerMessages
                ? `send time to receipt (clients report a sample of 1%): a data message a client publishes reaches no server of ours, so its sender puts its own send time in it (${code('sentAt')}); two browsers' clocks differ, so read the figure with that offset in mind`
                : 'server send time to client receipt (clients report a sample of 1%)')),
        },
    ...(buffer ? [buffer] : []),
    ...(multi ? [{ name: m('pubsub_lag_seconds'), type: 'histogram', labels: '', whyMd: 'publish to delivery on another node' }] : []),
    // A channel server holds the subscriptions: no index of ours to gauge; what it cannot recover is counted instead.
    ...modules.flatMap((mod) =>
      moduleMetrics(mod, ctx)
        .filter((x) => !(protocolTraits(ctx).channels?.metrics.replaces ?? []).includes(x.name))
        .map((x) => ({ ...x, name: m(x.name) })),
    ),
    ...(protocolTraits(ctx).channels?.metrics.add ?? []).map((x) => ({ ...x, name: m(x.name) })),
  ];
  // A provider holds the sockets: no process of ours sees a connection or a frame to count.
  const host = profileOf(ctx).socketHost;
  const standardMd = host
    ? `Connections and messages are counted by ${host.label}, not by a socket of ours: read them from its usage statistics against the plan's quotas (Performance and scaling); clients report ${code(m('reconnects_total'))}${profileOf(ctx).noServer ? '' : ' and our routes count the requests they refuse'}. The default targets for average latency, delivery success and loss across a reconnect are in the note${note}.`
    : ctx.providerDirect
      ? // Audio and events go between the browser and the provider: no socket of ours sees a frame to count.
        `No socket of ours carries the calls, so there are no message counters of ours: the provider's usage dashboard counts sessions and minutes; clients report ${code(m('reconnects_total'))} and the token route counts the requests it refuses.`
      : `Also the standard counters, their alerts and the default targets for average latency, delivery success and loss across a reconnect${note}: ${['connections_total', 'messages_in_total', 'messages_out_total', 'rejected_messages_total', 'reconnects_total'].map((x) => code(m(x))).join(', ')}.`;
  // The standard counters count frames and reconnects of ours: a library-owned answer stream has neither.
  const ownCounters = sdkOwned(ctx) === null;
  // "back and resubscribed within 10 s (p95)" times a recovery, not a delivery: it sets the recovery row.
  const recovery = statedRecovery(ctx.input.sessions.requirements.filter((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'latency'));
  const latency = deliveryLatencyOf(ctx);
  const slos = [
    turn
      ? turn.slo(latency, m(turn.metric))
      : latency
        ? {
            name: `Delivery latency p${fmt(latency.percentile ?? 95)}`,
            target: `< ${fmt(latency.value)} ms`,
            sourceMd: `context: "${text(latency.sentence)}" (${code(latency.evidence)})`,
          }
        : { name: 'Delivery latency p95', target: '< 100 ms', sourceMd: `${defaultSource(ctx, false)} (assumption: the context states none)` },
    // A library that owns the answer stream does not reconnect: there is no recovery time to hold.
    ...(sdkOwned(ctx)
      ? []
      : [
          recovery
            ? {
                name: `Connection recovery p${fmt(recovery.percentile ?? 95)}`,
                target: `< ${fmt(recovery.value)} ms, counted from when the drop is noticed`,
                sourceMd: `context: "${text(recovery.sentence)}" (${code(recovery.evidence)})`,
              }
            : {
                name: 'Connection recovery',
                target: `< 2 s for 95% of drops, counted from when ${iceWaitMs(ctx) ? 'a new session is started' : 'the drop is noticed'}`,
                // A self-reconnecting SDK runs its own schedule: our full-jitter arithmetic would not describe it.
                sourceMd: reconnectsItself(ctx)
                  ? `${defaultSource(ctx)}; ${libraryRecoveryMd(ctx) ?? "the client library's own reconnect schedule decides it, so measure it in the load test"}`
                  : `${defaultSource(ctx)}. ${recoveryMd(ctx)}`,
              },
        ]),
    ...scenarioSlos(ctx),
  ];
  const p95 = latency ? latency.value : 100;
  // No page on a latency production cannot measure (a CRDT document's frames carry no send time).
  const latencyAlert = turn || !stateVectors(ctx);
  const alerts = [
    ...(latencyAlert
      ? [
          {
            name: 'LatencySLOBurn',
            conditionMd: turn
              ? `p${fmt(latency?.percentile ?? 95)} of ${code(m(turn.metric))} > ${fmt(turn.limitMs(latency?.value))} ms for 10 min`
              : `p${fmt(latency?.percentile ?? 95)} of ${code(m('delivery_latency_seconds'))} > ${fmt(p95)} ms for 10 min`,
            severity: 'page',
          },
        ]
      : []),
    ...(ownSockets
      ? [
          {
            name: 'InstanceNearCapacity',
            conditionMd: profileOf(ctx).unmeasured
              ? `${code(m('connections_active'))} > 70% of the per-instance figure Run 1 of the load test measured, on any instance for 5 min`
              : `${code(m('connections_active'))} > ${fmt(ctx.capacity.result.usablePerInstance)} on any instance for 5 min`,
            severity: 'ticket',
          },
        ]
      : []),
    ...(buffer
      ? [
          {
            name: 'SlowConsumers',
            conditionMd: `more than 1% of sockets with ${code(buffer.name)} > ${opsProfile(opsKind(ctx)).buffer?.packets ? `${fmt(bufferLimits(ctx).softPackets)} packets` : slowConsumerBytesMd(ctx)}`,
            severity: 'ticket',
          },
        ]
      : []),
    ...(multi ? [{ name: 'PubSubLag', conditionMd: `p99 of ${code(m('pubsub_lag_seconds'))} > 100 ms for 5 min`, severity: 'page' }] : []),
  ];
  const sinkMd = profileOf(ctx).metricsSinkMd;
  return { metrics, standardMd: ownCounters ? standardMd : '', ...(sinkMd ? { sinkMd } : {}), slos, alerts };
}

const MIB = 1024 * 1024;

/**
 * The send-buffer reading that flags a slow consumer: 1 MiB, or half the cap the server library
 * enforces when that cap is lower (the profile's sendBufferCap: past it the library drops or
 * closes, so an alert at the cap itself could never fire).
 */
function slowConsumerBytesMd(ctx: DesignCtx): string {
  const cap = profileOf(ctx).sendBufferCap;
  const limits = bufferLimits(ctx);
  if (!cap || cap.bytes / 2 >= limits.softBytes) return limits.softMd;
  const half = cap.bytes / 2;
  const size = half % MIB === 0 ? `${fmt(half / MIB)} MiB` : half % 1024 === 0 ? `${fmt(half / 1024)} KiB` : `${fmt(half)} bytes`;
  return `${size} (half ${cap.optionMd}, where the library drops or closes)`;
}

/**
 * Slow-consumer thresholds. Socket.IO exposes queued packets (`socket.conn.writeBuffer.length`),
 * not bytes, so its thresholds are packet counts: the byte limits divided by the average payload.
 */
export interface BufferLimits {
  softBytes: number;
  hardBytes: number;
  softPackets: number;
  hardPackets: number;
  /** "1 MiB", or "4.5 KiB" sized from a stated per-client bandwidth. */
  softMd: string;
  hardMd: string;
  /** Where the thresholds come from, when not the defaults: a sentence to follow them. */
  limitsWhyMd?: string;
  /**
   * Some event of the plan may be dropped under load (typing, cursors, positions: the Core design's
   * droppable objects). False: every event is part of what the client must see (chunks of an
   * answer, notifications), so a slow consumer's events are queued or coalesced, never skipped.
   */
  droppable: boolean;
}

/** 1048576 → "1 MiB", 4608 → "4.5 KiB". */
function sizeMd(bytes: number): string {
  if (bytes >= MIB) return `${fmt(round(bytes / MIB, 1))} MiB`;
  return bytes >= 1024 ? `${fmt(round(bytes / 1024, 1))} KiB` : `${fmt(bytes)} bytes`;
}

/**
 * Slow-consumer thresholds: 1 MiB to shed droppable events and 4 MiB to disconnect, or, where the
 * context caps what one client may receive per second, the latency target's worth of that link to
 * shed and 5 s of it to disconnect: on a 30 KB/s link 1 MiB is half a minute of stale data.
 */
export function bufferLimits(ctx: DesignCtx): BufferLimits {
  const payload = Math.max(1, ctx.capacity.values.payloadBytes);
  const bw = ctx.capacity.workload?.budgets.find((b) => b.unit === 'B/s per client');
  const latency = ctx.capacity.workload?.latency;
  const soft = bw ? Math.max(4 * payload, Math.round((bw.value * (latency?.value ?? 1000)) / 1000)) : MIB;
  const hard = bw ? Math.max(4 * soft, bw.value * 5) : 4 * MIB;
  const of = bw ? ` of the stated ${fmt(round(bw.value / 1024, 1))} KB/s per client` : '';
  return {
    softBytes: soft,
    hardBytes: hard,
    softPackets: Math.ceil(soft / payload),
    hardPackets: Math.ceil(hard / payload),
    softMd: bw ? sizeMd(soft) : '1 MiB',
    hardMd: bw ? sizeMd(hard) : '4 MiB',
    // A CRDT document's awareness messages (cursors, selections) are state a later one replaces.
    droppable: coreOf(ctx).objects.some((o) => o.decision.delivery === 'droppable') || stateVectors(ctx),
    ...(bw
      ? {
          limitsWhyMd: ` The thresholds are ${latency ? `${fmt(latency.value)} ms` : '1 s'} and ${fmt(hard / bw.value)} s${of} (${code(bw.evidence)}): on that link 1 MiB would be ${fmt(Math.round(MIB / bw.value))} s of stale updates.`,
        }
      : {}),
  };
}

function bufferMetric(ctx: DesignCtx, m: (name: string) => string): { name: string; type: string; labels: string; whyMd: string } | null {
  // The library's stream is pulled by the runtime: no send buffer of ours (see Backpressure).
  if (sdkOwned(ctx) || profileOf(ctx).external) return null;
  const b = opsProfile(opsKind(ctx)).buffer;
  return b ? { name: m(b.metric), type: 'histogram', labels: '', whyMd: profileOf(ctx).bufferWhyMd ?? b.whyMd } : null;
}

/** Object kinds a droppable stream of the workload carries. */
const STREAM_KINDS: Record<string, ObjectKind> = { positions: 'pointer', drag: 'pointer', typing: 'typing', presence: 'presence' };

/**
 * The events of a droppable stream when the code only ever receives them (every event of its
 * objects goes server to client); null when the client sends any, or the code shows none.
 */
export function receivedOnly(ctx: DesignCtx, kind: string): string[] | null {
  const k = STREAM_KINDS[kind];
  if (!k) return null;
  const events = coreOf(ctx)
    .objects.filter((o) => o.kind === k && o.origin === 'code')
    .flatMap((o) => o.events);
  if (events.length === 0 || events.some((e) => e.direction !== 'server-to-client')) return null;
  return [...new Set(events.map((e) => e.name))];
}

/** The code's own check of a socket's queued bytes: the thresholds go there, not into a second check. */
function existingCheckMd(ctx: DesignCtx, l: BufferLimits): string {
  const check = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'buffer-check');
  return check
    ? ` The code already reads ${code(check.name)} where it sends (${code(check.evidence)}): keep that check and give it these thresholds (${l.softMd} and ${l.hardMd}) rather than adding a second one.`
    : '';
}

/**
 * The coalescing of the droppable stream below, as figures (Performance and scaling's rows, the
 * load test): null where this section does not coalesce it every window (the provider, the AI SDK
 * or the server's owner fans it out; a per-client budget conflates instead; a step already
 * coalesces the broadcasts) or where coalescing lowers nothing.
 */
export function droppableCoalescedOf(ctx: DesignCtx): DroppableCoalesced | null {
  if (ctx.providerDirect || sdkOwned(ctx) || profileOf(ctx).external || ctx.capacity.coalesced) return null;
  return coalescedDroppable(
    ctx.capacity,
    (ctx.capacity.workload?.budgets ?? []).some((b) => b.unit === 'B/s per client'),
  );
}

/** Backpressure notes (index.ts should call this instead of its own `backpressure()`). */
export function backpressureNotes(ctx: DesignCtx): string[] {
  // Media and provider events never pass through our server: there is no send buffer of ours to watch.
  if (ctx.providerDirect)
    return [
      agentOnly(providersOf(ctx))
        ? "Audio and provider events flow between the browser and the provider; our server only answers token requests and action calls, so backpressure is the provider SDK's concern. Keep the per-user token rate limit as the only inbound bound."
        : `Audio and provider events flow between the browser and the provider, and tool calls are handled in the page; for the calls, our server only answers token requests and the batched session events of the Metrics step (and any HTTP route a tool calls, sized with that route), so backpressure is the provider SDK's concern. Bound what comes in with the token route's ${noSignInFound(ctx) ? 'per-IP' : 'per-user'} rate limit, and the same limit on the metrics endpoint.`,
    ];
  const sdk = sdkOwned(ctx);
  if (sdk) return [sdkBackpressureMd(sdk)];
  const l = bufferLimits(ctx);
  // The server is someone else's: its send buffers are its owner's; the client bounds only what it sends.
  const external = profileOf(ctx).external;
  if (external) {
    const own = (ctx.capacity.workload?.streams ?? []).filter((x) => x.droppable);
    return [
      "The server that fans messages out is not in this repository: watching its send buffers and shedding slow consumers is its owner's job, so ask its owner what it drops or disconnects.",
      ...own.map((x) => {
        const rate = publishedMd(ctx.capacity.workload, x, ctx.capacity.values.connections);
        const received = receivedOnly(ctx, x.kind);
        // A stream the code only receives is the server's to send: the client bounds what it renders.
        return received
          ? `${list(received.map((e) => code(e)))} (${rate}) only arrive${received.length === 1 ? 's' : ''} from the server: apply ${received.length === 1 ? 'it' : 'them'} to the rendered state at most once per animation frame, keeping the latest value per sender in a plain map between frames, so the page re-renders at most about 60 times a second however fast messages arrive.`
          : `Send ${x.kind} (${rate}) from the client at most every 50 ms, latest value only: the server then has that much less to fan out.`;
      }),
    ];
  }
  const watch = profileOf(ctx).backpressureMd ?? opsProfile(opsKind(ctx)).backpressureMd;
  const noBuffer = profileOf(ctx).noBufferMd;
  const first = watch
    ? [
        watch({
          ...l,
          payloadBytes: ctx.capacity.values.payloadBytes,
          fetchStream: fetchStream(ctx),
          sendsMd: serverSendsMd(ctx),
          framework: ctx.layout.framework,
        }) + existingCheckMd(ctx, l),
      ]
    : noBuffer
      ? [noBuffer]
      : [];
  // Coalescing is advice for the droppable streams the context states (cursors, typing, drags), by name.
  const droppable = (ctx.capacity.workload?.streams ?? []).filter((x) => x.droppable);
  // A per-client bandwidth budget sizes the interval per client (the conflation row of Performance
  // and scaling); a fixed 50 ms next to it would be a second, contradicting figure.
  const perClient = (ctx.capacity.workload?.budgets ?? []).some((b) => b.unit === 'B/s per client');
  const coalesce = droppable.map((x) =>
    perClient
      ? `Conflate ${x.kind} (${publishedMd(ctx.capacity.workload, x, ctx.capacity.values.connections)}) per entity and client at the conflation interval N of the table above, newest value only, and send them as droppable: they carry no seq, so a lost one is simply superseded by the next.`
      : `Coalesce ${x.kind} (${publishedMd(ctx.capacity.workload, x, ctx.capacity.values.connections)}) per ${x.scope && !x.scope.room ? x.scope.noun : 'room'} into one message every ${fmt(COALESCE_WINDOW_MS)} ms, latest value only, and send them as droppable: they carry no seq, so a lost one is simply superseded by the next.`,
  );
  return [...first, ...isolationNotes(ctx), ...batchNotes(ctx), ...coalesce, ...clientThrottleNotes(ctx), ...joinStormNotes(ctx)];
}

/**
 * Where the server coalesces a droppable stream that each user sends faster than one per window
 * (30 positions a second against a 50 ms window), the client's own send is throttled to the window
 * too: the room keeps only the latest value per window, so the rest is work the room's single
 * thread does for nothing. Named at the sends the code has (model fact `client-send`).
 */
function clientThrottleNotes(ctx: DesignCtx): string[] {
  // Only where a droppable stream is stated (the coalescing above): nothing to throttle otherwise.
  if (!(ctx.capacity.workload?.streams ?? []).some((x) => x.droppable) || !ctx.capacity.sources) return [];
  const d = droppableCoalescedOf(ctx);
  if (!d) return [];
  const perWindow = 1000 / COALESCE_WINDOW_MS;
  const stream = (ctx.capacity.workload?.streams ?? []).find((x) => x.droppable && !x.inbound && x.kind === d.kind);
  if (!stream || !stream.perUser || !(stream.rate > perWindow)) return [];
  const droppable = new Set(
    coreOf(ctx)
      .objects.filter((o) => o.decision.delivery === 'droppable')
      .flatMap((o) => o.events.filter((e) => e.direction !== 'server-to-client').map((e) => e.name)),
  );
  const sends = (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'client-send' && droppable.has(f.name));
  if (sends.length === 0) return [];
  const room = ctx.capacity.workload?.largestRoom ?? ctx.capacity.workload?.room ?? null;
  const inMd = room
    ? `, and what a full ${d.noun} of ${fmt(room.value)} takes in from ${fmt(round(room.value * stream.rate, 2))} msg/s to ${fmt(room.value * perWindow)} msg/s (\`${fmt(room.value)} × ${fmt(perWindow)}/s\`)`
    : '';
  return [
    `Throttle the client's send of ${list(sends.map((f) => `${code(f.name)} (${code(f.evidence)})`))} to one per ${fmt(COALESCE_WINDOW_MS)} ms (or one per animation frame, whichever is less often), keeping only the latest value: the server keeps only the latest value per window anyway, so this takes what each client sends from the stated ${fmt(stream.rate)}/s to ${fmt(perWindow)}/s${inMd}.`,
  ];
}

/** The batch window of a room's single holder: one frame per 100–200 ms (rt-plan's design choice). */
const BATCH_WINDOWS_MS = [100, 200] as const;

/**
 * The largest room on a single-threaded holder that sends each message to every member: where it
 * takes in more messages per second than the frames one window sends, it batches them.
 */
function batchNotes(ctx: DesignCtx): string[] {
  const batch = profileOf(ctx).batchMd;
  const w = ctx.capacity.workload;
  if (!batch || !w?.largestRoom || w.streams.every((x) => x.inbound)) return [];
  const size = w.largestRoom.value;
  const ratePerUser = round(w.scopedPeak ? w.scopedPeak.rate : ctx.capacity.values.msgRate / Math.max(1, ctx.capacity.values.connections), 4);
  const inPerSecond = round(size * ratePerUser, 2);
  if (!(inPerSecond > 1000 / BATCH_WINDOWS_MS[1])) return [];
  const typing = ctx.input.sessions.requirements.some((r) => r.kind === 'feature' && r.feature === 'typing');
  return [
    batch({
      size,
      inPerSecond,
      ratePerUser,
      sends: Math.round(inPerSecond * size),
      windowsMs: BATCH_WINDOWS_MS,
      batched: [Math.round((size * 1000) / BATCH_WINDOWS_MS[0]), Math.round((size * 1000) / BATCH_WINDOWS_MS[1])],
      typing,
    }),
  ];
}

/**
 * The context's must-not against a large room holding up smaller ones, where each room has a
 * holder of its own: the largest room's deliveries at its peak rate, on its own holder.
 */
function isolationNotes(ctx: DesignCtx): string[] {
  const iso = profileOf(ctx).isolationMd;
  const r = contextStates(ctx, 'roomIsolation');
  const w = ctx.capacity.workload;
  if (!iso || !r || !w?.largestRoom) return [];
  const n = w.largestRoom.value;
  const rate = w.scopedPeak ? w.scopedPeak.rate : ctx.capacity.values.msgRate / Math.max(1, ctx.capacity.values.connections);
  return [`${iso(n, w.room?.value ?? null, Math.round(n * rate * n))} This is how the plan meets ${quoteOf(r)}.`];
}

/** The stated delivery latency (a recovery time such as "back within 10 s" is not one), if any. */
export function deliveryLatencyOf(ctx: Pick<DesignCtx, 'input'>): NumberRequirement | undefined {
  const latencies = ctx.input.sessions.requirements.filter((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'latency');
  const recovery = statedRecovery(latencies);
  return latencies.find((r) => r !== recovery);
}

/** The percentile the delivery SLO is stated at (95 where the context names none): a load test passes on the same one. */
export function deliveryPercentileOf(ctx: Pick<DesignCtx, 'input'>): number {
  return deliveryLatencyOf(ctx)?.percentile ?? 95;
}

/** rt-plan's default recovery target, 2 s (the Connection recovery row). */
const RECOVERY_DEFAULT_MS = 2_000;

/** What a self-reconnecting client's default schedule makes of the 2 s recovery target, where rt-plan knows that schedule. */
function libraryRecoveryMd(ctx: DesignCtx): string | null {
  const d = libraryReconnect(ctx);
  if (!d) return null;
  const share = libraryShareWithin(d, RECOVERY_DEFAULT_MS);
  const within =
    share === 0
      ? 'no drop retries within 2 s'
      : share === 1
        ? 'every drop retries within 2 s'
        : `only about ${fmt(Math.round(share * 100))}% of drops retry within 2 s`;
  const fix =
    share >= 0.95
      ? 'measure it in the load test'
      : `to meet the target, set ${code(d.minOption)} below 2 s in the client's options, drawn per client (for example ${code(`${d.minOption}: 500 + Math.random() * 1000`)}) so that the clients of a restarted instance still arrive spread out (Reconnect storm), or relax the target; measure it in the load test`;
  return `${libraryFirstDelayMd(d)}, so ${within} with these defaults: ${fix} (${d.sourceMd})`;
}

/** The signals where the client's reconnect loop stops only on a close code: the auth refusal is that close. */
function stopSignalsMd(ctx: DesignCtx, ops: OpsProfile): string | null {
  const stop = clientStopCode(ctx.input.analysis);
  return stop && ops.signalsStopMd ? ops.signalsStopMd(stop.codeMd, stop.atMd) : null;
}
