// linkCauses (steps.ts): a cause Current state names in the code is added to the step that
// changes its file, or gets a step of its own right after the findings step. It compares data
// (the lines a change works at, the step's kind), never the wording of a why or a title.
import { describe, expect, it } from 'vitest';
import { linkCauses } from '../../src/design/steps.js';
import type { Step } from '../../src/design/types.js';

const findings: Step = {
  n: 1,
  kind: 'findings',
  title: 'Fix the audit findings in `src/a.ts`',
  files: [{ path: 'src/a.ts', action: 'change', why: '`no-heartbeat` (line 3)', lines: ['3'] }],
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
      { path: 'src/a.ts', action: 'change', why: '`no-heartbeat` (line 3); line 9 (the reported problem at `c.md:4`): throttle it', lines: ['3', '9'] },
    ]);
    expect(findings.files[0]!.why).toBe('`no-heartbeat` (line 3)');
  });

  it('gives a file no step changes a step of its own after the findings step, and renumbers', () => {
    const out = linkCauses([findings, tests], [{ path: 'src/notify.js', line: '5', fixMd: 'store first', forMd: 'What the code shows' }]);
    expect(out.map((s) => [s.n, s.title, s.kind])).toEqual([
      [1, 'Fix the audit findings in `src/a.ts`', 'findings'],
      [2, 'Fix the causes Current state names', 'causes'],
      [3, 'Tests', undefined],
    ]);
    expect(out[1]!.files).toEqual([{ path: 'src/notify.js', action: 'change', why: 'line 5 (What the code shows): store first', lines: ['5'] }]);
  });

  it('names every line of one fix in a file once, with all its lines, in the step that changes it and in its own', () => {
    const parse = (line: string) => ({ path: 'public/board.js', line, fixMd: 'parse inside try/catch', forMd: 'What the code shows' });
    const manager: Step = { n: 1, title: 'Client', files: [{ path: 'public/board.js', action: 'change', why: 'use the connection manager' }], detailMd: 'd' };
    const out = linkCauses([manager], [parse('21'), parse('26'), { ...parse('28'), fixMd: 'take the listener off' }, parse('30')]);
    expect(out[0]!.files).toEqual([
      {
        path: 'public/board.js',
        action: 'change',
        why: 'use the connection manager; lines 21, 26 and 30 (What the code shows): parse inside try/catch; line 28 (What the code shows): take the listener off',
        lines: ['21', '26', '28', '30'],
      },
    ]);
    const alone = linkCauses([tests], [parse('21'), parse('26')]);
    expect(alone[0]!.files).toEqual([
      { path: 'public/board.js', action: 'change', why: 'lines 21 and 26 (What the code shows): parse inside try/catch', lines: ['21', '26'] },
    ]);
  });

  it('links the same cause arriving twice for a file with a step of its own once', () => {
    const cause = { path: 'src/notify.js', line: '5', fixMd: 'store first', forMd: 'What the code shows' };
    const out = linkCauses([findings, tests], [cause, cause, { ...cause, forMd: 'the reported problem at `c.md:4`' }]);
    expect(out.map((s) => s.kind)).toEqual(['findings', 'causes', undefined]);
    expect(out[1]!.files).toEqual([{ path: 'src/notify.js', action: 'change', why: 'line 5 (What the code shows): store first', lines: ['5'] }]);
  });

  it('leaves out a finding no step names (a library fixes it)', () => {
    expect(linkCauses([tests], [{ path: 'src/b.ts', line: '2', fixMd: 'f', finding: 'no-reconnect', forMd: 'x' }])).toEqual([{ ...tests, n: 1 }]);
  });

  it('links the same way whatever the step, title or cause says', () => {
    const cause = { path: 'src/a.ts', line: '9', fixMd: 'throttle it', forMd: 'the reported problem at `c.md:4`' };
    const link = (steps: Step[], fixMd: string) => linkCauses(steps, [{ ...cause, fixMd }]).map((s) => [s.kind, s.files.map((f) => [f.path, f.lines])]);
    const throttle: Step = {
      n: 1,
      title: 'Client typing throttle',
      files: [{ path: 'src/a.ts', action: 'change', why: 'send `typing` (line 9) at most once per 2 s', lines: ['9'] }],
      detailMd: 'd',
    };
    const reworded: Step = { ...throttle, title: 'Throttle typing', files: [{ ...throttle.files[0]!, why: 'rate-limit the keystroke send' }] };
    // A why that names line 9 for another reason, on a change that does not work at it, does not take the cause.
    const mentions: Step = { ...throttle, files: [{ ...throttle.files[0]!, why: 'the handler (line 9 of the old file) moves', lines: ['12'] }] };
    const fixed: Step = { ...findings, title: 'Audit fixes', files: [{ ...findings.files[0]!, why: 'heartbeat' }] };
    expect(link([throttle], 'throttle it')).toEqual(link([reworded], 'send at most once per 2 s, not per keystroke'));
    expect(link([reworded], 'throttle it')).toEqual([[undefined, [['src/a.ts', ['9']]]]]);
    expect(link([mentions], 'throttle it')).toEqual([[undefined, [['src/a.ts', ['12', '9']]]]]);
    // The causes step goes after the findings step by its kind, whatever its title says.
    const elsewhere = [{ path: 'src/b.ts', line: '2', fixMd: 'a reworded fix', forMd: 'x' }];
    expect(linkCauses([fixed, tests], elsewhere).map((s) => s.kind)).toEqual(['findings', 'causes', undefined]);
    expect(linkCauses([{ ...findings, kind: undefined }, tests], elsewhere).map((s) => s.kind)).toEqual(['causes', undefined, undefined]);
  });
});
