// Join storms: a handler that announces every join to the room just joined (model fact
// `join-broadcast`) costs about N²/2 deliveries while a room of N fills up, and N³/3 list
// entries when each announcement carries the member list. Sized from the room the context
// states; nothing is said where the code shows no such broadcast, the context states no room, or
// filling it costs less than one second of one instance's deliveries.
import type { ModelFact } from '../types.js';
import type { DesignCtx } from './context.js';
import type { CapacityRow } from './types.js';
import { code, fmt, round } from './md.js';
import { DEFAULT_SETTINGS } from './capacity.js';

/** One second of one instance's deliveries at its planned utilization: a fill costing less is noise. */
const SECOND_OF_INSTANCE = DEFAULT_SETTINGS.deliveriesPerInstance * DEFAULT_SETTINGS.utilization;

type StormCtx = Pick<DesignCtx, 'input' | 'capacity'>;

/** A payload field that carries the whole member list, not one member. */
const LIST_FIELD = /^(members|users|players|participants|viewers|online|people|roster|list)$/i;

interface Storm {
  fact: ModelFact;
  event: string;
  /** The joiner receives its own announcement (`io.to`), so the k-th join reaches k, else k − 1. */
  self: boolean;
  list: string | null;
  room: { value: number; evidence: string };
}

function stormsOf(ctx: StormCtx): Storm[] {
  // Partial contexts (tests, overrides) may carry no workload: nothing stated, nothing sized.
  const w = ctx.capacity.workload as StormCtx['capacity']['workload'] | undefined;
  const big = w ? (w.largestRoom ?? w.room) : null;
  if (!big || big.value < 2) return [];
  return (ctx.input.analysis.modelFacts ?? [])
    .filter((f) => f.kind === 'join-broadcast')
    .map((fact) => {
      const e = ctx.input.analysis.events.find((x) => x.evidence === fact.evidence && x.direction !== 'client-to-server');
      const list = (e?.payload ?? []).find((p) => LIST_FIELD.test(p.name))?.name ?? null;
      return { fact, event: e?.name ?? fact.name, self: fact.value !== 'others', list, room: { value: big.value, evidence: big.evidence } };
    })
    .filter((s) => fillDeliveries(s.room.value, s.self) > SECOND_OF_INSTANCE);
}

/** Deliveries while a room fills from empty to N: Σ k (joiner included) or Σ (k − 1). */
const fillDeliveries = (n: number, self: boolean): number => (self ? (n * (n + 1)) / 2 : (n * (n - 1)) / 2);
/** Member-list entries sent while it fills, when each announcement carries the list of the k members: Σ k·k or Σ (k − 1)·k. */
const fillEntries = (n: number, self: boolean): number => (self ? (n * (n + 1) * (2 * n + 1)) / 6 : ((n - 1) * n * (n + 1)) / 3);

export function joinStormRows(ctx: StormCtx): CapacityRow[] {
  return stormsOf(ctx).flatMap((s) => {
    const n = s.room.value;
    const rows: CapacityRow[] = [
      {
        quantity: `Join announcements filling a room of ${fmt(n)} (${s.event})`,
        formula: s.self ? `${fmt(n)} × ${fmt(n + 1)} ÷ 2` : `${fmt(n)} × ${fmt(n - 1)} ÷ 2`,
        value: fmt(fillDeliveries(n, s.self)),
        source: `${code(s.event)} goes to the whole room on every join (${code(s.fact.evidence)}), so the k-th join reaches ${s.self ? 'k' : 'k − 1'}; room size: context (\`${s.room.evidence}\`); ${fmt(round(fillDeliveries(n, s.self) / SECOND_OF_INSTANCE, 0))} s of one instance's deliveries (${fmt(DEFAULT_SETTINGS.deliveriesPerInstance)}/s at ${Math.round(DEFAULT_SETTINGS.utilization * 100)}%, rt-plan defaults); grows with the square of the room size`,
      },
    ];
    if (s.list)
      rows.push({
        quantity: `Member-list entries sent while it fills (${s.list})`,
        formula: s.self ? `${fmt(n)} × ${fmt(n + 1)} × ${fmt(2 * n + 1)} ÷ 6` : `${fmt(n - 1)} × ${fmt(n)} × ${fmt(n + 1)} ÷ 3`,
        value: fmt(fillEntries(n, s.self)),
        source: `each announcement carries the whole ${code(s.list)} list, k entries after the k-th join; grows with the cube of the room size`,
      });
    return rows;
  });
}

/** The mitigation, in the project's event name: coalesce announcements per room, or send them to the host only. */
export function joinStormNotes(ctx: StormCtx): string[] {
  return stormsOf(ctx).map(
    (s) =>
      `Coalesce ${code(s.event)} (${code(s.fact.evidence)}): a room of ${fmt(s.room.value)} filling up costs ${fmt(fillDeliveries(s.room.value, s.self))} deliveries when every join is announced to everyone. Collect joins per room and emit one message a second with ${s.list ? `what changed (joined and left since the last one) instead of the whole ${code(s.list)} list` : 'the member count and the joins since the last one'}, or send the announcement only to the member who needs each join (the host or moderator) and let the others read the count.`,
  );
}
