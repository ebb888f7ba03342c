// A server event whose every send carries the whole of one module-level collection is a snapshot:
// one version on it, stored where the collection is, no per-item id or seq; a bare `command` a
// client sends is a request the server acts on, acked and run once, not persisted state.
import { describe, expect, it } from 'vitest';
import { coreDesign, snapshotSync, type CoreInputs } from '../../../src/design/core/index.js';
import { syncNames } from '../../../src/design/core/sync-events.js';
import type { RtEvent } from '../../../src/types.js';

function evt(name: string, direction: RtEvent['direction'], evidence: string, fields: string[]): RtEvent {
  return {
    name,
    direction,
    origin: 'existing',
    evidence,
    payload: fields.map((n) => ({ name: n, type: 'unknown', description: `inferred from ${evidence}` })),
  };
}
function inputs(extra: Partial<CoreInputs> = {}): CoreInputs {
  return {
    events: [evt('command', 'client-to-server', 'src/server.ts:16', ['name']), evt('state', 'server-to-client', 'src/cli/watch.ts:6', ['builds'])],
    findings: [],
    requirements: [],
    scenarios: ['state-sync'],
    entity: 'build',
    crdt: false,
    contextText: '',
    ...extra,
  };
}
const sends = [
  { event: 'state', field: 'builds', store: 'all', storeAt: 'src/builds.ts:2', at: 'src/server.ts:13', onConnect: true, toAll: false },
  { event: 'state', field: 'builds', store: 'all', storeAt: 'src/builds.ts:2', at: 'src/server.ts:22', onConnect: false, toAll: true },
];

describe('whole-collection snapshots and commands', () => {
  it('versions a whole-collection send as one snapshot, kept where the collection is', () => {
    const core = coreDesign(inputs({ wholeSends: sends }));
    const state = core.objects.find((o) => o.name === 'state')!;
    expect([state.decision.versioning, state.decision.unknowns, state.store, state.whole]).toEqual([
      'snapshot-version',
      ['owner'],
      { field: 'all', at: 'src/builds.ts:2' },
      {
        field: 'builds',
        store: 'all',
        storeAt: 'src/builds.ts:2',
        at: ['src/server.ts:13', 'src/server.ts:22'],
        onConnect: ['src/server.ts:13'],
        toAll: ['src/server.ts:22'],
      },
    ]);
    expect(snapshotSync(core)?.name).toBe('state');
  });

  it('keeps a per-item seq where no send carries the whole collection', () => {
    const core = coreDesign(inputs());
    expect([core.objects.find((o) => o.name === 'state')!.decision.versioning, snapshotSync(core)]).toEqual(['seq-per-parent', null]);
  });

  it('makes a bare client `command` a transient request run once, still acked with a mutationId', () => {
    const core = coreDesign(inputs({ wholeSends: sends }));
    const command = core.objects.find((o) => o.name === 'command')!;
    expect([command.kind, command.decision.lifetime, command.decision.delivery, command.decision.versioning, command.decision.conflict]).toEqual([
      'command',
      'transient',
      'reliable',
      'none',
      'runs-once',
    ]);
    expect(syncNames(core, 'build').mutations).toEqual(['command']);
  });
});
