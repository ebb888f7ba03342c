// Components and data flow, and the scaling topology. Nodes come from what this plan
// actually contains: the project's real entry files, the chosen library, the selected
// scenarios' external services, and an adapter only when more than one instance runs.
import { flowchart } from '../diagrams/builders.js';
import type { Diagram } from '../types.js';
import type { DesignCtx } from './context.js';
import { OPTION_LABEL } from './transport.js';
import { code, fmt, text } from './md.js';
import { providersOf } from './scenarios/voice.js';

type Node = Parameters<typeof flowchart>[1]['nodes'][number];
type Edge = Parameters<typeof flowchart>[1]['edges'][number];

function adapterName(ctx: DesignCtx): string {
  const existing = ctx.input.analysis.stack.scaling[0]?.name;
  if (existing) return existing;
  if (ctx.transport === 'socket.io') return '@socket.io/redis-adapter';
  return 'Redis pub/sub';
}

function providerArchitecture(ctx: DesignCtx): { diagram: Diagram; components: { name: string; responsibilityMd: string }[] } {
  const nodes: Node[] = [
    { key: 'web', label: ctx.labels.client, group: 'clients' },
    { key: 'exec', label: 'ActionExecutor (preview mode)', shape: 'round', group: 'clients' },
    { key: 'token', label: `Ephemeral token route (${ctx.layout.realtimeDir})`, shape: 'round', group: 'server' },
    { key: 'store', label: 'App data (applied actions)', shape: 'db', group: 'server' },
  ];
  const edges: Edge[] = [
    { from: 'web', to: 'token', label: 'POST with session cookie' },
    { from: 'web', to: 'exec', label: 'tool call' },
    { from: 'exec', to: 'store', label: 'apply after approval' },
  ];
  for (const p of providersOf(ctx)) {
    const key = `voice-${p}`;
    nodes.push({ key, label: p === 'openai-realtime' ? 'OpenAI Realtime' : 'Gemini Live', shape: 'round', group: 'external' });
    edges.push({ from: 'web', to: key, label: p === 'openai-realtime' ? 'WebRTC audio + oai-events' : 'WebSocket audio + tool calls', style: 'thick' });
    edges.push({ from: 'token', to: key, label: 'mint ephemeral token (API key)', style: 'dashed' });
  }
  const groups = [
    { key: 'clients', label: 'Browser' },
    { key: 'server', label: 'Our server' },
    { key: 'external', label: 'Voice provider' },
  ];
  return {
    diagram: flowchart('Architecture and data flow', { direction: 'LR', groups, nodes, edges }),
    components: [
      { name: ctx.labels.client, responsibilityMd: 'microphone capture, provider session, reconnection with the resumption handle' },
      { name: 'ActionExecutor', responsibilityMd: 'runs tool calls in preview mode and applies them after user approval' },
      { name: 'Ephemeral token route', responsibilityMd: 'authenticates the user and mints short-lived provider tokens; the only holder of the API key' },
    ],
  };
}

export function architecture(ctx: DesignCtx): { diagram: Diagram; components: { name: string; responsibilityMd: string }[] } {
  if (ctx.providerDirect) return providerArchitecture(ctx);
  const s = new Set(ctx.scenarios);
  const multi = ctx.capacity.result.instances > 1;
  const wire = OPTION_LABEL[ctx.transport];
  const nodes: Node[] = [{ key: 'web', label: ctx.labels.client, group: 'clients' }];
  const edges: Edge[] = [];
  const components: { name: string; responsibilityMd: string }[] = [
    { name: ctx.labels.client, responsibilityMd: 'connection manager (backoff, resume), typed event handlers, local state store' },
  ];
  if (s.has('state-sync')) {
    nodes.push({ key: 'cli', label: 'Terminal CLI', group: 'clients' });
    components.push({ name: 'Terminal CLI', responsibilityMd: 'same sync client as the UI, Node runtime' });
  }
  nodes.push({ key: 'lb', label: multi ? `Load balancer (${ctx.transport === 'socket.io' ? 'sticky or WebSocket-only' : 'any node'})` : 'Reverse proxy (TLS, upgrade)', shape: 'hexagon', group: 'edge' });
  nodes.push({ key: 'rt', label: `${ctx.labels.server}${multi ? ` ×${ctx.capacity.result.instances}` : ''}`, group: 'server' });
  components.push({ name: ctx.labels.server, responsibilityMd: `${wire} endpoint: handshake auth, schema validation, rate limits, routing to handlers` });
  nodes.push({ key: 'handlers', label: 'Event handlers + validation', shape: 'round', group: 'server' });
  nodes.push({ key: 'store', label: s.has('collab-editing') ? 'Document store (Yjs updates)' : 'Database (source of truth, seq log)', shape: 'db', group: 'data' });
  edges.push({ from: 'web', to: 'lb', label: ctx.transport === 'sse' ? 'HTTPS stream + POST' : wire, style: 'thick' });
  if (s.has('state-sync')) edges.push({ from: 'cli', to: 'lb', label: wire, style: 'thick' });
  edges.push({ from: 'lb', to: 'rt' }, { from: 'rt', to: 'handlers' }, { from: 'handlers', to: 'store', label: 'read/write' });
  if (multi) {
    nodes.push({ key: 'bus', label: adapterName(ctx), shape: 'queue', group: 'data' });
    edges.push({ from: 'rt', to: 'bus', label: 'publish broadcasts', style: 'dashed' }, { from: 'bus', to: 'rt', label: 'deliver to other nodes', style: 'dashed' });
    components.push({ name: adapterName(ctx), responsibilityMd: `cross-node broadcast (${fmt(ctx.capacity.result.pubsubPublishedPerSecond)} publishes/s at peak)` });
  }
  if (s.has('ai-streaming')) {
    nodes.push({ key: 'llm', label: 'LLM provider', shape: 'round', group: 'external' });
    edges.push({ from: 'handlers', to: 'llm', label: 'streaming completion' });
    components.push({ name: 'AI relay', responsibilityMd: 'start/chunk/end framing, resume buffer, abort on cancel' });
  }
  if (s.has('voice')) {
    nodes.push({ key: 'token', label: 'Ephemeral token route', shape: 'round', group: 'server' });
    edges.push({ from: 'web', to: 'token', label: 'POST, session cookie' });
    for (const p of providersOf(ctx)) {
      const key = `voice-${p}`;
      nodes.push({ key, label: p === 'openai-realtime' ? 'OpenAI Realtime' : 'Gemini Live', shape: 'round', group: 'external' });
      edges.push({ from: 'web', to: key, label: p === 'openai-realtime' ? 'WebRTC audio + oai-events' : 'WebSocket audio', style: 'thick' });
      edges.push({ from: 'token', to: key, label: 'mint secret (API key)', style: 'dashed' });
    }
    components.push({ name: 'ActionExecutor', responsibilityMd: 'runs tool calls in preview mode and applies them after user approval' });
  }
  if (s.has('notifications')) {
    nodes.push({ key: 'outbox', label: 'Notification outbox', shape: 'db', group: 'data' });
    edges.push({ from: 'handlers', to: 'outbox', label: 'replay after seq' });
  }
  const groups = [
    { key: 'clients', label: 'Clients' },
    { key: 'edge', label: 'Edge' },
    { key: 'server', label: `Real-time tier (${ctx.layout.serverDir || 'project root'})` },
    { key: 'data', label: 'State' },
    ...(s.has('ai-streaming') || s.has('voice') ? [{ key: 'external', label: 'External services' }] : []),
  ];
  return { diagram: flowchart('Architecture and data flow', { direction: 'LR', groups, nodes, edges }), components };
}

