// The capacity model against hand-computed cases. Each expected number below was worked
// out by hand from the formulas in realtime-facts.md and the settings in capacity.ts.
import { describe, expect, it } from 'vitest';
import {
  capacityRows,
  coalescedCapacity,
  coalescedDroppable,
  computeCapacity,
  droppableInstances,
  deflateBytes,
  DEFAULT_SETTINGS,
  formatBytes,
  resolveCapacityInputs,
} from '../../src/design/capacity.js';
import { CTX, number } from './inputs.js';
import type { Requirement } from '../../src/types.js';

describe('deflateBytes', () => {
  it('zlib defaults 15/8: 2^17 + 2^17 compressor, 2^15 decompressor', () => {
    expect(deflateBytes(15, 8)).toEqual({ compressor: 262_144, decompressor: 32_768, total: 294_912 });
  });
  it('12/5: 2^14 + 2^14 compressor, 2^12 decompressor', () => {
    expect(deflateBytes(12, 5)).toEqual({ compressor: 32_768, decompressor: 4_096, total: 36_864 });
  });
  it('11/4: 2^13 + 2^13 compressor, 2^11 decompressor', () => {
    expect(deflateBytes(11, 4)).toEqual({ compressor: 16_384, decompressor: 2_048, total: 18_432 });
  });
});

