// How far back a replay must reach: the gap the context states, with margin (design/replay-window.ts).
import { describe, expect, it } from 'vitest';
import { retentionFor, statedGap } from '../../src/design/replay-window.js';
import type { Requirement } from '../../src/types.js';

const must = (sentence: string, evidence = 'ctx.md:9'): Requirement => ({ kind: 'constraint', polarity: 'must', sentence, evidence }) as unknown as Requirement;

describe('statedGap', () => {
  it('reads a gap a client must survive, either way round', () => {
    expect(statedGap([must("must not lose a notification when an agent's laptop sleeps for less than 10 minutes.")])).toEqual({
      ms: 600_000,
      md: '10 minutes',
      sentence: "must not lose a notification when an agent's laptop sleeps for less than 10 minutes.",
      evidence: 'ctx.md:9',
    });
    expect(statedGap([must('phones may be up to 90 s offline and must catch up', 'c.md:2')])?.ms).toBe(90_000);
  });

  it('a latency or a rate is no gap', () => {
    expect(statedGap([must('the stream must deliver within 2 s p95'), must('one message every 40 s per user')])).toBeNull();
  });
});

describe('retentionFor', () => {
  it('covers the gap twice over, in words', () => {
    expect(retentionFor({ ms: 600_000 })).toEqual({ ms: 1_200_000, md: '20 minutes' });
    expect(retentionFor({ ms: 20_000 })).toEqual({ ms: 40_000, md: '40 seconds' });
    expect(retentionFor({ ms: 3_600_000 })).toEqual({ ms: 7_200_000, md: '2 hours' });
  });
});
