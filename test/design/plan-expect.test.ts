// Each model-* fixture carries a reviewed plan-expect.json: what its plan must and must not
// say. Expectations not met yet are listed in PENDING with why, and the test fails both when
// a met expectation breaks and when a pending one starts to pass (so the list stays true).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePlan, PLAN_FIXTURES, PROJECTS } from './fixture-plans.js';

/** "/re/flags" is a regular expression; anything else a literal, case-sensitive substring. */
function pattern(source: string): RegExp {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(source);
  return m ? new RegExp(m[1]!, m[2]) : new RegExp(source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

// Why each is pending: "model" needs facts the project-model analyzer adds (files, symbols,
// handlers, stream helpers); "audit" is an analyzer finding the model work corrects; "design"
// is design-stage work not done yet.
const MODEL = 'model';
const PENDING: Record<string, Record<string, string>> = {};

const WITH_EXPECT = PLAN_FIXTURES.filter((n) => existsSync(path.join(PROJECTS, n, 'plan-expect.json')));

describe.each(WITH_EXPECT)('%s', (name) => {
  it('says what its reviewed list requires and nothing it forbids (pending ones listed)', async () => {
    const expectations = JSON.parse(readFileSync(path.join(PROJECTS, name, 'plan-expect.json'), 'utf8')) as { must: string[]; mustNot: string[] };
    const { markdown } = await fixturePlan(name);
    const unmet = [
      ...expectations.must.filter((p) => !pattern(p).test(markdown)).map((p) => `must ${p}`),
      ...expectations.mustNot.filter((p) => pattern(p).test(markdown)).map((p) => `mustNot ${p}`),
    ];
    expect(unmet).toEqual(Object.keys(PENDING[name] ?? {}));
  });
});

// Every place Current state names as a cause in the code (a reported problem's diagnosis, a fact
// whose fix the context asks for) is changed by an implementation step: a diagnosis never ends in prose.
describe.each(PLAN_FIXTURES)('%s', (name) => {
  it('has a step that changes every file Current state names as a cause', async () => {
    const { plan } = await fixturePlan(name);
    const targets = [
      ...plan.currentState.problems.flatMap((p) => p.targets ?? []),
      ...(plan.currentState.modelFacts ?? []).flatMap((f) =>
        f.fixMd ? [{ path: f.evidence.replace(/:\d+$/, ''), line: f.evidence.replace(/^.*:/, ''), fixMd: f.fixMd }] : [],
      ),
    ];
    const files = plan.steps.flatMap((s) => s.files).filter((f) => f.action === 'change');
    const unlinked = targets.filter((t) => !files.some((f) => f.path === t.path && f.lines?.includes(t.line)));
    expect(unlinked).toEqual([]);
  });
});