describe('computeCapacity', () => {
  it('20,000 chat users, 1,000 msg/s, 512 B, fan-out 50', () => {
    const r = computeCapacity({ connections: 20_000, msgRate: 1_000, payloadBytes: 512, fanout: 50 });
    expect(r).toEqual({
      usablePerInstance: 7_000, // 10,000 × 0.7
      instancesBy: {
        connections: 3, // ⌈20,000 / 7,000⌉ = ⌈2.857⌉
        deliveries: 3, // ⌈50,000 / (30,000 × 0.7)⌉ = ⌈2.38⌉
        egress: 1, // ⌈204.8 / (1,000 × 0.7)⌉ Mbit/s
      },
      instancesForLoad: 3, // max(3, 3, 1)
      instances: 4, // N+1
      plannedInstances: null,
      capped: false,
      connectionsPerInstance: 5_000, // 20,000 / 4
      failoverPerInstance: 6_667, // ⌈20,000 / 3⌉
      deflate: { compressor: 262_144, decompressor: 32_768, total: 294_912 },
      tunedDeflate: { compressor: 16_384, decompressor: 2_048, total: 18_432 },
      bytesPerConnection: 32_768,
      bytesPerConnectionDeflate: 327_680, // 32,768 + 294,912
      bytesPerConnectionTuned: 51_200, // 32,768 + 18,432
      memoryPerInstance: 218_464_256, // 6,667 × 32,768
      memoryPerInstanceDeflate: 2_184_642_560, // 6,667 × 327,680
      deliveriesPerSecond: 50_000, // 1,000 × 50
      egressBytesPerSecond: 25_600_000, // 50,000 × 512
      egressMbps: 204.8, // 25,600,000 × 8 / 10^6
      pubsubPublishedPerSecond: 1_000,
      pubsubReceivedPerSecond: 3_000, // 1,000 × (4 − 1)
      fdsPerInstance: 7_691, // 6,667 + 1,024
      proxySourceIps: 1, // ⌈6,667 / 28,232⌉
    });
  });

  it('a larger fleet the context plans is kept, and the per-instance figures follow it', () => {
    // 5,000 users need ⌈5,000 / 7,000⌉ = 1 instance and 10,000 deliveries/s ⌈10,000 / 21,000⌉ = 1,
    // so N+1 = 2; the team plans 3.
    const r = computeCapacity({ connections: 5_000, msgRate: 500, payloadBytes: 512, fanout: 20 }, undefined, true, 3);
    expect([r.instancesForLoad, r.instances, r.plannedInstances]).toEqual([1, 3, 3]);
    expect(r.connectionsPerInstance).toBe(1_667); // ⌈5,000 / 3⌉
    expect(r.failoverPerInstance).toBe(2_500); // ⌈5,000 / 2⌉
    expect(r.pubsubReceivedPerSecond).toBe(1_000); // 500 × (3 − 1)
  });

  it('fan-out can need more instances than the connections do', () => {
    // The example: 5,000 users, 500 msg/s into rooms of 200 → 100,000 deliveries/s.
    const r = computeCapacity({ connections: 5_000, msgRate: 500, payloadBytes: 512, fanout: 200 });
    expect(r.instancesBy).toEqual({
      connections: 1, // ⌈5,000 / 7,000⌉
      deliveries: 5, // ⌈100,000 / 21,000⌉ = ⌈4.76⌉
      egress: 1, // ⌈409.6 / 700⌉
    });
    expect([r.instancesForLoad, r.instances]).toEqual([5, 6]);
  });

  it('a fleet smaller than N+1 is not taken', () => {
    const r = computeCapacity({ connections: 20_000, msgRate: 1_000, payloadBytes: 512, fanout: 50 }, undefined, true, 2);
    expect([r.instances, r.plannedInstances]).toEqual([4, 2]);
  });

  it('a fleet the context caps is never sized above, even below N+1', () => {
    const r = computeCapacity({ connections: 20_000, msgRate: 1_000, payloadBytes: 512, fanout: 50 }, undefined, true, 2, true);
    expect([r.instancesForLoad, r.instances, r.capped, r.failoverPerInstance]).toEqual([3, 2, true, 20_000]);
  });

  it('500 dashboard users: one instance of load still deploys two', () => {
    const r = computeCapacity({ connections: 500, msgRate: 50, payloadBytes: 1_024, fanout: 3 });
    expect(r.instancesForLoad).toBe(1);
    expect(r.instances).toBe(2);
    expect(r.connectionsPerInstance).toBe(250);
    expect(r.failoverPerInstance).toBe(500);
    expect(r.deliveriesPerSecond).toBe(150);
    expect(r.egressBytesPerSecond).toBe(153_600); // 150 × 1,024
    expect(r.egressMbps).toBe(1.23); // 1.2288 rounded to 2 decimals
    expect(r.pubsubReceivedPerSecond).toBe(50); // 50 × (2 − 1)
    expect(r.fdsPerInstance).toBe(1_524);
  });

  it('100,000 connections: 15 instances of load, 16 deployed', () => {
    const r = computeCapacity({ connections: 100_000, msgRate: 5_000, payloadBytes: 200, fanout: 1 });
    expect([r.instancesForLoad, r.instances, r.connectionsPerInstance, r.failoverPerInstance]).toEqual([15, 16, 6_250, 6_667]);
    expect(r.egressMbps).toBe(8); // 5,000 × 200 B × 8 = 8,000,000 bit/s
    expect(r.pubsubReceivedPerSecond).toBe(75_000); // 5,000 × 15
  });

  it('1:1 streams produced where the client is connected need no pub/sub', () => {
    const r = computeCapacity({ connections: 1_000, msgRate: 2_000, payloadBytes: 64, fanout: 1 }, DEFAULT_SETTINGS, false);
    expect([r.instances, r.pubsubPublishedPerSecond, r.pubsubReceivedPerSecond]).toEqual([2, 0, 0]);
    expect(r.egressMbps).toBe(1.02); // 2,000 × 64 × 8 = 1,024,000 bit/s
  });

  it('dense instances exhaust one proxy IP of ephemeral ports', () => {
    const r = computeCapacity({ connections: 100_000, msgRate: 1, payloadBytes: 1, fanout: 1 }, { ...DEFAULT_SETTINGS, connectionsPerInstance: 100_000 });
    expect([r.usablePerInstance, r.instancesForLoad, r.failoverPerInstance, r.proxySourceIps]).toEqual([70_000, 2, 50_000, 2]); // ⌈50,000 / 28,232⌉
  });
});

