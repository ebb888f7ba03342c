// buildPlan: the pure, synchronous design stage. Inputs in, Plan out: no fs, no clock (the
// run's clock is input.now), no network, no randomness. Every array is built in a fixed
// order (scenario order, then catalog order), so the same input gives a deep-equal Plan.
import { clientActions } from './routes.js';
import { consistencySummary, droppableEgressMd, protocolSummary, sdkConnectionsSummary, serverlessCapacitySummary } from './summary.js';
import type { EventSpec, NumberRequirement, RtEvent } from '../types.js';
import type { CapacityInputs, Plan, PlanInput } from './types.js';
import type { DesignCtx } from './context.js';
import { Citer } from './cite.js';
import { runsOwnFleet } from './profiles/fleet.js';
import { quotaProfile } from './profiles/quotas.js';
import { voiceCapacityRows } from './voice-capacity.js';
import type { QuotaInput } from './quota-rows.js';
import {
  type CapacityResult,
  type Coalesced,
  type ResolvedInputs,
  coalescedCapacity,
  droppableByMd,
  droppableInstances,
  computeCapacity,
  capacityRows,
  withoutDefaultFanout,
  sizedForDesign,
  defaultRateMd,
  hostScaled,
  resolveCapacityInputs,
  formatBytes,
} from './capacity.js';
import { estimatePayload, streamEventsSent } from './payload-size.js';
import { detectEntity, detectLayout, participantLabels, voiceProviders } from './context.js';
import { orderingOf } from './ordering.js';
import { MODULES, capacityDefaults, defaultsReason, selectScenarios, stateVectors, withCorroboration } from './scenarios/index.js';
import { firstTokenTarget } from './scenarios/ai-streaming.js';
import { managedProvider, moduleErrors, type ScenarioNeeds } from './scenarios/kit.js';
import { decideTransport, OPTION_LABEL } from './transport.js';
import { LIBRARY_CRITERIA } from './libraries.js';
import { ackRules, buildCatalog, catalogRows, conventions, isSys, keyFlows, renderTypes } from './protocol.js';
import { withMoves } from './core/index.js';
import { snapshotVersionSource } from './scenarios/state-sync.js';
import { connectionSection, reconnectClauseMd } from './connection.js';
import { onSupabase } from './connection-supabase.js';
import { architecture, compressionNotes, scalingNotes, topology } from './architecture.js';
import { dataBudgetRows } from './data-budget.js';
import { budgetChecks, budgetMd } from './budgets.js';
import { securitySection, payloadCap, hasExistingPayloadCap, projectCapMd } from './security.js';
import { backpressureNotes, droppableCoalescedOf, errorsSection, observabilitySection } from './ops.js';
import { testingSection } from './testing.js';
import { buildSteps } from './steps.js';
import { coalesceRate } from './step-facts.js';
import { edgeCases, edgeCasesNoteMd } from './edge-cases.js';
import {
  communicationSection,
  contextSection,
  currentStateSection,
  hasRealtime,
  referenceCounts,
  referencesSection,
  sourceMd,
  stateSyncSection,
} from './sections.js';
import { code, fmt, list, text } from './md.js';
import { buildContract } from '../contract/build.js';
import { decidedSettings } from '../contract/settings.js';
import { redisMemoryRows } from './redis-memory.js';
import { audienceOf } from './audience.js';
import { fixedServer, serverIsFixed } from './constraints.js';
import { addressedIn } from './coverage.js';
import { criteriaSummary } from './criteria.js';
import { profileOf } from './profiles/index.js';
import { checkContextFigures } from './sanity.js';
import { coreOf } from './core/context.js';
import { joinStormRows } from './join-storms.js';
import { roomBurstRows } from './room-bursts.js';

/**
 * The sites of a code whose every broadcast goes to every socket a process holds (a loop over
 * all of them, model fact `broadcast-all`), and none to a room: its fan-out is every connection.
 * Empty where any broadcast goes to a room or to picked sockets.
 */
function broadcastsToAll(input: PlanInput): string[] {
  const facts = input.analysis.modelFacts ?? [];
  const all = facts.filter((f) => f.kind === 'broadcast-all');
  if (all.length === 0 || all.some((f) => f.value !== 'only') || facts.some((f) => f.kind === 'room-broadcast' || f.kind === 'join-broadcast')) return [];
  if (input.analysis.findings.some((f) => f.id === 'client-only')) return [];
  return all.map((f) => f.evidence);
}

