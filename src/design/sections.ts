// The descriptive sections: Context, Current state, Communication requirements, State
// synchronization and References. They restate what was found with its evidence, and say
// plainly when nothing was found instead of filling the gap with invented facts.
import { gateLibrary } from './profiles/handshake-gates.js';
import { words } from './core/names.js';
import { modelFactsView, noneFoundMd, OFFLINE_DELIVERY } from './model-facts.js';
import type { DocRef, ModelFact, NumberRequirement } from '../types.js';
import type { DesignCtx } from './context.js';
import { agentOnly } from './profiles/voice.js';
import { providersOf } from './scenarios/voice-providers.js';
import { idOf } from './scenarios/voice.js';
import { statedBytesMd, type InputSource } from './capacity.js';
import type { Plan, Row } from './types.js';
import { managedProvider, type ResumeSpec, type ScenarioModule } from './scenarios/kit.js';
import { OPTION_LABEL } from './transport.js';
import { MODULES, seqless, snapshotVersioned } from './scenarios/index.js';
import { orderingOf, recordOrdered } from './ordering.js';
import { recordEventsMd } from './record-version.js';
import { authMd, code, fmt, list, text, cmp } from './md.js';
import { FEATURES, gate } from './profiles/versions.js';
import { defaultSource, REPLAY_LOG_MD } from './defaults.js';
import { diagnoseProblems } from './problems.js';
import { describeRequirement } from '../context/facts.js';
import { protocolTraits } from './profiles/protocol.js';
import { tableFeedOf, type TableFeed } from './profiles/table-feed.js';
import { profileOf } from './profiles/index.js';
import { managedRecoveryMd, policyKind } from './connection-providers.js';
import { contextStates, quoteOf, serverIsFixed, statedMust } from './constraints.js';
import { coreOf } from './core/context.js';
import { instanceFeed } from './feed.js';
import { eventSourceCatchUpMd } from './stream-resume.js';
import { clientWriteOf } from './scenarios/subscriptions.js';
import { asksForChat, shownBy } from './scenarios/roles.js';
import { oncePerFindings } from './once-per.js';
import { readMarkerNames, readMarkerOf, readMarkerSyncMd } from './scenarios/read-markers.js';
import { connectionBucket } from './security.js';
import { skippedGeneratedFiles } from '../shared/warnings.js';

export function contextSection(ctx: DesignCtx, assumptions: string[]): Plan['context'] {
  const requirements = ctx.input.sessions.requirements.map((r) => ({
    label:
      r.kind === 'number'
        ? `${r.metric}: ${r.unit === 'bytes' ? statedBytesMd(r) : `${fmt(r.value)} ${r.unit}`}${rateScopeMd(ctx, r)}${r.percentile ? ` (p${fmt(r.percentile)})` : ''}${r.metric === 'subscriptions' && r.bound === 'max' ? ' (max)' : ''}${r.later ? `, ${fmt(r.later.value)} ${r.later.when}` : ''}`
        : describeRequirement(r),
    sentence: r.sentence,
    evidence: r.evidence,
    addressedIn: '',
  }));
  return { sessionFiles: [...ctx.input.sessions.files], requirements, notAddressed: [], assumptionsMd: assumptions };
}

/**
 * A rate stated per room or per entity says so; where the same sentence also states the total
 * ("16 per minute per store, about 4,800 per minute chain-wide"), the two are one traffic counted
 * twice, and the scoped one says which total it is part of.
 */
function rateScopeMd(ctx: DesignCtx, r: NumberRequirement): string {
  if (r.metric !== 'message-rate' || (!r.perRoom && !r.perEntity)) return '';
  const scope = ` per ${r.perEntity ?? 'room'}`;
  const total = ctx.input.sessions.requirements.find(
    (x): x is NumberRequirement =>
      x.kind === 'number' && x.metric === 'message-rate' && x.evidence === r.evidence && !x.perRoom && !x.perEntity && x.unit === r.unit,
  );
  return total ? `${scope}, part of the ${fmt(total.value)} ${total.unit} total the same sentence states` : scope;
}

export function hasRealtime(ctx: Pick<DesignCtx, 'input'>): boolean {
  const s = ctx.input.analysis.stack;
  return s.transports.length + s.libraries.length + s.entrypoints.length + s.providers.length + ctx.input.analysis.events.length > 0;
}

