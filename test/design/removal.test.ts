// A context bound on how soon a gone user's cursor or presence disappears sizes the liveness
// check from its own figure; sentences that bound something else do not.
import { describe, expect, it } from 'vitest';
import { livenessFor, removalBudgetOf } from '../../src/design/removal.js';
import type { Requirement } from '../../src/types.js';

const must = (sentence: string): Requirement => ({ kind: 'constraint', polarity: 'must', sentence, evidence: 'ctx.md:3' });

describe('removal bound', () => {
  it('reads the figure of a cursor or presence removal bound, in seconds or minutes', () => {
    expect(removalBudgetOf([must('a cursor disappears within 10 s of its owner going away.')])?.ms).toBe(10_000);
    expect(removalBudgetOf([must('users who close the app are shown as offline in under 30 seconds')])?.ms).toBe(30_000);
    expect(removalBudgetOf([must('a member who leaves is removed from the list within 2 min')])?.ms).toBe(120_000);
  });
  it('ignores bounds on other things', () => {
    expect(removalBudgetOf([must('cursor updates under 100 ms between people in the same region')])).toBeNull();
    expect(removalBudgetOf([must('messages are delivered within 5 s')])).toBeNull();
  });
  it('sizes the keep-alive so a silent connection is removed inside the bound, never above the default', () => {
    const ten = livenessFor({ ms: 10_000, sentence: '', at: 'ctx.md:3' });
    expect(ten).toEqual({ keepAliveMs: 2_000, silentMs: 4_000, sweepMs: 2_000, worstMs: 6_000, closeMs: 120_000 });
    expect(livenessFor({ ms: 600_000, sentence: '', at: 'ctx.md:3' }).keepAliveMs).toBe(25_000);
    expect(livenessFor(null).keepAliveMs).toBe(25_000);
  });
});
