// A handler that counts a repeat again, where the context says the thing happens once per
// someone per something ("Every player answers once per question"). The analyzer says only what
// the code does (the handler's one write adds to a member and nothing records what it counted,
// plan-facts.ts 'repeat-accumulates'); it is a defect only against that sentence, so the finding
// is made here, with the handler's file:line and the sentence's.
import type { Analysis, Severity } from '../types.js';
import type { DesignCtx } from './context.js';
import { coreOf } from './core/context.js';
import { code, text } from './md.js';

/** The finding's id; `rt-plan verify` reads it back from the analyzer's 'repeat-accumulates' fact at the same line. */
export const REPEAT_COUNTED_AGAIN = 'repeat-counted-again';

/**
 * What the analyzer still shows for this finding: one per 'repeat-accumulates' fact. The fact goes
 * away once the handler writes something besides the sum (the record of what it counted).
 */
export function repeatFindingsNow(analysis: Analysis): { id: string; evidence: string; message: string }[] {
  return (analysis.modelFacts ?? [])
    .filter((f) => f.kind === 'repeat-accumulates')
    .map((f) => ({ id: REPEAT_COUNTED_AGAIN, evidence: f.evidence, message: f.note }));
}

export interface OncePerFinding {
  id: typeof REPEAT_COUNTED_AGAIN;
  severity: Severity;
  message: string;
  evidence: string;
  fix: string;
}

export function oncePerFindings(ctx: DesignCtx): OncePerFinding[] {
  const facts = (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'repeat-accumulates');
  if (facts.length === 0) return [];
  const out: OncePerFinding[] = [];
  for (const o of coreOf(ctx).objects) {
    if (o.decision.conflict !== 'once-per-user' || !o.oncePer) continue;
    const names = new Set(o.events.filter((e) => e.direction !== 'server-to-client').map((e) => e.name));
    for (const f of facts) {
      // The listener the handler runs for is the registration of one of the object's client events.
      const event = ctx.input.analysis.events.find((e) => names.has(e.name) && e.evidence === f.value);
      if (!event || !f.store) continue;
      const by = o.oncePer.by ?? 'user';
      const key = o.oncePer.per ? `(${by}, ${o.oncePer.per})` : by;
      out.push({
        id: REPEAT_COUNTED_AGAIN,
        severity: 'medium',
        message: `${f.name}() handles ${event.name} (${f.value}) and its only write adds to ${f.store}; nothing records that this ${by} already sent one${o.oncePer.per ? ` for this ${o.oncePer.per}` : ''}, so a second ${event.name} passes the same checks and adds again, though the context says "${o.oncePer.sentence}" (${o.oncePer.at})`,
        evidence: f.evidence,
        fix: `Keep the first ${text(o.name)} per ${text(key)}: record it in the same step that adds to ${code(f.store)}, check that record before adding, and answer a repeat with the stored result (see the Event protocol).`,
      });
    }
  }
  return out;
}
