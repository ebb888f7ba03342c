// linkCauses (steps.ts): a cause Current state names in the code is added to the step that
// changes its file, or gets a step of its own right after the findings step.
import { describe, expect, it } from 'vitest';
import { linkCauses } from '../../src/design/steps.js';
import type { Step } from '../../src/design/types.js';

const findings: Step = {
  n: 1,
  title: 'Fix the audit findings in `src/a.ts`',
  files: [{ path: 'src/a.ts', action: 'change', why: '`no-heartbeat` (line 3)' }],
  detailMd: 'd',
};
const tests: Step = { n: 2, title: 'Tests', files: [{ path: 'test/a.test.ts', action: 'create', why: 't' }], detailMd: 'd' };

describe('linkCauses', () => {
  it('adds the fix to the step that already changes the file, and leaves a line that step names', () => {
    const out = linkCauses(
      [findings, tests],
      [
        { path: 'src/a.ts', line: '9', fixMd: 'throttle it', forMd: 'the reported problem at `c.md:4`' },
        { path: 'src/a.ts', line: '3', fixMd: 'something else', forMd: 'the reported problem at `c.md:5`' },
        { path: 'src/a.ts', line: '3', fixMd: 'the fix for `no-heartbeat` in Findings', finding: 'no-heartbeat', forMd: 'x' },
      ],
    );
    expect(out.map((s) => s.n)).toEqual([1, 2]);
    expect(out[0]!.files).toEqual([
      { path: 'src/a.ts', action: 'change', why: '`no-heartbeat` (line 3); line 9 (the reported problem at `c.md:4`): throttle it' },
    ]);
    expect(findings.files[0]!.why).toBe('`no-heartbeat` (line 3)');
  });

  it('gives a file no step changes a step of its own after the findings step, and renumbers', () => {
    const out = linkCauses([findings, tests], [{ path: 'src/notify.js', line: '5', fixMd: 'store first', forMd: 'What the code shows' }]);
    expect(out.map((s) => [s.n, s.title])).toEqual([
      [1, 'Fix the audit findings in `src/a.ts`'],
      [2, 'Fix the causes Current state names'],
      [3, 'Tests'],
    ]);
    expect(out[1]!.files).toEqual([{ path: 'src/notify.js', action: 'change', why: 'line 5 (What the code shows): store first' }]);
  });

  it('leaves out a finding no step names (a library fixes it)', () => {
    expect(linkCauses([tests], [{ path: 'src/b.ts', line: '2', fixMd: 'f', finding: 'no-reconnect', forMd: 'x' }])).toEqual([{ ...tests, n: 1 }]);
  });
});
