// The cheap checks every `rt-plan <task>` run makes before writing: all required sections,
// in order, and every diagram the design produced present in a mermaid fence. Parsing the
// diagrams with mermaid itself costs about a second, so it is `--check` and `rt-plan check`.
import type { PlanCore } from '../types.js';
import { REQUIRED_SECTIONS } from './sections.js';

export function verifyPlanText(markdown: string, plan: PlanCore): string[] {
  const problems: string[] = [];
  const headings = [...markdown.matchAll(/^##\s+(?:\d+\.\s+)?(.+?)\s*$/gm)].map((m) => m[1]!.trim());
  let cursor = 0;
  for (const title of REQUIRED_SECTIONS) {
    const at = headings.indexOf(title, cursor);
    if (at === -1) problems.push(headings.includes(title) ? `section "${title}" is out of order` : `section "${title}" is missing`);
    else cursor = at + 1;
  }
  const fences = (markdown.match(/^```/gm) ?? []).length;
  if (fences % 2 !== 0) problems.push('a code fence is not closed');
  const blocks = new Set([...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```/gm)].map((m) => m[1]!.trimEnd()));
  for (const diagram of plan.diagrams) {
    if (!diagram.source.trim()) problems.push(`diagram "${diagram.title}" is empty`);
  }
  if (blocks.size === 0 && plan.diagrams.length > 0 && !markdown.includes('```mermaid')) {
    problems.push('the plan has no mermaid diagrams');
  }
  return problems;
}
