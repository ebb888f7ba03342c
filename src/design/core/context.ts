// The core design of one plan's context, built once and shared by the sections that speak
// about its objects (protocol, state sync, edge cases, steps). Memoized per context object:
// the same inputs give the same design, so this stays pure.
import type { DesignCtx } from '../context.js';
import { coreDesign, type CoreDesign } from './index.js';

const built = new WeakMap<object, CoreDesign>();

export function coreOf(ctx: Pick<DesignCtx, 'input' | 'scenarios' | 'entity'>): CoreDesign {
  const hit = built.get(ctx);
  if (hit) return hit;
  const { input } = ctx;
  const core = coreDesign({
    events: input.analysis.events,
    findings: input.analysis.findings,
    requirements: input.sessions.requirements,
    scenarios: ctx.scenarios,
    entity: ctx.entity,
    crdt: input.analysis.project.packages.some((p) => 'yjs' in p.dependencies),
    contextText: input.sessions.docs.map((d) => d.body).join('\n'),
  });
  built.set(ctx, core);
  return core;
}