export function currentStateSection(ctx: DesignCtx): Plan['currentState'] {
  const { stack, project } = ctx.input.analysis;
  // The audit's findings, and a handler counting a repeat the context says happens once (once-per.ts).
  const findings = [...ctx.input.analysis.findings, ...oncePerFindings(ctx)];
  const has = hasRealtime(ctx);
  // A package whose only code is a bundle or generated output (skipped by the analyzer) has no
  // code read at all: what the code does is unknown, not absent.
  const unread = project.sourceFiles.length === 0 ? skippedGeneratedFiles(ctx.input.analysis.warnings) : [];
  const notReadMd = 'not known: rt-plan read none of the code (see above)';
  // A finding's fix in the project's own runtime and library, where the profile has one.
  const fixes = profileOf(ctx).findingFixMd;
  const rows: Row[] = [];
  for (const l of [...stack.libraries].sort((a, b) => cmp(a.name, b.name))) {
    rows.push({
      label: `${l.kind === 'library' ? 'Library' : l.kind === 'provider' ? 'Provider SDK' : l.kind === 'scaling' ? 'Scaling' : 'Framework'} (${l.role})`,
      valueMd: `${code(l.name)} ${l.version ? text(l.version) : 'version unknown'}${l.declared && l.declared !== l.version ? ` (declared ${text(l.declared)})` : ''}`,
      sourceMd: text(l.evidence),
    });
  }
  for (const fw of stack.frameworks)
    rows.push({ label: 'Framework', valueMd: `${code(fw.name)} ${fw.version ? text(fw.version) : ''}`.trim(), sourceMd: text(fw.evidence) });
  const own = profileOf(ctx).selfHostedServer;
  for (const p of stack.providers)
    rows.push({
      label: own && own.label.toLowerCase() === p ? 'Real-time server (the project runs it; rt-plan does not model it)' : 'Managed provider',
      valueMd: code(p),
      sourceMd: 'stack detection',
    });
  for (const sc of stack.scaling) rows.push({ label: 'Scaling piece', valueMd: code(sc.name), sourceMd: text(sc.evidence) });
  for (const a of stack.auth)
    rows.push({
      label: 'Connection auth',
      valueMd: authMd(a.kind, !profileOf(ctx).external, profileOf(ctx).mintedCredentialMd),
      sourceMd: a.evidence ? text(a.evidence) : 'not located',
    });
  if (stack.authGate && !ctx.input.analysis.findings.some((f) => f.id === 'shared-secret-fails-open'))
    rows.push({
      label: 'Handshake check',
      valueMd:
        gateLibrary(stack.authGateFrom)?.rowMd(stack.authGateProperty) ?? 'set up; what it verifies (a user, or only the Origin) is not classified by rt-plan',
      sourceMd: text(stack.authGate),
    });
  const socketIoServer = stack.entrypoints.some((e) => e.kind === 'socket-server');
  const sio = stack.libraries.find((l) => l.name === FEATURES.socketIoV4Heartbeat.library);
  const sioGate = gate(FEATURES.socketIoV4Heartbeat, sio);
  const pingTimeout = stack.heartbeat.pingTimeoutMs;
  const beat = stack.heartbeat.intervalMs
    ? `present, ${fmt(stack.heartbeat.intervalMs)} ms (configured)${pingTimeout !== undefined ? `, pingTimeout ${fmt(pingTimeout)} ms (configured)` : ''}`
    : socketIoServer
      ? pingTimeout !== undefined
        ? `present: pingInterval 25,000 ms (Socket.IO default), pingTimeout ${fmt(pingTimeout)} ms (configured)`
        : sioGate.kind === 'too-old'
          ? `present: Socket.IO's built-in ping, not configured; its pingTimeout default is the engine.io release's that ${code('socket.io')} ${text(sioGate.version)} installs (60,000, 5,000 or 20,000 ms across releases), not v4's 20,000 ms`
          : 'present: Socket.IO default (pingInterval 25,000 ms, pingTimeout 20,000 ms), not configured'
      : 'present';
  const timed = stack.heartbeat.timedSend;
  rows.push({
    label: 'Heartbeat',
    valueMd: stack.heartbeat.present
      ? beat
      : unread.length > 0
        ? notReadMd
        : has && timed
          ? `none recognised; the server sends ${code(timed.name)} on a timer${timed.intervalMs ? ` every ${fmt(timed.intervalMs)} ms` : ''}, unasked, which rt-plan does not recognise as a heartbeat`
          : has
            ? noneFoundMd(ctx.input.analysis)
            : 'n/a',
    sourceMd: stack.heartbeat.evidence ? text(stack.heartbeat.evidence) : timed ? text(timed.evidence) : '—',
  });
  rows.push({
    label: 'Reconnection',
    valueMd: stack.reconnect.present
      ? `present${stack.reconnect.backoff ? ', backoff' : ''}${stack.reconnect.jitter ? ', jitter' : stack.reconnect.present ? ', no jitter' : ''}`
      : unread.length > 0
        ? notReadMd
        : has
          ? noneFoundMd(ctx.input.analysis)
          : 'n/a',
    sourceMd: stack.reconnect.evidence ? text(stack.reconnect.evidence) : '—',
  });
  // A browser that talks to a voice model captures and plays the audio itself: say when the code does neither yet.
  const audio = (ctx.input.analysis.modelFacts ?? []).some((f) => f.kind === 'audio-capture' || f.kind === 'audio-context');
  if (ctx.providerDirect && !agentOnly(providersOf(ctx)) && !audio)
    rows.push({
      label: 'Audio capture and playback',
      valueMd:
        "**none found**: no `getUserMedia` or `AudioContext` in the code, so capturing the microphone and playing the model's audio are still to be built",
      sourceMd: '—',
    });
  rows.push({
    label: 'Project',
    valueMd: `${code(project.name || '(unnamed)')}, ${project.typescript ? 'TypeScript' : 'JavaScript'}, ${fmt(project.sourceFiles.length)} source files, ${fmt(project.packages.length)} package${project.packages.length === 1 ? '' : 's'}${project.packageManager ? `, ${project.packageManager}` : ''}`,
    sourceMd: project.packages.map((p) => text(p.manifest)).join(', ') || '—',
  });
  const statementMd =
    unread.length > 0
      ? `rt-plan read none of the project's code: its ${fmt(unread.length)} source file${unread.length === 1 ? ' is' : 's are'} bundled or generated and ${unread.length === 1 ? 'was' : 'were'} skipped (${list(unread.slice(0, 3).map((f) => code(f)))}${unread.length > 3 ? ', …' : ''}). Its events, heartbeat, reconnection and audit are not known; this plan is written from the manifest and the context.`
      : has
        ? `The project already does real-time work over ${stack.transports.length > 0 ? list(stack.transports.map((t) => OPTION_LABEL[t])) : 'provider SDKs'}, with ${fmt(ctx.input.analysis.events.length)} event${ctx.input.analysis.events.length === 1 ? '' : 's'} found in code and ${fmt(findings.length)} finding${findings.length === 1 ? '' : 's'}. This plan extends it rather than replacing it.`
        : `**No real-time code was found** in the ${fmt(project.sourceFiles.length)} source files scanned: no WebSocket, Socket.IO, SSE or WebRTC library, entry point or event. This plan starts from scratch and does not assume any existing transport.`;
  return {
    hasRealtime: has,
    ...(unread.length > 0 ? { unreadCode: unread } : {}),
    statementMd,
    stack: rows,
    entrypoints: [...stack.entrypoints].sort((a, b) => cmp(a.file, b.file) || a.line - b.line).map((e) => ({ file: e.file, line: e.line, kind: e.kind })),
    problems: diagnoseProblems(ctx),
    ...factsView(ctx),
    findings: [...findings]
      .sort((a, b) => sev(a.severity) - sev(b.severity) || cmp(a.evidence, b.evidence))
      .map((f) => ({ id: f.id, severity: f.severity, message: f.message, evidence: f.evidence, fix: `${fixes?.[f.id] ?? f.fix}${findingMeetsMd(ctx, f.id)}` })),
  };
}

