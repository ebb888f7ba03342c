// The workload's shape: streams with their own rates, per-room fan-out from the stated room
// size, the rate a stated fleet carries, and message budgets, with exact values for three shapes.
import { describe, expect, it } from 'vitest';
import { extractRequirements } from '../../src/context/requirements.js';
import { capacityRows, computeCapacity, resolveCapacityInputs } from '../../src/design/capacity.js';
import { largestRoomCount, restRooms } from '../../src/design/workload.js';

const defaults = {
  connections: 1_000,
  msgRate: 100,
  payloadBytes: 1_024,
  fanout: 3,
  why: { connections: 'd', msgRate: 'd', payloadBytes: 'd', fanout: 'd' },
};

function shape(body: string, excludedFor?: (kind: string) => { how: string; evidence: string } | null) {
  const reqs = extractRequirements('ctx.md', body);
  const resolved = resolveCapacityInputs(reqs, {}, defaults, [], excludedFor);
  const result = computeCapacity(resolved.values, undefined, true, resolved.planned?.value ?? null);
  const rows = capacityRows(resolved.values, result, () => '', undefined, false, resolved);
  return { resolved, result, row: (q: string) => rows.find((r) => r.quantity === q) };
}

describe('capacity from the workload shape', () => {
  it('broadcasts that leave the sender out reach the room size − 1; one stream sent to the whole room keeps the room size', () => {
    const body = 'It must handle 20,000 concurrent users in rooms up to 50 (200 for the keynote room).\nEach user sends one message every 10 seconds.\n';
    const toOthers = { how: 'socket.to(room)', evidence: 'src/chat.js:9' };
    const { resolved, result, row } = shape(body, () => toOthers);
    expect(resolved.values).toEqual({ connections: 20_000, msgRate: 2_000, payloadBytes: 1_024, fanout: 49 });
    expect(resolved.senderExcluded).toEqual({ room: 50, how: 'socket.to(room)', evidence: 'src/chat.js:9' });
    expect(row('Rooms of 50')?.value).toBe('400');
    expect(row('Published per room')).toMatchObject({ formula: '50 users × 0.1 msg/s', value: '5 msg/s' });
    expect(row('Deliveries per room')).toMatchObject({
      formula: '5 × (50 − 1) recipients',
      value: '245/s',
      source: 'fan-out is the room size − 1: `socket.to(room)` (`src/chat.js:9`) leaves the sender out',
    });
    expect(row('Deliveries in the largest room (200)')).toMatchObject({ formula: '200 × 0.1 msg/s × (200 − 1)', value: '3,980/s' });
    expect(row('Deliveries per second')).toMatchObject({ formula: '2,000 msg/s × fan-out 49', value: '98,000' });
    expect(result.deliveriesPerSecond).toBe(98_000);
    // Without the exclusion (or where one stream's broadcast reaches the whole room) the room size stays the fan-out.
    const whole = shape(body, () => null);
    expect(whole.resolved.values.fanout).toBe(50);
    expect(whole.resolved.senderExcluded).toBeUndefined();
    expect(whole.row('Deliveries per room')).toMatchObject({ formula: '5 × 50 recipients', value: '250/s' });
  });

  it('chat: rooms up to 50, one message every 10 seconds → 250 deliveries per room', () => {
    const { resolved, result, row } = shape('It must handle 20,000 concurrent users in rooms up to 50.\nEach user sends one message every 10 seconds.\n');
    expect(resolved.values).toEqual({ connections: 20_000, msgRate: 2_000, payloadBytes: 1_024, fanout: 50 });
    expect(row('Rooms of 50')?.value).toBe('400');
    expect(row('Published per room')).toMatchObject({ formula: '50 users × 0.1 msg/s', value: '5 msg/s' });
    expect(row('Deliveries per room')).toMatchObject({ formula: '5 × 50 recipients', value: '250/s' });
    expect(result.deliveriesPerSecond).toBe(100_000);
  });

  it('board with cursors: only users acting send moves and cursors, the largest room is shown, the stated 4 pods suffice', () => {
    const { resolved, result, row } = shape(
      [
        '1,800 are connected at the busiest hour. A board has 3–15 people on it (40 for the all-hands board).',
        'We run 4 pods behind an ALB.',
        '- Card moves: about 2 moves/s per active user.',
        '- Cursor positions: 20 updates/s per user while the pointer moves.',
        '',
      ].join('\n'),
    );
    expect(resolved.values.connections).toBe(1_800);
    expect(resolved.values.msgRate).toBe(3_960); // (2 + 20) × 1,800 × 10% acting at once
    expect(resolved.values.fanout).toBe(15);
    expect(row('Published: moves')).toMatchObject({ formula: '2 msg/s per user × 1,800 × 10% active', value: '360' });
    expect(row('Published: positions')).toMatchObject({ formula: '20 msg/s per user × 1,800 × 10% active', value: '3,600' });
    expect(row('Published: positions')?.source).toContain('rt-plan default (assumption); droppable');
    expect(row('Deliveries in the largest room (40)')).toMatchObject({ formula: '40 × 2.2 msg/s × 40', value: '3,520/s' });
    expect([result.instancesForLoad, result.instances]).toEqual([3, 4]); // ⌈59,400 ÷ 21,000⌉ + 1
    expect(row('Per-user rate the stated 4 instances carry')).toBeUndefined();
  });

  it('a lower rate stated for the rest of the time: the others send it during the peak, and it alone is the load outside the phase', () => {
    const { resolved, row } = shape(
      [
        '1,800 are connected at the busiest hour. A board has 3–15 people on it.',
        '- Card moves: bursts of about 2 moves/s per active user during triage, 0.1/s otherwise.',
        '',
      ].join('\n'),
    );
    expect(resolved.values.msgRate).toBe(522); // 2 × 1,800 × 10% + 0.1 × 1,800 × 90%
    expect(resolved.workload.streams[0]!.otherwise).toEqual({ rate: 0.1, rest: 162, quiet: 180, phase: 'triage' });
    expect(row('Published: moves')).toMatchObject({
      formula: '2 msg/s per user × 1,800 × 10% active + 0.1 msg/s per user × 1,800 × 90% the rest',
      value: '522',
    });
    expect(row('Published outside triage: moves')).toMatchObject({ formula: '0.1 msg/s per user × 1,800', value: '180' });
    expect(row('Published outside triage: moves')?.source).toContain('it sizes none of the figures below');
    // A total stated for one phase and another: no share, the lower total is the load outside it.
    const total = shape('1,800 are connected at the busiest hour.\nThe server publishes 50 updates/s during matches, 5/s otherwise.\n');
    expect(total.resolved.values.msgRate).toBe(50);
    expect(total.row('Published outside matches: messages')).toMatchObject({ formula: '5 msg/s', value: '5' });
  });

  it('a stated share of active users wins over the default', () => {
    const { resolved, row } = shape(
      '1,800 are connected at the busiest hour, and about 25% of them are active at once.\n- Cursor positions: 20 updates/s per user while the pointer moves.\n',
    );
    expect(resolved.values.msgRate).toBe(9_000);
    expect(row('Published: positions')?.source).toContain('share stated, context (`ctx.md:1`)');
  });

  it('answers every player sends to the server are received, not published to the room', () => {
    const { resolved, row } = shape(
      'The event needs 3,000 players in one game. Every player answers once per question, so the answer burst is 3,000 answers inside 20 s, most of them in the first 5 s.\n',
    );
    expect(row('Received by the server (not fanned out): answers')).toMatchObject({ formula: '600 msg/s', value: '600' });
    expect([resolved.values.msgRate, resolved.values.fanout]).toEqual([0.3, 3_000]);
    expect(resolved.sources.msgRate).toMatchObject({ note: expect.not.stringContaining('audience') });
  });

  it('a rate every connected user sends is not scaled by the active share', () => {
    const { resolved } = shape('1,200 agents online. An agent sends about one message every 20 seconds.\n');
    expect(resolved.values.msgRate).toBe(60);
  });

  it('one room larger than the stated users sets the connections, with the rooms beside it', () => {
    const { resolved, result, row } = shape(
      'Today the biggest game had 400 players; the event needs 3,000 players in one game and about 150 smaller games (30 players) at the same time.\nFor the event we want 2 machines.\n',
    );
    // 3,000 + 150 × 30; the default 0.1 msg/s per user of a 3-member room, spread over rooms of 3,000
    expect(resolved.values).toEqual({ connections: 7_500, msgRate: 0.75, payloadBytes: 1_024, fanout: 3_000 });
    expect(resolved.sources.connections).toMatchObject({ kind: 'context', note: '3,000 + 150 × 30 at the same time; the 400 stated elsewhere cannot hold it' });
    // The rooms the sentence states (1 game of 3,000 and 150 of 30), not ⌈7,500 ÷ 3,000⌉.
    expect(row('Rooms of 3,000')).toBeUndefined();
    expect(row('Rooms (1 of 3,000, 150 of 30)')).toMatchObject({ formula: '1 + 150', value: '151' });
    expect(row('Published per room')).toMatchObject({ formula: '0.75 msg/s × 3,000 ÷ 7,500 users', value: '0.3 msg/s' });
    expect([result.instancesBy.connections, result.instances]).toEqual([2, 3]);
  });

  it('comments under a daily message budget: the day at peak against the budget, and whether it holds', () => {
    const { resolved, row } = shape(
      [
        'About 1,500 concurrent connections at peak.',
        '- a spec page has 5–20 viewers;',
        '- about 300 comments per hour at peak;',
        '- stay under 3,000,000 messages a day.',
        '',
      ].join('\n'),
    );
    // 300 an hour stays 1/12 msg/s through the arithmetic (rounded to 0.08 first, the day would be 138,240).
    expect(resolved.values).toMatchObject({ connections: 1_500, msgRate: 300 / 3600, fanout: 20 });
    // 1/12 msg/s × 20 viewers = 1.67 deliveries/s; × 86,400 s = 144,000 a day, 4.8% of 3,000,000.
    expect(row('Messages a day at peak all day (upper bound)')).toMatchObject({ formula: '1.67 msg/s × 86,400', value: '144,000' });
    expect(row('Messages a day against the budget of 3,000,000')).toMatchObject({ formula: '(144,000)', value: '144,000: within' });
    expect(row('Messages a day against the budget of 3,000,000')?.source).toContain('4.8% of it even at peak all day');
  });

  it("a provider plan's limits are compared with the load, never sized for: 1,500 connections on a plan of 500", () => {
    const { resolved, row } = shape(
      [
        'We use the provider (Startup plan: 500 concurrent connections, 1,000,000 messages a day) today.',
        'Guests should bring us to roughly 1,500 concurrent connections at peak.',
        '- a spec page has 5–20 viewers, up to 120 during review week;',
        '- about 3,000 comments per hour at peak;',
        '',
      ].join('\n'),
    );
    expect(resolved.values.connections).toBe(1_500);
    expect(resolved.workload.quotas.map((q) => [q.metric, q.value, q.quota])).toEqual([
      ['budget', 1_000_000, 'Startup plan'],
      ['concurrent-users', 500, 'Startup plan'],
    ]);
    expect(resolved.workload.largestRoom?.value).toBe(120);
    expect(row("Peak connections against the Startup plan's 500")).toMatchObject({ formula: '1,500 ÷ 500', value: '300%: over by 1,000' });
    // 3,000 an hour × 20 = 16.67 deliveries/s × 86,400 = 1,440,000: over the plan's 1,000,000.
    const day = row("Messages a day against the Startup plan's 1,000,000");
    expect(day?.value).toBe('1,440,000: over');
    expect(day?.source).toContain('holds only if the peak lasts under 16.7 h a day');
  });

  it('a rate per room is multiplied by the rooms; rooms × their size are the users when no user count is stated', () => {
    const { resolved, row } = shape('Numbers: 150 teams, rooms of up to 25 people, reactions at most 5 a second per room.\n');
    expect(resolved.values).toMatchObject({ connections: 3_750, msgRate: 750, fanout: 25 });
    expect(row('Published: reactions')).toMatchObject({ formula: '5 msg/s per room × 150 rooms', value: '750' });
    expect(row('Rooms (one room per team)')?.source).toContain('assumption');
    const shops = shape('Numbers: 40 shops, up to 12 staff per shop on the board at once, about 600 status changes per hour at peak across all shops.\n');
    expect(shops.resolved.values).toMatchObject({ connections: 480, fanout: 12 });
  });

  it('a bandwidth cap is compared with the egress, and says the payload that fits it', () => {
    const { resolved, row } = shape(
      [
        '6,500 people online, a note has 2–6 editors.',
        'A fast typist produces 6–8 keystrokes per second. Notes are up to 200 KB.',
        'The relay outbound bandwidth must stay under 20 Mbit/s at peak.',
        '',
      ].join('\n'),
    );
    // Only typists send: 8 × 6,500 × 10% = 5,200 msg/s; × 6 editors = 31,200 deliveries/s. "Up to
    // 200 KB" is the largest message (it sizes the payload cap), not the average: that stays the
    // scenario's default, and 31,200 × 1,024 B is still over the cap.
    expect(resolved.values).toMatchObject({ connections: 6_500, msgRate: 5_200, fanout: 6, payloadBytes: 1_024 });
    expect(resolved.largestPayload?.value).toBe(204_800);
    expect(row('Egress against the stated 20 Mbit/s')?.value).toMatch(/: over$/);
    // 20,000,000 ÷ 8 ÷ 31,200 = 80 bytes per delivery.
    expect(row('Payload per delivery that fits 20 Mbit/s')).toMatchObject({ value: '80 B' });
  });

  it('"the Supabase Pro plan (500 concurrent Realtime connections)" is a quota, not the load', () => {
    const { resolved, row } = shape(
      'Numbers: 300 users, 25 rooms, at most 60 people in one room.\n- stay on the Supabase Pro plan (500 concurrent Realtime connections).\n',
    );
    expect(resolved.values.connections).toBe(300);
    expect(resolved.workload.quotas.map((q) => q.quota)).toEqual(['Supabase Pro plan']);
    expect(row("Peak connections against the Supabase Pro plan's 500")?.value).toBe('60%: within');
    expect(row('Rooms (stated)')?.value).toBe('25');
  });

  it('a sentence with two rates is two streams: messages and typing', () => {
    const { resolved } = shape(
      '1,200 agents online. An agent sends about one message every 20 seconds; typing indicators fire at most once per 2 seconds per agent.\n',
    );
    expect(resolved.workload.streams.map((s) => [s.kind, s.rate, s.published])).toEqual([
      ['messages', 0.05, 60],
      ['typing', 0.5, 600],
    ]);
  });
});

