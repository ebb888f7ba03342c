// Connection management, resilience and ops: one reconnect policy per plan used by every
// section, storm figures from the first-attempt window, one affinity choice for Socket.IO,
// honest dead-peer detection, Socket.IO error signalling, and the numbers in Security,
// compression and the load test.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/design/index.js';
import type { DesignCtx } from '../../src/design/context.js';
import { Citer } from '../../src/design/cite.js';
import { reconnectPolicy, recoveryMd, reconnectSummaryMd } from '../../src/design/connection.js';
import { backoffCap } from '../../src/design/connection-providers.js';
import { reconnectStorm } from '../../src/design/steps.js';
import { compressionNotes, stickySessions } from '../../src/design/architecture.js';
import { backpressureNotes } from '../../src/design/ops.js';
import { payloadCap, roomNamingMd } from '../../src/design/security.js';
import type { PlanInput } from '../../src/design/types.js';
import { CTX, KNOWLEDGE, chatInput, notificationsInput, sessions, subscriptionsInput, aiInput } from './inputs.js';
import { extractRequirements } from '../../src/context/requirements.js';

type Policy = Parameters<typeof reconnectPolicy>[0];
const sio: Policy = { transport: 'socket.io', library: 'socket.io', providerDirect: false, scenarios: ['chat-collab'] };

/** A hand-made context with only what these functions read. */
function ctx(over: Partial<DesignCtx> & { instances?: number; perInstance?: number; payloadBytes?: number; intervalMs?: number } = {}): DesignCtx {
  const { instances = 3, perInstance = 1667, payloadBytes = 512, intervalMs, ...rest } = over;
  const input = chatInput();
  input.analysis.stack.heartbeat = intervalMs ? { present: true, evidence: 'server.js:9', intervalMs } : { present: false, evidence: null };
  return {
    input,
    scenarios: ['chat-collab'],
    transport: 'socket.io',
    library: 'socket.io',
    docLibrary: 'socket.io',
    libraryUse: null,
    layout: { ext: 'js', serverEntry: 'server.js', serverDir: '', clientEntry: null, clientDir: null, realtimeDir: 'realtime', framework: null },
    entity: 'room',
    voiceProviders: [],
    capacity: {
      values: { connections: 5000, msgRate: 500, payloadBytes, fanout: 200 },
      result: {
        instances,
        connectionsPerInstance: perInstance,
        failoverPerInstance: Math.ceil((instances * perInstance) / (instances - 1)),
        usablePerInstance: 7000,
        deliveriesPerSecond: 100_000,
      },
    } as unknown as DesignCtx['capacity'],
    hasRealtime: true,
    providerDirect: false,
    labels: { client: 'Web client', server: 'server' },
    cite: new Citer({ refs: KNOWLEDGE, notices: [] }),
    assume: () => {},
    ...rest,
  };
}

/** The example project: Socket.IO behind nginx, 3 instances, 5,000 users, rooms of 200. */
function nginxChat(): PlanInput {
  const i = chatInput();
  const body = 'We are moving from one server to 3 instances behind nginx.';
  i.sessions.docs[0]!.body += `${body}\n`;
  return i;
}