/**
 * The call that leaves the sender out of every broadcast of a stream of this kind (model fact
 * `sender-excluded`): every event the server sends for the stream is sent that way, else null.
 */
/** The group the stream's delivery filter sends each message to (`n.teamId === agent.teamId`), if it is a group. */
function groupAudience(input: PlanInput): { group: string; test: string; evidence: string } | null {
  const a = audienceOf(input.analysis.modelFacts ?? []);
  return a.kind === 'group' ? { group: a.group, test: a.test, evidence: a.evidence } : null;
}

function senderExclusion(input: PlanInput): (kind: string) => { how: string; evidence: string } | null {
  const facts = (input.analysis.modelFacts ?? []).filter((f) => f.kind === 'sender-excluded');
  if (facts.length === 0) return () => null;
  return (kind) => {
    const sent = streamEventsSent(kind, input.analysis.events);
    const hits = sent.map((e) => facts.find((f) => f.name === e.name));
    if (hits.length === 0 || hits.some((h) => h === undefined)) return null;
    // An event the code also broadcasts to the whole room elsewhere is not always sent to the others only.
    const whole = (input.analysis.modelFacts ?? []).some(
      (f) => f.kind === 'room-broadcast' && sent.some((e) => e.name === f.name) && !facts.some((x) => x.evidence === f.evidence),
    );
    return whole ? null : { how: hits[0]!.value ?? '', evidence: hits[0]!.evidence };
  };
}

export type { Plan, PlanInput, Scenario, CapacityInputs } from './types.js';
export { SCENARIOS } from './types.js';
export { computeCapacity, resolveCapacityInputs, deflateBytes } from './capacity.js';

