// How a session's labels classify the sentences under them (senior review F): the exact
// sentences of the fixture sessions that were mislabelled.
import { describe, expect, it } from 'vitest';
import { extractRequirements } from '../../src/context/requirements.js';

const kinds = (body: string) =>
  extractRequirements('s.md', body).flatMap((r) =>
    r.kind === 'constraint' ? [`${r.polarity}@${r.evidence}`] : r.kind === 'problem' ? [`problem@${r.evidence}`] : [],
  );

describe('requirement labels', () => {
  it('an inline "Musts:" with a bare "never" is a must', () => {
    expect(
      kinds('Musts: the API key never reaches the browser; only staff-signed-in kiosks can start a call.\nMust not: no recording of the audio on our side.'),
    ).toEqual(['must@s.md:1', 'must-not@s.md:2']);
  });

  it('a bare label line without a colon labels its items ("What users report")', () => {
    const body = [
      'Constraints',
      '- the OpenAI key stays server-side.',
      '',
      'What users report',
      '- On phones, switching to another app while an answer streams and coming back shows a',
      '  half-written answer that never completes; reloading loses the whole conversation.',
    ].join('\n');
    expect(kinds(body)).toEqual(['must@s.md:2', 'problem@s.md:5']);
  });

  it('"Problems right now" makes a report without a symptom word a problem', () => {
    const body = 'Problems right now\n- Someone renamed themselves in the typing indicator by calling trigger from the dev console.';
    expect(kinds(body)).toEqual(['problem@s.md:2']);
  });

  it('"Targets:" states musts, not a problem, even when it says "without duplicates"', () => {
    expect(kinds('Targets: a fan who comes back within 5 minutes sees every event they missed, in order, without duplicates.')).toEqual(['must@s.md:1']);
  });

  it('under a must label "we don\'t want" stays a must-not', () => {
    expect(kinds("Constraints: the API runs on Heroku; we don't want to run our own WebSocket servers.")).toEqual(['must-not@s.md:1']);
  });
});