describe('resolveCapacityInputs', () => {
  const defaults = {
    connections: 10_000,
    msgRate: 500,
    payloadBytes: 512,
    fanout: 20,
    why: { connections: 'd', msgRate: 'd', payloadBytes: 'd', fanout: 'd' },
  };

  it('flags win over the context, the context over defaults', () => {
    const reqs = [
      number('concurrent-users', 20_000, 'users', '20,000 concurrent users', `${CTX}:4`),
      number('room-size', 50, 'users/room', 'rooms of 50 members', `${CTX}:5`),
    ];
    const r = resolveCapacityInputs(reqs, { connections: 3_000 }, defaults);
    expect(r.values).toEqual({ connections: 3_000, msgRate: 150, payloadBytes: 512, fanout: 50 }); // default rate scales: 3,000 × 500/10,000
    expect(r.sources.connections).toEqual({ kind: 'flag', flag: '--connections' });
    expect(r.sources.fanout).toEqual({ kind: 'context', sentence: 'rooms of 50 members', evidence: `${CTX}:5` });
    expect(r.sources.payloadBytes).toEqual({ kind: 'default', why: 'd' });
  });

  it('a per-user message rate is multiplied by the connections', () => {
    const reqs = [
      number('concurrent-users', 500, 'users', 'about 500 users', `${CTX}:1`),
      number('message-rate', 2, 'msg/s', 'each user sends 2 messages per second', `${CTX}:2`),
    ];
    expect(resolveCapacityInputs(reqs, {}, defaults).values.msgRate).toBe(1_000);
  });

  it('a default rate, where every broadcast reaches every connection: its connections are an audience; a stated per-connection rate multiplies', () => {
    const sync = {
      connections: 2_000,
      msgRate: 200,
      payloadBytes: 1_024,
      fanout: 3,
      why: { connections: 'd', msgRate: 'a delta every 10 s per connection', payloadBytes: 'd', fanout: 'd' },
    };
    const watch = number('concurrent-users', 500, 'users', 'About 500 concurrent users watch builds at peak.', `${CTX}:5`);
    const r = resolveCapacityInputs([watch], {}, sync, ['src/server.ts:22']);
    // A message is sent when the state changes, not once per watcher: what a default room of 3 publishes, 3 × 0.1 msg/s, each to all 500.
    expect(r.values).toEqual({ connections: 500, msgRate: 0.3, payloadBytes: 1_024, fanout: 500 });
    expect(r.sources.msgRate).toEqual({
      kind: 'default',
      why: 'a delta every 10 s per connection',
      audience: 500,
      note: 'every connection receives each broadcast, so the connections publish what a default room of 3 does (more listeners, not more senders)',
    });
    expect(computeCapacity(r.values).deliveriesPerSecond).toBe(150);
    // A send rate the context states per connection is no default: 500 × 0.1 msg/s, each to all 500.
    const stated = number('message-rate', 0.1, 'msg/s', 'Each client sends one update every 10 seconds.', `${CTX}:6`);
    const s = resolveCapacityInputs([watch, stated], {}, sync, ['src/server.ts:22']);
    expect(s.values).toEqual({ connections: 500, msgRate: 50, payloadBytes: 1_024, fanout: 500 });
    expect(s.sources.msgRate).toMatchObject({ kind: 'context', evidence: `${CTX}:6` });
    expect(computeCapacity(s.values).deliveriesPerSecond).toBe(25_000);
    // A stated audience room (3,000) publishes what a default room of 3 does: 7,500 × 0.1 × 3 ÷ 3,000, said as not × the connections.
    const quiz = resolveCapacityInputs(
      [number('room-size', 3_000, 'users/room', 'The event needs 3,000 players in one game and 150 smaller games (30 players) at the same time.', `${CTX}:2`)],
      {},
      sync,
    );
    expect(quiz.values).toEqual({ connections: 7_500, msgRate: 0.75, payloadBytes: 1_024, fanout: 3_000 });
    expect(quiz.sources.msgRate).toMatchObject({ kind: 'default', audience: 3_000 });
  });

  it('connections and the entities they follow, without how many each follows: the fan-out is at least connections ÷ entities', () => {
    const s = 'Numbers: 20,000 concurrent viewers at market open, 500 symbols, up to 50 price updates per second per symbol.';
    const reqs = [
      number('concurrent-users', 20_000, 'users', s, `${CTX}:9`),
      { kind: 'number', metric: 'entities', value: 500, unit: 'symbols', sentence: s, evidence: `${CTX}:9`, entity: 'symbols' } as Requirement,
    ];
    const low = { ...defaults, fanout: 10 };
    const r = resolveCapacityInputs(reqs, {}, low);
    // 20,000 ÷ 500 = 40 watchers per symbol on average if each viewer follows one: above the default 10.
    expect(r.values.fanout).toBe(40);
    expect(r.fanoutFloor).toBe(40);
    expect(r.sources.fanout).toEqual({
      kind: 'context',
      sentence: s,
      evidence: `${CTX}:9`,
      note: 'at least 20,000 connections ÷ 500 symbols = 40: each connection follows at least one, and the context does not say how many, so the average watchers of one is at least this (a floor, not the figure: pass --fanout with connections × symbols each ÷ 500)',
    });
    // A default already above the floor stays, and is not called a floor.
    const high = resolveCapacityInputs(reqs, {}, { ...defaults, fanout: 50 });
    expect([high.values.fanout, high.fanoutFloor, high.sources.fanout.kind]).toEqual([50, undefined, 'default']);
    // A flag wins over the floor.
    expect(resolveCapacityInputs(reqs, { fanout: 5 }, low).values.fanout).toBe(5);
    // Stated follows per connection give the average itself: 20,000 × 20 ÷ 500 = 800, no floor.
    const follows = {
      kind: 'number',
      metric: 'subscriptions',
      value: 20,
      unit: 'symbols/connection',
      sentence: s,
      evidence: `${CTX}:10`,
      entity: 'symbols',
    } as Requirement;
    const avg = resolveCapacityInputs([...reqs, follows], {}, low);
    expect([avg.values.fanout, avg.fanoutFloor]).toEqual([800, undefined]);
  });

  it('a total message rate is taken as is', () => {
    const reqs = [number('message-rate', 300, 'msg/s', 'the system handles 300 events per second', `${CTX}:2`)];
    expect(resolveCapacityInputs(reqs, {}, defaults).values.msgRate).toBe(300);
  });
});

