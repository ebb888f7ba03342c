// The recovery target is judged at p95 of the first delay plus the handshake allowance
// (connection.ts): the widest full-jitter first window that still fits a target.
import { describe, expect, it } from 'vitest';
import { firstCeilingFor, HANDSHAKE_MS } from '../../src/design/connection.js';

describe('firstCeilingFor', () => {
  it('leaves the handshake allowance after the first delay at p95, in steps of 500 ms', () => {
    expect(HANDSHAKE_MS).toBe(500);
    // 0.95 × 1,500 + 500 = 1,925 ≤ 2,000; 0.95 × 2,000 + 500 = 2,400 > 2,000.
    expect(firstCeilingFor(2_000)).toBe(1_500);
    expect(firstCeilingFor(5_000)).toBe(4_500);
    // Below about 1 s nothing fits: the floor is rt-plan's 500 ms base.
    expect(firstCeilingFor(800)).toBe(500);
  });
});