describe('one reconnect policy per transport', () => {
  it('Socket.IO: min(cap, base × 2^n × (1 ± 0.5)), clipped at 30 s', () => {
    const p = reconnectPolicy(sio);
    expect(p.kind).toBe('socket.io');
    expect(p.table.map((r) => r.minMs)).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000]);
    expect(p.table.map((r) => r.ceilingMs)).toEqual([750, 1500, 3000, 6000, 12000, 24000, 30000, 30000]);
    expect(p.table.map((r) => r.expectedMs)).toEqual([500, 1000, 2000, 4000, 8000, 16000, 26937.5, 30000]);
    expect(reconnectSummaryMd(sio)).toBe('Socket.IO reconnection 500 ms × 2^n ±50%, capped at 30 s');
  });

  it('plain WebSocket: full jitter; y-websocket: 100 ms × 2^n to 2.5 s; EventSource: fixed retry', () => {
    const ws = reconnectPolicy({ transport: 'websocket', library: 'ws', providerDirect: false, scenarios: ['subscriptions'] });
    expect(ws.kind).toBe('full-jitter');
    expect(ws.table.map((r) => [r.minMs, r.ceilingMs, r.expectedMs])).toEqual([
      [0, 500, 250],
      [0, 1000, 500],
      [0, 2000, 1000],
      [0, 4000, 2000],
      [0, 8000, 4000],
      [0, 16000, 8000],
      [0, 30000, 15000],
      [0, 30000, 15000],
    ]);
    const y = reconnectPolicy({ transport: 'websocket', library: 'y-websocket', providerDirect: false, scenarios: ['collab-editing'] });
    expect(y.table.map((r) => r.ceilingMs)).toEqual([100, 200, 400, 800, 1600, 2500, 2500, 2500]);
    expect(y.table.every((r) => r.minMs === r.ceilingMs)).toBe(true);
    const sse = reconnectPolicy({ transport: 'sse', library: null, providerDirect: false, scenarios: ['notifications'] });
    expect(sse.table.every((r) => r.minMs === 500 && r.ceilingMs === 1500 && r.expectedMs === 1000)).toBe(true);
    // fetch-read AI streams retry with the app's own policy
    expect(reconnectPolicy({ transport: 'sse', library: null, providerDirect: false, scenarios: ['ai-streaming'] }).kind).toBe('full-jitter');
  });

  it('computes the recovery sentence from the policy and adds detection time', () => {
    expect(recoveryMd(ctx())).toBe(
      'First attempt after 250–750 ms (expected 500 ms); the first two attempts together wait 1,500 ms expected, 2,250 ms at worst, so the 2 s recovery target holds when the first attempt succeeds, not always when a second one is needed; these count from the moment the drop is noticed: a close or network error is seen at once, a silently dead peer only after up to 45,000 ms (pingInterval + pingTimeout).',
    );
  });

  it('every section of a Socket.IO plan describes the same policy', () => {
    const plan = buildPlan(nginxChat());
    expect(plan.connection.backoffTable.map((r) => r.ceilingMs)).toEqual([750, 1500, 3000, 6000, 12000, 24000, 30000, 30000]);
    expect(plan.connection.backoffMd).toContain('min(30,000 ms, 500 ms × 2^n × (1 ± 0.5))');
    expect(plan.connection.backoffMd).not.toContain('uniform in [0');
    expect(plan.connection.lifecycle.source).not.toContain('random(0');
    expect(plan.testing.layers[0]!.whatMd).toContain('attempt 0 in [250, 750] ms, attempt 1 in [500, 1,500] ms, never above 30,000 ms');
    const slo = plan.observability.slos.find((s) => s.name === 'Connection recovery')!;
    expect(slo.sourceMd).toContain('1,500 ms expected, 2,250 ms at worst');
    expect(slo.sourceMd).toContain('30,000 ms (pingInterval + pingTimeout)');
    const all = JSON.stringify(plan);
    expect(all).not.toMatch(/Full-jitter backoff spreads|expects 750 ms/);
  });
});

describe('Socket.IO pingTimeout by version', () => {
  /** The chat input with no heartbeat option set, on a given socket.io release. */
  function unset(version: string): PlanInput {
    const i = chatInput();
    i.analysis.stack.heartbeat = { present: true, evidence: 'server.js:9' };
    i.analysis.stack.libraries[0] = { ...i.analysis.stack.libraries[0]!, version, declared: version };
    return i;
  }
  it('v4: the v4 default, cited as such', () => {
    const row = buildPlan(unset('4.7.2')).connection.heartbeat.find((r) => r.label === 'pingTimeout')!;
    expect(row.valueMd).toBe('20,000 ms');
    expect(row.sourceMd).toMatch(/^Socket\.IO v4 default/);
  });
  it('2.x: not called the v4 default; the plan asks for it to be set and the bounds say so', () => {
    const plan = buildPlan(unset('2.0.4'));
    const row = plan.connection.heartbeat.find((r) => r.label === 'pingTimeout')!;
    expect(row).toEqual({
      label: 'pingTimeout',
      valueMd: '20,000 ms (planned: set `pingTimeout: 20000` in the Server options)',
      sourceMd:
        'not set today, and the default of the engine.io release `socket.io` 2.0.4 installs is not known to rt-plan; the bounds below hold once it is set',
    });
    const slo = plan.observability.slos.find((s) => s.name === 'Connection recovery')!;
    expect(slo.sourceMd).toContain('45,000 ms (pingInterval + pingTimeout, once pingTimeout is set as planned)');
  });
});

