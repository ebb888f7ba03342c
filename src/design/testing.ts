// Testing strategy. The load-test sketch takes its numbers from the capacity model (one
// instance at its usable connection count, then the whole fleet), and its messages from
// the event catalog, so the script tests this design rather than a generic echo.
import type { EventSpec, PayloadField } from '../types.js';
import { streamPath, type DesignCtx } from './context.js';
import type { Plan } from './types.js';
import type { ScenarioModule } from './scenarios/kit.js';
import { code, fenceSafe, fmt, list, round } from './md.js';

function sample(field: PayloadField): unknown {
  const t = field.type.trim();
  if (t === 'string') return `load-${field.name}`;
  if (t === 'integer' || t === 'number') return 0;
  if (t === 'boolean') return true;
  if (t.endsWith('[]')) return [];
  if (t.startsWith('Record<')) return {};
  const literal = /^'([^']*)'/.exec(t);
  return literal ? literal[1] : null;
}

export function samplePayload(e: EventSpec): Record<string, unknown> {
  return Object.fromEntries(e.payload.filter((p) => !p.optional).map((p) => [p.name, sample(p)]));
}

function loadScript(ctx: DesignCtx, events: EventSpec[]): Plan['testing']['load'] {
  const r = ctx.capacity.result;
  const v = ctx.capacity.values;
  if (ctx.providerDirect) {
    // Sessions start at most once per 10-minute connection; a reconnect storm is every client at once.
    const rate = Math.max(1, Math.ceil(v.connections / 600));
    return {
      tool: 'k6 (HTTP)',
      lang: 'js',
      code: fenceSafe(`import http from 'k6/http';\nimport { check } from 'k6';\nexport const options = {\n  scenarios: {\n    steady: { executor: 'constant-arrival-rate', rate: ${rate}, timeUnit: '1s', duration: '10m', preAllocatedVUs: ${rate * 2} },\n    storm: { executor: 'shared-iterations', vus: ${Math.min(v.connections, 500)}, iterations: ${v.connections}, startTime: '10m' },\n  },\n  thresholds: { http_req_duration: ['p(95)<300'] },\n};\nexport default function () {\n  const res = http.post(__ENV.BASE + '/api/realtime/token', null, { headers: { Cookie: __ENV.COOKIE } });\n  check(res, { 'token issued': (r) => r.status === 200 });\n}`),
      numbersMd: `The provider carries the audio, so the load on our side is the token route: ${fmt(v.connections)} concurrent sessions renewing every 10 minutes is ${fmt(rate)} tokens/s steady, and a reconnect storm asks for ${fmt(v.connections)} tokens at once. Run against a stubbed provider; never load-test the real API.`,
    };
  }
  const perInstance = Math.min(v.connections, r.usablePerInstance);
  const intervalMs = Math.max(100, Math.round((1000 * v.connections) / Math.max(v.msgRate, 0.001)));
  const inbound = events.filter((e) => e.direction !== 'server-to-client' && e.origin === 'proposed' && e.name.includes(':') && !e.name.startsWith('sys:'));
  const first = inbound[0];
  const steady = inbound.find((e) => /send|mutate|update|request/.test(e.name)) ?? first;
  const numbersMd = `Target ${fmt(perInstance)} connections on one instance (its usable capacity), then ${fmt(v.connections)} across ${fmt(r.instances)} instances; each virtual user sends one message every ${fmt(round(intervalMs / 1000, 1))} s (${fmt(v.msgRate)} msg/s in total), so the fleet sees ${fmt(r.deliveriesPerSecond)} deliveries/s. Pass when p95 delivery stays under the SLO and error rate under 0.05%.`;
  const json = (e: EventSpec | undefined) => JSON.stringify(e ? samplePayload(e) : {});
  if (ctx.transport === 'socket.io') {
    const rate = Math.max(1, Math.ceil(perInstance / 600));
    const flow = [
      first ? `      - emit:\n          channel: ${JSON.stringify(first.name)}\n          data: ${json(first)}` : '',
      steady ? `      - loop:\n          - emit:\n              channel: ${JSON.stringify(steady.name)}\n              data: ${json(steady)}\n          - think: ${round(intervalMs / 1000, 1)}\n        count: ${Math.max(1, Math.floor(600_000 / intervalMs))}` : '      - think: 600',
    ].filter(Boolean).join('\n');
    return {
      tool: 'Artillery (socketio engine)',
      lang: 'yaml',
      code: fenceSafe(`config:\n  target: "https://staging.example.invalid"\n  phases:\n    - { duration: 120, arrivalRate: 1, rampTo: ${rate}, name: ramp }\n    - { duration: 600, arrivalRate: ${rate}, name: "steady ~${fmt(rate * 600)} concurrent" }\n  socketio:\n    transports: ["websocket"]\nscenarios:\n  - engine: socketio\n    flow:\n${flow}`),
      numbersMd,
    };
  }
  const url = ctx.transport === 'sse' ? streamPath(ctx.layout) : '/ws';
  if (ctx.transport === 'sse') {
    return {
      tool: 'k6 with the xk6-sse extension',
      lang: 'js',
      code: fenceSafe(`import sse from 'k6/x/sse';\nimport { check } from 'k6';\nexport const options = {\n  stages: [\n    { duration: '2m', target: ${Math.ceil(perInstance / 4)} },\n    { duration: '3m', target: ${perInstance} },\n    { duration: '10m', target: ${perInstance} },\n    { duration: '2m', target: 0 },\n  ],\n};\nexport default function () {\n  const res = sse.open(__ENV.BASE + '${url}', { headers: { Cookie: __ENV.COOKIE } }, (client) => {\n    client.on('event', (e) => check(e, { 'has id': (x) => x.id !== '' }));\n  });\n  check(res, { 'status 200': (r) => r && r.status === 200 });\n}`),
      numbersMd,
    };
  }
  const frame = (e: EventSpec | undefined) => (e ? `JSON.stringify({ type: ${JSON.stringify(e.name)}, v: 1, payload: ${json(e)} })` : "JSON.stringify({ type: 'sys:ping', v: 1, payload: { ts: Date.now() } })");
  return {
    tool: 'k6 (k6/ws)',
    lang: 'js',
    code: fenceSafe(`import ws from 'k6/ws';\nimport { check } from 'k6';\nexport const options = {\n  stages: [\n    { duration: '2m', target: ${Math.ceil(perInstance / 4)} },\n    { duration: '3m', target: ${perInstance} },\n    { duration: '10m', target: ${perInstance} },\n    { duration: '2m', target: 0 },\n  ],\n  thresholds: { ws_connecting: ['p(95)<1000'], checks: ['rate>0.9995'] },\n};\nexport default function () {\n  const res = ws.connect(__ENV.BASE + '${url}', { headers: { Cookie: __ENV.COOKIE } }, (socket) => {\n    socket.on('open', () => {\n      socket.send(${frame(first)});\n      socket.setInterval(() => socket.send(${frame(steady)}), ${intervalMs});\n    });\n    socket.setTimeout(() => socket.close(), 600000);\n  });\n  check(res, { 'upgraded (101)': (r) => r && r.status === 101 });\n}`),
    numbersMd,
  };
}

