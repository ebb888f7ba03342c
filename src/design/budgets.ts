// The plan's recommendations checked against the caps and budgets the context states: a cap on
// instances or containers ("3 containers … and no more") and a money budget ("$60 for the
// month"). A cap is compared with the instances the plan deploys and the load needs, and the
// services the plan adds (Redis, a database) are named, since the context may count them against
// it. A money budget cannot be priced offline: the plan names what it adds and leaves the price
// to the user, never inventing one. Pure: returns decisions as data; budgetMd says them.
import type { NumberRequirement } from '../types.js';
import type { DesignCtx } from './context.js';
import { code, fmt, text } from './md.js';
import { profileOf } from './profiles/index.js';

export interface BudgetCheck {
  kind: 'instance-cap' | 'money';
  /** The context's sentence and where it is. */
  sentence: string;
  evidence: string;
  /** The cap (instances) or the amount per month (in the context's currency). */
  limit: number;
  /** Instances the plan deploys, and the instances the load needs without and with a spare (N+1). */
  instances: number;
  needed: number;
  neededN1: number;
  /** Stores and buses the plan's architecture adds (a node marked proposed). */
  adds: string[];
  /** fits: N+1 fits the cap; no-spare: the load fits but no spare; over: the load needs more; unpriced: a money budget. */
  verdict: 'fits' | 'no-spare' | 'over' | 'unpriced';
  /** The host runs and scales the server itself: the plan deploys no instance count of its own. */
  hostScaled: boolean;
  /** Where the steps coalesce the broadcasts, `needed` is the designed load: what the code needs today, and the step. */
  today?: { needed: number; step: number };
  /** The instances the context plans (not a cap), when the plan deploys more than that. */
  plannedBelow?: number;
  /** The server library the per-process figures were not measured for (profile `unmeasured`): a verdict of theirs is provisional. */
  unmeasured?: string;
}

export function budgetChecks(ctx: DesignCtx, adds: readonly string[]): BudgetCheck[] {
  const r = ctx.capacity.result;
  const co = ctx.capacity.coalesced;
  const need = co ? co.result.instancesForLoad : r.instancesForLoad;
  const out: BudgetCheck[] = [];
  const base = {
    instances: r.instances,
    needed: need,
    neededN1: need + 1,
    ...(co ? { today: { needed: r.instancesForLoad, step: co.step } } : {}),
    adds: [...adds],
    hostScaled: profileOf(ctx).serverless !== undefined,
    ...(profileOf(ctx).unmeasured ? { unmeasured: profileOf(ctx).unmeasured!.library } : {}),
    ...(r.plannedInstances !== null && !r.capped && r.plannedInstances < r.instances ? { plannedBelow: r.plannedInstances } : {}),
  };
  const cap = ctx.capacity.planned;
  if (cap?.ceiling && r.capped && !base.hostScaled) {
    const verdict = cap.value >= base.neededN1 ? 'fits' : cap.value >= base.needed ? 'no-spare' : 'over';
    out.push({ kind: 'instance-cap', sentence: cap.ceiling.sentence, evidence: cap.ceiling.evidence, limit: cap.value, ...base, verdict });
  }
  const money = ctx.input.sessions.requirements.filter(
    (x): x is NumberRequirement => x.kind === 'number' && x.metric === 'budget' && x.unit === 'currency/month',
  );
  // A money budget is weighed against what the plan adds; with nothing added (a host that scales
  // itself, a provider that holds the sockets) the plan has nothing of its own to weigh.
  if (adds.length > 0)
    for (const m of money.slice(0, 1)) out.push({ kind: 'money', sentence: m.sentence, evidence: m.evidence, limit: m.value, ...base, verdict: 'unpriced' });
  return out;
}

const listOf = (xs: readonly string[]): string => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

export function budgetMd(checks: readonly BudgetCheck[]): string[] {
  return checks.map((c) => {
    const quote = `"${text(c.sentence)}" (${code(c.evidence)})`;
    const adds = listOf(c.adds);
    if (c.kind === 'money') {
      // More instances than the context plans is a cost the team did not count: said next to the budget it weighs on.
      const more =
        c.plannedBelow !== undefined
          ? `: ${fmt(c.instances - c.plannedBelow)} more than the ${fmt(c.plannedBelow)} the context plans, ${
              c.plannedBelow >= c.needed ? 'as a spare' : `since the load needs ${fmt(c.needed)} and N+1 ${fmt(c.neededN1)}`
            }; Performance and scaling says what ${fmt(c.plannedBelow)} alone give up`
          : '';
      const runs = c.hostScaled ? '' : ` (and runs ${fmt(c.instances)} instance${c.instances === 1 ? '' : 's'} of the real-time server${more})`;
      return `Money budget, ${quote}: this plan adds ${adds}${runs}. rt-plan prices nothing offline: whether this budget covers them and whether they fit ${fmt(c.limit)} a month is for you to check against your provider's prices.`;
    }
    // The designed load is the one the verdict weighs; what the code needs today is said with it.
    const needs = c.today
      ? `as the code sends today the load needs ${fmt(c.today.needed)}; with the coalescing of step ${fmt(c.today.step)} it needs`
      : 'the load needs';
    const verdict =
      c.verdict === 'fits'
        ? `it fits: ${needs} ${fmt(c.needed)}, ${fmt(c.neededN1)} with a spare, and the plan deploys ${fmt(c.instances)}`
        : c.verdict === 'no-spare'
          ? `${needs} ${fmt(c.needed)}, so ${fmt(c.limit)} carry it with no spare: while one is down or draining the rest are over their target`
          : c.unmeasured
            ? `by rt-plan's per-process figures, measured for Socket.IO and not for ${c.unmeasured}, it does not fit: ${needs} ${fmt(c.needed)} (${fmt(c.neededN1)} with a spare), ${fmt(c.needed - c.limit)} more than the cap; before giving anything up, measure one process with Run 1 of the load test: only if it confirms this, shrink the load (send changes, not whole objects; coalesce what can wait) or have the cap lifted`
            : `it does not fit: ${needs} ${fmt(c.needed)} (${fmt(c.neededN1)} with a spare), ${fmt(c.needed - c.limit)} more than the cap; give something up: shrink the load (send changes, not whole objects; coalesce what can wait) or have the cap lifted`;
    const one = c.adds.length === 1;
    const left = Math.max(0, c.limit - c.adds.length);
    const extra = adds
      ? ` The plan also adds ${adds}; the context does not say whether ${one ? 'it counts' : 'they count'} against the ${fmt(c.limit)}: if ${one ? 'it runs' : 'they run'} there, ${fmt(left)} ${left === 1 ? 'is' : 'are'} left for the real-time server.`
      : '';
    return `Instance cap of ${fmt(c.limit)}, ${quote}: ${verdict}.${extra}`;
  });
}
