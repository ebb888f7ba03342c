// The contract's acceptance criteria as the plan lists them: one line per area with its ids,
// since each full criterion restates a requirement, an event or a setting the plan already
// shows. The EARS text stays complete in the contract file that `rt-plan verify` reads.
import type { Contract } from '../contract/types.js';
import { fmt } from './md.js';

/** A session requirement's criterion names its evidence: "users: 9,000 users (ctx.md:7)". */
const FROM_CONTEXT = /\([^()\s]+:\d+\)$/;

export function criteriaSummary(contract: Contract | undefined): string[] {
  if (!contract || contract.criteria.length === 0) return [];
  const groups: { area: string; ids: string[]; checks: Set<string> }[] = [];
  for (const c of contract.criteria) {
    const area = FROM_CONTEXT.test(c.requirement) ? 'context requirements' : c.requirement;
    const last = groups[groups.length - 1];
    if (last && last.area === area) {
      last.ids.push(c.id);
      last.checks.add(c.check);
    } else groups.push({ area, ids: [c.id], checks: new Set([c.check]) });
  }
  return groups.map((g) => {
    const ids = g.ids.length === 1 ? g.ids[0]! : `${g.ids[0]}–${g.ids[g.ids.length - 1]}`;
    const what = g.area === 'context requirements' ? `one per requirement above (${fmt(g.ids.length)})` : `${g.area} (${fmt(g.ids.length)})`;
    return `${ids}: ${what}, checked ${[...g.checks]
      .sort()
      .map((c) => (c === 'analyzer' ? 'by the analyzer' : 'by a test or review'))
      .join(' or ')}.`;
  });
}
