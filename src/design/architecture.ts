// Components and data flow, and the scaling topology. Nodes come from what this plan
// actually contains: the project's real entry files, the chosen library, the selected
// scenarios' external services, and an adapter only when more than one instance runs.
import { serverNodeNotes } from './profiles/servers.js';
import { toolRouteGaps } from './tool-routes.js';
import { protocolTraits } from './profiles/protocol.js';
import { hasCli, snapshotVersionSource } from './scenarios/state-sync.js';
import { flowchart } from '../diagrams/builders.js';
import type { Diagram, InfraRequirement } from '../types.js';
import { clientsSend, contextMentions, contextStates, meetsMd, quoteOf, rulesOut } from './constraints.js';
import { streamSdk } from './profiles/ai-streams.js';
import { coreOf } from './core/context.js';
import { declaredDatabase, declaredRedis, stateStoreOf, writtenRedis } from './profiles/stores.js';
import { notificationStore } from './scenarios/notifications.js';
import { type DesignCtx, noSignInFound } from './context.js';
import { OPTION_LABEL } from './transport.js';
import { code, fmt, list, round, text } from './md.js';
import { burstOf, defaultRateMd, deflateBytes, formatBytes } from './capacity.js';
import { providersOf } from './scenarios/voice.js';
import { concurrencyMd, existingTokenRoute, type VoiceProvider } from './scenarios/voice-providers.js';
import { affinityNotes, seqless, snapshotVersioned } from './scenarios/index.js';
import { orderingOf } from './ordering.js';
import { profileOf } from './profiles/index.js';
import { traitsOf } from './profiles/transports.js';
import type { ResumeSpec } from './scenarios/kit.js';
import { serverSendsMd, serverWhereMd } from './sites.js';
import { agentOnly, DEFAULT_VOICE_PROVIDER, VOICE } from './profiles/voice.js';
import { frameworkSteps } from './profiles/steps.js';
import { pingTimeoutMs } from './connection.js';

type Node = Parameters<typeof flowchart>[1]['nodes'][number];
type Edge = Parameters<typeof flowchart>[1]['edges'][number];

/**
 * One affinity choice per plan, used by every section: several Socket.IO nodes keep the
 * default transports (polling fallback for restrictive proxies) behind a load balancer that
 * pins each client. It cannot pin on the Engine.IO `sid` (the first handshake has none), so
 * it hashes the client address (nginx `ip_hash`) or sets a cookie (HAProxy, ALB).
 */
type ScaleCtx = Pick<DesignCtx, 'transport' | 'library' | 'providerDirect' | 'capacity' | 'input'>;

/** Several nodes of a wire whose polling fallback needs each client pinned to one node. */
function pinnedWhenScaled(ctx: ScaleCtx): boolean {
  return traitsOf(ctx).stickyWhenScaled && !ctx.providerDirect && ctx.capacity.result.instances > 1;
}

/** Findings that say a scaling piece the code has is not yet wired to work (it runs, but not as several nodes need). */
const WIRING_FINDINGS: ReadonlySet<string> = new Set([
  'redis-adapter-not-awaited',
  'redis-adapter-then-uncaught',
  'redis-client-not-connected',
  'redis-client-no-error-listener',
]);

/** ", not yet dependable: …" where Current state reports the piece's wiring in its file, so "in place" is not read as working. */
function wiringMd(ctx: DesignCtx, evidence: string): string {
  const file = evidence.replace(/:\d+$/, '');
  const ids = [
    ...new Set(ctx.input.analysis.findings.filter((f) => WIRING_FINDINGS.has(f.id) && f.evidence?.replace(/:\d+$/, '') === file).map((f) => f.id)),
  ].sort();
  return ids.length > 0 ? `, but not yet dependable: ${list(ids.map((id) => code(id)))} (Current state) must be fixed first` : '';
}

export function stickySessions(ctx: ScaleCtx): boolean {
  return pinnedWhenScaled(ctx) && !websocketOnly(ctx);
}

/**
 * Several nodes with nothing to pin: the context rules sticky sessions out ("Do not add
 * sticky-session requirements"), or the server already accepts WebSocket only. Says why.
 */
export function websocketOnly(ctx: ScaleCtx): { whyMd: string } | undefined {
  if (!pinnedWhenScaled(ctx)) return undefined;
  const r = rulesOut(ctx, 'sticky');
  // "Do not add sticky-session requirements beyond what the ALB already offers" limits them rather
  // than forbidding them: said as a limit, and this plan's choice to need none.
  if (r) return { whyMd: `the context limits sticky sessions (${quoteOf(r)}) and this plan chooses to need none` };
  const fact = ctx.input.analysis.modelFacts?.find((f) => f.kind === 'websocket-only');
  if (!fact) return undefined;
  return fact.name === 'client transports'
    ? {
        whyMd: `every Socket.IO client in the project already connects over WebSocket only (${code("transports: ['websocket']")} at ${code(fact.evidence)}; a client outside this repository that polls would still need pinning)`,
      }
    : { whyMd: `the server already accepts WebSocket only (${code("transports: ['websocket']")} at ${code(fact.evidence)})` };
}

/** The session context names nginx as the proxy (e.g. "3 instances behind nginx"). */
export function mentionsNginx(ctx: Pick<DesignCtx, 'input'>): boolean {
  return contextMentions(ctx, /\bnginx\b/i);
}

/** Keys a load balancer must hash on because a selected scenario keeps per-instance state. */
const AFFINITY_KEY: Partial<Record<string, string>> = { 'ai-streaming': 'requestId', 'collab-editing': 'docId' };

function affinityKeys(ctx: DesignCtx): string[] {
  if (affinityNotes(ctx).length === 0) return [];
  return ctx.scenarios.flatMap((id) => (AFFINITY_KEY[id] ? [AFFINITY_KEY[id]] : []));
}

/**
 * What stands in front of our instances in the diagram: the proxy or load balancer the context
 * names, or one this plan proposes because it runs more than one instance; nothing otherwise.
 */