describe('capacityRows', () => {
  it('shows the arithmetic with the computed values', () => {
    const inputs = { connections: 20_000, msgRate: 1_000, payloadBytes: 512, fanout: 50 };
    const rows = capacityRows(inputs, computeCapacity(inputs), () => ' [K9]');
    const byName = Object.fromEntries(rows.map((r) => [r.quantity, `${r.formula} = ${r.value}`]));
    expect(byName['Instances for the load (connections, deliveries, egress)']).toBe(
      'max(⌈20,000 ÷ 7,000⌉, ⌈50,000 ÷ 21,000⌉, ⌈204.8 ÷ 700 Mbit/s⌉) = 3 (3, 3, 1)',
    );
    expect(byName['Egress bandwidth (payload only)']).toBe('50,000 × 512 B × 8 = 204.8 Mbit/s');
    expect(byName['Connection memory per instance (one instance down)']).toBe(
      '6,667 × 32 KiB (with deflate 15/8: × (32 KiB + 288 KiB zlib state)) = 208.3 MiB (208.3 MiB + 1.83 GiB = 2.03 GiB)',
    );
    expect(rows.find((r) => r.quantity === 'Pub/sub: published; received across nodes')?.source).toContain('[K9]');
  });

  it('formats bytes in binary units', () => {
    expect([formatBytes(512), formatBytes(327_680), formatBytes(218_464_256), formatBytes(2_184_642_560)]).toEqual([
      '512 B',
      '320 KiB',
      '208.3 MiB',
      '2.03 GiB',
    ]);
  });
});

