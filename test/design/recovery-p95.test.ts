// The recovery target is judged at p95 of the first delay plus the handshake allowance
// (connection.ts): the widest full-jitter first window that still fits a target.
import { describe, expect, it } from 'vitest';
import { firstCeilingFor, HANDSHAKE_MS, sseRetry } from '../../src/design/connection.js';

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

describe('sseRetry', () => {
  const ctx = (ms: number | null) =>
    ({
      input: {
        sessions: {
          requirements:
            ms === null
              ? []
              : [{ kind: 'number', metric: 'latency', value: ms, unit: 'ms', sentence: `reconnect within ${ms} ms after a drop`, evidence: 'ctx.md:1' }],
        },
      },
    }) as unknown as Parameters<typeof sseRetry>[0];

  it('draws retry: from a window whose top plus the reconnect fits the recovery target', () => {
    // rt-plan's 2 s: 1,500 + 500 = 2,000, still spread over one second.
    expect(sseRetry(ctx(null))).toEqual({ minMs: 500, maxMs: 1_500, targetMs: 2_000 });
    // A looser target keeps the widest window, 1,000–2,000 ms.
    expect(sseRetry(ctx(5_000))).toEqual({ minMs: 1_000, maxMs: 2_000, targetMs: 5_000 });
    // A tighter one narrows it from the top, in steps of 250 ms.
    expect(sseRetry(ctx(1_400))).toEqual({ minMs: 0, maxMs: 750, targetMs: 1_400 });
  });
});
