// Two copies of one record ordered by its change time: the plan says which clock sets it where the
// code shows it (a database `now()`), says it cannot tell otherwise, and names a version that needs no clock.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/design/index.js';
import { fixturePlan } from './fixture-plans.js';
import { NOW } from './inputs.js';

const TITLE = 'Out-of-order delivery across instances';

/** The fixture's own analysis reads `updated_at = now()` in server/src/orders.ts; 'none' takes that fact away. */
async function mitigation(facts: 'db-clock' | 'none'): Promise<string | undefined> {
  const p = await fixturePlan('model-graphql-ws-apollo');
  const analysis = facts === 'none' ? { ...p.analysis, modelFacts: (p.analysis.modelFacts ?? []).filter((f) => f.kind !== 'change-time') } : p.analysis;
  const plan = buildPlan({ task: 'graphql-ws-apollo', now: NOW, toolVersion: '0.0.0', sessions: p.sessions, analysis, docs: p.docs, options: {} });
  return plan.edgeCases.find((e) => e.title === TITLE)?.mitigationMd;
}

describe('ordering refetched copies by their change time', () => {
  it('names the database clock the code sets it from, and when that clock is read', async () => {
    expect(await mitigation('db-clock')).toBe(
      'No seq or log of ours: graphql-ws replays nothing, so a reconnect refetches the current state. The client keeps, per order, the copy with the later `updatedAt` (`server/src/schema/schema.graphql:13`), so that an older one arriving late, from another instance or from a refetch that raced a live update, does not replace a newer one. The database sets it (`updated_at = now()`, `server/src/orders.ts:23`): one clock for every instance, but read when the transaction or statement starts, not when it commits, so two overlapping updates of one order can commit in the other order of their times, and two in the same tick tie. A `version` column the same write raises (`version = version + 1`, returned with the row) and sent with each order orders them without a clock: compare that instead once it is added.',
    );
  });

  it('says it cannot tell where no write of the code shows the clock, and that app clocks can skew', async () => {
    expect(await mitigation('none')).toBe(
      'No seq or log of ours: graphql-ws replays nothing, so a reconnect refetches the current state. The client keeps, per order, the copy with the later `updatedAt` (`server/src/schema/schema.graphql:13`), so that an older one arriving late, from another instance or from a refetch that raced a live update, does not replace a newer one. rt-plan does not see what sets it: where the app sets it (`new Date()`) on each of the 2 instances, their clocks can skew and a newer change can carry an earlier time; where the database sets it, its `now()` is read when the transaction or statement starts, not when it commits. A `version` column the same write raises (`version = version + 1`, returned with the row) and sent with each order orders them without a clock: compare that instead once it is added.',
    );
  });
});