/**
 * The musts a finding's fix meets: taking who sent a message from the verified identity, not the
 * payload, is how a plan shows "names we know, not names a browser made up".
 */
const FIX_MEETS: Readonly<Record<string, RegExp>> = {
  'identity-from-payload':
    /\b(?:names?|identit(?:y|ies)|who)\b[^.;]{0,80}\b(?:browsers?|clients?|made up|forg\w*|spoof\w*|fake\w*)\b|\b(?:browsers?|clients?)\b[^.;]{0,40}\b(?:made up|forg\w*|spoof\w*|fake\w*)\b/i,
};

/** What the fix makes true, said before the quoted must. */
const FIX_MEETS_MD: Readonly<Record<string, string>> = {
  'identity-from-payload': 'Names shown then come only from the verified identity, never from what a browser sends',
};

function findingMeetsMd(ctx: DesignCtx, id: string): string {
  const term = FIX_MEETS[id];
  const must = term ? statedMust(ctx, term) : undefined;
  return must ? ` ${FIX_MEETS_MD[id]}, as the context requires: ${quoteOf(must)}.` : '';
}

/** What the code shows, for Current state and for the causes the steps link: one computation per plan. */
const viewed = new WeakMap<DesignCtx, ReturnType<typeof modelFactsView>>();
function factsView(ctx: DesignCtx): ReturnType<typeof modelFactsView> {
  let v = viewed.get(ctx);
  if (!v)
    viewed.set(
      ctx,
      (v = modelFactsView(ctx.input.analysis, runningFleet(ctx), offlineAsk(ctx), instanceFeed(ctx.input), ctx.scenarios.includes('ai-streaming'))),
    );
  return v;
}

/**
 * Every place in the code Current state names as a cause to change: the causes each reported
 * problem's diagnosis names, and a model fact whose fix the context asks for. The steps link each
 * to the step that changes its file (steps.ts), so none is diagnosed and then left unfixed.
 */
export function causeTargets(ctx: DesignCtx): { path: string; line: string; fixMd: string; finding?: string; forMd: string }[] {
  const problems = diagnoseProblems(ctx).flatMap((d) => d.targets.map((t) => ({ ...t, forMd: `the reported problem at ${code(d.evidence)}` })));
  const facts = factsView(ctx).modelFacts.flatMap((f) => {
    if (!f.fixMd) return [];
    const path = f.evidence.replace(/:\d+$/, '');
    return [{ path, line: f.evidence.slice(path.length + 1), fixMd: f.fixMd, forMd: 'What the code shows' }];
  });
  return [...problems, ...facts];
}

/** The session sentence asking that offline users get events later, when one does and does not rule it out. */
function offlineAsk(ctx: DesignCtx): { sentence: string; evidence: string } | undefined {
  const r = ctx.input.sessions.requirements.find(
    (x) => OFFLINE_DELIVERY.test(x.sentence) && !/\b(?:out of scope|not (?:needed|required)|no need)\b/i.test(x.sentence),
  );
  return r ? { sentence: r.sentence, evidence: r.evidence } : undefined;
}

/** The instances the context says run today, when it states a count and our own processes hold the sockets. */
function runningFleet(ctx: DesignCtx): { value: number; evidence: string } | undefined {
  const r = ctx.input.sessions.requirements.find((x): x is NumberRequirement => x.kind === 'number' && x.metric === 'instances' && !x.unreadable);
  // "we will run 3 pods", "planning 4 instances": a fleet to come, not one that splits the state today.
  // "It runs today on a single task; we are moving to 3 tasks": a move, not the fleet of today.
  if (
    !r ||
    r.value <= 1 ||
    /\b(?:will|would|plan(?:s|ned|ning)?|want|going to|could|might|later|next|eventually|soon|moving to|migrating to|move to|scal(?:e|ing)(?:[- ](?:out|up))? to)\b/i.test(
      r.sentence,
    )
  )
    return undefined;
  return { value: Math.round(r.value), evidence: r.evidence };
}

function sev(s: string): number {
  return ['critical', 'high', 'medium', 'low', 'info'].indexOf(s);
}

export function sourceMd(s: InputSource): string {
  if (s.kind === 'flag') return `flag ${code(s.flag)}`;
  if (s.kind === 'context') return `context: "${text(s.sentence)}" (${code(s.evidence)})${s.note ? `; ${text(s.note)}` : ''}`;
  if (s.kind === 'code' && s.basis === 'broadcast') return `the code (${list(s.evidence.map(code))}): ${text(s.note)}`;
  if (s.kind === 'code') return `estimated from ${list(s.evidence.map(code))} payload shape${s.evidence.length > 1 ? 's' : ''}: ${s.note}`;
  return `default (assumption, see Context)${s.note ? `; ${text(s.note)}` : ''}${s.noteMd ? `; ${s.noteMd}` : ''}`;
}

