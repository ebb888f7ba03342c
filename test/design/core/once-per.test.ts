// An object the context says happens once per someone per something ("Every player answers once
// per question") is first-wins: a second one is refused, never written over the first. Rates
// ("one message per second") and other objects' sentences do not make it so.
import { describe, expect, it } from 'vitest';
import { oncePerOf } from '../../../src/design/core/objects.js';

const req = (sentence: string) => ({ sentence, evidence: 'ctx.md:1' });

describe('oncePerOf', () => {
  it('reads who and what an object is once per', () => {
    expect(oncePerOf('answer', [req('Every player answers once per question, so the answer burst is 3,000 answers.')])).toMatchObject({
      by: 'player',
      per: 'question',
    });
    expect(oncePerOf('vote', [req('Each user can only vote once per poll.')])).toMatchObject({ by: 'user', per: 'poll' });
    expect(oncePerOf('bid', [req('One bid per bidder per lot.')])).toMatchObject({ by: 'bidder', per: 'lot' });
    expect(oncePerOf('guess', [req('Players get one guess per round.')])).toMatchObject({ by: null, per: 'round' });
  });

  it('takes no rate and no other object for a once-per rule', () => {
    expect(oncePerOf('message', [req('Users may send one message per second.')])).toBeNull();
    expect(oncePerOf('answer', [req('The server sends the leaderboard once per question.')])).toBeNull();
    expect(oncePerOf('answer', [req('Each question is open for 20 s.')])).toBeNull();
  });
});