export function topology(ctx: DesignCtx): Diagram {
  const r = ctx.capacity.result;
  const shown = Math.min(r.instances, 3);
  const nodes: Node[] = [
    { key: 'clients', label: `${fmt(ctx.capacity.values.connections)} clients`, shape: 'circle' },
    { key: 'lb', label: ctx.transport === 'socket.io' && r.instances > 1 ? 'Load balancer (sticky by sid, or WebSocket-only)' : 'Load balancer (least connections)', shape: 'hexagon' },
  ];
  const edges: Edge[] = [{ from: 'clients', to: 'lb', style: 'thick' }];
  for (let i = 1; i <= shown; i++) {
    const last = i === shown && r.instances > shown;
    nodes.push({ key: `node${i}`, label: last ? `instance ${i}…${r.instances} (~${fmt(r.connectionsPerInstance)} conns each)` : `instance ${i} (~${fmt(r.connectionsPerInstance)} conns)` });
    edges.push({ from: 'lb', to: `node${i}` });
  }
  if (r.instances > 1) {
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
    out.push(`Audio never touches our servers: the ${fmt(r.instances)} instances only serve the token route and action endpoints, and hold no connection state, so any load balancer works.`);
    if (providersOf(ctx).includes('gemini-live')) out.push(`Gemini Live allows up to 1,000 concurrent sessions per project${ctx.cite.cite(['session-limits'], 'gemini-live')}: at ${fmt(ctx.capacity.values.connections)} sessions that is ${fmt(Math.round((ctx.capacity.values.connections / 1000) * 100))}% of the quota; request more before launch if growth is expected.`);
    return out;
  }
  if (r.instances > 1) {
    if (ctx.transport === 'socket.io') {
      out.push(`Several nodes: ${code(adapterName(ctx))} relays broadcasts${ctx.cite.cite(['scaling', 'redis'], '@socket.io/redis-adapter')}. Sticky sessions are required while HTTP long-polling is enabled (otherwise clients get HTTP 400 "Session ID unknown")${ctx.cite.cite(['sticky-sessions'], 'socket.io')}; with ${code("transports: ['websocket']")} on every client they are not.`);
      out.push(`For new deployments prefer the sharded adapter (${code('createShardedAdapter')}, Redis ≥ 7.0, ${code('redis')} ≥ 4.6.0); ${code("subscriptionMode: 'dynamic'")} adds one channel per public room so nodes receive only rooms they host.`);
    } else {
      out.push(`Several nodes: publish every broadcast to ${code(adapterName(ctx))} on a channel per room/entity, and let each node deliver to its local sockets. No sticky sessions are needed: all state a node holds is rebuilt on reconnect.`);
    }
  } else {
    out.push('One instance covers the load, but run two for availability once the feature matters.');
  }
  const existing = ctx.input.analysis.stack.scaling;
  if (existing.length > 0) out.push(`Already in place: ${existing.map((x) => `${code(x.name)} (${text(x.evidence)})`).join(', ')}.`);
  out.push(`Drain on deploy: stop accepting upgrades, then close connections in batches over 60 s so the reconnect load (${fmt(Math.ceil(r.connectionsPerInstance / 60))} reconnects/s per drained instance) stays flat.`);
  return out;
}