function entryLabel(ctx: DesignCtx): string | null {
  const multi = ctx.capacity.result.instances > 1;
  // The load balancer or proxy the context names comes before a bare TLS end ("TLS at the ALB").
  const infra = ctx.input.sessions.requirements.filter((r): r is InfraRequirement => r.kind === 'infra');
  const found = infra.find((r) => r.fact === 'load-balancer' || r.fact === 'proxy-idle-timeout') ?? infra.find((r) => r.fact === 'tls-termination');
  const stated = found && /^TLS$/i.test(found.component) ? { ...found, component: 'TLS termination' } : found;
  if (!stated && !multi) return null;
  const keys = affinityKeys(ctx);
  const sticky = stickySessions(ctx);
  // An AWS ALB/ELB pins by cookie only (it has no IP hash).
  const policy = sticky
    ? mentionsNginx(ctx)
      ? 'ip_hash sticky, WebSocket upgrade'
      : stated && /\b(?:ALB|ELB)\b|application load balancer/i.test(stated.component)
        ? 'sticky: cookie'
        : 'sticky: IP hash or cookie'
    : !multi
      ? 'TLS, upgrade'
      : keys.length > 0
        ? `hash on ${keys.join(' / ')}`
        : stated && /\b(?:ALB|ELB)\b|application load balancer/i.test(stated.component)
          ? // An ALB routes round robin or by least outstanding requests; it has no least-connections.
            'round robin, its default'
          : 'least connections';
  // The component is the context's; stickiness is this plan's proposal, never something the context said.
  // The routing policy is this plan's too, unless the context names it ("`ip_hash` upstream"): that one is kept.
  const statedPolicy = ctx.input.sessions.requirements.some((r) => 'sentence' in r && /\bip_hash\b/.test(r.sentence));
  if (stated && statedPolicy && !sticky) return `${stated.component} from the context (its ip_hash kept; this plan needs no stickiness)`;
  if (stated) return `${stated.component} from the context (proposed: ${policy})`;
  return `Load balancer (${policy}), proposed`;
}

/** The persisted objects of the Core design, by name (typing and cursors never reach a store). */
function persistedNames(ctx: DesignCtx): string[] {
  return [
    ...new Set(
      coreOf(ctx)
        .objects.filter((o) => o.decision.lifetime === 'persisted')
        .map((o) => o.name),
    ),
  ];
}

/** What the store holds: the persisted objects of the Core design, by name. */
function heldObjects(ctx: DesignCtx): string {
  const names = persistedNames(ctx);
  return names.length > 0 ? `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}` : 'source of truth';
}

/** The store node: the database the manifests declare, the Redis the code already writes its state to, or one marked proposed. */
function storeLabel(ctx: DesignCtx, holds: string): string {
  // The same choice State synchronization names as the home of a shared snapshot counter (stateStoreOf).
  const s = stateStoreOf(ctx, persistedNames(ctx));
  if (s.evidence) return `${s.label} (${s.evidence}): ${holds}`;
  // The context rules out new infrastructure but one store: that one is what the plan adds.
  return s.allowedAt ? `${s.label} (proposed, the one addition the context allows, ${s.allowedAt}): ${holds}` : `${s.label} (proposed): ${holds}`;
}

/** Cross-node broadcast exists only when the capacity model routes messages through a bus. */
export function hasBus(ctx: DesignCtx): boolean {
  return ctx.capacity.result.instances > 1 && ctx.capacity.result.pubsubPublishedPerSecond > 0;
}

function lbLabel(ctx: DesignCtx): string {
  const multi = ctx.capacity.result.instances > 1;
  const keys = affinityKeys(ctx);
  if (!stickySessions(ctx)) {
    if (!multi) return 'Reverse proxy (TLS, upgrade)';
    return keys.length > 0 ? `Load balancer (hash on ${keys.join(' / ')})` : 'Load balancer (least connections)';
  }
  return mentionsNginx(ctx) ? 'nginx (ip_hash sticky, WebSocket upgrade)' : 'Load balancer (sticky: IP hash or cookie)';
}

export function adapterName(ctx: DesignCtx): string {
  const existing = ctx.input.analysis.stack.scaling[0]?.name;
  if (existing) return existing;
  return traitsOf(ctx).busName;
}

/** LiveKit join tokens are signed locally with the API secret; the others are minted by an API call. */
function pushProvider(nodes: Node[], edges: Edge[], p: VoiceProvider, token: string): void {
  const key = `voice-${p}`;
  nodes.push({ key, label: VOICE[p].nodeLabel, shape: 'round', group: 'external' });
  edges.push({ from: 'web', to: key, label: VOICE[p].edgeLabel, style: 'thick' });
  if (VOICE[p].agentRunsTools) {
    nodes.push({ key: 'lk-agent', label: 'Agent worker (LiveKit Agents)', shape: 'round', group: 'external' });
    edges.push({ from: 'lk-agent', to: key, label: 'joins the room as the AI participant' });
    edges.push({ from: 'web', to: token, label: 'join token request', style: 'dashed' });
  } else {
    edges.push({ from: token, to: key, label: 'mint ephemeral token (API key)', style: 'dashed' });
  }
}

/** What the browser does after a drop: resume the conversation where a provider can, else the agent's or a fresh session's duty. */
function clientDuty(ps: VoiceProvider[]): string {
  const lead = ps.find((p) => VOICE[p].resumesConversation) ?? (agentOnly(ps) ? ps[0] : ps.find((p) => !VOICE[p].agentRunsTools));
  return VOICE[lead ?? DEFAULT_VOICE_PROVIDER].clientDutyMd;
}

function providerArchitecture(ctx: DesignCtx): { diagram: Diagram; components: { name: string; responsibilityMd: string }[] } {
  const providers = providersOf(ctx);
  // LiveKit alone: the agent worker runs tools and asks for approval over RPC; no browser-side executor.
  const livekitOnly = agentOnly(providers);
  const nodes: Node[] = [
    { key: 'web', label: ctx.labels.client, group: 'clients' },
    ...(livekitOnly ? [] : [{ key: 'exec', label: 'ActionExecutor (preview mode)', shape: 'round' as const, group: 'clients' }]),
    {
      key: 'token',
      label: `${livekitOnly ? 'Join token route' : 'Ephemeral token route'} (${existingTokenRoute(ctx)?.file ?? ctx.layout.realtimeDir})`,
      shape: 'round',
      group: 'server',
    },
    // A page with no server of ours applies an approved action to its own state (the canvas, the form), not to a server store.
    livekitOnly || ctx.layout.serverEntry
      ? { key: 'store', label: 'App data (applied actions)', shape: 'db', group: 'server' }
      : { key: 'store', label: 'App state in the page (applied actions)', shape: 'db', group: 'clients' },
  ];
  const edges: Edge[] = [
    { from: 'web', to: 'token', label: noSignInFound(ctx) ? 'POST (no sign-in: Origin, per-IP limit)' : 'POST with session cookie' },
    ...(livekitOnly
      ? [{ from: 'lk-agent', to: 'store', label: 'apply after approval' }]
      : [
          { from: 'web', to: 'exec', label: 'tool call' },
          { from: 'exec', to: 'store', label: 'apply after approval' },
        ]),
  ];
  for (const p of providers) pushProvider(nodes, edges, p, 'token');
  // A tool route the page requests and the server lacks: drawn where it would be, marked missing.
  const gaps = livekitOnly ? [] : toolRouteGaps(ctx.input.analysis);
  for (const [i, g] of gaps.entries()) {
    nodes.push({
      key: `tools${i}`,
      label: `Tool ${g.routes.length > 1 ? 'routes' : 'route'} ${g.routes.join(', ')} (missing: no route serves ${g.routes.length > 1 ? 'them' : 'it'})`,
      shape: 'round',
      group: 'server',
    });
    edges.push({ from: 'exec', to: `tools${i}`, label: 'run tool call' });
  }
  const groups = [
    { key: 'clients', label: 'Browser' },
    { key: 'server', label: 'Our server' },
    { key: 'external', label: 'Voice provider' },
  ];
  return {
    diagram: flowchart('Architecture and data flow', { direction: 'LR', groups, nodes, edges }),
    components: [
      {
        name: ctx.labels.client,
        responsibilityMd: `microphone capture, provider session, ${clientDuty(providers)}`,
      },
      livekitOnly
        ? { name: 'Agent worker', responsibilityMd: 'the AI participant: runs tools, asks the user with the `confirmAction` RPC and applies only on approval' }
        : { name: 'ActionExecutor', responsibilityMd: 'runs tool calls in preview mode and applies them after user approval' },
      livekitOnly
        ? {
            name: 'Join token route',
            responsibilityMd: 'authenticates the user and signs a LiveKit join token for that user and room; the only holder of the API secret',
          }
        : {
            name: 'Ephemeral token route',
            responsibilityMd: noSignInFound(ctx)
              ? 'mints short-lived, narrow provider tokens for requests from our own Origin, rate-limited per IP (the project has no sign-in to check); the only holder of the API key'
              : 'authenticates the user and mints short-lived provider tokens; the only holder of the API key',
          },
      ...gaps.map((g) => ({
        name: `Tool ${g.routes.length > 1 ? 'routes' : 'route'} ${g.routes.join(', ')}`,
        responsibilityMd: `runs ${list(g.tools.map((t) => code(t.name)))} for the page (requested at ${code(g.evidence)}${g.derivedAt ? ` as ${code(g.route)}, its last part the name of the provider's tool call passed at ${code(g.derivedAt)}: the routes are derived, one per declared tool` : ''}); missing today: the project has no handler for it (Security, Tool route)`,
      })),
    ],
  };
}

