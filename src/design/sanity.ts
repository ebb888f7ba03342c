// Figures read from the session context are checked before anything is sized from them: a
// typo ("5,000,000,000 concurrent users") would otherwise become a plan for a million
// instances. Out of range means no real-time system of this kind plausibly has it; the user
// fixes the sentence or overrides it with the flag named in the hint.
import { UsageError } from '../errors.js';
import type { NumberRequirement, Requirement } from '../types.js';
import { fmt } from './md.js';
import { roomCountOf } from './workload.js';

type Key = 'connections' | 'fanout' | 'msgRate' | 'payloadBytes';
const RANGES: Partial<Record<NumberRequirement['metric'], { min: number; max: number; flag?: string; key?: Key }>> = {
  'concurrent-users': { min: 1, max: 100_000_000, flag: '--connections', key: 'connections' },
  users: { min: 1, max: 5_000_000_000, flag: '--connections', key: 'connections' },
  'room-size': { min: 1, max: 10_000_000, flag: '--fanout', key: 'fanout' },
  'message-rate': { min: 0.000_001, max: 100_000_000, flag: '--msg-rate', key: 'msgRate' },
  'payload-size': { min: 1, max: 1024 * 1024 * 1024, flag: '--payload-bytes', key: 'payloadBytes' },
  latency: { min: 1, max: 3_600_000 },
  'first-token': { min: 1, max: 3_600_000 },
  instances: { min: 1, max: 100_000 },
};

/** Budgets by unit: a bandwidth cap of zero or of more than a 1 Tbit/s backbone is a typo. */
const BUDGETS: Record<string, { min: number; max: number }> = {
  'Mbit/s': { min: 0.001, max: 1_000_000 },
  'B/s per client': { min: 1, max: 1e11 },
  'msg/day': { min: 1, max: 1e13 },
  'msg/month': { min: 1, max: 1e14 },
};

/** Throws a usage error (exit 2) naming the first context figure out of range. */
/** A figure a flag overrides is not used, so it is not checked. */
export function checkContextFigures(requirements: Requirement[], flags: Partial<Record<Key, number>> = {}): void {
  for (const r of requirements) {
    if (r.kind !== 'number') continue;
    if (r.unreadable !== undefined)
      throw new UsageError(`The session context states "${r.unreadable} ${r.unit}" (${r.evidence}: "${r.sentence}"), which rt-plan cannot read as a figure.`, {
        hint: `Write it with ASCII digits and commas (e.g. 5,000,000 or 5000000; a count is not negative) in ${r.evidence.replace(/:\d+$/, '')}.`,
      });
    const budget = r.metric === 'budget' ? BUDGETS[r.unit] : undefined;
    if (budget && (r.value < budget.min || r.value > budget.max))
      throw new UsageError(
        `The session context states a budget of ${fmt(r.value)} ${r.unit} (${r.evidence}: "${r.sentence}"), outside the plausible range ${fmt(budget.min)}–${fmt(budget.max)}.`,
        { hint: `Correct the sentence in ${r.evidence.replace(/:\d+$/, '')}.` },
      );
    const range = RANGES[r.metric];
    if (!range || (range.key && flags[range.key] !== undefined) || (r.value >= range.min && r.value <= range.max)) continue;
    throw new UsageError(
      `The session context states ${r.metric} ${fmt(r.value)} ${r.unit} (${r.evidence}: "${r.sentence}"), outside the plausible range ${fmt(range.min)}–${fmt(range.max)}.`,
      {
        hint: `Correct the sentence in ${r.evidence.replace(/:\d+$/, '')}${range.flag ? ` or override the figure with ${range.flag}` : ''}.`,
      },
    );
  }
  // Rooms × their size become the users when no user count is stated ("40 shops, 12 staff per shop"):
  // each figure may be plausible while their product is not.
  const numbers = requirements.filter((r): r is NumberRequirement => r.kind === 'number');
  if (flags.connections !== undefined || numbers.some((r) => (r.metric === 'concurrent-users' || r.metric === 'users') && r.quota === undefined)) return;
  const rooms = roomCountOf(numbers);
  const size = numbers.find((r) => r.metric === 'room-size' && r.quota === undefined);
  const max = RANGES['concurrent-users']!.max;
  if (rooms && size && rooms.value * size.value > max)
    throw new UsageError(
      `The session context states ${fmt(rooms.value)} rooms of ${fmt(size.value)} (${size.evidence}: "${size.sentence}"): ${fmt(rooms.value * size.value)} users at once, outside the plausible range 1–${fmt(max)}.`,
      { hint: `Correct the sentence in ${size.evidence.replace(/:\d+$/, '')} or override the figure with --connections.` },
    );
}
