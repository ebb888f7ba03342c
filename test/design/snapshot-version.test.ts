// One source for a whole snapshot's `version`, decided from the topology (scenarios/state-sync.ts
// snapshotVersionSource), named the same in every section: a counter in the one process, or one
// counter in the shared store when several instances send snapshots.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { preparePlan } from '../../src/pipeline.js';
import { silentLogger } from '../../src/io/log.js';
import { copyProject } from '../cli/helpers.js';
import { fixturePlan, PROJECTS } from './fixture-plans.js';
import { NOW } from './inputs.js';
import { ATOMIC_COUNTER, SEQ_IN_WRITE, stateStoreOf } from '../../src/design/profiles/stores.js';
import { gapRuleMd } from '../../src/design/ordering.js';
import type { DesignCtx } from '../../src/design/context.js';

/** Every sentence of the plan that names where `version` comes from. */
function versionSources(markdown: string): string[] {
  return markdown.split('\n').filter((l) => /counter (?:in|that|lives)|INCR/.test(l) && /version/.test(l));
}

describe('snapshot version source', () => {
  it('two instances: one counter in the shared store, in every section, and never a per-process counter', async () => {
    const { markdown } = await fixturePlan('plan-state-sync', 'state-sync');
    const lines = versionSources(markdown);
    expect(lines.length).toBe(6);
    for (const l of lines) expect(l).toContain('the database this plan proposes');
    expect(markdown).not.toContain('in the server process');
    expect(markdown).not.toContain('Redis `INCR`');
    expect(markdown).toContain('n4[("Database (proposed)#58; state, version")]');
  });

  it('one instance: a counter in its process, and the store holds no version', async () => {
    const dir = copyProject(path.join(PROJECTS, 'plan-state-sync'));
    appendFileSync(
      path.join(dir, '.claude/tasks/context_session_1.md'),
      'Deployment: 1 Node process on one VM. We are not planning more instances this year.\n',
    );
    const { markdown } = await preparePlan({
      cwd: dir,
      task: 'state-sync',
      now: NOW,
      contextGlobs: [],
      docs: { mode: 'local', offline: true },
      options: {},
      env: {},
      log: silentLogger,
    });
    expect(markdown).toContain(
      'one server `version` on the whole snapshot, a single counter in the server process (one instance sends every snapshot), raised on every change',
    );
    expect(markdown).toContain('version: number; // proposed: one counter in the server process, raised on every change');
    expect(markdown).toContain('add `version`, one counter in the server process, raised on every change of `all`');
    expect(markdown).toContain('(a restarted server counts from its start again)');
    expect(markdown).toContain('n3[("Database (proposed)#58; state")]');
    expect(markdown).not.toContain('this plan proposes');
  });
});

describe('stateStoreOf', () => {
  const ctx = (deps: Record<string, string>, sentence = '') =>
    ({
      input: {
        analysis: {
          modelFacts: [],
          project: {
            packages: [{ manifest: 'package.json', dependencies: deps, dependencyLines: Object.fromEntries(Object.keys(deps).map((k, i) => [k, i + 7])) }],
          },
        },
        sessions: { requirements: sentence ? [{ kind: 'constraint', polarity: 'must', sentence, evidence: 'c.md:3' }] : [] },
      },
    }) as unknown as Pick<DesignCtx, 'input'>;

  it('a declared database, with its counter raised in the write transaction', () => {
    const s = stateStoreOf(ctx({ pg: '^8.0.0' }));
    expect(s).toEqual({ label: 'Postgres', evidence: 'package.json:7', proposed: false, kind: 'database', allowedAt: null });
    expect(ATOMIC_COUNTER[s.kind]).toBe('a counter row raised in the same transaction as the write of the state');
  });
  it('the one store the context allows: Redis, counted by INCR in the write script', () => {
    const s = stateStoreOf(ctx({}, 'No new infrastructure except one Redis.'));
    expect(s).toEqual({ label: 'Redis', evidence: null, proposed: true, kind: 'redis', allowedAt: 'c.md:3' });
    expect(ATOMIC_COUNTER[s.kind]).toBe('`INCR` in the same Lua script (or `MULTI`/`EXEC`) as the write of the state');
  });
  it('nothing declared or allowed: a database this plan proposes', () => {
    expect(stateStoreOf(ctx({}))).toEqual({ label: 'Database', evidence: null, proposed: true, kind: 'database', allowedAt: null });
  });
});

describe('gapRuleMd', () => {
  it('one policy: buffer a change ahead of order, resync only if the gap stays open', () => {
    expect(gapRuleMd('`seq`', 'sending `board:join`')).toBe(
      'apply `seq` = local + 1, drop `seq` ≤ local as duplicates, and buffer `seq` > local + 1, sending `board:join` if the gap is still open after 2 s or 100 buffered messages',
    );
  });
});

describe('SEQ_IN_WRITE', () => {
  it('names the one write per change for each kind of store', () => {
    expect(SEQ_IN_WRITE.database('poll')).toBe(
      "a sequence alone does not order the writes: one transaction per change raises the poll's counter row (which holds its lock until commit), writes the poll's state and appends to its log, so the stored state, the log and the `seq` agree; the snapshot reads state and `seq` in one transaction too.",
    );
    expect(SEQ_IN_WRITE.redis('board')).toBe(
      "a Redis `INCR` alone does not order the writes: one Lua script (or `MULTI`/`EXEC`) per change takes the `seq`, writes the board's state and appends to its log together, so the stored state, the log and the `seq` agree; the snapshot reads state and `seq` in one script too.",
    );
  });
});