/** Stores and buses the architecture proposes (a node marked "(proposed)"): what this plan adds to run, by name. */
function proposedServices(nodes: readonly Node[]): string[] {
  const named = nodes
    .filter((n) => (n.shape === 'db' || n.shape === 'queue') && /\(proposed\)/.test(n.label))
    .map((n) => {
      const name = n.label.replace(/\s*\(proposed\).*$/, '');
      // A bus is a library in our process talking to a broker: the broker is what runs somewhere.
      if (n.shape === 'queue') return /redis/i.test(name) ? 'a Redis server' : `the broker ${name} talks to`;
      return /^database$/i.test(name) ? 'a database' : name;
    });
  return [...new Set(named)];
}

export function architecture(
  ctx: DesignCtx,
  resume?: ResumeSpec,
  /** The client actions of the catalog: on a receive-only wire they are the POSTs the web client sends. */
  actions: readonly string[] = [],
): { diagram: Diagram; components: { name: string; responsibilityMd: string }[]; adds?: string[] } {
  if (ctx.providerDirect) return providerArchitecture(ctx);
  const s = new Set(ctx.scenarios);
  const multi = ctx.capacity.result.instances > 1;
  const wire = OPTION_LABEL[ctx.transport];
  const nodes: Node[] = [{ key: 'web', label: ctx.labels.client, group: 'clients' }];
  const edges: Edge[] = [];
  // The client is in the diagram; its connection duties are the Connection section's, not repeated here.
  const components: { name: string; responsibilityMd: string }[] = [];
  const cli = s.has('state-sync') && hasCli(ctx);
  if (cli) {
    nodes.push({ key: 'cli', label: 'Terminal CLI', group: 'clients' });
    components.push({ name: 'Terminal CLI', responsibilityMd: 'same sync client as the UI, Node runtime' });
  }
  // A managed provider holds the sockets: the browser connects to it, our server authorizes and publishes over HTTP.
  const host = profileOf(ctx).socketHost;
  const none = profileOf(ctx).noServer;
  if (host && none) {
    // No server of ours: the browser talks to the provider's sockets and its database, nothing else.
    nodes.push({ key: 'provider', label: `${host.label} (holds the sockets)`, shape: 'round' });
    nodes.push({ key: 'store', label: none.storeLabel, shape: 'db' });
    edges.push(
      { from: 'web', to: 'provider', label: wire, style: 'thick' },
      { from: 'web', to: 'store', label: none.writesMd },
      { from: 'store', to: 'provider', label: none.changesMd, style: 'dashed' },
    );
    components.push({
      name: host.label,
      responsibilityMd: "holds every client connection and delivers each broadcast, presence change and row change to its channel's subscribers",
    });
    components.push({ name: none.storeLabel, responsibilityMd: none.componentMd });
    return { diagram: flowchart('Architecture and data flow', { direction: 'LR', nodes: nodes.map(ungrouped), edges }), components };
  }
  if (host) {
    // A database is drawn only where something this task moves is kept: data messages and presence on the
    // provider (LiveKit reactions, a head count) are written to no store of ours.
    const stored = coreOf(ctx).objects.some((o) => o.decision.lifetime === 'persisted');
    nodes.push({ key: 'provider', label: `${host.label} (holds the sockets)`, shape: 'round', group: 'edge' });
    nodes.push({ key: 'rt', label: `Our server (${ctx.layout.serverDir || 'project root'}): auth + publish`, group: 'server' });
    if (stored) nodes.push({ key: 'store', label: 'Database (source of truth)', shape: 'db', group: 'data' });
    edges.push(
      { from: 'web', to: 'provider', label: wire, style: 'thick' },
      { from: 'web', to: 'rt', label: "authorization (HTTPS, the user's session)" },
      ...(stored ? [{ from: 'rt', to: 'store', label: 'write, then publish' }] : []),
      { from: 'rt', to: 'provider', label: 'publish (HTTP API)', style: 'dashed' as const },
    );
    components.push({ name: host.label, responsibilityMd: "holds every client connection and delivers each published event to its channel's subscribers" });
    components.push({
      name: 'Our server',
      responsibilityMd: `${host.authMd}; ${stored ? 'validates and stores writes, then publishes' : "publishes through the provider's server API"}; no WebSocket endpoint of ours`,
    });
    const groups = [
      { key: 'clients', label: 'Clients' },
      { key: 'edge', label: 'Provider' },
      { key: 'server', label: 'Our server' },
      ...(stored ? [{ key: 'data', label: 'State' }] : []),
    ];
    return { diagram: flowchart('Architecture and data flow', { direction: 'LR', groups, nodes, edges }), components };
  }
  // A client-only repository: the server it talks to is someone else's, so no load balancer, instance
  // count or store of ours is drawn or proposed; the diagram shows what crosses the wire both ways.
  const external = profileOf(ctx).external;
  if (external && !cli) {
    nodes.push({ key: 'ext', label: 'Server (not in this repository)', shape: 'round' });
    const sent = existingSends(ctx, 'client-to-server');
    const received = existingSends(ctx, 'server-to-client');
    const wireLabel = profileOf(ctx).wireLabel ?? wire;
    edges.push({ from: 'web', to: 'ext', label: sent ? `${wireLabel}: ${sent}` : wireLabel, style: 'thick' });
    if (received) edges.push({ from: 'ext', to: 'web', label: received });
    components.push({
      name: 'Server (not in this repository)',
      responsibilityMd: 'its owner sets its limits, heartbeat and scaling: the client keeps what it sends within what its documentation states',
    });
    return { diagram: flowchart('Architecture and data flow', { direction: 'LR', nodes: nodes.map(ungrouped), edges }), components };
  }
  // On a runtime that places the socket holders itself, neither a load balancer nor an instance count is ours.
  const front = profileOf(ctx).front;
  const dir = ctx.layout.serverDir || 'project root';
  const entry = front?.entryLabel ?? entryLabel(ctx);
  if (entry) nodes.push({ key: 'lb', label: entry, shape: 'hexagon' });
  nodes.push({
    key: 'rt',
    label: front ? `${ctx.labels.server}: ${front.holderLabel}` : `${ctx.labels.server}${multi ? ` ×${ctx.capacity.result.instances}` : ''}`,
  });
  const sdkRoute = streamSdk(ctx);
  components.push(
    sdkRoute
      ? {
          name: ctx.labels.server,
          responsibilityMd: `${code(sdkRoute.serverCall)} streamed by the ${sdkRoute.label}; adds ${code('consumeStream()')} and the ${code('onFinish')} save (Implementation steps)`,
        }
      : front
        ? {
            name: ctx.labels.server,
            responsibilityMd: `${front.holderLabel.replace(/ \(.*\)$/, '')}: accepts the room's sockets after the ${front.entryLabel.replace(/ \(.*\)$/, '')} authenticated them, validates each message, applies rate limits and broadcasts to the room`,
          }
        : profileOf(ctx).receiveOnly
          ? {
              // Nothing arrives on the stream: no frames to validate or route; who may open it is Connection management's.
              name: ctx.labels.server,
              responsibilityMd: `${wire} endpoint in ${code(dir)}: ${rulesOut(ctx, 'login') ? 'open to anyone (as the context asks)' : 'auth on the stream request'}; limits on stream opens; each event written to the open streams it is for`,
            }
          : {
              name: ctx.labels.server,
              responsibilityMd: `${wire} endpoint in ${code(dir)}: ${protocolTraits(ctx).served?.endpointMd ?? 'handshake auth, schema validation, rate limits, routing to handlers'}`,
            },
  );
  const sdk = streamSdk(ctx);
  // A log whose entry ids order the events (ordering.ts) is the store the code already has: no database or seq of ours.
  const order = orderingOf(ctx);
  // On an edge runtime each room's holder has storage of its own: that, not a database to add, keeps the room's log.
  const stored = (holds: string): string => (front && !declaredDatabase(ctx) ? `${front.storeLabel}: ${holds}` : storeLabel(ctx, holds));
  // Every object the plan keeps lives in the room's memory for its lifetime (the context wants no history): no store to draw.
  const kept = coreOf(ctx).objects.filter((o) => o.decision.lifetime !== 'transient');
  const memoryOnly = !s.has('collab-editing') && !sdk && !order.log && kept.length > 0 && kept.every((o) => o.decision.lifetime === 'memory');
  // Nothing the plan keeps at all (every object transient: prices superseded, subscription requests acted on): no store to draw.
  const nothingKept = !s.has('collab-editing') && !sdk && !order.log && !order.record && kept.length === 0 && coreOf(ctx).objects.length > 0;
  const drawStore = !memoryOnly && !nothingKept;
  if (drawStore)
    nodes.push({
      key: 'store',
      label: s.has('collab-editing')
        ? stored('Yjs updates')
        : sdk
          ? stored('chats')
          : order.log
            ? `Redis Stream (${order.log.evidence}): ${heldObjects(ctx)} log`
            : order.record
              ? // The system the code reads and writes the objects through holds them and their version: no store of ours.
                `System of record (existing, ${order.record.events[0]!.answeredAt.replace(/:\d+$/, '')}): ${heldObjects(ctx)}, ${order.record.field}`
              : // In a store the code already has, the seq log is still this plan's: it says so.
                stored(
                  snapshotVersioned(ctx)
                    ? // The version lives here only where several instances share its counter; one instance counts in its process.
                      snapshotVersionSource(ctx).store
                      ? `${heldObjects(ctx)}, version`
                      : heldObjects(ctx)
                    : // No seq of ours (a library protocol that replays nothing, the newest value wins): no seq log to draw.
                      order.by === 'none'
                      ? heldObjects(ctx)
                      : `${heldObjects(ctx)}, seq log${(declaredDatabase(ctx) ?? writtenRedis(ctx, persistedNames(ctx))) ? ' (proposed)' : ''}`,
                ),
      shape: 'db',
    });
  const inbound = entry ? 'lb' : 'rt';
  // A web client that only reads the stream sends no POST: the edge says so only where it sends one.
  const streamOnly = profileOf(ctx).receiveOnly && actions.length === 0 && !clientsSend(ctx);
  const wireLabel = (streamOnly ? profileOf(ctx).streamOnlyWireLabel : undefined) ?? profileOf(ctx).wireLabel ?? wire;
  // With a second client kind in the diagram the events could be either's: the label names none then.
  const sent = cli ? null : existingSends(ctx, 'client-to-server');
  edges.push({ from: 'web', to: inbound, label: sent ? `${wireLabel}: ${sent}` : wireLabel, style: 'thick' });
  if (cli) edges.push({ from: 'cli', to: inbound, label: wire, style: 'thick' });
  if (entry) edges.push({ from: 'lb', to: 'rt' });
  if (drawStore)
    edges.push({
      from: 'rt',
      to: 'store',
      label: order.log
        ? 'append; read from the last entry id'
        : order.record
          ? `${[...new Set(order.record.events.map((e) => e.fn))].join(', ')} (HTTP)`
          : storeEdgeLabel(resume),
    });
  if (hasBus(ctx)) {
    const bus = ctx.input.analysis.stack.scaling.length > 0 ? adapterName(ctx) : `${adapterName(ctx)} (proposed)`;
    nodes.push({ key: 'bus', label: bus, shape: 'queue' });
    edges.push(
      {
        from: 'rt',
        to: 'bus',
        label: `publish broadcasts (${pubsubRateMd(ctx)}${defaultRateMd(ctx.capacity) ? `, ${defaultRateMd(ctx.capacity)!.short}` : ''})`,
        style: 'dashed',
      },
      { from: 'bus', to: 'rt', label: 'deliver to other nodes', style: 'dashed' },
    );
    components.push({
      name: adapterName(ctx),
      responsibilityMd: `cross-node broadcast (${pubsubRateMd(ctx, ' publishes')}${defaultRateMd(ctx.capacity) ? `; ${defaultRateMd(ctx.capacity)!.long}` : ''})`,
    });
  }
  if (s.has('ai-streaming')) {
    nodes.push({ key: 'llm', label: 'LLM provider', shape: 'round' });
    edges.push({ from: 'rt', to: 'llm', label: 'streaming completion' });
    if (sdk) {
      const redis = declaredRedis(ctx);
      nodes.push({
        key: 'resume',
        label: redis ? `${redis.label} (${redis.evidence}): resumable streams` : 'Redis (proposed): resumable streams',
        shape: 'db',
      });
      edges.push({ from: 'rt', to: 'resume', label: 'resumable-stream', style: 'dashed' });
    } else components.push({ name: 'AI relay', responsibilityMd: 'start/chunk/end framing, resume buffer, abort on cancel' });
  }
  if (s.has('voice')) {
    nodes.push({ key: 'token', label: 'Ephemeral token route', shape: 'round' });
    edges.push({ from: 'web', to: 'token', label: 'POST, session cookie' });
    for (const p of providersOf(ctx)) pushProvider(nodes, edges, p, 'token');
    components.push({ name: 'ActionExecutor', responsibilityMd: 'runs tool calls in preview mode and applies them after user approval' });
  }
  // Kept in the one store the context allows, the replay log is that store's node: no outbox of its own.
  if (s.has('notifications') && !notificationStore(ctx)) {
    nodes.push({ key: 'outbox', label: 'Notification outbox', shape: 'db' });
    edges.push({ from: 'rt', to: 'outbox', label: 'replay after seq' });
  }
  return {
    diagram: flowchart('Architecture and data flow', { direction: 'LR', nodes: nodes.map(ungrouped), edges }),
    components,
    adds: proposedServices(nodes),
  };
}

