// Where the "Design review" section lives in a written plan: between two HTML comments the
// partial emits, right after the Summary. `rt-plan review` replaces what is between the
// markers (or inserts the section before the heading that follows the Summary), so a plan
// is reviewed in place without re-running the pipeline, and reviewing twice replaces.
import { parseHeadings } from '../verify/sections.js';

export const START_MARKER = '<!-- rt-plan:design-review -->';
export const END_MARKER = '<!-- /rt-plan:design-review -->';

/** The plan with `section` (which carries its own markers) in place, or null when the plan has no Summary to follow. */
export function placeReviewSection(plan: string, section: string): string | null {
  const body = section.trim();
  // Only a marker alone on its line is one: project names and review titles can spell a marker
  // too, but the renderer writes them inline (escaped or in a code span), never as a line.
  const start = lineAt(plan, START_MARKER, 0);
  const end = start === -1 ? -1 : lineAt(plan, END_MARKER, start);
  if (start !== -1 && end !== -1) return plan.slice(0, start) + body + plan.slice(end + END_MARKER.length);
  const headings = parseHeadings(plan);
  const summary = headings.findIndex((h) => h.title.toLowerCase() === 'summary');
  if (summary === -1) return null;
  const next = headings[summary + 1];
  const lines = plan.split('\n');
  if (!next) return `${plan.replace(/\n*$/, '')}\n\n${body}\n`;
  const at = next.line - 1;
  return [...lines.slice(0, at), body, '', ...lines.slice(at)].join('\n');
}

/** Offset of the first line from `from` that is exactly `marker`, or -1. */
function lineAt(text: string, marker: string, from: number): number {
  for (let at = text.indexOf(marker, from); at !== -1; at = text.indexOf(marker, at + 1)) {
    const after = text[at + marker.length];
    if ((at === 0 || text[at - 1] === '\n') && (after === undefined || after === '\n' || after === '\r')) return at;
  }
  return -1;
}
