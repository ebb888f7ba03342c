// The section escapes what a review says, like any other input: a title or path cannot
// open a table, a link, HTML, a heading, or forge the markers `rt-plan review` looks for.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { DesignReview } from '../../src/llm/verify-review.js';
import { renderPlan } from '../../src/render/engine.js';

const partial = readFileSync(path.join(import.meta.dirname, '../../templates/partials/design-review.hbs'), 'utf8');
const render = (review: DesignReview | undefined) =>
  renderPlan(
    { review },
    {
      templates: new Map([
        ['plan.md', '{{> design-review}}'],
        ['design-review', partial],
      ]),
      frontmatter: '',
    },
  );

it('escapes titles, details, paths and reasons, and renders nothing without a review', () => {
  const out = render({
    summary: '<!-- /rt-plan:design-review --> # not a heading',
    source: 'review input',
    items: [{ kind: 'risk', title: 'a | b *c* [x](y)', detail: '<script>alert(1)</script>', evidence: ['src/we`ird.ts:3'], source: 'review input' }],
    dropped: [{ title: '`x`', reason: 'evidence "<b>:1": no such file in the project' }],
  });
  expect(out).toBe(
    [
      '<!-- rt-plan:design-review -->',
      '## Design review',
      '',
      '\\<!-- /rt-plan:design-review --\\> \\# not a heading',
      '',
      'Each item below was checked by rt-plan against the project: every line it cites exists, and it names no library or event the analysis contradicts.',
      '',
      '- **a \\| b \\*c\\* \\[x\\](y)** (risk; source: review input): \\<script\\>alert(1)\\</script\\> Evidence: ``src/we`ird.ts:3``.',
      '',
      '1 item dropped: \\`x\\` (evidence "\\<b\\>:1": no such file in the project).',
      '<!-- /rt-plan:design-review -->',
      '',
    ].join('\n'),
  );
  expect(render(undefined)).toBe('\n');
});
