// A monthly data allowance the context states for one room's site ("a metered 4G router with 5 GB a
// month shared by everything in the store"), priced against what the plan delivers into one room:
// the room's stated rate × its recipients × the average payload, for 30 days at the peak rate (an
// upper bound). Where the code refetches a whole query on every event (`refetch-per-event`), that
// download is priced too: each event then costs the push and the refetch, n + 1 times the push for a
// list of n items, and n is not in the context, so the row says for which (n + 1) × peak hours the
// allowance holds rather than inventing n.
// Pure: requirements and the resolved capacity inputs in, rows out.
import type { NumberRequirement } from '../types.js';
import { statedBytesMd } from './capacity.js';
import type { DesignCtx } from './context.js';
import { code, fmt, round, text } from './md.js';
import type { CapacityRow } from './types.js';
import { roomCountOf } from './workload.js';

/** A data allowance: bytes a month on a metered link, not memory or storage. */
const MONTHLY = /\b(?:a|per|each|every)\s+month\b|\bmonthly\b/i;
const DATA = /\b(?:metered|data plan|backhaul|4G|5G|LTE|cellular|mobile data|bandwidth|traffic|transfer|uplink|router)\b/i;
const NOT_DATA = /\b(?:Redis|memory|RAM|cache|storage|disk|database)\b/i;

const MONTH_S = 30 * 86_400;

export function dataBudgetRows(ctx: DesignCtx): CapacityRow[] {
  const numbers = ctx.input.sessions.requirements.filter((r): r is NumberRequirement => r.kind === 'number');
  const budget = numbers.find(
    (n) => n.metric === 'budget' && n.unit === 'bytes' && MONTHLY.test(n.sentence) && DATA.test(n.sentence) && !NOT_DATA.test(n.sentence),
  );
  const rooms = roomCountOf(numbers);
  const { values, sources } = ctx.capacity;
  if (!budget || !rooms?.noun || sources.msgRate.kind !== 'context' || sources.fanout.kind !== 'context') return [];
  // The allowance is one room's when its sentence names the room's noun ("shared by everything in the store").
  const noun = rooms.noun.replace(/s$/, '');
  if (!new RegExp(`\\b${noun}\\b`, 'i').test(budget.sentence)) return [];
  const perRoom = values.msgRate / rooms.value;
  const pushHour = perRoom * values.fanout * values.payloadBytes * 3600;
  const pushMonth = pushHour * 24 * 30;
  const stated = statedBytesMd(budget);
  // In the budget's own unit (decimal GB next to a stated GB), so the two figures compare at a glance.
  const unit = /\b(GiB|MiB|GB|MB)$/.exec(stated)?.[1] ?? 'GB';
  const inUnit = (b: number): string => `${fmt(round(b / ({ GB: 1e9, GiB: 1024 ** 3, MB: 1e6, MiB: 1024 ** 2 } as Record<string, number>)[unit]!, 2))} ${unit}`;
  const quote = `"${text(budget.sentence)}" (${code(budget.evidence)})`;
  const payload = `${fmt(values.payloadBytes)} B a message${sources.payloadBytes.kind === 'default' ? ', the assumed average' : ''}`;
  const rows: CapacityRow[] = [
    {
      quantity: `Pushed into one ${noun} a month at peak all day (upper bound)`,
      formula: `${fmt(values.msgRate)} msg/s ÷ ${fmt(rooms.value)} × ${fmt(values.fanout)} recipients × ${fmt(values.payloadBytes)} B × ${fmt(MONTH_S)} s`,
      value: inUnit(pushMonth),
      source: `against ${stated} a month per ${noun}, context: ${quote}; ${fmt(round((pushMonth / budget.value) * 100, 1))}% of it, payload only (${payload}), before frame, TLS and HTTP overhead`,
    },
  ];
  const refetch = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'refetch-per-event');
  if (refetch) {
    // Each event delivers the push and the refetch: (n + 1) × pushHour an hour of peak, so the
    // allowance lasts while (n + 1) × peak hours a day < budget ÷ 30 ÷ pushHour, and is passed for
    // the least n with (n + 1) × pushMonth > budget, n = ⌊budget ÷ pushMonth⌋ (at least 1: a list).
    const limit = round(budget.value / 30 / pushHour, 1);
    const what = refetch.value ? code(refetch.value) : 'the query';
    rows.push({
      quantity: `Pushed and refetched into one ${noun} a month at peak all day (upper bound)`,
      formula: `(n + 1) × ${inUnit(pushMonth)}`,
      value: `over ${stated} from n = ${fmt(Math.max(1, Math.floor(budget.value / pushMonth)))}`,
      source: `each event makes every client that shows the component download the whole ${what} result again (${code(refetch.evidence)}; an upper bound: every recipient shows it): n items of ${fmt(values.payloadBytes)} B each, n times the push, on top of the push itself, before each refetch's HTTP request and headers; the list's length n is not in the context, so ${stated} a month holds only while (n + 1) × hours at peak a day stays under ${fmt(limit)}`,
    });
  }
  return rows;
}
