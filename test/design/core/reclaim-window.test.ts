// A participant's entry outlives its connection for the window the context gives a dropped
// client to come back in; no window is made up where the context states none.
import { describe, expect, it } from 'vitest';
import { reclaimWindowOf } from '../../../src/design/core/objects.js';

const req = (sentence: string) => ({ sentence, evidence: 'ctx.md:1' });

describe('reclaimWindowOf', () => {
  it('reads the span a dropped participant must get back within', () => {
    expect(reclaimWindowOf([req('a player who loses connection for under 30 s keeps their score')])?.seconds).toBe(30);
    expect(reclaimWindowOf([req('Members who disconnect and reconnect within 2 minutes keep their seat.')])?.seconds).toBe(120);
  });

  it('takes no span that is not about a drop', () => {
    expect(reclaimWindowOf([req('Each question is open for 20 s.')])).toBeNull();
    expect(reclaimWindowOf([req('Each question is open for 20 s; players reconnect often.')])).toBeNull();
  });
});