describe('a rate stated per entity', () => {
  it('"50 updates per second per symbol" across "500 symbols" is 25,000 msg/s, an upper bound when given for the busiest', () => {
    const { resolved, row } = shape('20,000 concurrent viewers, 500 symbols, up to 50 price updates per second per symbol on the busiest ones.\n');
    expect(resolved.values.msgRate).toBe(25_000);
    expect(row('Published: price ticks')).toMatchObject({ formula: '50 msg/s per symbol × 500 symbols', value: '25,000' });
    expect(row('Published: price ticks')?.source).toMatch(/every symbol at that rate, while the context gives it for the busiest: an upper bound/);
  });
  it('"5 updates per symbol per second" reads the same, with the count in another sentence', () => {
    const { resolved } = shape('We list 800 symbols.\nEach one sends 5 updates per symbol per second.\n');
    expect(resolved.values.msgRate).toBe(4_000);
  });
  it("without a count of the entity, the total is unknown and only one entity's rate is shown", () => {
    const { resolved, row } = shape('20,000 concurrent viewers; 50 price updates per second per symbol.\n');
    expect(resolved.values.msgRate).toBe(50);
    expect(row('Published: price ticks')).toMatchObject({ formula: '50 msg/s per symbol × ? symbols', value: 'unknown (≥ 50)' });
    expect(row('Published: price ticks')?.source).toMatch(/the total is unknown: the context states no count of symbols/);
  });
  it('"per user" and "per second" stay what they were', () => {
    const { resolved } = shape('It must handle 1,000 concurrent users.\nUp to 2 messages per user per second.\n');
    expect(resolved.values.msgRate).toBe(2_000);
  });
});

