// A snapshot replaces a resyncing client's state, so it carries what the update events it stands
// in for carry: the latest tally of `poll:results` beside the poll, or the latest of each score.
import { describe, expect, it } from 'vitest';
import { coreDesign, type CoreInputs } from '../../../src/design/core/index.js';
import { syncEvents } from '../../../src/design/core/sync-events.js';
import type { RtEvent } from '../../../src/types.js';

function evt(name: string, direction: RtEvent['direction'], evidence: string, fields: string[]): RtEvent {
  return { name, direction, origin: 'existing', evidence, payload: fields.map((n) => ({ name: n, type: 'unknown' })) };
}
function inputs(events: RtEvent[]): CoreInputs {
  return { events, findings: [], requirements: [], scenarios: ['state-sync'], entity: 'resource', crdt: false, contextText: '' };
}
const snapshotOf = (events: RtEvent[]) => {
  const core = coreDesign(inputs(events));
  return syncEvents(core, 'resource', events, 'ws').find((e) => e.name.endsWith('snapshot'));
};

describe('snapshot fields', () => {
  it('carries the latest fields of a derived update keyed like the snapshot (poll results counts)', () => {
    const snap = snapshotOf([
      evt('poll:open', 'client-to-server', 'index.js:43', ['pollId', 'question', 'options']),
      evt('poll:opened', 'server-to-client', 'index.js:45', ['pollId', 'question', 'options']),
      evt('vote', 'client-to-server', 'index.js:40', ['pollId', 'option']),
      evt('poll:results', 'server-to-client', 'index.js:42', ['pollId', 'counts']),
    ]);
    expect(snap?.name).toBe('poll:snapshot');
    expect(snap?.payload.map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}`)).toEqual([
      'pollId: string',
      'seq: integer',
      'polls: unknown[]',
      'ownVote?: unknown',
      'counts?: unknown',
    ]);
    expect(snap?.payload.find((p) => p.name === 'counts')?.description).toBe('the latest counts that poll:results carried, absent before the first');
    expect(snap?.summary).toContain('; it carries the latest counts of poll:results, so a client that resyncs shows them at once');
  });

  it('without a derived update the snapshot is unchanged', () => {
    const snap = snapshotOf([
      evt('poll:open', 'client-to-server', 'index.js:43', ['pollId', 'question', 'options']),
      evt('poll:opened', 'server-to-client', 'index.js:45', ['pollId', 'question', 'options']),
      evt('vote', 'client-to-server', 'index.js:40', ['pollId', 'option']),
    ]);
    expect(snap?.payload.map((p) => p.name)).toEqual(['pollId', 'seq', 'polls', 'ownVote']);
  });
});
