// What the context rules out is read from its must-not sentences (or a negated must), never
// from a sentence that merely mentions the mechanism.
import { describe, expect, it } from 'vitest';
import { rulesOut } from '../../src/design/constraints.js';
import type { Requirement } from '../../src/types.js';

const ctx = (requirements: Requirement[]) => ({ input: { sessions: { requirements } } }) as unknown as Parameters<typeof rulesOut>[0];
const c = (polarity: 'must' | 'must-not', sentence: string): Requirement => ({ kind: 'constraint', polarity, sentence, evidence: 's.md:1' });

describe('rulesOut', () => {
  it('finds polling in a must-not, and in a must that negates it', () => {
    expect(rulesOut(ctx([c('must-not', 'Not allowed: polling the REST API for positions.')]), 'polling')?.evidence).toBe('s.md:1');
    expect(rulesOut(ctx([c('must', 'keep GraphQL; no polling from the screens.')]), 'polling')?.sentence).toBe('keep GraphQL; no polling from the screens.');
  });

  it('ignores a must that only mentions polling, and other kinds of requirement', () => {
    expect(rulesOut(ctx([c('must', 'The old app used long polling and must keep working.')]), 'polling')).toBeUndefined();
    expect(rulesOut(ctx([{ kind: 'problem', sentence: 'Polling floods the API.', evidence: 's.md:2' }]), 'polling')).toBeUndefined();
  });

  it('finds a login ruled out for viewers', () => {
    expect(rulesOut(ctx([c('must-not', 'Must not: no login for viewers; no third-party push service.')]), 'login')?.evidence).toBe('s.md:1');
    expect(rulesOut(ctx([c('must', 'Staff must sign in before they can edit.')]), 'login')).toBeUndefined();
  });

  it('negatedOnly: a must-not that names the login without excluding it rules nothing out', () => {
    expect(rulesOut(ctx([c('must-not', 'Must not: break the existing login flow.')]), 'login')?.evidence).toBe('s.md:1');
    expect(rulesOut(ctx([c('must-not', 'Must not: break the existing login flow.')]), 'login', true)).toBeUndefined();
    expect(rulesOut(ctx([c('must-not', 'Must not: no login for viewers; no third-party push service.')]), 'login', true)?.evidence).toBe('s.md:1');
    expect(rulesOut(ctx([c('must-not', 'Viewers must not need user accounts.')]), 'login', true)?.evidence).toBe('s.md:1');
  });

  it('reads an account as a login only when users would have to create one', () => {
    expect(rulesOut(ctx([c('must-not', 'No managed real-time vendor (data stays in our AWS account).')]), 'login')).toBeUndefined();
    expect(rulesOut(ctx([c('must-not', 'Must not: no account sign-up for players (PIN + nickname stays).')]), 'login')?.evidence).toBe('s.md:1');
    expect(rulesOut(ctx([c('must-not', 'Viewers must not need user accounts.')]), 'login')?.evidence).toBe('s.md:1');
  });
});
