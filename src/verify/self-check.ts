// The cheap checks every `rt-plan <task>` run makes before writing: the required sections in
// order, closed fences, no empty diagram. Parsing the diagrams with mermaid itself costs
// about half a second, so that is `--check` and `rt-plan check`.
import type { PlanCore } from '../types.js';
import { checkSections } from './sections.js';

export function verifyPlanText(markdown: string, plan: PlanCore): string[] {
  const problems = checkSections(markdown).map((p) => (p.line === null ? p.message : `line ${p.line}: ${p.message}`));
  if ((markdown.match(/^```/gm) ?? []).length % 2 !== 0) problems.push('a code fence is not closed');
  for (const diagram of plan.diagrams) {
    if (!diagram.source.trim()) problems.push(`diagram "${diagram.title}" is empty`);
  }
  return problems;
}
