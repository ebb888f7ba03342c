import { describe, expect, it } from 'vitest';
import { detectEntity } from '../../src/design/context.js';
import type { RtEvent } from '../../src/types.js';
import { analysis, input, sessions } from './inputs.js';

const ev = (name: string): RtEvent => ({ name, direction: 'client-to-server', origin: 'existing', evidence: 'src/a.ts:1' });
const entityOf = (body: string, events: string[]) => {
  const a = analysis({ name: 'app', sourceFiles: [] });
  return detectEntity(input({ task: 'sync', sessions: sessions('.claude/tasks/context_session_1.md', body, []), analysis: { ...a, events: events.map(ev) } }));
};

describe('detectEntity from the project events', () => {
  it("takes the domain of the project's own events when the session names it", () => {
    expect(entityOf('Two people edit a note at once. Notes are up to 200 KB.', ['note:edit', 'note:join', 'note:cursor'])).toBe('note');
    expect(entityOf('Prices must be fresh.', ['price.snapshot', 'price.tick'])).toBe('price');
  });

  it('still prefers a domain noun the session uses more', () => {
    expect(entityOf('Each board shows cards. The board updates live; boards hold 50 cards.', ['card:moved', 'card:added'])).toBe('board');
  });

  it('does not take a word the session only uses for a credential', () => {
    expect(
      entityOf('Tickets from `/v2/stream-tickets` are valid for 30 s, one use. Dispatchers assign a job to a vehicle.', ['job.assign', 'job.assigned']),
    ).toBe('job');
  });

  it('never takes plumbing prefixes, nor a domain seen once', () => {
    expect(entityOf('Keep it fast.', ['sys:ping', 'sys:pong', 'chat:message', 'chat:typing'])).toBe('resource');
    expect(entityOf('Keep it fast.', ['order:update'])).toBe('resource');
  });
});