describe('coalescedCapacity', () => {
  // 9,000 connections in rooms of 450, one broadcast stream of 55/s per room (20 rooms derived).
  const stream = { kind: 'votes', inbound: false, scope: { noun: 'room', count: 20, stated: false, room: true, ceiling: false } };
  const base = {
    values: { connections: 9_000, msgRate: 1_100, payloadBytes: 1_024, fanout: 450 },
    sources: { msgRate: { kind: 'context' } },
    workload: { streams: [stream], roomCount: null },
    planned: { value: 3, sentence: '', evidence: '', ceiling: { sentence: '', evidence: '' } },
  } as unknown as Parameters<typeof coalescedCapacity>[0];

  it('sizes for rooms × cap × fan-out: 20 × 5 × 450 = 45,000 deliveries/s → 3 instances, capped at 3', () => {
    const c = coalescedCapacity(base, { perSecond: 5, step: 3 }, true)!;
    expect(c.rooms).toBe(20);
    expect(c.inputs.msgRate).toBe(100);
    expect(c.result.deliveriesPerSecond).toBe(45_000);
    expect(c.result.instancesBy).toEqual({ connections: 2, deliveries: 3, egress: 1 }); // ⌈45,000 ÷ 21,000⌉; 368.64 Mbit/s
    expect(c.result.instancesForLoad).toBe(3);
    expect(c.result.instances).toBe(3);
  });
  it('nothing when the cap does not lower the rate, when no step coalesces, or with two broadcast streams', () => {
    expect(coalescedCapacity(base, { perSecond: 60, step: 3 }, true)).toBeNull();
    expect(coalescedCapacity(base, null, true)).toBeNull();
    const two = { ...base, workload: { ...base.workload, streams: [stream, { ...stream, kind: 'chat' }] } } as typeof base;
    expect(coalescedCapacity(two, { perSecond: 5, step: 3 }, true)).toBeNull();
  });
  it('nothing when the rate is a default', () => {
    const d = { ...base, sources: { msgRate: { kind: 'default' } } } as unknown as typeof base;
    expect(coalescedCapacity(d, { perSecond: 5, step: 3 }, true)).toBeNull();
  });
});

