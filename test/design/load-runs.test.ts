// The load test's arithmetic (src/design/testing.ts): the connections of its two runs, and what a
// join that names a list of entities subscribes each virtual user to.
import { describe, expect, it } from 'vitest';
import { fleetRoomsOf, followsOf, loadRuns } from '../../src/design/testing.js';

describe('loadRuns', () => {
  it('a peak above one instance: run 1 fills one instance to its usable 7,000, run 2 holds all 20,000', () => {
    // one instance (capped by the context): a restart brings all 20,000 back to it
    expect(loadRuns({ usablePerInstance: 7_000, failoverPerInstance: 20_000 }, 20_000)).toEqual({ one: 7_000, two: 20_000, capped: false, same: false });
  });
  it('a failover share below the usable figure: run 1 stops at the 4,500 one instance holds with one of 3 down', () => {
    // ⌈9,000 ÷ (3 − 1)⌉ = 4,500
    expect(loadRuns({ usablePerInstance: 7_000, failoverPerInstance: 4_500 }, 9_000)).toEqual({ one: 4_500, two: 9_000, capped: true, same: false });
  });
  it('a peak below one instance: run 1 never goes above run 2 (1,200 on 2 instances, not 7,000)', () => {
    expect(loadRuns({ usablePerInstance: 7_000, failoverPerInstance: 1_200 }, 1_200)).toEqual({ one: 1_200, two: 1_200, capped: true, same: true });
    expect(loadRuns({ usablePerInstance: 7_000, failoverPerInstance: 600 }, 1_800)).toEqual({ one: 600, two: 1_800, capped: true, same: false });
  });
});

describe('followsOf', () => {
  const join = { payload: [{ name: 'payload', type: 'object', fields: [{ name: 'symbols', type: 'string[]' }] }] } as never;
  it('20 symbols per client over enough symbols that each keeps the modelled 62.5 followers', () => {
    const typical = { value: 20, entity: 'symbols', evidence: '.claude/tasks/context_session_1.md:8' };
    expect(followsOf(join, typical, 2_778, 25_000, 62.5)).toEqual({
      path: ['payload', 'symbols'],
      subs: 20,
      stated: { entity: 'symbols', evidence: '.claude/tasks/context_session_1.md:8' },
      rooms: 889, // ⌈2,778 × 20 ÷ 62.5⌉ = ⌈888.96⌉
      fleetRooms: 8_000, // 25,000 × 20 ÷ 62.5
    });
  });
  it('no stated count: one each; a join without a list follows nothing', () => {
    const flat = { payload: [{ name: 'rooms', type: 'string[]' }] } as never;
    expect(followsOf(flat, null, 700, 1_000, 10)).toEqual({ path: ['rooms'], subs: 1, stated: null, rooms: 70, fleetRooms: 100 });
    expect(followsOf({ payload: [{ name: 'roomId', type: 'string' }] } as never, null, 700, 1_000, 10)).toBeUndefined();
    expect(followsOf(undefined, null, 700, 1_000, 10)).toBeUndefined();
  });
});

describe('fleetRoomsOf', () => {
  it("run 2 spreads the fleet at the modelled room size, not over run 1's rooms", () => {
    expect(fleetRoomsOf(2_500, 8, null, null)).toBe(313); // ⌈2,500 ÷ 8⌉ = ⌈312.5⌉, not run 1's 157
    expect(fleetRoomsOf(20_000, 50, null, null)).toBe(400);
    expect(fleetRoomsOf(1_800, 15, null, null)).toBe(120);
  });
  it('a stated room count the fleet fills at the room size, or a per-room rate count, is the one the rates use', () => {
    expect(fleetRoomsOf(9_000, 450, 20, null)).toBe(20);
    expect(fleetRoomsOf(1_800, 15, 200, null)).toBe(120); // 200 × 15 > 1,800: the fleet fills 120
    expect(fleetRoomsOf(1_800, 15, null, 90)).toBe(90);
  });
});
