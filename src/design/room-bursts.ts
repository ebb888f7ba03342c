// Broadcast bursts: one emit to a room reaches every member in the same instant, so a room of N
// costs N deliveries at once, whatever the average rate. Sized from the largest room the context
// states and the room broadcasts the code shows (model fact `room-broadcast`); where the context
// states a delivery target, the time one instance takes to send that burst is compared with it.
import type { DesignCtx } from './context.js';
import type { CapacityRow } from './types.js';
import { code, fmt, list, round } from './md.js';
import { DEFAULT_SETTINGS } from './capacity.js';

type BurstCtx = Pick<DesignCtx, 'input' | 'capacity'>;

/** Rooms up to this size are groups, not audiences: a burst of a few deliveries is noise. */
const AUDIENCE = 100;
/** Deliveries one instance sends a second at its planned utilization (rt-plan defaults). */
const PER_INSTANCE = DEFAULT_SETTINGS.deliveriesPerInstance * DEFAULT_SETTINGS.utilization;

export function roomBurstRows(ctx: BurstCtx): CapacityRow[] {
  // Partial contexts (tests, overrides) may carry no workload: nothing stated, nothing sized.
  const w = ctx.capacity.workload as BurstCtx['capacity']['workload'] | undefined;
  const big = w ? (w.largestRoom ?? w.room) : null;
  if (!w || !big || big.value <= AUDIENCE) return [];
  const facts = (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'room-broadcast');
  if (facts.length === 0) return [];
  const events = ctx.input.analysis.events;
  const sends = facts.map((f) => ({
    name: events.find((e) => e.evidence === f.evidence && e.direction !== 'client-to-server')?.name ?? f.name,
    at: f.evidence,
  }));
  const names = [...new Set(sends.map((s) => s.name))];
  const shown = names.slice(0, 4).map((n) => `${code(n)} (${list(sends.filter((s) => s.name === n).map((s) => code(s.at)))})`);
  const more = names.length - shown.length;
  const n = big.value;
  const rows: CapacityRow[] = [
    {
      quantity: `Deliveries at once: one broadcast to the largest room (${fmt(n)})`,
      formula: `1 message × ${fmt(n)} recipients`,
      value: fmt(n),
      source: `the code emits ${list(shown)}${more > 0 ? ` and ${fmt(more)} more` : ''} to the whole room in one call; room size: context (\`${big.evidence}\`); the average rate above does not show this peak`,
    },
  ];
  const target = w.latency;
  if (target && target.unit === 'ms') {
    const ms = round((n / PER_INSTANCE) * 1000, 0);
    rows.push({
      quantity: `Time for one instance to send that broadcast, against the ${fmt(target.value)} ms${target.percentile ? ` p${fmt(target.percentile)}` : ''} target`,
      formula: `${fmt(n)} ÷ ${fmt(PER_INSTANCE)}/s`,
      value: `${fmt(ms)} ms`,
      source: `${ms <= target.value ? 'within' : 'over'} the target stated at \`${target.evidence}\`, before network and client time, with the whole room on one instance; ${fmt(DEFAULT_SETTINGS.deliveriesPerInstance)} deliveries/s at ${Math.round(DEFAULT_SETTINGS.utilization * 100)}% is rt-plan's default for one instance (assumption: measure it in the load test)`,
    });
  }
  return rows;
}