describe('a stated total against a per-room rate multiplied out', () => {
  it('with no store count, the stated chain-wide total wins over 16/min per store × a derived store count', () => {
    const { resolved, row } = shape(
      'Each store has 2 to 4 screens.\nRoughly 16 status changes per minute per store, about 4,800 per minute chain-wide.\nWe expect 5,000 concurrent connections.\n',
    );
    expect(resolved.values).toMatchObject({ connections: 5_000, msgRate: 80, fanout: 4 });
    // The total and the per-store rate are one traffic stated twice, not a normal and a peak figure.
    expect(row('Published: messages')).toMatchObject({ formula: '80 msg/s', value: '80' });
    expect(row('Published: messages')!.source).toContain('a stated total, taken over 0.267 msg/s per room × 1,250 rooms = 333.33 msg/s');
  });

  it('with the stores counted in the sentence before, connections are stores × screens and the total still wins', () => {
    const { resolved, row } = shape(
      'We run it for a chain of 300 restaurants. Each store has 2 to 4 screens.\nRoughly 16 status changes per minute per store, about 4,800 per minute chain-wide.\n',
    );
    expect(resolved.values).toMatchObject({ connections: 1_200, msgRate: 80, fanout: 4 });
    expect(row('Rooms (stated)')?.value).toBe('300');
    // The changes are a stated total the rooms share, not something each screen sends: no "users × rate".
    expect(row('Published per room')).toMatchObject({ formula: '80 msg/s ÷ 300 rooms', value: '0.27 msg/s' });
  });

  it('a count of stores is not the count of channels a per-channel rate names', () => {
    const { row } = shape('We serve 300 stores with 2-4 screens each.\nEach channel gets 2 updates per second per channel.\n');
    expect(row('Published: messages')?.source).toBe(
      'context (`ctx.md:2`); rooms: ⌈1,200 ÷ 4⌉ = 300, derived: the 300 stores stated (`ctx.md:1`) are not what this rate is stated per',
    );
  });
});