describe('coalescedDroppable', () => {
  // 2,000 rooms of 40, cursors at 30 msg/s per user, the sender left out of each broadcast (fan-out 39).
  const positions = { kind: 'positions', inbound: false, published: 2_400_000, droppable: true, activeShare: 1, scope: null };
  const rooms = {
    values: { connections: 80_000, msgRate: 2_400_000, payloadBytes: 87, fanout: 39 },
    sources: { msgRate: { kind: 'context' } },
    workload: { streams: [positions], roomCount: { value: 2_000 } },
    senderExcluded: { room: 40, how: '', evidence: '' },
  } as unknown as Parameters<typeof coalescedDroppable>[0];

  it('a room sends one message per 50 ms to all 40 members, each carrying at most the 40 latest positions', () => {
    expect(coalescedDroppable(rooms, false)).toEqual({
      kind: 'positions',
      noun: 'room',
      channels: 2_000,
      perChannel: 20,
      published: 40_000, // 2,000 × 20
      today: 2_400_000,
      recipients: 40,
      deliveries: 1_600_000, // 40,000 × 40
      batch: 40, // min(40 members, 1,200 ÷ 20 = 60 changes per window)
      egressMbps: 44_544, // 1,600,000 × 40 × 87 B × 8 ÷ 10^6
      coalescedDeliveries: 1_600_000,
      valuesCapped: false, // 1,600,000 × 40 = 64,000,000 values, below 2,400,000 changes × 39 others
      wanting: 39,
    });
  });

  it('an entity stream (50 ticks/s per symbol × 500) sends one value per symbol per window to its 10 subscribers', () => {
    const ticks = {
      kind: 'price ticks',
      inbound: false,
      published: 25_000,
      droppable: true,
      activeShare: 1,
      scope: { noun: 'symbol', count: 500, room: false },
    };
    const c = {
      ...rooms,
      values: { connections: 20_000, msgRate: 25_000, payloadBytes: 69, fanout: 10 },
      workload: { streams: [ticks], roomCount: null },
      senderExcluded: undefined,
    } as unknown as Parameters<typeof coalescedDroppable>[0];
    const d = coalescedDroppable(c, false)!;
    expect([d.channels, d.published, d.recipients, d.deliveries, d.batch, d.egressMbps]).toEqual([500, 10_000, 10, 100_000, 1, 55.2]);
    const today = computeCapacity({ connections: 20_000, msgRate: 25_000, payloadBytes: 69, fanout: 10 });
    // connections ⌈20,000 ÷ 7,000⌉ = 3; deliveries ⌈100,000 ÷ 21,000⌉ = 5; egress ⌈55.2 ÷ 700⌉ = 1
    expect(droppableInstances(d, today)).toEqual({ n: 5, byDeliveries: 5, byEgress: 1 });
  });

  it('beside another broadcast stream: positions coalesced, moves added as sent today, values capped at one per change and other member', () => {
    // 1,800 users in 120 boards of 15 (the sender left out: fan-out 14), 10% active: positions 3,600 msg/s, moves 360 msg/s.
    const c = {
      values: { connections: 1_800, msgRate: 3_960, payloadBytes: 103, fanout: 14 },
      sources: { msgRate: { kind: 'context' } },
      workload: {
        streams: [
          { kind: 'moves', inbound: false, published: 360, droppable: false, activeShare: 0.1, scope: null },
          { kind: 'positions', inbound: false, published: 3_600, droppable: true, activeShare: 0.1, scope: null },
        ],
        roomCount: null,
      },
      senderExcluded: { room: 15, how: '', evidence: '' },
    } as unknown as Parameters<typeof coalescedDroppable>[0];
    expect(coalescedDroppable(c, false)).toEqual({
      kind: 'positions',
      noun: 'room',
      channels: 120, // ⌈1,800 ÷ 15⌉
      perChannel: 20,
      published: 2_760, // 120 × 20 + 360 moves
      today: 3_600,
      recipients: 15,
      deliveries: 41_040, // 120 × 20 × 15 = 36,000 + 360 × 14 = 5,040
      batch: 2, // min(⌈15 × 10%⌉ = 2 members, ⌈30 ÷ 20⌉ = 2 changes per window)
      egressMbps: 45.68, // (3,600 × 14 = 50,400 values, below 36,000 × 2 + 5,040) × 103 B × 8 ÷ 10^6
      coalescedDeliveries: 36_000,
      valuesCapped: true,
      wanting: 14,
      others: { kinds: ['moves'], published: 360, deliveries: 5_040, fanout: 14 },
    });
  });

  it('nothing where a per-client budget conflates instead, where the rate fits one message per window, or with two droppable streams', () => {
    expect(coalescedDroppable(rooms, true)).toBeNull();
    const slow = { ...rooms, workload: { streams: [{ ...positions, published: 40_000 }], roomCount: { value: 2_000 } } } as typeof rooms;
    expect(coalescedDroppable(slow, false)).toBeNull(); // 20/s per room: nothing to coalesce
    const two = {
      ...rooms,
      workload: { streams: [positions, { ...positions, kind: 'typing' }], roomCount: { value: 2_000 } },
    } as typeof rooms;
    expect(coalescedDroppable(two, false)).toBeNull();
    const notDroppable = { ...rooms, workload: { streams: [{ ...positions, droppable: false }], roomCount: { value: 2_000 } } } as typeof rooms;
    expect(coalescedDroppable(notDroppable, false)).toBeNull();
  });
});