export function buildPlan(given: PlanInput): Plan {
  const input = withCorroboration(given);
  const choices = selectScenarios(input);
  // Each module under the title it has for this task (rooms with presence and no chat are not a chat).
  const modules = choices.map((c) => ({ ...MODULES[c.id], title: c.title }));
  const scenarios = choices.map((c) => c.id);
  const assumptions: string[] = [];
  const cite = new Citer(input.docs);

  const voiceOnly = scenarios.length === 1 && scenarios[0] === 'voice';
  // With other scenarios, voice media goes to the provider directly; the app channel is decided on the rest.
  const appModules = voiceOnly ? modules : modules.filter((m) => m.id !== 'voice');
  const needs: ScenarioNeeds = {
    bidirectional: appModules.some((m) => m.needs.bidirectional),
    binary: appModules.some((m) => m.needs.binary),
    media: appModules.some((m) => m.needs.media),
    rooms: appModules.some((m) => m.needs.rooms),
  };

  const primary = modules[0]!;
  checkContextFigures(input.sessions.requirements, input.options.capacity);
  const resolved = withCodePayload(
    resolveCapacityInputs(
      input.sessions.requirements,
      input.options.capacity ?? {},
      capacityDefaults(modules),
      broadcastsToAll(input),
      senderExclusion(input),
      groupAudience(input),
    ),
    input.analysis.events,
  );
  const latency = input.sessions.requirements.find((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'latency');
  const providers = voiceProviders(input);
  if (scenarios.includes('voice') && providers.length === 0)
    assumptions.push('No voice provider is named or detected: the plan assumes OpenAI Realtime over WebRTC, which OpenAI recommends for browsers.');

  const decision = decideTransport({
    input,
    needs,
    connections: resolved.values.connections,
    latencyMs: latency?.value ?? null,
    voiceOnly,
    voiceProviders: voiceOnly ? (providers.length > 0 ? providers : ['openai-realtime']) : [],
    fetchStream: scenarios.includes('ai-streaming'),
  });
  const localOnly = scenarios.every((s) => s === 'ai-streaming' || s === 'voice');
  // y-websocket documents are routed by docId: all editors of one document share a process, so nothing crosses nodes.
  const docRouted = scenarios.every((s) => s === 'collab-editing') && decision.transport === 'websocket';
  // Only a runtime whose nodes fan out through our own pub/sub has cross-node traffic to size.
  const ownFanout = profileOf({ input, scenarios, transport: decision.transport, library: decision.library, providerDirect: voiceOnly }).ownFanout;
  const crossNode = !localOnly && !docRouted && ownFanout;
  const today = computeCapacity(resolved.values, undefined, crossNode, resolved.planned?.value ?? null, resolved.planned?.ceiling !== undefined);
  const layout = detectLayout(input);
  const ctx0: DesignCtx = {
    input,
    scenarios,
    transport: decision.transport,
    library: decision.library,
    docLibrary: decision.library ?? decision.transport,
    libraryUse: decision.libraryUse,
    layout,
    entity: detectEntity(input),
    voiceProviders: providers,
    capacity: { ...resolved, ...fanoutUnstated(input, resolved, decision), result: today },
    hasRealtime: hasRealtime({ input }),
    providerDirect: voiceOnly,
    // Where a provider holds the sockets, its client SDK is not a server of ours: name our server plainly.
    labels: profileOf({ input, scenarios, transport: decision.transport, library: decision.library, providerDirect: voiceOnly }).socketHost
      ? { ...participantLabels(input, layout, '', null), server: `Our server (${layout.serverEntry ?? 'new'})` }
      : participantLabels(input, layout, decision.library ?? OPTION_LABEL[decision.transport], decision.libraryUse?.version ?? null),
    cite,
    assume: (md) => assumptions.push(md),
  };
  // Where the steps coalesce the broadcasts to a rate the context caps, the fleet is sized for
  // the traffic the plan designs; today's figures stay in the rows that say so.
  const rate = coalesceRate(ctx0);
  const designed = coalescedCapacity(resolved, rate ? { perSecond: rate, step: 0 } : null, crossNode);
  const sizedCtx: DesignCtx = designed
    ? { ...ctx0, capacity: { ...ctx0.capacity, result: sizedForDesign(today, designed.result, resolved.values.msgRate), coalesced: designed } }
    : ctx0;
  const steps = buildSteps(sizedCtx, modules);
  const step = designed ? steps.find((x) => x.title.startsWith('Coalesce broadcasts to'))?.n : undefined;
  const coalesced = designed && step !== undefined ? { ...designed, step } : null;
  const ctx: DesignCtx = coalesced ? { ...sizedCtx, capacity: { ...sizedCtx.capacity, coalesced } } : ctx0;
  const result = ctx.capacity.result;

  if (input.sessions.files.length === 0) assumptions.push('No session context file was found: requirements come from the task name and the code only.');
  // A fan-out not stated where nothing of ours is sized from it is said so (below), not assumed.
  const defaulted = (['connections', 'msgRate', 'payloadBytes', 'fanout'] as (keyof CapacityInputs)[]).filter(
    (k) => resolved.sources[k].kind === 'default' && !(k === 'fanout' && ctx.capacity.fanoutUnstatedMd),
  );
  if (ctx.capacity.fanoutUnstatedMd) assumptions.push(`Subscribers per channel: not stated. ${ctx.capacity.fanoutUnstatedMd}`);
  if (defaulted.length > 0) {
    const what = list(defaulted.map((k) => `${label(k).toLowerCase()} ${fmt(resolved.values[k])}`));
    // A per-connection default taken for a default room only (the stated room is an audience): said so, never read as × the connections.
    const rate = resolved.sources.msgRate;
    const audience =
      defaulted.includes('msgRate') && rate.kind === 'default' && rate.audience !== undefined && rate.note
        ? `; the published rate is not that default × the connections: ${text(rate.note)}`
        : '';
    assumptions.push(
      `${what.charAt(0).toUpperCase()}${what.slice(1)}: ${text(defaultsReason(modules, defaulted))}${audience} (pass ${list(defaulted.map((k) => code(FLAG[k])))} to change).`,
    );
  }
  const estimated = resolved.sources.payloadBytes;
  if (estimated.kind === 'code')
    assumptions.push(
      `Average payload ${fmt(resolved.values.payloadBytes)} bytes: estimated from the payload shapes the code sends (${list(estimated.evidence.map(code))}; the arithmetic is under Performance and scaling), not measured (pass ${code('--payload-bytes')} to change).`,
    );
  if (!latency) {
    const ttft = firstTokenTarget(ctx);
    assumptions.push(
      ttft
        ? `Delivery latency targets are rt-plan's defaults (p95 < 100 ms, average < 50 ms)${cite.cite(['defaults'], 'rt-plan')}: the context states only a time-to-first-token target (${fmt(ttft.ms)} ms, ${code(ttft.evidence)}), which is kept as its own SLO.`
        : ctx.providerDirect
          ? "The context states no latency target: the voice turn's target is rt-plan's default (Observability), and no message of ours crosses a server, so no delivery latency default applies."
          : `Latency targets are rt-plan's defaults (p95 < 100 ms, average < 50 ms)${cite.cite(['defaults'], 'rt-plan')}: the context states none.`,
    );
  }
  const clientOnly = input.analysis.findings.find((f) => f.id === 'client-only');
  if (clientOnly) {
    assumptions.push(
      `The client code (${code(clientOnly.evidence)}) connects to a server that is not in this repository. The server-side steps describe what that service needs: build them there, or under ${code(layout.realtimeDir)} if this repository is to host it.`,
    );
  } else if (layout.clientsElsewhere) {
    assumptions.push(
      `No client code was found in this repository (no client connection, client library or UI package): the clients of the server at ${code(layout.serverEntry ?? '')} are not in this repository. What they must do (reconnect, resume, the events of the Event protocol) is written for whoever builds them; this plan adds no client file.`,
    );
  } else if (!layout.serverEntry && profileOf(ctx).noServer) {
    // The provider takes the writes under its row policies: the plan adds no server, so none is placed.
    assumptions.push('No server entry file was found, and this plan adds none: the browser reads and writes through the provider (see Architecture).');
  } else if (!layout.serverEntry) {
    assumptions.push(`No server entry file was found: new server code goes under ${code(layout.realtimeDir)}.`);
  }
  if (ctx.entity === 'resource' && scenarios.some((s) => s === 'subscriptions' || s === 'state-sync'))
    assumptions.push('The context names no domain entity: events use the placeholder `resource`; rename it to the real one.');

  const proposed = modules.flatMap((m) => m.events(ctx));
  // A server the context says cannot be changed speaks only the events it already has: the catalog
  // keeps those and adds none (no domain event, no sys:* envelope event) that it would not understand.
  const fixedWire = serverIsFixed(ctx);
  const events = (fixedWire ? (all: EventSpec[]) => all.filter((e) => e.origin === 'existing') : (all: EventSpec[]) => all)(
    withReclaimToken(
      ctx,
      buildCatalog(
        ctx,
        proposed,
        modules.flatMap((m) => moduleErrors(m, ctx).map((e) => e.code)),
      ),
    ),
  );
  // A standard flow (send, join, sync, subscribe) is drawn only when the project's code has its opening
  // event, in the project's names; otherwise the plan cites the protocol note's standard flows.
  const codeEvents = new Set(input.analysis.events.map((e) => e.name));
  // A send the code already makes through a route of ours (extended, not new): its flow is neither drawn nor cited as one the code lacks.
  const routed = new Set(events.filter((e) => e.route !== undefined).map((e) => e.name));
  const perModule = modules.map((m) => m.flows(ctx));
  const flows = keyFlows(perModule.map((fs) => fs.filter((f) => f.opens === undefined || codeEvents.has(f.opens))));
  const cited = perModule.flat().filter((f) => f.opens !== undefined && !codeEvents.has(f.opens) && !routed.has(f.opens));
  // A server the context says cannot be changed: what the plan proposes for it is what it would need, not a step to take.
  const fixed = clientOnly ? fixedServer(input.sessions.requirements) : undefined;
  if (clientOnly && fixed) {
    const asks = events.filter((e) => e.origin === 'proposed' && !isSys(e)).map((e) => code(e.name));
    const at = assumptions.findIndex((a) => a.startsWith('The client code ('));
    if (at >= 0)
      assumptions[at] =
        `The client code (${code(clientOnly.evidence)}) connects to a server that is not in this repository, and the context says it cannot be changed: "${text(fixed.sentence)}" (${code(fixed.evidence)}). ${asks.length > 0 ? `The events this plan proposes (${list(asks)}) and the fields it adds to the server's events are what that server would need for the design below: ask its owner for them; until it offers them, the client keeps to the events the server documents, and the client-side steps stand on their own.` : 'The plan changes only the client.'}`;
  }
  const { adds, ...arch } = architecture(ctx, primary.resume(ctx), clientActions(events));
  const budgets = budgetChecks(ctx, adds ?? []);
  const connection = connectionSection(ctx, primary.resume(ctx));
  const topo = topology(ctx);
  const context = contextSection(ctx, assumptions);
  const rows = capacityRows(
    resolved.values,
    result,
    (t) => cite.cite(t, t.includes('defaults') ? 'rt-plan' : ctx.docLibrary),
    undefined,
    profileOf(ctx).deflate,
    { ...resolved, connectionsEvidence: resolved.sources.connections.kind === 'context' ? resolved.sources.connections.evidence : null },
    runsOwnFleet(ctx),
    quotaInputs(ctx),
    coalesced,
    droppableCoalescedOf(ctx),
  );
  // Per-process figures measured for another library (Socket.IO's, for uWebSockets.js) say so where they decide the instance count.
  const unmeasured = profileOf(ctx).unmeasured;
  const basisRows = unmeasured
    ? rows.map((row) =>
        row.quantity.startsWith('Instances for the load')
          ? { ...row, source: `${row.source}; ${unmeasured.whyMd}` }
          : row.quantity === 'Instances deployed (capped by the context)'
            ? {
                ...row,
                source: row.source.replace(': the load must shrink', `: if Run 1 of the load test confirms it for ${unmeasured.library}, the load must shrink`),
              }
            : row,
      )
    : rows;
  // A browser-to-provider voice session has no rate or fan-out of ours: its table is the turn budget and the sessions.
  const sized = ctx.providerDirect
    ? voiceCapacityRows(ctx)
    : [...(profileOf(ctx).serverless ? hostScaled(basisRows) : basisRows), ...redisMemoryRows(ctx, events), ...dataBudgetRows(ctx)];
  // Room bursts and join announcements are room deliveries: their rows follow the per-room ones.
  const afterRooms = sized.map((r) => r.quantity.startsWith('Deliveries')).lastIndexOf(true) + 1;
  const capacity = withoutDefaultFanout(
    [...sized.slice(0, afterRooms), ...roomBurstRows(ctx), ...joinStormRows(ctx), ...sized.slice(afterRooms)],
    ctx.capacity,
  );
  // Without stated traffic, a voice session's message rate, payload and fan-out are defaults that size nothing.
  const voiceOnlyInputs = ctx.providerDirect && resolved.workload.streams.length === 0;
  const upgradeCite = decision.reasonsMd.some((r) => r.includes('end-of-life')) ? cite.cite(['migration', 'upgrade', 'versions'], 'socket.io') : '';
  const transportCite = cite.cite(['transport', 'overview'], ctx.docLibrary);

  const channelNames = [...new Set(events.map((e) => e.channel))];
  const noSeq = stateVectors(ctx);
  const cases = edgeCases(ctx, modules);
  const plan: Plan = {
    task: input.task,
    title: `Real-time plan: ${input.task} (${input.analysis.project.name || 'project'})`,
    generatedAt: input.now.toISOString(),
    transport: decision.transport,
    library: decision.library,
    // Neither the scaling topology (it restates the capacity table) nor the connection lifecycle (the
    // Connection section's rows say the same states) is drawn; both stay in the data for tests and overrides.
    diagrams: [arch.diagram, ...flows.map((f) => f.diagram)],
    events,
    channels: channelNames.map((name) => {
      const names = events.filter((e) => e.channel === name).map((e) => e.name);
      return { name, description: `${names.length} event${names.length === 1 ? '' : 's'}: ${names.join(', ')}` };
    }),
    toolVersion: input.toolVersion,
    ordering: orderingOf(ctx),
    projectName: input.analysis.project.name,
    scenarios: choices,
    summary: {
      buildingMd: modules.map((m) => m.summaryMd(ctx)).join(' '),
      decisionsMd: [
        `Transport: ${decision.choiceMd}${transportCite}${upgradeCite ? ` Upgrade path from 2.x${upgradeCite}.` : ''}`,
        protocolSummary(ctx, events, noSeq),
        consistencySummary(ctx, modules, noSeq),
        sdkConnectionsSummary(ctx) ??
          `Connections: ${connection.heartbeat[0] ? `${text(connection.heartbeat[0].label)} ${connection.heartbeat[0].valueMd}` : 'provider-managed'}, ${reconnectClauseMd(ctx)}, ${onSupabase(ctx) ? 'payload size capped by the Supabase plan quota' : profileOf(ctx).id === 'managed' ? "payload size capped by the provider's per-message limit (see Security)" : hasExistingPayloadCap(ctx) ? `the existing ${code('maxPayload')} cap kept` : (projectCapMd(ctx) ?? `payload cap ${formatBytes(payloadCap(ctx))}`)}.`,
        serverlessCapacitySummary(ctx) ?? capacitySummaryMd(resolved, result, coalesced, profileOf(ctx).unmeasured?.library, windowSummaryOf(ctx)),
      ],
    },
    context,
    currentState: currentStateSection(ctx),
    communication: communicationSection(ctx, modules),
    transportDecision: {
      criteria: decision.criteria,
      matrix: decision.matrix,
      choiceMd: decision.choiceMd,
      reasonsMd: decision.reasonsMd,
      libraryCriteria: LIBRARY_CRITERIA,
      libraries: decision.libraries,
      weighedMd: decision.weighedMd,
      othersMd: decision.othersMd,
      librariesMd: decision.librariesMd,
    },
    architecture: arch,
    connection,
    core: (({ objects, ...rest }) => ({
      ...rest,
      // A publication the analysis found outside the event model (our publish to a channel server) is code too.
      fromCode: rest.fromCode || events.some((e) => e.origin === 'existing' && e.evidence !== null && e.channel === e.name),
      objects: withMoves(
        objects,
        events.filter((e) => !isSys(e)),
      ).map((o) => (o.decision.versioning === 'snapshot-version' ? { ...o, versionSource: snapshotVersionSource(ctx) } : o)),
    }))(coreOf(ctx)),
    protocol: {
      conventionsMd: conventions(ctx, events),
      rows: catalogRows(events, managedProvider(ctx.input)?.peerMessages ? managedProvider(ctx.input)!.label : undefined),
      typescript: renderTypes(events, ctx.transport),
      flows,
      citedFlows: cited.length > 0 ? { flows: cited, citeMd: cite.cite(['protocol-conventions'], 'rt-plan') } : null,
      acksMd: ackRules(ctx, events),
    },
    stateSync: stateSyncSection(ctx, modules),
    security: securitySection(ctx, events),
    performance: {
      inputs: ((voiceOnlyInputs ? ['connections'] : ['connections', 'msgRate', 'payloadBytes', 'fanout']) as (keyof CapacityInputs)[]).map((k) => ({
        label: voiceOnlyInputs ? 'Concurrent voice sessions' : label(k),
        valueMd: k === 'fanout' && ctx.capacity.fanoutUnstatedMd ? 'not stated' : fmt(resolved.values[k]),
        sourceMd: k === 'fanout' && ctx.capacity.fanoutUnstatedMd ? 'the context states none (see Context)' : sourceMd(resolved.sources[k]),
      })),
      capacity,
      scalingMd: scalingNotes(ctx),
      topology: topo,
      backpressureMd: backpressureNotes(ctx),
      compressionMd: compressionNotes(ctx),
      budgets,
      budgetMd: budgetMd(budgets),
    },
    errors: errorsSection(ctx, modules),
    observability: observabilitySection(ctx, modules),
    testing: testingSection(ctx, events, modules),
    steps: coalesced ? steps : buildSteps(ctx, modules),
    edgeCases: cases,
    edgeCasesNoteMd: ctx.providerDirect ? undefined : edgeCasesNoteMd(ctx, cases, events),
    references: [],
  };
  const uses = addressedIn(plan, input.sessions.requirements);
  plan.context.requirements.forEach((row, i) => (row.addressedIn = uses[i]!.map((t) => t.replace(/^(\d+)\. .*/, '§$1')).join(', ')));
  plan.context.notAddressed = plan.context.requirements
    .filter((row) => row.addressedIn === '')
    .map(({ label, sentence, evidence }) => ({ label, sentence, evidence }));
  plan.references = referencesSection(ctx);
  plan.referenceCounts = referenceCounts(plan.references);
  plan.contract = buildContract(plan, decidedSettings(ctx), input.sessions.requirements);
  plan.context.criteriaMd = criteriaSummary(plan.contract);
  if (plan.contract)
    plan.context.criteriaCount = {
      total: plan.contract.criteria.length,
      analyzer: plan.contract.criteria.filter((c) => c.check === 'analyzer').length,
    };
  return plan;
}

/** What the budget and quota rows need beyond the workload: the provider's counting rules, its note and the daily users. */
function quotaInputs(ctx: DesignCtx): Pick<QuotaInput, 'provider' | 'cite' | 'presence' | 'dailyUsers' | 'typingUncounted' | 'typing' | 'templatedChannels'> {
  const reqs = ctx.input.sessions.requirements;
  const provider = ctx.providerDirect ? null : quotaProfile(ctx.input.analysis.stack.providers);
  const users = reqs.find((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'users' && r.quota === undefined && /\bdaily\b/i.test(r.sentence));
  return {
    provider,
    // The quota note is gathered only for the provider the stack has, so any note on quotas is its.
    cite: provider ? ctx.cite.cite(['quotas']) : '',
    presence: reqs.some((r) => r.kind === 'feature' && r.feature === 'presence'),
    typingUncounted: reqs.some((r) => r.kind === 'feature' && r.feature === 'typing') && !ctx.capacity.workload.streams.some((s) => s.kind === 'typing'),
    typing: reqs.some((r) => r.kind === 'feature' && r.feature === 'typing'),
    dailyUsers: users ? { value: users.value, sentence: users.sentence, evidence: users.evidence } : null,
    // The channels the code names with an id of an item in them (`reactions:{messageId}`), once each.
    templatedChannels: [
      ...new Map(
        ctx.input.analysis.events
          // One per value of the plan's own entity (`room:{roomId}` where the entity is a room) is already one channel per room.
          .filter((e) => e.room && /\{\w+\}/.test(e.room) && e.evidence && !perEntity(e.room, ctx.entity))
          .map((e) => [e.room!, { channel: e.room!, evidence: e.evidence! }] as const),
      ).values(),
    ],
  };
}

/**
 * A default average payload gives way to an estimate from the shapes of the events the code sends
 * for the stated streams (payload-size.ts); a stated size or the flag is never replaced.
 */
function withCodePayload(resolved: ResolvedInputs, events: readonly RtEvent[]): ResolvedInputs {
  const src = resolved.sources.payloadBytes;
  if (src.kind !== 'default') return resolved;
  const estimate = estimatePayload(events, resolved.workload.streams, resolved.values.payloadBytes);
  if (!estimate) return resolved;
  if ('whyMd' in estimate)
    return { ...resolved, sources: { ...resolved.sources, payloadBytes: { ...src, noteMd: `not estimated from the code: ${estimate.whyMd}` } } };
  return {
    ...resolved,
    values: { ...resolved.values, payloadBytes: estimate.value },
    sources: { ...resolved.sources, payloadBytes: estimate.source },
  };
}

const FLAG: Record<keyof CapacityInputs, string> = { connections: '--connections', msgRate: '--msg-rate', payloadBytes: '--payload-bytes', fanout: '--fanout' };

function label(key: keyof CapacityInputs): string {
  return {
    connections: 'Concurrent connections',
    msgRate: 'Messages per second (published)',
    payloadBytes: 'Average payload (bytes)',
    fanout: 'Fan-out (recipients per message)',
  }[key];
}

/**
 * A participant the code keys by the connection id (core design) rejoins with a reclaim token:
 * the join event that writes its entry carries it, proposed and optional (the first join has none).
 */
function withReclaimToken(ctx: DesignCtx, events: EventSpec[]): EventSpec[] {
  const joins = new Set(coreOf(ctx).objects.flatMap((o) => (o.keyedBy?.join ? [o.keyedBy.join] : [])));
  return events.map((e) =>
    joins.has(e.name) && e.origin === 'existing' && !e.payload.some((p) => p.name === 'reclaimToken')
      ? {
          ...e,
          payload: [
            ...e.payload,
            {
              name: 'reclaimToken',
              type: 'string',
              optional: true,
              description: 'proposed: issued by the server on the first join, re-sent after a reconnect',
            },
          ],
          // One "keep it" clause per event: a join the sync already extends (`add lastSeq, and an ack`) names both fields there.
          summary: /; keep it, add /.test(e.summary)
            ? e.summary.replace(
                /; keep it, add ([^;]*?)(, and an ack)?$/,
                (_m, added: string, ack?: string) => `; keep it, add ${added.replace(/ and /, ', ')} and reclaimToken${ack ?? ''}`,
              )
            : `${e.summary}; keep it, add reclaimToken`,
        }
      : e,
  );
}

/**
 * The Summary's capacity line. Where the steps coalesce the broadcasts, the fleet verdict uses
 * the designed load and says what the code needs today next to it.
 */
/** Backpressure and compression's coalescing, for the Summary's capacity line. */
function windowSummaryOf(ctx: DesignCtx): { egressMd: string; n: number; md: string } | null {
  const d = droppableCoalescedOf(ctx);
  const egressMd = droppableEgressMd(ctx);
  return d && egressMd ? { egressMd, n: droppableInstances(d, ctx.capacity.result).n, md: droppableByMd(d) } : null;
}

function capacitySummaryMd(
  resolved: ResolvedInputs,
  result: CapacityResult,
  coalesced: Coalesced | null,
  unmeasured?: string,
  /** Backpressure and compression's coalescing: the egress with it (today's beside it), and the instances it needs. */
  window?: { egressMd: string; n: number; md: string } | null,
): string {
  const need = coalesced ? coalesced.result.instancesForLoad : result.instancesForLoad;
  // Figures of another library decide nothing for this one: the conflict stands only if the load test confirms it.
  const basis = unmeasured ? ` by rt-plan's Socket.IO figures, not measured for ${unmeasured}: a conflict only if the load test confirms it` : ': a conflict';
  const today = coalesced
    ? `as the code sends today the load needs ${fmt(result.instancesForLoad)}; with the coalescing of step ${fmt(coalesced.step)} it needs ${fmt(need)}`
    : '';
  const why =
    result.capped && result.instances === 1 && need <= 1 && resolved.planned?.singleHost
      ? 'one host, as the context states: no spare'
      : result.capped && result.instances < need + 1
        ? coalesced
          ? `the context's cap; ${today}${result.instances < need ? ': a conflict' : `, N+1 ${fmt(need + 1)}: no spare`}, see Performance and scaling`
          : `the context's cap; ${window && window.n < need ? 'as the code sends today ' : ''}${result.instances < need ? `the load needs ${fmt(need)}` : `N+1 needs ${fmt(need + 1)}`}${window && window.n < need ? ` (with ${window.md}, ${fmt(window.n)})` : ''}${basis}, see Performance and scaling`
        : result.plannedInstances !== null && result.instances === result.plannedInstances && result.instances > need + 1
          ? `as planned, N+1 needs ${fmt(need + 1)}${coalesced ? ` (${today})` : ''}`
          : coalesced
            ? `N+1; ${today}`
            : result.plannedInstances !== null && result.plannedInstances < result.instances
              ? `N+1; the context plans ${fmt(result.plannedInstances)}${result.plannedInstances >= need ? ', which carry the load with no spare' : ', too few for the load'}: a conflict, see Performance and scaling`
              : 'N+1';
  const traffic = `${window ? window.egressMd.replace(/^, /, '') : `${fmt(result.egressMbps)} Mbit/s egress`}${result.pubsubPublishedPerSecond > 0 ? `, ${resolved.groupDelivery ? 'at most ' : ''}${fmt(result.pubsubPublishedPerSecond)} pub/sub msgs/s` : ''}`;
  const designed = coalesced
    ? ` as the code sends today (${fmt(coalesced.result.egressMbps)} Mbit/s${result.pubsubPublishedPerSecond > 0 ? ` and ${fmt(coalesced.inputs.msgRate)}` : ''} with the coalescing)`
    : '';
  const rate = defaultRateMd(resolved);
  return `Capacity: ${fmt(resolved.values.connections)} connections → ${fmt(result.instances)} instance${result.instances === 1 ? '' : 's'} (${why}) at ~${fmt(result.connectionsPerInstance)} each, ${traffic}${designed}${rate ? ` (${result.pubsubPublishedPerSecond > 0 ? 'egress and pub/sub' : 'egress'} from ${rate.long})` : ''}.`;
}

/**
 * Where a server product the project runs (Centrifugo) holds the sockets, the fan-out sizes no
 * fleet of ours: a default one would only make up a delivery rate and egress. When the context
 * states no subscribers per channel (no room size, no follows-of-entities), the plan says so.
 */
function fanoutUnstated(
  input: PlanInput,
  resolved: ResolvedInputs,
  decision: { transport: DesignCtx['transport']; library: string | null },
): Pick<ResolvedInputs, 'fanoutUnstatedMd'> {
  if (resolved.sources.fanout.kind !== 'default' || input.options.capacity?.fanout !== undefined) return {};
  const own = profileOf({ input, transport: decision.transport, library: decision.library, scenarios: [], providerDirect: false }).selfHostedServer;
  if (!own) return {};
  const follows = input.sessions.requirements.find((r) => r.kind === 'number' && r.metric === 'concurrent-users');
  return {
    fanoutUnstatedMd: `The context gives the open pages${follows ? ` (${code(follows.evidence)})` : ''} and the publish rate, not how many subscribers one channel has, and ${own.label}, not a fleet of ours, delivers to them: so no delivery rate or egress is computed from a default fan-out; measure subscribers per channel (${own.label}'s channel and subscription metrics) in the load test (pass ${code('--fanout')} to size it).`,
  };
}

/** A channel keyed by the plan's entity's id (`room:{roomId}`, `room:{roomId}:messages` for a room), not by an item's. */
function perEntity(channel: string, entity: string): boolean {
  const ids = [...channel.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!.toLowerCase());
  const e = entity.toLowerCase();
  return ids.length > 0 && ids.every((id) => id === e || id === `${e}id` || id === `${e}_id`);
}