describe('a stated room count the connections cannot fill', () => {
  it('uses the rooms the connections fill at once, and says so beside the stated count', () => {
    const body = [
      'Next term: 90 lecture halls, up to 450 students per hall, around 9,000 students connected in the busiest hour.',
      'A vote burst is about 55 votes per second into one class, and every vote triggers a results broadcast to all 450.',
    ].join('\n');
    const { resolved, row } = shape(body);
    expect(resolved.values.msgRate).toBe(1_100);
    expect(row('Published: votes')).toMatchObject({
      formula: '55 msg/s per room × 20 rooms',
      value: '1,100',
      source:
        'context (`ctx.md:2`); rooms: ⌈9,000 ÷ 450⌉ = 20: 90 halls stated (`ctx.md:1`), but 9,000 connections fill at most 20 rooms of 450 at once, which is what the rates use',
    });
    expect(row('Rooms (stated)')).toMatchObject({
      value: '90',
      source: 'context (`ctx.md:1`); 9,000 connections fill at most 20 of them at once at 450 each: the per-room rates use 20',
    });
  });

  it('the same room noun: 90 rooms of 450 at 9,000 connections are 20 full rooms, not 90', () => {
    const { resolved, row } = shape(
      '90 rooms, up to 450 students per room, around 9,000 students connected at peak.\nAbout 55 messages per second per room.\n',
    );
    expect(resolved.values.msgRate).toBe(1_100);
    expect(row('Published: messages')?.source).toBe(
      'context (`ctx.md:2`); rooms: ⌈9,000 ÷ 450⌉ = 20: 90 rooms stated (`ctx.md:1`), but 9,000 connections fill at most 20 rooms of 450 at once, which is what the rates use',
    );
  });

  it('a stated count the connections can fill is the count the rates use', () => {
    const { resolved, row } = shape('90 rooms, up to 100 students per room, around 9,000 students connected at peak.\nAbout 5 messages per second per room.\n');
    expect(resolved.values.msgRate).toBe(450);
    expect(row('Published: messages')).toMatchObject({ formula: '5 msg/s per room × 90 rooms', source: 'context (`ctx.md:2`)' });
    expect(row('Rooms (stated)')?.source).toBe('context (`ctx.md:1`)');
  });
});