/** The events the project's code sends one way today (at most three), for a diagram edge; null when none were found. */
function existingSends(ctx: DesignCtx, direction: 'client-to-server' | 'server-to-client'): string | null {
  const names = [
    ...new Set(
      ctx.input.analysis.events
        .filter((e) => e.origin === 'existing' && !e.protocol && e.direction === direction && !/^(sys[:.])?(ping|pong)$/i.test(e.name))
        .map((e) => e.name),
    ),
  ];
  if (names.length === 0) return null;
  return `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
}

/** What the store serves besides writes: the catch-up request that replays from it, where the plan has one. */
function storeEdgeLabel(resume: ResumeSpec | undefined): string {
  if (!resume || resume.seq === false) return 'read/write';
  return /^[\w:.\-/]+$/.test(resume.event) && resume.cursor !== 'refetch' ? `write, replay on ${resume.event}` : 'read/write';
}

/** Subgraphs cost two lines each and say what the labels already say: the own-server diagram draws none. */
function ungrouped(n: Node): Node {
  const { group: _group, ...rest } = n;
  return rest;
}

export function topology(ctx: DesignCtx): Diagram {
  const r = ctx.capacity.result;
  const front = profileOf(ctx).front;
  const host = profileOf(ctx).socketHost;
  if (host) {
    const hostNodes: Node[] = [
      { key: 'clients', label: `${fmt(ctx.capacity.values.connections)} clients`, shape: 'circle' },
      { key: 'provider', label: `${host.label} (holds the sockets)`, shape: 'round' },
      { key: 'node1', label: `our server ×${r.instances} (auth + publish, HTTP only)` },
      { key: 'db', label: 'Database', shape: 'db' },
    ];
    const hostEdges: Edge[] = [
      { from: 'clients', to: 'provider', style: 'thick' },
      { from: 'clients', to: 'node1', label: 'authorization' },
      { from: 'node1', to: 'provider', label: 'publish', style: 'dashed' },
      { from: 'node1', to: 'db' },
    ];
    return flowchart('Scaling topology', { direction: 'TD', nodes: hostNodes, edges: hostEdges });
  }
  const nodes: Node[] = [
    { key: 'clients', label: `${fmt(ctx.capacity.values.connections)} clients`, shape: 'circle' },
    { key: 'lb', label: front?.entryLabel ?? lbLabel(ctx), shape: 'hexagon' },
  ];
  const edges: Edge[] = [{ from: 'clients', to: 'lb', style: 'thick' }];
  if (front) {
    nodes.push({ key: 'node1', label: front.holderLabel }, { key: 'db', label: front.storeLabel, shape: 'db' });
    edges.push({ from: 'lb', to: 'node1' }, { from: 'node1', to: 'db' });
    return flowchart('Scaling topology', { direction: 'TD', nodes, edges });
  }
  const shown = Math.min(r.instances, 3);
  for (let i = 1; i <= shown; i++) {
    const last = i === shown && r.instances > shown;
    nodes.push({
      key: `node${i}`,
      label: last ? `instance ${i}…${r.instances} (~${fmt(r.connectionsPerInstance)} conns each)` : `instance ${i} (~${fmt(r.connectionsPerInstance)} conns)`,
    });
    edges.push({ from: 'lb', to: `node${i}` });
  }
  if (hasBus(ctx)) {
    nodes.push({ key: 'bus', label: `${adapterName(ctx)} (${fmt(r.pubsubPublishedPerSecond)} pub/s)`, shape: 'queue' });
    for (let i = 1; i <= shown; i++) edges.push({ from: `node${i}`, to: 'bus', style: 'dashed' });
  }
  nodes.push({ key: 'db', label: 'Database', shape: 'db' });
  for (let i = 1; i <= shown; i++) edges.push({ from: `node${i}`, to: 'db' });
  return flowchart('Scaling topology', { direction: 'TD', nodes, edges });
}

export function scalingNotes(ctx: DesignCtx): string[] {
  const r = ctx.capacity.result;
  const out: string[] = [];
  if (ctx.providerDirect) {
    out.push(
      ctx.layout.serverEntry
        ? // The calls put no connection on our server: its instance count is set by its HTTP routes, not by the calls.
          'Audio never touches our servers: for the calls, our server only answers token requests (next to the HTTP routes it already serves) and holds no connection state, so any load balancer works and the number of calls adds no instance.'
        : 'Audio never touches our servers, and this project has no server today: the token route this plan adds holds no connection state, so it scales as the host runs it (one small function or process); no instance count of ours applies.',
    );
    // Tools run in the page of a project with no server: what they call is its own code, which rt-plan does not follow.
    if (!ctx.layout.serverEntry && !agentOnly(providersOf(ctx)))
      out.push(
        "rt-plan cannot tell from the code what the model's tools do when they run: a tool that calls another keyed API (an image model, say) needs a server route of its own too, since the browser can no more hold that key than the provider's; size it with the tool calls, not with the token route.",
      );
    for (const p of providersOf(ctx)) out.push(`${concurrencyMd(p, ctx.capacity.values.connections)}${ctx.cite.cite(['session-limits'], p)}.`);
    return out;
  }
  const serverless = profileOf(ctx).serverless;
  if (serverless) {
    out.push(
      `${serverless.host} runs one function invocation per request and scales them itself: there is nothing of ours to size, pin or balance. Invocations share no memory, so anything a later request needs (a resume buffer, the finished answer) goes to shared storage (a KV store or the database), never to a module-level variable.`,
    );
  } else if (r.instances > 1) {
    const noPin = websocketOnly(ctx);
    if (noPin) {
      out.push(
        `Several nodes: ${code(adapterName(ctx))} relays broadcasts${ctx.cite.cite(['scaling', 'redis'], '@socket.io/redis-adapter')}. As ${noPin.whyMd}, client and server both set ${code("transports: ['websocket']")}: with no HTTP long-polling there is nothing to pin, and any node can take any connection. The cost: users behind proxies that block WebSocket get a connection error instead of a polling fallback.`,
      );
      out.push(...affinityNotes(ctx));
    } else if (traitsOf(ctx).stickyWhenScaled) {
      out.push(
        `Several nodes: ${code(adapterName(ctx))} relays broadcasts${ctx.cite.cite(['scaling', 'redis'], '@socket.io/redis-adapter')}. Clients keep the default transports (HTTP long-polling first, then the upgrade to WebSocket), so users behind proxies that block WebSocket still connect; that makes sticky sessions required, otherwise polling requests reach the wrong node and fail with HTTP 400 "Session ID unknown"${ctx.cite.cite(['sticky-sessions'], 'socket.io')}.`,
      );
      out.push(stickyMd(ctx));
      // An adapter the code already sets is kept: the sharded one is a switch with a reason, not a default.
      const inPlace = ctx.input.analysis.stack.scaling.find((x) => x.name === adapterName(ctx) && !/(^|\/)package\.json:/.test(x.evidence));
      out.push(
        inPlace
          ? `Where the adapter set at ${code(inPlace.evidence)} is the classic one (${code('createAdapter')}), keep it; switch to the sharded adapter (${code('createShardedAdapter')}, Redis ≥ 7.0, ${code('redis')} ≥ 4.6.0) when Redis runs as a cluster on 7.0 or later and rooms are many: sharded pub/sub spreads the traffic over the cluster's shards instead of every node of it, and ${code("subscriptionMode: 'dynamic'")} adds one channel per public room so nodes receive only rooms they host.`
          : `For new deployments prefer the sharded adapter (${code('createShardedAdapter')}, Redis ≥ 7.0, ${code('redis')} ≥ 4.6.0); ${code("subscriptionMode: 'dynamic'")} adds one channel per public room so nodes receive only rooms they host.`,
      );
      out.push(...affinityNotes(ctx));
    } else {
      const affinity = affinityNotes(ctx);
      const bus =
        profileOf(ctx).fanoutMd ??
        (hasBus(ctx)
          ? `Several nodes: publish every message whose recipients may be connected to another node (a room's or an entity's broadcast, and a user's own events, since that user's sockets can be on any node) to ${code(adapterName(ctx))} on a channel per room, entity or user${sendsToday(ctx)}, and let each node deliver to its local sockets.`
          : seqless(ctx) && traitsOf(ctx).liveness === 'yjs-provider'
            ? 'Several nodes: every editor of a document connects to the process that holds it (routed by docId, below), so no message crosses nodes and no pub/sub bus is added next to the document server.'
            : 'Several nodes: no message crosses nodes (each one has a single recipient, served by the instance that produces it), so no pub/sub bus is needed.');
      // Per-instance state (a resume buffer, an in-memory Y.Doc) makes "any node" routing wrong: say how to route instead.
      if (affinity.length > 0 || profileOf(ctx).fanoutMd) out.push(`${bus}${holderMeetsMd(ctx)}`, ...affinity, ...roomLimitNotes(ctx));
      else out.push(`${bus} No sticky sessions are needed: all state a node holds is rebuilt on reconnect.`);
    }
  } else {
    const r = ctx.capacity.result;
    const planned = ctx.capacity.planned;
    if (r.capped && r.instancesForLoad > r.instances && planned) {
      // The context's own machine count bounds the fleet: what one carries is said, and no bus between nodes it does not have.
      const cores = planned.cores && profileOf(ctx).coresMd ? ` ${profileOf(ctx).coresMd!(planned.cores)}` : '';
      out.push(
        `One instance, as the context allows ("${text(planned.sentence)}", ${code(planned.evidence)}): by rt-plan's per-process figures${profileOf(ctx).unmeasured ? ` (Socket.IO's, not measured for ${profileOf(ctx).unmeasured!.library})` : ''} it does not carry the modelled load (${fmt(r.instancesForLoad)} would), so Performance and scaling says what to shrink${profileOf(ctx).unmeasured ? ' if the load test confirms it' : ''}; with no second node, nothing crosses nodes and no pub/sub bus is added.${cores}`,
      );
    } else if (r.capped && r.instances === 1 && planned?.singleHost)
      // One host by its nature (a device, a single process): a second instance is not the team's to add.
      out.push(
        `One instance, as the context states ("${text(planned.sentence)}", ${code(planned.evidence)}): it carries the modelled load, and with no second node nothing crosses nodes and no pub/sub bus is added.`,
      );
    else out.push('One instance covers the load, but run two for availability once the feature matters.');
    for (const note of affinityNotes(ctx)) out.push(`Before adding a second instance: ${note}`);
  }
  const existing = ctx.input.analysis.stack.scaling;
  if (existing.length > 0)
    out.push(`Already in place: ${existing.map((x) => `${code(x.name)} (${text(x.evidence)})${wiringMd(ctx, x.evidence)}`).join(', ')}.`);
  const drain = profileOf(ctx).drainMd;
  if (drain) out.push(`${drain}${meetsMd(ctx, 'deploy', 'must')}`);
  else
    out.push(
      ecsBehindAlb(ctx)
        ? `Drain on deploy${serverAt(ctx)}: on SIGTERM stop accepting ${traitsOf(ctx).drainStops} and close what is still open with a going-away close before exiting.${existingShutdownMd(ctx)}${graceMd(ctx)}${meetsMd(ctx, 'deploy', 'must')}`
        : r.instances === 1
          ? // One instance: a drain has nowhere to send its clients unless the new process already runs beside it.
            `Deploys${serverAt(ctx)}: with one instance, a drain in batches has nowhere to send the clients it closes unless the new process is already running beside the old one (started first, behind the same address); otherwise all ${fmt(r.connectionsPerInstance)} drop whatever the drain does and come back to the new process as after a crash (Reconnect storm), so stop accepting ${traitsOf(ctx).drainStops}, close what is open with a going-away close (1001) and let the new process start at once. Close in batches over ${fmt(DRAIN_SECONDS)} s (${fmt(Math.ceil(r.connectionsPerInstance / DRAIN_SECONDS))} reconnects/s) only where the new process runs beside the old one, or once a second instance exists.${existingShutdownMd(ctx, true)}${graceMd(ctx)}${meetsMd(ctx, 'deploy', 'must')}`
          : `Drain on deploy${serverAt(ctx)}: stop accepting ${traitsOf(ctx).drainStops}, then close connections in batches over ${fmt(DRAIN_SECONDS)} s so the reconnect load (${fmt(Math.ceil(r.connectionsPerInstance / DRAIN_SECONDS))} reconnects/s per drained instance) stays flat.${existingShutdownMd(ctx)}${graceMd(ctx)}${meetsMd(ctx, 'deploy', 'must')}`,
    );
  const billing = platformBillingMd(ctx);
  if (billing) out.push(billing);
  // A server product we run (Centrifugo): the stated node count needs its shared engine; the money budget covers its nodes.
  const server = protocolTraits(ctx).channels;
  if (server) out.push(...serverNodeNotes(server, ctx.input));
  return out;
}

