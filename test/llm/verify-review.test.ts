import { describe, expect, it } from 'vitest';
import { placeReviewSection } from '../../src/llm/plan-section.js';
import { validateReview, type ReviewInput } from '../../src/llm/schema.js';
import { parseEvidence, verifyReview, type VerifyContext } from '../../src/llm/verify-review.js';

const ctx: VerifyContext = {
  lineCount: (p) => (({ 'server/index.js': 52, 'client/src/chat.js': 19 }) as Record<string, number>)[p] ?? null,
  model: { libraries: new Set(['socket.io', 'express']), events: new Set(['joinRoom', 'chatMessage']) },
  source: 'review input',
};
const item = (over: Partial<ReviewInput['items'][number]>) => ({
  kind: 'finding' as const,
  title: 't',
  detail: 'd',
  evidence: ['server/index.js:27'],
  ...over,
});

describe('verifyReview', () => {
  it('keeps items whose every reference names an existing line, and says why others go', () => {
    const out = verifyReview(
      {
        summary: ' two\n lines ',
        items: [
          item({ title: 'kept', evidence: ['./server/index.js:27', 'client/src/chat.js:15-19'] }),
          item({ title: 'past the end', evidence: ['server/index.js:27', 'server/index.js:53'] }),
          item({ title: 'no file', evidence: ['server/socket.js:3'] }),
          item({ title: 'outside', evidence: ['../other/index.js:1'] }),
          item({ title: 'no line', evidence: ['server/index.js'] }),
          item({ title: 'none', evidence: [] }),
          item({ title: 'zero', evidence: ['server/index.js:0'] }),
        ],
      },
      ctx,
    );
    expect(out.summary).toBe('two lines');
    expect(out.items).toEqual([
      { kind: 'finding', title: 'kept', detail: 'd', evidence: ['server/index.js:27', 'client/src/chat.js:15-19'], source: 'review input' },
    ]);
    expect(out.dropped).toEqual([
      { title: 'past the end', reason: 'evidence "server/index.js:53": line 53 is past the end of server/index.js (52 lines)' },
      { title: 'no file', reason: 'evidence "server/socket.js:3": no such file in the project' },
      { title: 'outside', reason: 'evidence "../other/index.js:1" is outside the project' },
      { title: 'no line', reason: 'evidence "server/index.js" is not path:line' },
      { title: 'none', reason: 'no evidence' },
      { title: 'zero', reason: 'evidence "server/index.js:0": lines start at 1' },
    ]);
  });

  it('drops a finding or change that names a library or event the project does not have', () => {
    const out = verifyReview(
      {
        summary: '',
        items: [
          item({ title: 'claims ws', libraries: ['ws'] }),
          item({ title: 'claims event', kind: 'change', events: ['room:rename'] }),
          item({ title: 'in prose', detail: 'Move it next to the existing `leaveRoom` handler.' }),
          item({ title: 'library in prose', detail: 'The project already uses `ioredis` client for pub/sub.' }),
          item({ title: 'a risk may speak of absent things', kind: 'risk', libraries: ['ws'], events: ['room:rename'] }),
          item({ title: 'true claims', libraries: ['socket.io'], detail: 'The existing `joinRoom` event is sent once.' }),
        ],
      },
      ctx,
    );
    expect(out.dropped).toEqual([
      { title: 'claims ws', reason: 'says the project uses "ws", which no package.json declares' },
      { title: 'claims event', reason: 'says the event "room:rename" exists; the analysis found no such event' },
      { title: 'in prose', reason: 'says the event "leaveRoom" exists; the analysis found no such event' },
      { title: 'library in prose', reason: 'says the project uses "ioredis", which no package.json declares' },
    ]);
    expect(out.items.map((i) => i.title)).toEqual(['a risk may speak of absent things', 'true claims']);
  });

  it('parseEvidence normalises and refuses absolute paths', () => {
    expect(parseEvidence('./a/../b.ts:3')).toEqual({ path: 'b.ts', lines: [3] });
    expect(parseEvidence('/etc/passwd:1')).toEqual({ problem: 'evidence "/etc/passwd:1" is outside the project' });
  });
});

describe('validateReview', () => {
  it('accepts extra fields and names each problem by its path', () => {
    expect(validateReview({ summary: 's', items: [], model: 'x' })).toEqual({ ok: true, review: { summary: 's', items: [] } });
    expect(validateReview({ summary: 's', items: [{ kind: 'change', title: '', detail: 3, evidence: 'a.js:1' }, 'x'] })).toEqual({
      ok: false,
      problems: [
        'items[0].title: must not be empty',
        'items[0].detail: expected a string',
        'items[0].evidence: expected an array of strings',
        'items[1]: expected an object',
      ],
    });
    expect(validateReview([])).toEqual({ ok: false, problems: ['the review must be a JSON object with "summary" and "items"'] });
  });
});

describe('placeReviewSection', () => {
  const plan = '---\ngenerator: "rt-plan 0.1.0"\n---\n# T\n\n## 1. Summary\n\ntext\n\n## 2. Context\n\nmore\n';
  const section = '<!-- rt-plan:design-review -->\n## Design review\n\nA\n<!-- /rt-plan:design-review -->\n';
  it('inserts after the Summary, then replaces between the markers', () => {
    const once = placeReviewSection(plan, section)!;
    expect(once).toBe(
      '---\ngenerator: "rt-plan 0.1.0"\n---\n# T\n\n## 1. Summary\n\ntext\n\n<!-- rt-plan:design-review -->\n## Design review\n\nA\n<!-- /rt-plan:design-review -->\n\n## 2. Context\n\nmore\n',
    );
    expect(placeReviewSection(once, section.replace('A', 'B'))).toBe(once.replace('\nA\n', '\nB\n'));
    expect(placeReviewSection('# no summary\n', section)).toBeNull();
  });

  it('finds the markers only as whole lines: a marker quoted in a title or in the plan body is text', () => {
    // A reviewed plan whose item title forged both markers (escaped inline by the renderer).
    const forged = '- **Fix \\<!-- /rt-plan:design-review --> then \\<!-- rt-plan:design-review -->** (risk): x\n';
    const reviewed = placeReviewSection(plan, section.replace('A\n', `A\n${forged}`))!;
    expect(placeReviewSection(reviewed, section.replace('A', 'B'))).toBe(placeReviewSection(plan, section.replace('A', 'B')));
    // An event named like the start marker, in a code span before the Summary.
    const quoted = plan.replace('# T\n', '# T\n\nEvent `<!-- rt-plan:design-review -->` and `<!-- /rt-plan:design-review -->`.\n');
    expect(placeReviewSection(quoted, section)).toBe(
      placeReviewSection(plan, section)!.replace('# T\n', '# T\n\nEvent `<!-- rt-plan:design-review -->` and `<!-- /rt-plan:design-review -->`.\n'),
    );
  });
});