describe('rooms of two classes: a typical size and a few larger rooms, counted', () => {
  it('sums the deliveries per class; the large rooms dominate, and rooms of the typical size hold the rest', () => {
    const body =
      'Today: 600 rooms with at least one person in them at peak, 14,000 concurrent sockets.\nMedian room has 12 people, the three largest "event" rooms have 2,000 during live streams.\nPeople send about one message a minute per user.\n';
    const { resolved, result, row } = shape(body);
    expect(resolved.workload.roomClasses).toEqual({
      large: { count: 3, size: 2_000, sockets: 6_000, evidence: 'ctx.md:2' },
      rest: { sockets: 8_000, size: 12, evidence: 'ctx.md:2' },
    });
    // One a minute stays 1/60 msg/s: 6,000 × 2,000 ÷ 60 + 8,000 × 12 ÷ 60.
    expect(resolved.values.deliveries).toBe(201_600);
    expect(result.deliveriesPerSecond).toBe(201_600);
    expect(result.egressMbps).toBe(1_651.51);
    expect(row('Sockets by room class (3 of 2,000; the rest in rooms of 12)')).toMatchObject({
      formula: '3 × 2,000 = 6,000; 14,000 − 6,000 = 8,000; 8,000 ÷ (600 − 3) = 13.4 a room',
      value: '6,000; 8,000',
    });
    expect(row('Deliveries per second')).toMatchObject({
      formula: '6,000 × 0.0167 msg/s × 2,000 + 8,000 × 0.0167 msg/s × 12',
      value: '201,600',
      source: 'summed per room class: the large rooms dominate',
    });
  });

  it('without a count of the larger rooms, or with --fanout, the typical size stays the fan-out', () => {
    const body = 'It must handle 20,000 concurrent users in rooms up to 50 (200 for the keynote room).\nEach user sends one message every 10 seconds.\n';
    expect(shape(body).resolved.workload.roomClasses).toBeNull();
    expect(shape(body).resolved.values.deliveries).toBeUndefined();
    const reqs = extractRequirements(
      'ctx.md',
      'We have 14,000 concurrent sockets.\nMedian room has 12 people, the three largest rooms have 2,000.\nEach user sends one message a minute.\n',
    );
    expect(resolveCapacityInputs(reqs, { fanout: 12 }, defaults).values.deliveries).toBeUndefined();
  });

  it('reads the count of the largest rooms in words or digits', () => {
    expect(largestRoomCount('the three largest "event" rooms have 2,000')).toBe(3);
    expect(largestRoomCount('the 5 busiest channels reach 800')).toBe(5);
    expect(largestRoomCount('the largest room has 2,000')).toBeNull();
  });
});