/**
 * Where one holder per room (a Durable Object, a PartyKit room) is the layout: the context's must
 * to keep it, and its must-not against a server of ours, which this layout needs none of.
 */
function holderMeetsMd(ctx: DesignCtx): string {
  const p = profileOf(ctx);
  if (!p.front || p.ownFanout) return '';
  const keep = contextStates(ctx, 'holderPerRoom', 'must');
  const noServer = contextStates(ctx, 'ownServer');
  return `${keep ? ` The plan keeps that layout and each room's history in its holder's own storage, as the context requires: ${quoteOf(keep)}.` : ''}${noServer ? ` Nothing this plan adds runs outside the platform: no server, fleet or Redis of ours, as the context requires: ${quoteOf(noServer)}.` : ''}`;
}

/**
 * A money budget stated on the same line as the platform that bills it ("the Durable Objects line
 * on the bill must stay under $250 / month"): what that platform bills and what keeps it down.
 * The price itself is not computed: rt-plan has no price list offline.
 */
function platformBillingMd(ctx: DesignCtx): string | null {
  const billing = profileOf(ctx).billingMd;
  if (!billing) return null;
  const reqs = ctx.input.sessions.requirements;
  const budget = reqs.find((r) => r.kind === 'number' && r.unit === 'currency/month' && reqs.some((i) => i.kind === 'infra' && i.evidence === r.evidence));
  if (!budget) return null;
  return billing(quoteOf(budget));
}

