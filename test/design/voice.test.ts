// Plans speak in rt-plan's own voice: a default names rt-plan and cites its knowledge note,
// never a document the user has not seen.
import { describe, expect, it } from 'vitest';
import { fixturePlan, PLAN_FIXTURES } from './fixture-plans.js';

describe.each(PLAN_FIXTURES)('%s', (name) => {
  it('never mentions "seed" and cites the defaults note it leans on', async () => {
    const { markdown, plan } = await fixturePlan(name);
    expect(markdown.match(/.*seed.*/gi) ?? []).toEqual([]);
    const note = plan.references.find((r) => r.reference.startsWith('templates/knowledge/rt-plan-defaults.md'));
    expect(note?.cited).toBe(true);
    expect(markdown).toContain(`rt-plan default [${note?.id}]`);
  });
});