describe('reconnect storm', () => {
  it('derives the burst from the first-attempt window, not the backoff cap', () => {
    const e = reconnectStorm(ctx());
    expect(e.riskMd).toBe(
      "An instance dies and its 1,667 clients reconnect together, each re-authenticating and asking for replay: Socket.IO's first attempt waits 250–750 ms (±50% around 500 ms), so 834 clients reach each of the 2 survivors within 500 ms, about 1,668 reconnects/s.",
    );
    expect(e.mitigationMd).toContain('uniform 0–5 s on `io server disconnect`: about 167 reconnects/s per survivor');
    expect(e.mitigationMd).toContain('Deploys drain over 60 s: 28 reconnects/s per drained instance');
    expect(e.mitigationMd).toContain("`next(new Error('overloaded'))`");
    expect(e.mitigationMd).not.toMatch(/1013|503/);
  });

  it('y-websocket clients without jitter arrive in the same instant', () => {
    const e = reconnectStorm(ctx({ transport: 'websocket', library: 'y-websocket', scenarios: ['collab-editing'], instances: 2, perInstance: 1000 }));
    expect(e.riskMd).toContain('retries after exactly 100 ms, with no jitter at all, so 1,000 clients reach the surviving instance in the same instant.');
  });
});

describe('Socket.IO affinity, errors and backpressure', () => {
  it('one coherent choice: default transports, sticky by ip_hash behind nginx', () => {
    const plan = buildPlan(nginxChat());
    expect(plan.connection.clientConfig.code).not.toContain("transports: ['websocket']");
    const scaling = plan.performance.scalingMd.join('\n');
    for (const line of [
      'ip_hash;',
      'proxy_http_version 1.1;',
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection "upgrade";',
      'proxy_read_timeout 45s;',
    ])
      expect(scaling).toContain(line);
    expect(scaling).toContain('the Engine.IO `sid` cannot be used');
    expect(plan.performance.topology.source).toContain('nginx (ip_hash sticky, WebSocket upgrade)');
    expect(JSON.stringify(plan)).not.toMatch(/sticky by sid|WebSocket-only|no sticky sessions needed/);
    expect(stickySessions(ctx())).toBe(true);
    expect(stickySessions(ctx({ instances: 1 }))).toBe(false);
  });

  it('uses sys:error and disconnect(true), never close codes, on Socket.IO', () => {
    const plan = buildPlan(nginxChat());
    const expiry = plan.edgeCases.find((e) => e.title === 'Token expires on a long-lived connection')!;
    expect(expiry.mitigationMd).toContain('`socket.disconnect(true)`');
    expect(JSON.stringify([plan.edgeCases, plan.errors])).not.toMatch(/4001|1013/);
    expect(plan.errors.codes.map((c) => c.code)).not.toContain('AUTH_FAILED');
    expect(plan.errors.standardMd).toContain('Here a refused handshake is `next(err)` in `io.use` with `err.data.code`');
  });

  it('measures Socket.IO buffers in packets, not bufferedAmount', () => {
    const plan = buildPlan(nginxChat());
    const metric = plan.observability.metrics.find((m) => m.name.endsWith('send_buffer_packets'))!;
    expect(metric.whyMd).toContain('`socket.conn.writeBuffer.length`');
    expect(JSON.stringify(plan.observability)).not.toContain('bufferedAmount');
    expect(backpressureNotes(ctx())[0]).toContain('above 2,048 packets (≈ 1 MiB at the 512-byte average)');
    expect(backpressureNotes(ctx())[0]).toContain('above 8,192 (≈ 4 MiB)');
  });

  it('names rooms honestly: `/` is a namespace, the existing roomId naming is kept', () => {
    const c = ctx();
    c.input.analysis.events = [
      {
        name: 'chatMessage',
        direction: 'client-to-server',
        origin: 'existing',
        evidence: 'server/index.js:34',
        transport: 'socket.io',
        payload: [
          { name: 'roomId', type: 'unknown' },
          { name: 'text', type: 'unknown' },
        ],
      },
    ];
    const events = buildPlan(nginxChat()).events;
    const md = roomNamingMd(c, events);
    expect(md).toContain('address Socket.IO rooms by the bare `roomId` they receive (`chatMessage` at server/index.js:34)');
    expect(md).toContain('`/` is a namespace, not a room');
    expect(md).toContain('only a proposal');
  });
});