export const DRAIN_SECONDS = 60;

/**
 * Orchestrators the context names that kill a process a fixed time after SIGTERM, with their
 * setting; both default to 30 s, shorter than the drain
 * (kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination,
 * docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html).
 */
const ORCHESTRATORS: ReadonlyArray<{ re: RegExp; settingMd: string }> = [
  { re: /\b(?:kubernetes|k8s|EKS|GKE|AKS|pods?)\b/i, settingMd: `Kubernetes ${code('terminationGracePeriodSeconds')}` },
  { re: /\b(?:ECS|Fargate)\b/, settingMd: `ECS ${code('stopTimeout')}` },
];

/** An AWS Application Load Balancer named in the context (its target group drains a deregistering target). */
const ALB = /\b(?:ALB|application load balancer)\b/i;

/** The SIGTERM handler the code already has: the drain goes there, in place of what it does now. */
function existingShutdownMd(ctx: DesignCtx, single = false): string {
  const at = ctx.input.analysis.stack.shutdown;
  const closers = [protocolTraits(ctx).operations?.closeAllMd ?? profileOf(ctx).closeAllMd ?? traitsOf(ctx).closeAllMd, code('process.exit()')]
    .filter((x): x is string => x !== undefined)
    .join(', ');
  // A framework's shutdown-hooks switch is no handler: the framework's profile says where the drain goes.
  const hooks = at && ctx.input.analysis.stack.shutdownHooks ? frameworkSteps(ctx)?.shutdownHooksMd(at) : undefined;
  if (hooks) return hooks;
  return at
    ? single
      ? ` The code already handles the signal at ${code(at)}: the going-away close goes into that handler, before anything there that closes every connection or exits at once (${closers}).`
      : ` The code already handles the signal at ${code(at)}: the drain goes into that handler, in place of anything there that closes every connection or exits at once (${closers}), which would drop them all together.`
    : '';
}