export function testingSection(ctx: DesignCtx, events: EventSpec[], modules: ScenarioModule[]): Plan['testing'] {
  const client = ctx.providerDirect ? 'a provider stub on 127.0.0.1 standing in for the voice API' : ctx.transport === 'socket.io' ? code('socket.io-client') : ctx.transport === 'sse' ? `${code('fetch')} reading the event stream (Node 20 has no global EventSource)` : ctx.transport === 'websocket' ? code('ws') : 'a stubbed provider';
  const handlers = events.filter((e) => e.direction !== 'server-to-client' && !e.name.includes('.')).slice(0, 5).map((e) => code(e.name));
  const layers = [
    { kind: 'Unit', whatMd: `handlers as pure functions with a fake socket: ${list(handlers)}; schema rejection of every inbound payload with one wrong field; backoff delay bounds (attempt n ∈ [0, min(30 s, 0.5 s × 2^n)]).` },
    { kind: 'Integration', whatMd: `start the real server on 127.0.0.1 port 0 and connect with ${client}: handshake auth accepted and rejected, ack round trips, broadcast reaches exactly the authorized clients.` },
    ...modules.map((m) => ({ kind: m.title, whatMd: m.tests(ctx).join('; ') + '.' })),
    { kind: 'Contract', whatMd: 'the server validates inbound frames and the test suite validates outbound frames against the same schemas as the catalog; breaking one fails both sides.' },
  ];
  const chaosMd = [
    `Kill one of ${fmt(ctx.capacity.result.instances)} instances under load: every client reconnects, ${fmt(ctx.capacity.result.failoverPerInstance)} connections land on each survivor, and no acked message is lost (compare seqs).`,
    'Drop the network for 5 s, 60 s and 15 min (toxiproxy or `iptables`): short drops resume without a snapshot, long ones resync with one.',
    ...(ctx.capacity.result.pubsubPublishedPerSecond > 0 ? ['Restart Redis during broadcast: nodes keep local delivery, clients resync after recovery, the PubSubLag alert fires.'] : []),
    'Open the same account in 5 tabs and reconnect all at once: presence and subscriptions stay single, rate limits hold.',
  ];
  const latencyMd = [
    'Round trip from the client: timestamp at send, read at ack (or at the echoed broadcast); half the RTT approximates one-way latency without depending on clock sync.',
    `Report p50/p95/p99 per event from the load test into ${code('delivery_latency_seconds')} and compare with the SLOs in Observability; fail the run when p95 exceeds it.`,
  ];
  return { layers, load: loadScript(ctx, events), chaosMd, latencyMd };
}