describe('SSE dead peers', () => {
  it('does not claim a failed write detects a half-open client', () => {
    const plan = buildPlan(notificationsInput());
    const rows = plan.connection.heartbeat.map((r) => `${r.label}: ${r.valueMd}`);
    expect(rows.join('\n')).not.toContain('next failed write');
    expect(rows).toContain(
      "Dead client, seen by the server: late: writes to a half-open TCP connection succeed into the kernel buffer until retransmission gives up (about 15 minutes with Linux's default tcp_retries2 = 15)",
    );
    expect(rows).toContain('Dead server, seen by the client: nothing read for 35,000 ms → `close()` and reopen');
    expect(plan.connection.backoffMd).toContain('no backoff');
  });
});

describe('security and compression numbers', () => {
  it('states a true payload-cap rule', () => {
    const plan = buildPlan(nginxChat());
    expect(payloadCap(ctx())).toBe(16384);
    expect(payloadCap(ctx({ payloadBytes: 1000 }))).toBe(32768);
    const cap = plan.security.controls.find((c) => c.label === 'Payload cap')!;
    expect(cap.valueMd).not.toContain('4×');
    expect(cap.valueMd).toMatch(/the smallest power of two ≥ 16 KiB and ≥ 32× the [\d,]+-byte average payload/);
  });

  it('keeps an existing ws maxPayload and Origin check instead of proposing new ones', () => {
    const i = subscriptionsInput();
    i.analysis.findings = i.analysis.findings.filter((f) => f.id !== 'no-origin-check');
    const controls = buildPlan(i).security.controls;
    expect(controls.find((c) => c.label === 'Payload cap')!.valueMd).toContain('keep the existing `maxPayload`');
    expect(controls.find((c) => c.label === 'Origin check (CSWSH)')!.valueMd).toContain('keep the existing Origin allow-list');
    i.analysis.findings.push({
      id: 'no-payload-limit',
      severity: 'medium',
      message: 'no maxPayload',
      evidence: 'server/src/websocket/index.ts:13',
      fix: 'set it',
    });
    expect(buildPlan(i).security.controls.find((c) => c.label === 'Payload cap')!.valueMd).toContain('`maxPayload: 16384`');
  });

  it('counts the inflate window in the tuned deflate figure and cites the ws note', () => {
    const notes = compressionNotes(ctx());
    // One line: the tuned alternative is stated with this project's per-instance figure, not as a second generic bullet.
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('[K3]');
    expect(notes[0]).not.toContain('[K1]');
    expect(notes[0]).toContain(
      '11-bit windows on both sides (`serverMaxWindowBits` and `clientMaxWindowBits`) and memLevel 4 cost about 18 KiB per connection',
    );
  });
});