/**
 * ECS behind an ALB (and no Kubernetes named): a task being replaced is deregistered first, the
 * ALB closes the connections still open on it when the deregistration delay ends, and SIGTERM
 * comes only after (docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-connection-draining.html).
 */
export function ecsBehindAlb(ctx: DesignCtx): boolean {
  const named = ORCHESTRATORS.filter((o) => contextMentions(ctx, o.re));
  return !named.some((o) => o.settingMd.startsWith('Kubernetes')) && named.some((o) => o.settingMd.startsWith('ECS')) && contextMentions(ctx, ALB);
}

function graceMd(ctx: DesignCtx): string {
  const named = ORCHESTRATORS.filter((o) => contextMentions(ctx, o.re));
  const out: string[] = [];
  // The endpoint is removed while SIGTERM is sent, not before: a preStop hook runs first, and the
  // grace period counts from its start (kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/).
  const k8s = named.some((o) => o.settingMd.startsWith('Kubernetes'));
  if (k8s)
    out.push(
      `Kubernetes takes the pod out of its Service endpoints while it sends SIGTERM, not before: add a ${code('preStop')} hook (a short sleep, a few seconds) so load balancers stop sending it new connections before the drain starts.`,
    );
  // ECS behind an ALB stops a task the other way round: it deregisters the target, waits for the
  // deregistration delay while the ALB keeps (then breaks) the open connections, and only then sends
  // SIGTERM (docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-connection-draining.html).
  if (ecsBehindAlb(ctx)) {
    out.push(
      `On ECS behind an ALB the order is the other way round: ECS first deregisters the task and waits for the target group's deregistration delay (${code('deregistration_delay.timeout_seconds')}, default 300 s) while the ALB keeps the task's open WebSockets, breaks those still open when it ends, and only then sends SIGTERM; so the drain above never sees the connections that came through the ALB. The clients still connected when the delay ends drop together (no close frame of ours reaches them) and come back within their first reconnect attempt's window (Connection management): the burst of Reconnect storm under Race conditions and edge cases; a shorter delay only makes deploys faster, not that burst smaller. ECS ${code('stopTimeout')} (default 30 s) then only bounds the shutdown after it.`,
    );
    return ` ${out.join(' ')}`;
  }
  if (named.length > 0)
    out.push(
      `${list(named.map((o) => o.settingMd))} ${named.length > 1 ? 'default' : 'defaults'} to 30 s ${k8s && named.length === 1 ? `counted from the start of the ${code('preStop')} hook` : `after SIGTERM${k8s ? ` (for Kubernetes from the start of the ${code('preStop')} hook)` : ''}`} before the process is killed: set it above the ${k8s ? 'hook and the ' : ''}${fmt(DRAIN_SECONDS)} s drain plus a margin, or the drain is cut off and clients see 1006.`,
    );
  // docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay
  if (contextMentions(ctx, ALB))
    out.push(
      `The ALB stops sending new requests (new connections too) to a deregistering target and waits up to the target group's deregistration delay (${code('deregistration_delay.timeout_seconds')}, default 300 s) for its open connections: keep that delay above the ${fmt(DRAIN_SECONDS)} s drain, so the target stays draining until its last connection has closed.`,
    );
  return out.length > 0 ? ` ${out.join(' ')}` : '';
}