describe('restRooms', () => {
  const classes = {
    large: { count: 3, size: 2_000, sockets: 6_000, evidence: 'ctx.md:7' },
    rest: { sockets: 8_000, size: 12, evidence: 'ctx.md:7' },
  };
  it('says when the stated room count and the typical size disagree', () => {
    const r = restRooms(classes, 600);
    expect(r.formula).toBe('8,000 ÷ (600 − 3) = 13.4 a room');
    expect(r.basis).toContain('leave 597 for the other 8,000 sockets, 13.4 a room on average, more than the typical 12');
    expect(r.basis).toContain('667 rooms would hold them at 12');
  });
  it('agrees within 5% of the typical size', () => {
    expect(restRooms(classes, 670).basis).toBe('the stated 670 rooms leave 667 for the other sockets, about the typical 12 each');
  });
  it('counts the rooms the typical size needs where no count is stated', () => {
    expect(restRooms(classes, null)).toEqual({
      formula: '⌈8,000 ÷ 12⌉ = 667 rooms',
      basis: 'every socket not in a large room is taken to be in a room of the typical size, 667 rooms (assumption)',
    });
  });
});

describe('a per-recipient rate the code delivers to a whole group', () => {
  const body = '3,500 agents, about 1,100 connected; one notification per agent every 40 s on average.\n';
  const team = { group: 'team', test: 'n.teamId === agent.teamId', evidence: 'src/notify.ts:24' };

  it('keeps the deliveries and says the publishes are a bound, with the team arithmetic', () => {
    const reqs = extractRequirements('ctx.md', body);
    const r = resolveCapacityInputs(reqs, {}, defaults, [], () => null, team);
    expect(r.values).toMatchObject({ connections: 1_100, msgRate: 27.5, fanout: 1 });
    expect(r.groupDelivery).toEqual(team);
    const note = r.sources.fanout.kind === 'context' ? r.sources.fanout.note : '';
    expect(note).toBe(
      'the rate is stated per recipient, so each message counted is already a delivery; the code sends each one to every connection of its team (`n.teamId === agent.teamId`, `src/notify.ts:24`), so the server publishes the deliveries ÷ the members of a team online, and the context states no team size: publishes are counted one per delivery (a team of one), an upper bound for publishes, pub/sub and the team logs; deliveries and egress do not depend on it',
    );
    const result = computeCapacity(r.values, undefined, true, 2);
    const rows = capacityRows(r.values, result, () => '', undefined, false, r);
    expect(rows.find((x) => x.quantity === 'Pub/sub: published; received across nodes')?.source).toBe(
      'every broadcast goes through the adapter; worst case: every node subscribed to every room; an upper bound: one publish per team notification, counted here one per delivery (a team of one), since the context states no team size',
    );
  });

  it('without a group filter the per-recipient note stays as it was', () => {
    const r = resolveCapacityInputs(extractRequirements('ctx.md', body), {}, defaults);
    expect(r.groupDelivery).toBeUndefined();
    expect(r.sources.fanout.kind === 'context' ? r.sources.fanout.note : '').toBe(
      'the rate is stated per recipient, so each message counted is already a delivery (one publish per delivery at most)',
    );
  });
});