describe('load test follows the model', () => {
  it('targets the most one instance holds (a failover share below its usable capacity), joins rooms of the modelled size with existing events', () => {
    const plan = buildPlan(nginxChat());
    const { code, numbersMd, scriptMd } = plan.testing.load;
    // 20,000 on 4 instances: ⌈20,000 ÷ 3⌉ = 6,667 with one down, below the usable 7,000; run 2 holds all 20,000.
    expect(numbersMd).toContain(
      "Run 1: one instance up to the most this plan puts on one, 6,667 connections (a failover puts 6,667 on it: ⌈20,000 ÷ (4 − 1)⌉; the capacity model's usable 7,000 per instance is more than this plan ever puts on one instance, so the run stops here). Run 2: the whole fleet, 20,000 connections across 4 instances",
    );
    // The skeleton is in the operations note: the plan gives this project's values for it.
    expect(code).toBe('');
    expect(scriptMd).toContain("Script: Artillery's socketio skeleton");
    expect(scriptMd).toContain(
      '`arrivalCount: 6667` over 600 s, `pickRoom` over 134 rooms in run 1 and over 400 in run 2 (`arrivalCount: 20000`), then emit `joinRoom` with `"__room__"`',
    );
    expect(numbersMd).toContain(
      'joins one of 134 rooms with `joinRoom` (6,667 users ÷ 134 rooms ≈ 50 per room, the modelled fan-out of 50; run 2 spreads its 20,000 over 400 rooms, ≈ 50 per room, the modelled room of 50 its figures assume)',
    );
    expect(numbersMd).toContain('`chatMessage`');
  });

  it('k6 for plain WebSocket gives the skeleton its rooms and frames', () => {
    const { code, scriptMd } = buildPlan(subscriptionsInput()).testing.load;
    expect(code).toBe('');
    expect(scriptMd).toMatch(/^Script: the `k6\/ws` skeleton .*`ROOMS=\d+`/);
    expect(scriptMd).toContain('`JOIN={"type":"subscribe:agent"');
  });

  it('k6 sends each stated stream by its own event at its own rate (SEND, SEND_2), not one event at the summed rate', () => {
    const base = subscriptionsInput();
    const body =
      '2,000 users are connected at peak, in rooms of 10.\nCursor positions: 20 updates/s per user.\nEach user sends one chat message every 10 seconds.\n';
    const ev = (name: string, direction: 'client-to-server' | 'server-to-client', payload: string[]) => ({
      name,
      direction,
      origin: 'existing' as const,
      evidence: 'server/src/websocket/index.ts:28',
      transport: 'websocket' as const,
      payload: payload.map((f) => ({ name: f, type: 'number', optional: false })),
    });
    const given = {
      ...base,
      sessions: sessions(CTX, body, extractRequirements(CTX, body)),
      analysis: {
        ...base.analysis,
        events: [
          ev('pointer', 'client-to-server', ['x', 'y']),
          ev('chat:send', 'client-to-server', ['roomId']),
          ev('pointer:moved', 'server-to-client', ['x', 'y']),
          ev('chat:new', 'server-to-client', ['roomId']),
        ],
      },
    } as PlanInput;
    const { numbersMd, scriptMd } = buildPlan(given).testing.load;
    expect(numbersMd).toContain(
      "sends each stream's event at its own rate: `pointer` every 0.05 s (positions, 20 msg/s per user) and `chat:send` every 10 s (messages, 0.1 msg/s per user), 20.1 msg/s per user in all, as modelled",
    );
    expect(scriptMd).toMatch(/`SEND=\{"type":"pointer"[^`]*`, `EVERY_MS=50`, `SEND_2=\{"type":"chat:send"[^`]*`, `EVERY_MS_2=10000`/);
    expect(scriptMd).not.toContain('EVERY_MS=50`, `SEND=');
  });

  it('AI streams read with fetch keep comment keep-alives', () => {
    const rows = buildPlan(aiInput()).connection.heartbeat;
    expect(rows[0]!.valueMd).toBe('`: keep-alive` comment every 15,000 ms');
  });
});

describe('backoff ceiling under a stated reclaim window', () => {
  const withSentence = (sentence: string): Policy =>
    ({
      transport: 'socket.io',
      library: 'socket.io',
      providerDirect: false,
      scenarios: ['state-sync'],
      input: { sessions: { requirements: [{ kind: 'constraint', polarity: 'must', sentence, evidence: '.claude/tasks/context_session_1.md:3' }] } },
    }) as unknown as Policy;

  it('a sixth of the window a dropped client has to come back in, so attempts keep coming inside it', () => {
    expect(backoffCap(withSentence('a player who loses connection for under 30 s keeps their score')).ms).toBe(5_000);
  });
  it('30 s where the context states no window', () => {
    expect(backoffCap(withSentence('Every player answers once per question')).ms).toBe(30_000);
  });
});
