// The store a plan may add where the context rules out new infrastructure (profiles/stores.ts):
// the one it names as the exception, else none.
import { describe, expect, it } from 'vitest';
import { contextStore } from '../../src/design/profiles/stores.js';
import type { DesignCtx } from '../../src/design/context.js';

const ctx = (sentence: string) =>
  ({ input: { sessions: { requirements: [{ kind: 'constraint', polarity: 'must', sentence, evidence: 'c.md:13' }] } } }) as unknown as Pick<DesignCtx, 'input'>;

describe('contextStore', () => {
  it('"no new infrastructure … except one Azure Cache for Redis" allows Redis', () => {
    expect(contextStore(ctx('no new infrastructure this quarter except one Azure Cache for Redis (C1, 1 GB) if needed;'))).toEqual({
      label: 'Redis',
      sentence: 'no new infrastructure this quarter except one Azure Cache for Redis (C1, 1 GB) if needed;',
      evidence: 'c.md:13',
    });
  });
  it('no exception: rules new infrastructure out and allows no store', () => {
    expect(contextStore(ctx('No new services this quarter.'))?.label).toBeNull();
  });
  it('a sentence that rules nothing out', () => {
    expect(contextStore(ctx('Keep SSE.'))).toBeNull();
  });
});
