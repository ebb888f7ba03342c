// Security's per-channel rule says what the code decides about access (design/access.ts).
import { describe, expect, it } from 'vitest';
import { codeAccessMd } from '../../src/design/access.js';
import type { Analysis, ModelFact } from '../../src/types.js';

function md(facts: ModelFact[], auth: Analysis['stack']['auth'] = []): string | null {
  return codeAccessMd({ input: { analysis: { modelFacts: facts, stack: { auth } } } } as never);
}

describe('codeAccessMd', () => {
  it('says nothing when the code shows nothing', () => {
    expect(md([])).toBeNull();
  });

  it('a grant for a name the client sends, with nothing that refuses it, says so', () => {
    const grant: ModelFact = {
      kind: 'channel-grant',
      name: 'room',
      value: 'roomJoin, canSubscribe',
      evidence: 'app/api/token/route.ts:8',
      fromRequest: true,
      checked: false,
      note: '',
    };
    expect(md([grant])).toBe(
      'the route in `app/api/token/route.ts` grants `roomJoin` and `canSubscribe` on `room` (a name the client sends) (`app/api/token/route.ts:8`); nothing in that route refuses a name the user may not use',
    );
    expect(md([{ ...grant, checked: true }])).not.toContain('nothing in that route refuses');
  });

  it('names the connection authentication when no refusal shows it, and keeps a || inside the table cell', () => {
    const filter: ModelFact = { kind: 'delivery-filter', name: 'e.a === u.a || u.admin', evidence: 'src/sse.ts:12', route: '/events', note: '' };
    expect(md([filter], [{ kind: 'session-cookie', evidence: 'src/sse.ts:4' }])).toBe(
      'a session cookie authenticates the connection (`src/sse.ts:4`); `/events` sends an event to the connection only when `e.a === u.a \\|\\| u.admin` (`src/sse.ts:12`)',
    );
  });
});
