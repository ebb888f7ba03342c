// Every requirement the context states is used by a section that cites it, or is listed under
// "Not addressed": read from the rendered plan of every fixture project.
import { describe, expect, it } from 'vitest';
import { fixturePlan, PLAN_FIXTURES } from './fixture-plans.js';

/** Rendered sections by their number ("11" → body). */
function sections(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of markdown.split(/^## /m).slice(1)) out.set(/^(\d+)\./.exec(part)?.[1] ?? '', part);
  return out;
}

describe.each(PLAN_FIXTURES)('%s', (name) => {
  it('uses every requirement in a section that cites its evidence, or says it is not addressed', async () => {
    const { plan, markdown } = await fixturePlan(name);
    const body = sections(markdown);
    const context = body.get('2') ?? '';
    for (const row of plan.context.requirements) {
      if (row.addressedIn === '') {
        expect(context.split('### Not addressed')[1] ?? '', row.label).toContain(`\`${row.evidence}\``);
        continue;
      }
      for (const ref of row.addressedIn.split(', ')) expect(body.get(ref.slice(1)) ?? '', `${row.label} in ${ref}`).toContain(row.evidence);
    }
    expect(plan.context.notAddressed.length).toBe(plan.context.requirements.filter((r) => r.addressedIn === '').length);
  });
});