/** " (today `a` at `f:l`, …)": the sends a bus would carry, where the analysis found them. */
function sendsToday(ctx: DesignCtx): string {
  const sends = serverSendsMd(ctx);
  return sends ? ` (the server's sends today: ${sends})` : '';
}

/** " (the server listens at `f:l`)", or the entry point the analysis found, in its own words. */
function serverAt(ctx: DesignCtx): string {
  const where = serverWhereMd(ctx);
  return where ? ` (${where})` : '';
}

/** The platform's per-room connection cap, checked against the largest room the context states. */
function roomLimitNotes(ctx: DesignCtx): string[] {
  const limit = profileOf(ctx).roomLimit;
  if (!limit) return [];
  const room = ctx.capacity.workload?.largestRoom ?? ctx.capacity.workload?.room ?? null;
  const caps = `A room holds up to ${fmt(limit.plain)} connections, ${fmt(limit.raised)} with ${limit.settingMd} (${limit.sourceMd})`;
  if (!room) return [`${caps}; the context states no room size, so measure the largest room before relying on the lower cap.`];
  const at = room.evidence ? ` (${code(room.evidence)})` : '';
  return [
    room.value <= limit.plain
      ? `${caps}: the stated rooms of up to ${fmt(room.value)}${at} fit without it.`
      : `${caps}: the stated rooms of ${fmt(room.value)}${at} need it.`,
  ];
}

function stickyMd(ctx: DesignCtx): string {
  // Above pingInterval + pingTimeout (the project's, else 25 s + 20 s), so nginx never closes a healthy connection first.
  const hb = (ctx.input.analysis.stack.heartbeat.intervalMs ?? 25_000) + pingTimeoutMs(ctx);
  const readTimeout = Math.ceil(hb / 1000) + 15;
  if (!mentionsNginx(ctx)) {
    return `Pin each client at the load balancer on something it has from the first request: the client address (nginx ${code('ip_hash')} or ${code('hash $remote_addr consistent')}) or a cookie (HAProxy ${code('cookie')}, AWS ALB stickiness, or the server's own ${code('cookie')} option). The Engine.IO ${code('sid')} cannot be used: the first handshake has none. Keep the proxy read timeout above ${fmt(hb)} ms (pingInterval + pingTimeout).`;
  }
  const conf = [
    'upstream socketio {',
    '  ip_hash;  # the same client address always reaches the same node',
    ...Array.from({ length: Math.min(ctx.capacity.result.instances, 3) }, (_, i) => `  server app${i + 1}:3000;`),
    ...(ctx.capacity.result.instances > 3 ? ['  # … one line per instance'] : []),
    '}',
    'server {',
    '  location /socket.io/ {',
    '    proxy_pass http://socketio;',
    '    proxy_http_version 1.1;',
    '    proxy_set_header Upgrade $http_upgrade;',
    '    proxy_set_header Connection "upgrade";',
    '    proxy_set_header Host $host;',
    `    proxy_read_timeout ${readTimeout}s;  # above pingInterval + pingTimeout (${fmt(hb)} ms)`,
    '  }',
    '}',
  ];
  return `The context puts the instances behind nginx: pin clients with ${code('ip_hash')} (the Engine.IO ${code('sid')} cannot be used, the first handshake has none). Clients behind one NAT share a node, which skews the balance but stays correct; a cookie (HAProxy, ALB, the server's ${code('cookie')} option) balances better where nginx Plus or another balancer is available. Host names and port are placeholders.\n\n  \`\`\`nginx\n${conf.map((l) => `  ${l}`).join('\n')}\n  \`\`\``;
}

/**
 * Compression notes with the zlib arithmetic done for the settings actually proposed
 * (index.ts should call this instead of its own `compression()`).
 */
export function compressionNotes(ctx: DesignCtx): string[] {
  const profile = profileOf(ctx);
  if (!profile.deflate) return profile.compressionMd ? [profile.compressionMd] : [];
  const name = traitsOf(ctx).deflateNameMd ?? code('perMessageDeflate');
  // The formula is in the ws note; cite it only when that note was gathered.
  const cite = ctx.cite.cite(['compression'], 'ws');
  const full = deflateBytes(15, 8);
  const perInstance = ctx.capacity.result.failoverPerInstance;
  const tunedServer = deflateBytes(11, 4);
  const inflate11 = 1 << 11;
  // One line with this project's figures: the per-connection arithmetic of the tuned settings is the same everywhere.
  return [
    `Keep ${name} off: at the default 15-bit windows and memLevel 8, zlib needs (1 << 17) + (1 << 17) = ${fmt(full.compressor)} B to deflate and 1 << 15 = ${fmt(full.decompressor)} B to inflate, ${formatBytes(full.total)} of zlib state per connection on top of the baseline${cite}, ${formatBytes(full.total * perInstance)} across ${fmt(perInstance)} connections on one instance after a failover, and payloads of ${fmt(ctx.capacity.values.payloadBytes)} bytes gain little. If bandwidth comes to matter more (large snapshots), 11-bit windows on both sides (${code('serverMaxWindowBits')} and ${code('clientMaxWindowBits')}) and memLevel 4 cost about ${formatBytes(tunedServer.compressor + inflate11)} per connection, ${formatBytes((tunedServer.compressor + inflate11) * perInstance)} on that instance; measure CPU before keeping it.`,
  ];
}

/** The pub/sub's publish rate: at peak, or steady and in a stated burst when the context states both. */
function pubsubRateMd(ctx: DesignCtx, unit = ''): string {
  const steady = ctx.capacity.result.pubsubPublishedPerSecond;
  const burst = burstOf(ctx.capacity);
  // A per-recipient rate delivered to a whole group publishes fewer, by a group size the context does not state.
  const most = ctx.capacity.groupDelivery ? 'at most ' : '';
  return burst && burst.factor > 1
    ? `${most}${fmt(steady)}${unit}/s steady, ${fmt(round(steady * burst.factor, 2))}${unit}/s in a burst`
    : `${most}${fmt(steady)}${unit}/s at peak`;
}