export function communicationSection(ctx: DesignCtx, modules: ScenarioModule[]): Plan['communication'] {
  const v = ctx.capacity.values;
  const src = ctx.capacity.sources;
  // A scenario is bidirectional here only when it sends something in this plan (on an EventSource
  // wire, subscriptions ride on the stream's URL and send nothing).
  const sending = modules.filter(
    (m) => m.needs.bidirectional && (protocolTraits(ctx).clientSends || m.events(ctx).some((e) => e.direction !== 'server-to-client')),
  );
  const bidi = sending.length > 0;
  const latency = ctx.input.sessions.requirements.find((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'latency');
  // A provider holds the sockets: what clients send on its channels goes to it, never to a server of ours.
  const host = profileOf(ctx).socketHost;
  // A provider SDK's own call (Ably's `channel.presence.enter()`) is shown as that call, not as rt-plan's label for it.
  const peerSends = [
    ...new Set(
      ctx.input.analysis.events.filter((e) => e.origin === 'existing' && !e.protocol && e.direction !== 'server-to-client').map((e) => e.sdk ?? e.name),
    ),
  ];
  const rows: Row[] = [
    {
      label: 'Directionality',
      valueMd: host
        ? `clients receive on ${host.label} channels${peerSends.length > 0 ? ` and send on them only ${list(peerSends.map((n) => code(n)))}, which go to ${host.label}, not to a server of ours` : ''}; ${profileOf(ctx).noServer ? 'writes go to the database through the SDK, under its row policies' : 'a change to our data is an HTTP request to our routes'}`
        : !bidi
          ? modules.some((m) => m.needs.bidirectional)
            ? 'server → client on the stream, which clients never send on; a client chooses what it receives by the URL it opens'
            : 'server → client push; client actions are ordinary requests'
          : protocolTraits(ctx).clientSends
            ? `bidirectional; clients send for ${list(sending.map((m) => m.title.toLowerCase()))}`
            : `server → client on the stream, which clients never send on; what clients send for ${list(sending.map((m) => m.title.toLowerCase()))} goes as HTTP POSTs`,
      sourceMd: 'selected scenarios',
    },
    { label: 'Concurrent connections', valueMd: fmt(v.connections), sourceMd: sourceMd(src.connections) },
    {
      label: 'Message volume',
      // A per-recipient rate delivered to a whole group: the publishes are fewer by the group's size, which the context does not state.
      valueMd: ctx.capacity.groupDelivery
        ? `at most ${fmt(v.msgRate)} msg/s published: one publish per ${ctx.capacity.groupDelivery.group} notification, the ${fmt(ctx.capacity.result.deliveriesPerSecond)} deliveries/s ÷ the members of a ${ctx.capacity.groupDelivery.group} online (no ${ctx.capacity.groupDelivery.group} size stated)`
        : `${fmt(v.msgRate)} msg/s published`,
      sourceMd: sourceMd(src.msgRate),
    },
    ctx.capacity.fanoutUnstatedMd
      ? { label: 'Fan-out', valueMd: 'subscribers per channel not stated: no delivery rate computed', sourceMd: 'see Context' }
      : v.deliveries !== undefined && ctx.capacity.workload.roomClasses
        ? {
            label: 'Fan-out',
            valueMd: `${fmt(v.fanout)} recipient${v.fanout === 1 ? '' : 's'} per message in a typical room, ${fmt(ctx.capacity.workload.roomClasses.large.size)} in each of the ${fmt(ctx.capacity.workload.roomClasses.large.count)} largest → ${fmt(ctx.capacity.result.deliveriesPerSecond)} deliveries/s, summed per room class (Performance and scaling); the large rooms dominate`,
            sourceMd: sourceMd(src.fanout),
          }
        : ctx.capacity.groupDelivery
          ? {
              label: 'Fan-out',
              valueMd: `every connection of the ${ctx.capacity.groupDelivery.group} → ${fmt(ctx.capacity.result.deliveriesPerSecond)} deliveries/s (the stated per-recipient rate × the connections); counted as 1 recipient per publish, since no ${ctx.capacity.groupDelivery.group} size is stated`,
              sourceMd: sourceMd(src.fanout),
            }
          : {
              label: 'Fan-out',
              valueMd: `${fmt(v.fanout)} recipient${v.fanout === 1 ? '' : 's'} per message → ${fmt(ctx.capacity.result.deliveriesPerSecond)} deliveries/s${src.fanout.kind === 'context' && (!src.fanout.note || ctx.capacity.senderExcluded) ? (ctx.capacity.workload.largestRoom ? ` (the first stated room size${ctx.capacity.senderExcluded ? ' less the sender' : ''}; the largest room is sized on its own row)` : ` (the stated room size${ctx.capacity.senderExcluded ? ' less the sender' : ''} taken for every message; measure the real average)`) : ''}`,
              sourceMd: sourceMd(src.fanout),
            },
    {
      label: 'Payload size',
      valueMd: `${fmt(v.payloadBytes)} bytes average${ctx.capacity.largestPayload ? `; the largest up to ${fmt(ctx.capacity.largestPayload.value)} bytes (context, ${code(ctx.capacity.largestPayload.evidence)}), which sizes the payload cap, not the average` : ''}`,
      sourceMd: sourceMd(src.payloadBytes),
    },
    {
      label: 'Latency budget',
      // Provider-direct: no message of ours crosses a server, so a delivery default has nothing to measure.
      valueMd: latency
        ? `p${fmt(latency.percentile ?? 95)} < ${fmt(latency.value)} ms${latency.percentile ? '' : ' (percentile not stated: read as p95)'}`
        : ctx.providerDirect
          ? "no delivery of ours to budget: audio and events go between the browser and the provider; the voice turn's target is in Observability"
          : 'p95 < 100 ms, average < 50 ms',
      sourceMd: latency ? `context: "${text(latency.sentence)}" (${code(latency.evidence)})` : ctx.providerDirect ? 'design choice' : defaultSource(ctx),
    },
    { label: 'Delivery guarantees', valueMd: deliveryMd(ctx), sourceMd: 'design choice' },
    // A Yjs document has no order to keep: updates commute, so there is no seq to claim. A library protocol
    // that replays nothing (graphql-ws) adds no seq either, yet still delivers each operation's results in order: said.
    ...(seqless(ctx) && !protocolTraits(ctx).operations && feedsOf(ctx, modules).length === 0
      ? []
      : [{ label: 'Ordering', valueMd: orderingMd(ctx, modules), sourceMd: 'design choice' }]),
  ];
  return { rows };
}

/** The provider's table feeds among this plan's events (profiles/table-feed.ts). */
function feedsOf(ctx: DesignCtx, modules: ScenarioModule[]): TableFeed[] {
  const names = new Set(modules.flatMap((m) => m.events(ctx)).map((e) => e.name));
  return ctx.input.analysis.events.filter((e) => names.has(e.name)).flatMap((e) => tableFeedOf(ctx.input, e.name) ?? []);
}

/** Order is kept per channel of this plan's catalog (named), never globally. */
function orderingMd(ctx: DesignCtx, modules: ScenarioModule[]): string {
  const order = orderingOf(ctx);
  if (order.by === 'stream') return 'per answer, in the order its stream carries the parts; no seq of ours';
  // No server of ours holds the voice session: the page runs the tool calls, keyed by the provider's call id.
  if (ctx.providerDirect && !agentOnly(providersOf(ctx)))
    return 'per provider session, in the order the provider sends its messages; tool calls are handled in the page, one state per call id, so there is no server seq of ours';
  // A provider's own protocol events carry no seq of ours: only our channels are ordered by one.
  // Only channels whose events carry the seq are ordered by it (a token refresh on `/`, a read marker on the user's channel carry none).
  const events = modules.flatMap((m) => m.events(ctx)).filter((e) => e.protocol === undefined);
  const sequenced = new Set(events.filter((e) => e.payload.some((p) => p.name === 'seq')).map((e) => e.channel));
  const channels = [...new Set(events.map((e) => e.channel))].filter((c) => sequenced.size === 0 || sequenced.has(c));
  const marker = readMarkerOf(ctx);
  const markerMd = marker
    ? `; read markers on ${code(events.find((e) => e.name === readMarkerNames(ctx, marker).moved)?.channel ?? 'user/{userId}')} carry no seq: a marker only moves forward, the highest ${code('readSeq')} wins`
    : '';
  // On a managed provider a channel is the provider's: one the code already uses is named as it names it,
  // and a new one is marked proposed, with the provider's naming rule where it has one.
  const provider = managedProvider(ctx.input);
  const own = new Set(ctx.input.analysis.events.flatMap((e) => (e.origin === 'existing' && e.room ? [e.room] : [])));
  const channelMd = (c: string) =>
    provider && !own.has(c) ? `${code(c)} (proposed${provider.roomChannel ? `: ${provider.roomChannel.ruleMd}` : ''})` : code(c);
  const named =
    channels.length > 0 ? ` (${list(channels.slice(0, 3).map(channelMd))}${channels.length > 3 ? `, and ${fmt(channels.length - 3)} more` : ''})` : '';
  // The log's entry ids are the SSE `id:` the stream already writes: they order and resume, and no seq of ours is added.
  if (order.by === 'record-version' && order.record)
    return `per channel${named}, by the ${code(order.record.field)} the system of record sets on ${recordEventsMd(order.record)}; no seq of ours, no global order`;
  if (order.by === 'log-id' && order.log)
    return `per channel${named}, by the entry ids of the log written at ${code(order.log.evidence)} (each event's ${code('id:')}, which also resumes the stream); no seq of ours, no global order`;
  // A channel server numbers each channel's publications itself (Centrifugo's stream offsets): no seq of ours.
  const server = protocolTraits(ctx).channels;
  if (server) return `per channel${named}, in the order of ${server.label}'s stream for that channel (its offsets); no seq of ours, no global order`;
  // A library protocol that replays nothing (graphql-ws): each operation's results arrive in publish order on its socket; a reconnect refetches.
  if (protocolTraits(ctx).operations)
    return 'per subscription operation, in the order its node publishes; after a reconnect the refetched state replaces what was missed; no global order';
  // The code receives the rows of a table the provider feeds (Postgres Changes): the table orders them, no seq of ours.
  const feeds = seqless(ctx) ? feedsOf(ctx, modules) : [];
  if (feeds.length > 0) {
    const fed = [...new Set(events.filter((e) => feeds.some((f) => f.event === e.name)).map((e) => e.channel))];
    return `per channel${fed.length > 0 ? ` (${list(fed.map(channelMd))})` : ''}: ${list(feeds.map((f) => f.orderMd))}; no global order`;
  }
  // Where the seq is assigned in this topology (our route's write, or the provider's database): said, never assumed.
  if (provider?.seqShortMd) return `per channel${named}, by a seq assigned at write by ${provider.seqShortMd}${markerMd}; no global order`;
  return `per channel${named}, by a server-assigned seq${markerMd}; no global order`;
}

function deliveryMd(ctx: DesignCtx): string {
  const parts: string[] = [];
  const s = new Set(ctx.scenarios);
  if (s.has('chat-collab') && asksForChat(ctx.input))
    parts.push(
      MODULES['chat-collab'].resume(ctx).key
        ? 'messages at-least-once with dedup by `clientMsgId`'
        : 'messages at-most-once: broadcast while connected, never acked or replayed',
    );
  if (s.has('state-sync'))
    parts.push(
      snapshotVersioned(ctx)
        ? 'every snapshot delivered; a client keeps the one with the higher version'
        : recordOrdered(ctx)
          ? `deltas exactly-once in effect (${code(recordOrdered(ctx)!.field)} + resync)`
          : 'deltas exactly-once in effect (seq + resync)',
    );
  if (s.has('notifications')) parts.push('notifications at-least-once with replay');
  if (s.has('ai-streaming')) parts.push('chunks in order, resumable by index');
  if (s.has('subscriptions')) {
    const cursor = MODULES.subscriptions.resume(ctx).cursor;
    const host = profileOf(ctx).socketHost;
    const server = protocolTraits(ctx).channels;
    parts.push(
      server
        ? `publications delivered while subscribed; after a drop ${server.label} recovers the missed ones from the channel's history, within the window its namespace keeps (${code(server.history.sizeKey)}, ${code(server.history.ttlKey)}), and past it the client reloads over HTTP`
        : protocolTraits(ctx).operations
          ? 'updates delivered while connected, nothing replayed: a reconnect refetches the current state'
          : host && cursor === 'refetch'
            ? `updates delivered by ${host.label} to every client attached to the channel; what a client misses in a drop comes back as State synchronization says`
            : orderingOf(ctx).by === 'log-id'
              ? `updates at-least-once, resumed from the last entry id (${code('Last-Event-ID')} or ${code(`?${cursor}=`)}) and deduplicated by it`
              : cursor === 'refetch' && serverIsFixed(ctx)
                ? 'what the server sends while connected; whether it replays what was missed is for its documentation to say'
                : cursor === 'refetch'
                  ? 'newest value only, nothing replayed: a resubscribe returns the current values'
                  : `updates at-least-once via ${code(cursor)}`,
    );
  }
  if (s.has('voice')) parts.push(`tool actions at-most-once by the call's ${code(idOf(ctx))}`);
  if (s.has('collab-editing')) parts.push('Yjs updates idempotent by construction');
  if (s.has('chat-collab')) parts.push(shownBy(ctx.input, 'typing', 'typing') ? 'typing and presence at-most-once' : 'presence at-most-once');
  return parts.join('; ');
}

/** A must that marks values older than N seconds stale. */
const STALE_AFTER = /\bolder than (\d+)\s*(?:s|secs?|seconds?)\b[^.;]{0,60}\bstale\b/i;

/** A must about what a client gets back after it was away: it catches up, gets what it missed, or the current values. */
const CATCH_UP_MUST =
  /^(?=[^]*\b(?:offline|drops?|dropped|reconnect\w*|disconnect\w*|blips?|away)\b)[^]*\b(?:catch(?:es|ing)? up|missed|gets? the (?:current|latest)|(?:current|latest) (?:state|values?|prices?))\b/i;

/**
 * What the code does today about the two halves of a resubscribe: the client re-sending its
 * subscribe message on every open, and the server answering it with the current value.
 */
function todayResubscribeMd(ctx: DesignCtx, event: string): string {
  const facts = ctx.input.analysis.modelFacts ?? [];
  const resend = facts.find((f) => f.kind === 'resubscribe-missing' && f.name === event);
  const snapshot = facts.find((f) => f.kind === 'subscribe-sends-nothing' && f.name === event);
  const parts = [
    ...(resend
      ? [
          `nothing sends ${code(event)} again when the connection opens (${code(resend.evidence)}): send it for every followed entry in the client's open handler`,
        ]
      : []),
    ...(snapshot
      ? [
          `the server's ${code(event)} handler sends no current value (${code(snapshot.evidence)}): send the last value it holds for each entry there, kept in a last-value cache`,
        ]
      : []),
  ];
  return parts.length > 0 ? ` Today ${parts.join('; and ')}; until both are in place, a client shows stale values after a reconnect.` : '';
}

export function stateSyncSection(ctx: DesignCtx, modules: ScenarioModule[]): Plan['stateSync'] {
  const strategies = modules.flatMap((m) => m.sync(ctx));
  const snapshotMd: string[] = [];
  const optimisticMd: string[] = [];
  const offlineMd: string[] = [];
  // "Out of scope: offline editing" in the session: no offline queue to design.
  const noOffline = ctx.input.sessions.docs.some((d) => /out of scope[^#]*\boffline\b/i.test(d.body));
  const one = modules.length === 1;
  // A managed provider that recovers drops itself answers catch-up for every module.
  const recovery = managedRecoveryMd(ctx);
  for (const m of modules) {
    const r = m.resume(ctx);
    // A catch-up the scenario words itself still says what the code lacks for it today.
    if (r.catchUpMd) snapshotMd.push(`${r.catchUpMd}${todayResubscribeMd(ctx, r.event)}`);
    // An EventSource resumes by its last id, not by a replay request of ours (stream-resume.ts).
    else if (protocolTraits(ctx).lastEventId && policyKind(ctx) === 'sse-retry') snapshotMd.push(`${m.title}: ${eventSourceCatchUpMd(ctx.input, quoteOf)}`);
    else if (recovery) snapshotMd.push(`${m.title}: ${recovery}`);
    else
      snapshotMd.push(
        `${m.title}: a reconnecting client sends ${code(r.event)} with ${code(r.cursor)}; the server replays what it missed from a bounded log (${REPLAY_LOG_MD}) or, past that, sends a fresh snapshot.${todayResubscribeMd(ctx, r.event)}`,
      );
    optimisticMd.push(r.optimisticMd ?? genericOptimistic(ctx, m, r, modules.length === 1));
    if (!noOffline)
      offlineMd.push(
        r.offlineMd ??
          genericOffline(
            m,
            r,
            timeBoundOf(ctx, r.mutation),
            queuedCommands(ctx),
            sessionOnlyOf(ctx, r.mutation),
            reloadAsked(ctx),
            connectionBucket(ctx, r.mutation ?? undefined),
          ),
      );
  }
  // Read markers (Core design) catch up, apply and wait offline their own way, whichever scenario proposed them.
  const marker = readMarkerOf(ctx);
  const markerMd = marker && modules.some((m) => m.id === 'chat-collab') && asksForChat(ctx.input) ? readMarkerSyncMd(ctx, marker) : null;
  const bare = (s: string) => (one ? s.replace(new RegExp(`^${modules[0]!.title}: `), '').replace(/^[a-z]/, (c) => c.toUpperCase()) : s);
  if (one) {
    snapshotMd.splice(0, snapshotMd.length, ...snapshotMd.map(bare));
    optimisticMd.splice(0, optimisticMd.length, ...optimisticMd.map(bare));
    offlineMd.splice(0, offlineMd.length, ...offlineMd.map(bare));
  }
  if (markerMd) {
    snapshotMd.push(markerMd.snapshotMd);
    optimisticMd.push(markerMd.optimisticMd);
    if (!noOffline) offlineMd.push(markerMd.offlineMd);
  }
  // The catch-up above is how the plan meets a must about what a client gets back after a drop
  // ("a screen that was offline must catch up on what it missed"): quoted there, once.
  const catchUp = statedMust(ctx, CATCH_UP_MUST);
  if (catchUp && snapshotMd.length > 0 && !snapshotMd.some((l) => l.includes(catchUp.evidence)))
    snapshotMd[0] = `${snapshotMd[0]!.replace(/\.?$/, '.')} This is how the plan meets ${quoteOf(catchUp)}.`;
  // A must that bounds how old a shown value may be before it is marked ("never show a position
  // older than 15 s without marking it stale"): a disconnect is not the only way a value ages.
  const stale = statedMust(ctx, STALE_AFTER);
  const staleS = stale ? STALE_AFTER.exec(stale.sentence) : null;
  if (stale && staleS)
    optimisticMd.push(
      `Connected or not, a value older than ${staleS[1]} s is shown as stale: each carries the server time it was produced (add the field where the event has none), and the client checks ages on a 1 s timer against that clock (its offset to the local one measured on connect), so a replayed or snapshot value that is already old is marked at once. This is how the plan meets ${quoteOf(stale)}.`,
    );
  // A log whose ids order the events (a Redis Stream read from the last id) has no consecutive seq to check for
  // gaps; otherwise the seq rule is stated once, in the Event protocol's conventions.
  const log = orderingOf(ctx).log;
  if (log)
    snapshotMd.push(
      `The ids of the log written at ${code(log.evidence)} order the events: they rise but are not consecutive, so there is no seq gap to detect; reading from the last id leaves no gap, and the client drops an event whose id is not above the last it applied (dedup by event id).`,
    );
  return { strategies, snapshotMd, optimisticMd, offlineMd };
}

/** Words that make a client event a command to the server (`command`, `build:run`, `deploy.trigger`), not a change of shared state. */
const COMMAND_WORDS = /^(command|commands|cmd|run|rerun|trigger|deploy|exec|execute|launch|restart)$/;

/** A client event that asks the server to act: applying it locally or replaying it later is wrong. */
function isCommand(name: string): boolean {
  return words(name).some((w) => COMMAND_WORDS.test(w));
}

/** `alone`: the module is the plan's only one, so a client command in the code is its own (no other module's mutation). */
function genericOptimistic(ctx: DesignCtx, m: ScenarioModule, r: ResumeSpec, alone: boolean): string {
  if (!r.mutation) {
    const w = alone ? clientWriteOf(ctx) : null;
    return w
      ? `${m.title}: ${code(w.name)} (${code(w.evidence)}) is shown as done only once the server confirms it, with no local change before, so there is nothing to roll back: the UI renders what the server sent, marked stale while disconnected.`
      : protocolTraits(ctx).operations
        ? `${m.title}: the subscription only reads, so nothing on it is rolled back: the UI renders what the server sent, marked stale while disconnected.`
        : `${m.title}: clients only read, so there is nothing to roll back: the UI renders what the server sent, marked stale while disconnected.`;
  }
  if (isCommand(r.mutation))
    return `${m.title}: ${code(r.mutation)} asks the server to act rather than changing shared state itself, so nothing applies locally: the client shows it as sent and pending until the server's state shows the result, and on rejection or a 5 s ack timeout shows the error and lets the user send it again.`;
  return `${m.title}: ${code(r.mutation)} ${r.key ? `applies locally at once under its ${code(r.key)} and stays *pending* until acked` : 'applies locally at once; the CRDT makes re-delivery harmless'}; on rejection or a 5 s ack timeout (after one retry) the client rebuilds state from the last confirmed snapshot plus confirmed changes and re-applies what is still pending.`;
}

/**
 * The object with a time limit (core design: "open for 20 s") that a client event acts on, by
 * itself or through its parent (an answer in a question): such an action only counts while that
 * object is open, so it is never queued for later.
 */
function timeBoundOf(ctx: DesignCtx, event: string | null | undefined): string | null {
  if (!event) return null;
  const objects = coreOf(ctx).objects;
  for (const o of objects.filter((x) => x.events.some((e) => e.name === event))) {
    if (o.deadline) return o.name;
    const parent = o.parent ? objects.find((p) => p.name === o.parent!.field && p.deadline) : undefined;
    if (parent) return parent.name;
  }
  return null;
}

/** Subscribing, joining and keep-alive messages: resent on every open, not commands a user repeats. */
const NOT_COMMAND = /join|subscribe|enter|watch|leave|ping|pong|heartbeat|typing|cursor|presence|position/i;

/**
 * The code's own send queues what is sent while the socket is not open (a `queued-send` fact):
 * the commands the client sends today would wait in it and go out after a reconnect.
 */
function queuedCommands(ctx: DesignCtx): { fact: ModelFact; commands: string[]; external: boolean; onceMd: string | null } | null {
  const fact = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'queued-send');
  if (!fact) return null;
  const commands = [
    ...new Set(
      ctx.input.analysis.events.filter((e) => e.origin === 'existing' && e.direction === 'client-to-server' && !NOT_COMMAND.test(e.name)).map((e) => e.name),
    ),
  ];
  const once = contextStates(ctx, 'exactlyOnce', 'must');
  return { fact, commands, external: profileOf(ctx).external !== undefined, onceMd: once ? quoteOf(once) : null };
}

/** What the client keeps to catch up with: a cursor per channel, or nothing where a resubscribe returns the current values. */
function keepsMd(r: ResumeSpec): string {
  return r.cursor === 'refetch'
    ? `The client keeps no cursor: it re-sends ${code(r.event)} on reconnect.`
    : `The client keeps its ${code(r.cursor)} per channel and catches up on reconnect.`;
}

/**
 * The evidence of the context sentence keeping the object a mutation moves only while its room or
 * session lives (Core design lifetime `memory`), or null: nothing of it outlives a reload.
 */
function sessionOnlyOf(ctx: DesignCtx, mutation: string | null | undefined): string | null {
  if (!mutation) return null;
  const o = coreOf(ctx).objects.find((x) => x.decision.lifetime === 'memory' && (x.moves ?? x.events.map((e) => e.name)).includes(mutation));
  return o?.sessionOnly?.at ?? null;
}

/**
 * The context sentence asking that what a user did offline survives (a reload, working offline, a
 * flight), or null: only then does the offline queue go to IndexedDB; otherwise it is memory only.
 */
const OUTLIVES =
  /\b(?:offline|reloads?|refresh(?:es)? the page|page (?:reload|refresh)|airplane|flight mode|(?:survives?|outlives?|lost on) (?:a |the )?(?:reload|restart|refresh))\b/i;
/** "zero lost edits", "no message may be lost": nothing queued may be lost, a reload included; not a loss of one cause ("because of a deploy"). */
const NO_LOSS = /\b(?:zero|no|never|nothing)\b[^.;]{0,30}\blost\b/i;
const ONE_CAUSE = /\b(?:because of|due to|during|on (?:a |the )?(?:deploy|restart|failover))\b/i;
function reloadAsked(ctx: DesignCtx): string | null {
  const asks = (r: { kind: string; sentence: string }) =>
    OUTLIVES.test(r.sentence) || (r.kind !== 'problem' && NO_LOSS.test(r.sentence) && !ONE_CAUSE.test(r.sentence));
  return ctx.input.sessions.requirements.find(asks)?.evidence ?? null;
}

function genericOffline(
  m: ScenarioModule,
  r: ResumeSpec,
  timeBound: string | null,
  queued: ReturnType<typeof queuedCommands> = null,
  sessionOnly: string | null = null,
  reload: string | null = null,
  bucket: { rate: number; burst: number; event?: string } | null = null,
): string {
  if (!r.mutation && queued && queued.commands.length > 0) {
    const { fact, commands, external, onceMd } = queued;
    // Without an id the server checks, a reply lost on a drop leaves the client unable to tell whether a command was applied.
    const once = onceMd
      ? ` This is the client's part of ${onceMd}; the server's part is that id: without it, a command whose reply is lost in a drop cannot be retried safely, only shown as unknown until the state arrives.`
      : '';
    const them = commands.length === 1 ? 'it' : 'them';
    return `${m.title}: ${keepsMd(r)} Today the code queues what it sends while the socket is not open (${code(fact.name)} at ${code(fact.evidence)}) and sends it after the reconnect: ${list(commands.map((c) => code(c)))} must not wait there, so send ${them} only while the socket is open (${code(fact.value ?? '')}), show ${them} as not sent otherwise, and give each one an id the server recognises a repeat by${external ? ', if its documentation offers one' : ''}.${once}`;
  }
  if (!r.mutation) return `${m.title}: nothing is queued offline; ${keepsMd(r).replace(/^T/, 't')}`;
  // A command makes the server act (start a build, run a job): replayed minutes later, it acts on a state the user no longer sees.
  if (isCommand(r.mutation))
    return `${m.title}: ${code(r.mutation)} is not queued offline: it makes the server act, and one replayed after the reconnect would act on a state the user no longer sees; while disconnected the client disables it and says so${r.key ? `, and a command sent once carries its ${code(r.key)} so a retry after a lost ack is not run twice` : ''}.`;
  if (timeBound)
    return `${m.title}: ${code(r.mutation)} is not queued offline: it counts only while its ${text(timeBound)} is open, and the server refuses what arrives after the time limit: one replayed after the catch-up is refused, not applied late; while disconnected the client disables sending, and after the catch-up it may send again only if the ${text(timeBound)} is still open.`;
  // Kept only while the room or session lives: nothing of it must survive a reload, so no IndexedDB.
  const where = sessionOnly
    ? `in memory only, cap 500; not in IndexedDB: the context keeps them only for the session (${code(sessionOnly)}), so a reload drops what was still queued`
    : reload
      ? `in memory, and IndexedDB for what must survive a reload (${code(reload)}); cap 500`
      : 'in memory, cap 500: the context asks for nothing to survive a reload, so a reload drops what was still queued';
  // Up to 500 queued calls sent at once would be a burst the per-connection bucket refuses: the replay is paced under it.
  const paced = bucket
    ? `, paced at no more than ${fmt(bucket.rate)} a second (${bucket.event ? `the ${code(bucket.event)} bucket of Security's rate limit` : 'the per-connection rate limit of Security'}, whose burst of ${fmt(bucket.burst)} a long queue would exceed)`
    : '';
  return `${m.title}: while disconnected, ${code(r.mutation)} calls queue in order (${where}) and replay after the catch-up${paced}${r.key ? ` with their original ${code(r.key)}, so a change the server already applied is acknowledged, not duplicated` : ''}.`;
}

export function referencesSection(ctx: DesignCtx): Plan['references'] {
  const day = ctx.input.now.toISOString().slice(0, 10);
  const cited = new Set(ctx.cite.usedRefs().map((r) => r.id));
  return ctx.input.docs.refs.map((r) => ({
    id: r.id,
    title: r.title,
    version: r.version ?? (r.library ? 'unversioned' : '—'),
    reference: r.links && r.links.length > 0 && r.source === 'knowledge' ? `${r.reference} (${r.links.join(', ')})` : r.reference,
    retrieved: r.retrieved ?? day,
    cited: cited.has(r.id),
    source: SOURCE_NAMES[r.source],
    excerpt: r.excerpt.trim(),
  }));
}

/** How many references came from where, and how many the plan cites (said above the table). */
export function referenceCounts(refs: Plan['references']): NonNullable<Plan['referenceCounts']> {
  const bySource: { from: string; count: number }[] = [];
  for (const r of refs) {
    const from = SOURCE_FROM[r.source] ?? r.source;
    const row = bySource.find((b) => b.from === from);
    if (row) row.count++;
    else bySource.push({ from, count: 1 });
  }
  return { total: refs.length, cited: refs.filter((r) => r.cited).length, bySource };
}

const SOURCE_FROM: Record<string, string> = {
  'project docs': 'from the project docs',
  'installed package': 'from installed packages',
  'rt-plan knowledge': 'from rt-plan knowledge notes',
  Context7: 'from Context7',
};

const SOURCE_NAMES: Record<DocRef['source'], string> = {
  project: 'project docs',
  package: 'installed package',
  knowledge: 'rt-plan knowledge',
  context7: 'Context7',
};
