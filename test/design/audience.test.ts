// Who a notification is for, from the stream's delivery filter (design/audience.ts).
import { describe, expect, it } from 'vitest';
import { audienceOf } from '../../src/design/audience.js';
import type { ModelFact } from '../../src/types.js';

const filter = (name: string, evidence = 'src/server/stream.ts:24'): ModelFact => ({ kind: 'delivery-filter', name, evidence, note: '' });

describe('audienceOf', () => {
  it('a filter on a group field the connection carries: per group, named by the field', () => {
    expect(audienceOf([filter('n.teamId === agent.teamId')])).toEqual({
      kind: 'group',
      group: 'team',
      field: 'teamId',
      test: 'n.teamId === agent.teamId',
      evidence: 'src/server/stream.ts:24',
    });
    expect(audienceOf([filter('evt.org_id == session.user.org_id || session.user.admin', 'src/sse.ts:9')])).toEqual({
      kind: 'group',
      group: 'org',
      field: 'org_id',
      test: 'evt.org_id == session.user.org_id || session.user.admin',
      evidence: 'src/sse.ts:9',
    });
  });

  it('a filter on the user: per user, with that filter', () => {
    expect(audienceOf([filter('n.userId === req.user.userId')])).toEqual({
      kind: 'user',
      filter: { test: 'n.userId === req.user.userId', evidence: 'src/server/stream.ts:24' },
    });
    // The field names the connection's own object: `agent.agentId` is that agent.
    expect(audienceOf([filter('n.agentId === agent.agentId')])).toEqual({
      kind: 'user',
      filter: { test: 'n.agentId === agent.agentId', evidence: 'src/server/stream.ts:24' },
    });
    // A user filter next to a group one narrows it to the user.
    expect(audienceOf([filter('n.teamId === a.teamId'), filter('n.id === a.id', 'src/x.ts:3')])).toEqual({
      kind: 'user',
      filter: { test: 'n.id === a.id', evidence: 'src/x.ts:3' },
    });
  });

  it('no filter, or none on a key field: per user by default', () => {
    expect(audienceOf([])).toEqual({ kind: 'user', filter: null });
    expect(audienceOf([filter('n.level === prefs.level')])).toEqual({ kind: 'user', filter: null });
    expect(audienceOf([{ kind: 'process-state', name: 'recent', evidence: 'src/bus.ts:12', note: '' }])).toEqual({ kind: 'user', filter: null });
  });
});
